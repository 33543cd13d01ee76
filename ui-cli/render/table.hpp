#pragma once

#include <string>
#include <vector>

// A plain-text table that fits a terminal width: columns shrink down to their minimum, optional
// columns are dropped when even that does not fit, and cut text ends in "…".
namespace drvaudit::table {

struct Column {
  std::string title;
  int min_width = 4;
  int max_width = 60;
  bool optional = false;  // dropped first when the width is short
};

std::size_t display_width(const std::string& utf8);
std::string fit(const std::string& utf8, std::size_t width);  // cut with "…" or pad with spaces

std::string render(const std::vector<Column>& columns, const std::vector<std::vector<std::string>>& rows, int width);

}  // namespace drvaudit::table
