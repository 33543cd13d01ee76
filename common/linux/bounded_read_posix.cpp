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
  if (static_cast<std::uint64_t>(st.st_size) > bounds.max_bytes)
    throw Error(name + " is " + std::to_string(st.st_size) + " bytes, more than " + limit_text(bounds));
  const auto deadline = std::chrono::steady_clock::now() + bounds.deadline;
  std::string out;
  out.resize(static_cast<std::size_t>(st.st_size) + 1);
  std::size_t have = 0;
  for (;;) {
    if (have == out.size()) {
      if (out.size() > bounds.max_bytes)
        throw Error(name + " grew beyond " + limit_text(bounds) + " while it was read");
      out.resize(std::min<std::size_t>(out.size() * 2, bounds.max_bytes + 1));
    }
    const auto n = ::read(in.fd, out.data() + have, out.size() - have);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) throw Error("cannot read " + name + ": " + std::strerror(errno));
    if (n == 0) break;
    have += static_cast<std::size_t>(n);
    if (have > bounds.max_bytes) throw Error(name + " grew beyond " + limit_text(bounds) + " while it was read");
    if (std::chrono::steady_clock::now() > deadline)
      throw Error(name + " could not be read within " + std::to_string(bounds.deadline.count() / 1000) + " s");
  }
  out.resize(have);
  return out;
}

}  // namespace drvaudit
