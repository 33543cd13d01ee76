#include "scanner/problem_codes.hpp"

#include <array>
#include <utility>

namespace drvaudit::problem_codes {

namespace {
// The texts of Microsoft's "Error codes in Device Manager in Windows" page.
constexpr std::array<std::pair<std::uint32_t, Text>, 38> kTexts{{
    {1, {"not configured", "This device is not configured correctly."}},
    {3,
     {"driver corrupted or low memory",
      "The driver for this device might be corrupted, or your system may be running low on memory or other "
      "resources."}},
    {9,
     {"invalid hardware IDs",
      "Windows cannot identify this hardware because it does not have a valid hardware "
      "identification number."}},
    {10, {"cannot start", "This device cannot start."}},
    {12, {"not enough free resources", "This device cannot find enough free resources that it can use."}},
    {14, {"restart needed", "This device cannot work properly until you restart your computer."}},
    {16, {"resources not identified", "Windows cannot identify all the resources this device uses."}},
    {18, {"reinstall the drivers", "Reinstall the drivers for this device."}},
    {19,
     {"registry configuration damaged",
      "Windows cannot start this hardware device because its configuration information (in the registry) is "
      "incomplete or damaged."}},
    {21, {"being removed", "Windows is removing this device."}},
    {22, {"disabled", "This device is disabled."}},
    {24,
     {"not present or not working",
      "This device is not present, is not working properly, or does not have all its drivers installed."}},
    {28, {"drivers not installed", "The drivers for this device are not installed."}},
    {29,
     {"disabled by firmware",
      "This device is disabled because the firmware of the device did not give it the required resources."}},
    {31,
     {"driver cannot load",
      "This device is not working properly because Windows cannot load the drivers "
      "required for this device."}},
    {32, {"driver service disabled", "A driver (service) for this device has been disabled."}},
    {33, {"resources undetermined", "Windows cannot determine which resources are required for this device."}},
    {34, {"settings undetermined", "Windows cannot determine the settings for this device."}},
    {35,
     {"firmware lacks configuration",
      "Your computer's system firmware does not include enough information "
      "to properly configure and use this device."}},
    {36,
     {"interrupt conflict",
      "This device is requesting a PCI interrupt but is configured for an ISA interrupt (or vice versa)."}},
    {37, {"driver failed to initialise", "Windows cannot initialize the device driver for this hardware."}},
    {38,
     {"previous driver still loaded",
      "Windows cannot load the device driver for this hardware because a previous instance of the device "
      "driver is still in memory."}},
    {39,
     {"driver corrupted or missing",
      "Windows cannot load the device driver for this hardware. The driver may be corrupted or missing."}},
    {40,
     {"service key damaged",
      "Windows cannot access this hardware because its service key information in the "
      "registry is missing or recorded incorrectly."}},
    {41,
     {"hardware not found",
      "Windows successfully loaded the device driver for this hardware but cannot find "
      "the hardware device."}},
    {42,
     {"duplicate device",
      "Windows cannot load the device driver for this hardware because there is a "
      "duplicate device already running in the system."}},
    {43, {"stopped after reporting problems", "Windows has stopped this device because it has reported problems."}},
    {44, {"shut down by software", "An application or service has shut down this hardware device."}},
    {45, {"not connected", "Currently, this hardware device is not connected to the computer."}},
    {46,
     {"shutting down",
      "Windows cannot gain access to this hardware device because the operating system is "
      "in the process of shutting down."}},
    {47,
     {"prepared for safe removal",
      "Windows cannot use this hardware device because it has been prepared for "
      "safe removal, but it has not been removed from the computer."}},
    {48,
     {"driver blocked",
      "The software for this device has been blocked from starting because it is known to "
      "have problems with Windows."}},
    {49,
     {"system hive too large",
      "Windows cannot start new hardware devices because the system hive is too "
      "large (exceeds the Registry Size Limit)."}},
    {50, {"properties not applied", "Windows cannot apply all of the properties for this device."}},
    {51,
     {"waiting on another device",
      "This device is currently waiting on another device or set of devices to "
      "start."}},
    {52,
     {"driver signature not verified",
      "Windows cannot verify the digital signature for the drivers required for this device."}},
    {53,
     {"reserved for the kernel debugger",
      "This device has been reserved for use by the Windows kernel "
      "debugger."}},
    {54, {"failed, being reset", "This device has failed and is undergoing a reset."}},
}};
}  // namespace

Text text_of(std::uint32_t code) {
  for (const auto& [c, t] : kTexts) {
    if (c == code) return t;
  }
  return {nullptr, nullptr};
}

std::string brief(std::uint32_t code) {
  const auto t = text_of(code);
  return "Code " + std::to_string(code) + ": " + (t.brief ? t.brief : "problem");
}

std::string message(std::uint32_t code) {
  const auto t = text_of(code);
  return "Code " + std::to_string(code) + ": " +
         (t.message ? t.message : "Device Manager reports a problem with this device.");
}

bool needs_attention(std::uint32_t code) { return code != 0 && code != 22 && code != 45; }

}  // namespace drvaudit::problem_codes
