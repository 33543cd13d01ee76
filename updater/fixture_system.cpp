#include <spdlog/spdlog.h>

#include <fstream>
#include <sstream>

#include "catalog/driver_package.hpp"
#include "catalog/machine_audit.hpp"
#include "catalog/ranking.hpp"
#include "catalog/signature_check.hpp"
#include "common/atomic_file.hpp"
#include "common/error.hpp"
#include "common/hash.hpp"
#include "common/read_file.hpp"
#include "common/text.hpp"
#include "scanner/snapshot.hpp"
#include "updater/driver_system.hpp"

// A recorded machine in a folder, changed the way Windows would change it: an install rewrites the
// matching devices' drivers in DIR/snapshot.json and copies the INF into DIR/inf as oemN.inf;
// restore points and the frequency value live in small JSON files. Every write is atomic, so a
// process killed at any moment leaves the old state or the new one (the crash tests rely on it).
namespace drvaudit::updater {

namespace {
constexpr std::uint32_t kErrorFileNotFound = 2;
constexpr std::uint32_t kErrorNoSuchDevinst = 0xE000020B;

nlohmann::json read_json(const std::filesystem::path& file, nlohmann::json fallback) {
  if (!std::filesystem::exists(file)) return fallback;
  auto value = nlohmann::json::parse(read_whole_file(file), nullptr, false);
  if (value.is_discarded()) throw Error(file.string() + " is not JSON");
  return value;
}

bool lists(const std::vector<std::string>& ids, const std::string& id) {
  for (const auto& i : ids) {
    if (text::iequals(i, id)) return true;
  }
  return false;
}

class FixtureSystem : public DriverSystem {
 public:
  explicit FixtureSystem(std::filesystem::path root) : root_(std::move(root)) {
    if (!std::filesystem::is_regular_file(snapshot_file()))
      throw Error("--root " + root_.string() + ": no snapshot.json there (a recorded machine needs one)");
    make_folders(inf_folder(), kModeFolder);
  }
  std::string name() const override { return "the recorded machine in " + root_.string(); }

  std::optional<DriverBinding> binding(const std::string& instance_id) override {
    const auto inv = snapshot::load(snapshot_file());
    for (const auto& d : inv.devices) {
      if (d.instance_id != instance_id) continue;
      return binding_of(d);
    }
    return std::nullopt;
  }

  InstallResult install(const std::string& hardware_id, const std::filesystem::path& inf, bool) override {
    InstallResult result;
    if (!std::filesystem::is_regular_file(inf)) {
      result.error = kErrorFileNotFound;
      result.message = "ERROR_FILE_NOT_FOUND: " + inf.string();
      return result;
    }
    const auto bytes = read_whole_file(inf);
    auto package = inf::load_package(bytes, inf.filename().string());
    catalog::check_signatures(package, bytes, inf);
    auto inv = snapshot::load(snapshot_file());
    audit::TargetSource source{};
    std::vector<std::string> warnings;
    const auto target = audit::target_for(inv.machine, {}, source, warnings);
    const inf::ModelEntry* model = nullptr;
    for (const auto* m : package.models_for(target)) {
      if (text::iequals(m->hardware_id, hardware_id) || lists(m->compatible_ids, hardware_id)) {
        model = m;
        break;
      }
    }
    const std::string stored = store_name(inf, bytes);
    bool any = false;
    for (auto& d : inv.devices) {
      if (!lists(d.hardware_ids, hardware_id) && !lists(d.compatible_ids, hardware_id)) continue;
      if (!model) break;
      InstalledDriver drv = d.driver.value_or(InstalledDriver{});
      drv.inf = stored;
      drv.section = model->ddinstall_section;
      drv.version = model->driver_ver.version.to_string();
      drv.date = model->driver_ver.date;
      drv.provider = package.provider;
      drv.matching_id = hardware_id;
      // The rank the OS would report (DEVPKEY_Device_DriverRank), as Windows computes it.
      rank::Rank r;
      const auto* sig = package.signature_for(target.arch);
      r.signature = sig && sig->trusted() ? rank::Signature::trusted : rank::Signature::unsigned_nt;
      r.feature_score = model->feature_score;
      if (auto match =
              rank::best_identifier_match(d.hardware_ids, d.compatible_ids, model->hardware_id, model->compatible_ids))
        r.identifier = *match;
      drv.rank = r.value();
      d.driver = drv;
      d.problem_code = 0;
      any = true;
    }
    if (!any) {
      result.error = kErrorNoSuchDevinst;
      result.message = "ERROR_NO_SUCH_DEVINST: no device of " + name() + " has " + hardware_id +
                       (model ? "" : " in a Models section for it");
      return result;
    }
    if (stored.starts_with("oem") && !std::filesystem::exists(inf_folder() / stored))
      write_file_atomically(inf_folder() / stored, bytes);
    snapshot::save(snapshot_file(), inv);
    result.accepted = true;
    result.message = "installed as " + stored;
    return result;
  }

