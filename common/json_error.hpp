#pragma once

#include <string>
#include <string_view>

// nlohmann/json's exception text ("[json.exception.parse_error.101] parse error at line 1, column
// 1: syntax error while parsing value - invalid literal; last read: '#'") in the words a user
// reads: "not JSON at line 1, column 1 (invalid literal)". The library's id never reaches a user.
namespace drvaudit {

std::string json_error_text(std::string_view library_message);

}  // namespace drvaudit
