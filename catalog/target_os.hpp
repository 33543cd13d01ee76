#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

// The Windows a catalog is evaluated for, and the TargetOSVersion decorations of [Manufacturer]
// (combining-platform-extensions-with-operating-system-versions.md).
namespace drvaudit::inf {

struct TargetOs {
  std::string arch = "amd64";  // x86, amd64, arm, arm64, ia64
  int major = 10;
  int minor = 0;
  int build = 22631;
  int product_type = 1;  // 1 workstation, 2 domain controller, 3 server

  // "10.0.22631" (build optional) and an architecture; throws UsageError on bad text.
  static TargetOs parse(std::string_view version, std::string_view arch);
  std::string to_string() const;  // "10.0.22631 amd64"
  friend bool operator==(const TargetOs&, const TargetOs&) = default;
};

// NT[Arch][.Major[.Minor[.ProductType[.SuiteMask[.BuildNumber]]]]]
struct Decoration {
  std::string arch;  // lower case; "" when none
  std::optional<int> major, minor, product_type, build;
  std::optional<std::uint32_t> suite_mask;
};
// nullopt when the text is not an NT decoration.
std::optional<Decoration> parse_decoration(std::string_view text);

// Whether the decoration applies to the target (architecture, version, build, product type).
bool applies(const Decoration& d, const TargetOs& target);

// The install-section extensions Windows tries for the target, most specific first: ".NTamd64", ".NT", "".
const char* platform_extension(const TargetOs& target);

}  // namespace drvaudit::inf
