#pragma once

#include <functional>
#include <string>

#include "common/error.hpp"

namespace drvaudit::test {

// What a call refused with (drvaudit::Error's message), or "no error": for checking the words.
inline std::string error_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const drvaudit::Error& e) {
    return e.what();
  }
  return "no error";
}

}  // namespace drvaudit::test
