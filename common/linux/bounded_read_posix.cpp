#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "common/bounded_read.hpp"
#include "common/error.hpp"

namespace drvaudit {

namespace {
struct Fd {
  int fd;
  ~Fd() {
    if (fd >= 0) ::close(fd);
  }
};
}  // namespace

std::string read_bounded_file(const std::filesystem::path& file, const ReadBounds& bounds) {
  const std::string name = file.string();
  // O_NONBLOCK: opening a FIFO must not wait for a writer; it is refused below as not a file.
  Fd in{::open(file.c_str(), O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC | O_NOCTTY)};
  if (in.fd < 0) {
    if (errno == ELOOP) throw Error(name + " is a symbolic link: reports are read only from regular files");
    throw Error("cannot read " + name + ": " + std::strerror(errno));
  }
  struct stat st {};
  if (::fstat(in.fd, &st) != 0) throw Error("cannot read " + name + ": " + std::strerror(errno));
  if (!S_ISREG(st.st_mode)) throw Error(name + " is not a regular file (a FIFO, a device or a socket)");
  return read_within_bounds(name, static_cast<std::uint64_t>(st.st_size), bounds, [&](char* buffer, std::size_t n) {
    for (;;) {
      const auto got = ::read(in.fd, buffer, n);
      if (got < 0 && errno == EINTR) continue;
      if (got < 0) throw Error("cannot read " + name + ": " + std::strerror(errno));
      return static_cast<std::size_t>(got);
    }
  });
}

}  // namespace drvaudit
