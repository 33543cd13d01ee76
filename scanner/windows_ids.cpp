#include "scanner/windows_ids.hpp"

#include "common/text.hpp"

namespace drvaudit::winids {

using text::hex;

IdLists pci(const PciIdentity& id) {
  const std::string ven_dev = "PCI\\VEN_" + hex(id.vendor, 4) + "&DEV_" + hex(id.device, 4);
  const std::string subsys = "&SUBSYS_" + hex(id.subsystem_device, 4) + hex(id.subsystem_vendor, 4);
  const std::string rev = "&REV_" + hex(id.revision, 2);
  const std::string cc6 = "CC_" + hex(id.class_code, 6);
  const std::string cc4 = "CC_" + hex(id.class_code >> 8, 4);
  const std::string ven = "PCI\\VEN_" + hex(id.vendor, 4);

  // Windows 10 and 11 report the REV-only and bare VEN&DEV forms as compatible IDs, not hardware
  // IDs (identifiers-for-pci-devices.md, note; setupapi logs rank such matches 0x..2001).
  IdLists ids;
  ids.hardware_ids = {ven_dev + subsys + rev, ven_dev + subsys, ven_dev + "&" + cc6, ven_dev + "&" + cc4};
  ids.compatible_ids = {ven_dev + rev, ven_dev, ven + "&" + cc6, ven + "&" + cc4, ven};
  const std::string dt = id.express_type ? "&DT_" + hex(*id.express_type, 4) : std::string();
  if (id.express_type) ids.compatible_ids.push_back("PCI\\" + cc6 + dt);
  ids.compatible_ids.push_back("PCI\\" + cc6);
  if (id.express_type) ids.compatible_ids.push_back("PCI\\" + cc4 + dt);
  ids.compatible_ids.push_back("PCI\\" + cc4);
  return ids;
}

namespace {
std::vector<std::string> usb_class_ids(std::string_view prefix, std::uint8_t cls, std::uint8_t sub, std::uint8_t prot) {
  const std::string base = std::string("USB\\") + std::string(prefix) + "_" + hex(cls, 2);
  return {base + "&SubClass_" + hex(sub, 2) + "&Prot_" + hex(prot, 2), base + "&SubClass_" + hex(sub, 2), base};
}

std::string usb_vid_pid(const UsbDescriptor& d) { return "USB\\VID_" + hex(d.vendor, 4) + "&PID_" + hex(d.product, 4); }
}  // namespace

bool usb_is_composite(const UsbDescriptor& d) {
  if (d.num_interfaces < 2) return false;
  // Class defined per interface, or the Interface Association Descriptor triple EF/02/01.
  return d.device_class == 0x00 || (d.device_class == 0xEF && d.device_subclass == 0x02 && d.device_protocol == 0x01);
}

IdLists usb_device(const UsbDescriptor& d, const std::optional<UsbInterface>& only_interface) {
  IdLists ids;
  ids.hardware_ids = {usb_vid_pid(d) + "&REV_" + hex(d.bcd_device, 4), usb_vid_pid(d)};
  if (usb_is_composite(d)) {
    ids.compatible_ids = usb_class_ids("DevClass", d.device_class, d.device_subclass, d.device_protocol);
    ids.compatible_ids.push_back("USB\\COMPOSITE");
  } else if (d.device_class == 0x00 && only_interface) {
    ids.compatible_ids = usb_class_ids("Class", only_interface->interface_class, only_interface->interface_subclass,
                                       only_interface->interface_protocol);
  } else {
    ids.compatible_ids = usb_class_ids("Class", d.device_class, d.device_subclass, d.device_protocol);
  }
  return ids;
}

IdLists usb_interface(const UsbDescriptor& d, const UsbInterface& intf) {
  const std::string mi = "&MI_" + hex(intf.number, 2);
  IdLists ids;
  ids.hardware_ids = {usb_vid_pid(d) + "&REV_" + hex(d.bcd_device, 4) + mi, usb_vid_pid(d) + mi};
  ids.compatible_ids = usb_class_ids("Class", intf.interface_class, intf.interface_subclass, intf.interface_protocol);
  return ids;
}

IdLists usb_root_hub(const PciIdentity& controller) {
  std::string hub = "USB\\ROOT_HUB";
  const auto prog_if = controller.class_code & 0xFF;
  if (prog_if == 0x30)
    hub += "30";
  else if (prog_if == 0x20)
    hub += "20";
  const std::string vid_pid = hub + "&VID" + hex(controller.vendor, 4) + "&PID" + hex(controller.device, 4);
  IdLists ids;
  ids.hardware_ids = {vid_pid + "&REV" + hex(controller.revision, 4), vid_pid, hub};
  return ids;
}

IdLists hdaudio(const HdaCodec& c) {
  const std::string func = "HDAUDIO\\FUNC_" + hex(c.function_group, 2);
  const std::string ven = "&VEN_" + hex(c.vendor_id >> 16, 4);
  const std::string dev = "&DEV_" + hex(c.vendor_id & 0xFFFF, 4);
  // REV_rrrr is bits 23:8 of the RevisionId: spec major/minor and the vendor revision.
  const std::string rev = "&REV_" + hex((c.revision_id >> 8) & 0xFFFF, 4);
  const std::string subsys = "&SUBSYS_" + hex(c.subsystem_id, 8);

  IdLists ids;
  ids.hardware_ids = {func + ven + dev + subsys + rev, func + ven + dev + subsys};
  std::string ctrl;
  if (c.controller_vendor && c.controller_device) {
    ctrl = "&CTRL_VEN_" + hex(*c.controller_vendor, 4) + "&CTRL_DEV_" + hex(*c.controller_device, 4);
  }
  auto add = [&](const std::string& tail) {
    if (!ctrl.empty()) ids.compatible_ids.push_back(func + ctrl + tail);
    ids.compatible_ids.push_back(func + tail);
  };
  add(ven + dev + rev);
  add(ven + dev);
  add(ven);
  if (!ctrl.empty()) ids.compatible_ids.push_back(func + ctrl);
  ids.compatible_ids.push_back(func);
  return ids;
}

namespace {
// ACPI IDs are PNP IDs (3 letters + 4 hex) or ACPI IDs (4 characters + 4 hex).
void add_acpi_forms(std::vector<std::string>& out, const std::string& raw, bool with_ven_dev) {
  const std::string id = text::to_upper(raw);
  if (with_ven_dev && (id.size() == 7 || id.size() == 8)) {
    out.push_back("ACPI\\VEN_" + id.substr(0, id.size() - 4) + "&DEV_" + id.substr(id.size() - 4));
  }
  out.push_back("ACPI\\" + id);
  out.push_back("*" + id);
}
}  // namespace

IdLists acpi(const std::string& hid, const std::vector<std::string>& cids) {
  IdLists ids;
  add_acpi_forms(ids.hardware_ids, hid, true);
  for (const auto& cid : cids) {
    if (!text::iequals(cid, hid)) add_acpi_forms(ids.compatible_ids, cid, false);
  }
  return ids;
}

namespace {
// The OS-reserved IDs HIDClass adds for system devices (hidclass-hardware-ids-for-top-level-collections.md).
std::optional<std::string> hid_system_id(const HidCollection& c) {
  if (c.usage_page == 0x01) {
    switch (c.usage) {
      case 0x01:
      case 0x02: return "HID_DEVICE_SYSTEM_MOUSE";
      case 0x04:
      case 0x05: return "HID_DEVICE_SYSTEM_GAME";
      case 0x06:
      case 0x07: return "HID_DEVICE_SYSTEM_KEYBOARD";
      case 0x80: return "HID_DEVICE_SYSTEM_CONTROL";
      default: return std::nullopt;
    }
  }
  if (c.usage_page == 0x0C && c.usage == 0x01) return "HID_DEVICE_SYSTEM_CONSUMER";
  return std::nullopt;
}
}  // namespace

IdLists hid(const HidIdentity& id) {
  std::string suffix;
  if (id.interface_number) suffix += "&MI_" + hex(*id.interface_number, 2);
  if (id.collection_index) suffix += "&Col" + hex(static_cast<std::uint32_t>(*id.collection_index), 2);
  const std::string vid_pid = "HID\\VID_" + hex(id.vendor, 4) + "&PID_" + hex(id.product, 4);

  IdLists ids;
  if (id.revision) ids.hardware_ids.push_back(vid_pid + "&REV_" + hex(*id.revision, 4) + suffix);
  ids.hardware_ids.push_back(vid_pid + suffix);
  if (id.collection) {
    if (auto system = hid_system_id(*id.collection)) ids.hardware_ids.push_back(*system);
    ids.hardware_ids.push_back("HID_DEVICE_UP:" + hex(id.collection->usage_page, 4) +
                               "_U:" + hex(id.collection->usage, 4));
  }
  ids.hardware_ids.push_back("HID_DEVICE");
  return ids;
}

IdLists generic(const std::string& bus, const std::string& modalias_body) {
  std::string body;
  for (char c : text::to_upper(modalias_body)) {
    // Keep IDs well-formed: no spaces, commas or control characters.
    body.push_back((static_cast<unsigned char>(c) <= 0x20 || c == ',' || static_cast<unsigned char>(c) >= 0x7F) ? '_'
                                                                                                                : c);
  }
  IdLists ids;
  ids.hardware_ids = {text::to_upper(bus) + "\\" + body};
  return ids;
}

}  // namespace drvaudit::winids
