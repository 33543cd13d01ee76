#include "catalog/target_os.hpp"

#include <tuple>

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

[[noreturn]] void bad_version(std::string_view version) {
  throw UsageError("invalid target OS version '" + std::string(version) +
                   "': expected MAJOR.MINOR[.BUILD], e.g. 10.0.22631");
}
}  // namespace

std::string_view product_type_name(ProductType p) {
  switch (p) {
    case ProductType::workstation: return "workstation";
    case ProductType::domain_controller: return "domain-controller";
    case ProductType::server: return "server";
  }
  return "workstation";
}

std::optional<ProductType> parse_product_type(std::string_view text_in) {
  const auto s = text::to_lower(text::trim(text_in));
  if (s == "workstation" || s == "1") return ProductType::workstation;
  if (s == "domain-controller" || s == "domain_controller" || s == "dc" || s == "2")
    return ProductType::domain_controller;
  if (s == "server" || s == "3") return ProductType::server;
  return std::nullopt;
}

TargetOs TargetOs::parse(std::string_view version, std::string_view arch) {
  TargetOs t;
  const auto parts = text::split(text::trim(version), '.');
  if (parts.size() < 2 || parts.size() > 3) bad_version(version);
  auto number = [&](std::size_t i) {
    const auto v = text::parse_decimal(parts[i], 1000000);
    if (!v) bad_version(version);
    return static_cast<int>(*v);
  };
  t.major = number(0);
  t.minor = number(1);
  t.build = parts.size() == 3 ? number(2) : 0;
  const auto canonical = canonical_arch(arch);
  if (!canonical)
    throw UsageError("unknown architecture '" + std::string(arch) + "': use x86, amd64 (x64), arm, arm64 or ia64");
  t.arch = *canonical;
  return t;
}

std::string TargetOs::to_string() const {
  std::string out = std::to_string(major) + "." + std::to_string(minor) + "." + std::to_string(build) + " " + arch;
  if (product_type != ProductType::workstation) out += " " + std::string(product_type_name(product_type));
  return out;
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
  if (d.arch.empty() ? t.arch != "x86" : d.arch != t.arch) return false;
  const int major = d.major.value_or(0), minor = d.minor.value_or(0);
  if (major > t.major || (major == t.major && minor > t.minor)) return false;
  // A build number counts only when major.minor equal the OS version exactly.
  if (d.build && major == t.major && minor == t.minor && *d.build > t.build) return false;
  if (d.product_type && *d.product_type != static_cast<int>(t.product_type)) return false;
  if (d.suite_mask && (*d.suite_mask & t.suite_mask) != *d.suite_mask) return false;
  return true;
}

std::string section_arch(std::string_view decoration) {
  if (decoration.empty()) return "x86";
  const auto d = parse_decoration(decoration);
  return d && !d->arch.empty() ? d->arch : "x86";
}

std::optional<std::string> choose_decoration(const std::vector<std::string>& decorations, const TargetOs& target) {
  const std::string* best = nullptr;
  std::tuple<int, int, int, int, int, int> best_key{-1, -1, -1, -1, -1, -1};
  for (const auto& written : decorations) {
    const auto d = parse_decoration(written);
    if (!d || !applies(*d, target)) continue;
    const int major = d->major.value_or(0), minor = d->minor.value_or(0);
    const int build = (major == target.major && minor == target.minor) ? d->build.value_or(0) : 0;
    const std::tuple<int, int, int, int, int, int> key{
        d->arch.empty() ? 0 : 1, major, minor, build, d->product_type ? 1 : 0, d->suite_mask ? 1 : 0};
    // Ties keep the first listed: Windows reads the line left to right.
    if (key > best_key) {
      best_key = key;
      best = &written;
    }
  }
  if (best) return *best;
  if (target.arch == "x86") return std::string();
  return std::nullopt;
}

bool section_applies(std::string_view arch, std::string_view decoration,
                     const std::vector<std::string>& line_decorations, const TargetOs& target) {
  if (arch != target.arch) return false;
  const auto chosen = choose_decoration(line_decorations, target);
  return chosen && text::iequals(*chosen, decoration);
}

const char* platform_extension(std::string_view arch) {
  if (arch == "amd64") return ".ntamd64";
  if (arch == "arm64") return ".ntarm64";
  if (arch == "x86") return ".ntx86";
  if (arch == "arm") return ".ntarm";
  return ".ntia64";
}

std::string catalog_file_key(std::string_view arch) { return std::string("CatalogFile") + platform_extension(arch); }

}  // namespace drvaudit::inf
