#pragma once

#include <functional>
#include <optional>
#include <string>

#include "scanner/device.hpp"
#include "scanner/linux/sysfs_node.hpp"
#include "scanner/windows_ids.hpp"

// Turns one sysfs device directory into the Windows view of that device: bus, IDs and setup
// class. Names and drivers are filled in later by the source.
namespace drvaudit::sysfs {

// Looks up another device directory of the same tree by its relative path.
using NodeLookup = std::function<std::optional<Node>(const std::string& relative_path)>;

struct Identity {
  std::string bus;
  winids::IdLists ids;
  std::string class_name;
  std::string description;  // from the hardware or sysfs itself; "" when a database must name it
  std::string manufacturer;
  std::string location;
  std::string firmware_version;
  // pci.ids / usb.ids keys, when the device has them
  std::optional<std::pair<std::uint16_t, std::uint16_t>> pci_key, usb_key;
  // For a single-interface USB device: the interface whose driver is the device's driver.
  std::optional<Node> driver_node;
};

std::string subsystem_of(const Node& node);
std::string modalias_of(const Node& node);
bool is_class_device(const Node& node);

// nullopt: not a device drvaudit lists (a class device, a USB interface merged into its device,
// an ACPI container).
std::optional<Identity> identify(const Node& node, const NodeLookup& lookup);

std::optional<winids::PciIdentity> read_pci_identity(const Node& node);

}  // namespace drvaudit::sysfs
