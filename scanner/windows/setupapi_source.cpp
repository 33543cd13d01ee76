#include "scanner/windows/setupapi_source.hpp"

// clang-format off
#include <windows.h>
#include <initguid.h>
#include <devpkey.h>
#include <setupapi.h>
#include <cfgmgr32.h>
// clang-format on

#include <spdlog/spdlog.h>

#include <cstring>
#include <memory>
#include <optional>

#include "common/error.hpp"
#include "common/windows/handles.hpp"
#include "common/windows/wide.hpp"
#include "scanner/device_class.hpp"
#include "scanner/windows/machine_info_windows.hpp"

namespace drvaudit {

namespace {

struct DevInfoListCloser {
  void operator()(void* set) const noexcept { SetupDiDestroyDeviceInfoList(static_cast<HDEVINFO>(set)); }
};
using DevInfoList = std::unique_ptr<void, DevInfoListCloser>;

using win::RegistryKey;

class DeviceReader {
 public:
  DeviceReader(HDEVINFO set, SP_DEVINFO_DATA data) : set_(set), data_(data) {}

  std::string instance_id() const {
    DWORD needed = 0;
    SetupDiGetDeviceInstanceIdW(set_, const_cast<SP_DEVINFO_DATA*>(&data_), nullptr, 0, &needed);
    std::wstring buffer(needed + 1, L'\0');
    if (!SetupDiGetDeviceInstanceIdW(set_, const_cast<SP_DEVINFO_DATA*>(&data_), buffer.data(), needed + 1, nullptr))
      return {};
    return win::narrow(buffer.c_str());
  }

  // A registry property as raw UTF-16; empty when the device does not have it (ERROR_INVALID_DATA).
  std::wstring registry_property(DWORD property) const {
    DWORD type = 0, needed = 0;
    SetupDiGetDeviceRegistryPropertyW(set_, const_cast<SP_DEVINFO_DATA*>(&data_), property, &type, nullptr, 0, &needed);
    if (needed == 0) return {};
    std::wstring buffer(needed / sizeof(wchar_t) + 2, L'\0');
    if (!SetupDiGetDeviceRegistryPropertyW(set_, const_cast<SP_DEVINFO_DATA*>(&data_), property, &type,
                                           reinterpret_cast<BYTE*>(buffer.data()), needed, nullptr)) {
      return {};
    }
    return buffer;
  }

  std::string string_property(DWORD property) const { return win::narrow(registry_property(property).c_str()); }

  // REG_MULTI_SZ, in order: the list position is part of the driver rank.
  std::vector<std::string> id_list(DWORD property) const {
    const auto raw = registry_property(property);
    std::vector<std::string> ids;
    for (std::size_t i = 0; i < raw.size() && raw[i] != L'\0';) {
      const auto end = raw.find(L'\0', i);
      ids.push_back(win::narrow(std::wstring_view(raw).substr(i, end - i)));
      if (end == std::wstring::npos) break;
      i = end + 1;
    }
    return ids;
  }

  // A unified property; nullopt when the OS does not have it (Wine: ERROR_NOT_FOUND).
  std::optional<std::vector<BYTE>> device_property(const DEVPROPKEY& key, DEVPROPTYPE expected) const {
    DEVPROPTYPE type = 0;
    DWORD needed = 0;
    SetupDiGetDevicePropertyW(set_, const_cast<SP_DEVINFO_DATA*>(&data_), &key, &type, nullptr, 0, &needed, 0);
    if (needed == 0 || GetLastError() != ERROR_INSUFFICIENT_BUFFER) return std::nullopt;
    std::vector<BYTE> buffer(needed);
    if (!SetupDiGetDevicePropertyW(set_, const_cast<SP_DEVINFO_DATA*>(&data_), &key, &type, buffer.data(), needed,
                                   nullptr, 0) ||
        type != expected) {
      return std::nullopt;
    }
    return buffer;
  }

  std::string device_string(const DEVPROPKEY& key) const {
    auto raw = device_property(key, DEVPROP_TYPE_STRING);
    if (!raw) return {};
    return win::narrow(reinterpret_cast<const wchar_t*>(raw->data()));
  }

  std::optional<std::uint32_t> device_uint32(const DEVPROPKEY& key) const {
    auto raw = device_property(key, DEVPROP_TYPE_UINT32);
    if (!raw || raw->size() < sizeof(std::uint32_t)) return std::nullopt;
    std::uint32_t value = 0;
    std::memcpy(&value, raw->data(), sizeof value);
    return value;
  }

  DriverDate device_date(const DEVPROPKEY& key) const {
    auto raw = device_property(key, DEVPROP_TYPE_FILETIME);
    if (!raw || raw->size() < sizeof(FILETIME)) return {};
    FILETIME ft{};
    std::memcpy(&ft, raw->data(), sizeof ft);
    SYSTEMTIME st{};
    if (!FileTimeToSystemTime(&ft, &st)) return {};
    return DriverDate::from_ymd(st.wYear, st.wMonth, st.wDay);
  }

