#include <catch2/catch.hpp>

#include <map>
#include <set>

#include "common/error.hpp"
#include "tests/support/temp_dir.hpp"
#include "updater/journal.hpp"
#include "updater/repair/diagnosis.hpp"
#include "updater/repair/repair_plan.hpp"
#include "updater/repair/repair_steps.hpp"
#include "updater/repair/update_errors.hpp"
#include "updater/runner.hpp"

// The Windows Update repair against an in-memory Windows (services and registry in maps, the
// Windows folder a real temp folder), with faults injected at every call that changes something:
// after any failure and rollback, or any undo, the system is exactly as it was before.
namespace {
using namespace drvaudit;
using namespace drvaudit::repair;
using drvaudit::test::TempDir;

struct Injected : Error {
  Injected() : Error("injected fault") {}
};

class MemoryWindows final : public RepairSystem {
 public:
  explicit MemoryWindows(std::filesystem::path windows) : windows_(std::move(windows)) {}
  std::string name() const override { return "memory"; }
  std::string machine_name() const override { return "PC-TEST"; }
  bool is_windows() const override { return true; }

  std::optional<ServiceInfo> service(const std::string& name) override {
    const auto it = services.find(name);
    if (it == services.end()) return std::nullopt;
    return it->second;
  }
  void set_start_type(const std::string& name, StartType type) override {
    change();
    services.at(name).start_type = type;
  }
  void start_service(const std::string& name) override {
    change();
    auto& s = services.at(name);
    if (s.start_type == StartType::disabled) throw Error(name + " is disabled");
    s.state = ServiceState::running;
  }
  void stop_service(const std::string& name) override {
    change();
    if (stuck.count(name)) return;  // a service that ignores the stop
    services.at(name).state = ServiceState::stopped;
  }
  std::optional<RegistryValue> registry_value(const std::string& key, const std::string& name) override {
    const auto k = registry.find(key);
    if (k == registry.end()) return std::nullopt;
    const auto v = k->second.find(name);
    if (v == k->second.end()) return std::nullopt;
    return v->second;
  }
  bool registry_key_exists(const std::string& key) override { return registry.count(key) > 0; }
  std::vector<std::string> registry_value_names(const std::string& key) override {
    std::vector<std::string> out;
    if (registry.count(key))
      for (const auto& [n, v] : registry.at(key)) out.push_back(n);
    return out;
  }
  void set_registry_value(const std::string& key, const std::string& name, const RegistryValue& value) override {
    change();
    registry[key][name] = value;
  }
  void delete_registry_value(const std::string& key, const std::string& name) override {
    change();
    if (registry.count(key)) registry.at(key).erase(name);
  }
  void delete_registry_key_if_empty(const std::string& key) override {
    change();
    if (registry.count(key) && registry.at(key).empty()) registry.erase(key);
  }
  std::filesystem::path windows_folder() override { return windows_; }
  ProxySetting winhttp_proxy() override { return {true, true, "", ""}; }
  RecordedErrors recorded_update_errors() override { return errors; }
  DriverSearch search_driver_updates() override { return {false, "Windows Update source unavailable: 0x80004001", {}}; }

  // Fault injection: the Nth change from now throws.
  int fail_at = -1;
  int changes = 0;
  std::map<std::string, ServiceInfo> services;
  std::map<std::string, std::map<std::string, RegistryValue>> registry;
  std::set<std::string> stuck;
  RecordedErrors errors{true, "test", {}};

