#include "common/hardware_id.hpp"

#include "common/text.hpp"

namespace drvaudit::hwid {

std::string canonical(std::string_view id) { return text::to_upper(text::trim(id)); }

bool equals(std::string_view a, std::string_view b) { return text::iequals(text::trim(a), text::trim(b)); }

bool is_valid(std::string_view id) {
  if (id.empty() || id.size() > kMaxLength) return false;
  for (unsigned char c : id) {
    if (c <= 0x20 || c >= 0x7F || c == ',') return false;
  }
  return true;
}

Parts split(std::string_view id) {
  if (!id.empty() && id.front() == '*') return {id.substr(0, 1), id.substr(1)};
  const auto slash = id.find('\\');
  if (slash == std::string_view::npos) return {{}, id};
  return {id.substr(0, slash), id.substr(slash + 1)};
}

}  // namespace drvaudit::hwid
