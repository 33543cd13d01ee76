#include "updater/repair/repair_system.hpp"

#include <array>
#include <cstring>

#include "common/error.hpp"
#include "common/text.hpp"

namespace drvaudit::repair {

namespace {
constexpr std::array<std::pair<ServiceState, std::string_view>, 7> kStates{{
    {ServiceState::stopped, "stopped"},
    {ServiceState::start_pending, "start-pending"},
    {ServiceState::stop_pending, "stop-pending"},
    {ServiceState::running, "running"},
    {ServiceState::continue_pending, "continue-pending"},
    {ServiceState::pause_pending, "pause-pending"},
    {ServiceState::paused, "paused"},
}};
constexpr std::array<std::pair<StartType, std::string_view>, 5> kStartTypes{{
    {StartType::boot, "boot"},
    {StartType::system, "system"},
    {StartType::automatic, "automatic"},
    {StartType::demand, "manual"},
    {StartType::disabled, "disabled"},
}};

// UTF-16LE to UTF-8 for registry strings (the BMP and surrogate pairs).
std::string utf16le_to_utf8(const std::vector<std::uint8_t>& data, std::size_t from, std::size_t to) {
  std::string out;
  for (std::size_t i = from; i + 1 < to; i += 2) {
    std::uint32_t c = data[i] | (data[i + 1] << 8);
    if (c >= 0xD800 && c < 0xDC00 && i + 3 < to) {
      const std::uint32_t low = data[i + 2] | (data[i + 3] << 8);
      if (low >= 0xDC00 && low < 0xE000) {
        c = 0x10000 + ((c - 0xD800) << 10) + (low - 0xDC00);
        i += 2;
      }
    }
    text::append_utf8(out, c);
  }
  return out;
}
}  // namespace

std::string_view service_state_name(ServiceState s) {
  for (const auto& [state, name] : kStates)
    if (state == s) return name;
  return "unknown";
}

std::string_view start_type_name(StartType t) {
  for (const auto& [type, name] : kStartTypes)
    if (type == t) return name;
  return "unknown";
}

ServiceState parse_service_state(std::string_view name) {
  for (const auto& [state, text] : kStates)
    if (text == name) return state;
  throw ParseError("unknown service state '" + std::string(name) + "'");
}

StartType parse_start_type(std::string_view name) {
  for (const auto& [type, text] : kStartTypes)
    if (text == name) return type;
  throw ParseError("unknown start type '" + std::string(name) + "'");
}

RegistryValue RegistryValue::dword(std::uint32_t v) {
  return {kRegDword,
          {static_cast<std::uint8_t>(v), static_cast<std::uint8_t>(v >> 8), static_cast<std::uint8_t>(v >> 16),
           static_cast<std::uint8_t>(v >> 24)}};
}

std::optional<std::uint32_t> RegistryValue::as_dword() const {
  if (type != kRegDword || data.size() != 4) return std::nullopt;
  return data[0] | (data[1] << 8) | (data[2] << 16) | (std::uint32_t{data[3]} << 24);
}

std::optional<std::string> RegistryValue::as_text() const {
  if (type != kRegSz && type != kRegExpandSz && type != kRegMultiSz) return std::nullopt;
  std::string out;
  std::size_t start = 0;
  for (std::size_t i = 0; i + 1 < data.size(); i += 2) {
    if (data[i] == 0 && data[i + 1] == 0) {
      if (i > start) out += (out.empty() ? "" : "; ") + utf16le_to_utf8(data, start, i);
      if (type != kRegMultiSz) return out;
      start = i + 2;
    }
  }
  if (start + 1 < data.size()) out += (out.empty() ? "" : "; ") + utf16le_to_utf8(data, start, data.size());
  return out;
}

}  // namespace drvaudit::repair
