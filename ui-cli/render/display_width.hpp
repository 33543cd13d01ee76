#pragma once

#include <cstddef>
#include <string>
#include <string_view>

// How many terminal columns text takes: East Asian wide characters and emoji take two, combining
// marks and zero-width characters none (utf8proc's Unicode tables, not a code-point count).
namespace drvaudit::display {

std::size_t width(std::string_view utf8);

// The longest prefix of whole grapheme clusters that takes at most `columns` columns.
std::string_view prefix(std::string_view utf8, std::size_t columns);

// Cut to `columns` with a trailing "…" when longer; never splits a character or a cluster.
std::string cut(std::string_view utf8, std::size_t columns);

// Cut or padded with spaces to exactly `columns` columns.
std::string fit(std::string_view utf8, std::size_t columns);

}  // namespace drvaudit::display
