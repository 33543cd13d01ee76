#include "ui-cli/output.hpp"

#include <algorithm>
#include <cstdio>

#include "common/atomic_file.hpp"
#include "common/error.hpp"
#include "common/terminal.hpp"
#include "ui-cli/app_context.hpp"

namespace drvaudit {

std::string ReportOptions::chosen_format() const {
  if (json && format != "json" && format != default_format)
    throw UsageError("--json and --format " + format + " ask for two formats: give one");
  return json ? "json" : format;
}

void add_report_options(CLI::App& cmd, ReportOptions& options, const std::vector<std::string>& formats,
                        const std::string& output_aliases) {
  options.format = options.default_format = formats.front();
  std::string names;
  for (const auto& f : formats) names += (names.empty() ? "" : ", ") + f;
  cmd.add_option("--format", options.format, "Output format: " + names + " (any case)")
      ->type_name("FORMAT")
      ->transform(CLI::IsMember(formats, CLI::ignore_case))
      ->capture_default_str();
  if (std::find(formats.begin(), formats.end(), "json") != formats.end())
    cmd.add_flag("--json", options.json, "Short for --format json");
  cmd.add_option("-o,--output" + (output_aliases.empty() ? "" : "," + output_aliases), options.output,
                 "Write the report to FILE instead of standard output (- is standard output)")
      ->type_name("FILE");
}

table::Layout table_layout(const GlobalOptions& globals, const ReportOptions& options) {
  table::Layout layout;
  const bool terminal = options.to_stdout() && terminal::is_terminal(stdout);
  if (globals.wide) {
    layout.width = std::nullopt;
  } else if (globals.width) {
    layout.width = *globals.width;
  } else if (terminal) {
    layout.width = terminal::width(stdout, 80);
  }
  layout.color = globals.color == "always" || (globals.color == "auto" && terminal && terminal::use_color(stdout));
  return layout;
}

void write_output(const std::optional<std::filesystem::path>& file, std::string_view content) {
  if (file && file->string() != "-") {
    write_file_atomically(*file, content);
    return;
  }
  if (std::fwrite(content.data(), 1, content.size(), stdout) != content.size() || std::fflush(stdout) != 0) {
    throw Error("cannot write to standard output");
  }
}

void write_report(const ReportOptions& options, std::string_view content) { write_output(options.output, content); }

}  // namespace drvaudit
