#include "catalog/module_aliases.hpp"

#include <algorithm>
#include <fstream>
#include <sstream>

#include "common/error.hpp"
#include "common/text.hpp"

namespace drvaudit::catalog {

namespace {
// Matches one bracket set at pattern[p] ('[' included) against c; sets next to the index after ']'.
// A set without ']' is taken as a literal '['.
bool match_set(std::string_view pattern, std::size_t p, char c, std::size_t& next, bool& valid) {
  std::size_t i = p + 1;
  bool negate = false;
  if (i < pattern.size() && (pattern[i] == '!' || pattern[i] == '^')) {
    negate = true;
    ++i;
  }
  bool matched = false;
  bool first = true;
  while (i < pattern.size() && (pattern[i] != ']' || first)) {
    first = false;
    if (i + 2 < pattern.size() && pattern[i + 1] == '-' && pattern[i + 2] != ']') {
      if (pattern[i] <= c && c <= pattern[i + 2]) matched = true;
      i += 3;
    } else {
      if (pattern[i] == c) matched = true;
      ++i;
    }
  }
  valid = i < pattern.size();
  next = i + 1;
  return matched != negate;
}
}  // namespace

bool glob_match(std::string_view pattern, std::string_view text) {
  // Iterative matcher with one backtrack point for the last '*': linear in practice, never recursive.
  std::size_t p = 0, t = 0;
  std::size_t star_p = std::string_view::npos, star_t = 0;
  while (t < text.size()) {
    if (p < pattern.size()) {
      const char pc = pattern[p];
      if (pc == '*') {
        star_p = p++;
        star_t = t;
        continue;
      }
      if (pc == '?') {
        ++p;
        ++t;
        continue;
      }
      if (pc == '[') {
        std::size_t next = 0;
        bool valid = false;
        const bool ok = match_set(pattern, p, text[t], next, valid);
        if (!valid) {
          if (text[t] == '[') {
            ++p;
            ++t;
            continue;
          }
        } else if (ok) {
          p = next;
          ++t;
          continue;
        }
      } else if (pc == text[t]) {
        ++p;
        ++t;
        continue;
      }
    }
    if (star_p == std::string_view::npos) return false;
    p = star_p + 1;
    t = ++star_t;
  }
  while (p < pattern.size() && pattern[p] == '*') ++p;
  return p == pattern.size();
}

ModuleAliases ModuleAliases::parse(std::string_view content) {
  ModuleAliases out;
  for (auto line : text::split(content, '\n')) {
    line = text::trim(line);
    if (line.rfind("alias ", 0) != 0) continue;
    const auto rest = text::trim(line.substr(6));
    const auto space = rest.find_first_of(" \t");
    if (space == std::string_view::npos) continue;
    out.aliases_.push_back({std::string(rest.substr(0, space)), std::string(text::trim(rest.substr(space)))});
  }
  return out;
}

ModuleAliases ModuleAliases::load(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) throw Error("cannot read " + file.string());
  std::ostringstream s;
  s << in.rdbuf();
  auto aliases = parse(s.str());
  aliases.origin_ = file.string();
  return aliases;
}

std::vector<std::string> ModuleAliases::modules_for(std::string_view modalias) const {
  std::vector<std::string> out;
  if (modalias.empty()) return out;
  const auto bus = modalias.substr(0, modalias.find(':') + 1);
  for (const auto& a : aliases_) {
    if (a.pattern.compare(0, bus.size(), bus) != 0) continue;  // quick reject on the bus prefix
    if (glob_match(a.pattern, modalias) && std::find(out.begin(), out.end(), a.module) == out.end())
      out.push_back(a.module);
  }
  return out;
}

}  // namespace drvaudit::catalog
