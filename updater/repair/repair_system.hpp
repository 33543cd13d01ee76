#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "catalog/windows_update.hpp"

// What the Windows Update repair reads and changes on a system (services, registry values, the
// Windows folder, the OS's own records), behind one interface: the Windows implementation in
// updater/windows/, a refusal on Linux, and an in-memory one in the tests.
namespace drvaudit::repair {

enum class ServiceState { stopped, start_pending, stop_pending, running, continue_pending, pause_pending, paused };
enum class StartType { boot, system, automatic, demand, disabled };
std::string_view service_state_name(ServiceState s);
std::string_view start_type_name(StartType t);
ServiceState parse_service_state(std::string_view name);  // throws ParseError
StartType parse_start_type(std::string_view name);        // throws ParseError

struct ServiceInfo {
  std::string name;
  std::string display_name;
  StartType start_type = StartType::demand;
  ServiceState state = ServiceState::stopped;
};

// A registry value exactly as stored: its type (REG_SZ = 1, REG_DWORD = 4, ...) and raw bytes, so
// that undo writes back what was there, byte for byte.
struct RegistryValue {
  std::uint32_t type = 0;
  std::vector<std::uint8_t> data;
  bool operator==(const RegistryValue&) const = default;
  static RegistryValue dword(std::uint32_t v);
  std::optional<std::uint32_t> as_dword() const;
  std::optional<std::string> as_text() const;  // REG_SZ / REG_EXPAND_SZ as UTF-8; REG_MULTI_SZ joined by "; "
};
inline constexpr std::uint32_t kRegSz = 1, kRegExpandSz = 2, kRegBinary = 3, kRegDword = 4, kRegMultiSz = 7;

// One error the OS recorded for an update it could not search for, download or install.
struct RecordedUpdateError {
  std::uint32_t code = 0;  // an HRESULT
  std::string when;        // as the record gives it
  std::string what;        // the update's title or the log line's operation
  std::string from;        // where it was read (Windows Update history, WindowsUpdate.log)
};

struct RecordedErrors {
  bool available = false;
  std::string source;                       // what was read, or why nothing could be
  std::vector<RecordedUpdateError> errors;  // newest first
};

using windows_update::DriverOffer;
using windows_update::DriverSearch;

struct ProxySetting {
  bool known = false;
  bool direct = true;
  std::string proxy, bypass;
};

class RepairSystem {
 public:
  virtual ~RepairSystem() = default;
  virtual std::string name() const = 0;
  virtual std::string machine_name() const = 0;  // the computer's name, for reports
  // False on Linux: the Windows checks and steps do not apply there.
  virtual bool is_windows() const = 0;

  virtual std::optional<ServiceInfo> service(const std::string& name) = 0;
  // These throw drvaudit::Error with the system's reason; the steps read the state back themselves.
  virtual void set_start_type(const std::string& name, StartType type) = 0;
  virtual void start_service(const std::string& name) = 0;
  virtual void stop_service(const std::string& name) = 0;

  // key: "HKLM\\SOFTWARE\\..." (HKLM, HKCU). nullopt when the value (or its key) does not exist.
  virtual std::optional<RegistryValue> registry_value(const std::string& key, const std::string& name) = 0;
  virtual bool registry_key_exists(const std::string& key) = 0;
  virtual std::vector<std::string> registry_value_names(const std::string& key) = 0;
  // Creates the key when it is missing.
  virtual void set_registry_value(const std::string& key, const std::string& name, const RegistryValue& value) = 0;
  virtual void delete_registry_value(const std::string& key, const std::string& name) = 0;
  // Deletes the key only when it has no values and no subkeys (one drvaudit created for a value).
  virtual void delete_registry_key_if_empty(const std::string& key) = 0;

  virtual std::filesystem::path windows_folder() = 0;
  virtual ProxySetting winhttp_proxy() = 0;
  virtual RecordedErrors recorded_update_errors() = 0;
  virtual DriverSearch search_driver_updates() = 0;
};

// This machine's (Windows: the real one; Linux: one whose Windows parts say they do not apply).
std::unique_ptr<RepairSystem> open_repair_system();

}  // namespace drvaudit::repair
