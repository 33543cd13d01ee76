#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "catalog/driver_package.hpp"
#include "catalog/target_os.hpp"

// What a package must prove before it is installed (or staged): its INF parses, still lists the
// device's ID in a Models section that applies to the machine, has the DriverVer the catalog
// promised, every file its SourceDisksFiles names is present, and its catalog lists the INF.
namespace drvaudit::updater {

struct PackageExpectation {
  std::string hardware_id;  // the ID the catalog's Models line matched
  std::string version;      // the catalog's DriverVer version, four fields
  std::string date;         // the catalog's DriverVer date, yyyy-mm-dd
  inf::TargetOs target;
};

struct PackageCheck {
  bool ok = false;  // every check passed except, perhaps, the signature
  std::vector<std::string> problems;
  std::string section;             // the DDInstall section for the ID
  std::string version, date;       // the INF's DriverVer
  inf::SignatureInfo signature;    // for the target's architecture
  bool signature_trusted = false;  // signed, and its chain verified where the platform can
  std::string signature_text;      // in words, for the plan
  std::vector<std::string> files;  // the package's files, relative to the INF's folder (INF and catalog included)
};

PackageCheck check_package(const std::filesystem::path& inf, const PackageExpectation& expected);

// A file of a package by its relative path ('/'-separated), each part matched case-insensitively
// as Windows does (the package may be on Linux); nullopt when absent. A name the package path rule
// refuses throws drvaudit::Error.
std::optional<std::filesystem::path> find_in_package(const std::filesystem::path& folder, const std::string& relative);

// The files an INF's package consists of (the INF, its CatalogFile entries, every SourceDisksFiles
// entry for the architecture), relative to its folder, whether or not they exist. Each passed the
// package path rule (common/package_path.hpp); a name that breaks it throws drvaudit::Error, so a
// package with one bad name is refused before anything is copied.
std::vector<std::string> package_files(const std::filesystem::path& inf, const std::string& arch);

}  // namespace drvaudit::updater
