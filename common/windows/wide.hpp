#pragma once

#include <string>
#include <string_view>

// UTF-16 only at the Windows API boundary; UTF-8 everywhere else.
namespace drvaudit::win {

std::wstring widen(std::string_view utf8);
std::string narrow(std::wstring_view utf16);
std::string error_message(unsigned long code);  // FormatMessage text, in UTF-8

}  // namespace drvaudit::win
