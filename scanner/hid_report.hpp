#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "scanner/windows_ids.hpp"

// Finds the top-level collections of a HID report descriptor: Windows' HIDClass creates one
// device per top-level collection and names it after the collection's usage page and usage.
namespace drvaudit::hidreport {

// Never reads past the input and stops at the first malformed item.
std::vector<winids::HidCollection> top_level_collections(std::string_view descriptor);

}  // namespace drvaudit::hidreport
