#include "scanner/linux/sysfs_walk.hpp"

#include <algorithm>
#include <array>
#include <string_view>

namespace drvaudit::sysfs {

namespace fs = std::filesystem;

namespace {
bool is_pruned_top_level(std::string_view name) {
  static constexpr std::array<std::string_view, 10> kNoHardware = {
      "virtual", "system", "software", "tracepoint", "breakpoint", "kprobe", "uprobe", "msr", "cpu", "power"};
  return std::find(kNoHardware.begin(), kNoHardware.end(), name) != kNoHardware.end();
}

bool is_attribute_folder(std::string_view name) {
  static constexpr std::array<std::string_view, 8> kFolders = {"power",  "queues", "statistics", "msi_irqs",
                                                               "wakeup", "trace",  "holders",    "slaves"};
  return std::find(kFolders.begin(), kFolders.end(), name) != kFolders.end();
}
}  // namespace

std::vector<fs::path> find_device_dirs(const fs::path& root) {
  constexpr int kMaxDepth = 40;  // real trees stay far below; a loop in a recorded tree stops here
  std::vector<fs::path> dirs;
  std::error_code ec;
  fs::recursive_directory_iterator it(root / "devices", fs::directory_options::skip_permission_denied, ec);
  if (ec) return dirs;
  for (const fs::recursive_directory_iterator end; it != end; it.increment(ec)) {
    if (ec) break;
    const auto& entry = *it;
    const auto name = entry.path().filename().string();
    std::error_code type_ec;
    if (entry.is_symlink(type_ec)) continue;  // never followed: driver, subsystem, device, …
    if (entry.is_directory(type_ec)) {
      if ((it.depth() == 0 && is_pruned_top_level(name)) || is_attribute_folder(name) || it.depth() >= kMaxDepth) {
        it.disable_recursion_pending();
      }
    } else if (name == "uevent") {
      dirs.push_back(entry.path().parent_path());
    }
  }
  std::sort(dirs.begin(), dirs.end());
  return dirs;
}

}  // namespace drvaudit::sysfs
