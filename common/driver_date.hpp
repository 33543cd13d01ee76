#pragma once

#include <compare>
#include <string>
#include <string_view>

namespace drvaudit {

// A DriverVer date. Anything missing or impossible becomes the zero date, which sorts before
// every real date, exactly as Windows treats an invalid DriverVer date (00/00/0000).
class DriverDate {
 public:
  DriverDate() = default;
  // Returns the zero date for an impossible year/month/day.
  static DriverDate from_ymd(int year, int month, int day);
  // Accepts mm/dd/yyyy and mm-dd-yyyy (one- or two-digit month and day, as the registry writes
  // them) and ISO 8601 yyyy-mm-dd, optionally followed by a time part that is ignored.
  static DriverDate parse(std::string_view text);

  bool is_zero() const { return year_ == 0; }
  int year() const { return year_; }
  int month() const { return month_; }
  int day() const { return day_; }

  std::string to_iso() const;  // "yyyy-mm-dd", or "" for the zero date
  std::string to_inf() const;  // "mm/dd/yyyy", or "00/00/0000"

  friend auto operator<=>(const DriverDate&, const DriverDate&) = default;

 private:
  int year_ = 0;
  int month_ = 0;
  int day_ = 0;
};

}  // namespace drvaudit
