#pragma once

#include <chrono>
#include <filesystem>
#include <optional>
#include <string>

// One writer at a time for a piece of drvaudit's state (the catalog; the updater's system changes):
// an exclusive lock on a file beside it, held for the life of the object, released by the OS even
// when the process is killed. The holder's pid is written in the file, so a process that is refused
// can say who holds it. Platform code: common/linux/lock_file_posix.cpp, common/windows/lock_file_windows.cpp.
namespace drvaudit {

class LockFile {
 public:
  // Waits up to `wait` for the lock, then throws drvaudit::Error (busy) "another drvaudit (pid N) is
  // using <what>". The file is created private (common/private_state.hpp) and never through a link.
  LockFile(const std::filesystem::path& file, const std::string& what, std::chrono::milliseconds wait);
  ~LockFile();
  LockFile(const LockFile&) = delete;
  LockFile& operator=(const LockFile&) = delete;

  // The pid of the process holding the lock on `file`, if another one does.
  static std::optional<long> holder(const std::filesystem::path& file);

 private:
  std::intptr_t handle_;  // a descriptor on Linux, a HANDLE on Windows
};

// "another drvaudit (pid N) is using <what>" when the lock file says who, else a process unknown.
std::string describe_holder(const std::filesystem::path& lock_file, const std::string& what);

}  // namespace drvaudit
