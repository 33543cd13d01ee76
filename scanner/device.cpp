#include "scanner/device.hpp"

namespace drvaudit {

std::string version_text(const InstalledDriver& d) {
  if (d.provider != "Linux kernel" || !d.module.empty() || d.version.empty()) return d.version;
  // MAJOR.MINOR of the release ("6.1.0-18-amd64" is 6.1).
  const auto first = d.version.find('.');
  const auto second = first == std::string::npos ? first : d.version.find_first_not_of("0123456789", first + 1);
  return "built into kernel " + d.version.substr(0, second);
}

}  // namespace drvaudit
