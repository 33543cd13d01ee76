#include "updater/update_plan.hpp"

#include "catalog/windows_update.hpp"
#include "common/error.hpp"

namespace drvaudit::updater {

namespace {
// Why a verdict is not acted on; empty when it is.
std::string refusal(const audit::DeviceAudit& a, const PlanOptions& options) {
  using audit::Verdict;
  switch (a.verdict) {
    case Verdict::up_to_date: return "up to date";
    case Verdict::no_catalog_data: return "nothing in the catalog for it";
    case Verdict::possible_update:
      return "possible update only: the comparison with the installed driver is not proven (see audit --explain)";
    case Verdict::better_match:
      if (!options.include_better_match) return "better match, not newer: add --include-better-match to install it";
      break;
    case Verdict::update_available:
    case Verdict::missing_driver: break;
  }
  if (!a.best) return "no candidate";
  if (a.best->entry.source_kind == windows_update::kSourceKind)
    return "Windows Update offers it: install it with Windows Update (drvaudit has no package to verify)";
  if (a.installed.present && a.verdict != Verdict::missing_driver && !a.installed.rank_proven())
    return "the installed driver's rank is unknown: the comparison is not proven";
  return {};
}
}  // namespace

UpdatePlan make_plan(const audit::MachineAudit& machine, const PlanOptions& options) {
  if (options.devices.empty() && !options.all)
    throw UsageError("name the devices to update (as in audit --explain), or --all for every flagged one");
  UpdatePlan plan;
  std::vector<bool> used(options.devices.size(), false);
  for (const auto& a : machine.devices) {
    bool named = options.devices.empty();
    for (std::size_t i = 0; i < options.devices.size(); ++i) {
      if (audit::device_matches(a.device, options.devices[i])) {
        named = true;
        used[i] = true;
      }
    }
    if (!named) continue;
    const auto why = refusal(a, options);
    if (!why.empty()) {
      // --all lists only the flagged devices it leaves; a named device always gets its answer.
      const bool flagged = a.verdict != audit::Verdict::up_to_date && a.verdict != audit::Verdict::no_catalog_data;
      if (!options.devices.empty() || flagged) plan.skipped.push_back({a.device, a.verdict, why});
      continue;
    }
    plan.devices.push_back({a, *a.best, a.verdict == audit::Verdict::better_match});
  }
  for (std::size_t i = 0; i < options.devices.size(); ++i) {
    if (!used[i]) throw UsageError("no device matches '" + options.devices[i] + "' (see drvaudit scan)");
  }
  return plan;
}

}  // namespace drvaudit::updater
