#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

// Builds hardware and compatible ID lists in the exact format and order Windows' bus drivers
// report them (windows-driver-facts.md §3, ms-docs identifiers-for-*.md). Pure functions: the
// scanners read the numbers, these turn them into IDs.
namespace drvaudit::winids {

struct IdLists {
  std::vector<std::string> hardware_ids;
  std::vector<std::string> compatible_ids;
};

struct PciIdentity {
  std::uint16_t vendor = 0;
  std::uint16_t device = 0;
  std::uint16_t subsystem_vendor = 0;
  std::uint16_t subsystem_device = 0;
  std::uint8_t revision = 0;
  std::uint32_t class_code = 0;               // 24 bits: base class, subclass, programming interface
  std::optional<std::uint16_t> express_type;  // PCI Express device/port type, when it is PCIe
};
IdLists pci(const PciIdentity& id);

struct UsbDescriptor {
  std::uint16_t vendor = 0;
  std::uint16_t product = 0;
  std::uint16_t bcd_device = 0;
  std::uint8_t device_class = 0, device_subclass = 0, device_protocol = 0;
  std::uint8_t num_interfaces = 1;
};
struct UsbInterface {
  std::uint8_t number = 0;
  std::uint8_t interface_class = 0, interface_subclass = 0, interface_protocol = 0;
};

// Whether Windows loads the generic parent driver (usbccgp) for this device.
bool usb_is_composite(const UsbDescriptor& device);
// A whole device. For a single-interface device whose class is defined per interface, pass that
// interface: Windows takes the class triple from it.
IdLists usb_device(const UsbDescriptor& device, const std::optional<UsbInterface>& only_interface);
// One interface of a composite device (its own PDO under usbccgp).
IdLists usb_interface(const UsbDescriptor& device, const UsbInterface& interface);
// A root hub, named after its host controller as Windows does (USB\ROOT_HUB30&VIDvvvv&PIDdddd&REVrrrr):
// ROOT_HUB30 for xHCI, ROOT_HUB20 for EHCI, ROOT_HUB for UHCI/OHCI (the controller's prog-if).
IdLists usb_root_hub(const PciIdentity& controller);

struct HdaCodec {
  std::uint8_t function_group = 1;  // 01 audio, 02 modem
  std::uint32_t vendor_id = 0;      // vendor in the upper 16 bits, device in the lower
  std::uint32_t subsystem_id = 0;
  std::uint32_t revision_id = 0;  // the codec's RevisionId parameter
  std::optional<std::uint16_t> controller_vendor, controller_device;
};
IdLists hdaudio(const HdaCodec& codec);

// ACPI/PNP: the _HID and the _CID values, e.g. "PNP0C0A", "ELAN0732".
IdLists acpi(const std::string& hid, const std::vector<std::string>& cids);

struct HidCollection {
  std::uint16_t usage_page = 0;
  std::uint16_t usage = 0;
};
struct HidIdentity {
  std::uint16_t vendor = 0;
  std::uint16_t product = 0;
  std::optional<std::uint16_t> revision;         // the USB bcdDevice for USB HID
  std::optional<std::uint8_t> interface_number;  // MI_zz when the USB parent is composite
  std::optional<HidCollection> collection;       // first top-level collection
  std::optional<int> collection_index;           // ColNN when the device has several collections
};
IdLists hid(const HidIdentity& id);

// Any other bus with a Linux modalias: "<BUS>\<modalias body>" upper-cased. These IDs follow no
// Windows bus driver; they are drvaudit's own, stable across scans.
IdLists generic(const std::string& bus, const std::string& modalias_body);

}  // namespace drvaudit::winids
