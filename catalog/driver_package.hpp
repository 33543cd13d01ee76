#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "catalog/inf_document.hpp"
#include "catalog/target_os.hpp"
#include "common/driver_date.hpp"
#include "common/driver_version.hpp"
#include "common/error.hpp"

// A driver package as Windows sees it for one target OS: [Version], the Models lines that apply,
// and for each line the install section Windows would use (DESIGN.md §4).
namespace drvaudit::inf {

class NotAnInf : public ParseError {
 public:
  using ParseError::ParseError;
};

struct DriverVer {
  DriverDate date;
  DriverVersion version;
};

struct ModelEntry {
  std::string manufacturer;
  std::string models_section;  // the decorated section chosen for the target
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
  std::string catalog_file;  // for the target's architecture; "" = unsigned
  DriverVer driver_ver;
  bool has_driver_ver = false;
  std::vector<ModelEntry> models;
  std::vector<Diagnostic> diagnostics;
  // Set for build templates (.inx, unexpanded $ARCH$, stampinf placeholders): not installable as is.
  std::optional<std::string> template_reason;

  bool is_signed() const { return !catalog_file.empty(); }
};

// Throws NotAnInf when the bytes have no [Version] section with a valid Signature.
DriverPackage load_package(std::string_view bytes, std::string inf_name, const TargetOs& target,
                           std::uint16_t language = 0x0409);

// DriverVer text "mm/dd/yyyy[,w.x.y.z]" with real-world quirks; problems go to diagnostics.
DriverVer parse_driver_ver(const std::vector<std::string>& fields, std::vector<std::string>& problems);

}  // namespace drvaudit::inf
