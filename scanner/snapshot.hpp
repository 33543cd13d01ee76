#pragma once

#include <filesystem>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "scanner/inventory.hpp"

// Snapshots: the device model as versioned JSON (docs/snapshot-format.md, data/snapshot.schema.json).
// Any scan can be saved and replayed on any machine.
namespace drvaudit::snapshot {

inline constexpr std::string_view kSchema = "drvaudit-snapshot/1";

nlohmann::ordered_json to_json(const Inventory& inventory);
nlohmann::ordered_json device_to_json(const Device& device);

// Throws ParseError naming `origin` and the JSON path of the first problem.
Inventory from_json(const nlohmann::json& document, const std::string& origin);
// Parses text; a syntax error is reported with its byte offset.
// Snapshots larger than this are refused before they are read (memory stays a few times this).
inline constexpr std::size_t kMaxSnapshotBytes = 64u << 20;
// And more devices than this (a machine has a few hundred): tiny devices cost more memory per byte.
inline constexpr std::size_t kMaxSnapshotDevices = 100'000;
Inventory parse(std::string_view text, const std::string& origin);

Inventory load(const std::filesystem::path& file);
// Written to a temporary file next to the target and renamed over it, so a crash never leaves a
// half-written snapshot.
void save(const std::filesystem::path& file, const Inventory& inventory);

std::string serialize(const Inventory& inventory);  // pretty JSON with a final newline

class SnapshotSource : public DeviceSource {
 public:
  explicit SnapshotSource(std::filesystem::path file) : file_(std::move(file)) {}
  Inventory scan() override { return load(file_); }

 private:
  std::filesystem::path file_;
};

}  // namespace drvaudit::snapshot
