#include <catch2/catch.hpp>

#include "catalog/inf_document.hpp"

using drvaudit::inf::Document;
using drvaudit::inf::Encoding;

namespace {
std::string utf16(const std::string& ascii, bool big_endian, bool bom = true) {
  std::string out = bom ? (big_endian ? std::string("\xFE\xFF") : std::string("\xFF\xFE")) : std::string();
  for (char c : ascii) {
    if (big_endian) {
      out += '\0';
      out += c;
    } else {
      out += c;
      out += '\0';
    }
  }
  return out;
}

const drvaudit::inf::Line& only_line(const Document& doc, const char* section) {
  const auto* s = doc.section(section);
  REQUIRE(s != nullptr);
  REQUIRE(s->lines.size() == 1);
  return s->lines.front();
}
}  // namespace

TEST_CASE("INF encodings: UTF-16LE and UTF-16BE by BOM, UTF-8 with and without BOM, Windows-1252") {
  const std::string text = "[Strings]\r\nName = \"Caf\xC3\xA9\"\r\n";
  const std::string ascii = "[Version]\r\nProvider=ACME\r\n";
  CHECK(Document::parse(utf16(ascii, false)).encoding() == Encoding::utf16le);
  CHECK(Document::parse(utf16(ascii, false)).value("Version", "Provider") == "ACME");
  CHECK(Document::parse(utf16(ascii, true)).encoding() == Encoding::utf16be);
  CHECK(Document::parse(utf16(ascii, true)).value("Version", "Provider") == "ACME");
  CHECK(Document::parse(utf16(ascii, false, false)).value("Version", "Provider") == "ACME");  // UTF-16LE without BOM
  CHECK(Document::parse("\xEF\xBB\xBF" + text).encoding() == Encoding::utf8_bom);
  CHECK(Document::parse("\xEF\xBB\xBF" + text).substitute("%Name%") == "Caf\xC3\xA9");
  CHECK(Document::parse(text).encoding() == Encoding::utf8);
  const auto ansi = Document::parse("[Strings]\nName = \"Caf\xE9 \x80\"\n");  // é and € in Windows-1252
  CHECK(ansi.encoding() == Encoding::windows1252);
  CHECK(ansi.substitute("%Name%") == "Caf\xC3\xA9 \xE2\x82\xAC");
}

TEST_CASE("UTF-16 text outside the BMP and in other scripts survives decoding") {
  // "[S]\nk=" then U+4E2D U+6587 and U+1F600 as a surrogate pair, UTF-16LE.
  std::string bytes = utf16("[S]\nk=", false);
  bytes += std::string("\x2D\x4E\x87\x65\x3D\xD8\x00\xDE", 8);
  const auto doc = Document::parse(bytes);
  CHECK(only_line(doc, "S").fields[0] == "\xE4\xB8\xAD\xE6\x96\x87\xF0\x9F\x98\x80");
}

TEST_CASE("CRLF and LF read alike, Ctrl-Z ends the text") {
  const auto crlf = Document::parse("[A]\r\nx=1\r\n[B]\r\ny=2\r\n");
  const auto lf = Document::parse("[A]\nx=1\n[B]\ny=2\n");
  CHECK(crlf.value("A", "x") == lf.value("A", "x"));
  CHECK(crlf.value("B", "y") == "2");
  const auto cut = Document::parse("[A]\nx=1\n\x1A[B]\ny=2\n");
  CHECK(cut.section("B") == nullptr);
}

TEST_CASE("section and key names are case-insensitive, duplicate sections merge") {
  const auto doc = Document::parse("[Models]\nA=a1,ID1\n[other]\nk=v\n[MODELS]\nB=b1,ID2\n");
  REQUIRE(doc.section("models") != nullptr);
  CHECK(doc.section("models")->lines.size() == 2);
  CHECK(doc.section("models")->name == "Models");  // the first spelling is kept
  CHECK(doc.value("OTHER", "K") == "v");
}

TEST_CASE("comments start at ' except inside quotes and %strkey% tokens") {
  const auto doc = Document::parse(
      "[S]\nk = value ; a comment\nq = \"a;b\" ; c\np = %a;b%\n; whole-line comment\n[Strings]\na;b = semi\n");
  const auto* s = doc.section("S");
  REQUIRE(s->lines.size() == 3);
  CHECK(s->lines[0].fields[0] == "value");
  CHECK(s->lines[1].fields[0] == "a;b");
  CHECK(s->lines[2].fields[0] == "%a;b%");
}

TEST_CASE("quoted fields: quotes stripped, doubled quotes kept, blanks inside kept") {
  const auto doc = Document::parse("[S]\nk = \"  padded  \", \"say \"\"hi\"\"\", mixed\"quoted\"text ,  plain  \n");
  const auto& line = only_line(doc, "S");
  REQUIRE(line.fields.size() == 4);
  CHECK(line.fields[0] == "  padded  ");
  CHECK(line.fields[1] == "say \"hi\"");
  CHECK(line.fields[2] == "mixedquotedtext");
  CHECK(line.fields[3] == "plain");
}

TEST_CASE("%% is a literal percent sign, unknown %keys% stay as written") {
  const auto doc = Document::parse("[Strings]\nName=ACME\n[S]\nk=100%% %Name% %Missing% %10%\n");
  CHECK(doc.substitute(only_line(doc, "S").fields[0]) == "100% ACME %Missing% %10%");
}

