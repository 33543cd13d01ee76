#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>
#include "common/arch.hpp"

// The Windows a catalog is evaluated for, and the TargetOSVersion decorations of [Manufacturer]
// (combining-platform-extensions-with-operating-system-versions.md, inf-manufacturer-section.md).
namespace drvaudit::inf {

enum class ProductType : std::uint8_t { workstation = 1, domain_controller = 2, server = 3 };
std::string_view product_type_name(ProductType p);  // "workstation", "domain-controller", "server"
// "workstation", "server", "domain-controller" (also "dc", "1".."3"); nullopt for anything else.
std::optional<ProductType> parse_product_type(std::string_view text);

struct TargetOs {
  std::string arch = "amd64";  // x86, amd64, arm, arm64, ia64
  int major = 10;
  int minor = 0;
  int build = 22631;
  ProductType product_type = ProductType::workstation;
  std::uint32_t suite_mask = 0;  // VER_SUITE_* bits of the machine; 0 = none known

  // "10.0.22631" (build optional) and an architecture (amd64, x64 and x86_64 are one); throws
  // UsageError on bad text.
  static TargetOs parse(std::string_view version, std::string_view arch);
  std::string to_string() const;  // "10.0.22631 amd64", with " server" for a non-workstation
  friend bool operator==(const TargetOs&, const TargetOs&) = default;
};

using drvaudit::canonical_arch;  // common/arch.hpp

// NT[Arch][.Major[.Minor[.ProductType[.SuiteMask[.BuildNumber]]]]]
struct Decoration {
  std::string arch;  // lower case; "" when none
  std::optional<int> major, minor, product_type, build;
  std::optional<std::uint32_t> suite_mask;
};
// nullopt when the text is not an NT decoration.
std::optional<Decoration> parse_decoration(std::string_view text);

// Whether one decoration is usable on the target at all: its architecture (an architecture-less
// decoration serves x86 only, since Windows Server 2003 SP1), its OS version and build, product
// type and suite.
bool applies(const Decoration& d, const TargetOs& target);

// The architecture a Models section can serve: its decoration's, or x86 for an architecture-less
// or undecorated one.
std::string section_arch(std::string_view decoration);

// Which Models section one [Manufacturer] line gives the target, the way Windows chooses it: among
// the decorations that apply, an explicit architecture beats none, then the highest OS version (a
// build counts at that exact version only), then a product type, then a suite mask; with none, the
// undecorated section on x86. Returns the chosen decoration as written ("" for the undecorated
// section), or nullopt when the line gives this target nothing.
std::optional<std::string> choose_decoration(const std::vector<std::string>& decorations, const TargetOs& target);

// Whether the Models section with this decoration (serving `arch`) is the one its [Manufacturer] line,
// with these decorations, gives the target. The one statement of the rule for parsed and stored lines.
bool section_applies(std::string_view arch, std::string_view decoration,
                     const std::vector<std::string>& line_decorations, const TargetOs& target);

// The install-section extension Windows tries first for an architecture: ".ntamd64", ".ntx86", …
const char* platform_extension(std::string_view arch);
// The CatalogFile key for an architecture: "CatalogFile.ntamd64", …
std::string catalog_file_key(std::string_view arch);

}  // namespace drvaudit::inf
