#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "catalog/inf_document.hpp"
#include "catalog/signature.hpp"
#include "catalog/target_os.hpp"
#include "common/driver_date.hpp"
#include "common/driver_version.hpp"
#include "common/error.hpp"

// A driver package as Windows sees it: [Version], and every Models section of every [Manufacturer]
// line with its decoration, so that one parse serves every target OS; for each Models line the
// install section Windows would use on the architecture its section serves (DESIGN.md §4).
namespace drvaudit::inf {

class NotAnInf : public ParseError {
 public:
  using ParseError::ParseError;
};

// What one INF may give: LINE_LEN for names; a few compatible IDs and decorations per line; and a
// budget for all its Models lines together (bytes), beyond which the rest is ignored with a diagnostic.
inline constexpr std::size_t kLineLength = 256;
inline constexpr std::size_t kMaxCompatibleIds = 64;
inline constexpr std::size_t kMaxDecorations = 32;
inline constexpr std::size_t kModelsBudgetBase = 16u << 20;  // plus 2× the INF's size

struct DriverVer {
  DriverDate date;
  DriverVersion version;
};

struct ModelEntry {
  std::string manufacturer;
  int manufacturer_line = 0;                  // the [Manufacturer] line that names its section
  std::string models_section;                 // the section's name as the INF writes it
  std::string decoration;                     // "NTamd64.10.0...22000"; "" for the undecorated section
  std::vector<std::string> line_decorations;  // every decoration of that [Manufacturer] line
  std::string arch;                           // the one architecture the section serves (x86 when it names none)
  std::string description;
  std::string install_section;    // as written on the Models line
  std::string ddinstall_section;  // the one Windows uses: name.NTamd64, name.NT or name
  bool nt_extension = false;      // ddinstall_section has a .nt* extension (matters for unsigned ranks)
  std::string hardware_id;        // may be empty
  std::vector<std::string> compatible_ids;
  std::uint8_t feature_score = 0xFF;
  DriverVer driver_ver;  // the DDInstall section's DriverVer, else [Version]'s
  int line = 0;
};

struct DriverPackage {
  std::string inf_name;  // file name, e.g. qemupciserial.inf
  std::string provider;
  std::string class_name;
  std::string class_guid;
  std::vector<SignatureInfo> signatures;  // one per architecture its Models sections serve
  DriverVer driver_ver;
  bool has_driver_ver = false;
  std::vector<ModelEntry> models;
  std::vector<Diagnostic> diagnostics;
  // Set for build templates (.inx, unexpanded $ARCH$, stampinf placeholders): not installable as is.
  std::optional<std::string> template_reason;

  const SignatureInfo* signature_for(std::string_view arch) const;
  // The Models lines Windows would consider on the target, in INF order.
  std::vector<const ModelEntry*> models_for(const TargetOs& target) const;
};

// Whether the line's Models section is the one its [Manufacturer] line gives the target.
bool applies_to(const ModelEntry& entry, const TargetOs& target);

// Throws NotAnInf when the bytes have no [Version] section with a valid Signature. Signature
// statuses are `unsigned` or `not_checked`: checking needs the package's files (signature_check).
DriverPackage load_package(std::string_view bytes, std::string inf_name, std::uint16_t language = 0x0409);

// DriverVer text "mm/dd/yyyy[,w.x.y.z]" with real-world quirks; problems go to diagnostics.
DriverVer parse_driver_ver(const std::vector<std::string>& fields, std::vector<std::string>& problems);

}  // namespace drvaudit::inf
