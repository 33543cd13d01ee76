#pragma once

#include <string>

#include "fleet/connection.hpp"

// The questions IT staff ask of a fleet, each one SQL query that runs the same on SQLite and
// PostgreSQL (versions: one query and a count in memory). "Now" is each machine's newest stored run
// (the latest table).
namespace drvaudit::fleet {

// Every machine: its last report, OS, verdict counts, and whether it missed its weekly run
// (no report since `stale_before`, an ISO 8601 time).
ResultTable machines_view(Connection& c, const std::string& stale_before);
// Per driver package that the audits proved better: how many machines and devices would take it.
ResultTable updates_view(Connection& c);
// The installed driver versions of devices with this ID (any of their hardware or compatible IDs,
// any case: PCI\VEN_8086&DEV_A0F0 finds every subsystem), with how many machines and devices run each;
// most machines first. Counted from the newest runs' run_models rows (versions_view.cpp).
ResultTable versions_view(Connection& c, const std::string& hardware_id);
// Drivers that went backwards and new problem codes in reports recorded since `since` (a date).
ResultTable regressions_view(Connection& c, const std::string& since);
// Every change the machines' reports carried since `since`, newest first.
ResultTable diff_view(Connection& c, const std::string& since);
// Totals over the fleet: machines, stale machines, devices per verdict.
ResultTable totals_view(Connection& c, const std::string& stale_before);

}  // namespace drvaudit::fleet
