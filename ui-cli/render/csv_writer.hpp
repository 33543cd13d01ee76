#pragma once

#include <string>
#include <string_view>
#include <vector>

// RFC 4180 CSV: comma-separated, CRLF line ends, fields quoted when they hold a comma, quote, CR
// or LF, quotes doubled. Cells that a spreadsheet would run as a formula (starting with = + - @,
// tab or CR) get a leading apostrophe (OWASP "CSV injection").
namespace drvaudit::csv {

struct Options {
  bool byte_order_mark = false;  // Excel needs it to read UTF-8
};

std::string neutralise(std::string_view cell);
std::string quote(std::string_view cell);

class Writer {
 public:
  explicit Writer(Options options = {});
  void row(const std::vector<std::string>& cells);
  const std::string& text() const { return text_; }

 private:
  std::string text_;
};

}  // namespace drvaudit::csv