 private:
  void change() {
    if (fail_at >= 0 && changes++ == fail_at) throw Injected();
  }
  std::filesystem::path windows_;
};

void make_windows(const std::filesystem::path& windows, MemoryWindows& system) {
  test::write_file(windows / "SoftwareDistribution" / "Download" / "abc" / "update.cab", std::string(1000, 'x'));
  test::write_file(windows / "SoftwareDistribution" / "DataStore" / "DataStore.edb", "datastore bytes");
  test::write_file(windows / "System32" / "catroot2" / "edb.log", "catalog log");
  system.services["wuauserv"] = {"wuauserv", "Windows Update", StartType::demand, ServiceState::running};
  system.services["bits"] = {"bits", "BITS", StartType::demand, ServiceState::running};
  system.services["cryptsvc"] = {"cryptsvc", "Cryptographic Services", StartType::automatic, ServiceState::running};
  system.services["w32time"] = {"w32time", "Windows Time", StartType::demand, ServiceState::stopped};
}

// Every file below the Windows folder with its bytes: "old state or new state" is checked on this.
std::map<std::string, std::string> tree(const std::filesystem::path& root) {
  std::map<std::string, std::string> out;
  for (const auto& e : std::filesystem::recursive_directory_iterator(root)) {
    const auto rel = std::filesystem::relative(e.path(), root).generic_string();
    out[rel] = e.is_regular_file() ? test::read_file(e.path()) : std::string("<dir>");
  }
  return out;
}

struct Snapshot {
  std::map<std::string, std::string> files;
  std::map<std::string, ServiceInfo> services;
  std::map<std::string, std::map<std::string, RegistryValue>> registry;
};
Snapshot snapshot(const std::filesystem::path& windows, const MemoryWindows& s) {
  return {tree(windows), s.services, s.registry};
}
bool same(const Snapshot& a, const Snapshot& b) {
  if (a.files != b.files || a.registry != b.registry || a.services.size() != b.services.size()) return false;
  for (const auto& [n, s] : a.services) {
    const auto& t = b.services.at(n);
    if (s.state != t.state || s.start_type != t.start_type) return false;
  }
  return true;
}

updater::RunResult run(updater::Journal& journal, RepairSystem& system, const RepairPlan& plan) {
  const auto id = journal.begin("repair", "test", {}, plan.steps);
  updater::Runner runner(journal, repair_step_factory(system));
  return runner.run(id);
}

RepairPlanOptions fast() {
  RepairPlanOptions o;
  o.ntp_server = "127.0.0.1:9";
  o.service_wait = std::chrono::milliseconds(200);
  return o;
}
}  // namespace

TEST_CASE("software-distribution: stop, rename, restore, and undo puts the folder back byte for byte", "[repair]") {
  TempDir dir;
  const auto windows = dir / "windows";
  MemoryWindows system(windows);
  make_windows(windows, system);
  system.services["bits"].state = ServiceState::stopped;  // stopped before: stays stopped after
  const auto before = snapshot(windows, system);

  const auto plan = plan_repair(system, {"software-distribution"}, fast());
  // wuauserv and cryptsvc stop (bits is stopped already), one rename, both started again.
  REQUIRE(plan.steps.size() == 5);
  CHECK(plan.steps[0].description.find("stop wuauserv") == 0);
  CHECK(plan.steps[2].kind == kRenameFolderStep);
  CHECK(plan.steps[2].description.find("SoftwareDistribution.drvaudit-") != std::string::npos);
  CHECK(plan.steps[4].description.find("start wuauserv") == 0);

  updater::Journal journal(dir / "journal.db");
  const auto result = run(journal, system, plan);
  REQUIRE(result.state == updater::OperationState::done);
  CHECK_FALSE(std::filesystem::exists(windows / "SoftwareDistribution"));
  const auto backups = backups_of(windows / "SoftwareDistribution");
  REQUIRE(backups.size() == 1);
  CHECK(test::read_file(backups[0] / "DataStore" / "DataStore.edb") == "datastore bytes");
  CHECK(system.services["wuauserv"].state == ServiceState::running);
  CHECK(system.services["bits"].state == ServiceState::stopped);

  // Windows recreates the folder before the undo: it is kept aside, not deleted.
  test::write_file(windows / "SoftwareDistribution" / "new.txt", "recreated");
  updater::Runner runner(journal, repair_step_factory(system));
  REQUIRE(runner.rollback(result.operation).state == updater::OperationState::rolled_back);
  auto after = snapshot(windows, system);
  std::string recreated;
  for (auto it = after.files.begin(); it != after.files.end();) {
    if (it->first.find("SoftwareDistribution.drvaudit-recreated-") == 0) {
      if (it->first.find("new.txt") != std::string::npos) recreated = it->second;
      it = after.files.erase(it);
    } else {
      ++it;
    }
  }
  CHECK(recreated == "recreated");
  CHECK(same(before, after));
}

