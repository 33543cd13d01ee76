#include <catch2/catch.hpp>

#include "ui-cli/render/csv_writer.hpp"

namespace csv = drvaudit::csv;

TEST_CASE("CSV rows are comma-separated with CRLF ends and special fields quoted") {
  csv::Writer w;
  w.row({"plain", "with,comma", "with \"quote\"", "two\nlines", "cr\rhere", ""});
  CHECK(w.text() == "plain,\"with,comma\",\"with \"\"quote\"\"\",\"two\nlines\",\"cr\rhere\",\r\n");
}

TEST_CASE("cells a spreadsheet would evaluate are neutralised") {
  CHECK(csv::neutralise("=HYPERLINK(\"http://x\")") == "'=HYPERLINK(\"http://x\")");
  CHECK(csv::neutralise("+1") == "'+1");
  CHECK(csv::neutralise("-2+3") == "'-2+3");
  CHECK(csv::neutralise("@SUM(A1)") == "'@SUM(A1)");
  CHECK(csv::neutralise("\tcmd") == "'\tcmd");
  CHECK(csv::neutralise("\rcmd") == "'\rcmd");
  CHECK(csv::neutralise("PCI\\VEN_8086") == "PCI\\VEN_8086");
  // OWASP's list: LF and NUL too, the full-width forms, and formulas behind invisible characters.
  CHECK(csv::neutralise("\ncmd") == "'\ncmd");
  CHECK(csv::neutralise(std::string("\0cmd", 4)) == "'" + std::string("\0cmd", 4));
  for (const char* wide : {"\xEF\xBC\x9D"
                           "1+1",
                           "\xEF\xBC\x8B"
                           "1",
                           "\xEF\xBC\x8D"
                           "1",
                           "\xEF\xBC\xA0"
                           "SUM(A1)"})
    CHECK(csv::neutralise(wide) == "'" + std::string(wide));
  CHECK(csv::neutralise("\xE2\x80\x8B=1+1") == "'\xE2\x80\x8B=1+1");
  CHECK(csv::neutralise("\xE2\x80\x8B\xE2\x80\x8D@SUM(A1)") == "'\xE2\x80\x8B\xE2\x80\x8D@SUM(A1)");
  CHECK(csv::neutralise("\xE2\x80\x8Bplain") == "\xE2\x80\x8Bplain");
  CHECK(csv::neutralise("\xEF\xBC\xA1") == "\xEF\xBC\xA1");  // full-width A: no formula
  CHECK(csv::neutralise("a=b") == "a=b");
  csv::Writer w;
  w.row({"=1+1"});
  CHECK(w.text() == "'=1+1\r\n");
}

TEST_CASE("a byte order mark only when asked for") {
  CHECK(csv::Writer().text().empty());
  CHECK(csv::Writer({.byte_order_mark = true}).text() == "\xEF\xBB\xBF");
}
