#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <thread>

#include "common/error.hpp"
#include "common/lock_file.hpp"
#include "common/private_state.hpp"

namespace drvaudit {

namespace {
std::optional<long> read_pid(int fd) {
  char text[32] = {};
  const ssize_t n = ::pread(fd, text, sizeof text - 1, 0);
  if (n <= 0) return std::nullopt;
  char* end = nullptr;
  const long pid = std::strtol(text, &end, 10);
  if (end == text || pid <= 0) return std::nullopt;
  return pid;
}
}  // namespace

LockFile::LockFile(const std::filesystem::path& file, const std::string& what, std::chrono::milliseconds wait) {
  private_state::prepare_file(file, true);
  const int fd = ::open(file.c_str(), O_RDWR | O_NOFOLLOW | O_CLOEXEC);
  if (fd < 0) throw Error("cannot open the lock file " + file.string() + ": " + std::strerror(errno));
  const auto deadline = std::chrono::steady_clock::now() + wait;
  while (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
    if (errno != EWOULDBLOCK && errno != EINTR) {
      const int error = errno;
      ::close(fd);
      throw Error("cannot lock " + file.string() + ": " + std::strerror(error));
    }
    if (std::chrono::steady_clock::now() >= deadline) {
      ::close(fd);
      throw Error(describe_holder(file, what) + "; try again when it has finished", ErrorKind::busy);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  const std::string pid = std::to_string(::getpid()) + "\n";
  if (::ftruncate(fd, 0) != 0 || ::pwrite(fd, pid.data(), pid.size(), 0) != static_cast<ssize_t>(pid.size())) {
    // The lock is held all the same; only the holder's name is missing for the others.
  }
  handle_ = fd;
}

LockFile::~LockFile() { ::close(static_cast<int>(handle_)); }  // closing releases the lock

std::optional<long> LockFile::holder(const std::filesystem::path& file) {
  const int fd = ::open(file.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
  if (fd < 0) return std::nullopt;
  std::optional<long> pid;
  if (::flock(fd, LOCK_SH | LOCK_NB) == 0)
    ::flock(fd, LOCK_UN);  // nobody holds it: the pid in it is a finished process's
  else
    pid = read_pid(fd);
  ::close(fd);
  if (pid && *pid == ::getpid()) return std::nullopt;  // this process's own lock: not who blocks it
  return pid;
}

}  // namespace drvaudit
