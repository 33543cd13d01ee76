#pragma once

#include <filesystem>
#include <memory>
#include <optional>
#include <string>

#include "updater/journal.hpp"
#include "updater/step.hpp"

// A scheduler file (a systemd unit, /etc/cron.d/drvaudit) written or removed as a journaled step:
// the previous content (or its absence) is in the journal before anything changes, verify reads the
// file back, and undo puts the previous bytes back exactly.
namespace drvaudit::schedule {

inline constexpr const char* kWriteFile = "write-file";

// `content` nullopt removes the file. The previous state is read now, for the journal.
updater::PlannedStep plan_write_file(const std::filesystem::path& file, const std::optional<std::string>& content);
std::unique_ptr<updater::Step> make_write_file(const nlohmann::json& params);

// The file's bytes, or nullopt when there is none. Throws drvaudit::Error when it cannot be read.
std::optional<std::string> read_optional_file(const std::filesystem::path& file);

}  // namespace drvaudit::schedule
