#include "updater/repair/repair_steps.hpp"

#include <cmath>
#include <thread>

#include <fmt/format.h>
#include <sodium.h>

#include "common/clock.hpp"
#include "common/error.hpp"
#include "common/process.hpp"
#include "common/sntp.hpp"
#include "common/text.hpp"

namespace drvaudit::repair {

namespace {
using updater::Outcome;
using updater::StepState;

std::filesystem::path path_of(const std::string& text) { return std::u8string(text.begin(), text.end()); }
std::string path_text(const std::filesystem::path& p) {
  const auto u8 = p.u8string();
  return std::string(u8.begin(), u8.end());
}

Outcome undone(std::string evidence) { return {StepState::undone, std::move(evidence), false}; }

nlohmann::json setting_json(const ServiceSetting& s) {
  return {{"start_type", start_type_name(s.start_type)}, {"state", service_state_name(s.state)}};
}
ServiceSetting setting_from(const nlohmann::json& j) {
  return {parse_start_type(j.at("start_type").get<std::string>()),
          parse_service_state(j.at("state").get<std::string>())};
}
std::string setting_text(const ServiceSetting& s) {
  return std::string(service_state_name(s.state)) + ", " + std::string(start_type_name(s.start_type));
}

// ---- a service's start type and state ------------------------------------------------------------

std::string describe_service(const nlohmann::json& params) {
  const auto name = params.at("name").get<std::string>();
  const auto before = setting_from(params.at("before"));
  const auto after = setting_from(params.at("after"));
  std::string what;
  if (before.start_type != after.start_type)
    what = "set the start type of " + name + " from " + std::string(start_type_name(before.start_type)) + " to " +
           std::string(start_type_name(after.start_type));
  if (before.state != after.state) {
    const std::string verb = after.state == ServiceState::running ? "start" : "stop";
    what += what.empty() ? verb + " " + name : " and " + verb + " it";
  }
  if (what.empty()) what = "keep " + name + " " + setting_text(after);
  const auto why = params.value("why", std::string());
  return what + (why.empty() ? "" : " (" + why + ")");
}

class ServiceStep final : public updater::Step {
 public:
  ServiceStep(RepairSystem& system, nlohmann::json params)
      : system_(system),
        params_(std::move(params)),
        name_(params_.at("name").get<std::string>()),
        before_(setting_from(params_.at("before"))),
        after_(setting_from(params_.at("after"))),
        wait_(params_.at("wait_ms").get<std::int64_t>()) {}

  std::string kind() const override { return kServiceStep; }
  std::string describe() const override { return describe_service(params_); }
  nlohmann::json params() const override { return params_; }

  Outcome apply() override { return bring_to(after_, false); }

  Outcome verify() override {
    const auto now = system_.service(name_);
    if (!now) return Outcome::failed(name_ + " is not on this system");
    if (matches(*now, after_)) return Outcome::done(name_ + " is " + setting_text(setting_of(*now)));
    return Outcome::failed(name_ + " is " + setting_text(setting_of(*now)) + ", expected " + setting_text(after_));
  }

  Outcome undo() override { return bring_to(before_, true); }

 private:
  static bool matches(const ServiceInfo& info, const ServiceSetting& want) {
    return info.start_type == want.start_type && info.state == want.state;
  }

  Outcome bring_to(const ServiceSetting& want, bool undoing) {
    const auto fail = [&](const std::string& why) { return Outcome::failed(why); };
    try {
      auto now = system_.service(name_);
      if (!now) return fail(name_ + " is not on this system");
      if (now->start_type != want.start_type) system_.set_start_type(name_, want.start_type);
      if (want.state == ServiceState::running && now->state != ServiceState::running) {
        // A stop in progress must end before the service can be started again.
        if (now->state == ServiceState::stop_pending) wait_for_service(system_, name_, ServiceState::stopped, wait_);
        system_.start_service(name_);
      } else if (want.state == ServiceState::stopped && now->state != ServiceState::stopped) {
        system_.stop_service(name_);
      }
      now = wait_for_service(system_, name_, want.state, wait_);
      if (!now) return fail(name_ + " disappeared");
      if (!matches(*now, want))
        return fail(name_ + " is " + setting_text(setting_of(*now)) + " after " + std::to_string(wait_.count() / 1000) +
                    " s, expected " + setting_text(want));
      const std::string evidence = name_ + " is " + setting_text(want);
      return undoing ? undone(evidence) : Outcome::done(evidence);
    } catch (const Error& e) {
      return fail(e.what());
    }
  }

  RepairSystem& system_;
  nlohmann::json params_;
  std::string name_;
  ServiceSetting before_, after_;
  std::chrono::milliseconds wait_;
};

// ---- renaming a folder aside ---------------------------------------------------------------------

class RenameFolderStep final : public updater::Step {
 public:
  explicit RenameFolderStep(nlohmann::json params)
      : params_(std::move(params)),
        from_(path_of(params_.at("from").get<std::string>())),
        to_(path_of(params_.at("to").get<std::string>())) {}

