#pragma once

#include <CLI/CLI.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

// "did you mean …?" for a mistyped command or option.
namespace drvaudit::suggest {

// Optimal string alignment distance (a swap of two neighbours counts once), ignoring case.
std::size_t distance(std::string_view a, std::string_view b);

// The candidate nearest to word, when it is near enough to be what was meant.
std::optional<std::string> nearest(std::string_view word, const std::vector<std::string>& candidates);

// Walks the arguments the way the parser will and explains the first unknown command or option,
// with the nearest known one; nullopt when every word is known (the parser's own message then
// says what is wrong).
std::optional<std::string> unknown_word(const CLI::App& app, const std::vector<std::string>& arguments);

// The command the arguments name ("catalog index"), for help: the deepest known subcommand.
const CLI::App* named_command(const CLI::App& app, const std::vector<std::string>& words);

}  // namespace drvaudit::suggest
