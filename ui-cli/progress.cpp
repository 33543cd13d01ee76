#include "ui-cli/progress.hpp"

#include <cstdio>

#include "common/terminal.hpp"

namespace drvaudit {

ProgressBar::ProgressBar(std::string label) : label_(std::move(label)), enabled_(terminal::is_terminal(stderr)) {}

ProgressBar::~ProgressBar() { finish(); }

void ProgressBar::update(std::size_t done, std::size_t total) {
  if (!enabled_ || total == 0) return;
  const auto now = std::chrono::steady_clock::now();
  if (done < total && now - last_ < std::chrono::milliseconds(100)) return;
  last_ = now;
  const int width = std::max(10, std::min(40, terminal::width(stderr, 80) - static_cast<int>(label_.size()) - 20));
  const int filled = static_cast<int>(static_cast<double>(done) / static_cast<double>(total) * width);
  std::string bar(static_cast<std::size_t>(filled), '#');
  bar.resize(static_cast<std::size_t>(width), ' ');
  std::fprintf(stderr, "\r%s [%s] %zu/%zu", label_.c_str(), bar.c_str(), done, total);
  std::fflush(stderr);
  drawn_ = true;
}

void ProgressBar::finish() {
  if (!drawn_) return;
  std::fprintf(stderr, "\r\033[K");
  std::fflush(stderr);
  drawn_ = false;
}

}  // namespace drvaudit
