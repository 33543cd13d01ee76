#include "common/package_path.hpp"

#include <array>

#include "common/error.hpp"
#include "common/text.hpp"

namespace drvaudit::package_path {

namespace {
constexpr std::size_t kMaxPart = 255, kMaxName = 1024, kMaxDepth = 32;

[[noreturn]] void refuse(std::string_view name, std::string_view what, const std::string& why) {
  throw Error(std::string(what) + " '" + text::escape_control(name) + "' " + why);
}

bool forbidden_char(unsigned char c) {
  return c < 0x20 || c == 0x7F || c == '<' || c == '>' || c == ':' || c == '"' || c == '|' || c == '?' || c == '*';
}
}  // namespace

bool is_device_name(std::string_view part) {
  // Windows maps these names to devices in every folder, whatever follows the first dot and
  // whatever trailing spaces precede it ("nul .txt" is NUL too).
  auto base = part.substr(0, part.find('.'));
  while (!base.empty() && base.back() == ' ') base.remove_suffix(1);
  const std::string upper = text::to_upper(base);
  static constexpr std::array<std::string_view, 6> kPlain = {"CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$"};
  for (const auto n : kPlain) {
    if (upper == n) return true;
  }
  if (upper.size() == 4 && (upper.starts_with("COM") || upper.starts_with("LPT")) && upper[3] >= '0' && upper[3] <= '9')
    return true;
  // COM¹ COM² COM³ (and LPT) are devices too: the superscript digits in UTF-8.
  if (upper.size() == 5 && (upper.starts_with("COM") || upper.starts_with("LPT"))) {
    const auto tail = upper.substr(3);
    if (tail == "\xC2\xB9" || tail == "\xC2\xB2" || tail == "\xC2\xB3") return true;
  }
  return false;
}

std::string checked(std::string_view name, std::string_view what) {
  if (name.empty()) refuse(name, what, "is empty");
  if (name.size() > kMaxName) refuse(name, what, "is longer than " + std::to_string(kMaxName) + " bytes");
  std::string slashed(name);
  for (auto& c : slashed) {
    if (c == '\\') c = '/';
  }
  if (slashed.front() == '/') refuse(name, what, "is an absolute path (it must be relative to the package folder)");
  if (slashed.size() > 1 && slashed[1] == ':' &&
      ((slashed[0] >= 'A' && slashed[0] <= 'Z') || (slashed[0] >= 'a' && slashed[0] <= 'z')))
    refuse(name, what, "is an absolute path on a drive (it must be relative to the package folder)");
  std::string out;
  std::size_t depth = 0;
  for (const auto part : text::split(slashed, '/')) {
    if (part.empty() || part == ".") continue;
    if (part == "..") refuse(name, what, "climbs out of the package folder with ..");
    if (part.size() > kMaxPart) refuse(name, what, "has a part longer than " + std::to_string(kMaxPart) + " bytes");
    for (const unsigned char c : part) {
      if (forbidden_char(c))
        refuse(name, what,
               c == ':' ? "has a ':' (a drive or an alternate data stream)"
                        : "has a character Windows forbids in file names");
    }
    if (part.back() == '.' || part.back() == ' ')
      refuse(name, what, "has a part ending in a dot or a space (Windows strips them, so it names another file)");
    if (is_device_name(part)) refuse(name, what, "names a device Windows reserves (" + std::string(part) + ")");
    if (++depth > kMaxDepth) refuse(name, what, "is deeper than " + std::to_string(kMaxDepth) + " folders");
    if (!out.empty()) out += '/';
    out += part;
  }
  if (out.empty()) refuse(name, what, "names no file");
  return out;
}

}  // namespace drvaudit::package_path
