#include "ui-cli/render/display_width.hpp"

#include <utf8proc.h>

namespace drvaudit::display {

namespace {
// Decodes one code point; an invalid byte counts as one column, as the escaping shows it.
struct Decoded {
  utf8proc_int32_t code_point;
  std::size_t bytes;
};

Decoded decode(std::string_view s, std::size_t at) {
  utf8proc_int32_t cp = 0;
  const auto n = utf8proc_iterate(reinterpret_cast<const utf8proc_uint8_t*>(s.data() + at),
                                  static_cast<utf8proc_ssize_t>(s.size() - at), &cp);
  if (n <= 0) return {-1, 1};
  return {cp, static_cast<std::size_t>(n)};
}

std::size_t columns_of(utf8proc_int32_t cp) {
  if (cp < 0) return 1;
  if (cp < 0x20 || (cp >= 0x7F && cp < 0xA0)) return 0;  // control characters are escaped before display
  return static_cast<std::size_t>(utf8proc_charwidth(cp));
}
}  // namespace

std::size_t width(std::string_view s) {
  std::size_t columns = 0;
  for (std::size_t i = 0; i < s.size();) {
    const auto d = decode(s, i);
    columns += columns_of(d.code_point);
    i += d.bytes;
  }
  return columns;
}

std::string_view prefix(std::string_view s, std::size_t limit) {
  std::size_t columns = 0, cluster_start = 0, cluster_columns = 0;
  utf8proc_int32_t previous = -1, state = 0;
  for (std::size_t i = 0; i < s.size();) {
    const auto d = decode(s, i);
    const bool breaks =
        previous < 0 || d.code_point < 0 || utf8proc_grapheme_break_stateful(previous, d.code_point, &state);
    if (breaks) {
      columns += cluster_columns;
      cluster_start = i;
      cluster_columns = 0;
    }
    cluster_columns += columns_of(d.code_point);
    if (columns + cluster_columns > limit) return s.substr(0, cluster_start);
    previous = d.code_point;
    i += d.bytes;
  }
  return s;
}

std::string cut(std::string_view s, std::size_t limit) {
  if (width(s) <= limit) return std::string(s);
  if (limit == 0) return {};
  return std::string(prefix(s, limit - 1)) + "\xE2\x80\xA6";
}

std::string fit(std::string_view s, std::size_t limit) {
  std::string out = cut(s, limit);
  const auto w = width(out);
  if (w < limit) out.append(limit - w, ' ');
  return out;
}

}  // namespace drvaudit::display
