#pragma once

#include <cstdint>
#include <string>
#include <string_view>

// Windows device setup classes (the "Class" and "ClassGuid" of an INF) for devices found on
// platforms that have no such notion, derived from the class codes the hardware reports.
namespace drvaudit::devclass {

struct SetupClass {
  std::string_view name;
  std::string_view guid;  // lower case with braces
};

// The GUID of a class name ("Display", "Net", …) or "" when unknown.
std::string_view guid_for(std::string_view class_name);

SetupClass for_pci(std::uint32_t class_code);
SetupClass for_usb(std::uint8_t cls, std::uint8_t subclass, std::uint8_t protocol);
SetupClass for_hdaudio(std::uint8_t function_group);
SetupClass for_acpi(std::string_view hid);
SetupClass hid();
SetupClass system();

}  // namespace drvaudit::devclass
