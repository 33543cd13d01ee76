// Audit latency against a catalog the size of SDIO's full driver-pack index (issue 3):
// 6.6 million hardware-ID entries, 400 devices, time measured once the store is open.
//
// usage: audit_latency DB_FILE [--generate] [--write-snapshot FILE]
//   --generate        (re)creates DB_FILE: 2.2 million Models lines, each with one hardware ID and two
//                     compatible IDs (6.6 million index entries); compatible IDs are shared by about
//                     eight lines each, as generic IDs are in real driver packs.
//   --write-snapshot  also writes the 400 devices as a snapshot of a Windows 11 machine, for the
//                     benchmarks that run the drvaudit command on them (bench/weekly_run.sh).
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <random>
#include <string>
#include <vector>

#include "catalog/audit.hpp"
#include "catalog/catalog_store.hpp"
#include "common/text.hpp"
#include "scanner/snapshot.hpp"
#include "updater/update_plan.hpp"

namespace {
using drvaudit::text::hex;
constexpr int kLines = 2'200'000;
constexpr int kCompatiblePool = 550'000;
constexpr int kDevices = 400;

std::string hardware_id(int i) {
  return "PCI\\VEN_" + hex(static_cast<std::uint32_t>(0x1000 + i % 4000), 4) + "&DEV_" +
         hex(static_cast<std::uint32_t>(i / 4000), 4) + "&SUBSYS_" + hex(static_cast<std::uint32_t>(i * 7919), 8);
}
std::string compatible_id(int i) {
  return "PCI\\VEN_" + hex(static_cast<std::uint32_t>(0x1000 + i % 4000), 4) + "&DEV_" +
         hex(static_cast<std::uint32_t>(i / 4000), 4);
}

void generate(const std::filesystem::path& file) {
  std::filesystem::remove(file);
  drvaudit::catalog::Store store(file, drvaudit::catalog::Store::Mode::read_write);
  auto& db = store.database();
  const auto source = store.ensure_source("inf-folder", "/generated/driverpack");
  db.exec("BEGIN");
  auto file_insert =
      db.prepare("INSERT INTO files(source_id, path, size, mtime, sha256, status) VALUES(?1, ?2, 1, 1, '', 'indexed')");
  auto package_insert = db.prepare(
      "INSERT INTO packages(file_id, inf_name, provider, class, class_guid, location_kind, folder, download_url, "
      "download_size, download_sha256, download_format, inf_path) VALUES(?1, ?2, 'Vendor', 'Net', '', 'folder', "
      "'/generated/driverpack', '', 0, '', '', ?2)");
  // One Models section per package; a fifth of them for an older Windows only, so that the audit's
  // per-target choice has work to do.
  auto section_insert = db.prepare(
      "INSERT INTO sections(package_id, manufacturer, manufacturer_line, name, decoration, line_decorations, arch, "
      "catalog_file, signature_status, signer, signed_at, chain, signature_detail) VALUES(?1, 'Vendor', 5, ?2, ?3, "
      "?4, 'amd64', 'x.cat', 'signed', 'Vendor', '', 'not_checked', '')");
  auto model_insert = db.prepare(
      "INSERT INTO models(package_id, section_id, description, install_section, ddinstall_section, nt_extension, "
      "hardware_id, compatible_ids, feature_score, driver_date, driver_version, line) VALUES(?1, ?7, 'Device', "
      "'Inst', 'Inst.NTamd64', 1, ?2, ?3, 255, ?4, ?5, ?6)");
  auto id_insert = db.prepare("INSERT OR IGNORE INTO model_ids(id_upper, model_id) VALUES(?1, ?2)");
  std::mt19937 random(42);
  std::int64_t package = 0, section = 0;
  for (int i = 0; i < kLines; ++i) {
    if (i % 20 == 0) {  // 20 Models lines per package
      file_insert.bind(1, source).bind(2, "/generated/driverpack/" + std::to_string(i / 20) + ".inf");
      file_insert.run();
      package_insert.bind(1, db.last_insert_rowid()).bind(2, std::to_string(i / 20) + ".inf");
      package_insert.run();
      package = db.last_insert_rowid();
      const bool old_windows = (i / 20) % 5 == 4;
      const std::string decoration = old_windows ? "NTamd64.6.1" : "NTamd64.10.0...17763";
      section_insert.bind(1, package)
          .bind(2, "Models." + decoration)
          .bind(3, decoration)
          .bind(4, old_windows ? "NTamd64.6.1\nNTamd64.10.0" : "NTamd64.10.0...17763");
      section_insert.run();
      section = db.last_insert_rowid();
    }
    const auto hw = hardware_id(i);
    const auto c1 = compatible_id(static_cast<int>(random() % kCompatiblePool));
    const auto c2 = compatible_id(static_cast<int>(random() % kCompatiblePool));
    const std::string date =
        "20" + std::to_string(10 + i % 15) + "-0" + std::to_string(1 + i % 9) + "-1" + std::to_string(i % 9);
    model_insert.bind(1, package)
        .bind(2, hw)
        .bind(3, c1 + "\n" + c2)
        .bind(4, date)
        .bind(5, "1.0." + std::to_string(i % 60000) + ".0")
        .bind(6, std::int64_t{i % 500})
        .bind(7, section);
    model_insert.run();
    const auto model = db.last_insert_rowid();
    for (const auto* id : {&hw, &c1, &c2}) {
      id_insert.bind(1, *id).bind(2, model);
      id_insert.run();
    }
    if (i % 200000 == 0) std::fprintf(stderr, "\rgenerating: %d/%d Models lines", i, kLines);
  }
  db.exec("COMMIT");
  db.exec("ANALYZE");
  std::fprintf(stderr, "\rgenerated %d Models lines\n", kLines);
}

std::vector<drvaudit::Device> devices() {
  std::mt19937 random(7);
  std::vector<drvaudit::Device> out;
  for (int i = 0; i < kDevices; ++i) {
    drvaudit::Device d;
    d.instance_id = "DEV\\" + std::to_string(i);
    // Three in five devices are in the catalog; the others have IDs it does not list.
    const int line = (i % 5 < 3) ? static_cast<int>(random() % kLines) : kLines + i;
    const auto hw = hardware_id(line);
    d.hardware_ids = {hw + "&REV_01", hw, compatible_id(line) + "&CC_020000", compatible_id(line) + "&CC_0200"};
    d.compatible_ids = {compatible_id(line) + "&REV_01",
                        compatible_id(line),
                        "PCI\\VEN_" + hex(static_cast<std::uint32_t>(0x1000 + line % 4000), 4) + "&CC_020000",
                        "PCI\\VEN_" + hex(static_cast<std::uint32_t>(0x1000 + line % 4000), 4) + "&CC_0200",
                        "PCI\\VEN_" + hex(static_cast<std::uint32_t>(0x1000 + line % 4000), 4),
                        "PCI\\CC_020000",
                        "PCI\\CC_0200"};
    drvaudit::InstalledDriver drv;
    drv.inf = "oem" + std::to_string(i) + ".inf";
    drv.version = "1.0.0.0";
    drv.date = drvaudit::DriverDate::parse("01/01/2015");
    drv.matching_id = compatible_id(line);
    drv.rank = 0x00FF2001;  // as Windows reports it: signed, no feature score, compatible ID #1
    d.driver = drv;
    out.push_back(std::move(d));
  }
  return out;
}
}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: audit_latency DB_FILE [--generate] [--write-snapshot FILE]\n");
    return 2;
  }
  const std::filesystem::path file = argv[1];
  for (int i = 2; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--generate") generate(file);
    if (arg == "--write-snapshot" && i + 1 < argc) {
      drvaudit::Inventory inventory;
      inventory.machine = {
          "BENCH-400", "windows", "10.0.22631", "amd64", "workstation", "2026-12-01T03:00:00Z", "bench/audit_latency"};
      inventory.devices = devices();
      for (auto& d : inventory.devices) {
        d.description = "Benchmark device " + d.instance_id.substr(4);
        d.class_name = "Net";
        d.bus = "PCI";
      }
      drvaudit::snapshot::save(argv[++i], inventory);
    }
  }
  const drvaudit::catalog::Store store(file, drvaudit::catalog::Store::Mode::read_only);
  const auto stats = store.stats();
  std::printf("catalog: %lld Models lines, %lld ID entries\n", static_cast<long long>(stats.models),
              static_cast<long long>(stats.ids));
  const auto list = devices();
  drvaudit::audit::AuditorOptions options;
  options.target = drvaudit::inf::TargetOs::parse("10.0.22631", "amd64");
  const drvaudit::audit::Auditor auditor(store, nullptr, options);
  std::vector<double> runs;
  std::size_t candidates = 0, actionable = 0;
  for (int run = 0; run < 7; ++run) {
    candidates = actionable = 0;
    const auto start = std::chrono::steady_clock::now();
    for (const auto& d : list) {
      const auto a = auditor.audit(d);
      candidates += a.candidates.size();
      actionable += drvaudit::audit::is_actionable(a.verdict);
    }
    runs.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count());
  }
  const double first = runs.front();
  std::sort(runs.begin(), runs.end());
  std::printf(
      "audit of %d devices: first run %.1f ms, median of 7 %.1f ms, best %.1f ms (%zu candidates, %zu actionable)\n",
      kDevices, first, runs[runs.size() / 2], runs.front(), candidates, actionable);

  // The update plan (issue 12): the same audit, then the selection of what `update --all` installs.
  std::vector<double> plans;
  std::size_t chosen = 0;
  for (int run = 0; run < 7; ++run) {
    const auto start = std::chrono::steady_clock::now();
    drvaudit::audit::MachineAudit machine;
    for (const auto& d : list) machine.devices.push_back(auditor.audit(d));
    const auto plan = drvaudit::updater::make_plan(machine, {{}, true, false});
    chosen = plan.devices.size();
    plans.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count());
  }
  std::sort(plans.begin(), plans.end());
  std::printf("update plan for %d devices: median of 7 %.1f ms, best %.1f ms (%zu to install)\n", kDevices,
              plans[plans.size() / 2], plans.front(), chosen);
  return 0;
}