TEST_CASE("a fault at any change leaves the old state (rolled back) or the new one", "[repair]") {
  int failed = 0, done = 0;
  for (int fault = 0; fault < 20; ++fault) {
    CAPTURE(fault);
    TempDir dir;
    const auto windows = dir / "windows";
    MemoryWindows system(windows);
    make_windows(windows, system);
    system.services["wuauserv"].start_type = StartType::disabled;
    system.services["wuauserv"].state = ServiceState::stopped;
    const auto before = snapshot(windows, system);
    const auto plan =
        plan_repair(system, {"services", "software-distribution", "catroot2", "allow-os-upgrade"}, fast());
    system.fail_at = fault;
    updater::Journal journal(dir / "journal.db");
    const auto result = run(journal, system, plan);
    system.fail_at = -1;
    if (result.state == updater::OperationState::done) {
      CHECK(system.services["wuauserv"].start_type == StartType::demand);
      CHECK(system.services["wuauserv"].state == ServiceState::running);
      CHECK_FALSE(std::filesystem::exists(windows / "SoftwareDistribution"));
      CHECK_FALSE(std::filesystem::exists(windows / "System32" / "catroot2"));
      CHECK(system.registry_value(kOsUpgradeKey, kAllowOsUpgrade) == RegistryValue::dword(1));
      // and undo from the journal in a "new process" (a new runner) reaches the old state
      updater::Runner runner(journal, repair_step_factory(system));
      CHECK(runner.rollback(result.operation).state == updater::OperationState::rolled_back);
      ++done;
    } else {
      CHECK(result.state == updater::OperationState::failed);
      ++failed;
    }
    CHECK(same(before, snapshot(windows, system)));
  }
  // The plan makes 9 changes (wuauserv's start type and start, 3 stops, 3 starts, the value; the
  // renames are on disk): a fault at each of them, then none.
  CHECK(failed == 9);
  CHECK(done == 11);
}

TEST_CASE("a killed repair (steps left started) is undone from the journal", "[repair]") {
  TempDir dir;
  const auto windows = dir / "windows";
  MemoryWindows system(windows);
  make_windows(windows, system);
  const auto before = snapshot(windows, system);
  const auto plan = plan_repair(system, {"software-distribution"}, fast());
  updater::Journal journal(dir / "journal.db");
  const auto id = journal.begin("repair", "test", {}, plan.steps);
  // The process "dies" in the middle of step 4 (the rename): steps 1-3 done, 4 started.
  const auto factory = repair_step_factory(system);
  auto op = *journal.get(id);
  for (int i = 0; i < 4; ++i) {
    auto step = factory(op.steps[i].kind, op.steps[i].params, op.steps);
    journal.mark_started(op.steps[i].id, step->params());
    const auto o = step->apply();
    if (i < 3) journal.mark(op.steps[i].id, o.state, o.evidence, false, step->params());
  }
  REQUIRE(journal.unfinished());
  updater::Runner runner(journal, repair_step_factory(system));
  CHECK(runner.rollback(id).state == updater::OperationState::rolled_back);
  CHECK(same(before, snapshot(windows, system)));
}

TEST_CASE("a service that does not stop fails its step and the repair is undone", "[repair]") {
  TempDir dir;
  const auto windows = dir / "windows";
  MemoryWindows system(windows);
  make_windows(windows, system);
  system.stuck.insert("cryptsvc");
  const auto before = snapshot(windows, system);
  updater::Journal journal(dir / "journal.db");
  const auto result = run(journal, system, plan_repair(system, {"catroot2"}, fast()));
  CHECK(result.state == updater::OperationState::failed);
  CHECK(result.message.find("cryptsvc is running") != std::string::npos);
  CHECK(same(before, snapshot(windows, system)));
}

