#include <algorithm>
#include <tuple>
#include <unordered_map>
#include <unordered_set>

#include "common/error.hpp"
#include "common/text.hpp"
#include "fleet/fleet_views.hpp"
#include "fleet/run_models.hpp"

namespace drvaudit::fleet {

namespace {
struct DriverCount {
  std::int64_t machines = 0, devices = 0;
};

// The drivers' names, in chunks that stay inside any database's limit on parameters.
std::unordered_map<std::int64_t, std::vector<Value>> driver_rows(Connection& c, const std::vector<std::int64_t>& ids) {
  std::unordered_map<std::int64_t, std::vector<Value>> rows;
  constexpr std::size_t kChunk = 500;
  for (std::size_t first = 0; first < ids.size(); first += kChunk) {
    const auto last = std::min(ids.size(), first + kChunk);
    std::string sql = "SELECT id, has_driver, version, provider, inf, date FROM drivers WHERE id IN (";
    std::vector<Value> params;
    for (auto i = first; i < last; ++i) {
      sql += i == first ? "?" : ", ?";
      params.emplace_back(ids[i]);
    }
    for (auto& row : c.query(sql + ")", params).rows) rows.emplace(as_int(row[0]), std::move(row));
  }
  return rows;
}
}  // namespace

ResultTable versions_view(Connection& c, const std::string& hardware_id) {
  ResultTable table;
  table.columns = {"version", "provider", "inf", "date", "machines", "devices"};
  std::unordered_set<std::int64_t> sets;
  for (const auto& row :
       c.query("SELECT set_id FROM id_set_members WHERE hardware_id = ?", {text::to_upper(hardware_id)}).rows)
    sets.insert(as_int(row[0]));
  if (sets.empty()) return table;

  // One row per machine: its newest run's (model, driver, devices) entries.
  std::unordered_map<std::int64_t, DriverCount> counts;
  std::vector<std::int64_t> on_machine;
  for (const auto& row :
       c.query("SELECT l.run_id, m.entries FROM latest l JOIN run_models m ON m.run_id = l.run_id").rows) {
    std::vector<ModelDriverCount> entries;
    try {
      entries = decode_run_models(std::get<std::string>(row[1]));
    } catch (const ParseError& e) {
      throw Error("the fleet database " + c.name() + " is damaged: run " + std::to_string(as_int(row[0])) + ": " +
                  e.what());
    }
    on_machine.clear();
    for (const auto& e : entries)
      if (sets.count(e.id_set)) {
        counts[e.driver].devices += e.devices;
        on_machine.push_back(e.driver);
      }
    std::sort(on_machine.begin(), on_machine.end());
    on_machine.erase(std::unique(on_machine.begin(), on_machine.end()), on_machine.end());
    for (const auto driver : on_machine) ++counts[driver].machines;
  }

  std::vector<std::int64_t> ids;
  for (const auto& [id, count] : counts) ids.push_back(id);
  const auto drivers = driver_rows(c, ids);
  for (const auto& [id, count] : counts) {
    const auto it = drivers.find(id);
    if (it == drivers.end())
      throw Error("the fleet database " + c.name() + " is damaged: driver " + std::to_string(id) + " is not stored");
    const auto& d = it->second;
    table.rows.push_back({as_int(d[1]) == 1 ? d[2] : Value{std::string("(no driver)")}, d[3], d[4], d[5],
                          count.machines, count.devices});
  }
  // Most machines first, then the newest-looking version; the rest only makes the order the same
  // on every database.
  std::sort(table.rows.begin(), table.rows.end(), [](const auto& a, const auto& b) {
    const auto number = [](const std::vector<Value>& r, int i) { return std::get<std::int64_t>(r[i]); };
    const auto text = [](const std::vector<Value>& r, int i) -> const std::string& {
      return std::get<std::string>(r[i]);
    };
    if (number(a, 4) != number(b, 4)) return number(a, 4) > number(b, 4);
    if (text(a, 0) != text(b, 0)) return text(a, 0) > text(b, 0);
    return std::tie(text(a, 1), text(a, 2), text(a, 3)) < std::tie(text(b, 1), text(b, 2), text(b, 3));
  });
  return table;
}

}  // namespace drvaudit::fleet
