#include "common/clock.hpp"

#include <chrono>
#include <cstdio>

namespace drvaudit {

std::string utc_now_iso8601() { return iso8601(std::chrono::system_clock::now()); }

std::optional<std::chrono::system_clock::time_point> parse_iso8601(std::string_view text) {
  const bool date = text.size() == 10, full = text.size() == 20 && text[10] == 'T' && text[19] == 'Z';
  if (!date && !full) return std::nullopt;
  const auto number = [&](std::size_t at, std::size_t n) -> std::optional<int> {
    int v = 0;
    for (std::size_t i = at; i < at + n; ++i) {
      if (text[i] < '0' || text[i] > '9') return std::nullopt;
      v = v * 10 + (text[i] - '0');
    }
    return v;
  };
  const auto y = number(0, 4), mo = number(5, 2), d = number(8, 2);
  if (!y || !mo || !d || text[4] != '-' || text[7] != '-') return std::nullopt;
  // system_clock counts nanoseconds: years past 2262 overflow it. No time drvaudit reads is that far.
  if (*y < 1900 || *y > 2200) return std::nullopt;
  const std::chrono::year_month_day ymd{std::chrono::year{*y}, std::chrono::month(static_cast<unsigned>(*mo)),
                                        std::chrono::day(static_cast<unsigned>(*d))};
  if (!ymd.ok()) return std::nullopt;
  std::chrono::system_clock::time_point t = std::chrono::sys_days{ymd};
  if (full) {
    const auto h = number(11, 2), mi = number(14, 2), s = number(17, 2);
    if (!h || !mi || !s || *h > 23 || *mi > 59 || *s > 60 || text[13] != ':' || text[16] != ':') return std::nullopt;
    t += std::chrono::hours(*h) + std::chrono::minutes(*mi) + std::chrono::seconds(*s);
  }
  return t;
}

std::string iso8601(std::chrono::system_clock::time_point t) {
  const auto now = std::chrono::floor<std::chrono::seconds>(t);
  const auto days = std::chrono::floor<std::chrono::days>(now);
  const std::chrono::year_month_day ymd{days};
  const std::chrono::hh_mm_ss hms{now - days};
  char buf[32];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02ld:%02ld:%02ldZ", static_cast<int>(ymd.year()),
                static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()),
                static_cast<long>(hms.hours().count()), static_cast<long>(hms.minutes().count()),
                static_cast<long>(hms.seconds().count()));
  return buf;
}

}  // namespace drvaudit