  std::string kind() const override { return kRenameFolderStep; }
  std::string describe() const override {
    return "rename " + path_text(from_) + " to " + path_text(to_.filename()) + " (kept, not deleted)";
  }
  nlohmann::json params() const override { return params_; }

  Outcome apply() override {
    std::error_code ec;
    if (std::filesystem::exists(to_, ec)) return Outcome::failed(path_text(to_) + " exists already");
    if (!std::filesystem::is_directory(from_, ec)) return Outcome::failed(path_text(from_) + " is not there");
    std::filesystem::rename(from_, to_, ec);
    if (ec) return Outcome::failed("cannot rename " + path_text(from_) + ": " + ec.message());
    return Outcome::done("renamed");
  }

  Outcome verify() override {
    std::error_code ec;
    const bool from_there = std::filesystem::exists(from_, ec);
    const bool to_there = std::filesystem::is_directory(to_, ec);
    if (!from_there && to_there)
      return Outcome::done(path_text(from_.filename()) + " is now " + path_text(to_.filename()));
    return Outcome::failed(std::string(from_there ? path_text(from_) + " is still there" : "") +
                           (to_there ? "" : (from_there ? "; " : "") + path_text(to_) + " is missing"));
  }

  Outcome undo() override {
    std::error_code ec;
    const bool to_there = std::filesystem::is_directory(to_, ec);
    const bool from_there = std::filesystem::exists(from_, ec);
    if (!to_there) {
      if (from_there) return undone("nothing was renamed: " + path_text(from_) + " is in place");
      return Outcome::failed("neither " + path_text(from_) + " nor the backup " + path_text(to_) + " exists");
    }
    std::string evidence;
    if (from_there) {
      // Windows (or a running service) made a new folder meanwhile: keep it, next to the others.
      auto aside = from_;
      aside += ".drvaudit-recreated-" + compact_stamp();
      for (int n = 2; std::filesystem::exists(aside, ec); ++n) {
        aside = from_;
        aside += ".drvaudit-recreated-" + compact_stamp() + "-" + std::to_string(n);
      }
      std::filesystem::rename(from_, aside, ec);
      if (ec) return Outcome::failed("cannot move the new " + path_text(from_) + " aside: " + ec.message());
      evidence = "the folder Windows recreated is kept as " + path_text(aside.filename()) + "; ";
    }
    std::filesystem::rename(to_, from_, ec);
    if (ec) return Outcome::failed(evidence + "cannot rename " + path_text(to_) + " back: " + ec.message());
    if (!std::filesystem::is_directory(from_, ec) || std::filesystem::exists(to_, ec))
      return Outcome::failed(evidence + path_text(to_) + " was renamed but is not back in place");
    return undone(evidence + path_text(to_.filename()) + " is " + path_text(from_.filename()) + " again");
  }

 private:
  static std::string compact_stamp() {
    std::string s = utc_now_iso8601();  // 2026-12-02T18:14:01Z -> 20261202-181401
    std::string out;
    for (char c : s.substr(0, 19))
      if (c != '-' && c != ':') out += c == 'T' ? '-' : c;
    return out;
  }
  nlohmann::json params_;
  std::filesystem::path from_, to_;
};

// ---- a registry value --------------------------------------------------------------------------

nlohmann::json value_json(const std::optional<RegistryValue>& v) {
  if (!v) return nullptr;
  const std::string bytes(v->data.begin(), v->data.end());
  return {{"type", v->type}, {"data", text::hex_bytes(bytes)}};
}

std::optional<RegistryValue> value_from(const nlohmann::json& j) {
  if (j.is_null()) return std::nullopt;
  RegistryValue v;
  v.type = j.at("type").get<std::uint32_t>();
  const auto hex = j.at("data").get<std::string>();
  v.data.resize(hex.size() / 2);
  std::size_t written = 0;
  if (sodium_hex2bin(v.data.data(), v.data.size(), hex.data(), hex.size(), nullptr, &written, nullptr) != 0 ||
      written != v.data.size())
    throw ParseError("journal: a registry step holds damaged data");
  return v;
}

std::string value_text(const std::optional<RegistryValue>& v) {
  if (!v) return "absent";
  if (const auto d = v->as_dword()) return "DWORD " + std::to_string(*d);
  if (const auto t = v->as_text()) return "\"" + *t + "\"";
  return "type " + std::to_string(v->type) + ", " + std::to_string(v->data.size()) + " bytes";
}

class RegistryValueStep final : public updater::Step {
 public:
  RegistryValueStep(RepairSystem& system, nlohmann::json params)
      : system_(system),
        params_(std::move(params)),
        key_(params_.at("key").get<std::string>()),
        name_(params_.at("name").get<std::string>()),
        key_existed_(params_.at("key_existed").get<bool>()),
        before_(value_from(params_.at("before"))),
        after_(*value_from(params_.at("after"))) {}

