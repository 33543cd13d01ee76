#include "common/lock_file.hpp"

namespace drvaudit {

std::string describe_holder(const std::filesystem::path& lock_file, const std::string& what) {
  if (const auto pid = LockFile::holder(lock_file))
    return "another drvaudit (pid " + std::to_string(*pid) + ") is using " + what;
  return "another process is using " + what;
}

}  // namespace drvaudit
