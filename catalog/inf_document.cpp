#include "catalog/inf_document.hpp"

#include <algorithm>
#include <array>
#include <cstring>
#include <optional>

#include "common/text.hpp"

namespace drvaudit::inf {

// Keeps the first kMaxDiagnostics problems of a document and says in one last line that there are
// more: a hostile INF with a problem on each of its lines must not cost a message per line. (The
// one-time file-level reports of the substitution limits bypass it.)
void record(std::vector<Diagnostic>& diagnostics, Diagnostic d) {
  if (diagnostics.size() < kMaxDiagnostics) {
    diagnostics.push_back(std::move(d));
  } else if (diagnostics.size() == kMaxDiagnostics) {
    diagnostics.push_back({0, "more problems than " + std::to_string(kMaxDiagnostics) + "; the rest are not listed"});
  }
}

namespace {

constexpr bool is_blank(char c) { return c == ' ' || c == '\t' || c == '\f' || c == '\v' || c == '\r'; }

// Characters that end a run of ordinary text outside quotes, as a table: the tokenizer's inner loop.
constexpr auto kSpecial = [] {
  std::array<bool, 256> table{};
  for (unsigned char c : std::string_view("\n\";\\%=,")) table[c] = true;
  return table;
}();
constexpr bool is_special(char c) { return kSpecial[static_cast<unsigned char>(c)]; }

// Reads one logical line: physical lines joined where a '\' ends the significant text, comments
// dropped, quotes resolved. The tokenizer works on the whole text with an index, so it cannot
// read past the end whatever the bytes are.
class LineReader {
 public:
  LineReader(std::string_view text, std::vector<Diagnostic>& diagnostics, std::size_t pos = 0, int line = 1)
      : text_(text), pos_(pos), line_(line), diagnostics_(diagnostics) {}

  std::size_t position() const { return pos_; }

  bool at_end() const { return pos_ >= text_.size(); }
  int line_number() const { return line_; }

  // Skips blank and comment-only lines; returns false at the end of the text.
  bool next_significant() {
    while (!at_end()) {
      std::size_t p = pos_;
      while (p < text_.size() && is_blank(text_[p])) ++p;
      if (p < text_.size() && text_[p] == '\n') {
        pos_ = p + 1;
        ++line_;
        continue;
      }
      if (p < text_.size() && text_[p] == ';') {
        skip_to_next_line(p);
        continue;
      }
      if (p >= text_.size()) {
        pos_ = p;
        return false;
      }
      pos_ = p;
      return true;
    }
    return false;
  }

  char peek() const { return at_end() ? '\0' : text_[pos_]; }

  // "[name]" at the current position. The name is a view of the text, or of quoted_storage when it
  // was written in quotes.
  std::optional<std::string_view> section_header(std::deque<std::string>& quoted_storage) {
    const int start_line = line_;
    const std::size_t begin = pos_ + 1;
    std::size_t p = begin;
    bool closed = false;
    bool quoted = false;
    bool had_quotes = false;
    while (p < text_.size() && text_[p] != '\n') {
      const char c = text_[p];
      if (c == '"') {
        quoted = !quoted;
        had_quotes = true;
      } else if (c == ']' && !quoted) {
        closed = true;
        break;
      }
      ++p;
    }
    const std::size_t close = p;
    skip_to_next_line(p);  // text after ']' is ignored
    if (!closed) {
      record(diagnostics_, {start_line, "section header without ']'"});
      return std::nullopt;
    }
    std::string_view name = text::trim(text_.substr(begin, close - begin));
    if (had_quotes) {
      std::string unquoted;
      for (char c : name) {
        if (c != '"') unquoted += c;
      }
      quoted_storage.push_back(text::trimmed(unquoted));
      name = quoted_storage.back();
    }
    if (name.size() > 255) record(diagnostics_, {start_line, "section name longer than 255 characters"});
    return name;
  }

  // Moves past one logical line, building nothing: the first pass only needs line boundaries. A
  // physical line without a backslash cannot continue, so most lines are skipped with memchr; the
  // others take the tokenizer's own path so that both passes agree on where lines end.
  void skip_logical_line() {
    const auto nl = text_.find('\n', pos_);
    const std::size_t end = nl == std::string_view::npos ? text_.size() : nl;
    if (std::memchr(text_.data() + pos_, '\\', end - pos_) == nullptr) {
      pos_ = end == text_.size() ? end : end + 1;
      if (end != text_.size()) ++line_;
      return;
    }
    building_ = false;
    (void)logical_line(false);
    building_ = true;
  }

