#include "common/arch.hpp"

#include "common/text.hpp"

namespace drvaudit {

std::optional<std::string> canonical_arch(std::string_view text_in) {
  const auto s = text::to_lower(text::trim(text_in));
  if (s == "amd64" || s == "x64" || s == "x86_64" || s == "x86-64") return "amd64";
  if (s == "x86" || s == "i386" || s == "i486" || s == "i586" || s == "i686") return "x86";
  if (s == "arm64" || s == "aarch64") return "arm64";
  if (s == "arm" || s == "armv7l" || s == "armhf") return "arm";
  if (s == "ia64") return "ia64";
  return std::nullopt;
}

std::string arch_shown(std::string_view text) { return canonical_arch(text).value_or(std::string(text)); }

}  // namespace drvaudit
