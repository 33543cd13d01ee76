// catalog list and catalog problems: what a catalog offers each Windows version, and what could
// not be read, at any time (not only in the index run that found it).
#include <nlohmann/json.hpp>

#include "catalog/catalog_store.hpp"
#include "catalog/default_catalog.hpp"
#include "common/error.hpp"
#include "common/terminal.hpp"
#include "common/text.hpp"
#include "ui-cli/commands/commands.hpp"
#include "ui-cli/output.hpp"
#include "ui-cli/render/csv_writer.hpp"
#include "ui-cli/render/json_output.hpp"
#include "ui-cli/render/table.hpp"

namespace drvaudit::commands {

namespace {
struct ViewOptions {
  std::string target_os, arch, product_type;
  ReportOptions report;
};

inf::TargetOs target_of(const ViewOptions& o) {
  auto t = catalog::default_target();
  const std::string version = std::to_string(t.major) + "." + std::to_string(t.minor) + "." + std::to_string(t.build);
  auto out = inf::TargetOs::parse(o.target_os.empty() ? version : o.target_os, o.arch.empty() ? t.arch : o.arch);
  out.product_type = t.product_type;
  if (!o.product_type.empty()) {
    const auto p = inf::parse_product_type(o.product_type);
    if (!p)
      throw UsageError("unknown product type '" + o.product_type + "': use workstation, server or domain-controller");
    out.product_type = *p;
  }
  return out;
}

std::string ids_of(const catalog::Entry& e) {
  std::string out = e.hardware_id;
  for (const auto& c : e.compatible_ids) out += (out.empty() ? "" : "; ") + c;
  return out;
}

ExitCode run_list(const GlobalOptions& globals, const ViewOptions& options) {
  AppContext context(globals);
  const auto target = target_of(options);
  const catalog::Store store(context.catalog_file(), catalog::Store::Mode::read_only);
  std::vector<catalog::Entry> entries;
  store.for_each_entry([&](const catalog::Entry& e) {
    if (catalog::applies_to(e, target)) entries.push_back(e);
  });
  std::string out;
  const auto format = options.report.chosen_format();
  if (format == "json") {
    nlohmann::ordered_json doc;
    doc["schema"] = "drvaudit-catalog-list/1";
    doc["target"] = target.to_string();
    doc["lines"] = nlohmann::ordered_json::array();
    for (const auto& e : entries) {
      doc["lines"].push_back({{"file", e.path},
                              {"line", e.line},
                              {"models_section", e.models_section},
                              {"description", e.description},
                              {"install_section", e.ddinstall_section},
                              {"hardware_id", e.hardware_id},
                              {"compatible_ids", e.compatible_ids},
                              {"driver_date", e.date.to_iso()},
                              {"driver_version", e.version.to_string()},
                              {"signature", inf::signature_status_name(e.signature.status)}});
    }
    out = render::json_text(std::move(doc));
  } else if (format == "csv") {
    csv::Writer w;
    w.row({"file", "line", "models_section", "description", "install_section", "hardware_id", "compatible_ids",
           "driver_date", "driver_version", "signature"});
    for (const auto& e : entries) {
      std::string compatible;
      for (const auto& c : e.compatible_ids) compatible += (compatible.empty() ? "" : "; ") + c;
      w.row({e.path, std::to_string(e.line), e.models_section, e.description, e.ddinstall_section, e.hardware_id,
             compatible, e.date.to_iso(), e.version.to_string(),
             std::string(inf::signature_status_name(e.signature.status))});
    }
    out = w.text();
  } else {
    std::vector<std::vector<table::Cell>> rows;
    for (const auto& e : entries) {
      rows.push_back({e.path + ":" + std::to_string(e.line), e.models_section, e.description, e.ddinstall_section,
                      ids_of(e), e.date.to_iso() + " " + e.version.to_string(),
                      std::string(inf::signature_status_name(e.signature.status))});
    }
    using table::Fit;
    out = table::render({{"FILE:LINE", Fit::shrink, 16},
                         {"MODELS SECTION", Fit::shrink, 8, 2},
                         {"DESCRIPTION", Fit::shrink, 12},
                         {"INSTALL", Fit::shrink, 8, 1},
                         {"IDS", Fit::shrink, 12},
                         {"DRIVERVER", Fit::whole},
                         {"SIGNATURE", Fit::whole}},
                        rows, table_layout(globals, options.report));
    out += std::to_string(entries.size()) + " Models lines apply to Windows " + target.to_string() + "\n";
  }
  write_report(options.report, out);
  return ExitCode::ok;
}

ExitCode run_problems(const GlobalOptions& globals, const ViewOptions& options) {
  AppContext context(globals);
  const catalog::Store store(context.catalog_file(), catalog::Store::Mode::read_only);
  // One row per problem: a file's message holds one "line N: …" per line.
  struct Row {
    std::string path, status, line, message;
  };
  std::vector<Row> rows;
  for (const auto& p : store.problems()) {
    for (auto part : text::split(p.message, '\n')) {
      std::string line, message(part);
      if (text::istarts_with(part, "line ")) {
        const auto colon = part.find(": ");
        if (colon != std::string_view::npos) {
          line = std::string(part.substr(5, colon - 5));
          message = std::string(part.substr(colon + 2));
        }
      }
      rows.push_back({p.path, std::string(catalog::file_status_name(p.status)), line, message});
    }
  }
  std::string out;
  const auto format = options.report.chosen_format();
  if (format == "json") {
    nlohmann::ordered_json doc;
    doc["schema"] = "drvaudit-catalog-problems/1";
    doc["problems"] = nlohmann::ordered_json::array();
    for (const auto& r : rows) {
      doc["problems"].push_back(
          {{"file", r.path},
           {"status", r.status},
           {"line", r.line.empty() ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(std::stoi(r.line))},
           {"message", r.message}});
    }
    out = render::json_text(std::move(doc));
  } else if (format == "csv") {
    csv::Writer w;
    w.row({"file", "status", "line", "message"});
    for (const auto& r : rows) w.row({r.path, r.status, r.line, r.message});
    out = w.text();
  } else {
    for (const auto& r : rows)
      out += text::escape_control(r.path + (r.line.empty() ? "" : ":" + r.line) + ": " + r.status + ": " + r.message) +
             "\n";
    if (rows.empty()) out = "no problems in the indexed files\n";
  }
  write_report(options.report, out);
  return ExitCode::ok;
}

}  // namespace

void add_catalog_views(CLI::App& catalog, const GlobalOptions& globals, ExitCode& exit_code) {
  auto options = std::make_shared<ViewOptions>();
  CLI::App* list =
      catalog.add_subcommand("list", "Every Models line that applies to a Windows version and architecture");
  list->add_option("--target-os", options->target_os,
                   "Windows VERSION MAJOR.MINOR[.BUILD] (default: this one, or 10.0.22631)")
      ->type_name("VERSION");
  list->add_option("--arch", options->arch, "Architecture: x86, amd64 (x64, x86_64), arm, arm64")->type_name("ARCH");
  list->add_option("--product-type", options->product_type, "workstation, server or domain-controller")
      ->type_name("TYPE");
  add_report_options(*list, options->report, {"table", "json", "csv"});
  list->callback([&globals, &exit_code, options] { exit_code = run_list(globals, *options); });

  options = std::make_shared<ViewOptions>();
  CLI::App* problems = catalog.add_subcommand("problems", "The problems the index found in every indexed file");
  add_report_options(*problems, options->report, {"text", "json", "csv"});
  problems->callback([&globals, &exit_code, options] { exit_code = run_problems(globals, *options); });
}

}  // namespace drvaudit::commands
