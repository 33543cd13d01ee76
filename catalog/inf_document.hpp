#pragma once

#include <cstdint>
#include <deque>
#include <memory>
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
  std::string_view name;  // as first written; valid as long as the Document
  int first_line = 0;
  std::vector<Line> lines;
  bool is_strings = false;  // [Strings] or [Strings.LLLL]: lines keep raw_value
};

// Where the bodies of one section lie in the text (several when the name repeats).
struct SectionSpan {
  std::size_t begin = 0, end = 0;  // byte offsets in the decoded text
  int line = 0;                    // line number at begin
};

// Limits from the INF rules: a field holds at most 4096 characters before substitution, a string at
// most 4096 after it.
inline constexpr std::size_t kMaxFieldLength = 4096;
inline constexpr std::size_t kMaxStringLength = 4096;
// Fields drvaudit keeps of one line (real lines have a few; a field costs a string, so a line of a
// million empty fields must not cost a million strings).
inline constexpr std::size_t kMaxFieldsPerLine = 256;
// Lines drvaudit tokenizes of one INF, all sections together (the largest real INFs have tens of
// thousands; each costs a few hundred bytes).
inline constexpr std::size_t kMaxLinesRead = 120000;
// What %key% substitutions may add to a document in all, beyond its own size: a hostile INF that
// repeats a 4,000-character string on every line must not cost gigabytes (docs/security.md).
inline constexpr std::size_t kSubstitutionBudgetBase = 4u << 20;  // plus 2× the document's size

// The problems kept of one document; one more line says how many were left out.
inline constexpr std::size_t kMaxDiagnostics = 1000;
void record(std::vector<Diagnostic>& diagnostics, Diagnostic d);

class Document {
 public:
  // full: tokenize every section now (and report every problem); otherwise a section's lines are
  // read the first time it is asked for, which is how an indexer that reads a few sections of each
  // INF stays fast. Results are the same either way.
  enum class Mode { full, on_demand };
  // language: a LANGID such as 0x0409; it picks the [Strings.LLLL] table.
  // The Document refers to bytes when they need no decoding: they must outlive it. The rvalue
  // overload is for callers that do not keep their bytes.
  static Document parse(std::string_view bytes, std::uint16_t language = 0x0409, Mode mode = Mode::full);
  static Document parse(std::string&& bytes, std::uint16_t language = 0x0409, Mode mode = Mode::full);
  static Document parse(const char* bytes, std::uint16_t language = 0x0409, Mode mode = Mode::full) {
    return parse(std::string(bytes), language, mode);
  }
  static Document parse(const std::string& bytes, std::uint16_t language = 0x0409, Mode mode = Mode::full) {
    return parse(std::string_view(bytes), language, mode);
  }

  const Section* section(std::string_view name) const;  // case-insensitive; nullptr when absent
  const std::vector<Section>& sections() const;         // every section, tokenized
  std::string_view text() const { return text_; }       // the decoded text
  // The first value of key in section, substituted; nullopt when absent.
  std::optional<std::string> value(std::string_view section, std::string_view key) const;

  // %key% replaced from the chosen [Strings] table, %% by %; unknown keys stay as written.
  std::string substitute(std::string_view text) const;
  const std::string& strings_section() const { return strings_section_; }  // "" when none

  Encoding encoding() const { return encoding_; }
  // Problems found so far, by line (with on_demand, only in the sections read).
  const std::vector<Diagnostic>& diagnostics() const;
  void add_diagnostic(int line, std::string message) { record(diagnostics_, {line, std::move(message)}); }

 private:
  void choose_strings(std::uint16_t language);
  void tokenize(std::size_t index) const;

  struct CaseInsensitiveHash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const noexcept;
  };
  struct CaseInsensitiveEqual {
    using is_transparent = void;
    bool operator()(std::string_view a, std::string_view b) const noexcept;
  };
  template <typename K, typename T>
  using NameMap = std::unordered_map<K, T, CaseInsensitiveHash, CaseInsensitiveEqual>;

  static Document parse_decoded(DecodedText decoded, std::uint16_t language, Mode mode);
  void parse_text(std::uint16_t language, Mode mode);

  // The text: a view of the caller's bytes, or of owned_ when they had to be decoded. owned_ is
  // a unique_ptr so the view survives moving the Document.
  std::unique_ptr<std::string> owned_;
  std::string_view text_;
  std::deque<std::string> unquoted_names_;  // storage for section names that were written in quotes
  // Sections are tokenized lazily; the document is logically const all the same.
  mutable std::vector<Section> sections_;
  struct Span {
    std::size_t section;
    SectionSpan where;
  };
  std::vector<Span> spans_;  // in text order
  mutable std::vector<bool> tokenized_;
  NameMap<std::string_view, std::size_t> index_;  // section name (a view of the text) → sections_ position
  // [Strings] key → value, as views of the chosen section's tokenized lines (never changed after).
  NameMap<std::string_view, std::string_view> strings_;
  std::string strings_section_;
  Encoding encoding_ = Encoding::utf8;
  mutable std::vector<Diagnostic> diagnostics_;
  // Bytes that substitutions have added so far, and whether the limits were reported.
  mutable std::size_t substituted_bytes_ = 0;
  mutable std::size_t tokenized_lines_ = 0;
  mutable bool reported_cut_ = false, reported_budget_ = false;
};

}  // namespace drvaudit::inf
