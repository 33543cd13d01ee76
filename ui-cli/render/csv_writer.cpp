#include "ui-cli/render/csv_writer.hpp"

namespace drvaudit::csv {

namespace {
// The characters a spreadsheet may start a formula with (OWASP's CSV injection list): = + - @, tab,
// CR, LF and NUL, and their full-width forms (U+FF1D, U+FF0B, U+FF0D, U+FF20), which some
// spreadsheets fold to ASCII.
bool formula_start(std::string_view s) {
  if (s.empty()) return false;
  const char c = s.front();
  if (c == '=' || c == '+' || c == '-' || c == '@' || c == '\t' || c == '\r' || c == '\n' || c == '\0') return true;
  for (std::string_view wide : {"\xEF\xBC\x9D", "\xEF\xBC\x8B", "\xEF\xBC\x8D", "\xEF\xBC\xA0"}) {
    if (s.substr(0, wide.size()) == wide) return true;
  }
  return false;
}
}  // namespace

std::string neutralise(std::string_view cell) {
  // Invisible characters in front do not hide a formula: a zero-width space (U+200B), a zero-width
  // non-joiner or joiner (U+200C, U+200D) or a byte order mark (U+FEFF) before one.
  std::string_view rest = cell;
  for (bool skipped = true; skipped;) {
    skipped = false;
    for (std::string_view invisible : {"\xE2\x80\x8B", "\xE2\x80\x8C", "\xE2\x80\x8D", "\xEF\xBB\xBF"}) {
      if (rest.substr(0, invisible.size()) == invisible) {
        rest.remove_prefix(invisible.size());
        skipped = true;
      }
    }
  }
  if (formula_start(rest)) return "'" + std::string(cell);
  return std::string(cell);
}

std::string quote(std::string_view cell) {
  if (cell.find_first_of(",\"\r\n") == std::string_view::npos) return std::string(cell);
  std::string out = "\"";
  for (char c : cell) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
  return out;
}

Writer::Writer(Options options) {
  if (options.byte_order_mark) text_ = "\xEF\xBB\xBF";
}

void Writer::row(const std::vector<std::string>& cells) {
  for (std::size_t i = 0; i < cells.size(); ++i) {
    if (i) text_ += ',';
    text_ += quote(neutralise(cells[i]));
  }
  text_ += "\r\n";
}

}  // namespace drvaudit::csv
