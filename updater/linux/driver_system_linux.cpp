#include "common/error.hpp"
#include "updater/driver_system.hpp"

namespace drvaudit::updater {

std::unique_ptr<DriverSystem> open_this_system() {
  throw UnsupportedError(
      "drvaudit installs Windows drivers only: on Linux, drivers come with the kernel (update it with the "
      "distribution's package manager). To prepare an offline Windows PC, run `drvaudit update --snapshot "
      "WINDOWS.json --stage-dir DIR` here and `drvaudit update --from-stage DIR` there");
}

}  // namespace drvaudit::updater