TEST_CASE("a trailing backslash continues the line, even before a comment") {
  const auto doc = Document::parse("[S]\nk = a, \\\n    b, \\ ; note\n    c\nnext = 1\n");
  const auto* s = doc.section("S");
  REQUIRE(s->lines.size() == 2);
  CHECK(s->lines[0].fields == std::vector<std::string>{"a", "b", "c"});
  CHECK(s->lines[0].number == 2);
  CHECK(s->lines[1].key == "next");
  // A backslash inside an ID is not a continuation.
  CHECK(only_line(Document::parse("[S]\nd = install, PCI\\VEN_8086\n"), "S").fields[1] == "PCI\\VEN_8086");
}

TEST_CASE("empty fields keep their place, lines without '=' have no key") {
  const auto doc = Document::parse("[S]\nk = a,,c,\nfile1.sys,,,0x4\n");
  const auto* s = doc.section("S");
  CHECK(s->lines[0].fields == std::vector<std::string>{"a", "", "c", ""});
  CHECK_FALSE(s->lines[1].key.has_value());
  CHECK(s->lines[1].fields == std::vector<std::string>{"file1.sys", "", "", "0x4"});
}

TEST_CASE("fields longer than 4096 characters are cut and reported with the line") {
  const auto doc = Document::parse("[S]\n\nk = " + std::string(5000, 'x') + "\n");
  CHECK(only_line(doc, "S").fields[0].size() == drvaudit::inf::kMaxFieldLength);
  REQUIRE_FALSE(doc.diagnostics().empty());
  CHECK(doc.diagnostics().front().line == 3);
  CHECK_THAT(doc.diagnostics().front().message, Catch::Contains("4096"));
}

TEST_CASE("one Strings table is chosen by language, never merged") {
  const std::string inf =
      "[Strings]\nName=English\nOnlyPlain=plain\n"
      "[Strings.0407]\nName=Deutsch\n"
      "[Strings.0807]\nName=Schweiz\n"
      "[Strings.0007]\nName=Neutral\n"
      "[Strings.040C]\nName=Francais\n";
  CHECK(Document::parse(inf, 0x0407).substitute("%Name%") == "Deutsch");           // exact
  CHECK(Document::parse(inf, 0x0C07).substitute("%Name%") == "Neutral");           // primary language, neutral
  CHECK(Document::parse(inf, 0x080C).substitute("%Name%") == "Francais");          // any sublanguage of French
  CHECK(Document::parse(inf, 0x0411).substitute("%Name%") == "English");           // plain [Strings]
  CHECK(Document::parse(inf, 0x0407).substitute("%OnlyPlain%") == "%OnlyPlain%");  // not merged key by key
  CHECK(Document::parse(inf, 0x0407).strings_section() == "Strings.0407");
}

TEST_CASE("Strings values keep commas and are substituted everywhere") {
  const auto doc =
      Document::parse("[Strings]\nDesc = \"Port, serial\"\nBare = a, b\nSect = Models\n[S]\nk=%Sect%.NTamd64\n");
  CHECK(doc.substitute("%Desc%") == "Port, serial");
  CHECK(doc.substitute("%Bare%") == "a, b");
  CHECK(doc.substitute(only_line(doc, "S").fields[0]) == "Models.NTamd64");
}

TEST_CASE("problems are reported with their line numbers") {
  const auto doc = Document::parse("orphan = 1\n[Broken\n[S]\nk = \"unterminated\n");
  REQUIRE(doc.diagnostics().size() == 3);
  CHECK(doc.diagnostics()[0].line == 1);
  CHECK_THAT(doc.diagnostics()[0].message, Catch::Contains("before the first section"));
  CHECK(doc.diagnostics()[1].line == 2);
  CHECK_THAT(doc.diagnostics()[1].message, Catch::Contains("without ']'"));
  CHECK(doc.diagnostics()[2].line == 4);
}

TEST_CASE("any bytes parse without crashing or hanging") {
  std::string all_bytes;
  for (int i = 0; i < 256; ++i) all_bytes += static_cast<char>(i);
  std::vector<std::string> inputs = {"",
                                     "[",
                                     "]",
                                     "\"",
                                     "\\",
                                     "%",
                                     "[S]\n\\",
                                     "[S]\nk=\"",
                                     "[S]\nk=%",
                                     "\xFF\xFE[",
                                     "\xFE\xFF\x00",
                                     all_bytes,
                                     std::string(100000, '['),
                                     std::string(100000, '\\'),
                                     "[S]\n" + std::string(100000, '%')};
  std::uint32_t seed = 12345;
  for (int n = 0; n < 200; ++n) {
    std::string random;
    for (int i = 0; i < 512; ++i) {
      seed = seed * 1103515245 + 12345;
      random += "[]=,;\"%\\\n\r ab\x1A\xFF"[(seed >> 16) % 16];
    }
    inputs.push_back(random);
  }
  for (const auto& input : inputs) {
    const auto doc = Document::parse(input);
    for (const auto& s : doc.sections()) {
      for (const auto& line : s.lines) CHECK(line.fields.size() >= 1);
    }
  }
}
