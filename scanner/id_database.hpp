#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <utility>

// Vendor and product names from the pci.ids / usb.ids databases (Debian packages pci.ids,
// usb.ids). Only the IDs asked for are kept: the scanner collects what it found, then resolves
// them in one pass over each file.
namespace drvaudit {

class IdDatabase {
 public:
  struct Names {
    std::string vendor;
    std::string device;
  };

  // Missing files are not an error: devices then keep their numeric names.
  static IdDatabase load(const std::filesystem::path& file,
                         const std::set<std::pair<std::uint16_t, std::uint16_t>>& wanted);

  std::optional<std::string> vendor(std::uint16_t vendor_id) const;
  std::optional<std::string> device(std::uint16_t vendor_id, std::uint16_t device_id) const;
  bool loaded() const { return loaded_; }

 private:
  bool loaded_ = false;
  std::map<std::uint16_t, std::string> vendors_;
  std::map<std::pair<std::uint16_t, std::uint16_t>, std::string> devices_;
};

// The first existing file among the usual install locations, or "" when none.
std::filesystem::path find_id_file(const std::string& name);

}  // namespace drvaudit
