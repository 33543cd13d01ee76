#include "catalog/history/run_diff.hpp"

#include <algorithm>
#include <cctype>
#include <map>

#include "common/driver_version.hpp"
#include "scanner/problem_codes.hpp"

namespace drvaudit::history {

namespace {
constexpr std::string_view kKindNames[] = {
    "device_added",    "device_removed",     "driver_upgraded", "driver_downgraded",
    "driver_changed",  "problem_appeared",   "problem_changed", "problem_cleared",
    "update_appeared", "update_disappeared", "verdict_changed",
};

std::string verdict_words(const std::string& verdict) {
  std::string w = verdict;
  std::replace(w.begin(), w.end(), '_', ' ');
  return w;
}

std::string driver_words(const DeviceRecord& d) {
  if (!d.has_driver) return "no driver";
  std::string name = d.inf.empty() ? d.module : d.inf;
  std::string out = d.provider;
  if (!name.empty()) out += (out.empty() ? "" : " ") + name;
  if (!d.version.empty()) out += (out.empty() ? "" : " ") + d.version;
  if (!d.date.empty()) out += " (" + d.date + ")";
  return out.empty() ? "a driver of unknown version" : out;
}

std::string version_words(const DeviceRecord& d) {
  std::string out = d.version.empty() ? "unknown version" : d.version;
  if (!d.date.empty()) out += " (" + d.date + ")";
  return out;
}

std::string problem_words(std::uint32_t code) { return code ? problem_codes::brief(code) : "no problem"; }

std::string best_words(const DeviceRecord& d) {
  if (d.best_version.empty()) return verdict_words(d.verdict);
  return verdict_words(d.verdict) + ": " + d.best_version + (d.best_inf.empty() ? "" : " (" + d.best_inf + ")");
}

bool actionable(const DeviceRecord& d) { return audit::is_actionable(verdict_of(d.verdict)); }

Change change(ChangeKind kind, const DeviceRecord& d, std::string before, std::string after, bool regression = false) {
  return {kind, d.instance_id, d.description, std::move(before), std::move(after), regression};
}

void compare_driver(const DeviceRecord& a, const DeviceRecord& b, std::vector<Change>& out) {
  if (a.has_driver != b.has_driver) {
    out.push_back(change(ChangeKind::driver_changed, b, driver_words(a), driver_words(b)));
    return;
  }
  if (!a.has_driver) return;
  const bool same_package = a.provider == b.provider && a.inf == b.inf && a.module == b.module;
  if (a.version != b.version && same_package) {
    const auto va = DriverVersion::try_parse(a.version), vb = DriverVersion::try_parse(b.version);
    const int order = va && vb ? (*va < *vb ? -1 : (*vb < *va ? 1 : 0)) : compare_versions(a.version, b.version);
    if (order < 0) {
      out.push_back(change(ChangeKind::driver_upgraded, b, version_words(a), version_words(b)));
      return;
    }
    if (order > 0) {
      out.push_back(change(ChangeKind::driver_downgraded, b, version_words(a), version_words(b), true));
      return;
    }
  }
  if (!same_package || a.version != b.version || a.date != b.date) {
    // Another package (a new provider or INF) is not "newer" or "older" by its version alone.
    out.push_back(change(ChangeKind::driver_changed, b, driver_words(a), driver_words(b)));
  }
}

void compare_device(const DeviceRecord& a, const DeviceRecord& b, std::vector<Change>& out) {
  compare_driver(a, b, out);
  if (a.problem_code != b.problem_code) {
    const auto kind = !a.problem_code   ? ChangeKind::problem_appeared
                      : !b.problem_code ? ChangeKind::problem_cleared
                                        : ChangeKind::problem_changed;
    out.push_back(change(kind, b, problem_words(a.problem_code), problem_words(b.problem_code), b.problem_code != 0));
  }
  const bool was = actionable(a), is = actionable(b);
  if (!was && is) {
    out.push_back(change(ChangeKind::update_appeared, b, verdict_words(a.verdict), best_words(b)));
  } else if (was && !is) {
    out.push_back(change(ChangeKind::update_disappeared, b, best_words(a), verdict_words(b.verdict)));
  } else if (was && is && (a.best_version != b.best_version || a.best_inf != b.best_inf)) {
    out.push_back(change(ChangeKind::update_appeared, b, best_words(a), best_words(b)));  // a newer one
  } else if (a.verdict != b.verdict) {
    out.push_back(change(ChangeKind::verdict_changed, b, verdict_words(a.verdict), verdict_words(b.verdict)));
  }
}
}  // namespace

std::string_view change_kind_name(ChangeKind k) { return kKindNames[static_cast<std::size_t>(k)]; }

std::size_t RunDiff::regressions() const {
  return static_cast<std::size_t>(
      std::count_if(changes.begin(), changes.end(), [](const Change& c) { return c.regression; }));
}

int compare_versions(std::string_view a, std::string_view b) {
  std::size_t i = 0, j = 0;
  while (i < a.size() && j < b.size()) {
    const bool da = std::isdigit(static_cast<unsigned char>(a[i])) != 0;
    const bool db = std::isdigit(static_cast<unsigned char>(b[j])) != 0;
    if (da && db) {
      std::size_t ie = i, je = j;
      while (ie < a.size() && std::isdigit(static_cast<unsigned char>(a[ie]))) ++ie;
      while (je < b.size() && std::isdigit(static_cast<unsigned char>(b[je]))) ++je;
      auto na = a.substr(i, ie - i), nb = b.substr(j, je - j);
      while (na.size() > 1 && na.front() == '0') na.remove_prefix(1);
      while (nb.size() > 1 && nb.front() == '0') nb.remove_prefix(1);
      if (na.size() != nb.size()) return na.size() < nb.size() ? -1 : 1;
      if (const int c = na.compare(nb); c != 0) return c < 0 ? -1 : 1;
      i = ie;
      j = je;
      continue;
    }
    if (a[i] != b[j]) return static_cast<unsigned char>(a[i]) < static_cast<unsigned char>(b[j]) ? -1 : 1;
    ++i;
    ++j;
  }
  if (i == a.size() && j == b.size()) return 0;
  return i == a.size() ? -1 : 1;
}

RunDiff diff_runs(const RunRecord& from, const RunRecord& to) {
  RunDiff diff;
  diff.from_run = from.id;
  diff.to_run = to.id;
  diff.from_at = from.captured_at.empty() ? from.recorded_at : from.captured_at;
  diff.to_at = to.captured_at.empty() ? to.recorded_at : to.captured_at;
  std::map<std::string_view, const DeviceRecord*> before;
  for (const auto& d : from.devices) before.emplace(d.instance_id, &d);
  std::map<std::string_view, const DeviceRecord*> after;
  for (const auto& d : to.devices) after.emplace(d.instance_id, &d);
  for (const auto& [id, b] : after) {
    const auto it = before.find(id);
    if (it == before.end()) {
      diff.changes.push_back(
          change(ChangeKind::device_added, *b, "", driver_words(*b) + "; " + verdict_words(b->verdict)));
      if (b->problem_code)
        diff.changes.push_back(
            change(ChangeKind::problem_appeared, *b, problem_words(0), problem_words(b->problem_code), true));
      continue;
    }
    compare_device(*it->second, *b, diff.changes);
  }
  for (const auto& [id, a] : before) {
    if (!after.count(id)) diff.changes.push_back(change(ChangeKind::device_removed, *a, driver_words(*a), ""));
  }
  std::stable_sort(diff.changes.begin(), diff.changes.end(), [](const Change& x, const Change& y) {
    if (x.kind != y.kind) return x.kind < y.kind;
    return x.instance_id < y.instance_id;
  });
  return diff;
}

}  // namespace drvaudit::history
