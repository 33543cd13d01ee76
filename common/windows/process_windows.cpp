#include <windows.h>

#include <chrono>
#include <thread>
#include <utility>

#include "common/error.hpp"
#include "common/process.hpp"
#include "common/windows/wide.hpp"

namespace drvaudit::process {

namespace {
class Handle {
 public:
  Handle() = default;
  explicit Handle(HANDLE h) : h_(h) {}
  Handle(Handle&& o) noexcept : h_(std::exchange(o.h_, nullptr)) {}
  Handle& operator=(Handle&& o) noexcept {
    reset(std::exchange(o.h_, nullptr));
    return *this;
  }
  ~Handle() { reset(); }
  HANDLE get() const { return h_; }
  void reset(HANDLE h = nullptr) {
    if (h_ && h_ != INVALID_HANDLE_VALUE) CloseHandle(h_);
    h_ = h;
  }

 private:
  HANDLE h_ = nullptr;
};

// CommandLineToArgvW's rules: quote when needed, double the backslashes before a quote.
std::wstring quote_argument(const std::wstring& arg) {
  if (!arg.empty() && arg.find_first_of(L" \t\n\v\"") == std::wstring::npos) return arg;
  std::wstring out = L"\"";
  for (std::size_t i = 0;; ++i) {
    std::size_t backslashes = 0;
    while (i < arg.size() && arg[i] == L'\\') {
      ++i;
      ++backslashes;
    }
    if (i == arg.size()) {
      out.append(backslashes * 2, L'\\');
      break;
    }
    if (arg[i] == L'"') {
      out.append(backslashes * 2 + 1, L'\\');
    } else {
      out.append(backslashes, L'\\');
    }
    out += arg[i];
  }
  out += L'"';
  return out;
}

void make_pipe(Handle& read, Handle& write, bool child_reads) {
  SECURITY_ATTRIBUTES sa{sizeof(sa), nullptr, TRUE};
  HANDLE r = nullptr, w = nullptr;
  if (!CreatePipe(&r, &w, &sa, 0)) throw Error("cannot create a pipe: " + win::error_message(GetLastError()));
  read.reset(r);
  write.reset(w);
  // Only the child's end is inherited.
  SetHandleInformation(child_reads ? write.get() : read.get(), HANDLE_FLAG_INHERIT, 0);
}

// Drains a pipe on its own thread so that a child writing a lot to both streams never blocks.
std::thread drain(HANDLE pipe, std::string& sink, std::size_t limit) {
  return std::thread([pipe, &sink, limit] {
    char buffer[65536];
    DWORD n = 0;
    while (ReadFile(pipe, buffer, sizeof buffer, &n, nullptr) && n > 0) {
      if (sink.size() < limit) sink.append(buffer, std::min<std::size_t>(n, limit - sink.size()));
    }
  });
}
}  // namespace

Result run(const std::vector<std::string>& argv, const Options& options) {
  if (argv.empty()) throw Error("process::run: empty argument vector");
  std::wstring command_line;
  for (const auto& a : argv) command_line += (command_line.empty() ? L"" : L" ") + quote_argument(win::widen(a));

  Handle in_read, in_write, out_read, out_write, err_read, err_write;
  make_pipe(in_read, in_write, true);
  make_pipe(out_read, out_write, false);
  make_pipe(err_read, err_write, false);

  STARTUPINFOW si{};
  si.cb = sizeof(si);
  si.dwFlags = STARTF_USESTDHANDLES;
  si.hStdInput = in_read.get();
  si.hStdOutput = out_write.get();
  si.hStdError = err_write.get();
  PROCESS_INFORMATION pi{};
  const std::wstring cwd = options.working_directory ? options.working_directory->wstring() : std::wstring();
  // Wine's CreateProcess now and then fails with ERROR_INTERNAL_ERROR while its server is busy
  // starting another process (seen in the test runs); a second try starts the same program.
  for (int attempt = 1;; ++attempt) {
    if (CreateProcessW(nullptr, command_line.data(), nullptr, nullptr, TRUE, CREATE_NO_WINDOW, nullptr,
                       cwd.empty() ? nullptr : cwd.c_str(), &si, &pi))
      break;
    const DWORD error = GetLastError();
    if (error != ERROR_INTERNAL_ERROR || attempt == 3)
      throw Error("cannot run " + argv[0] + ": " + win::error_message(error));
    Sleep(200 * attempt);
  }
  Handle process(pi.hProcess), thread(pi.hThread);
  in_read.reset();
  out_write.reset();
  err_write.reset();

  Result result;
  auto out_thread = drain(out_read.get(), result.out, options.max_output_bytes);
  auto err_thread = drain(err_read.get(), result.err, options.max_output_bytes);
  if (options.stdin_data) {
    DWORD written = 0;
    WriteFile(in_write.get(), options.stdin_data->data(), static_cast<DWORD>(options.stdin_data->size()), &written,
              nullptr);
  }
  in_write.reset();

  const DWORD wait_ms = options.timeout ? static_cast<DWORD>(options.timeout->count()) : INFINITE;
  if (WaitForSingleObject(process.get(), wait_ms) == WAIT_TIMEOUT) {
    TerminateProcess(process.get(), 1);
    WaitForSingleObject(process.get(), INFINITE);
    result.timed_out = true;
  }
  out_thread.join();
  err_thread.join();
  DWORD code = 0;
  GetExitCodeProcess(process.get(), &code);
  result.exit_code = result.timed_out ? -1 : static_cast<int>(code);
  return result;
}

std::filesystem::path current_executable() {
  std::wstring buffer(MAX_PATH, L'\0');
  for (;;) {
    const DWORD n = GetModuleFileNameW(nullptr, buffer.data(), static_cast<DWORD>(buffer.size()));
    if (n == 0) throw Error("cannot find the drvaudit program: " + win::error_message(GetLastError()));
    if (n < buffer.size()) {
      buffer.resize(n);
      return std::filesystem::path(buffer);
    }
    buffer.resize(buffer.size() * 2);  // truncated: a long path
  }
}

}  // namespace drvaudit::process
