#include "scanner/pnp_names.hpp"

#include <array>
#include <utility>

#include "common/text.hpp"

namespace drvaudit {

std::optional<std::string> pnp_device_name(std::string_view id) {
  static constexpr std::array<std::pair<std::string_view, std::string_view>, 32> kNames{{
      {"ACPI0003", "Microsoft AC Adapter"},
      {"ACPI0007", "Processor"},
      {"ACPI0010", "ACPI Processor Aggregator"},
      {"ACPI000E", "Time and Alarm Device"},
      {"INT0800", "Intel 82802 Firmware Hub Device"},
      {"MSFT0101", "Trusted Platform Module 2.0"},
      {"PNP0000", "Programmable interrupt controller"},
      {"PNP0100", "System timer"},
      {"PNP0103", "High precision event timer"},
      {"PNP0200", "Direct memory access controller"},
      {"PNP0303", "Standard PS/2 Keyboard"},
      {"PNP0400", "Printer Port"},
      {"PNP0501", "Communications Port"},
      {"PNP0800", "System speaker"},
      {"PNP0A03", "PCI Bus"},
      {"PNP0A05", "Generic Bus"},
      {"PNP0A06", "Extended IO Bus"},
      {"PNP0A08", "PCI Express Root Complex"},
      {"PNP0B00", "System CMOS/real time clock"},
      {"PNP0C01", "System board"},
      {"PNP0C02", "Motherboard resources"},
      {"PNP0C04", "Numeric data processor"},
      {"PNP0C09", "Microsoft ACPI-Compliant Embedded Controller"},
      {"PNP0C0A", "Microsoft ACPI-Compliant Control Method Battery"},
      {"PNP0C0C", "ACPI Power Button"},
      {"PNP0C0D", "ACPI Lid"},
      {"PNP0C0E", "ACPI Sleep Button"},
      {"PNP0C0F", "PCI Interrupt Link"},
      {"PNP0C14", "Microsoft Windows Management Interface for ACPI"},
      {"PNP0C50", "I2C HID Device"},
      {"PNP0C80", "Memory device"},
      {"PNP0F13", "PS/2 Compatible Mouse"},
  }};
  for (const auto& [key, name] : kNames) {
    if (text::iequals(key, id)) return std::string(name);
  }
  return std::nullopt;
}

}  // namespace drvaudit
