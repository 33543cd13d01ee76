#pragma once

#include <array>
#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace drvaudit {

// A Windows driver version: up to four 16-bit fields "w.x.y.z" compared numerically from the left;
// a missing field counts as 0 (windows-driver-facts.md §6).
class DriverVersion {
 public:
  DriverVersion() = default;
  DriverVersion(std::uint16_t w, std::uint16_t x, std::uint16_t y, std::uint16_t z);

  // Throws ParseError naming the offending part when text is not 1-4 dot-separated numbers
  // of at most 65535.
  static DriverVersion parse(std::string_view text);
  // For places where a malformed version is an ordinary outcome (values read from a device).
  static std::optional<DriverVersion> try_parse(std::string_view text);

  const std::array<std::uint16_t, 4>& fields() const { return fields_; }
  bool is_zero() const { return fields_ == std::array<std::uint16_t, 4>{}; }
  // The binary FILEVERSION form (w<<48 | x<<32 | y<<16 | z).
  std::uint64_t packed() const;
  std::string to_string() const;  // always four fields, as Windows shows a driver version

  friend std::strong_ordering operator<=>(const DriverVersion& a, const DriverVersion& b) {
    return a.fields_ <=> b.fields_;
  }
  friend bool operator==(const DriverVersion& a, const DriverVersion& b) { return a.fields_ == b.fields_; }

 private:
  std::array<std::uint16_t, 4> fields_{};
};

}  // namespace drvaudit
