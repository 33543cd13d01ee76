#include "catalog/target_os.hpp"

#include "common/error.hpp"
#include "common/text.hpp"

namespace drvaudit::inf {

namespace {
constexpr std::string_view kArchitectures[] = {"amd64", "arm64", "ia64", "x86", "arm"};

bool known_arch(std::string_view arch) {
  for (auto a : kArchitectures) {
    if (a == arch) return true;
  }
  return false;
}
}  // namespace

TargetOs TargetOs::parse(std::string_view version, std::string_view arch) {
  TargetOs t;
  const auto parts = text::split(text::trim(version), '.');
  auto number = [&](std::size_t i) {
    const auto v = text::parse_decimal(parts[i], 1000000);
    if (!v)
      throw UsageError("invalid target OS version '" + std::string(version) +
                       "': expected MAJOR.MINOR[.BUILD], e.g. 10.0.22631");
    return static_cast<int>(*v);
  };
  if (parts.size() < 2 || parts.size() > 3) {
    throw UsageError("invalid target OS version '" + std::string(version) +
                     "': expected MAJOR.MINOR[.BUILD], e.g. 10.0.22631");
  }
  t.major = number(0);
  t.minor = number(1);
  t.build = parts.size() == 3 ? number(2) : 0;
  t.arch = text::to_lower(text::trim(arch));
  if (!known_arch(t.arch))
    throw UsageError("unknown architecture '" + std::string(arch) + "': use x86, amd64, arm, arm64 or ia64");
  return t;
}

std::string TargetOs::to_string() const {
  return std::to_string(major) + "." + std::to_string(minor) + "." + std::to_string(build) + " " + arch;
}

std::optional<Decoration> parse_decoration(std::string_view text_in) {
  const auto s = text::to_lower(text::trim(text_in));
  if (s.rfind("nt", 0) != 0) return std::nullopt;
  const auto parts = text::split(std::string_view(s).substr(2), '.');
  Decoration d;
  d.arch = std::string(parts[0]);
  if (!d.arch.empty() && !known_arch(d.arch)) return std::nullopt;
  auto field = [&](std::size_t i) -> std::optional<int> {
    if (i >= parts.size() || parts[i].empty()) return std::nullopt;
    if (auto v = text::parse_decimal(parts[i], 1000000)) return static_cast<int>(*v);
    if (auto h = text::parse_hex(parts[i], 1000000); h && text::istarts_with(parts[i], "0x"))
      return static_cast<int>(*h);
    return std::nullopt;
  };
  if (parts.size() > 6) return std::nullopt;
  d.major = field(1);
  d.minor = field(2);
  d.product_type = field(3);
  if (parts.size() > 4 && !parts[4].empty()) d.suite_mask = text::parse_hex(parts[4]);
  d.build = field(5);
  return d;
}

bool applies(const Decoration& d, const TargetOs& t) {
  if (!d.arch.empty() && d.arch != t.arch) return false;
  const int major = d.major.value_or(0), minor = d.minor.value_or(0);
  if (major > t.major || (major == t.major && minor > t.minor)) return false;
  // A build number counts only when major.minor equal the OS version exactly.
  if (d.build && major == t.major && minor == t.minor && *d.build > t.build) return false;
  if (d.product_type && *d.product_type != t.product_type) return false;
  return true;
}

const char* platform_extension(const TargetOs& t) {
  if (t.arch == "amd64") return ".ntamd64";
  if (t.arch == "arm64") return ".ntarm64";
  if (t.arch == "x86") return ".ntx86";
  if (t.arch == "arm") return ".ntarm";
  return ".ntia64";
}

}  // namespace drvaudit::inf
