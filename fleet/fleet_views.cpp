#include "fleet/fleet_views.hpp"

namespace drvaudit::fleet {

ResultTable machines_view(Connection& c, const std::string& stale_before) {
  return c.query(
      "SELECT m.name AS machine, r.recorded_at AS last_report, r.os, r.os_version, r.arch, r.devices, "
      "r.up_to_date, r.update_available, r.better_match, r.possible_update, r.missing_driver, r.no_catalog_data, "
      "r.needs_attention, CASE WHEN r.recorded_at < ? THEN 1 ELSE 0 END AS stale "
      "FROM latest l JOIN runs r ON r.id = l.run_id JOIN machines m ON m.id = l.machine_id ORDER BY m.name",
      {stale_before});
}

ResultTable updates_view(Connection& c) {
  // package_counts is kept by the ingest for each machine's newest run (fleet_store.cpp).
  return c.query(
      "SELECT package, version, date, provider, machines, devices FROM package_counts "
      "ORDER BY machines DESC, package, version");
}

ResultTable regressions_view(Connection& c, const std::string& since) {
  return c.query(
      "SELECT r.recorded_at, m.name AS machine, ch.change, ch.description, ch.instance_id, ch.before_text AS before, "
      "ch.after_text AS after FROM changes ch JOIN runs r ON r.id = ch.run_id JOIN machines m ON m.id = r.machine_id "
      "WHERE ch.run_date >= ? AND ch.regression = 1 ORDER BY r.recorded_at DESC, m.name, ch.instance_id",
      {since});
}

ResultTable diff_view(Connection& c, const std::string& since) {
  return c.query(
      "SELECT r.recorded_at, m.name AS machine, ch.change, ch.regression, ch.description, ch.instance_id, "
      "ch.before_text AS before, ch.after_text AS after FROM changes ch JOIN runs r ON r.id = ch.run_id "
      "JOIN machines m ON m.id = r.machine_id WHERE ch.run_date >= ? "
      "ORDER BY r.recorded_at DESC, m.name, ch.change, ch.instance_id",
      {since});
}

ResultTable totals_view(Connection& c, const std::string& stale_before) {
  return c.query(
      "SELECT COUNT(*) AS machines, CAST(COALESCE(SUM(CASE WHEN r.recorded_at < ? THEN 1 ELSE 0 END), 0) AS BIGINT) AS "
      "stale, "
      "CAST(COALESCE(SUM(r.devices), 0) AS BIGINT) AS devices, CAST(COALESCE(SUM(r.up_to_date), 0) AS BIGINT) AS "
      "up_to_date, "
      "CAST(COALESCE(SUM(r.update_available), 0) AS BIGINT) AS update_available, CAST(COALESCE(SUM(r.better_match), 0) "
      "AS BIGINT) AS better_match, "
      "CAST(COALESCE(SUM(r.possible_update), 0) AS BIGINT) AS possible_update, CAST(COALESCE(SUM(r.missing_driver), 0) "
      "AS BIGINT) AS missing_driver, "
      "CAST(COALESCE(SUM(r.no_catalog_data), 0) AS BIGINT) AS no_catalog_data, CAST(COALESCE(SUM(r.needs_attention), "
      "0) AS BIGINT) AS needs_attention, "
      "CAST(COALESCE(SUM(CASE WHEN r.update_available + r.better_match + r.missing_driver > 0 THEN 1 ELSE 0 END), 0) "
      "AS BIGINT) "
      "AS machines_with_updates FROM latest l JOIN runs r ON r.id = l.run_id",
      {stale_before});
}

}  // namespace drvaudit::fleet
