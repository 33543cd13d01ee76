// The weekly audit on Linux: a systemd service and timer (system-wide, or the user's instance with
// --user), or /etc/cron.d/drvaudit when systemd is not running. --root writes below another folder
// (tests, packaging) and then never talks to a running systemd.
#include <unistd.h>

#include "common/error.hpp"
#include "common/paths.hpp"
#include "common/process.hpp"
#include "common/text.hpp"
#include "updater/schedule/file_step.hpp"
#include "updater/schedule/scheduler.hpp"

namespace drvaudit::schedule {

namespace {
constexpr const char* kSystemctl = "systemctl";

std::filesystem::path under(const std::optional<std::filesystem::path>& root, const std::filesystem::path& p) {
  return root ? *root / p.relative_path() : p;
}

// `systemctl [--user] enable|disable --now drvaudit-audit.timer`, after a daemon-reload so that
// systemd reads the files just written; verify asks `is-enabled` and `is-active`.
class SystemctlStep final : public updater::Step {
 public:
  explicit SystemctlStep(nlohmann::json params) : params_(std::move(params)) {}
  std::string kind() const override { return kSystemctl; }
  std::string describe() const override {
    return "systemctl " + std::string(user() ? "--user " : "") + action() + " --now " + timer();
  }
  nlohmann::json params() const override { return params_; }
  updater::Outcome apply() override { return run(action() == "enable"); }
  updater::Outcome verify() override { return check(action() == "enable"); }
  updater::Outcome undo() override {
    auto out = run(action() != "enable");
    if (out.state != updater::StepState::done) return out;
    out = check(action() != "enable");
    if (out.state == updater::StepState::done) out.state = updater::StepState::undone;
    return out;
  }

 private:
  bool user() const { return params_.value("user", false); }
  std::string action() const { return params_.at("action").get<std::string>(); }
  static std::string timer() { return std::string(kUnitName) + ".timer"; }
  std::vector<std::string> base() const {
    std::vector<std::string> argv{kSystemctl};
    if (user()) argv.emplace_back("--user");
    return argv;
  }
  updater::Outcome run(bool enable) const {
    auto reload = base();
    reload.emplace_back("daemon-reload");
    const auto r = process::run(reload, process::Options::within(std::chrono::seconds(60)));
    if (r.exit_code != 0) return updater::Outcome::failed("systemctl daemon-reload: " + text::trimmed(r.err));
    auto argv = base();
    argv.insert(argv.end(), {enable ? "enable" : "disable", "--now", timer()});
    const auto e = process::run(argv, process::Options::within(std::chrono::seconds(60)));
    // Disabling a timer whose files are gone already is no failure: check() decides.
    if (e.exit_code != 0 && enable) return updater::Outcome::failed(text::trimmed(e.err));
    return updater::Outcome::done(text::trimmed(e.err));
  }
  updater::Outcome check(bool enabled) const {
    auto argv = base();
    argv.insert(argv.end(), {"is-enabled", timer()});
    const auto r = process::run(argv, process::Options::within(std::chrono::seconds(30)));
    const std::string state = text::trimmed(r.out);
    if ((state == "enabled") == enabled)
      return updater::Outcome::done(timer() + " is " + (state.empty() ? "gone" : state));
    return updater::Outcome::failed(timer() + " is " + (state.empty() ? text::trimmed(r.err) : state));
  }
  nlohmann::json params_;
};

class LinuxScheduler final : public Scheduler {
 public:
  explicit LinuxScheduler(SchedulerOptions options) : options_(std::move(options)) {
    if (options_.via.empty()) {
      // sd_booted(): systemd is the running init when /run/systemd/system exists.
      std::error_code ec;
      options_.via =
          std::filesystem::is_directory(under(options_.root, "/run/systemd/system"), ec) ? "systemd" : "cron";
    }
    if (options_.via != "systemd" && options_.via != "cron")
      throw UsageError("--via " + options_.via + ": give systemd or cron");
    if (options_.user && options_.via == "cron")
      throw UsageError("--user needs the user's systemd instance; /etc/cron.d is system-wide (drop --user)");
  }

  std::string name() const override {
    if (options_.via == "cron") return "cron (" + path_text(cron_path()) + ")";
    return std::string("systemd (") + (options_.user ? "user" : "system-wide") + ")";
  }
  bool needs_administrator() const override { return !options_.root && !options_.user; }

