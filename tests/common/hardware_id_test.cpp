#include <catch2/catch.hpp>

#include "common/hardware_id.hpp"

namespace hwid = drvaudit::hwid;

TEST_CASE("hardware IDs compare case-insensitively and canonicalise to upper case") {
  CHECK(hwid::canonical(" pci\\ven_8086&dev_06ed ") == "PCI\\VEN_8086&DEV_06ED");
  CHECK(hwid::equals("USB\\Class_03&SubClass_01", "USB\\CLASS_03&SUBCLASS_01"));
  CHECK_FALSE(hwid::equals("USB\\Class_03", "USB\\Class_04"));
}

TEST_CASE("hardware IDs split into enumerator and the rest") {
  CHECK(hwid::split("PCI\\VEN_8086&DEV_06ED").enumerator == "PCI");
  CHECK(hwid::split("PCI\\VEN_8086&DEV_06ED").rest == "VEN_8086&DEV_06ED");
  CHECK(hwid::split("*PNP0C0A").enumerator == "*");
  CHECK(hwid::split("*PNP0C0A").rest == "PNP0C0A");
  // Wine's HID IDs start with a whole instance ID: only the first backslash separates.
  CHECK(hwid::split("HID\\VID_845E&PID_0001\\0&0000&0&0").rest == "VID_845E&PID_0001\\0&0000&0&0");
  CHECK(hwid::split("HID_DEVICE").enumerator.empty());
}

TEST_CASE("hardware IDs are at most 199 printable characters") {
  CHECK(hwid::is_valid(std::string(199, 'A')));
  CHECK_FALSE(hwid::is_valid(std::string(200, 'A')));
  CHECK_FALSE(hwid::is_valid(""));
  CHECK_FALSE(hwid::is_valid("PCI\\VEN 8086"));
  CHECK_FALSE(hwid::is_valid("PCI\\VEN_8086,DEV_1"));
  CHECK_FALSE(hwid::is_valid("PCI\\\x01"));
  CHECK(hwid::is_valid("HID_DEVICE_UP:0001_U:0002"));
}
