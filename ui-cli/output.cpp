#include "ui-cli/output.hpp"

#include <cstdio>

#include "common/atomic_file.hpp"
#include "common/error.hpp"

namespace drvaudit {

void write_output(const std::optional<std::filesystem::path>& file, std::string_view content) {
  if (file) {
    write_file_atomically(*file, content);
    return;
  }
  if (std::fwrite(content.data(), 1, content.size(), stdout) != content.size() || std::fflush(stdout) != 0) {
    throw Error("cannot write to standard output");
  }
}

}  // namespace drvaudit
