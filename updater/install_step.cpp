#include "updater/install_step.hpp"

#include <algorithm>

#include "common/hash.hpp"
#include "common/text.hpp"

namespace drvaudit::updater {

namespace {
nlohmann::json binding_json(const DriverBinding& b) {
  return {{"inf", b.inf}, {"section", b.section}, {"version", b.version}, {"problem", b.problem}};
}
DriverBinding binding_from(const nlohmann::json& j) {
  DriverBinding b;
  b.inf = j.value("inf", "");
  b.section = j.value("section", "");
  b.version = j.value("version", "");
  b.problem = j.value("problem", 0u);
  return b;
}
std::string binding_text(const DriverBinding& b) {
  if (b.inf.empty()) return "no driver";
  std::string s = b.inf + " [" + b.section + "]";
  if (!b.version.empty()) s += " " + b.version;
  if (b.problem != 0) s += " (problem code " + std::to_string(b.problem) + ")";
  return s;
}
// Windows stores a driver's install section as InfSection "Name" plus InfSectionExt ".NT"; an
// INF's DDInstall section is "Name.NT". Either spelling names the same section.
bool same_section(const std::string& a, const std::string& b) {
  if (text::iequals(a, b)) return true;
  const auto& shorter = a.size() < b.size() ? a : b;
  const auto& longer = a.size() < b.size() ? b : a;
  return text::istarts_with(longer, shorter + ".nt");
}
bool same_driver(const DriverBinding& a, const DriverBinding& b) {
  return text::iequals(a.inf, b.inf) && same_section(a.section, b.section);
}

class InstallDriver : public Step {
 public:
  InstallDriver(DriverSystem& system, nlohmann::json params) : system_(system), params_(std::move(params)) {}
  std::string kind() const override { return kInstallDriver; }
  std::string describe() const override {
    return "install " + path().filename().string() + " [" + params_.value("section", "") + "] " +
           params_.value("version", "") + " on " + params_.value("instance_id", "") + " (for " +
           params_.value("hardware_id", "") + (params_.value("force", false) ? ", forced" : "") + "), replacing " +
           binding_text(previous());
  }
  nlohmann::json params() const override { return params_; }

  Outcome apply() override {
    const auto result = system_.install(params_.value("hardware_id", ""), path(), params_.value("force", false));
    params_["api"] = result.message;
    // The INFs the install added to the store, journaled now: undo removes them by these names, and
    // never needs the package (its folder may be gone by then).
    // Only the new ones with the package's bytes: another program's INF added meanwhile is not ours.
    const auto before = params_.value("added_before", std::vector<std::string>{});
    std::vector<std::string> added;
    std::string ours;
    try {
      ours = hash::sha256_file_hex(path());
    } catch (const std::exception&) {
    }
    for (const auto& name : system_.store_infs()) {
      if (std::find(before.begin(), before.end(), name) != before.end()) continue;
      try {
        if (!ours.empty() && hash::sha256_file_hex(system_.inf_folder() / name) == ours) added.push_back(name);
      } catch (const std::exception&) {
      }
    }
    params_["added"] = added;
    journal_now(params_);
    if (!result.accepted) return Outcome::failed(result.message);
    Outcome out = Outcome::done(result.message);
    out.reboot_required = result.reboot_required;
    return out;
  }

  Outcome verify() override {
    const auto now = system_.binding(params_.value("instance_id", ""));
    if (!now) return Outcome::failed("the device " + params_.value("instance_id", "") + " is gone");
    const auto prev = previous();
    std::string seen = "driver now " + binding_text(*now);
    if (same_driver(*now, prev)) return Outcome::failed("nothing changed: " + seen);
    if (!same_section(now->section, params_.value("section", "")))
      return Outcome::failed(seen + ", not the package's [" + params_.value("section", "") + "]");
    const auto version = params_.value("version", "");
    if (!now->version.empty() && now->version != version) return Outcome::failed(seen + ", not version " + version);
    if (now->problem != 0) return Outcome::failed(seen);
    params_["installed"] = binding_json(*now);
    if (now->version.empty()) seen += " (the OS reports no driver version)";
    if (params_.value("allowed_unsigned", false))
      seen += "; installed under --allow-unsigned (" + params_.value("signature", "") + ")";
    return Outcome::done(seen);
  }

