#include "common/json_error.hpp"

namespace drvaudit {

namespace {
std::string_view after(std::string_view s, std::string_view marker) {
  const auto at = s.find(marker);
  return at == std::string_view::npos ? std::string_view() : s.substr(at + marker.size());
}
}  // namespace

std::string json_error_text(std::string_view message) {
  // Drop the "[json.exception.NAME.ID] " prefix.
  if (!message.empty() && message.front() == '[') {
    const auto close = message.find("] ");
    if (close != std::string_view::npos) message.remove_prefix(close + 2);
  }
  if (message.rfind("parse error", 0) != 0) return std::string(message);  // out of range, type errors: already words
  // "parse error at line L, column C: syntax error while parsing WHAT - DETAIL; last read: 'X'"
  std::string where;
  if (const auto at = after(message, "at line "); !at.empty())
    where = "at line " + std::string(at.substr(0, at.find(':')));
  std::string_view detail = after(message, " - ");
  if (detail.empty()) detail = after(message, ": ");
  detail = detail.substr(0, detail.find("; last read"));
  std::string out = detail.rfind("unexpected end of input", 0) == 0 ? "the JSON ends early" : "not JSON";
  if (!where.empty()) out += " " + where;
  if (!detail.empty() && detail.rfind("unexpected end of input", 0) != 0) out += " (" + std::string(detail) + ")";
  if (const auto expected = after(detail, "; "); !expected.empty()) out += " (" + std::string(expected) + ")";
  return out;
}

}  // namespace drvaudit
