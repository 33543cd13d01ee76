#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <tuple>
#include <unordered_map>

#include "fleet/connection.hpp"
#include "fleet/fleet_report.hpp"

// The fleet database: machines, their runs, each run's devices with driver and verdict, the
// changes each report carried, and the report files already read. One transaction per report, so
// a killed ingest leaves whole reports only; a report already stored (the same machine, time and
// run) changes nothing, so ingesting a share again is idempotent.
namespace drvaudit::fleet {

inline constexpr int kSchemaVersion = 3;

// A report file as found on disk, for skipping unchanged files without reading them.
struct SourceFile {
  std::string path;
  std::int64_t size = 0;
  std::int64_t mtime = 0;
};

enum class IngestOutcome { added, already_stored };

class FleetStore {
 public:
  // Creates or migrates the schema (versioned: fleet_schema.version). Refuses a database that a
  // newer drvaudit made.
  explicit FleetStore(std::unique_ptr<Connection> connection);

  Connection& connection() { return *connection_; }
  int schema_version();

  // Whether this file was stored before with this size and mtime.
  bool known(const SourceFile& file);
  IngestOutcome ingest(const FleetReport& report, const SourceFile& file);
  // Every report ingested so far on disk (see Connection::make_durable).
  void make_durable();

 private:
  void migrate();
  // The machine's id, and whether this call added it (a new machine has no runs yet).
  std::pair<std::int64_t, bool> machine_id(const std::string& name);
  std::int64_t id_set(const std::vector<std::string>& ids);
  std::int64_t driver_id(const FleetDevice& device);
  void fill_run_models();
  void add_package_counts(const Value& run, int sign);

  std::unique_ptr<Connection> connection_;
  std::optional<std::map<std::string, std::pair<std::int64_t, std::int64_t>>> files_;  // path → size, mtime
  std::unordered_map<std::string, std::int64_t> id_sets_;                              // joined IDs → id
  std::optional<std::map<std::string, std::int64_t>> machines_;                        // name → id
  // has_driver, provider, version, date, inf → drivers.id; hashed, and found without copying the
  // strings: every device of every report is looked up here.
  struct DriverKeyHash {
    using is_transparent = void;
    template <class Key>
    std::size_t operator()(const Key& k) const {
      std::size_t h = std::get<0>(k) ? 1 : 0;
      const auto mix = [&h](std::string_view s) { h = h * 1000003 ^ std::hash<std::string_view>{}(s); };
      mix(std::get<1>(k));
      mix(std::get<2>(k));
      mix(std::get<3>(k));
      mix(std::get<4>(k));
      return h;
    }
  };
  std::unordered_map<std::tuple<bool, std::string, std::string, std::string, std::string>, std::int64_t, DriverKeyHash,
                     std::equal_to<>>
      drivers_;
};

}  // namespace drvaudit::fleet
