#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

// A stage folder: verified, extracted packages for a Windows machine prepared elsewhere (IT staff
// on Linux, for an offline PC). DIR/manifest.json holds the plan and every file's size and
// SHA-256; it is written last and atomically, so a folder without one is an unfinished staging run.
// `update --from-stage DIR` copies every file into the private package cache, verifying each
// against the manifest as it is copied, and installs from there (PackageCache::from_stage).
namespace drvaudit::updater {

inline constexpr const char* kStageSchema = "drvaudit-stage/1";

struct StagedFile {
  std::string path;  // relative to the package's folder, '/'-separated
  std::int64_t size = 0;
  std::string sha256;
};

struct StagedPackage {
  std::string instance_id, device, verdict;
  std::string hardware_id;  // the ID the INF matches
  std::string folder;       // relative to DIR
  std::string inf;          // relative to folder
  std::string section, version, date;
  std::string signature;  // in words, as checked when staged
  std::string origin;     // the catalog source it came from
  bool force = false;
  std::vector<StagedFile> files;
};

struct StageManifest {
  std::string machine, os_version, arch, created_at, tool_version;
  std::vector<StagedPackage> packages;
};

nlohmann::ordered_json to_json(const StageManifest& manifest);
// Throws ParseError naming the problem.
StageManifest read_manifest(const std::filesystem::path& dir);
void write_manifest(const std::filesystem::path& dir, const StageManifest& manifest);

// Copies a checked package's files into DIR/<folder> (each file written whole, then renamed) and
// records their digests.
std::vector<StagedFile> stage_files(const std::filesystem::path& from, const std::vector<std::string>& files,
                                    const std::filesystem::path& to);

}  // namespace drvaudit::updater
