// The weekly audit on Windows: a task in Task Scheduler's \drvaudit folder, registered through COM
// (ITaskService) from the task XML drvaudit generates (the golden-tested text), running as SYSTEM
// with highest privileges. When the COM service cannot be created, `schtasks /Create /XML` does the
// same. A Task Scheduler that cannot make weekly triggers (Wine: ITriggerCollection::Create gives
// E_NOTIMPL for TASK_TRIGGER_WEEKLY) is found before anything is registered: unsupported, exit 3.
#include <taskschd.h>
#include <windows.h>

#include <cstdio>
#include <utility>

#include "common/atomic_file.hpp"
#include "common/error.hpp"
#include "common/process.hpp"
#include "common/text.hpp"
#include "common/windows/com.hpp"
#include "common/windows/wide.hpp"
#include "common/windows/wine.hpp"
#include "updater/schedule/scheduler.hpp"

namespace drvaudit::schedule {

namespace {
constexpr const char* kRegisterTask = "register-task";
constexpr const char* kDeleteTask = "delete-task";

using win::Bstr;
using win::Com;
using win::ComApartment;
std::string hr_text(HRESULT hr) { return win::code_text(static_cast<unsigned long>(hr)); }

std::wstring folder_path() { return win::widen(std::string(kTaskFolder)); }
std::wstring task_name() { return win::widen(std::string(kTaskName)); }
std::string task_path() { return std::string(kTaskFolder) + "\\" + std::string(kTaskName); }

// The connected Task Scheduler service, or the HRESULT that refused it.
struct Service {
  Com<ITaskService> service;
  HRESULT hr = E_FAIL;
};

Service connect() {
  Service s;
  s.hr = CoCreateInstance(CLSID_TaskScheduler, nullptr, CLSCTX_INPROC_SERVER, IID_ITaskService,
                          reinterpret_cast<void**>(s.service.out()));
  if (FAILED(s.hr)) return s;
  VARIANT empty;
  VariantInit(&empty);
  s.hr = s.service->Connect(empty, empty, empty, empty);
  return s;
}

// Whether this Task Scheduler can make a weekly trigger at all; the error when it cannot.
std::optional<std::string> weekly_trigger_problem(ITaskService* service) {
  Com<ITaskDefinition> definition;
  HRESULT hr = service->NewTask(0, definition.out());
  if (FAILED(hr)) return "ITaskService::NewTask: " + hr_text(hr);
  Com<ITriggerCollection> triggers;
  hr = definition->get_Triggers(triggers.out());
  if (FAILED(hr)) return "ITaskDefinition::get_Triggers: " + hr_text(hr);
  Com<ITrigger> trigger;
  hr = triggers->Create(TASK_TRIGGER_WEEKLY, trigger.out());
  if (hr == E_NOTIMPL)
    return "this Task Scheduler cannot make weekly triggers (ITriggerCollection::Create(TASK_TRIGGER_WEEKLY) gives "
           "E_NOTIMPL" +
           std::string(win::wine_version() ? ", as in Wine" : "") + ")";
  if (FAILED(hr)) return "ITriggerCollection::Create(TASK_TRIGGER_WEEKLY): " + hr_text(hr);
  return std::nullopt;
}

Com<ITaskFolder> folder(ITaskService* service, bool create, HRESULT& hr) {
  Com<ITaskFolder> root, ours;
  hr = service->GetFolder(Bstr(L"\\").get(), root.out());
  if (FAILED(hr)) return ours;
  hr = root->GetFolder(Bstr(folder_path()).get(), ours.out());
  if (SUCCEEDED(hr) || !create) return ours;
  VARIANT empty;
  VariantInit(&empty);
  hr = root->CreateFolder(Bstr(folder_path()).get(), empty, ours.out());
  return ours;
}

// The registered task's XML, or nullopt when there is no such task.
std::optional<std::string> registered_xml(ITaskService* service) {
  HRESULT hr = S_OK;
  auto f = folder(service, false, hr);
  if (!f) return std::nullopt;
  Com<IRegisteredTask> task;
  if (FAILED(f->GetTask(Bstr(task_name()).get(), task.out()))) return std::nullopt;
  Bstr xml;
  if (FAILED(task->get_Xml(xml.out()))) return std::string();
  return xml.text();
}

// Registers the XML as SYSTEM with highest privileges; the error in words, or nullopt.
std::optional<std::string> register_xml(const std::string& xml) {
  ComApartment apartment;
  auto s = connect();
  if (FAILED(s.hr)) {
    // No COM Task Scheduler service: schtasks reads the same XML from a UTF-16 file.
    const auto file = std::filesystem::temp_directory_path() / "drvaudit-task.xml";
    const std::wstring wide = win::widen(xml);
    std::string bytes = "\xFF\xFE";
    bytes.append(reinterpret_cast<const char*>(wide.data()), wide.size() * sizeof(wchar_t));
    write_file_atomically(file, bytes);
    const auto r =
        process::run({"schtasks.exe", "/Create", "/XML", file.string(), "/TN", task_path(), "/RU", "SYSTEM", "/F"},
                     process::Options::within(std::chrono::seconds(60)));
    std::error_code ec;
    std::filesystem::remove(file, ec);
    if (r.exit_code != 0)
      return "Task Scheduler COM service unavailable (" + hr_text(s.hr) +
             ") and schtasks /Create /XML failed: " + text::trimmed(r.out + r.err);
    return std::nullopt;
  }
  HRESULT hr = S_OK;
  auto f = folder(s.service.get(), true, hr);
  if (!f) return "cannot open or create the task folder " + std::string(kTaskFolder) + ": " + hr_text(hr);
  VARIANT user;
  VariantInit(&user);
  user.vt = VT_BSTR;
  Bstr system(L"SYSTEM");
  user.bstrVal = system.get();
  VARIANT empty;
  VariantInit(&empty);
  Com<IRegisteredTask> task;
  hr = f->RegisterTask(Bstr(task_name()).get(), Bstr(win::widen(xml)).get(), TASK_CREATE_OR_UPDATE, user, empty,
                       TASK_LOGON_SERVICE_ACCOUNT, empty, task.out());
  if (FAILED(hr)) return "ITaskFolder::RegisterTask: " + hr_text(hr);
  return std::nullopt;
}

std::optional<std::string> delete_task() {
  ComApartment apartment;
  auto s = connect();
  if (FAILED(s.hr)) return "Task Scheduler unavailable: " + hr_text(s.hr);
  HRESULT hr = S_OK;
  auto f = folder(s.service.get(), false, hr);
  if (!f) return std::nullopt;  // no folder: no task
  hr = f->DeleteTask(Bstr(task_name()).get(), 0);
  if (FAILED(hr) && hr != HRESULT_FROM_WIN32(ERROR_FILE_NOT_FOUND)) return "ITaskFolder::DeleteTask: " + hr_text(hr);
  return std::nullopt;
}

std::optional<std::string> current_xml() {
  ComApartment apartment;
  auto s = connect();
  if (FAILED(s.hr)) throw Error("Task Scheduler is unavailable: " + hr_text(s.hr));
  return registered_xml(s.service.get());
}

// What a registered task's XML says: the weekly trigger's day and time, the command.
std::string element(const std::string& xml, const std::string& name) {
  const auto open = xml.find("<" + name + ">");
  if (open == std::string::npos) return "";
  const auto from = open + name.size() + 2;
  const auto close = xml.find("</" + name + ">", from);
  return close == std::string::npos ? "" : xml.substr(from, close - from);
}

// Registers (or, for delete-task, removes) the task; verify reads the task back from Task Scheduler.
class TaskStep final : public updater::Step {
 public:
  TaskStep(std::string kind, nlohmann::json params) : kind_(std::move(kind)), params_(std::move(params)) {}
  std::string kind() const override { return kind_; }
  std::string describe() const override {
    return (kind_ == kRegisterTask ? "register the task " : "delete the task ") + task_path() +
           (kind_ == kRegisterTask ? " (weekly, as SYSTEM, highest privileges)" : "");
  }
  nlohmann::json params() const override { return params_; }
  updater::Outcome apply() override {
    const auto problem = kind_ == kRegisterTask ? register_xml(params_.at("xml").get<std::string>()) : delete_task();
    return problem ? updater::Outcome::failed(*problem) : updater::Outcome::done("asked Task Scheduler");
  }
  updater::Outcome verify() override { return check(kind_ == kRegisterTask); }
  updater::Outcome undo() override {
    const auto& previous = params_.at("previous");
    const auto problem = previous.is_null() ? delete_task() : register_xml(previous.get<std::string>());
    if (problem) return updater::Outcome::failed(*problem);
    auto out = check(!previous.is_null());
    if (out.state == updater::StepState::done) out.state = updater::StepState::undone;
    return out;
  }

