#include <windows.h>

#include <thread>

#include "common/error.hpp"
#include "common/lock_file.hpp"
#include "common/private_state.hpp"
#include "common/windows/wide.hpp"

namespace drvaudit {

namespace {
// The lock is on one byte far beyond the pid: a locked range cannot be read by others, and the pid
// must stay readable.
constexpr DWORD kLockOffsetHigh = 1;

std::optional<long> read_pid(HANDLE h) {
  char text[32] = {};
  DWORD n = 0;
  OVERLAPPED at{};
  if (!ReadFile(h, text, sizeof text - 1, &n, &at) || n == 0) return std::nullopt;
  char* end = nullptr;
  const long pid = std::strtol(text, &end, 10);
  if (end == text || pid <= 0) return std::nullopt;
  return pid;
}

bool try_lock(HANDLE h, DWORD flags) {
  OVERLAPPED at{};
  at.OffsetHigh = kLockOffsetHigh;
  return LockFileEx(h, flags | LOCKFILE_FAIL_IMMEDIATELY, 0, 1, 0, &at) != 0;
}

HANDLE open_lock(const std::filesystem::path& file, DWORD disposition) {
  return CreateFileW(file.wstring().c_str(), GENERIC_READ | GENERIC_WRITE, FILE_SHARE_READ | FILE_SHARE_WRITE, nullptr,
                     disposition, FILE_ATTRIBUTE_NORMAL | FILE_FLAG_OPEN_REPARSE_POINT, nullptr);
}
}  // namespace

LockFile::LockFile(const std::filesystem::path& file, const std::string& what, std::chrono::milliseconds wait) {
  private_state::prepare_file(file, true);
  HANDLE h = open_lock(file, OPEN_ALWAYS);
  if (h == INVALID_HANDLE_VALUE)
    throw Error("cannot open the lock file " + file.string() + ": " + win::error_message(GetLastError()));
  const auto deadline = std::chrono::steady_clock::now() + wait;
  while (!try_lock(h, LOCKFILE_EXCLUSIVE_LOCK)) {
    if (std::chrono::steady_clock::now() >= deadline) {
      CloseHandle(h);
      throw Error(describe_holder(file, what) + "; try again when it has finished", ErrorKind::busy);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  const std::string pid = std::to_string(GetCurrentProcessId()) + "\r\n";
  DWORD written = 0;
  OVERLAPPED at{};
  SetFilePointer(h, 0, nullptr, FILE_BEGIN);
  SetEndOfFile(h);
  WriteFile(h, pid.data(), static_cast<DWORD>(pid.size()), &written, &at);
  handle_ = reinterpret_cast<std::intptr_t>(h);
}

LockFile::~LockFile() { CloseHandle(reinterpret_cast<HANDLE>(handle_)); }  // closing releases the lock

std::optional<long> LockFile::holder(const std::filesystem::path& file) {
  HANDLE h = open_lock(file, OPEN_EXISTING);
  if (h == INVALID_HANDLE_VALUE) return std::nullopt;
  std::optional<long> pid;
  if (try_lock(h, 0)) {
    OVERLAPPED at{};
    at.OffsetHigh = kLockOffsetHigh;
    UnlockFileEx(h, 0, 1, 0, &at);
  } else {
    pid = read_pid(h);
  }
  CloseHandle(h);
  if (pid && *pid == static_cast<long>(GetCurrentProcessId())) return std::nullopt;  // this process's own lock
  return pid;
}

}  // namespace drvaudit
