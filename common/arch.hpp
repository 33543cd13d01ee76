#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace drvaudit {

// The canonical architecture name for what operating systems and users call it: "x64", "x86_64"
// and "AMD64" are amd64, "i686" and "i386" are x86, "aarch64" is arm64. nullopt when unknown.
std::optional<std::string> canonical_arch(std::string_view text);

// The canonical name when known, the text as given otherwise: what a report shows.
std::string arch_shown(std::string_view text);

}  // namespace drvaudit