  std::filesystem::path inf_folder() override { return root_ / "inf"; }

  std::vector<std::string> store_infs() override { return inf_files_in(inf_folder()); }

  std::vector<std::string> devices_using(const std::string& inf) override {
    std::vector<std::string> ids;
    for (const auto& d : snapshot::load(snapshot_file()).devices) {
      if (d.driver && text::iequals(d.driver->inf, inf)) ids.push_back(d.instance_id);
    }
    return ids;
  }

  bool can_remove_driver(std::string&) override { return true; }

  // As DiUninstallDriverW: the device goes back to no driver (and the problem it had then), and the
  // package leaves the store when no other device uses it.
  bool remove_driver(const std::string& instance_id, const std::string& store_inf, std::uint32_t problem_before,
                     std::string& evidence) override {
    auto inv = snapshot::load(snapshot_file());
    bool found = false, others = false;
    for (auto& d : inv.devices) {
      if (!d.driver || !text::iequals(d.driver->inf, store_inf)) continue;
      if (d.instance_id != instance_id) {
        others = true;
        continue;
      }
      d.driver.reset();
      d.problem_code = problem_before;
      found = true;
    }
    if (!found) {
      evidence = "no device " + instance_id + " uses " + store_inf;
      return false;
    }
    snapshot::save(snapshot_file(), inv);
    std::error_code ec;
    if (!others && store_inf.starts_with("oem")) std::filesystem::remove(inf_folder() / store_inf, ec);
    evidence = store_inf + " uninstalled from the device" + (others ? " (other devices keep it)" : " and the store");
    return true;
  }

  bool remove_added_inf(const std::string& inf, std::string& why) override {
    std::error_code ec;
    if (!std::filesystem::remove(inf_folder() / inf, ec)) {
      why = ec ? ec.message() : "not there";
      return false;
    }
    return true;
  }

  RestorePointResult begin_restore_point(const std::string& description) override {
    auto points = read_json(points_file(), {{"next", 1}, {"points", nlohmann::json::array()}});
    if (points.value("disabled", false)) return {RestorePointResult::Status::unavailable, 0, "System Restore is off"};
    const auto seq = points["next"].get<std::int64_t>();
    points["next"] = seq + 1;
    points["points"].push_back({{"sequence", seq}, {"description", description}, {"state", "open"}});
    write_file_atomically(points_file(), points.dump(2));
    return {RestorePointResult::Status::created, seq, "restore point " + std::to_string(seq)};
  }

  RestorePointResult end_restore_point(std::int64_t sequence, bool cancelled) override {
    auto points = read_json(points_file(), {{"next", 1}, {"points", nlohmann::json::array()}});
    for (auto& p : points["points"]) {
      if (p["sequence"].get<std::int64_t>() != sequence) continue;
      p["state"] = cancelled ? "cancelled" : "ended";
      write_file_atomically(points_file(), points.dump(2));
      return {RestorePointResult::Status::created, sequence, "restore point " + std::to_string(sequence)};
    }
    return {RestorePointResult::Status::failed, sequence, "no restore point " + std::to_string(sequence)};
  }

  std::optional<std::uint32_t> restore_frequency() override {
    const auto reg = read_json(registry_file(), nlohmann::json::object());
    if (!reg.contains(kFrequency)) return std::nullopt;
    return reg[kFrequency].get<std::uint32_t>();
  }

  void set_restore_frequency(std::optional<std::uint32_t> minutes) override {
    auto reg = read_json(registry_file(), nlohmann::json::object());
    if (minutes)
      reg[kFrequency] = *minutes;
    else
      reg.erase(kFrequency);
    write_file_atomically(registry_file(), reg.dump(2));
  }

 private:
  static constexpr const char* kFrequency = "SystemRestorePointCreationFrequency";
  std::filesystem::path snapshot_file() const { return root_ / "snapshot.json"; }
  std::filesystem::path points_file() const { return root_ / "restore-points.json"; }
  std::filesystem::path registry_file() const { return root_ / "registry.json"; }

  // An INF already in the INF folder keeps its name (reinstalling input.inf); a new package gets
  // the next oemN.inf, or the one that already holds the same bytes (as SetupCopyOEMInf does).
  std::string store_name(const std::filesystem::path& inf, const std::string& bytes) {
    if (std::filesystem::equivalent(inf.parent_path(), inf_folder())) return inf.filename().string();
    const auto digest = hash::sha256_hex(bytes);
    int next = 0;
    for (const auto& n : store_infs()) {
      if (!text::istarts_with(n, "oem")) continue;
      if (hash::sha256_file_hex(inf_folder() / n) == digest) return n;
      next = std::max(next, std::atoi(n.substr(3).c_str()) + 1);
    }
    return "oem" + std::to_string(next) + ".inf";
  }

  std::filesystem::path root_;
};
}  // namespace

std::unique_ptr<DriverSystem> open_fixture_system(const std::filesystem::path& root) {
  return std::make_unique<FixtureSystem>(root);
}

}  // namespace drvaudit::updater