TEST_CASE("allow-os-upgrade: an absent value and key are absent again after undo, a present one is restored",
          "[repair]") {
  TempDir dir;
  MemoryWindows system(dir.path());
  updater::Journal journal(dir / "journal.db");
  auto plan = plan_repair(system, {"allow-os-upgrade"}, fast());
  REQUIRE(plan.steps.size() == 1);
  CHECK(plan.steps[0].description.find("to DWORD 1 (now absent)") != std::string::npos);
  auto result = run(journal, system, plan);
  REQUIRE(result.state == updater::OperationState::done);
  CHECK(system.registry_value(kOsUpgradeKey, kAllowOsUpgrade) == RegistryValue::dword(1));
  updater::Runner runner(journal, repair_step_factory(system));
  REQUIRE(runner.rollback(result.operation).state == updater::OperationState::rolled_back);
  CHECK_FALSE(system.registry_key_exists(kOsUpgradeKey));

  system.registry[kOsUpgradeKey]["AllowOSUpgrade"] = {kRegSz, {'0', 0, 0, 0}};  // odd type, exact bytes
  system.registry[kOsUpgradeKey]["Other"] = RegistryValue::dword(7);
  const auto registry_before = system.registry;
  result = run(journal, system, plan_repair(system, {"allow-os-upgrade"}, fast()));
  REQUIRE(result.state == updater::OperationState::done);
  REQUIRE(runner.rollback(result.operation).state == updater::OperationState::rolled_back);
  CHECK(system.registry == registry_before);

  system.registry[kOsUpgradeKey]["AllowOSUpgrade"] = RegistryValue::dword(1);
  plan = plan_repair(system, {"allow-os-upgrade"}, fast());
  CHECK(plan.steps.empty());
  CHECK(plan.notes.at(0).find("1 already") != std::string::npos);
}

TEST_CASE("the diagnosis names problems, their evidence and the steps that fix them", "[repair]") {
  TempDir dir;
  const auto windows = dir / "windows";
  MemoryWindows system(windows);
  make_windows(windows, system);
  system.services["bits"].start_type = StartType::disabled;
  system.errors.errors = {{0x80070002, "2026-11-30", "2026-11 Cumulative Update", "history"},
                          {0xC1900101, "2026-11-01", "Feature update", "history"},
                          {0x12345678 | 0x80000000U, "2026-10-01", "Something", "history"}};
  system
      .registry["HKLM\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\WindowsUpdate\\Auto Update\\RebootRequired"] = {};
  system.registry["HKLM\\SOFTWARE\\Policies\\Microsoft\\Windows\\WindowsUpdate"]["WUServer"] = {
      kRegSz, {'h', 0, 't', 0, 't', 0, 'p', 0, ':', 0, '/', 0, '/', 0, 'w', 0, 0, 0}};
  system.registry["HKLM\\SOFTWARE\\Policies\\Microsoft\\Windows\\WindowsUpdate\\AU"]["UseWUServer"] =
      RegistryValue::dword(1);
  system.registry["HKLM\\SYSTEM\\CurrentControlSet\\Services\\W32Time\\Parameters"]["NtpServer"] = {
      kRegSz, {'1', 0, '2', 0, '7', 0, '.', 0, '0', 0, '.', 0, '0', 0, '.', 0,
               '1', 0, ':', 0, '9', 0, ',', 0, '0', 0, 'x', 0, '9', 0, 0,   0}};
  DiagnoseOptions options;
  options.ntp_timeout = std::chrono::milliseconds(200);
  const auto d = diagnose(system, options);
  std::map<std::string, const Check*> by_id;
  for (const auto& c : d.checks) by_id[c.id] = &c;
  CHECK(d.ntp_server == "127.0.0.1:9");  // W32Time's peer, without its flags
  CHECK(by_id.at("clock")->status == CheckStatus::unknown);
  CHECK(by_id.at("service:bits")->status == CheckStatus::problem);
  CHECK(by_id.at("service:bits")->step == "services");
  CHECK(by_id.at("service:wuauserv")->status == CheckStatus::ok);
  CHECK(by_id.at("software-distribution")->status == CheckStatus::problem);
  CHECK(by_id.at("software-distribution")->evidence.find("0x80070002") != std::string::npos);
  CHECK(by_id.at("software-distribution")->facts["files"] == 2);
  CHECK(by_id.at("catroot2")->status == CheckStatus::ok);
  CHECK(by_id.at("pending-reboot")->status == CheckStatus::problem);
  CHECK(by_id.at("policy")->evidence.find("WSUS server http://w") != std::string::npos);
  CHECK(by_id.at("policy")->status == CheckStatus::ok);
  CHECK(by_id.at("update-errors")->step == "troubleshooter");
  CHECK(by_id.at("os-upgrade")->step == "allow-os-upgrade");
  CHECK(by_id.at("windows-update-search")->status == CheckStatus::unknown);
  CHECK(d.needed_steps() == std::vector<std::string>{"services", "software-distribution", "troubleshooter"});
}

