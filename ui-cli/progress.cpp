#include "ui-cli/progress.hpp"

#include <cmath>
#include <cstdio>
#include <vector>

#include "common/terminal.hpp"
#include "common/text.hpp"
#include "ui-cli/render/display_width.hpp"

namespace drvaudit {

namespace {
std::string duration_text(double seconds) {
  const auto s = static_cast<long>(std::lround(seconds));
  char out[32];
  if (s >= 3600) {
    std::snprintf(out, sizeof out, "%ld:%02ld:%02ld", s / 3600, s / 60 % 60, s % 60);
  } else {
    std::snprintf(out, sizeof out, "%ld:%02ld", s / 60, s % 60);
  }
  return out;
}
}  // namespace

ProgressBar::ProgressBar(std::string label, std::string unit)
    : label_(text::escape_control(label)),
      unit_(std::move(unit)),
      enabled_(terminal::is_terminal(stderr)),
      vt_(terminal::supports_vt(stderr)),
      started_(std::chrono::steady_clock::now()) {
  // At once, so a long file listing is never a silent wait.
  if (enabled_) draw(line(label_, unit_, 0, 0, 0, terminal::width(stderr, 80)));
}

ProgressBar::~ProgressBar() { finish(); }

std::string ProgressBar::line(const std::string& label, const std::string& unit, std::size_t done, std::size_t total,
                              double per_second, int width_in) {
  // One column is left free: a line that fills the last column makes some terminals wrap.
  const std::size_t width = static_cast<std::size_t>(std::max(width_in, 12)) - 1;
  if (total == 0) return display::cut(label + ": listing " + unit + "\xE2\x80\xA6", width);
  const double fraction = std::min(1.0, static_cast<double>(done) / static_cast<double>(total));
  const std::string percent = std::to_string(static_cast<int>(fraction * 100)) + "%";
  const std::string count = std::to_string(done) + "/" + std::to_string(total);
  const std::string rate = per_second > 0 ? std::to_string(static_cast<long>(per_second)) + " " + unit + "/s" : "";
  const std::string eta =
      per_second > 0 && done < total ? "ETA " + duration_text(static_cast<double>(total - done) / per_second) : "";
  // The parts in the order they are given up when the width is short.
  std::vector<std::string> fields = {percent, count, rate, eta};
  auto joined = [&](std::size_t n) {
    std::string out;
    for (std::size_t i = 0; i < n; ++i) {
      if (!fields[i].empty()) out += " " + fields[i];
    }
    return out;
  };
  // The bar matters most, then the fields in order; the label is cut to make room, down to 12.
  const std::size_t label_full = std::min<std::size_t>(display::width(label), std::max<std::size_t>(width / 3, 12));
  const std::size_t label_short = std::min<std::size_t>(display::width(label), 12);
  for (std::size_t n = fields.size(); n > 0; --n) {
    const std::string tail = joined(n);
    for (const std::size_t label_width : {label_full, label_short}) {
      const std::size_t fixed = label_width + 1 + display::width(tail);
      if (fixed + 10 > width) continue;  // room for a bar of at least eight cells
      const std::size_t cells = std::min<std::size_t>(width - fixed - 2, 40);
      const auto filled = static_cast<std::size_t>(fraction * static_cast<double>(cells));
      return display::cut(label, label_width) + " [" + std::string(filled, '#') + std::string(cells - filled, '-') +
             "]" + tail;
    }
  }
  for (std::size_t n = fields.size(); n > 0; --n) {
    const std::string tail = joined(n);
    if (label_short + display::width(tail) <= width) return display::cut(label, label_short) + tail;
  }
  return display::cut(label + " " + percent, width);
}

void ProgressBar::update(std::size_t done, std::size_t total) {
  if (!enabled_ || total == 0) return;
  const auto now = std::chrono::steady_clock::now();
  if (done < total && now - last_ < std::chrono::milliseconds(100)) return;
  last_ = now;
  const double seconds = std::chrono::duration<double>(now - started_).count();
  const double per_second = seconds > 0.2 ? static_cast<double>(done) / seconds : 0;
  draw(line(label_, unit_, done, total, per_second, terminal::width(stderr, 80)));
}

void ProgressBar::draw(const std::string& text) {
  const std::size_t w = display::width(text);
  if (vt_) {
    std::fprintf(stderr, "\r%s\x1b[K", text.c_str());
  } else {
    // No erase-line sequence: overwrite what the last line left with spaces.
    std::fprintf(stderr, "\r%s%s", text.c_str(), std::string(drawn_width_ > w ? drawn_width_ - w : 0, ' ').c_str());
  }
  std::fflush(stderr);
  drawn_width_ = w;
}

void ProgressBar::finish() {
  if (!enabled_ || drawn_width_ == 0) return;
  if (vt_) {
    std::fprintf(stderr, "\r\x1b[K");
  } else {
    std::fprintf(stderr, "\r%s\r", std::string(drawn_width_, ' ').c_str());
  }
  std::fflush(stderr);
  drawn_width_ = 0;
}

}  // namespace drvaudit