  std::string kind() const override { return kRegistryValueStep; }
  std::string describe() const override {
    return "set " + key_ + "\\" + name_ + " to " + value_text(after_) + " (now " + value_text(before_) + ")";
  }
  nlohmann::json params() const override { return params_; }

  Outcome apply() override {
    try {
      system_.set_registry_value(key_, name_, after_);
      return Outcome::done("written");
    } catch (const Error& e) {
      return Outcome::failed(e.what());
    }
  }

  Outcome verify() override {
    const auto now = system_.registry_value(key_, name_);
    if (now == after_) return Outcome::done(name_ + " is " + value_text(now));
    return Outcome::failed(name_ + " is " + value_text(now) + ", expected " + value_text(after_));
  }

  Outcome undo() override {
    try {
      if (before_) {
        system_.set_registry_value(key_, name_, *before_);
      } else {
        if (system_.registry_value(key_, name_)) system_.delete_registry_value(key_, name_);
        if (!key_existed_ && system_.registry_key_exists(key_)) system_.delete_registry_key_if_empty(key_);
      }
    } catch (const Error& e) {
      return Outcome::failed(e.what());
    }
    const auto now = system_.registry_value(key_, name_);
    if (now != before_) return Outcome::failed(name_ + " is " + value_text(now) + ", expected " + value_text(before_));
    return undone(
        name_ + " is " + value_text(now) + " again" +
        (!key_existed_ && !system_.registry_key_exists(key_) ? " (and the key drvaudit created is gone)" : ""));
  }

 private:
  RepairSystem& system_;
  nlohmann::json params_;
  std::string key_, name_;
  bool key_existed_;
  std::optional<RegistryValue> before_;
  RegistryValue after_;
};

// ---- the clock --------------------------------------------------------------------------------

class ClockResyncStep final : public updater::Step {
 public:
  ClockResyncStep(RepairSystem& system, nlohmann::json params)
      : system_(system),
        params_(std::move(params)),
        server_(params_.at("server").get<std::string>()),
        max_offset_(params_.at("max_offset_seconds").get<double>()) {}

  std::string kind() const override { return kClockResyncStep; }
  std::string describe() const override {
    return "w32tm /resync, then measure the clock against " + server_ + " again (at most " +
           std::to_string(static_cast<int>(max_offset_)) + " s off)";
  }
  nlohmann::json params() const override { return params_; }

  Outcome apply() override {
    const auto w32tm = system_.windows_folder() / "System32" / "w32tm.exe";
    std::error_code ec;
    if (!std::filesystem::exists(w32tm, ec)) {
      Outcome o = Outcome::failed(path_text(w32tm) + " is not on this system: the clock cannot be synchronized here");
      o.unsupported = true;
      return o;
    }
    try {
      const auto r = process::run({path_text(w32tm), "/resync"}, process::Options::within(std::chrono::seconds(120)));
      if (r.exit_code != 0)
        return Outcome::failed("w32tm /resync exited " + std::to_string(r.exit_code) + ": " +
                               text::escape_control(r.out + r.err));
      return Outcome::done("w32tm /resync: " + text::escape_control(r.out));
    } catch (const Error& e) {
      return Outcome::failed(e.what());
    }
  }

  Outcome verify() override {
    const auto m = sntp::query(server_, std::chrono::seconds(5));
    if (m.status != sntp::Status::ok)
      return Outcome::failed("the clock could not be measured against " + m.server + " afterwards: " + m.detail);
    const std::string off = fmt::format("{:+.3f} s", m.offset_seconds);
    if (std::fabs(m.offset_seconds) > max_offset_) return Outcome::failed("the clock is still off by " + off);
    return Outcome::done("the clock is within " + off + " of " + m.server);
  }

  Outcome undo() override { return undone("a clock synchronization is not undone (the old time was the fault)"); }

 private:
  RepairSystem& system_;
  nlohmann::json params_;
  std::string server_;
  double max_offset_;
};

// ---- the troubleshooter ----------------------------------------------------------------------------

class TroubleshooterStep final : public updater::Step {
 public:
  explicit TroubleshooterStep(nlohmann::json params)
      : params_(std::move(params)), program_(path_of(params_.at("program").get<std::string>())) {}

  std::string kind() const override { return kTroubleshooterStep; }
  std::string describe() const override {
    return "run the Windows Update troubleshooter (" + path_text(program_.filename()) +
           " /id WindowsUpdateDiagnostic) when this Windows still has it";
  }
  nlohmann::json params() const override { return params_; }

