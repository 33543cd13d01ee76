#include "ui-cli/render/table.hpp"

#include <algorithm>

#include "common/text.hpp"
#include "ui-cli/render/display_width.hpp"

namespace drvaudit::table {

namespace {
constexpr std::size_t kGap = 2;
constexpr std::size_t kIndent = 2;  // the block layout's value lines

const char* ansi(Color c) {
  switch (c) {
    case Color::green: return "\x1b[32m";
    case Color::yellow: return "\x1b[33m";
    case Color::red: return "\x1b[31m";
    case Color::none: break;
  }
  return "";
}

std::string paint(const std::string& text, Color color, bool enabled) {
  if (!enabled || color == Color::none || text.empty()) return text;
  return ansi(color) + text + "\x1b[0m";
}

std::vector<std::string> words_of(const std::string& text) {
  std::vector<std::string> words;
  for (auto w : text::split(text, ' ')) {
    if (!w.empty()) words.emplace_back(w);
  }
  return words;
}

std::size_t longest_word(const std::string& text) {
  std::size_t longest = 0;
  for (const auto& w : words_of(text)) longest = std::max(longest, display::width(w));
  return longest;
}

// Greedy word wrap; a word longer than the width (never, given the column's floor) stays whole.
std::vector<std::string> wrap(const std::string& text, std::size_t width) {
  if (display::width(text) <= width) return {text};
  std::vector<std::string> lines;
  std::string line;
  for (const auto& w : words_of(text)) {
    if (!line.empty() && display::width(line) + 1 + display::width(w) > width) {
      lines.push_back(line);
      line.clear();
    }
    line += (line.empty() ? "" : " ") + w;
  }
  if (!line.empty()) lines.push_back(line);
  return lines;
}

struct Prepared {
  std::vector<std::vector<Cell>> rows;  // escaped
  std::vector<std::size_t> natural;     // widest cell (or title) of each column
  std::vector<std::size_t> longest;     // wrap columns: their longest word; 0 for the others
};

// Cells come from devices, INFs, snapshots and paths: escaped before they are measured, so a
// control character can neither reach the terminal nor split a row, and is never cut in half.
Prepared prepare(const std::vector<Column>& columns, const std::vector<std::vector<Cell>>& raw_rows) {
  Prepared p;
  p.natural.resize(columns.size());
  p.longest.resize(columns.size());
  for (std::size_t c = 0; c < columns.size(); ++c) p.natural[c] = display::width(columns[c].title);
  p.rows.reserve(raw_rows.size());
  for (const auto& raw : raw_rows) {
    auto& row = p.rows.emplace_back();
    for (std::size_t c = 0; c < columns.size(); ++c) {
      const Cell cell = c < raw.size() ? Cell(text::escape_control(raw[c].text), raw[c].color) : Cell("");
      p.natural[c] = std::max(p.natural[c], display::width(cell.text));
      if (columns[c].fit == Fit::wrap) p.longest[c] = std::max(p.longest[c], longest_word(cell.text));
      row.push_back(cell);
    }
  }
  return p;
}

std::size_t total_width(const std::vector<std::size_t>& widths, const std::vector<bool>& shown) {
  std::size_t sum = 0, n = 0;
  for (std::size_t c = 0; c < widths.size(); ++c) {
    if (!shown[c]) continue;
    sum += widths[c];
    ++n;
  }
  return sum + (n ? (n - 1) * kGap : 0);
}

// How far the columns may give: cut descriptions only (while columns can still be dropped), then
// also wrap sentences, then squeeze descriptions to their last-resort width.
enum class Stage { cut, wrap, squeeze };

// Widths for the shown columns within limit, shrinking the shrinkable column with the most room
// above its minimum; nullopt when even the minimums do not fit.
std::optional<std::vector<std::size_t>> shrink_to(const std::vector<Column>& columns,
                                                  const std::vector<std::size_t>& natural,
                                                  const std::vector<std::size_t>& longest_words,
                                                  const std::vector<bool>& shown, std::size_t limit, Stage stage) {
  auto widths = natural;
  std::vector<std::size_t> floor(columns.size());
  for (std::size_t c = 0; c < columns.size(); ++c) {
    const bool squeeze = stage == Stage::squeeze && columns[c].squeeze_width > 0;
    const int minimum = squeeze ? columns[c].squeeze_width : columns[c].min_width;
    const auto least = std::max<std::size_t>(static_cast<std::size_t>(minimum),
                                             std::max(display::width(columns[c].title), longest_words[c]));
    const bool fixed = columns[c].fit == Fit::whole || (columns[c].fit == Fit::wrap && stage == Stage::cut);
    floor[c] = fixed ? natural[c] : std::min(natural[c], least);
  }
  if (total_width(floor, shown) > limit) return std::nullopt;
  while (total_width(widths, shown) > limit) {
    // Descriptions (shrink columns) give up room first; a sentence wraps only when they cannot.
    std::size_t pick = columns.size();
    for (const Fit kind : {Fit::shrink, Fit::wrap}) {
      for (std::size_t c = 0; c < columns.size(); ++c) {
        if (!shown[c] || columns[c].fit != kind || widths[c] <= floor[c]) continue;
        if (pick == columns.size() || widths[c] - floor[c] > widths[pick] - floor[pick]) pick = c;
      }
      if (pick != columns.size()) break;
    }
    const std::size_t excess = total_width(widths, shown) - limit;
    widths[pick] -= std::min(excess, widths[pick] - floor[pick] > 1 ? (widths[pick] - floor[pick] + 1) / 2 : 1);
  }
  return widths;
}

std::string grid(const std::vector<Column>& columns, const Prepared& p, const std::vector<bool>& shown,
                 const std::vector<std::size_t>& widths, bool color) {
  std::string out;
  auto emit = [&](const std::vector<Cell>& cells) {
    // Each cell as its lines: one, except for a wrapped sentence.
    std::vector<std::vector<std::string>> parts(columns.size());
    std::size_t height = 1;
    for (std::size_t c = 0; c < columns.size(); ++c) {
      if (!shown[c]) continue;
      switch (columns[c].fit) {
        case Fit::shrink: parts[c] = {display::cut(cells[c].text, widths[c])}; break;
        case Fit::whole: parts[c] = {cells[c].text}; break;
        case Fit::wrap: parts[c] = wrap(cells[c].text, widths[c]); break;
      }
      height = std::max(height, parts[c].size());
    }
    for (std::size_t l = 0; l < height; ++l) {
      std::string line;
      std::size_t pending_spaces = 0;
      bool first = true;
      for (std::size_t c = 0; c < columns.size(); ++c) {
        if (!shown[c]) continue;
        if (!first) pending_spaces += kGap;
        first = false;
        const std::string text = l < parts[c].size() ? parts[c][l] : std::string();
        if (!text.empty()) {
          line.append(pending_spaces, ' ');
          pending_spaces = 0;
          line += paint(text, cells[c].color, color);
        }
        pending_spaces += widths[c] - std::min(widths[c], display::width(text));
      }
      out += line + "\n";  // no trailing spaces
    }
  };
  std::vector<Cell> titles;
  for (const auto& col : columns) titles.emplace_back(col.title);
  emit(titles);
  for (const auto& row : p.rows) emit(row);
  return out;
}

// The narrowest layout: the first column's text as a heading, then one "TITLE: value" line per
// other non-empty cell. Values are whole; only the heading is cut.
std::string blocks(const std::vector<Column>& columns, const Prepared& p, std::size_t limit, bool color) {
  std::string out;
  for (const auto& row : p.rows) {
    out += paint(display::cut(row[0].text, limit), row[0].color, color) + "\n";
    for (std::size_t c = 1; c < columns.size(); ++c) {
      if (row[c].text.empty()) continue;
      const std::string label = std::string(kIndent, ' ') + columns[c].title + ": ";
      const auto indent = display::width(label);
      const auto lines = columns[c].fit == Fit::wrap && limit > indent + 8 ? wrap(row[c].text, limit - indent)
                                                                           : std::vector<std::string>{row[c].text};
      for (std::size_t l = 0; l < lines.size(); ++l)
        out += (l == 0 ? label : std::string(indent, ' ')) + paint(lines[l], row[c].color, color) + "\n";
    }
  }
  return out;
}
}  // namespace

std::string render(const std::vector<Column>& columns, const std::vector<std::vector<Cell>>& raw_rows,
                   const Layout& layout) {
  const Prepared p = prepare(columns, raw_rows);
  std::vector<bool> shown(columns.size(), true);
  if (!layout.width) return grid(columns, p, shown, p.natural, layout.color);

  const auto limit = static_cast<std::size_t>(std::max(*layout.width, 10));
  // Drop order: the highest drop_order first; among equals the rightmost.
  std::vector<std::size_t> droppable;
  for (std::size_t c = 0; c < columns.size(); ++c) {
    if (columns[c].drop_order > 0) droppable.push_back(c);
  }
  std::stable_sort(droppable.begin(), droppable.end(), [&](std::size_t a, std::size_t b) {
    return columns[a].drop_order != columns[b].drop_order ? columns[a].drop_order > columns[b].drop_order : a > b;
  });
  for (std::size_t dropped = 0;; ++dropped) {
    if (auto widths = shrink_to(columns, p.natural, p.longest, shown, limit, Stage::cut))
      return grid(columns, p, shown, *widths, layout.color);
    if (dropped == droppable.size()) break;
    shown[droppable[dropped]] = false;
  }
  // Every low-value column is gone: sentences may wrap, then descriptions shrink to their last resort.
  for (const Stage stage : {Stage::wrap, Stage::squeeze}) {
    if (auto widths = shrink_to(columns, p.natural, p.longest, shown, limit, stage))
      return grid(columns, p, shown, *widths, layout.color);
  }
  return blocks(columns, p, limit, layout.color);
}

}  // namespace drvaudit::table
