#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>

// Reading a file that someone else wrote into a shared folder (a fleet's weekly reports) without
// letting it exhaust or hang drvaudit: it is opened once, never through a symbolic link or
// junction, must be a regular file (a FIFO would block for ever, /dev/zero never ends), is refused
// above max_bytes by its size before a byte is read (a sparse 50 GB file costs nothing), is read
// at most max_bytes + 1 (a file that grows is refused too), and within the deadline.
// Platform code: common/linux/bounded_read_posix.cpp, common/windows/bounded_read_windows.cpp.
namespace drvaudit {

struct ReadBounds {
  std::uint64_t max_bytes = 64ull << 20;
  std::chrono::milliseconds deadline{30'000};
  const char* limit_option = nullptr;  // named in the message: "--max-report-size"
};

// "the 67108864-byte limit (--max-report-size)", for the messages of both platforms.
inline std::string limit_text(const ReadBounds& b) {
  return "the " + std::to_string(b.max_bytes) + "-byte limit" +
         (b.limit_option ? std::string(" (") + b.limit_option + ")" : std::string());
}

// Throws drvaudit::Error naming the file and the rule it breaks.
std::string read_bounded_file(const std::filesystem::path& file, const ReadBounds& bounds);

// The part both platforms share, once a file is open and checked: reads it through read_some
// (bytes read into the buffer, 0 at the end; it throws on an error) from its size on disk, refusing
// growth past the limit and a read past the deadline. common/bounded_read.cpp.
std::string read_within_bounds(const std::string& name, std::uint64_t size, const ReadBounds& bounds,
                               const std::function<std::size_t(char* buffer, std::size_t capacity)>& read_some);

}  // namespace drvaudit
