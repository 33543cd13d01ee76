#include "ui-cli/render/csv_writer.hpp"

namespace drvaudit::csv {

std::string neutralise(std::string_view cell) {
  if (!cell.empty()) {
    const char first = cell.front();
    if (first == '=' || first == '+' || first == '-' || first == '@' || first == '\t' || first == '\r') {
      return "'" + std::string(cell);
    }
  }
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
