#include "fleet/run_models.hpp"

#include <algorithm>
#include <charconv>
#include <tuple>

#include "common/error.hpp"

namespace drvaudit::fleet {

namespace {
// Without a temporary string: a report's 400 entries, 10,000 reports in an ingest.
void append_number(std::string& text, std::int64_t n) {
  char digits[24];
  text.append(digits, std::to_chars(digits, digits + sizeof digits, n).ptr);
}
}  // namespace

std::string encode_run_models(std::vector<ModelDriverCount> entries) {
  std::sort(entries.begin(), entries.end(),
            [](const auto& a, const auto& b) { return std::tie(a.id_set, a.driver) < std::tie(b.id_set, b.driver); });
  std::string text;
  text.reserve(entries.size() * 10);
  for (std::size_t i = 0; i < entries.size();) {
    const auto& e = entries[i];
    std::int64_t devices = 0;
    for (; i < entries.size() && entries[i].id_set == e.id_set && entries[i].driver == e.driver; ++i)
      devices += entries[i].devices;
    if (!text.empty()) text += ' ';
    append_number(text, e.id_set);
    text += '.';
    append_number(text, e.driver);
    if (devices != 1) {
      text += '*';
      append_number(text, devices);
    }
  }
  return text;
}

namespace {
constexpr std::int64_t kMostDevices = 1'000'000;

// A positive decimal number at `at`, leaving `at` after it.
std::int64_t number_at(std::string_view text, std::size_t& at, const char* what) {
  std::int64_t value = 0;
  if (at >= text.size() || text[at] < '0' || text[at] > '9')
    throw ParseError("run_models entry at offset " + std::to_string(at) + ": expected " + what);
  const auto* begin = text.data() + at;
  const auto [end, ec] = std::from_chars(begin, text.data() + text.size(), value);
  if (ec != std::errc{} || value <= 0)
    throw ParseError("run_models entry at offset " + std::to_string(at) + ": expected " + what);
  at += static_cast<std::size_t>(end - begin);
  return value;
}
}  // namespace

std::vector<ModelDriverCount> decode_run_models(std::string_view text) {
  std::vector<ModelDriverCount> entries;
  std::size_t at = 0;
  while (at < text.size()) {
    if (!entries.empty()) {
      if (text[at] != ' ') throw ParseError("run_models entry at offset " + std::to_string(at) + ": expected a space");
      ++at;
    }
    ModelDriverCount e;
    e.id_set = number_at(text, at, "an id set");
    if (at >= text.size() || text[at] != '.')
      throw ParseError("run_models entry at offset " + std::to_string(at) + ": expected '.'");
    ++at;
    e.driver = number_at(text, at, "a driver");
    e.devices = 1;
    if (at < text.size() && text[at] == '*') {
      ++at;
      e.devices = number_at(text, at, "a device count");
      // No machine has this many devices; the bound also keeps every sum of counts far from overflow.
      if (e.devices > kMostDevices)
        throw ParseError("run_models entry at offset " + std::to_string(at) + ": more than " +
                         std::to_string(kMostDevices) + " devices");
    }
    entries.push_back(e);
  }
  return entries;
}

}  // namespace drvaudit::fleet
