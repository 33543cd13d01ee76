#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstring>
#include <utility>

#include "common/error.hpp"
#include "common/process.hpp"

extern char** environ;

namespace drvaudit::process {

namespace {
class Fd {
 public:
  Fd() = default;
  explicit Fd(int fd) : fd_(fd) {}
  Fd(Fd&& other) noexcept : fd_(other.release()) {}
  Fd& operator=(Fd&& other) noexcept {
    reset(other.release());
    return *this;
  }
  ~Fd() { reset(); }
  int get() const { return fd_; }
  int release() { return std::exchange(fd_, -1); }
  void reset(int fd = -1) {
    if (fd_ >= 0) ::close(fd_);
    fd_ = fd;
  }

 private:
  int fd_ = -1;
};

struct Pipe {
  Fd read, write;
};

Pipe make_pipe() {
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0) throw Error(std::string("cannot create a pipe: ") + std::strerror(errno));
  return {Fd(fds[0]), Fd(fds[1])};
}

class SpawnActions {
 public:
  SpawnActions() { posix_spawn_file_actions_init(&actions_); }
  ~SpawnActions() { posix_spawn_file_actions_destroy(&actions_); }
  SpawnActions(const SpawnActions&) = delete;
  SpawnActions& operator=(const SpawnActions&) = delete;
  posix_spawn_file_actions_t* get() { return &actions_; }

 private:
  posix_spawn_file_actions_t actions_;
};

std::chrono::steady_clock::time_point deadline_from(const Options& options) {
  if (!options.timeout) return std::chrono::steady_clock::time_point::max();
  return std::chrono::steady_clock::now() + *options.timeout;
}
}  // namespace

Result run(const std::vector<std::string>& argv, const Options& options) {
  if (argv.empty()) throw Error("process::run: empty argument vector");

  Pipe in = make_pipe(), out = make_pipe(), err = make_pipe();
  SpawnActions actions;
  posix_spawn_file_actions_adddup2(actions.get(), in.read.get(), STDIN_FILENO);
  posix_spawn_file_actions_adddup2(actions.get(), out.write.get(), STDOUT_FILENO);
  posix_spawn_file_actions_adddup2(actions.get(), err.write.get(), STDERR_FILENO);
  if (options.working_directory) {
    posix_spawn_file_actions_addchdir_np(actions.get(), options.working_directory->c_str());
  }

  std::vector<char*> args;
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);

  pid_t pid = 0;
  const int rc = posix_spawnp(&pid, argv[0].c_str(), actions.get(), nullptr, args.data(), environ);
  if (rc != 0) throw Error("cannot run " + argv[0] + ": " + std::strerror(rc));

  in.read.reset();
  out.write.reset();
  err.write.reset();

  std::string to_write = options.stdin_data.value_or("");
  std::size_t written = 0;
  if (to_write.empty()) in.write.reset();
  // A child that exits without reading stdin must not kill us with SIGPIPE.
  if (in.write.get() >= 0) ::fcntl(in.write.get(), F_SETFL, O_NONBLOCK);

  Result result;
  const auto deadline = deadline_from(options);
  std::array<char, 65536> buffer;
  while (out.read.get() >= 0 || err.read.get() >= 0 || in.write.get() >= 0) {
    std::array<pollfd, 3> fds{{{out.read.get(), POLLIN, 0}, {err.read.get(), POLLIN, 0}, {in.write.get(), POLLOUT, 0}}};
    int wait_ms = -1;
    if (options.timeout) {
      const auto left =
          std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
      if (left.count() <= 0) {
        result.timed_out = true;
        break;
      }
      wait_ms = static_cast<int>(std::min<long long>(left.count(), 1000 * 60 * 60));
    }
    const int ready = ::poll(fds.data(), fds.size(), wait_ms);
    if (ready < 0 && errno == EINTR) continue;
    if (ready < 0) break;
    for (int i = 0; i < 2; ++i) {
      if (!fds[static_cast<std::size_t>(i)].revents) continue;
      Fd& fd = i == 0 ? out.read : err.read;
      std::string& sink = i == 0 ? result.out : result.err;
      const ssize_t n = ::read(fd.get(), buffer.data(), buffer.size());
      if (n > 0) {
        const auto room = options.max_output_bytes - std::min(options.max_output_bytes, sink.size());
        sink.append(buffer.data(), std::min(room, static_cast<std::size_t>(n)));
      } else if (n == 0 || errno != EINTR) {
        fd.reset();
      }
    }
    if (fds[2].revents) {
      const ssize_t n = ::write(in.write.get(), to_write.data() + written, to_write.size() - written);
      if (n > 0) written += static_cast<std::size_t>(n);
      if (n < 0 && errno != EAGAIN && errno != EINTR) in.write.reset();
      if (written == to_write.size()) in.write.reset();
    }
  }

  if (result.timed_out) ::kill(pid, SIGKILL);
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (WIFEXITED(status) && !result.timed_out) {
    result.exit_code = WEXITSTATUS(status);
  } else if (WIFSIGNALED(status)) {
    result.signal = WTERMSIG(status);
  }
  return result;
}

std::filesystem::path current_executable() {
  std::error_code ec;
  auto self = std::filesystem::read_symlink("/proc/self/exe", ec);
  if (ec) throw Error("cannot find the drvaudit program: /proc/self/exe: " + ec.message());
  return self;
}

}  // namespace drvaudit::process