 private:
  updater::Outcome check(bool registered) const {
    const auto xml = current_xml();
    if (!registered)
      return xml ? updater::Outcome::failed(task_path() + " is still registered")
                 : updater::Outcome::done(task_path() + " is not registered");
    if (!xml) return updater::Outcome::failed(task_path() + " is not registered");
    if (element(*xml, "WeeksInterval").empty()) {
      // Registered, but without its weekly trigger: never a success.
      auto out = updater::Outcome::failed(task_path() + " was registered without its weekly trigger");
      out.unsupported = true;
      return out;
    }
    return updater::Outcome::done(task_path() + " registered with a weekly trigger, start " +
                                  element(*xml, "StartBoundary"));
  }
  std::string kind_;
  nlohmann::json params_;
};

class WindowsScheduler final : public Scheduler {
 public:
  explicit WindowsScheduler(const SchedulerOptions& options) {
    if (options.user) throw UsageError("--user is for systemd on Linux; the Windows task runs as SYSTEM");
    if (options.root) throw UsageError("--root is for Linux unit files; on Windows the task is registered");
    if (!options.via.empty()) throw UsageError("--via is for Linux (systemd or cron)");
  }
  std::string name() const override { return "Task Scheduler"; }
  bool needs_administrator() const override { return true; }

