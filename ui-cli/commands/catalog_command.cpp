#include <spdlog/spdlog.h>

#include <nlohmann/json.hpp>

#include "catalog/catalog_store.hpp"
#include "catalog/default_catalog.hpp"
#include "catalog/feed_export.hpp"
#include "catalog/feed_sync.hpp"
#include "catalog/minisign.hpp"
#include "common/error.hpp"
#include "common/text.hpp"

#include <fstream>
#include <sstream>
#include "catalog/inf_folder_indexer.hpp"
#include "catalog/ranking.hpp"
#include "common/terminal.hpp"
#include "ui-cli/commands/commands.hpp"
#include "ui-cli/console.hpp"
#include "ui-cli/output.hpp"
#include "ui-cli/progress.hpp"
#include "ui-cli/render/json_output.hpp"
#include "ui-cli/render/table.hpp"

namespace drvaudit::commands {

namespace {
struct FeedOptions {
  std::string url;
  std::string pubkey;
  bool allow_unsigned = false;
  std::optional<std::filesystem::path> ca_file;
  std::optional<std::string> source;
  int timeout = 300;  // seconds, the whole sync
  std::vector<std::filesystem::path> folders;
  std::filesystem::path out;
  std::optional<std::string> base_url;
  std::string target_os, arch;
};

struct CatalogOptions {
  std::vector<std::filesystem::path> folders;
  std::string target_os;  // "" = the running Windows, or 10.0.22631 elsewhere
  std::string arch;
  std::string id;
  ReportOptions report;
};

void warn_target_ignored(const std::string& command, const std::string& target_os, const std::string& arch) {
  if (target_os.empty() && arch.empty()) return;
  spdlog::warn(
      "catalog {}: --target-os/--arch are ignored: the catalog keeps every Models section and each audit chooses "
      "the ones for its machine (use them with `audit` or `catalog list`)",
      command);
}

ExitCode run_index(const GlobalOptions& globals, const CatalogOptions& options) {
  AppContext context(globals);
  warn_target_ignored("index", options.target_os, options.arch);
  catalog::Store store(context.catalog_file(), catalog::Store::Mode::read_write);
  const console::InterruptRequest interrupt;
  for (const auto& folder : options.folders) {
    const auto name = std::filesystem::absolute(folder).lexically_normal().filename();
    ProgressBar progress("indexing " + (name.empty() ? folder : name).string(), "files");
    catalog::IndexOptions index_options;
    index_options.progress = [&](std::size_t done, std::size_t total, const std::string&) {
      progress.update(done, total);
    };
    index_options.stop_requested = [&] { return interrupt.requested(); };
    const auto report = catalog::index_folder(store, folder, index_options);
    progress.finish();
    if (report.interrupted) {
      std::printf(
          "%s: interrupted after %zu of %zu INF files: the %zu added and %zu updated are kept in the catalog; run the "
          "same command again to go on from there\n",
          text::escape_control(report.folder).c_str(), report.done, report.files, report.added, report.updated);
      return ExitCode::interrupted;
    }
    for (const auto& [path, why] : report.problems) spdlog::info("{}: {}", path, why);
    for (const auto& warning : report.warnings) spdlog::info("{}", warning);
    std::printf(
        "%s: %zu INF files: %zu added, %zu updated, %zu removed, %zu unchanged; %zu packages indexed, %zu templates, "
        "%zu not usable\n",
        text::escape_control(report.folder).c_str(), report.files, report.added, report.updated, report.removed,
        report.unchanged, report.packages, report.templates, report.failures);
    if (!report.warnings.empty() || !report.problems.empty()) {
      std::printf(
          "  %zu problems in indexed packages, %zu files not indexed: `drvaudit catalog problems` lists them with file "
          "and line\n",
          report.warnings.size(), report.problems.size());
    }
  }
  std::printf("catalog: %s (every Windows version and architecture)\n", context.catalog_file().string().c_str());
  return ExitCode::ok;
}

ExitCode run_sources(const GlobalOptions& globals, const CatalogOptions& options) {
  AppContext context(globals);
  const catalog::Store store(context.catalog_file(), catalog::Store::Mode::read_only);
  const auto sources = store.sources();
  const auto format = options.report.chosen_format();
  if (format == "json") {
    nlohmann::ordered_json out;
    out["schema"] = "drvaudit-catalog-sources/1";
    out["catalog"] = context.catalog_file().string();
    out["sources"] = nlohmann::ordered_json::array();
    for (const auto& s : sources) {
      out["sources"].push_back({{"kind", s.kind},
                                {"location", s.location},
                                {"last_indexed", s.last_indexed},
                                {"status", s.status},
                                {"files", s.files},
                                {"packages", s.packages},
                                {"templates", s.templates},
                                {"failures", s.failures}});
    }
    write_report(options.report, render::json_text(std::move(out)));
    return ExitCode::ok;
  }
  std::vector<std::vector<table::Cell>> rows;
  for (const auto& s : sources) {
    rows.push_back({s.kind, s.location, s.last_indexed, s.status, std::to_string(s.packages),
                    std::to_string(s.templates + s.failures)});
  }
  if (rows.empty()) {
    write_report(options.report, "no catalog sources yet: add one with `drvaudit catalog index DIR`\n");
    return ExitCode::ok;
  }
  using table::Fit;
  write_report(options.report, table::render({{"KIND", Fit::whole},
                                              {"LOCATION", Fit::shrink, 16},
                                              {"LAST INDEXED", Fit::whole},
                                              {"STATUS", Fit::shrink, 6},
                                              {"PACKAGES", Fit::whole},
                                              {"SKIPPED", Fit::whole, 0, 1}},
                                             rows, table_layout(globals, options.report)));
  return ExitCode::ok;
}

ExitCode run_stats(const GlobalOptions& globals, const CatalogOptions& options) {
  const auto format = options.report.chosen_format();
  AppContext context(globals);
  const catalog::Store store(context.catalog_file(), catalog::Store::Mode::read_only);
  const auto s = store.stats();
  if (format == "json") {
    nlohmann::ordered_json doc;
    doc["schema"] = "drvaudit-catalog-stats/1";
    doc["catalog"] = context.catalog_file().string();
    doc["sources"] = s.sources;
    doc["files"] = s.files;
    doc["templates"] = s.templates;
    doc["not_usable"] = s.failures;
    doc["stale"] = s.stale;
    doc["packages"] = s.packages;
    doc["models_lines"] = s.models;
    doc["device_ids"] = s.ids;
    write_report(options.report, render::json_text(std::move(doc)));
    return ExitCode::ok;
  }
  std::string out = "catalog:      " + text::escape_control(context.catalog_file().string()) + "\n";
  out += "sources:      " + std::to_string(s.sources) + "\n";
  out += "INF files:    " + std::to_string(s.files) + " (" + std::to_string(s.templates) + " templates, " +
         std::to_string(s.failures) + " not usable" +
         (s.stale ? ", " + std::to_string(s.stale) + " to index again after an upgrade" : std::string()) + ")\n";
  out += "packages:     " + std::to_string(s.packages) + "\n";
  out += "models lines: " + std::to_string(s.models) + "\n";
  out += "device IDs:   " + std::to_string(s.ids) + "\n";
  write_report(options.report, out);
  return ExitCode::ok;
}

ExitCode run_search(const GlobalOptions& globals, const CatalogOptions& options) {
  AppContext context(globals);
  const catalog::Store store(context.catalog_file(), catalog::Store::Mode::read_only);
  const auto entries = store.lookup(options.id);
  if (options.report.chosen_format() == "json") {
    nlohmann::ordered_json out;
    out["schema"] = "drvaudit-catalog-search/1";
    out["id"] = options.id;
    out["lines"] = nlohmann::ordered_json::array();
    for (const auto& e : entries) {
      out["lines"].push_back({{"inf", e.inf_name},
                              {"path", e.path},
                              {"provider", e.provider},
                              {"class", e.class_name},
                              {"driver_date", e.date.to_iso()},
                              {"driver_version", e.version.to_string()},
                              {"driver_ver", e.date.to_inf() + ", " + e.version.to_string()},
                              {"description", e.description},
                              {"models_section", e.models_section},
                              {"arch", e.arch},
                              {"section", e.ddinstall_section},
                              {"hardware_id", e.hardware_id},
                              {"compatible_ids", e.compatible_ids},
                              {"feature_score", e.feature_score},
                              {"signature", inf::signature_status_name(e.signature.status)},
                              {"catalog_file", e.signature.catalog_file},
                              {"signer", e.signature.signer},
                              {"line", e.line}});
    }
    write_report(options.report, render::json_text(std::move(out)));
    return entries.empty() ? ExitCode::error : ExitCode::ok;
  }
  if (entries.empty()) {
    std::fprintf(stderr, "drvaudit: no package in the catalog lists %s\n", text::escape_control(options.id).c_str());
    return ExitCode::error;
  }
  std::string out;
  // Each line escaped on its own: a path or an INF string may hold control characters (a newline
  // in a folder name must not start a line of its own).
  const auto line = [&out](const std::string& text) { out += text::escape_control(text) + "\n"; };
  for (const auto& e : entries) {
    line(e.path + ":" + std::to_string(e.line));
    line("  " + e.description);
    line("  provider " + e.provider + ", class " + e.class_name + ", DriverVer " + e.date.to_inf() + ", " +
         e.version.to_string());
    line("  Models section [" + e.models_section + "] (" + e.arch + "), install section [" + e.ddinstall_section + "]");
    line("  signature: " + std::string(inf::signature_status_name(e.signature.status)) +
         (e.signature.catalog_file.empty() ? std::string() : " (" + e.signature.catalog_file + ")") +
         (e.signature.signer.empty() ? std::string() : ", signer " + e.signature.signer));
    std::string ids = "  IDs: " + (e.hardware_id.empty() ? std::string("(no hardware ID)") : e.hardware_id);
    for (const auto& c : e.compatible_ids) ids += ", " + c;
    line(ids);
  }
  write_report(options.report, out);
  return ExitCode::ok;
}
}  // namespace

ExitCode run_add_source(const GlobalOptions& globals, const FeedOptions& options) {
  if (options.url.rfind("https://", 0) != 0) throw UsageError("a feed source must be an https:// URL");
  std::string key = options.pubkey;
  std::error_code ec;
  if (!key.empty() && std::filesystem::is_regular_file(key, ec)) {  // a .pub file instead of the key itself
    std::ifstream in(key);
    std::ostringstream s;
    s << in.rdbuf();
    key = s.str();
  }
  if (key.empty() && !options.allow_unsigned)
    throw UsageError("give the feed's minisign public key with --pubkey KEY (or --allow-unsigned)");
  std::string key_line;
  if (!key.empty()) {
    const auto parsed = minisign::parse_public_key(key);  // refuses a malformed key now, not at sync time
    for (auto line : text::split(key, '\n')) {
      line = text::trim(line);
      if (!line.empty() && !text::istarts_with(line, "untrusted comment:")) {
        key_line = std::string(line);
        break;
      }
    }
    std::printf("trusting key %s for %s\n", parsed.key_id_hex().c_str(), options.url.c_str());
  }
  if (options.allow_unsigned)
    spdlog::warn("{}: signature checks are OFF for this source (--allow-unsigned)", options.url);
  AppContext context(globals);
  catalog::Store store(context.catalog_file(), catalog::Store::Mode::read_write);
  store.add_feed_source(options.url, key_line, options.allow_unsigned,
                        options.ca_file ? std::filesystem::absolute(*options.ca_file).string() : std::string());
  std::printf("added %s; run `drvaudit catalog sync` to fetch it\n", options.url.c_str());
  return ExitCode::ok;
}

ExitCode run_sync(const GlobalOptions& globals, const FeedOptions& options) {
  AppContext context(globals);
  catalog::Store store(context.catalog_file(), catalog::Store::Mode::read_write);
  auto sources = store.feed_sources();
  if (options.source) {
    std::erase_if(sources, [&](const catalog::FeedSource& s) { return s.url != *options.source; });
    if (sources.empty()) throw UsageError("no feed source " + *options.source + " (see `drvaudit catalog sources`)");
  }
  if (sources.empty()) {
    std::printf("no feed sources: add one with `drvaudit catalog add-source URL --pubkey KEY`\n");
    return ExitCode::ok;
  }
  ExitCode result = ExitCode::ok;
  // One deadline for the whole sync: a slow server must not hold a scheduled audit for long.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(options.timeout);
  for (const auto& source : sources) {
    ProgressBar progress("syncing", "bytes");
    catalog::SyncOptions sync_options;
    sync_options.ca_file = options.ca_file;
    sync_options.deadline = deadline;
    sync_options.deadline_length = std::chrono::seconds(options.timeout);
    sync_options.progress = [&](std::size_t done, std::size_t total) { progress.update(done, total); };
    try {
      const auto r = catalog::sync_feed(store, source, sync_options);
      progress.finish();
      if (r.unchanged) {
        std::printf("%s: unchanged\n", text::escape_control(r.url).c_str());
      } else {
        const std::string how = r.signature_checked ? "signature OK (" + text::escape_control(r.signed_comment) + ")"
                                                    : "NOT signature-checked (--allow-unsigned)";
        std::printf("%s: %zu packages, %s\n", text::escape_control(r.url).c_str(), r.packages, how.c_str());
      }
    } catch (const Error& e) {
      progress.finish();
      std::fprintf(stderr, "drvaudit: sync failed, the catalog keeps its previous copy: %s\n",
                   text::escape_control(e.what()).c_str());
      result = ExitCode::error;
    }
  }
  return result;
}

ExitCode run_export(const GlobalOptions& globals, const FeedOptions& options) {
  AppContext context(globals);
  catalog::ExportOptions export_options;
  export_options.out = options.out;
  export_options.base_url = options.base_url;
  warn_target_ignored("export", options.target_os, options.arch);
  const auto f = catalog::export_feed(options.folders, export_options);
  std::printf("%s: %zu packages; sign it with: minisign -Sm %s\n", options.out.string().c_str(), f.packages.size(),
              options.out.string().c_str());
  return ExitCode::ok;
}

void add_catalog(CLI::App& app, const GlobalOptions& globals, ExitCode& exit_code) {
  auto feed_options = std::make_shared<FeedOptions>();
  auto options = std::make_shared<CatalogOptions>();
  CLI::App* cmd = app.add_subcommand("catalog", "Manage the driver catalog: index INF folders, list sources, search");
  cmd->require_subcommand(1);

  CLI::App* index = cmd->add_subcommand("index", "Index the INF files below one or more folders (incremental)");
  index->add_option("folders", options->folders, "Folders with driver packages")
      ->type_name("DIR")
      ->required()
      ->check(CLI::ExistingDirectory);
  index->add_option("--target-os", options->target_os, "Ignored (a warning): the catalog serves every Windows version")
      ->type_name("VERSION");
  index->add_option("--arch", options->arch, "Ignored (a warning): the catalog serves every architecture")
      ->type_name("ARCH");
  index->callback([&globals, &exit_code, options] { exit_code = run_index(globals, *options); });

  CLI::App* add_source = cmd->add_subcommand("add-source", "Add (or update) a signed feed source");
  add_source->add_option("url", feed_options->url, "The feed's https:// URL")->type_name("URL")->required();
  add_source->add_option("--pubkey", feed_options->pubkey, "The publisher's minisign public KEY, or its .pub file")
      ->type_name("KEY");
  add_source->add_flag("--allow-unsigned", feed_options->allow_unsigned,
                       "Accept the feed without a signature (logged; not recommended)");
  add_source->add_option("--ca-file", feed_options->ca_file, "Trust this CA certificate FILE too (a private CA)")
      ->type_name("FILE")
      ->check(CLI::ExistingFile);
  add_source->callback([&globals, &exit_code, feed_options] { exit_code = run_add_source(globals, *feed_options); });

  CLI::App* sync = cmd->add_subcommand("sync", "Fetch the feed sources (or one) over HTTPS and check their signatures");
  sync->add_option("source", feed_options->source, "Only this source URL")->type_name("URL");
  sync->add_option("--ca-file", feed_options->ca_file, "Trust this CA certificate FILE too (a private CA)")
      ->type_name("FILE")
      ->check(CLI::ExistingFile);
  sync->add_option("--timeout", feed_options->timeout,
                   "Give up the whole sync (every source, attempt and retry) after SECONDS")
      ->type_name("SECONDS")
      ->check(CLI::Range(1, 86400))
      ->capture_default_str();
  sync->callback([&globals, &exit_code, feed_options] { exit_code = run_sync(globals, *feed_options); });

  CLI::App* export_cmd = cmd->add_subcommand("export", "Build a feed from INF folders (packages zipped next to it)");
  export_cmd->add_option("folders", feed_options->folders, "Folders with driver packages")
      ->type_name("DIR")
      ->required()
      ->check(CLI::ExistingDirectory);
  export_cmd->add_option("-o,--output,--out", feed_options->out, "The feed FILE to write, e.g. www/feed.json")
      ->type_name("FILE")
      ->required();
  export_cmd->add_option("--base-url", feed_options->base_url, "Make download URLs absolute with this URL prefix")
      ->type_name("URL");
  export_cmd
      ->add_option("--target-os", feed_options->target_os, "Ignored (a warning): feeds serve every Windows version")
      ->type_name("VERSION");
  export_cmd->add_option("--arch", feed_options->arch, "Ignored (a warning): feeds serve every architecture")
      ->type_name("ARCH");
  export_cmd->callback([&globals, &exit_code, feed_options] { exit_code = run_export(globals, *feed_options); });

  options = std::make_shared<CatalogOptions>();
  CLI::App* sources =
      cmd->add_subcommand("sources", "List the catalog's sources with their last index and package counts");
  add_report_options(*sources, options->report, {"table", "json"});
  sources->callback([&globals, &exit_code, options] { exit_code = run_sources(globals, *options); });

  options = std::make_shared<CatalogOptions>();
  CLI::App* stats = cmd->add_subcommand("stats", "Count the catalog's files, packages, Models lines and device IDs");
  add_report_options(*stats, options->report, {"text", "json"});
  stats->callback([&globals, &exit_code, options] { exit_code = run_stats(globals, *options); });

  options = std::make_shared<CatalogOptions>();
  CLI::App* search = cmd->add_subcommand("search", "Print every package line that lists a hardware or compatible ID");
  search->add_option("id", options->id, "A hardware or compatible ID, e.g. 'PCI\\VEN_8086&DEV_06ED'")
      ->type_name("ID")
      ->required();
  add_report_options(*search, options->report, {"text", "json"});
  search->callback([&globals, &exit_code, options] { exit_code = run_search(globals, *options); });

  add_catalog_views(*cmd, globals, exit_code);
}

}  // namespace drvaudit::commands