TEST_CASE("a diagnosis that cannot read the update errors says unknown, not ok", "[repair]") {
  TempDir dir;
  MemoryWindows system(dir / "windows");
  make_windows(dir / "windows", system);
  system.errors = {false, "Windows Update history: 0x80004001 Not implemented; no WindowsUpdate.log", {}};
  DiagnoseOptions options;
  options.ntp_timeout = std::chrono::milliseconds(100);
  options.ntp_server = "127.0.0.1:9";
  const auto d = diagnose(system, options);
  for (const auto& c : d.checks) {
    if (c.id == "update-errors" || c.id == "software-distribution" || c.id == "catroot2") {
      CAPTURE(c.id);
      CHECK(c.status == CheckStatus::unknown);
    }
  }
  CHECK(d.needed_steps().empty());
}

TEST_CASE("WindowsUpdate.log: WARNING and FATAL lines give their HRESULT, newest first", "[repair]") {
  const std::string log =
      "2014-09-24\t10:43:09:541\t 948\t1a0c\tAgent\t*************\n"
      "2014-09-24\t10:43:09:542\t 948\t1a0c\tAgent\t  * WARNING: Exit code = 0x80070002\r\n"
      "2014-09-24\t10:43:09:600\t 948\t1a0c\tAgent\t  * WARNING: Exit code = 0x80070002\n"
      "2014-09-25\t11:00:00:000\t 948\t1a0c\tDnldMgr\t  * FATAL: BITS job failed, hr = 80246008\n"
      "2014-09-25\t11:00:01:000\t 948\t1a0c\tAgent\t  * info: code 0x80070003 but not a warning\n"
      "garbage line with WARNING 0x80070005 but no tabs\n"
      "2014-09-26\t09:00:00:000\t 948\t1a0c\tAgent\t  * WARNING: count = 12345678 is no HRESULT\n";
  const auto errors = parse_windows_update_log(log, 10);
  REQUIRE(errors.size() == 2);
  CHECK(errors[0].code == 0x80246008);
  CHECK(errors[0].when == "2014-09-25 11:00:00");
  CHECK(errors[0].what.find("DnldMgr") == 0);
  CHECK(errors[1].code == 0x80070002);
  CHECK(parse_windows_update_log(log, 1).size() == 1);
  CHECK(hresult_text(0x80070002) == "0x80070002");
  REQUIRE(explain_update_error(0x80070003));
  CHECK(explain_update_error(0x80070003)->step == "software-distribution");
  CHECK(explain_update_error(0x80072F8F)->step == "clock");
  CHECK(explain_update_error(0x1234) == nullptr);
}

TEST_CASE("a repair step name that does not exist is a usage error", "[repair]") {
  TempDir dir;
  MemoryWindows system(dir.path());
  CHECK_THROWS_AS(plan_repair(system, {"reset-firewall"}, fast()), UsageError);
}
