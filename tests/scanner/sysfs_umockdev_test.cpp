#include <catch2/catch.hpp>

#include <map>

#include "scanner/linux/sysfs_source.hpp"
#include "tests/support/temp_dir.hpp"
#include "tests/support/umockdev_tree.hpp"

using drvaudit::Device;

namespace {
// Materialises a recording and scans it with no name databases, so results depend only on it.
std::map<std::string, Device> scan_recording(const std::string& relative) {
  drvaudit::test::TempDir dir;
  const auto root =
      drvaudit::test::materialise_umockdev(drvaudit::test::corpus_dir() / "sysfs" / relative, dir / "sys");
  drvaudit::SysfsOptions options;
  options.root = root;
  options.pci_ids = options.usb_ids = "/nonexistent";
  std::map<std::string, Device> by_id;
  for (auto& d : drvaudit::SysfsSource(options).scan().devices) by_id.emplace(d.instance_id, d);
  return by_id;
}
}  // namespace

TEST_CASE("umockdev usbkbd: a composite keyboard behind two hubs on an EHCI controller") {
  const auto devices = scan_recording("umockdev/input/usbkbd.umockdev");
  const std::string ehci = "/devices/pci0000:00/0000:00:1a.0";
  REQUIRE(devices.count(ehci));
  CHECK(devices.at(ehci).hardware_ids.front() == "PCI\\VEN_8086&DEV_3B3C&SUBSYS_216317AA&REV_06");
  CHECK(devices.at(ehci).class_name == "USB");
  // REV comes from config space byte 8: the recording has no "revision" attribute.
  CHECK(devices.at(ehci + "/usb1").hardware_ids.front() == "USB\\ROOT_HUB20&VID8086&PID3B3C&REV0006");

  const std::string kbd = ehci + "/usb1/1-1/1-1.5/1-1.5.4/1-1.5.4.2";
  REQUIRE(devices.count(kbd));
  CHECK(devices.at(kbd).hardware_ids.front() == "USB\\VID_05F3&PID_0007&REV_0320");
  CHECK(devices.at(kbd).compatible_ids.back() == "USB\\COMPOSITE");
  const auto& intf = devices.at(kbd + "/1-1.5.4.2:1.0");
  CHECK(intf.hardware_ids.front() == "USB\\VID_05F3&PID_0007&REV_0320&MI_00");
  CHECK(intf.compatible_ids.front() == "USB\\Class_03&SubClass_01&Prot_01");
  CHECK(intf.driver->service == "usbhid");
  CHECK(intf.parent_id == kbd);

  // Hubs are USB class devices with the hub class triple.
  const auto& hub = devices.at(ehci + "/usb1/1-1/1-1.5");
  CHECK(hub.hardware_ids.front() == "USB\\VID_17EF&PID_1005&REV_0001");
  CHECK(hub.compatible_ids.front() == "USB\\Class_09&SubClass_00&Prot_02");  // a multi-TT USB 2.0 hub
  CHECK(hub.class_name == "USB");

  for (const auto& [id, d] : devices) CHECK(id.find("/input/") == std::string::npos);  // input class devices
}

TEST_CASE("umockdev fido2: a single-interface HID key with its report descriptor") {
  const auto devices = scan_recording("umockdev/hidraw/fido2.umockdev");
  const std::string key = "/devices/pci0000:00/0000:00:08.1/0000:05:00.3/usb1/1-2/1-2.3";
  REQUIRE(devices.count(key));
  const auto& dev = devices.at(key);
  CHECK(dev.hardware_ids == std::vector<std::string>{"USB\\VID_1050&PID_0120&REV_0512", "USB\\VID_1050&PID_0120"});
  // Class 00 on the device: Windows takes the class triple from the only interface.
  CHECK(dev.compatible_ids.front() == "USB\\Class_03&SubClass_00&Prot_00");
  CHECK(dev.class_name == "HIDClass");
  REQUIRE(dev.driver);
  CHECK(dev.driver->service == "usbhid");          // the interface's driver, not the generic "usb"
  CHECK_FALSE(devices.count(key + "/1-2.3:1.0"));  // merged into its device, as on Windows

  const auto& hid = devices.at(key + "/1-2.3:1.0/0003:1050:0120.000A");
  CHECK(hid.hardware_ids == std::vector<std::string>{"HID\\VID_1050&PID_0120&REV_0512", "HID\\VID_1050&PID_0120",
                                                     "HID_DEVICE_UP:F1D0_U:0001", "HID_DEVICE"});
  CHECK(devices.at("/devices/pci0000:00/0000:00:08.1/0000:05:00.3/usb1").hardware_ids.front() ==
        "USB\\ROOT_HUB30&VID1022&PID15E0&REV0000");
}

TEST_CASE("libfprint aes3500: a vendor-specific fingerprint reader deep behind bridges and hubs") {
  const auto devices = scan_recording("libfprint/aes3500.umockdev");
  const std::string reader =
      "/devices/pci0000:00/0000:00:1c.0/0000:01:00.0/0000:02:02.0/0000:39:00.0/usb3/3-1/3-1.1/3-1.1.3";
  REQUIRE(devices.count(reader));
  const auto& dev = devices.at(reader);
  CHECK(dev.hardware_ids.front() == "USB\\VID_08FF&PID_5731&REV_0000");
  CHECK(dev.compatible_ids ==
        std::vector<std::string>{"USB\\Class_FF&SubClass_FF&Prot_FF", "USB\\Class_FF&SubClass_FF", "USB\\Class_FF"});
  CHECK(dev.class_name == "USBDevice");
  CHECK(dev.parent_id == "/devices/pci0000:00/0000:00:1c.0/0000:01:00.0/0000:02:02.0/0000:39:00.0/usb3/3-1/3-1.1");
  // Every ancestor bridge is a PCI device of its own.
  CHECK(devices.at("/devices/pci0000:00/0000:00:1c.0").bus == "PCI");
  CHECK(devices.at("/devices/pci0000:00/0000:00:1c.0/0000:01:00.0/0000:02:02.0").class_name == "System");
}
