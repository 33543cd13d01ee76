#include "ui-cli/suggest.hpp"

#include <algorithm>
#include <cctype>

#include "common/text.hpp"

namespace drvaudit::suggest {

std::size_t distance(std::string_view a_in, std::string_view b_in) {
  const std::string a = text::to_lower(a_in), b = text::to_lower(b_in);
  std::vector<std::vector<std::size_t>> d(a.size() + 1, std::vector<std::size_t>(b.size() + 1));
  for (std::size_t i = 0; i <= a.size(); ++i) d[i][0] = i;
  for (std::size_t j = 0; j <= b.size(); ++j) d[0][j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
      d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
        d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[a.size()][b.size()];
}

std::optional<std::string> nearest(std::string_view word, const std::vector<std::string>& candidates) {
  std::optional<std::string> best;
  std::size_t best_distance = 0;
  for (const auto& c : candidates) {
    const auto dist = distance(word, c);
    if (!best || dist < best_distance) {
      best = c;
      best_distance = dist;
    }
  }
  // Near enough: a third of the word may be wrong (at least one letter, at most three).
  const std::size_t letters = word.size() - std::min<std::size_t>(word.find_first_not_of('-'), word.size());
  const std::size_t allowed = std::clamp<std::size_t>(letters / 3, 1, 3);
  if (!best || best_distance > allowed) return std::nullopt;
  return best;
}

namespace {
// The options a word may name at this point: the command's own and, because global options are
// accepted after a command name too, its parents'.
std::vector<const CLI::Option*> options_in_reach(const CLI::App* app) {
  std::vector<const CLI::Option*> out;
  for (const CLI::App* a = app; a; a = a->get_parent()) {
    for (const auto* o : a->get_options()) {
      if (o->nonpositional()) out.push_back(o);
    }
  }
  return out;
}

std::vector<std::string> names_of(const std::vector<const CLI::Option*>& options) {
  std::vector<std::string> out;
  for (const auto* o : options) {
    for (const auto& s : o->get_snames()) out.push_back("-" + s);
    for (const auto& l : o->get_lnames()) out.push_back("--" + l);
  }
  return out;
}

const CLI::Option* find_option(const std::vector<const CLI::Option*>& options, const std::string& name) {
  for (const auto* o : options) {
    if (name.rfind("--", 0) == 0) {
      for (const auto& l : o->get_lnames())
        if (name.substr(2) == l) return o;
    } else {
      for (const auto& s : o->get_snames())
        if (name.substr(1) == s) return o;
    }
  }
  return nullptr;
}

std::vector<std::string> subcommand_names(const CLI::App* app) {
  std::vector<std::string> out;
  for (const auto* s : app->get_subcommands([](const CLI::App*) { return true; })) out.push_back(s->get_name());
  return out;
}

const CLI::App* subcommand_named(const CLI::App* app, const std::string& name) {
  for (const auto* s : app->get_subcommands([](const CLI::App*) { return true; })) {
    if (s->get_name() == name) return s;
  }
  return nullptr;
}

bool takes_positionals(const CLI::App* app) {
  for (const auto* o : app->get_options()) {
    if (!o->nonpositional()) return true;
  }
  return false;
}

std::string command_path(const CLI::App* app) {
  std::string path;
  for (const CLI::App* a = app; a && a->get_parent(); a = a->get_parent())
    path = a->get_name() + (path.empty() ? "" : " " + path);
  return path;
}
}  // namespace

const CLI::App* named_command(const CLI::App& root, const std::vector<std::string>& words) {
  const CLI::App* app = &root;
  for (const auto& w : words) {
    const auto* sub = subcommand_named(app, w);
    if (!sub) break;
    app = sub;
  }
  return app;
}

std::optional<std::string> unknown_word(const CLI::App& root, const std::vector<std::string>& arguments) {
  const CLI::App* app = &root;
  for (std::size_t i = 0; i < arguments.size(); ++i) {
    const std::string& word = arguments[i];
    if (word == "--") return std::nullopt;
    if (word.size() > 1 && word[0] == '-' && !(word.size() > 1 && std::isdigit(static_cast<unsigned char>(word[1])))) {
      const auto reach = options_in_reach(app);
      const bool long_name = word.rfind("--", 0) == 0;
      const std::string name = long_name ? word.substr(0, word.find('=')) : word.substr(0, 2);
      const auto* option = find_option(reach, name);
      if (!option) {
        const auto near = nearest(name, names_of(reach));
        const std::string where = app->get_parent() ? " for " + command_path(app) : "";
        return "unknown option " + name + where + (near ? "; did you mean " + *near + "?" : "") + " (see " +
               (app->get_parent() ? "drvaudit help " + command_path(app) : std::string("drvaudit --help")) + ")";
      }
      const bool inline_value = long_name ? word.find('=') != std::string::npos : word.size() > 2;
      if (option->get_expected_min() > 0 && !inline_value) ++i;  // its value
      continue;
    }
    if (const auto* sub = subcommand_named(app, word)) {
      app = sub;
      continue;
    }
    const auto commands = subcommand_names(app);
    if (!commands.empty() && !takes_positionals(app)) {
      const auto near = nearest(word, commands);
      const std::string what = app->get_parent() ? command_path(app) + " command" : "command";
      return "unknown " + what + " '" + word + "'" + (near ? "; did you mean " + *near + "?" : "") + " (see " +
             (app->get_parent() ? "drvaudit help " + command_path(app) : std::string("drvaudit --help")) + ")";
    }
  }
  return std::nullopt;
}

}  // namespace drvaudit::suggest
