#include "common/driver_version.hpp"

#include "common/error.hpp"
#include "common/text.hpp"

namespace drvaudit {

namespace {
// Returns an empty string on success, otherwise what was wrong.
std::string parse_into(std::string_view text, std::array<std::uint16_t, 4>& out) {
  const auto trimmed = text::trim(text);
  if (trimmed.empty()) return "empty version";
  const auto parts = text::split(trimmed, '.');
  if (parts.size() > 4) return "more than four fields";
  for (std::size_t i = 0; i < parts.size(); ++i) {
    const auto part = text::trim(parts[i]);
    if (part.empty()) return "field " + std::to_string(i + 1) + " is empty";
    const auto value = text::parse_decimal(part, 65535);
    if (!value)
      return "field " + std::to_string(i + 1) + " '" + std::string(part) + "' is not a number from 0 to 65535";
    out[i] = static_cast<std::uint16_t>(*value);
  }
  return {};
}
}  // namespace

DriverVersion::DriverVersion(std::uint16_t w, std::uint16_t x, std::uint16_t y, std::uint16_t z)
    : fields_{w, x, y, z} {}

DriverVersion DriverVersion::parse(std::string_view text) {
  DriverVersion v;
  if (auto problem = parse_into(text, v.fields_); !problem.empty()) {
    throw ParseError("invalid driver version '" + std::string(text) + "': " + problem);
  }
  return v;
}

std::optional<DriverVersion> DriverVersion::try_parse(std::string_view text) {
  DriverVersion v;
  if (!parse_into(text, v.fields_).empty()) return std::nullopt;
  return v;
}

std::uint64_t DriverVersion::packed() const {
  return (std::uint64_t{fields_[0]} << 48) | (std::uint64_t{fields_[1]} << 32) | (std::uint64_t{fields_[2]} << 16) |
         std::uint64_t{fields_[3]};
}

std::string DriverVersion::to_string() const {
  return std::to_string(fields_[0]) + "." + std::to_string(fields_[1]) + "." + std::to_string(fields_[2]) + "." +
         std::to_string(fields_[3]);
}

}  // namespace drvaudit
