#pragma once

#include <chrono>
#include <cstddef>
#include <string>

namespace drvaudit {

// A one-line progress bar on standard error, drawn only when it is a terminal and at most ten
// times a second; finish() clears the line.
class ProgressBar {
 public:
  explicit ProgressBar(std::string label);
  ~ProgressBar();
  void update(std::size_t done, std::size_t total);
  void finish();

 private:
  std::string label_;
  bool enabled_;
  bool drawn_ = false;
  std::chrono::steady_clock::time_point last_{};
};

}  // namespace drvaudit
