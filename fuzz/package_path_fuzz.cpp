// libFuzzer target: any bytes as a path a package names (issue 24). The rule either refuses it with
// drvaudit::Error or returns a name that cannot leave the package folder: relative, '/'-separated,
// no "..", ".", empty part, drive, stream, control character, device name or trailing dot/space,
// and checking the result again gives the result.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "common/error.hpp"
#include "common/package_path.hpp"
#include "common/text.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace drvaudit;
  const std::string name(reinterpret_cast<const char*>(data), size);
  std::string clean;
  try {
    clean = package_path::checked(name, "entry");
  } catch (const Error&) {
    return 0;
  }
  if (clean.empty() || clean.front() == '/' || clean.back() == '/') std::abort();
  for (const unsigned char c : clean) {
    if (c < 0x20 || c == 0x7F || c == '\\' || c == ':' || c == '*' || c == '?' || c == '"' || c == '<' || c == '>' ||
        c == '|')
      std::abort();
  }
  for (const auto part : text::split(clean, '/')) {
    if (part.empty() || part == "." || part == ".." || part.back() == '.' || part.back() == ' ') std::abort();
    if (package_path::is_device_name(part)) std::abort();
  }
  if (package_path::checked(clean, "entry") != clean) std::abort();
  return 0;
}
