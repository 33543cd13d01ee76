#include <catch2/catch.hpp>

#include "common/driver_date.hpp"

using drvaudit::DriverDate;

TEST_CASE("DriverVer dates in the INF and registry forms") {
  CHECK(DriverDate::parse("05/21/2022").to_iso() == "2022-05-21");
  CHECK(DriverDate::parse("05-21-2022").to_iso() == "2022-05-21");
  CHECK(DriverDate::parse("5-1-2022").to_iso() == "2022-05-01");  // registry DriverDate, no padding
  CHECK(DriverDate::parse(" 12/31/1999 ").to_iso() == "1999-12-31");
  CHECK(DriverDate::parse("05/21/2022").to_inf() == "05/21/2022");
}

TEST_CASE("ISO 8601 dates, with or without a time") {
  CHECK(DriverDate::parse("2022-05-21").to_iso() == "2022-05-21");
  CHECK(DriverDate::parse("2022-05-21T00:00:00Z").to_iso() == "2022-05-21");
  CHECK(DriverDate::parse("2022-05-21 13:45").to_iso() == "2022-05-21");
}

TEST_CASE("leap years follow the Gregorian rule") {
  CHECK_FALSE(DriverDate::parse("02/29/2024").is_zero());
  CHECK(DriverDate::parse("02/29/2023").is_zero());
  CHECK(DriverDate::parse("02/29/1900").is_zero());
  CHECK_FALSE(DriverDate::parse("02/29/2000").is_zero());
}

TEST_CASE("invalid dates become the zero date that sorts oldest") {
  const char* bad[] = {"",       "garbage",     "00/00/0000", "13/01/2020",  "02/30/2021",   "04/31/2021",
                       "1/2/20", "01/02/20202", "2022-13-01", "2022-05-21X", "01/02/2020/3", "0x10/01/2020"};
  for (const char* text : bad) {
    INFO(text);
    const auto d = DriverDate::parse(text);
    CHECK(d.is_zero());
    CHECK(d.to_iso().empty());
    CHECK(d < DriverDate::parse("01/01/1970"));
  }
  CHECK(DriverDate().to_inf() == "00/00/0000");
}

TEST_CASE("dates order by year, then month, then day") {
  CHECK(DriverDate::parse("01/01/2023") > DriverDate::parse("12/31/2022"));
  CHECK(DriverDate::parse("02/01/2022") > DriverDate::parse("01/31/2022"));
  CHECK(DriverDate::parse("01/02/2022") > DriverDate::parse("01/01/2022"));
  CHECK(DriverDate::parse("2022-05-21") == DriverDate::parse("05/21/2022"));
}
