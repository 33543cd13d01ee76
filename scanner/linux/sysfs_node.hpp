#pragma once

#include <filesystem>
#include <map>
#include <optional>
#include <string>

// Read access to one sysfs device directory. Works on the live /sys and on recorded trees, where
// a link may be a real symlink or (in trees that went through archives) a file holding the
// link's target text.
namespace drvaudit::sysfs {

class Node {
 public:
  Node(std::filesystem::path root, std::filesystem::path dir);

  const std::filesystem::path& dir() const { return dir_; }
  // Path below the sysfs root, e.g. "/devices/pci0000:00/0000:00:14.0".
  std::string relative_path() const;
  std::string name() const { return dir_.filename().string(); }

  // An attribute's text without trailing whitespace; nullopt when absent or unreadable.
  std::optional<std::string> attr(const std::string& name) const;
  std::optional<std::uint32_t> hex_attr(const std::string& name, std::uint32_t max = 0xFFFFFFFFu) const;
  // Raw bytes of a binary attribute (descriptors, report_descriptor, config).
  std::optional<std::string> binary_attr(const std::string& name, std::size_t max_bytes = 65536) const;

  // length bytes at offset of a binary attribute, read with pread so that config space is
  // touched only where asked (each access can trap to the hypervisor in a VM).
  std::optional<std::string> binary_range(const std::string& name, std::size_t offset, std::size_t length) const;

  // The target text of a link, whether a real symlink or a recorded one.
  std::optional<std::string> link_target(const std::string& name) const;
  // The last component of a link's target ("pci" for subsystem -> ../../bus/pci).
  std::optional<std::string> link_basename(const std::string& name) const;

  const std::map<std::string, std::string>& uevent() const;
  std::optional<std::string> uevent_value(const std::string& key) const;

 private:
  std::filesystem::path root_;
  std::filesystem::path dir_;
  mutable std::optional<std::map<std::string, std::string>> uevent_;
};

}  // namespace drvaudit::sysfs
