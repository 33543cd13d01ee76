#include "updater/package_check.hpp"

#include <algorithm>
#include <fstream>
#include <map>
#include <optional>
#include <set>
#include <sstream>

#include "catalog/inf_document.hpp"
#include "catalog/signature_check.hpp"
#include "common/error.hpp"
#include "common/package_path.hpp"
#include "common/read_file.hpp"
#include "common/text.hpp"

namespace drvaudit::updater {

namespace {
// Section names for an architecture: the undecorated one and its .arch variant (as Windows reads
// [SourceDisksFiles] and [SourceDisksFiles.amd64] together).
std::vector<std::string> decorated(const std::string& base, const std::string& arch) {
  return {base, base + "." + arch};
}

std::string field(const inf::Line& line, std::size_t i, const inf::Document& doc) {
  if (i >= line.fields.size()) return {};
  const auto value = doc.substitute(line.fields[i]);
  return std::string(text::trim(value));
}

std::string join_path(const std::string& a, const std::string& b) {
  std::string x = a, y = b;
  std::replace(x.begin(), x.end(), '\\', '/');
  std::replace(y.begin(), y.end(), '\\', '/');
  while (!x.empty() && x.front() == '/') x.erase(0, 1);
  while (!y.empty() && y.front() == '/') y.erase(0, 1);
  if (x.empty()) return y;
  if (y.empty()) return x;
  return (x.back() == '/' ? x : x + "/") + y;
}

}  // namespace

// Windows finds package files case-insensitively; the stage or cache folder may be on Linux.
std::optional<std::filesystem::path> find_in_package(const std::filesystem::path& folder, const std::string& relative) {
  const auto clean = package_path::checked(relative, "package file");
  std::filesystem::path at = folder;
  for (const auto part : text::split(clean, '/')) {
    std::error_code ec;
    std::optional<std::filesystem::path> found;
    for (const auto& e : std::filesystem::directory_iterator(at, ec)) {
      if (text::iequals(e.path().filename().string(), part)) {
        found = e.path();
        break;
      }
    }
    if (!found) return std::nullopt;
    at = *found;
  }
  return at;
}
std::vector<std::string> package_files(const std::filesystem::path& inf, const std::string& arch) {
  const auto doc = inf::Document::parse(read_whole_file(inf));
  std::vector<std::string> files{package_path::checked(inf.filename().string(), "INF")};
  std::set<std::string> seen{text::to_lower(files.front())};
  // Every name passes the package path rule here, before any caller copies a byte: one bad entry
  // refuses the whole package.
  auto add_as = [&](const std::string& f, const char* what) {
    if (f.empty()) return;
    const auto clean = package_path::checked(f, what);
    if (seen.insert(text::to_lower(clean)).second) files.push_back(clean);
  };
  const std::string catalog_keys[] = {"CatalogFile", "CatalogFile.NT", "CatalogFile.NT" + arch};
  for (const auto& key : catalog_keys) {
    if (auto v = doc.value("Version", key)) add_as(std::string(text::trim(*v)), "[Version] CatalogFile entry");
  }
  std::map<std::string, std::string> disk_paths;  // disk id → path
  for (const auto& name : decorated("SourceDisksNames", arch)) {
    if (const auto* s = doc.section(name)) {
      for (const auto& line : s->lines) {
        if (line.key) disk_paths[std::string(text::trim(*line.key))] = field(line, 3, doc);
      }
    }
  }
  for (const auto& name : decorated("SourceDisksFiles", arch)) {
    const auto* s = doc.section(name);
    if (!s) continue;
    for (const auto& line : s->lines) {
      const auto key = line.key ? doc.substitute(*line.key) : std::string();
      const std::string file = line.key ? std::string(text::trim(key)) : field(line, 0, doc);
      if (file.empty()) continue;
      const std::string disk = line.key ? field(line, 0, doc) : field(line, 1, doc);
      const std::string subdir = line.key ? field(line, 1, doc) : field(line, 2, doc);
      const auto d = disk_paths.find(disk);
      // The disk's path is relative to the package's root, with or without a leading backslash, as
      // Windows reads [SourceDisksNames]; the file and its subdir are names within it: a root or a
      // drive in either is refused, never quietly made relative.
      package_path::checked(file, "[SourceDisksFiles] entry");
      if (!subdir.empty()) package_path::checked(subdir, "[SourceDisksFiles] subdir");
      add_as(join_path(join_path(d == disk_paths.end() ? "" : d->second, subdir), file), "[SourceDisksFiles] entry");
    }
  }
  return files;
}

PackageCheck check_package(const std::filesystem::path& inf_path, const PackageExpectation& expected) {
  PackageCheck out;
  std::string bytes;
  try {
    bytes = read_whole_file(inf_path);
  } catch (const Error& e) {
    out.problems.push_back(e.what());
    return out;
  }
  inf::DriverPackage package;
  try {
    package = inf::load_package(bytes, inf_path.filename().string());
  } catch (const std::exception& e) {
    out.problems.push_back(inf_path.filename().string() + " does not parse as an INF: " + e.what());
    return out;
  }
  const inf::ModelEntry* model = nullptr;
  for (const auto* m : package.models_for(expected.target)) {
    bool has = text::iequals(m->hardware_id, expected.hardware_id);
    for (const auto& c : m->compatible_ids) has = has || text::iequals(c, expected.hardware_id);
    if (has) {
      model = m;
      break;
    }
  }
  if (!model) {
    out.problems.push_back(inf_path.filename().string() + " lists " + expected.hardware_id +
                           " in no Models section that applies to " + expected.target.to_string());
  } else {
    out.section = model->ddinstall_section;
    out.version = model->driver_ver.version.to_string();
    out.date = model->driver_ver.date.to_iso();
    if (out.version != expected.version || (!expected.date.empty() && out.date != expected.date))
      out.problems.push_back("DriverVer is " + out.date + ", " + out.version + ", not the catalog's " + expected.date +
                             ", " + expected.version);
  }
  const auto folder = inf_path.parent_path();
  try {
    out.files = package_files(inf_path, expected.target.arch);
  } catch (const std::exception& e) {
    out.problems.push_back(std::string("cannot list the package's files: ") + e.what());
  }
  catalog::check_signatures(package, bytes, inf_path);
  std::set<std::string> catalogs;
  for (const auto& sig : package.signatures) catalogs.insert(text::to_lower(sig.catalog_file));
  std::vector<std::string> present;
  for (const auto& f : out.files) {
    const auto found = find_in_package(folder, f);
    if (found && std::filesystem::is_regular_file(*found)) {
      present.push_back(std::filesystem::relative(*found, folder).generic_string());  // as the package spells it
    } else if (!catalogs.count(text::to_lower(f))) {
      // A missing catalog is a signature matter (catalog_missing), not a missing file.
      out.problems.push_back("the package lacks " + f + ", which its INF names");
    }
  }
  out.files = std::move(present);
  if (const auto* sig = package.signature_for(expected.target.arch)) out.signature = *sig;
  out.signature_trusted = out.signature.status == inf::SignatureStatus::signed_by_catalog &&
                          out.signature.chain == inf::ChainStatus::verified;
  out.signature_text = std::string(inf::signature_status_name(out.signature.status));
  if (out.signature.status == inf::SignatureStatus::signed_by_catalog)
    out.signature_text +=
        out.signature.chain == inf::ChainStatus::verified
            ? " by " + (out.signature.signer.empty() ? std::string("a trusted signer") : out.signature.signer)
            : " (catalog membership only; the signer's chain is " +
                  std::string(inf::chain_status_name(out.signature.chain)) + " here)";
  out.ok = out.problems.empty();
  return out;
}

}  // namespace drvaudit::updater
