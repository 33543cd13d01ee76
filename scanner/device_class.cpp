#include "scanner/device_class.hpp"

#include <array>

#include "common/text.hpp"

namespace drvaudit::devclass {

namespace {
// System-defined device setup classes (Microsoft "System-Defined Device Setup Classes").
constexpr std::array kClasses = {
    SetupClass{"Battery", "{72631e54-78a4-11d0-bcf7-00aa00b7b32a}"},
    SetupClass{"Biometric", "{53d29ef7-377c-4d14-864b-eb3a85769359}"},
    SetupClass{"Bluetooth", "{e0cbf06c-cd8b-4647-bb8a-263b43f0f974}"},
    SetupClass{"Camera", "{ca3e7ab9-b4c3-4ae6-8251-579ef933890f}"},
    SetupClass{"CDROM", "{4d36e965-e325-11ce-bfc1-08002be10318}"},
    SetupClass{"DiskDrive", "{4d36e967-e325-11ce-bfc1-08002be10318}"},
    SetupClass{"Display", "{4d36e968-e325-11ce-bfc1-08002be10318}"},
    SetupClass{"HDC", "{4d36e96a-e325-11ce-bfc1-08002be10318}"},
    SetupClass{"HIDClass", "{745a17a0-74d3-11d0-b6fe-00a0c90f57da}"},
    SetupClass{"Image", "{6bdd1fc6-810f-11d0-bec7-08002be2092f}"},
    SetupClass{"Keyboard", "{4d36e96b-e325-11ce-bfc1-08002be10318}"},
    SetupClass{"MEDIA", "{4d36e96c-e325-11ce-bfc1-08002be10318}"},
    SetupClass{"Modem", "{4d36e96d-e325-11ce-bfc1-08002be10318}"},
    SetupClass{"Monitor", "{4d36e96e-e325-11ce-bfc1-08002be10318}"},
    SetupClass{"Mouse", "{4d36e96f-e325-11ce-bfc1-08002be10318}"},
    SetupClass{"Net", "{4d36e972-e325-11ce-bfc1-08002be10318}"},
    SetupClass{"Ports", "{4d36e978-e325-11ce-bfc1-08002be10318}"},
    SetupClass{"Printer", "{4d36e979-e325-11ce-bfc1-08002be10318}"},
    SetupClass{"Processor", "{50127dc3-0f36-415e-a6cc-4cb3be910b65}"},
    SetupClass{"SCSIAdapter", "{4d36e97b-e325-11ce-bfc1-08002be10318}"},
    SetupClass{"SDHost", "{a0a588a4-c46f-4b37-b7ea-c82fe89870c6}"},
    SetupClass{"SecurityDevices", "{d94ee5d8-d189-4994-83d2-f68d7d41b0e6}"},
    SetupClass{"SmartCardReader", "{50dd5230-ba8a-11d1-bf5d-0000f805f530}"},
    SetupClass{"System", "{4d36e97d-e325-11ce-bfc1-08002be10318}"},
    SetupClass{"USB", "{36fc9e60-c465-11cf-8056-444553540000}"},
    SetupClass{"USBDevice", "{88bae032-5a81-49f0-bc3d-a4ff138216d6}"},
    SetupClass{"1394", "{6bdd1fc1-810f-11d0-bec7-08002be2092f}"},
};

SetupClass named(std::string_view name) {
  for (const auto& c : kClasses) {
    if (c.name == name) return c;
  }
  return {"Unknown", "{4d36e97e-e325-11ce-bfc1-08002be10318}"};
}
}  // namespace

std::string_view guid_for(std::string_view class_name) {
  for (const auto& c : kClasses) {
    if (text::iequals(c.name, class_name)) return c.guid;
  }
  return {};
}

SetupClass for_pci(std::uint32_t class_code) {
  const auto base = (class_code >> 16) & 0xFF;
  const auto sub = (class_code >> 8) & 0xFF;
  switch (base) {
    case 0x01:  // mass storage: IDE and SATA AHCI are "IDE ATA/ATAPI controllers", the rest "Storage controllers"
      return (sub == 0x01 || sub == 0x06) ? named("HDC") : named("SCSIAdapter");
    case 0x02: return named("Net");
    case 0x03: return named("Display");
    case 0x04: return sub == 0x03 ? named("System") : named("MEDIA");  // the HD Audio controller is a system device
    case 0x07: return sub == 0x00 ? named("Ports") : (sub == 0x03 ? named("Modem") : named("System"));
    case 0x08: return sub == 0x05 ? named("SDHost") : named("System");
    case 0x09: return sub == 0x00 ? named("Keyboard") : (sub == 0x02 ? named("Mouse") : named("HIDClass"));
    case 0x0C:
      if (sub == 0x03) return named("USB");
      if (sub == 0x00) return named("1394");
      return named("System");
    case 0x0D: return sub == 0x11 ? named("Bluetooth") : named("Net");
    case 0x05:
    case 0x06:
    case 0x0A:
    case 0x0B:
    case 0x10:
    case 0x11:
    case 0x12:
    case 0x13: return named("System");
    default: return named("Unknown");
  }
}

SetupClass for_usb(std::uint8_t cls, std::uint8_t subclass, std::uint8_t protocol) {
  switch (cls) {
    case 0x01: return named("MEDIA");
    case 0x02: return subclass == 0x02 ? named("Ports") : named("Net");
    case 0x03: return named("HIDClass");
    case 0x06: return named("Image");
    case 0x07: return named("Printer");
    case 0x08:
    case 0x09: return named("USB");
    case 0x0A: return named("Ports");
    case 0x0B: return named("SmartCardReader");
    case 0x0E: return named("Camera");
    case 0x10: return named("MEDIA");
    case 0xE0: return (subclass == 0x01 && protocol == 0x01) ? named("Bluetooth") : named("Net");
    case 0xFF: return named("USBDevice");  // vendor-specific: what WinUSB devices use
    default: return named("USB");
  }
}

SetupClass for_hdaudio(std::uint8_t function_group) { return function_group == 0x02 ? named("Modem") : named("MEDIA"); }

SetupClass for_acpi(std::string_view hid) {
  const std::string id = text::to_upper(hid);
  if (id == "PNP0C0A") return named("Battery");
  if (id == "PNP0303" || id == "PNP030B") return named("Keyboard");
  if (id.rfind("PNP0F", 0) == 0) return named("Mouse");
  if (id == "ACPI0007" || id == "LNXCPU") return named("Processor");
  if (id == "MSFT0101" || id == "MSFT0200") return named("SecurityDevices");
  if (id == "PNP0C50") return named("HIDClass");
  if (id == "PNP0501" || id == "PNP0500") return named("Ports");
  return named("System");
}

SetupClass hid() { return named("HIDClass"); }
SetupClass system() { return named("System"); }

}  // namespace drvaudit::devclass
