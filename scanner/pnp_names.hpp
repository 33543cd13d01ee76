#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace drvaudit {

// The names Windows' inbox INFs give the common ACPI/PNP device IDs (machine.inf, acpi.inf, …).
std::optional<std::string> pnp_device_name(std::string_view id);

}  // namespace drvaudit