  RegistryKey driver_key() const {
    HKEY key =
        SetupDiOpenDevRegKey(set_, const_cast<SP_DEVINFO_DATA*>(&data_), DICS_FLAG_GLOBAL, 0, DIREG_DRV, KEY_READ);
    if (key == INVALID_HANDLE_VALUE) return RegistryKey();
    return RegistryKey(key);
  }

  DEVINST devinst() const { return data_.DevInst; }

 private:
  HDEVINFO set_;
  SP_DEVINFO_DATA data_;
};

std::string registry_string(HKEY key, const wchar_t* name) {
  DWORD type = 0, size = 0;
  if (RegQueryValueExW(key, name, nullptr, &type, nullptr, &size) != ERROR_SUCCESS ||
      (type != REG_SZ && type != REG_EXPAND_SZ))
    return {};
  std::wstring buffer(size / sizeof(wchar_t) + 1, L'\0');
  if (RegQueryValueExW(key, name, nullptr, &type, reinterpret_cast<BYTE*>(buffer.data()), &size) != ERROR_SUCCESS)
    return {};
  return win::narrow(buffer.c_str());
}

std::optional<InstalledDriver> read_driver(const DeviceReader& device, const std::string& service) {
  InstalledDriver drv;
  drv.version = device.device_string(DEVPKEY_Device_DriverVersion);
  drv.date = device.device_date(DEVPKEY_Device_DriverDate);
  drv.provider = device.device_string(DEVPKEY_Device_DriverProvider);
  drv.inf = device.device_string(DEVPKEY_Device_DriverInfPath);
  drv.section = device.device_string(DEVPKEY_Device_DriverInfSection);
  drv.matching_id = device.device_string(DEVPKEY_Device_MatchingDeviceId);
  drv.rank = device.device_uint32(DEVPKEY_Device_DriverRank);
  drv.service = service;
  // Older systems and Wine: the driver's registry key holds the same facts.
  if (auto key = device.driver_key()) {
    auto fill = [&](std::string& field, const wchar_t* name) {
      if (field.empty()) field = registry_string(key.get(), name);
    };
    fill(drv.version, L"DriverVersion");
    fill(drv.provider, L"ProviderName");
    fill(drv.inf, L"InfPath");
    fill(drv.section, L"InfSection");
    fill(drv.matching_id, L"MatchingDeviceId");
    if (drv.date.is_zero()) drv.date = DriverDate::parse(registry_string(key.get(), L"DriverDate"));
  }
  if (drv.inf.empty() && drv.version.empty() && drv.service.empty()) return std::nullopt;
  return drv;
}

}  // namespace

Inventory SetupApiSource::scan() {
  const DWORD flags = DIGCF_ALLCLASSES | (include_absent_ ? 0 : DIGCF_PRESENT);
  DevInfoList set(SetupDiGetClassDevsW(nullptr, nullptr, nullptr, flags));
  if (set.get() == INVALID_HANDLE_VALUE) {
    set.release();
    throw Error("SetupDiGetClassDevs failed: " + win::error_message(GetLastError()));
  }
  const auto handle = static_cast<HDEVINFO>(set.get());

  Inventory inventory;
  inventory.machine = windows_machine_info("setupapi");
  for (DWORD index = 0;; ++index) {
    SP_DEVINFO_DATA data{};
    data.cbSize = sizeof(data);
    if (!SetupDiEnumDeviceInfo(handle, index, &data)) {
      if (GetLastError() != ERROR_NO_MORE_ITEMS)
        spdlog::warn("SetupDiEnumDeviceInfo stopped: {}", win::error_message(GetLastError()));
      break;
    }
    const DeviceReader reader(handle, data);
    Device d;
    d.instance_id = reader.instance_id();
    if (d.instance_id.empty()) continue;
    d.bus = d.instance_id.substr(0, d.instance_id.find('\\'));
    d.hardware_ids = reader.id_list(SPDRP_HARDWAREID);
    d.compatible_ids = reader.id_list(SPDRP_COMPATIBLEIDS);
    d.class_name = reader.string_property(SPDRP_CLASS);
    d.class_guid = reader.string_property(SPDRP_CLASSGUID);
    for (auto& c : d.class_guid) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    d.description = reader.string_property(SPDRP_FRIENDLYNAME);
    if (d.description.empty()) d.description = reader.string_property(SPDRP_DEVICEDESC);
    d.manufacturer = reader.string_property(SPDRP_MFG);
    d.location = reader.string_property(SPDRP_LOCATION_INFORMATION);
    // CM_Get_DevNode_Status is a stub in Wine that leaves its outputs untouched: start from zero.
    ULONG status = 0, problem = 0;
    const CONFIGRET cr = CM_Get_DevNode_Status(&status, &problem, reader.devinst(), 0);
    d.present = cr != CR_NO_SUCH_DEVINST;
    d.problem_code = (cr == CR_SUCCESS && (status & DN_HAS_PROBLEM)) ? problem : 0;
    const std::string service = reader.string_property(SPDRP_SERVICE);
    const std::string driver_key_name = reader.string_property(SPDRP_DRIVER);
    if (!driver_key_name.empty() || !service.empty()) d.driver = read_driver(reader, service);
    inventory.devices.push_back(std::move(d));
  }
  spdlog::info("setupapi: {} devices listed", inventory.devices.size());
  return inventory;
}

}  // namespace drvaudit