  std::vector<updater::PlannedStep> plan_install(const InstallRequest& request) override {
    std::vector<updater::PlannedStep> steps;
    if (options_.via == "cron") {
      steps.push_back(plan_write_file(cron_path(), cron_file(request.when, request.command)));
      return steps;
    }
    steps.push_back(plan_write_file(unit_path(".service"), service_unit(request.command)));
    steps.push_back(plan_write_file(unit_path(".timer"), timer_unit(request.when)));
    if (talks_to_systemd()) steps.push_back(systemctl("enable"));
    return steps;
  }

  std::vector<updater::PlannedStep> plan_remove() override {
    std::vector<updater::PlannedStep> steps;
    for (const auto& file : files()) {
      if (!read_optional_file(file)) continue;
      if (file.extension() == ".timer" && talks_to_systemd()) steps.push_back(systemctl("disable"));
      steps.push_back(plan_write_file(file, std::nullopt));
    }
    return steps;
  }

  Status status() override {
    Status s;
    for (const auto& file : files()) {
      const auto content = read_optional_file(file);
      if (!content) continue;
      s.registered = true;
      s.where.push_back(path_text(file));
      for (const auto line : text::split(*content, '\n')) read_line(text::trim(line), file, s);
    }
    if (s.registered && talks_to_systemd() && s.mechanism == "systemd timer") {
      const auto r =
          process::run({kSystemctl, options_.user ? "--user" : "--system", "show", "--property",
                        "ActiveState,NextElapseUSecRealtime,LastTriggerUSec", std::string(kUnitName) + ".timer"},
                       process::Options::within(std::chrono::seconds(30)));
      if (r.exit_code == 0) s.detail = text::trimmed(r.out);
    }
    return s;
  }

  updater::StepFactory factory() override { return schedule_step_factory(); }

 private:
  static std::string path_text(const std::filesystem::path& p) { return p.string(); }
  bool talks_to_systemd() const { return !options_.root && options_.via == "systemd"; }

  std::filesystem::path cron_path() const { return under(options_.root, "/etc/cron.d/drvaudit"); }
  std::filesystem::path unit_dir() const {
    if (!options_.user) return under(options_.root, "/etc/systemd/system");
    const auto config = platform_default_paths(process_environment, false).config_dir.parent_path();
    return under(options_.root, config / "systemd" / "user");
  }
  std::filesystem::path unit_path(const char* suffix) const { return unit_dir() / (std::string(kUnitName) + suffix); }
  // Every file drvaudit may have written for this mechanism, the timer before the service.
  std::vector<std::filesystem::path> files() const {
    if (options_.via == "cron") return {cron_path()};
    return {unit_path(".timer"), unit_path(".service")};
  }

  updater::PlannedStep systemctl(const std::string& action) const {
    nlohmann::json params{{"action", action}, {"user", options_.user}};
    const SystemctlStep step(params);
    return {kSystemctl, step.describe(), std::move(params)};
  }

  static void read_line(std::string_view line, const std::filesystem::path& file, Status& s) {
    if (file.extension() == ".timer" || file.extension() == ".service") {
      s.mechanism = "systemd timer";
      if (text::istarts_with(line, "OnCalendar=")) {
        // "Sun *-*-* 03:00:00", as drvaudit writes it.
        const auto words = text::split(line.substr(11), ' ');
        if (words.size() == 3 && words[2].size() >= 5) {
          try {
            s.when = parse_weekly(words[0], words[2].substr(0, 5));
          } catch (const UsageError&) {
          }
        }
      }
      if (text::istarts_with(line, "ExecStart=")) s.command = std::string(line.substr(10));
      return;
    }
    s.mechanism = "cron";
    if (line.empty() || line.front() == '#' || line.find('=') < line.find(' ')) return;
    const auto fields = text::split(line, ' ');
    if (fields.size() < 7) return;
    const auto minute = text::parse_decimal(fields[0], 59), hour = text::parse_decimal(fields[1], 23),
               day = text::parse_decimal(fields[4], 6);
    if (minute && hour && day)
      s.when = WeeklyTime{static_cast<int>(*day), static_cast<int>(*hour), static_cast<int>(*minute)};
    s.command = std::string(line.substr(static_cast<std::size_t>(fields[6].data() - line.data())));
  }

  SchedulerOptions options_;
};
}  // namespace

updater::StepFactory schedule_step_factory() {
  return [](const std::string& kind, const nlohmann::json& params,
            const std::vector<updater::StepRecord>&) -> std::unique_ptr<updater::Step> {
    if (kind == kWriteFile) return make_write_file(params);
    if (kind == kSystemctl) return std::make_unique<SystemctlStep>(params);
    return nullptr;
  };
}

std::unique_ptr<Scheduler> open_scheduler(const SchedulerOptions& options) {
  return std::make_unique<LinuxScheduler>(options);
}

}  // namespace drvaudit::schedule
