#include "updater/restore_point_steps.hpp"

#include "common/error.hpp"

namespace drvaudit::updater {

namespace {
nlohmann::json frequency_json(const std::optional<std::uint32_t>& minutes) {
  return minutes ? nlohmann::json(*minutes) : nlohmann::json(nullptr);
}
std::optional<std::uint32_t> frequency_from(const nlohmann::json& value) {
  if (value.is_null()) return std::nullopt;
  return value.get<std::uint32_t>();
}
std::string frequency_text(const std::optional<std::uint32_t>& minutes) {
  return minutes ? std::to_string(*minutes) + " minutes" : "absent";
}

class BeginRestorePoint : public Step {
 public:
  BeginRestorePoint(DriverSystem& system, nlohmann::json params, bool ended)
      : system_(system), params_(std::move(params)), ended_(ended) {}
  std::string kind() const override { return kBeginRestorePoint; }
  std::string describe() const override {
    return "create a System Restore point \"" + params_.value("description", "") +
           "\" (SystemRestorePointCreationFrequency set to 0 for the call, then back to " +
           frequency_text(frequency_from(params_["frequency_before"])) + ")";
  }
  nlohmann::json params() const override { return params_; }

  Outcome apply() override {
    const auto before = frequency_from(params_["frequency_before"]);
    system_.set_restore_frequency(0);
    const auto result = system_.begin_restore_point(params_.value("description", "drvaudit"));
    system_.set_restore_frequency(before);
    if (result.status != RestorePointResult::Status::created) {
      Outcome out = Outcome::failed(result.message + " (--no-restore-point updates without one)");
      out.unsupported = result.status == RestorePointResult::Status::unavailable;
      return out;
    }
    params_["sequence"] = result.sequence;
    journal_now(params_);  // the moment BEGIN returned: a crash from here on can still end or cancel it
    return Outcome::done("restore point " + std::to_string(result.sequence) + " begun");
  }

  Outcome verify() override {
    const auto now = system_.restore_frequency();
    const auto before = frequency_from(params_["frequency_before"]);
    if (now != before)
      return Outcome::failed("SystemRestorePointCreationFrequency is " + frequency_text(now) + ", not " +
                             frequency_text(before) + " as before");
    if (!params_.contains("sequence")) return Outcome::failed("no restore point was begun");
    return Outcome::done("restore point " + std::to_string(params_["sequence"].get<std::int64_t>()) +
                         " begun; SystemRestorePointCreationFrequency back to " + frequency_text(before));
  }

  bool guards_later_steps() const override { return true; }
  // A later step stays in effect: the point is ended (not cancelled), so System Restore can take the
  // machine back to before the operation.
  Outcome keep() override {
    const auto before = frequency_from(params_["frequency_before"]);
    if (system_.restore_frequency() != before) system_.set_restore_frequency(before);
    if (!params_.contains("sequence")) return Outcome::done("no restore point was made");
    const auto seq = params_["sequence"].get<std::int64_t>();
    if (ended_ || params_.value("ended", false)) return Outcome::done("restore point " + std::to_string(seq) + " kept");
    const auto result = system_.end_restore_point(seq, false);
    if (result.status != RestorePointResult::Status::created)
      return Outcome::failed("ending restore point " + std::to_string(seq) + ": " + result.message);
    params_["ended"] = true;
    return Outcome::done("restore point " + std::to_string(seq) + " ended and kept");
  }

  Outcome undo() override {
    const auto before = frequency_from(params_["frequency_before"]);
    if (system_.restore_frequency() != before) system_.set_restore_frequency(before);
    if (system_.restore_frequency() != before)
      return Outcome::failed("SystemRestorePointCreationFrequency could not be put back to " + frequency_text(before));
    std::string evidence = "SystemRestorePointCreationFrequency is " + frequency_text(before);
    if (params_.contains("sequence") && !ended_ && !params_.value("ended", false)) {
      const auto seq = params_["sequence"].get<std::int64_t>();
      const auto result = system_.end_restore_point(seq, true);
      if (result.status != RestorePointResult::Status::created)
        return Outcome::failed("cancelling restore point " + std::to_string(seq) + ": " + result.message);
      params_["ended"] = true;
      evidence += "; restore point " + std::to_string(seq) + " cancelled (nothing was changed)";
    } else if (params_.contains("sequence")) {
      evidence += "; restore point " + std::to_string(params_["sequence"].get<std::int64_t>()) + " kept";
    }
    return {StepState::undone, evidence, false, false};
  }

 private:
  DriverSystem& system_;
  nlohmann::json params_;
  bool ended_;  // the end step ended it: a finished point is never cancelled
};

class EndRestorePoint : public Step {
 public:
  EndRestorePoint(DriverSystem& system, nlohmann::json params, std::optional<std::int64_t> sequence)
      : system_(system), params_(std::move(params)), sequence_(sequence) {}
  std::string kind() const override { return kEndRestorePoint; }
  std::string describe() const override { return "end the System Restore point (END_SYSTEM_CHANGE)"; }
  nlohmann::json params() const override { return params_; }
  Outcome apply() override {
    if (!sequence_) return Outcome::failed("no restore point was begun");
    if (params_.value("ended", false)) return Outcome::done("restore point ended");
    const auto result = system_.end_restore_point(*sequence_, false);
    if (result.status != RestorePointResult::Status::created) return Outcome::failed(result.message);
    params_["ended"] = true;
    params_["sequence"] = *sequence_;
    return Outcome::done("restore point " + std::to_string(*sequence_) + " ended");
  }
  Outcome verify() override {
    if (!params_.value("ended", false)) return Outcome::failed("the restore point was not ended");
    return Outcome::done("restore point " + std::to_string(*sequence_) + " ended: it can restore the old drivers");
  }
  // An ended restore point stays: it is how a user gets the old state back without drvaudit.
  Outcome undo() override { return {StepState::undone, "restore point kept", false, false}; }

 private:
  DriverSystem& system_;
  nlohmann::json params_;
  std::optional<std::int64_t> sequence_;
};
}  // namespace

PlannedStep plan_begin_restore_point(DriverSystem& system, const std::string& description) {
  nlohmann::json params{{"description", description}, {"frequency_before", frequency_json(system.restore_frequency())}};
  BeginRestorePoint step(system, params, false);
  return {kBeginRestorePoint, step.describe(), params};
}

PlannedStep plan_end_restore_point() {
  return {kEndRestorePoint, "end the System Restore point (END_SYSTEM_CHANGE)", nlohmann::json::object()};
}

std::unique_ptr<Step> make_begin_restore_point(DriverSystem& system, const nlohmann::json& params,
                                               const std::vector<StepRecord>& steps) {
  bool ended = false;
  for (const auto& s : steps) ended = ended || (s.kind == kEndRestorePoint && s.params.value("ended", false));
  return std::make_unique<BeginRestorePoint>(system, params, ended);
}

std::unique_ptr<Step> make_end_restore_point(DriverSystem& system, const nlohmann::json& params,
                                             const std::vector<StepRecord>& steps) {
  std::optional<std::int64_t> sequence;
  for (const auto& s : steps) {
    if (s.kind == kBeginRestorePoint && s.params.contains("sequence"))
      sequence = s.params["sequence"].get<std::int64_t>();
  }
  return std::make_unique<EndRestorePoint>(system, params, sequence);
}

}  // namespace drvaudit::updater
