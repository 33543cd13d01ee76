#include "common/bounded_read.hpp"

#include <algorithm>

#include "common/error.hpp"

namespace drvaudit {

std::string read_within_bounds(const std::string& name, std::uint64_t size, const ReadBounds& bounds,
                               const std::function<std::size_t(char* buffer, std::size_t capacity)>& read_some) {
  if (size > bounds.max_bytes)
    throw Error(name + " is " + std::to_string(size) + " bytes, more than " + limit_text(bounds));
  const auto deadline = std::chrono::steady_clock::now() + bounds.deadline;
  // One byte more than the size on disk: a file that grows while it is read shows it at once.
  std::string out(static_cast<std::size_t>(size) + 1, '\0');
  std::size_t have = 0;
  for (;;) {
    if (have == out.size()) {
      if (out.size() > bounds.max_bytes)
        throw Error(name + " grew beyond " + limit_text(bounds) + " while it was read");
      out.resize(std::min<std::size_t>(out.size() * 2, bounds.max_bytes + 1));
    }
    const auto n = read_some(out.data() + have, out.size() - have);
    if (n == 0) break;
    have += n;
    if (have > bounds.max_bytes) throw Error(name + " grew beyond " + limit_text(bounds) + " while it was read");
    if (std::chrono::steady_clock::now() > deadline)
      throw Error(name + " could not be read within " + std::to_string(bounds.deadline.count() / 1000) + " s");
  }
  out.resize(have);
  return out;
}

}  // namespace drvaudit
