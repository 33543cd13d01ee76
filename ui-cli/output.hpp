#pragma once

#include <CLI/CLI.hpp>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ui-cli/render/table.hpp"

// One output convention for every command that writes a report: --format NAME (any case), --json
// for --format json, -o FILE (-o - is standard output), tables laid out for the terminal only.
namespace drvaudit {

struct GlobalOptions;

struct ReportOptions {
  std::string format = "table";
  std::string default_format = "table";
  bool json = false;
  std::optional<std::filesystem::path> output;  // nullopt or "-": standard output

  // The format asked for (--json included); throws UsageError when --json and --format disagree.
  std::string chosen_format() const;
  bool to_stdout() const { return !output || output->string() == "-"; }
};

// Adds --format (the first of `formats` is the default), --json when json is one of them, and
// -o/--output (plus any older spellings given, e.g. "--out").
void add_report_options(CLI::App& cmd, ReportOptions& options, const std::vector<std::string>& formats,
                        const std::string& output_aliases = "");

// The table layout: the terminal's width and colours when the report goes to a terminal; no
// limit and no colour for files and pipes unless --width N; --wide never cuts.
table::Layout table_layout(const GlobalOptions& globals, const ReportOptions& options);

// Writes a report to standard output, or atomically to the file named.
void write_report(const ReportOptions& options, std::string_view content);
void write_output(const std::optional<std::filesystem::path>& file, std::string_view content);

}  // namespace drvaudit