  Outcome apply() override {
    std::error_code ec;
    if (!std::filesystem::exists(program_, ec))
      return Outcome::skipped("the troubleshooter is retired on this Windows (no " + path_text(program_) + ")");
    try {
      const auto r = process::run({path_text(program_), "/id", "WindowsUpdateDiagnostic"},
                                  process::Options::within(std::chrono::seconds(3600)));
      ran_ = true;
      exit_code_ = r.exit_code;
      return Outcome::done("the troubleshooter ran and exited " + std::to_string(r.exit_code));
    } catch (const Error& e) {
      return Outcome::failed(e.what());
    }
  }

  // What it fixed is its own business: there is nothing of drvaudit's to read back.
  Outcome verify() override {
    return Outcome::done(ran_ ? "the troubleshooter exited " + std::to_string(exit_code_) +
                                    "; what it changed is not in drvaudit's journal"
                              : "the troubleshooter's result is not known to drvaudit");
  }
  Outcome undo() override { return undone("what the troubleshooter changed cannot be undone by drvaudit"); }

 private:
  nlohmann::json params_;
  std::filesystem::path program_;
  bool ran_ = false;
  int exit_code_ = 0;
};
}  // namespace

ServiceSetting setting_of(const ServiceInfo& service) {
  const bool stopped = service.state == ServiceState::stopped || service.state == ServiceState::stop_pending;
  return {service.start_type, stopped ? ServiceState::stopped : ServiceState::running};
}

std::optional<ServiceInfo> wait_for_service(RepairSystem& system, const std::string& name, ServiceState state,
                                            std::chrono::milliseconds wait) {
  const auto deadline = std::chrono::steady_clock::now() + wait;
  auto delay = std::chrono::milliseconds(50);
  for (;;) {
    auto now = system.service(name);
    if (!now || now->state == state || std::chrono::steady_clock::now() >= deadline) return now;
    std::this_thread::sleep_for(delay);
    delay = std::min(delay * 2, std::chrono::milliseconds(500));
  }
}

updater::PlannedStep plan_service(const std::string& name, const ServiceSetting& before, const ServiceSetting& after,
                                  std::chrono::milliseconds wait, const std::string& why) {
  nlohmann::json params{{"name", name},
                        {"before", setting_json(before)},
                        {"after", setting_json(after)},
                        {"wait_ms", wait.count()},
                        {"why", why}};
  return {kServiceStep, describe_service(params), params};
}

updater::PlannedStep plan_rename_folder(const std::filesystem::path& from, const std::filesystem::path& to,
                                        const std::string& stamp) {
  nlohmann::json params{{"from", path_text(from)}, {"to", path_text(to)}, {"stamp", stamp}};
  const RenameFolderStep describer(params);
  return {kRenameFolderStep, describer.describe(), params};
}

updater::PlannedStep plan_registry_value(const std::string& key, const std::string& name,
                                         const std::optional<RegistryValue>& before, bool key_existed,
                                         const RegistryValue& after) {
  nlohmann::json params{{"key", key},
                        {"name", name},
                        {"key_existed", key_existed},
                        {"before", value_json(before)},
                        {"after", value_json(after)}};
  return {kRegistryValueStep,
          "set " + key + "\\" + name + " to " + value_text(after) + " (now " + value_text(before) + ")", params};
}

updater::PlannedStep plan_clock_resync(const std::string& server, double max_offset_seconds) {
  nlohmann::json params{{"server", server}, {"max_offset_seconds", max_offset_seconds}};
  return {kClockResyncStep,
          "w32tm /resync, then measure the clock against " + server + " again (at most " +
              std::to_string(static_cast<int>(max_offset_seconds)) + " s off)",
          params};
}

updater::PlannedStep plan_troubleshooter(const std::filesystem::path& msdt) {
  nlohmann::json params{{"program", path_text(msdt)}};
  const TroubleshooterStep describer(params);
  return {kTroubleshooterStep, describer.describe(), params};
}

updater::StepFactory repair_step_factory(RepairSystem& system) {
  return [&system](const std::string& kind, const nlohmann::json& params,
                   const std::vector<updater::StepRecord>&) -> std::unique_ptr<updater::Step> {
    if (kind == kServiceStep) return std::make_unique<ServiceStep>(system, params);
    if (kind == kRenameFolderStep) return std::make_unique<RenameFolderStep>(params);
    if (kind == kRegistryValueStep) return std::make_unique<RegistryValueStep>(system, params);
    if (kind == kClockResyncStep) return std::make_unique<ClockResyncStep>(system, params);
    if (kind == kTroubleshooterStep) return std::make_unique<TroubleshooterStep>(params);
    return nullptr;
  };
}

}  // namespace drvaudit::repair
