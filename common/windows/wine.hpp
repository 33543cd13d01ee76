#pragma once

#include <optional>
#include <string>

// Whether this process runs under Wine, and which: some Windows facts (the trust store that
// WinVerifyTrust consults, System Restore) are Wine's own there and say nothing about Windows.
namespace drvaudit::win {

// Wine's version ("8.0") when running under Wine, else nullopt (ntdll exports wine_get_version).
std::optional<std::string> wine_version();

}  // namespace drvaudit::win
