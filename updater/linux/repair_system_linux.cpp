#include <unistd.h>

#include "common/error.hpp"
#include "updater/repair/repair_system.hpp"

// On Linux only the clock check applies: every Windows part of the repair refuses, so that no
// code path can report a Windows repair as done here.
namespace drvaudit::repair {

namespace {
[[noreturn]] void not_here() { throw UnsupportedError("Windows Update repair applies to Windows only: this is Linux"); }

class LinuxRepairSystem final : public RepairSystem {
 public:
  std::string name() const override { return "Linux"; }
  bool is_windows() const override { return false; }
  std::string machine_name() const override {
    char host[256] = {};
    if (::gethostname(host, sizeof host - 1) != 0) return "localhost";
    return host;
  }
  std::optional<ServiceInfo> service(const std::string&) override { not_here(); }
  void set_start_type(const std::string&, StartType) override { not_here(); }
  void start_service(const std::string&) override { not_here(); }
  void stop_service(const std::string&) override { not_here(); }
  std::optional<RegistryValue> registry_value(const std::string&, const std::string&) override { not_here(); }
  bool registry_key_exists(const std::string&) override { not_here(); }
  std::vector<std::string> registry_value_names(const std::string&) override { not_here(); }
  void set_registry_value(const std::string&, const std::string&, const RegistryValue&) override { not_here(); }
  void delete_registry_value(const std::string&, const std::string&) override { not_here(); }
  void delete_registry_key_if_empty(const std::string&) override { not_here(); }
  std::filesystem::path windows_folder() override { not_here(); }
  ProxySetting winhttp_proxy() override { not_here(); }
  RecordedErrors recorded_update_errors() override { not_here(); }
  DriverSearch search_driver_updates() override {
    return {false, "Windows Update is a Windows source: not on Linux", {}};
  }
};
}  // namespace

std::unique_ptr<RepairSystem> open_repair_system() { return std::make_unique<LinuxRepairSystem>(); }

}  // namespace drvaudit::repair
