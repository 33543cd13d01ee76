#include "updater/stage.hpp"

#include <fstream>
#include <random>
#include <sstream>

#include "common/atomic_file.hpp"
#include "common/error.hpp"
#include "common/hash.hpp"
#include "common/json_error.hpp"
#include "common/package_file.hpp"
#include "common/package_path.hpp"
#include "common/read_file.hpp"
#include "common/text.hpp"

namespace drvaudit::updater {

namespace {
// A manifest path may only point inside the stage folder: the package path rule.
std::filesystem::path inside(const std::filesystem::path& dir, const std::string& relative) {
  try {
    return dir / std::filesystem::u8path(package_path::checked(relative, "path"));
  } catch (const Error& e) {
    throw ParseError(std::string("manifest.json: ") + e.what());
  }
}
}  // namespace

nlohmann::ordered_json to_json(const StageManifest& m) {
  nlohmann::ordered_json doc{{"schema", kStageSchema},
                             {"machine", m.machine},
                             {"os_version", m.os_version},
                             {"arch", m.arch},
                             {"created_at", m.created_at},
                             {"tool_version", m.tool_version},
                             {"packages", nlohmann::ordered_json::array()}};
  for (const auto& p : m.packages) {
    nlohmann::ordered_json files = nlohmann::ordered_json::array();
    for (const auto& f : p.files) files.push_back({{"path", f.path}, {"size", f.size}, {"sha256", f.sha256}});
    doc["packages"].push_back({{"instance_id", p.instance_id},
                               {"device", p.device},
                               {"verdict", p.verdict},
                               {"hardware_id", p.hardware_id},
                               {"folder", p.folder},
                               {"inf", p.inf},
                               {"section", p.section},
                               {"version", p.version},
                               {"date", p.date},
                               {"signature", p.signature},
                               {"origin", p.origin},
                               {"force", p.force},
                               {"files", files}});
  }
  return doc;
}

StageManifest read_manifest(const std::filesystem::path& dir) {
  const auto file = dir / "manifest.json";
  if (!std::filesystem::is_regular_file(file))
    throw Error(dir.string() + " has no manifest.json: it is not a stage folder, or its staging run did not finish");
  nlohmann::json doc;
  try {
    doc = nlohmann::json::parse(read_whole_file(file));
  } catch (const nlohmann::json::exception& e) {
    throw ParseError(file.string() + ": " + json_error_text(e.what()));
  }
  if (!doc.is_object() || doc.value("schema", "") != kStageSchema)
    throw ParseError(file.string() + ": not a " + std::string(kStageSchema) + " manifest");
  StageManifest m;
  try {
    m.machine = doc.value("machine", "");
    m.os_version = doc.value("os_version", "");
    m.arch = doc.value("arch", "");
    m.created_at = doc.value("created_at", "");
    m.tool_version = doc.value("tool_version", "");
    for (const auto& p : doc.at("packages")) {
      StagedPackage s;
      s.instance_id = p.at("instance_id").get<std::string>();
      s.device = p.value("device", "");
      s.verdict = p.value("verdict", "");
      s.hardware_id = p.at("hardware_id").get<std::string>();
      s.folder = p.at("folder").get<std::string>();
      s.inf = p.at("inf").get<std::string>();
      s.section = p.at("section").get<std::string>();
      s.version = p.at("version").get<std::string>();
      s.date = p.value("date", "");
      s.signature = p.value("signature", "");
      s.origin = p.value("origin", "");
      s.force = p.value("force", false);
      for (const auto& f : p.at("files"))
        s.files.push_back(
            {f.at("path").get<std::string>(), f.at("size").get<std::int64_t>(), f.at("sha256").get<std::string>()});
      inside(dir, s.folder);
      for (const auto& f : s.files) inside(dir / s.folder, f.path);
      inside(dir / s.folder, s.inf);
      m.packages.push_back(std::move(s));
    }
  } catch (const nlohmann::json::exception& e) {
    throw ParseError(file.string() + ": " + json_error_text(e.what()));
  }
  return m;
}

void write_manifest(const std::filesystem::path& dir, const StageManifest& manifest) {
  write_file_atomically(dir / "manifest.json", to_json(manifest).dump(2) + "\n");
}

std::vector<StagedFile> stage_files(const std::filesystem::path& from, const std::vector<std::string>& files,
                                    const std::filesystem::path& to) {
  std::vector<StagedFile> out;
  std::random_device random;
  for (const auto& f : files) {
    const auto target = inside(to, f);
    make_folders(target.parent_path(), kModeFolder);
    // Written to a new file of its own (never through a link planted in a shared stage folder), then renamed.
    const auto partial =
        target.parent_path() / ("." + target.filename().string() + ".partial" + std::to_string(random()));
    const auto copied = package_file::copy_out(from, f, partial);
    if (!copied) throw Error("cannot stage " + f + ": it is gone from " + from.string());
    std::filesystem::rename(partial, target);
    out.push_back({f, copied->size, copied->sha256});
  }
  return out;
}

}  // namespace drvaudit::updater