  std::vector<updater::PlannedStep> plan_install(const InstallRequest& request) override {
    ComApartment apartment;
    auto s = connect();
    std::optional<std::string> previous;
    if (SUCCEEDED(s.hr)) {
      if (auto problem = weekly_trigger_problem(s.service.get()))
        throw UnsupportedError(*problem + "; nothing was registered");
      previous = registered_xml(s.service.get());
    }
    const auto xml =
        task_xml(request.when, request.command, next_start_date(request.when, std::chrono::system_clock::now()));
    nlohmann::json params{{"xml", xml}, {"previous", previous ? nlohmann::json(*previous) : nlohmann::json(nullptr)}};
    const TaskStep step(kRegisterTask, params);
    return {{kRegisterTask, step.describe(), std::move(params)}};
  }

  std::vector<updater::PlannedStep> plan_remove() override {
    const auto previous = current_xml();
    if (!previous) return {};
    nlohmann::json params{{"previous", *previous}};
    const TaskStep step(kDeleteTask, params);
    return {{kDeleteTask, step.describe(), std::move(params)}};
  }

  Status status() override {
    Status s;
    s.mechanism = "Task Scheduler";
    ComApartment apartment;
    auto service = connect();
    if (FAILED(service.hr)) throw UnsupportedError("Task Scheduler is unavailable: " + hr_text(service.hr));
    const auto xml = registered_xml(service.service.get());
    if (!xml) return s;
    s.registered = true;
    s.where.push_back(task_path());
    const std::string boundary = element(*xml, "StartBoundary");
    static constexpr const char* kDays[] = {"Sunday",   "Monday", "Tuesday", "Wednesday",
                                            "Thursday", "Friday", "Saturday"};
    const std::string days = element(*xml, "DaysOfWeek");
    for (int d = 0; d < 7 && boundary.size() >= 16; ++d) {
      if (days.find(std::string("<") + kDays[d]) == std::string::npos) continue;
      try {
        s.when = parse_weekly(day_name(d), boundary.substr(11, 5));
      } catch (const UsageError&) {
      }
    }
    s.command = element(*xml, "Command") + " " + element(*xml, "Arguments");
    return s;
  }

  updater::StepFactory factory() override { return schedule_step_factory(); }
};
}  // namespace

updater::StepFactory schedule_step_factory() {
  return [](const std::string& kind, const nlohmann::json& params,
            const std::vector<updater::StepRecord>&) -> std::unique_ptr<updater::Step> {
    if (kind == kRegisterTask || kind == kDeleteTask) return std::make_unique<TaskStep>(kind, params);
    return nullptr;
  };
}

std::unique_ptr<Scheduler> open_scheduler(const SchedulerOptions& options) {
  return std::make_unique<WindowsScheduler>(options);
}

}  // namespace drvaudit::schedule
