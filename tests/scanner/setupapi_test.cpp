// Runs under Wine (a fresh prefix per run): the SetupAPI scanner against Wine's own devices, whose
// IDs and registry entries are real data in the prefix (windows-driver-facts.md §5).
#include <catch2/catch.hpp>

#include <windows.h>

#include <map>

#include "common/privileges.hpp"
#include "scanner/windows/setupapi_source.hpp"

using drvaudit::Device;

namespace {
std::map<std::string, Device> scan(bool include_absent = false) {
  std::map<std::string, Device> out;
  for (auto& d : drvaudit::SetupApiSource(include_absent).scan().devices) out.emplace(d.instance_id, d);
  return out;
}

const Device* find_by_hardware_id(const std::map<std::string, Device>& devices, const std::string& id) {
  for (const auto& [instance, d] : devices) {
    for (const auto& h : d.hardware_ids) {
      if (h == id) return &d;
    }
  }
  return nullptr;
}

// Wine binds drivers to its virtual devices asynchronously after a fresh prefix boots (winedevice
// installs each one as winebus reports it), so a scan right after wineboot can see the HID mouse
// before its class and driver are set. Scan until it is installed, for up to 30 s.
std::map<std::string, Device> scan_once_wine_has_installed_its_devices() {
  for (int attempt = 0;; ++attempt) {
    auto devices = scan();
    const Device* mouse = find_by_hardware_id(devices, "HID\\VID_845E&PID_0001");
    if ((mouse && !mouse->class_name.empty() && mouse->driver) || attempt == 60) return devices;
    Sleep(500);
  }
}
}  // namespace

TEST_CASE("SetupAPI: Wine's PCI adapter, HID devices and root bus devices with their IDs and classes") {
  const auto devices = scan_once_wine_has_installed_its_devices();
  REQUIRE(devices.size() >= 5);

  const Device* adapter = find_by_hardware_id(devices, "PCI\\VEN_0000&DEV_0000&SUBSYS_00000000&REV_00");
  REQUIRE(adapter != nullptr);
  CHECK(adapter->bus == "PCI");
  CHECK(adapter->class_name == "Display");
  CHECK(adapter->class_guid == "{4d36e968-e325-11ce-bfc1-08002be10318}");

  const Device* mouse = find_by_hardware_id(devices, "HID\\VID_845E&PID_0001");
  REQUIRE(mouse != nullptr);
  CHECK(mouse->class_name == "HIDClass");
  CHECK(mouse->instance_id.rfind("HID\\VID_845E&PID_0001\\", 0) == 0);
  // Wine's quirk: the first hardware ID is the whole instance ID; the list order is kept as read.
  CHECK(mouse->hardware_ids.size() >= 2);

  bool winebus = false;
  for (const auto& [id, d] : devices) winebus = winebus || id.rfind("ROOT\\WINE\\", 0) == 0;
  CHECK(winebus);
}

TEST_CASE("SetupAPI: the driver registry key fills in what Wine's device properties lack") {
  const auto devices = scan_once_wine_has_installed_its_devices();
  const Device* mouse = find_by_hardware_id(devices, "HID\\VID_845E&PID_0001");
  REQUIRE(mouse != nullptr);
  REQUIRE(mouse->driver.has_value());
  // DEVPKEY_Device_DriverInfPath is ERROR_NOT_FOUND under Wine: this came from the DIREG_DRV key.
  CHECK(mouse->driver->inf == "input.inf");
  // Wine records no DriverVersion anywhere: unknown, not an error.
  CHECK(mouse->driver->version.empty());
  CHECK_FALSE(mouse->driver->rank.has_value());
  // CM_Get_DevNode_Status is a stub that writes nothing: zero-initialised outputs mean no problem.
  CHECK(mouse->problem_code == 0);
  CHECK(mouse->present);
}

TEST_CASE("SetupAPI: a scan with absent devices included lists at least the present ones") {
  CHECK(scan(true).size() >= scan(false).size());
}

TEST_CASE("administrator detection agrees with what the token can actually do") {
  // Creating a key under HKLM\SOFTWARE needs an elevated token on Windows; Wine grants it too, so
  // both answers are checked against the same observable effect.
  HKEY key = nullptr;
  const LONG rc = RegCreateKeyExW(HKEY_LOCAL_MACHINE, L"SOFTWARE\\drvaudit-test-elevation", 0, nullptr, 0, KEY_WRITE,
                                  nullptr, &key, nullptr);
  const bool can_write_machine_keys = rc == ERROR_SUCCESS;
  if (key) {
    RegCloseKey(key);
    RegDeleteKeyW(HKEY_LOCAL_MACHINE, L"SOFTWARE\\drvaudit-test-elevation");
  }
  CHECK(drvaudit::is_administrator() == can_write_machine_keys);
}
