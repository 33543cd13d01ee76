#pragma once

#include "updater/driver_system.hpp"
#include "updater/step.hpp"

namespace drvaudit::updater {

// Rebuilds any of the updater's steps from its journal row, against this system.
StepFactory step_factory(DriverSystem& system);

}  // namespace drvaudit::updater
