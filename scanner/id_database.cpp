#include "scanner/id_database.hpp"

#include <fstream>

#include "common/text.hpp"

namespace drvaudit {

IdDatabase IdDatabase::load(const std::filesystem::path& file,
                            const std::set<std::pair<std::uint16_t, std::uint16_t>>& wanted) {
  IdDatabase db;
  std::ifstream in(file);
  if (!in) return db;
  db.loaded_ = true;

  std::set<std::uint16_t> wanted_vendors;
  for (const auto& [v, d] : wanted) wanted_vendors.insert(v);

  // Format: "vvvv  Vendor name", then "\tdddd  Device name", "\t\tssss ssss  Subsystem"; a line that
  // starts with "C " begins the class list at the end of the file.
  std::string line;
  // A plain flag + value: GCC 12 mis-reports std::optional<uint16_t> as maybe-uninitialised here.
  bool in_wanted_vendor = false;
  std::uint16_t current_vendor = 0;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    if (line.rfind("C ", 0) == 0) break;
    if (line[0] != '\t') {
      in_wanted_vendor = false;
      if (line.size() < 6) continue;
      const auto id = text::parse_hex(line.substr(0, 4), 0xFFFF);
      if (!id || !wanted_vendors.count(static_cast<std::uint16_t>(*id))) continue;
      current_vendor = static_cast<std::uint16_t>(*id);
      in_wanted_vendor = true;
      db.vendors_[current_vendor] = std::string(text::trim(std::string_view(line).substr(4)));
    } else if (in_wanted_vendor && line.size() > 6 && line[1] != '\t') {
      const auto id = text::parse_hex(line.substr(1, 4), 0xFFFF);
      if (!id) continue;
      const std::pair key{current_vendor, static_cast<std::uint16_t>(*id)};
      if (wanted.count(key)) db.devices_[key] = std::string(text::trim(std::string_view(line).substr(5)));
    }
  }
  return db;
}

std::optional<std::string> IdDatabase::vendor(std::uint16_t vendor_id) const {
  if (auto it = vendors_.find(vendor_id); it != vendors_.end()) return it->second;
  return std::nullopt;
}

std::optional<std::string> IdDatabase::device(std::uint16_t vendor_id, std::uint16_t device_id) const {
  if (auto it = devices_.find({vendor_id, device_id}); it != devices_.end()) return it->second;
  return std::nullopt;
}

std::filesystem::path find_id_file(const std::string& name) {
  for (const char* dir : {"/usr/share/misc", "/usr/share/hwdata", "/usr/share"}) {
    std::filesystem::path p = std::filesystem::path(dir) / name;
    std::error_code ec;
    if (std::filesystem::is_regular_file(p, ec)) return p;
  }
  return {};
}

}  // namespace drvaudit
