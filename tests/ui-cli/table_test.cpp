#include <catch2/catch.hpp>

#include <sstream>

#include "ui-cli/render/table.hpp"

namespace table = drvaudit::table;

namespace {
std::size_t widest_line(const std::string& text) {
  std::istringstream in(text);
  std::size_t widest = 0;
  for (std::string line; std::getline(in, line);) widest = std::max(widest, table::display_width(line));
  return widest;
}
}  // namespace

TEST_CASE("cut text ends in an ellipsis and counts characters, not bytes") {
  CHECK(table::fit("abcdef", 4) == "abc\xE2\x80\xA6");
  CHECK(table::fit("ab", 4) == "ab  ");
  CHECK(table::fit("\xC3\xA9\xC3\xA9\xC3\xA9", 3) == "\xC3\xA9\xC3\xA9\xC3\xA9");
  CHECK(table::display_width(table::fit("\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9", 3)) == 3);
}

TEST_CASE("a table fits the terminal width, dropping optional columns when it must") {
  const std::vector<table::Column> columns = {{"CLASS", 5, 12, false}, {"DEVICE", 10, 60, false}, {"ID", 10, 60, true}};
  const std::vector<std::vector<std::string>> rows = {
      {"Display", std::string(70, 'd'), std::string(70, 'i')},
      {"Net", "short", "PCI\\VEN_1AF4&DEV_1041"},
  };
  for (int width : {40, 80, 120, 200}) {
    INFO(width);
    CHECK(widest_line(table::render(columns, rows, width)) <= static_cast<std::size_t>(width));
  }
  CHECK(table::render(columns, rows, 200).find("ID") != std::string::npos);
  CHECK(table::render(columns, rows, 20).find(" ID") == std::string::npos);
}