  // keep_raw: build raw_value as well ([Strings] sections need commas kept).
  Line logical_line(bool keep_raw) {
    Line line;
    line.number = line_;
    std::vector<std::string> fields(1);
    std::string raw;
    // Per field: the length up to the last significant (non-blank or quoted) character, so unquoted
    // blanks around a value are trimmed while quoted ones are kept.
    std::size_t significant = 0;
    std::size_t raw_significant = 0;
    bool quoted = false;
    bool have_key = false;
    bool comma_seen = false;
    bool truncated = false;
    bool dropping = false;  // past kMaxFieldsPerLine: the rest of the line is read over, not kept

    // Appends a run of characters that are all quoted or all unquoted.
    auto append_run = [&](std::string_view run, bool from_quotes) {
      if (!building_ || dropping) return;
      auto add = [&](std::string& target, std::size_t& target_significant, std::size_t limit, bool report) {
        std::string_view r = run;
        if (target.empty() && !from_quotes) {  // leading blanks
          std::size_t skip = 0;
          while (skip < r.size() && is_blank(r[skip])) ++skip;
          r.remove_prefix(skip);
        }
        if (r.empty()) return;
        if (target.size() + r.size() > limit) {
          r = r.substr(0, limit > target.size() ? limit - target.size() : 0);
          if (report) truncated = true;
        }
        target.append(r);
        if (from_quotes) {
          target_significant = target.size();
        } else {
          std::size_t last = target.size();
          while (last > target.size() - r.size() && is_blank(target[last - 1])) --last;
          if (last > target.size() - r.size()) target_significant = last;
        }
      };
      add(fields.back(), significant, kMaxFieldLength, true);
      if (keep_raw) add(raw, raw_significant, kMaxStringLength, false);
    };
    auto end_field = [&] { fields.back().resize(significant); };

    while (pos_ < text_.size()) {
      if (quoted) {
        // Everything up to the next quote or line end is literal.
        std::size_t end = pos_;
        while (end < text_.size() && text_[end] != '"' && text_[end] != '\n') ++end;
        append_run(text_.substr(pos_, end - pos_), true);
        pos_ = end;
        if (pos_ >= text_.size()) break;
        if (text_[pos_] == '\n') {
          if (building_) record(diagnostics_, {line_, "unterminated quoted string"});
          ++pos_;
          ++line_;
          break;
        }
        if (pos_ + 1 < text_.size() && text_[pos_ + 1] == '"') {  // "" inside quotes is one "
          append_run("\"", true);
          pos_ += 2;
          continue;
        }
        quoted = false;
        ++pos_;
        continue;
      }
      // Unquoted: copy the run of ordinary characters in one go.
      std::size_t end = pos_;
      while (end < text_.size() && !is_special(text_[end])) ++end;
      if (end > pos_) {
        append_run(text_.substr(pos_, end - pos_), false);
        pos_ = end;
        continue;
      }
      const char c = text_[pos_];
      if (c == '\n') {
        ++pos_;
        ++line_;
        break;
      }
      if (c == '"') {
        quoted = true;
        ++pos_;
        continue;
      }
      if (c == ';') {
        skip_to_next_line(pos_);
        break;
      }
      if (c == '\\') {
        if (continues_line(pos_)) continue;
        append_run(text_.substr(pos_, 1), false);
        ++pos_;
        continue;
      }
      if (c == '%') {
        // A %strkey% token is copied whole: a ';' inside it is not a comment.
        const auto close = text_.find_first_of("%\n", pos_ + 1);
        if (close != std::string_view::npos && text_[close] == '%') {
          append_run(text_.substr(pos_, close - pos_ + 1), false);
          pos_ = close + 1;
          continue;
        }
        append_run(text_.substr(pos_, 1), false);
        ++pos_;
        continue;
      }
      if (c == '=' && !have_key && !comma_seen) {
        if (!building_) {
          have_key = true;
          ++pos_;
          continue;
        }
        end_field();
        line.key = fields.back();
        fields.back().clear();
        significant = 0;
        raw.clear();
        raw_significant = 0;
        have_key = true;
        ++pos_;
        continue;
      }
      if (c == ',') {
        if (!building_) {
          comma_seen = true;
          ++pos_;
          continue;
        }
        comma_seen = true;
        if (dropping) {
          ++pos_;
          continue;
        }
        end_field();
        if (fields.size() == kMaxFieldsPerLine) {
          dropping = true;
          record(diagnostics_, {line.number, "more than " + std::to_string(kMaxFieldsPerLine) +
                                                 " fields on one line; the rest was dropped"});
          ++pos_;
          continue;
        }
        fields.emplace_back();
        significant = 0;
        if (keep_raw && raw.size() < kMaxStringLength) {
          raw += ',';
          raw_significant = raw.size();
        }
        ++pos_;
        continue;
      }
      append_run(text_.substr(pos_, 1), false);  // '=' after the key or a comma
      ++pos_;
    }
    if (!building_) return line;
    if (!dropping) end_field();
    raw.resize(raw_significant);
    if (truncated) record(diagnostics_, {line.number, "a field is longer than 4096 characters; the rest was dropped"});
    line.fields = std::move(fields);
    line.raw_value = std::move(raw);
    return line;
  }

