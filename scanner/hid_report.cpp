#include "scanner/hid_report.hpp"

namespace drvaudit::hidreport {

std::vector<winids::HidCollection> top_level_collections(std::string_view d) {
  std::vector<winids::HidCollection> out;
  std::uint32_t usage_page = 0;
  std::uint32_t usage = 0;
  bool have_usage = false;
  int depth = 0;
  std::size_t i = 0;
  while (i < d.size()) {
    const auto prefix = static_cast<std::uint8_t>(d[i]);
    if (prefix == 0xFE) {  // long item: size byte, tag byte, data
      if (i + 2 >= d.size()) break;
      i += 3 + static_cast<std::uint8_t>(d[i + 1]);
      continue;
    }
    static constexpr std::size_t kSizes[] = {0, 1, 2, 4};
    const std::size_t size = kSizes[prefix & 0x03];
    if (i + 1 + size > d.size()) break;
    std::uint32_t value = 0;
    for (std::size_t b = 0; b < size; ++b) value |= std::uint32_t{static_cast<std::uint8_t>(d[i + 1 + b])} << (8 * b);
    const std::uint8_t tag_type = prefix & 0xFC;
    switch (tag_type) {
      case 0x04: usage_page = value; break;  // Global: Usage Page
      case 0x08:                             // Local: Usage (a 4-byte usage carries its own page)
        if (!have_usage) {
          usage = size == 4 ? (value & 0xFFFF) : value;
          if (size == 4) usage_page = value >> 16;
          have_usage = true;
        }
        break;
      case 0xA0:  // Main: Collection
        if (depth == 0 && value == 0x01) {
          out.push_back({static_cast<std::uint16_t>(usage_page), static_cast<std::uint16_t>(usage)});
        }
        ++depth;
        have_usage = false;
        break;
      case 0xC0:  // Main: End Collection
        if (depth > 0) --depth;
        have_usage = false;
        break;
      case 0x80:
      case 0x90:
      case 0xB0: have_usage = false; break;  // Input, Output, Feature clear the local state
      default: break;
    }
    i += 1 + size;
  }
  return out;
}

}  // namespace drvaudit::hidreport
