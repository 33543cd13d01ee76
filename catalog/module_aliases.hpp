#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

// The running kernel's modules.alias as a driver catalog on Linux: "alias <glob> <module>" lines
// matched against a device's modalias, so an unbound device with a module available is reported
// as "driver available, not loaded".
namespace drvaudit::catalog {

// Shell-style glob: '*', '?', and bracket sets with ranges and '!' or '^' negation.
bool glob_match(std::string_view pattern, std::string_view text);

class ModuleAliases {
 public:
  static ModuleAliases parse(std::string_view text);
  // Throws drvaudit::Error when the file cannot be read.
  static ModuleAliases load(const std::filesystem::path& file);

  // Modules whose alias matches, in file order, without repeats.
  std::vector<std::string> modules_for(std::string_view modalias) const;
  std::size_t size() const { return aliases_.size(); }
  const std::string& origin() const { return origin_; }

 private:
  struct Alias {
    std::string pattern;
    std::string module;
  };
  std::vector<Alias> aliases_;
  std::string origin_;
};

// /lib/modules/<release>/modules.alias of the running kernel, when the platform has one.
std::optional<std::filesystem::path> default_modules_alias_file();

}  // namespace drvaudit::catalog
