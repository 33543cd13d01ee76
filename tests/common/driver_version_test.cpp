#include <catch2/catch.hpp>

#include "common/driver_version.hpp"
#include "common/error.hpp"

using drvaudit::DriverVersion;

TEST_CASE("driver versions parse four 16-bit fields") {
  const auto v = DriverVersion::parse("100.90.104.22100");
  CHECK(v.fields() == std::array<std::uint16_t, 4>{100, 90, 104, 22100});
  CHECK(v.to_string() == "100.90.104.22100");
  CHECK(v.packed() == ((100ull << 48) | (90ull << 32) | (104ull << 16) | 22100ull));
  CHECK(DriverVersion::parse(" 1.2.3.4 ") == DriverVersion(1, 2, 3, 4));
  CHECK(DriverVersion::parse("65535.0.0.65535") == DriverVersion(65535, 0, 0, 65535));
}

TEST_CASE("missing driver version fields count as zero") {
  CHECK(DriverVersion::parse("6.1") == DriverVersion(6, 1, 0, 0));
  CHECK(DriverVersion::parse("7") == DriverVersion(7, 0, 0, 0));
  CHECK(DriverVersion::parse("6.1").to_string() == "6.1.0.0");
}

TEST_CASE("driver versions compare numerically, not as text") {
  CHECK(DriverVersion::parse("10.0.0.0") > DriverVersion::parse("9.9.9.9"));
  CHECK(DriverVersion::parse("1.2.10.0") > DriverVersion::parse("1.2.9.65535"));
  CHECK(DriverVersion::parse("31.0.15.3623") > DriverVersion::parse("27.21.14.5671"));
  CHECK(DriverVersion::parse("1.0") == DriverVersion::parse("1.0.0.0"));
  CHECK(DriverVersion::parse("0.0.0.1") > DriverVersion());
}

TEST_CASE("bad driver versions are reported with the reason") {
  const char* bad[] = {"", "  ", "1..2", "1.2.3.4.5", "65536.0.0.0", "a.b.c.d", "-1.0", "1.2.3.4x", "1,2,3,4"};
  for (const char* text : bad) {
    INFO(text);
    CHECK_THROWS_AS(DriverVersion::parse(text), drvaudit::ParseError);
    CHECK_FALSE(DriverVersion::try_parse(text).has_value());
  }
  CHECK_THROWS_WITH(DriverVersion::parse("1.70000"), Catch::Contains("field 2") && Catch::Contains("65535"));
  CHECK_THROWS_WITH(DriverVersion::parse("1.2.3.4.5"), Catch::Contains("more than four fields"));
}
