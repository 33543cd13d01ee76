#pragma once

#include <chrono>
#include <cstddef>
#include <string>

// A one-line progress bar on standard error, only when it is a terminal: label, bar, percent,
// count, rate and time left, fitted to the terminal's width so it never wraps. It shows at once
// (before the first item is done), redraws at most ten times a second, and finish() clears it.
namespace drvaudit {

class ProgressBar {
 public:
  ProgressBar(std::string label, std::string unit);
  ~ProgressBar();
  ProgressBar(const ProgressBar&) = delete;
  ProgressBar& operator=(const ProgressBar&) = delete;
  void update(std::size_t done, std::size_t total);
  void finish();

  // The line for a width, without drawing it: what update() draws (for tests).
  static std::string line(const std::string& label, const std::string& unit, std::size_t done, std::size_t total,
                          double per_second, int width);

 private:
  void draw(const std::string& text);

  std::string label_, unit_;
  bool enabled_;
  bool vt_;
  std::size_t drawn_width_ = 0;
  std::chrono::steady_clock::time_point started_, last_{};
};

}  // namespace drvaudit
