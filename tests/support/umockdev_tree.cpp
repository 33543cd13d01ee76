#include "tests/support/umockdev_tree.hpp"

#include <fstream>
#include <stdexcept>
#include <string>

#include "common/text.hpp"
#include "tests/support/temp_dir.hpp"

namespace drvaudit::test {

namespace fs = std::filesystem;

namespace {
// umockdev escapes attribute text: "\n" for newlines and "\\" for a backslash.
std::string unescape(std::string_view s) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '\\' && i + 1 < s.size()) {
      const char n = s[++i];
      out += n == 'n' ? '\n' : n;
    } else {
      out += s[i];
    }
  }
  return out;
}

std::string from_hex(std::string_view hex) {
  std::string out;
  for (std::size_t i = 0; i + 1 < hex.size(); i += 2) {
    out += static_cast<char>(*text::parse_hex(hex.substr(i, 2), 0xFF));
  }
  return out;
}
}  // namespace

fs::path materialise_umockdev(const fs::path& recording, const fs::path& dest) {
  std::ifstream in(recording);
  if (!in) throw std::runtime_error("cannot read " + recording.string());
  fs::path device;
  std::string uevent;
  auto flush = [&] {
    if (!device.empty()) write_file(device / "uevent", uevent);
    uevent.clear();
  };
  std::string line;
  while (std::getline(in, line)) {
    if (line.size() < 3 || line[1] != ':') continue;
    const char kind = line[0];
    const std::string_view rest = std::string_view(line).substr(3);
    if (kind == 'P') {
      flush();
      device = dest / fs::path(std::string(rest)).relative_path();
      fs::create_directories(device);
      continue;
    }
    if (device.empty()) continue;
    const auto eq = rest.find('=');
    const std::string key(rest.substr(0, eq));
    const std::string_view value = eq == std::string_view::npos ? std::string_view() : rest.substr(eq + 1);
    switch (kind) {
      case 'E': uevent += std::string(rest) + "\n"; break;
      case 'A': write_file(device / key, unescape(value)); break;
      case 'H': write_file(device / key, from_hex(value)); break;
      case 'L': {
        fs::create_directories((device / key).parent_path());
        std::error_code ignored;
        fs::remove(device / key, ignored);
        fs::create_symlink(std::string(value), device / key);
        break;
      }
      default: break;  // N: and S: describe /dev nodes, not sysfs
    }
  }
  flush();
  return dest;
}

}  // namespace drvaudit::test
