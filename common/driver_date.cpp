#include "common/driver_date.hpp"

#include <cstdio>

#include "common/text.hpp"

namespace drvaudit {

namespace {
bool is_leap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

int days_in_month(int y, int m) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return (m == 2 && is_leap(y)) ? 29 : kDays[m - 1];
}

// Splits "a<sep>b<sep>c" into three decimal numbers with the given maximum digit counts.
bool three_numbers(std::string_view s, char sep, int max_digits_a, int max_digits_b, int max_digits_c, int& a, int& b,
                   int& c) {
  const auto parts = text::split(s, sep);
  if (parts.size() != 3) return false;
  const int max_digits[] = {max_digits_a, max_digits_b, max_digits_c};
  int* out[] = {&a, &b, &c};
  for (int i = 0; i < 3; ++i) {
    const auto p = parts[static_cast<std::size_t>(i)];
    if (p.empty() || p.size() > static_cast<std::size_t>(max_digits[i])) return false;
    const auto v = text::parse_decimal(p);
    if (!v) return false;
    *out[i] = static_cast<int>(*v);
  }
  return true;
}
}  // namespace

DriverDate DriverDate::from_ymd(int year, int month, int day) {
  if (year < 1 || year > 9999 || month < 1 || month > 12 || day < 1 || day > days_in_month(year, month)) return {};
  DriverDate d;
  d.year_ = year;
  d.month_ = month;
  d.day_ = day;
  return d;
}

DriverDate DriverDate::parse(std::string_view input) {
  auto s = text::trim(input);
  int a = 0, b = 0, c = 0;
  // ISO 8601: the date part ends at 'T' or a space when a time follows.
  if (s.size() >= 10 && s[4] == '-') {
    auto date_part = s.substr(0, 10);
    if (s.size() == 10 || s[10] == 'T' || s[10] == ' ') {
      if (three_numbers(date_part, '-', 4, 2, 2, a, b, c) && date_part[7] == '-') return from_ymd(a, b, c);
    }
    return {};
  }
  for (char sep : {'/', '-'}) {
    if (s.find(sep) != std::string_view::npos) {
      if (three_numbers(s, sep, 2, 2, 4, a, b, c) && s.substr(s.rfind(sep) + 1).size() == 4) return from_ymd(c, a, b);
      return {};
    }
  }
  return {};
}

std::string DriverDate::to_iso() const {
  if (is_zero()) return {};
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", year_, month_, day_);
  return buf;
}

std::string DriverDate::to_inf() const {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%02d/%02d/%04d", month_, day_, year_);
  return buf;
}

}  // namespace drvaudit
