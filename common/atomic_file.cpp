#include "common/atomic_file.hpp"

#include <fstream>
#include <random>

#include "common/error.hpp"

namespace drvaudit {

void write_file_atomically(const std::filesystem::path& target, std::string_view content) {
  namespace fs = std::filesystem;
  const fs::path folder = target.has_parent_path() ? target.parent_path() : fs::path(".");
  std::random_device random;
  const fs::path temp = folder / ("." + target.filename().string() + ".tmp" + std::to_string(random() % 1000000));
  {
    std::ofstream out(temp, std::ios::binary | std::ios::trunc);
    if (!out) throw Error("cannot write " + target.string() + ": cannot create a file in " + folder.string());
    out.write(content.data(), static_cast<std::streamsize>(content.size()));
    out.flush();
    if (!out) {
      std::error_code ignored;
      fs::remove(temp, ignored);
      throw Error("cannot write " + target.string() + ": write failed (disk full?)");
    }
  }
  std::error_code ec;
  fs::rename(temp, target, ec);
  if (ec) {
    std::error_code ignored;
    fs::remove(temp, ignored);
    throw Error("cannot write " + target.string() + ": " + ec.message());
  }
}

}  // namespace drvaudit
