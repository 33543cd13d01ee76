#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

// Small ASCII string helpers shared by the parsers. They never depend on the C locale.
namespace drvaudit::text {

// These return views into their argument: a temporary std::string would leave them dangling, so
// those overloads are deleted.
std::string_view trim(std::string_view s);
std::string_view trim(std::string&&) = delete;
// An owning trim, for temporaries.
std::string trimmed(std::string_view s);
std::string to_upper(std::string_view s);
void upper_in_place(std::string& s);  // ASCII, as to_upper; reuses the string's buffer
std::string to_lower(std::string_view s);
bool iequals(std::string_view a, std::string_view b);
// The parts with `separator` between them.
std::string join(const std::vector<std::string>& parts, std::string_view separator);
bool istarts_with(std::string_view s, std::string_view prefix);
bool iends_with(std::string_view s, std::string_view suffix);
std::vector<std::string_view> split(std::string_view s, char sep);
std::vector<std::string_view> split(std::string&&, char) = delete;

// Valid UTF-8 for any bytes: each invalid sequence becomes U+FFFD. Device strings (USB product
// names, ACPI descriptions) are firmware data and not always UTF-8.
std::string sanitize_utf8(std::string_view bytes);
bool is_valid_utf8(std::string_view bytes);
// Length of the well-formed UTF-8 sequence starting at bytes[i], or 0 when it is not one
// (overlong forms, surrogates and values past U+10FFFF are not well-formed).
std::size_t utf8_sequence_length(std::string_view bytes, std::size_t i);
void append_utf8(std::string& out, std::uint32_t code_point);

// Text from devices, INFs, snapshots and the file system made safe to show on a terminal: control
// characters (C0, DEL, C1) and bidirectional overrides and isolates are written as escapes (\n, \r,
// \t, \x1b, \u202e), bytes that are not UTF-8 as \xff. A hostile name can then neither move the
// cursor nor split a row. Backslashes are kept as they are (Windows paths); JSON and CSV output
// keep the exact text instead.
std::string escape_control(std::string_view bytes);

// & < > " ' as XML and HTML character references, for element text and quoted attribute values.
std::string xml_escape(std::string_view text);

// Parses an unsigned hexadecimal number, with or without a 0x prefix. Whitespace around it is
// allowed; anything else, or a value above max, gives nullopt.
std::optional<std::uint32_t> parse_hex(std::string_view s, std::uint32_t max = 0xFFFFFFFFu);
std::optional<std::uint32_t> parse_decimal(std::string_view s, std::uint32_t max = 0xFFFFFFFFu);

// Every byte as two lower-case hexadecimal digits ("caf\xff" -> "636166ff").
std::string hex_bytes(std::string_view bytes);

// Upper-case hexadecimal with a fixed number of digits, as Windows writes IDs.
std::string hex(std::uint32_t value, int digits);

}  // namespace drvaudit::text
