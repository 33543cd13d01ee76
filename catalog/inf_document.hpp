#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "catalog/inf_decode.hpp"

// An INF file as sections of lines of fields (general-syntax-rules-for-inf-files.md): bytes in,
// sections out. Section and key names are case-insensitive; sections with the same name are
// merged; one [Strings] table is chosen by language and %key% is substituted on request.
// Parsing never fails: what cannot be read becomes a diagnostic with its line number.
namespace drvaudit::inf {

struct Diagnostic {
  int line = 0;  // 1-based; 0 for the whole file
  std::string message;
};

struct Line {
  int number = 0;                   // physical line where the logical line starts
  std::optional<std::string> key;   // text before an unquoted '=', when there is one
  std::vector<std::string> fields;  // values with quotes and "" resolved, before %key% substitution
  std::string raw_value;            // text after '=' with quotes resolved and commas kept ([Strings])
};

struct Section {
  std::string name;  // as first written
  int first_line = 0;
  std::vector<Line> lines;
  bool is_strings = false;  // [Strings] or [Strings.LLLL]: lines keep raw_value
};

// Limits from the INF rules: a field holds at most 4096 characters before substitution, a string at
// most 4096 after it.
inline constexpr std::size_t kMaxFieldLength = 4096;
inline constexpr std::size_t kMaxStringLength = 4096;

class Document {
 public:
  // language: a LANGID such as 0x0409; it picks the [Strings.LLLL] table.
  static Document parse(std::string_view bytes, std::uint16_t language = 0x0409);

  const Section* section(std::string_view name) const;  // case-insensitive; nullptr when absent
  const std::vector<Section>& sections() const { return sections_; }
  // The first value of key in section, substituted; nullopt when absent.
  std::optional<std::string> value(std::string_view section, std::string_view key) const;

  // %key% replaced from the chosen [Strings] table, %% by %; unknown keys stay as written.
  std::string substitute(std::string_view text) const;
  const std::string& strings_section() const { return strings_section_; }  // "" when none

  Encoding encoding() const { return encoding_; }
  const std::vector<Diagnostic>& diagnostics() const { return diagnostics_; }
  void add_diagnostic(int line, std::string message) { diagnostics_.push_back({line, std::move(message)}); }

 private:
  void choose_strings(std::uint16_t language);

  std::vector<Section> sections_;
  std::unordered_map<std::string, std::size_t> index_;    // upper-case name → sections_ position
  std::unordered_map<std::string, std::string> strings_;  // upper-case key → value
  std::string strings_section_;
  Encoding encoding_ = Encoding::utf8;
  std::vector<Diagnostic> diagnostics_;
};

}  // namespace drvaudit::inf
