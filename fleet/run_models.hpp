#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

// A run's devices reduced to what the versions view asks of them: for each device model (id set)
// and installed driver, how many devices. Stored as one short text per run (run_models.entries), so
// the versions view reads one row per machine instead of every device row: a class code that every
// device shares costs the same as one model.
namespace drvaudit::fleet {

struct ModelDriverCount {
  std::int64_t id_set = 0;  // id_sets.id
  std::int64_t driver = 0;  // drivers.id
  std::int64_t devices = 0;
  friend bool operator==(const ModelDriverCount&, const ModelDriverCount&) = default;
};

// "SET.DRIVER" or "SET.DRIVER*DEVICES" (more than one device), space-separated, in (set, driver)
// order; equal (set, driver) entries are added up.
std::string encode_run_models(std::vector<ModelDriverCount> entries);
// The entries of a text encode_run_models wrote; throws ParseError saying where the text breaks
// that form (a damaged or hand-edited row).
std::vector<ModelDriverCount> decode_run_models(std::string_view text);

}  // namespace drvaudit::fleet
