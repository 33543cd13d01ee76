#include <catch2/catch.hpp>

#include <algorithm>
#include <map>

#include "scanner/linux/sysfs_source.hpp"
#include "scanner/snapshot.hpp"
#include "tests/support/temp_dir.hpp"

using drvaudit::Device;

namespace {
// fwupd's src/tests/sys: a miniature sysfs tree with an Intel xHCI, a USB mouse, NVMe, SAS and TPM.
std::map<std::string, Device> scan_fwupd_tree() {
  drvaudit::SysfsOptions options;
  options.root = drvaudit::test::corpus_dir() / "sysfs/fwupd-src-tests-sys/sys";
  options.pci_ids = "/nonexistent";  // names from the tree itself, not from this machine's databases
  options.usb_ids = "/nonexistent";
  options.kernel_release = "6.1.0-test";
  std::map<std::string, Device> by_id;
  for (auto& d : drvaudit::SysfsSource(options).scan().devices) by_id.emplace(d.instance_id, d);
  return by_id;
}
const std::string kXhci = "/devices/pci0000_00/0000_00_14.0";
}  // namespace

TEST_CASE("fwupd tree: the PCI xHCI controller has Windows' hardware and compatible IDs") {
  const auto devices = scan_fwupd_tree();
  REQUIRE(devices.count(kXhci));
  const auto& xhci = devices.at(kXhci);
  CHECK(xhci.bus == "PCI");
  CHECK(xhci.class_name == "USB");
  CHECK(xhci.class_guid == "{36fc9e60-c465-11cf-8056-444553540000}");
  CHECK(xhci.hardware_ids.front() == "PCI\\VEN_8086&DEV_06ED&SUBSYS_22C217AA&REV_00");
  CHECK(std::count(xhci.compatible_ids.begin(), xhci.compatible_ids.end(), "PCI\\VEN_8086&DEV_06ED") == 1);
  CHECK(xhci.compatible_ids.back() == "PCI\\CC_0C03");
  CHECK(xhci.location == "PCI bus 0, device 20, function 0");
  REQUIRE(xhci.driver);
  CHECK(xhci.driver->service == "xhci_hcd");
  CHECK(xhci.description == "PCI device 8086:06ED");  // no pci.ids given
}

TEST_CASE("fwupd tree: USB root hub, composite device, interface and HID collection") {
  const auto devices = scan_fwupd_tree();
  const auto& hub = devices.at(kXhci + "/usb1");
  CHECK(hub.hardware_ids.front().rfind("USB\\ROOT_HUB", 0) == 0);
  CHECK(hub.hardware_ids.front().find("&VID8086&PID06ED&REV0000") != std::string::npos);
  CHECK(hub.parent_id == kXhci);

  const auto& mouse = devices.at(kXhci + "/usb1/1-1");
  CHECK(mouse.hardware_ids == std::vector<std::string>{"USB\\VID_093A&PID_2862&REV_0000", "USB\\VID_093A&PID_2862"});
  CHECK(mouse.compatible_ids.back() == "USB\\COMPOSITE");  // two interfaces, class 00
  CHECK(mouse.description == "USB Composite Device");

  const auto& intf = devices.at(kXhci + "/usb1/1-1/1-1_1.1");
  CHECK(intf.hardware_ids.front() == "USB\\VID_093A&PID_2862&REV_0000&MI_01");
  CHECK(intf.compatible_ids.front() == "USB\\Class_03&SubClass_01&Prot_02");
  CHECK(intf.class_name == "HIDClass");
  CHECK(intf.driver->service == "usbhid");

  const auto& hid = devices.at(kXhci + "/usb1/1-1/1-1_1.1/0003_093A_2862.0076");
  CHECK(hid.bus == "HID");
  CHECK(hid.hardware_ids.front() == "HID\\VID_093A&PID_2862&REV_0000&MI_01");
  CHECK(hid.hardware_ids.back() == "HID_DEVICE");
  CHECK(hid.description == "PIXART Pixart dual-mode mouse");
  CHECK(hid.driver->service == "hid-generic");
  CHECK(hid.parent_id == kXhci + "/usb1/1-1/1-1_1.1");
}

TEST_CASE("fwupd tree: class devices are not listed, bus devices are") {
  const auto devices = scan_fwupd_tree();
  for (const auto& [id, d] : devices) {
    INFO(id);
    CHECK(id.find("/hidraw/") == std::string::npos);
    CHECK(id.find("/video4linux/") == std::string::npos);
    CHECK(id.find("/block/") == std::string::npos);
    CHECK(id.find("/nvme/") == std::string::npos);
    CHECK_FALSE(d.hardware_ids.empty());
  }
  CHECK(devices.count("/devices/pci0000_50/0000_50_02.0/0000_51_00.0"));  // the SAS controller
  const auto& tpm = devices.at("/devices/platform/STM0125_00");
  CHECK(tpm.bus == "ACPI");
  CHECK(tpm.compatible_ids.front() == "ACPI\\MSFT0101");
  CHECK(tpm.class_name == "SecurityDevices");
  CHECK(tpm.description == "Trusted Platform Module 2.0");
}

TEST_CASE("fwupd tree: built-in drivers report the kernel release") {
  const auto devices = scan_fwupd_tree();
  const auto& xhci = devices.at(kXhci);
  CHECK(xhci.driver->provider == "Linux kernel");
  CHECK(xhci.driver->version == "6.1.0-test");
}

TEST_CASE("fwupd tree: a scan round-trips through a snapshot file unchanged") {
  drvaudit::SysfsOptions options;
  options.root = drvaudit::test::corpus_dir() / "sysfs/fwupd-src-tests-sys/sys";
  const auto inventory = drvaudit::SysfsSource(options).scan();
  drvaudit::test::TempDir dir;
  drvaudit::snapshot::save(dir / "fwupd.json", inventory);
  const auto replayed = drvaudit::snapshot::load(dir / "fwupd.json");
  CHECK(replayed == inventory);
  CHECK(drvaudit::snapshot::serialize(replayed) == drvaudit::snapshot::serialize(inventory));
}

TEST_CASE("a folder that is not a sysfs tree is an error") {
  drvaudit::test::TempDir dir;
  drvaudit::SysfsOptions options;
  options.root = dir.path();
  CHECK_THROWS_WITH(drvaudit::SysfsSource(options).scan(), Catch::Contains("not a sysfs tree"));
}
