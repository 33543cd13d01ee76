#include "updater/step_factory.hpp"

#include "updater/install_step.hpp"
#include "updater/journal.hpp"
#include "updater/restore_point_steps.hpp"

namespace drvaudit::updater {

StepFactory step_factory(DriverSystem& system) {
  return [&system](const std::string& kind, const nlohmann::json& params,
                   const std::vector<StepRecord>& steps) -> std::unique_ptr<Step> {
    if (kind == kInstallDriver) return make_install(system, params);
    if (kind == kBeginRestorePoint) return make_begin_restore_point(system, params, steps);
    if (kind == kEndRestorePoint) return make_end_restore_point(system, params, steps);
    return nullptr;
  };
}

}  // namespace drvaudit::updater
