#include <catch2/catch.hpp>

#include <algorithm>

#include "common/hardware_id.hpp"
#include "scanner/windows_ids.hpp"

namespace winids = drvaudit::winids;

namespace {
bool contains(const std::vector<std::string>& ids, const std::string& wanted) {
  return std::any_of(ids.begin(), ids.end(), [&](const std::string& id) { return drvaudit::hwid::equals(id, wanted); });
}
std::size_t position(const std::vector<std::string>& ids, const std::string& wanted) {
  for (std::size_t i = 0; i < ids.size(); ++i) {
    if (drvaudit::hwid::equals(ids[i], wanted)) return i;
  }
  return ids.size();
}
}  // namespace

// identifiers-for-pci-devices.md: the display adapter example, VEN_1414 DEV_00E0 REV_04, class 0300.
TEST_CASE("PCI IDs reproduce Microsoft's documented display adapter example") {
  winids::PciIdentity id;
  id.vendor = 0x1414;
  id.device = 0x00E0;
  id.revision = 0x04;
  id.class_code = 0x030000;
  const auto ids = winids::pci(id);
  REQUIRE(ids.hardware_ids.size() >= 2);
  CHECK(ids.hardware_ids[0] == "PCI\\VEN_1414&DEV_00E0&SUBSYS_00000000&REV_04");
  CHECK(ids.hardware_ids[1] == "PCI\\VEN_1414&DEV_00E0&SUBSYS_00000000");
  CHECK(contains(ids.hardware_ids, "PCI\\VEN_1414&DEV_00E0&CC_030000"));
  CHECK(contains(ids.hardware_ids, "PCI\\VEN_1414&DEV_00E0&CC_0300"));
  // The documented compatible IDs, in the documented order.
  const std::vector<std::string> documented = {"PCI\\VEN_1414&DEV_00E0&REV_04",
                                               "PCI\\VEN_1414&DEV_00E0",
                                               "PCI\\VEN_1414&CC_030000",
                                               "PCI\\VEN_1414&CC_0300",
                                               "PCI\\VEN_1414",
                                               "PCI\\CC_030000",
                                               "PCI\\CC_0300"};
  CHECK(ids.compatible_ids == documented);
}

TEST_CASE("PCI SUBSYS is the subsystem device ID followed by the subsystem vendor ID") {
  winids::PciIdentity id;
  id.vendor = 0x10DE;
  id.device = 0x1C82;
  id.subsystem_vendor = 0x10DE;
  id.subsystem_device = 0x146B;
  id.revision = 0xA1;
  id.class_code = 0x030000;
  CHECK(winids::pci(id).hardware_ids[0] == "PCI\\VEN_10DE&DEV_1C82&SUBSYS_146B10DE&REV_A1");
}

TEST_CASE("PCI Express devices get the DT_ forms in the documented positions") {
  winids::PciIdentity id;
  id.vendor = 0x8086;
  id.device = 0x06C0;
  id.class_code = 0x060400;
  id.express_type = 0x4;
  const auto cids = winids::pci(id).compatible_ids;
  const auto dt6 = position(cids, "PCI\\CC_060400&DT_0004");
  const auto cc6 = position(cids, "PCI\\CC_060400");
  const auto dt4 = position(cids, "PCI\\CC_0604&DT_0004");
  const auto cc4 = position(cids, "PCI\\CC_0604");
  CHECK(dt6 < cc6);
  CHECK(cc6 < dt4);
  CHECK(dt4 < cc4);
  CHECK(cc4 == cids.size() - 1);
}

TEST_CASE("USB single-interface devices: VID/PID/REV, then the class triple") {
  winids::UsbDescriptor d;
  d.vendor = 0x046D;
  d.product = 0xC077;
  d.bcd_device = 0x7200;
  winids::UsbInterface mouse{0, 0x03, 0x01, 0x02};
  const auto ids = winids::usb_device(d, mouse);
  CHECK(ids.hardware_ids == std::vector<std::string>{"USB\\VID_046D&PID_C077&REV_7200", "USB\\VID_046D&PID_C077"});
  // standard-usb-identifiers.md spells the class IDs USB\CLASS_c(2)&SUBCLASS_s(2)&PROT_p(2).
  REQUIRE(ids.compatible_ids.size() == 3);
  CHECK(drvaudit::hwid::equals(ids.compatible_ids[0], "USB\\CLASS_03&SUBCLASS_01&PROT_02"));
  CHECK(drvaudit::hwid::equals(ids.compatible_ids[1], "USB\\CLASS_03&SUBCLASS_01"));
  CHECK(drvaudit::hwid::equals(ids.compatible_ids[2], "USB\\CLASS_03"));
  CHECK_FALSE(winids::usb_is_composite(d));
}

