#pragma once

#include <optional>
#include <string>
#include <vector>

// A plain-text table laid out for its reader. What a user came for (a version, a date, a verdict)
// is never cut: descriptions shrink first and sentences wrap inside their cell, then low-value
// columns are dropped, and when even that does not fit each row becomes a short block of
// "TITLE: value" lines. Without a width limit (a
// file, a pipe, --wide) nothing is cut at all.
namespace drvaudit::table {

enum class Color { none, green, yellow, red };

struct Cell {
  std::string text;
  Color color = Color::none;
  Cell(std::string t, Color c = Color::none) : text(std::move(t)), color(c) {}
  Cell(const char* t) : text(t) {}
};

enum class Fit {
  shrink,  // may be cut with "…", down to min_width
  whole,   // never cut
  wrap,    // never cut, but words may go on the next line, down to min_width (or the longest word)
};

struct Column {
  std::string title;
  Fit fit = Fit::shrink;
  int min_width = 8;      // narrower only once every droppable column is gone (squeeze_width)
  int drop_order = 0;     // 0: always shown; otherwise the highest number is dropped first
  int squeeze_width = 0;  // the last resort before blocks; 0: min_width
};

struct Layout {
  std::optional<int> width;  // columns available; nullopt = no limit
  bool color = false;        // ANSI colours for coloured cells (a terminal only)
};

std::string render(const std::vector<Column>& columns, const std::vector<std::vector<Cell>>& rows,
                   const Layout& layout);

}  // namespace drvaudit::table
