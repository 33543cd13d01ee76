#include "common/read_file.hpp"

#include <fstream>
#include <sstream>

#include "common/error.hpp"

namespace drvaudit {

std::string read_whole_file(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) throw Error("cannot read " + file.string());
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

}  // namespace drvaudit