  Outcome undo() override {
    const auto id = params_.value("instance_id", "");
    const auto prev = previous();
    auto now = system_.binding(id);
    if (!now) return Outcome::failed("the device " + id + " is gone");
    std::string evidence;
    if (!same_driver(*now, prev) && prev.inf.empty()) {
      // The device had no driver: the package the install added is uninstalled from it, and the
      // device is read back as having none (and the problem code it had then).
      std::string said;
      const auto added = params_.value("installed", nlohmann::json::object()).value("inf", now->inf);
      system_.remove_driver(id, added, prev.problem, said);
      now = system_.binding(id);
      if (!now || !now->inf.empty())
        return Outcome::failed("the device had no driver before; uninstalling " + added + " (" + said + ") left " +
                               (now ? binding_text(*now) : std::string("no device")) +
                               " (uninstall it from Device Manager, with \"Delete the driver software\", to go back)");
      return {StepState::undone, "driver removed: the device has no driver again (" + said + ")", false, false};
    }
    if (!same_driver(*now, prev)) {
      const auto old_inf = system_.inf_folder() / prev.inf;
      std::string match = params_.value("previous_matching_id", "");
      if (match.empty()) match = params_.value("hardware_id", "");
      const auto result = system_.install(match, old_inf, true);
      now = system_.binding(id);
      if (!now || !same_driver(*now, prev))
        return Outcome::failed("reinstalling " + old_inf.string() + " (" + result.message + ") left " +
                               (now ? binding_text(*now) : std::string("no device")) + ", not " + binding_text(prev));
      evidence = "driver back to " + binding_text(*now);
    } else {
      evidence = "driver is " + binding_text(*now);
    }
    evidence += remove_added_package();
    return {StepState::undone, evidence, false, false};
  }

 private:
  std::filesystem::path path() const { return std::filesystem::path(params_.value("inf", "")); }
  DriverBinding previous() const { return binding_from(params_.value("previous", nlohmann::json::object())); }

  // The INF the install added to the store (one with the package's bytes that was not there when
  // the plan was made: oemNN.inf on Windows), removed only when no device uses it.
  std::string remove_added_package() {
    const auto before = params_.value("added_before", std::vector<std::string>{});
    std::string said;
    if (params_.contains("added")) {
      // Journaled at install time: removed by name, whatever became of the package's folder.
      for (const auto& name : params_["added"].get<std::vector<std::string>>()) said += remove_if_unused(name);
      return said;
    }
    // An install journaled before "added" was kept (or killed before it was): the store's new INFs
    // with the package's bytes.
    std::string ours;
    try {
      ours = hash::sha256_file_hex(path());
    } catch (const std::exception&) {
      return "; the package is gone, so no added INF can be recognised";
    }
    for (const auto& name : system_.store_infs()) {
      if (std::find(before.begin(), before.end(), name) != before.end()) continue;
      std::string theirs;
      try {
        theirs = hash::sha256_file_hex(system_.inf_folder() / name);
      } catch (const std::exception&) {
        continue;
      }
      if (theirs != ours) continue;
      said += remove_if_unused(name);
    }
    return said;
  }

  std::string remove_if_unused(const std::string& name) {
    std::error_code ec;
    if (!std::filesystem::exists(system_.inf_folder() / name, ec)) return "";
    const auto users = system_.devices_using(name);
    if (!users.empty()) return "; " + name + " stays in the store (used by " + users.front() + ")";
    std::string why;
    return system_.remove_added_inf(name, why) ? "; " + name + " removed from the store"
                                               : "; " + name + " could not be removed: " + why;
  }

  DriverSystem& system_;
  nlohmann::json params_;
};
}  // namespace

PlannedStep plan_install(DriverSystem& system, const InstallRequest& r) {
  nlohmann::json params{{"instance_id", r.instance_id},
                        {"device", r.description},
                        {"hardware_id", r.hardware_id},
                        {"inf", r.inf.string()},
                        {"section", r.section},
                        {"version", r.version},
                        {"force", r.force},
                        {"signature", r.signature},
                        {"allowed_unsigned", r.allowed_unsigned},
                        {"previous", binding_json(r.previous)},
                        {"previous_matching_id", r.previous_matching_id},
                        {"added_before", system.store_infs()}};
  // A device without a driver is taken back to none by uninstalling what the install adds: where the
  // system cannot, the step cannot be undone, and the plan says so before anything runs.
  std::string why;
  if (r.previous.inf.empty() && !system.can_remove_driver(why)) params["irreversible"] = why;
  // Undo reinstalls the driver the device has now from the INF folder: without it there, it cannot.
  std::error_code ec;
  if (!r.previous.inf.empty() && !std::filesystem::is_regular_file(system.inf_folder() / r.previous.inf, ec)) {
    why = "its driver now, " + r.previous.inf + ", is not in " + system.inf_folder().string() + " to be reinstalled";
    params["irreversible"] = why;
  }
  InstallDriver step(system, params);
  auto description = step.describe();
  if (params.contains("irreversible")) description += " [cannot be undone here: " + why + "]";
  return {kInstallDriver, description, params};
}

std::unique_ptr<Step> make_install(DriverSystem& system, const nlohmann::json& params) {
  return std::make_unique<InstallDriver>(system, params);
}

}  // namespace drvaudit::updater