 private:
  void skip_to_next_line(std::size_t from) {
    const auto nl = text_.find('\n', from);
    if (nl == std::string_view::npos) {
      pos_ = text_.size();
    } else {
      pos_ = nl + 1;
      ++line_;
    }
  }

  // A '\' continues the line when only blanks, more '\' or a comment follow it on its line. When it
  // does, the reader moves to the start of the next physical line.
  bool continues_line(std::size_t backslash) {
    std::size_t p = backslash + 1;
    while (p < text_.size() && (is_blank(text_[p]) || text_[p] == '\\')) ++p;
    if (p < text_.size() && text_[p] != '\n' && text_[p] != ';') return false;
    skip_to_next_line(p);
    return true;
  }

  std::string_view text_;
  std::size_t pos_ = 0;
  int line_ = 1;
  std::vector<Diagnostic>& diagnostics_;
  bool building_ = true;  // false while skipping: no fields, no diagnostics
};

}  // namespace

std::size_t Document::CaseInsensitiveHash::operator()(std::string_view s) const noexcept {
  std::size_t h = 1469598103934665603ull;  // FNV-1a over upper-cased ASCII
  for (char c : s) {
    const auto u = static_cast<unsigned char>((c >= 'a' && c <= 'z') ? c - 'a' + 'A' : c);
    h = (h ^ u) * 1099511628211ull;
  }
  return h;
}

bool Document::CaseInsensitiveEqual::operator()(std::string_view a, std::string_view b) const noexcept {
  return text::iequals(a, b);
}

Document Document::parse(std::string_view bytes, std::uint16_t language, Mode mode) {
  if (auto text = as_utf8_text(bytes)) {
    Document doc;
    doc.encoding_ = Encoding::utf8;
    doc.text_ = *text;  // a view of the caller's bytes: no copy
    doc.parse_text(language, mode);
    return doc;
  }
  return parse_decoded(decode(bytes), language, mode);
}

Document Document::parse(std::string&& bytes, std::uint16_t language, Mode mode) {
  return parse_decoded(decode(bytes), language, mode);
}

Document Document::parse_decoded(DecodedText decoded, std::uint16_t language, Mode mode) {
  Document doc;
  doc.encoding_ = decoded.encoding;
  doc.owned_ = std::make_unique<std::string>(std::move(decoded.utf8));
  doc.text_ = *doc.owned_;
  doc.parse_text(language, mode);
  return doc;
}

void Document::parse_text(std::uint16_t language, Mode mode) {
  // First pass: section headers and where each body lies; lines are only skipped over.
  LineReader reader(text_, diagnostics_);
  constexpr std::size_t kNone = static_cast<std::size_t>(-1);  // not std::optional: GCC 12 warns falsely
  std::size_t current = kNone;
  sections_.reserve(32);
  spans_.reserve(32);
  index_.reserve(32);
  auto close_span = [&](std::size_t end) {
    if (current != kNone) spans_.back().where.end = end;
  };
  while (reader.next_significant()) {
    if (reader.peek() == '[') {
      const std::size_t header_at = reader.position();
      const int line = reader.line_number();
      auto name = reader.section_header(unquoted_names_);
      close_span(header_at);
      if (!name) {
        current = kNone;
        continue;
      }
      auto [it, inserted] = index_.emplace(*name, sections_.size());
      if (inserted) sections_.push_back({*name, line, {}, text::istarts_with(*name, "Strings")});
      current = it->second;  // duplicate sections merge into the first
      spans_.push_back({current, {reader.position(), reader.position(), reader.line_number()}});
      continue;
    }
    if (current == kNone) record(diagnostics_, {reader.line_number(), "a line before the first section is ignored"});
    reader.skip_logical_line();
  }
  close_span(text_.size());
  tokenized_.assign(sections_.size(), false);
  choose_strings(language);
  if (mode == Mode::full) (void)sections();
}

void Document::tokenize(std::size_t index) const {
  if (tokenized_[index]) return;
  tokenized_[index] = true;
  Section& section = sections_[index];
  for (const auto& [owner, span] : spans_) {
    if (owner != index) continue;
    LineReader reader(text_.substr(0, span.end), diagnostics_, span.begin, span.line);
    while (reader.next_significant()) {
      if (tokenized_lines_ == kMaxLinesRead) {
        record(diagnostics_, {reader.line_number(),
                              "more than " + std::to_string(kMaxLinesRead) + " lines read from one INF: the rest of [" +
                                  std::string(section.name) + "] and later sections are not read"});
        ++tokenized_lines_;
        return;
      }
      if (tokenized_lines_ > kMaxLinesRead) return;
      section.lines.push_back(reader.logical_line(section.is_strings));
      ++tokenized_lines_;
    }
  }
}

const std::vector<Section>& Document::sections() const {
  for (std::size_t i = 0; i < sections_.size(); ++i) tokenize(i);
  return sections_;
}

const std::vector<Diagnostic>& Document::diagnostics() const {
  std::stable_sort(diagnostics_.begin(), diagnostics_.end(),
                   [](const Diagnostic& a, const Diagnostic& b) { return a.line < b.line; });
  return diagnostics_;
}

void Document::choose_strings(std::uint16_t language) {
  // One table for the whole file: exact LANGID, the primary language's neutral sublanguage, any
  // sublanguage of the primary language, then the plain [Strings] (inf-strings-section.md).
  const std::uint16_t primary = language & 0x3FF;
  const Section* exact = nullptr;
  const Section* neutral = nullptr;
  const Section* same_primary = nullptr;
  const Section* plain = nullptr;
  for (const auto& s : sections_) {
    if (text::iequals(s.name, "Strings")) {
      plain = &s;
      continue;
    }
    if (s.name.size() != 12 || !text::istarts_with(s.name, "Strings.")) continue;
    const auto id = text::parse_hex(std::string_view(s.name).substr(8), 0xFFFF);
    if (!id) continue;
    if (*id == language)
      exact = &s;
    else if (*id == primary)
      neutral = &s;
    else if ((*id & 0x3FF) == primary && !same_primary)
      same_primary = &s;
  }
  const Section* chosen = exact ? exact : neutral ? neutral : same_primary ? same_primary : plain;
  if (!chosen) return;
  tokenize(static_cast<std::size_t>(chosen - sections_.data()));
  strings_section_ = chosen->name;
  for (const auto& line : chosen->lines) {
    if (!line.key) continue;
    if (line.raw_value.size() >= kMaxStringLength) add_diagnostic(line.number, "string longer than 4096 characters");
    strings_.emplace(*line.key, std::string_view(line.raw_value));
  }
}

const Section* Document::section(std::string_view name) const {
  const auto it = index_.find(name);
  if (it == index_.end()) return nullptr;
  tokenize(it->second);
  return &sections_[it->second];
}

std::optional<std::string> Document::value(std::string_view section_name, std::string_view key) const {
  const Section* s = section(section_name);
  if (!s) return std::nullopt;
  for (const auto& line : s->lines) {
    if (line.key && text::iequals(substitute(*line.key), key)) return substitute(line.fields.front());
  }
  return std::nullopt;
}

std::string Document::substitute(std::string_view in) const {
  if (in.find('%') == std::string_view::npos) return std::string(in);
  // The limits apply while writing: a result never grows past 4,096 characters, and once the
  // document's budget is spent, keys stay as written.
  const std::size_t budget = kSubstitutionBudgetBase + 2 * text_.size();
  std::string out;
  out.reserve(std::min(in.size(), kMaxStringLength));
  bool cut = false;
  auto append = [&](std::string_view piece) {
    const std::size_t room = kMaxStringLength - out.size();
    if (piece.size() > room) {
      piece = piece.substr(0, room);
      cut = true;
    }
    out.append(piece);
  };
  std::size_t i = 0;
  while (i < in.size() && out.size() < kMaxStringLength) {
    if (in[i] != '%') {
      const auto next = std::min(in.find('%', i), in.size());
      append(in.substr(i, next - i));
      i = next;
      continue;
    }
    const auto close = in.find('%', i + 1);
    if (close == std::string_view::npos) {
      append(in.substr(i));
      break;
    }
    if (close == i + 1) {  // %% is a literal %
      append("%");
      i = close + 1;
      continue;
    }
    const auto key = in.substr(i + 1, close - i - 1);
    const auto it = strings_.find(key);
    if (it != strings_.end() && substituted_bytes_ + it->second.size() <= budget) {
      const auto before = out.size();
      append(it->second);
      substituted_bytes_ += out.size() - before;
    } else {
      if (it != strings_.end() && !reported_budget_) {
        reported_budget_ = true;
        diagnostics_.push_back({0, "%key% substitutions would add more than " + std::to_string(budget) +
                                       " bytes: the rest are left as written"});
      }
      append(in.substr(i, close - i + 1));  // unknown keys (and DIRIDs like %10%) stay literal
    }
    i = close + 1;
  }
  if (out.capacity() > out.size() + 64) out.shrink_to_fit();  // results are kept: right-sized
  if ((cut || i < in.size()) && !reported_cut_) {
    reported_cut_ = true;
    diagnostics_.push_back({0, "a string is longer than 4096 characters after %key% substitution and was cut"});
  }
  return out;
}

}  // namespace drvaudit::inf
