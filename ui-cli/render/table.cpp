#include "ui-cli/render/table.hpp"

#include <algorithm>
#include <numeric>

#include "common/text.hpp"

namespace drvaudit::table {

namespace {
bool is_continuation(unsigned char c) { return (c & 0xC0) == 0x80; }
constexpr int kGap = 2;
}  // namespace

std::size_t display_width(const std::string& s) {
  return static_cast<std::size_t>(
      std::count_if(s.begin(), s.end(), [](char c) { return !is_continuation(static_cast<unsigned char>(c)); }));
}

std::string fit(const std::string& s, std::size_t width) {
  const auto w = display_width(s);
  if (w <= width) return s + std::string(width - w, ' ');
  if (width == 0) return {};
  // Keep width-1 characters, then the ellipsis.
  std::string out;
  std::size_t kept = 0;
  for (std::size_t i = 0; i < s.size(); ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (!is_continuation(c)) {
      if (kept == width - 1) break;
      ++kept;
    }
    out += s[i];
  }
  return out + "\xE2\x80\xA6";
}

std::string render(const std::vector<Column>& columns, const std::vector<std::vector<std::string>>& raw_rows,
                   int width) {
  // Cells come from devices, INFs, snapshots and paths: escaped before they are measured, so a
  // control character can neither reach the terminal nor split a row, and is never cut in half.
  std::vector<std::vector<std::string>> rows;
  rows.reserve(raw_rows.size());
  for (const auto& raw : raw_rows) {
    auto& row = rows.emplace_back();
    row.reserve(raw.size());
    for (const auto& cell : raw) row.push_back(text::escape_control(cell));
  }
  std::vector<std::size_t> want(columns.size());
  for (std::size_t c = 0; c < columns.size(); ++c) {
    want[c] = display_width(columns[c].title);
    for (const auto& row : rows) {
      if (c < row.size()) want[c] = std::max(want[c], display_width(row[c]));
    }
    want[c] = std::clamp<std::size_t>(want[c], static_cast<std::size_t>(columns[c].min_width),
                                      static_cast<std::size_t>(columns[c].max_width));
  }
  std::vector<bool> shown(columns.size(), true);
  auto total = [&](const std::vector<std::size_t>& widths) {
    std::size_t sum = 0, n = 0;
    for (std::size_t c = 0; c < widths.size(); ++c) {
      if (shown[c]) {
        sum += widths[c];
        ++n;
      }
    }
    return sum + (n ? (n - 1) * kGap : 0);
  };
  const auto limit = static_cast<std::size_t>(std::max(width, 20));
  // Drop optional columns (last first) while even the minimum widths do not fit.
  auto minimums = want;
  for (std::size_t c = 0; c < columns.size(); ++c)
    minimums[c] = std::min(want[c], static_cast<std::size_t>(columns[c].min_width));
  for (std::size_t c = columns.size(); c-- > 0 && total(minimums) > limit;) {
    if (columns[c].optional) shown[c] = false;
  }
  // Shrink the widest column one step at a time until the row fits.
  auto widths = want;
  while (total(widths) > limit) {
    std::size_t widest = columns.size();
    for (std::size_t c = 0; c < columns.size(); ++c) {
      if (shown[c] && widths[c] > minimums[c] && (widest == columns.size() || widths[c] > widths[widest])) widest = c;
    }
    if (widest == columns.size()) break;
    --widths[widest];
  }

  std::string out;
  auto emit = [&](const std::vector<std::string>& cells) {
    std::string line;
    bool first = true;
    for (std::size_t c = 0; c < columns.size(); ++c) {
      if (!shown[c]) continue;
      if (!first) line += std::string(kGap, ' ');
      first = false;
      line += fit(c < cells.size() ? cells[c] : std::string(), widths[c]);
    }
    while (!line.empty() && line.back() == ' ') line.pop_back();
    out += line + "\n";
  };
  std::vector<std::string> titles;
  for (const auto& col : columns) titles.push_back(col.title);
  emit(titles);
  for (const auto& row : rows) emit(row);
  return out;
}

}  // namespace drvaudit::table