TEST_CASE("USB composite devices and their interfaces") {
  winids::UsbDescriptor d;
  d.vendor = 0x093A;
  d.product = 0x2862;
  d.num_interfaces = 2;
  REQUIRE(winids::usb_is_composite(d));
  const auto parent = winids::usb_device(d, std::nullopt);
  CHECK(parent.compatible_ids.back() == "USB\\COMPOSITE");
  const auto intf = winids::usb_interface(d, {1, 0x03, 0x01, 0x02});
  CHECK(intf.hardware_ids ==
        std::vector<std::string>{"USB\\VID_093A&PID_2862&REV_0000&MI_01", "USB\\VID_093A&PID_2862&MI_01"});
  CHECK(drvaudit::hwid::equals(intf.compatible_ids[0], "USB\\CLASS_03&SUBCLASS_01&PROT_02"));

  d.device_class = 0xEF;  // Interface Association Descriptor devices are composite too
  d.device_subclass = 0x02;
  d.device_protocol = 0x01;
  CHECK(winids::usb_is_composite(d));
  d.device_class = 0x09;  // a hub with several interfaces is not
  CHECK_FALSE(winids::usb_is_composite(d));
}

TEST_CASE("USB root hubs are named after their host controller") {
  winids::PciIdentity xhci;
  xhci.vendor = 0x8086;
  xhci.device = 0x06ED;
  xhci.revision = 0x00;
  xhci.class_code = 0x0C0330;
  const auto ids = winids::usb_root_hub(xhci);
  CHECK(ids.hardware_ids == std::vector<std::string>{"USB\\ROOT_HUB30&VID8086&PID06ED&REV0000",
                                                     "USB\\ROOT_HUB30&VID8086&PID06ED", "USB\\ROOT_HUB30"});
  xhci.class_code = 0x0C0320;  // EHCI
  CHECK(winids::usb_root_hub(xhci).hardware_ids.back() == "USB\\ROOT_HUB20");
}

// identifiers-for-hdaudio-devices.md: HDAUDIO\FUNC_01&VEN_vvvv&DEV_dddd&SUBSYS_ssssssss&REV_rrrr,
// REV being the spec major/minor and vendor revision (RevisionId bits 23:8).
TEST_CASE("HD Audio codec IDs follow the documented layout") {
  winids::HdaCodec codec;
  codec.vendor_id = 0x10EC0269;
  codec.subsystem_id = 0x17AA21FA;
  codec.revision_id = 0x00100202;
  codec.controller_vendor = 0x8086;
  codec.controller_device = 0x1E20;
  const auto ids = winids::hdaudio(codec);
  CHECK(ids.hardware_ids == std::vector<std::string>{"HDAUDIO\\FUNC_01&VEN_10EC&DEV_0269&SUBSYS_17AA21FA&REV_1002",
                                                     "HDAUDIO\\FUNC_01&VEN_10EC&DEV_0269&SUBSYS_17AA21FA"});
  CHECK(contains(ids.compatible_ids, "HDAUDIO\\FUNC_01&CTRL_VEN_8086&CTRL_DEV_1E20&VEN_10EC&DEV_0269&REV_1002"));
  CHECK(position(ids.compatible_ids, "HDAUDIO\\FUNC_01&VEN_10EC&DEV_0269&REV_1002") <
        position(ids.compatible_ids, "HDAUDIO\\FUNC_01&VEN_10EC&DEV_0269"));
  CHECK(ids.compatible_ids.back() == "HDAUDIO\\FUNC_01");
}

TEST_CASE("ACPI IDs: VEN/DEV form, the plain ID, the generic star-ID, _CIDs as compatible IDs") {
  const auto battery = winids::acpi("PNP0C0A", {});
  CHECK(battery.hardware_ids == std::vector<std::string>{"ACPI\\VEN_PNP&DEV_0C0A", "ACPI\\PNP0C0A", "*PNP0C0A"});
  const auto touchpad = winids::acpi("ELAN0732", {"PNP0C50"});
  CHECK(touchpad.hardware_ids[0] == "ACPI\\VEN_ELAN&DEV_0732");
  CHECK(touchpad.compatible_ids == std::vector<std::string>{"ACPI\\PNP0C50", "*PNP0C50"});
}

TEST_CASE("HID top-level collections: VID/PID/REV, the system ID, the usage page ID, HID_DEVICE") {
  winids::HidIdentity id;
  id.vendor = 0x046D;
  id.product = 0xC077;
  id.revision = 0x7200;
  id.collection = winids::HidCollection{0x01, 0x02};
  const auto ids = winids::hid(id);
  CHECK(ids.hardware_ids == std::vector<std::string>{"HID\\VID_046D&PID_C077&REV_7200", "HID\\VID_046D&PID_C077",
                                                     "HID_DEVICE_SYSTEM_MOUSE", "HID_DEVICE_UP:0001_U:0002",
                                                     "HID_DEVICE"});
  CHECK(ids.compatible_ids.empty());  // HIDClass generates no compatible IDs
  id.interface_number = 1;
  id.collection_index = 2;
  CHECK(winids::hid(id).hardware_ids[0] == "HID\\VID_046D&PID_C077&REV_7200&MI_01&Col02");
}

TEST_CASE("other buses get stable, well-formed IDs") {
  const auto ids = winids::generic("serio", "ty01pr00id00ex00");
  CHECK(ids.hardware_ids == std::vector<std::string>{"SERIO\\TY01PR00ID00EX00"});
  CHECK(drvaudit::hwid::is_valid(winids::generic("of", "NcrfpTCgoogle,cros-ec uart").hardware_ids[0]));
}
