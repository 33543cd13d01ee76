#pragma once

#include <cstddef>

// The heap this test program uses: live bytes now, and the peak since reset_peak().
namespace drvaudit::test {

void reset_peak();
std::size_t live_bytes();
std::size_t peak_bytes();

}  // namespace drvaudit::test
