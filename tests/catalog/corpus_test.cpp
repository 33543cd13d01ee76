#include <algorithm>
#include <catch2/catch.hpp>
#include <cstdlib>

#include <filesystem>

#include "catalog/driver_package.hpp"
#include "common/text.hpp"
#include "tests/support/temp_dir.hpp"

using namespace drvaudit::inf;
namespace fs = std::filesystem;

namespace {
const TargetOs kWin11 = TargetOs::parse("10.0.22631", "amd64");
const fs::path kCorpus = drvaudit::test::corpus_dir() / "inf-open";

// The package with the Models lines Windows 11 amd64 would consider.
DriverPackage load(const std::string& relative) {
  auto pkg = load_package(drvaudit::test::read_file(kCorpus / relative), fs::path(relative).filename().string());
  std::vector<ModelEntry> chosen;
  for (const auto* m : pkg.models_for(kWin11)) chosen.push_back(*m);
  pkg.models = std::move(chosen);
  return pkg;
}
}  // namespace

TEST_CASE("every INF in the open corpus parses, or is reported as a template or a non-driver file with the reason") {
  std::size_t packages = 0, templates = 0, not_inf = 0;
  for (const auto& entry : fs::recursive_directory_iterator(kCorpus)) {
    if (!entry.is_regular_file()) continue;
    const auto ext = drvaudit::text::to_lower(entry.path().extension().string());
    if (ext != ".inf" && ext != ".inx" && ext != ".in") continue;
    INFO(entry.path().string());
    try {
      const auto pkg = load_package(drvaudit::test::read_file(entry.path()), entry.path().filename().string());
      if (pkg.template_reason) {
        CHECK_FALSE(pkg.template_reason->empty());
        ++templates;
      } else {
        ++packages;
        if (!pkg.has_driver_ver) {  // e.g. UsbDk's filter INFs: no DriverVer, reported as a diagnostic
          bool reported = false;
          for (const auto& d : pkg.diagnostics) reported = reported || d.message.find("DriverVer") != std::string::npos;
          CHECK(reported);
        }
      }
    } catch (const NotAnInf& e) {
      // Only INF-named files that hold no driver: the toaster sample's autorun.inf.
      CHECK(entry.path().filename() == "autorun.inf");
      ++not_inf;
    }
  }
  // Exact counts on the fixed corpus: a change in classification must be looked at. Templates
  // include files with $ARCH$ only in section names ([DefaultInstall.NT$ARCH$]).
  CHECK(packages == 18);
  CHECK(templates == 183);
  CHECK(not_inf == 1);
}

TEST_CASE("golden: qemupciserial.inf") {
  const auto pkg = load("virtio-win/pciserial/qemupciserial.inf");
  CHECK(pkg.provider == "QEMU");
  CHECK(pkg.class_name == "MultiFunction");
  CHECK(pkg.driver_ver.date.to_inf() == "05/21/2022");
  CHECK(pkg.driver_ver.version.to_string() == "100.90.104.22100");
  CHECK(pkg.signature_for("amd64")->catalog_file == "qemupciserial.cat");
  REQUIRE(pkg.models.size() == 3);
  CHECK(pkg.models[0].models_section == "QEMU.NTAMD64");
  CHECK(pkg.models[0].hardware_id == "PCI\\VEN_1B36&DEV_0002");
  CHECK(pkg.models[0].description == "1x QEMU PCI Serial Card");
  CHECK(pkg.models[0].ddinstall_section == "ComPort_inst1");
  CHECK_FALSE(pkg.models[0].nt_extension);
  CHECK(pkg.models[2].hardware_id == "PCI\\VEN_1B36&DEV_0004");
}

TEST_CASE("golden: the KMDOD sample display driver (FeatureScore on an undecorated install section)") {
  const auto pkg = load("ms-samples/video/KMDOD/Sample/sampledisplay.inf");
  CHECK(pkg.class_name == "Display");
  CHECK(pkg.driver_ver.date.to_iso() == "2011-03-15");
  CHECK(pkg.driver_ver.version.to_string() == "0.3.15.11");
  REQUIRE(pkg.models.size() == 4);  // the NTamd64 section only
  CHECK(pkg.models[0].hardware_id == "PCI\\CC_0300");
  CHECK(pkg.models[3].hardware_id == "ACPI\\CLS_0003&SUBCLS_0001");
  CHECK(pkg.models[0].ddinstall_section == "KDODSamp_Inst");
  CHECK(pkg.models[0].feature_score == 0xF9);
  CHECK(pkg.models[0].line == 40);
}

TEST_CASE("golden: UTF-16LE INFs decode and are recognised as $ARCH$ templates") {
  const auto bytes =
      drvaudit::test::read_file(kCorpus / "ms-samples/network/netadaptercx/netvadapter/km/netvadapter.inf");
  CHECK(Document::parse(bytes).encoding() == Encoding::utf16le);
  const auto pkg = load("ms-samples/network/netadaptercx/netvadapter/km/netvadapter.inf");
  CHECK(pkg.class_name == "Net");
  CHECK(pkg.driver_ver.version.to_string() == "6.1.7065.0");
  CHECK_THAT(pkg.template_reason.value_or(""), Catch::Contains("$ARCH$"));
  const auto vdd = load("virtual-display-driver/Virtual Display Driver (HDR)/MttVDD/MttVDD.inf");
  CHECK(vdd.class_name == "Display");
  CHECK(vdd.template_reason.has_value());
}

TEST_CASE("golden: autoconf and non-driver files") {
  CHECK_THAT(load("tap-windows6/src/OemVista.inf.in").template_reason.value_or(""),
             Catch::Contains("@PRODUCT_TAP_WIN"));
  CHECK_THROWS_WITH(load("ms-samples/general/toaster/toastpkg/inf/autorun.inf"),
                    Catch::Contains("no [Version] section"));
}

// Golden: which Models lines each INF of the corpus offers three Windows versions. A change in the
// section choice moves lines in these files; review the diff, then regenerate with
// DRVAUDIT_UPDATE_GOLDEN=1. The files were checked by hand against the decoration rules for a
// sample of INFs (docs/catalog.md, "Section choice").
TEST_CASE("golden: the Models lines chosen per corpus file for Windows 11 amd64, Windows 10 amd64 and Windows 7 x86") {
  std::vector<fs::path> files;
  for (const auto& entry : fs::recursive_directory_iterator(kCorpus)) {
    if (entry.is_regular_file() && drvaudit::text::iequals(entry.path().extension().string(), ".inf"))
      files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  for (const auto* target_text : {"10.0.22631 amd64", "10.0.19045 amd64", "6.1.7601 x86"}) {
    const auto parts = drvaudit::text::split(std::string_view(target_text), ' ');
    const auto target = TargetOs::parse(parts[0], parts[1]);
    std::string actual = "# Models lines chosen for Windows " + std::string(target_text) + "\n";
    for (const auto& file : files) {
      DriverPackage pkg;
      try {
        pkg = load_package(drvaudit::test::read_file(file), file.filename().string());
      } catch (const NotAnInf&) {
        continue;
      }
      if (pkg.template_reason) continue;
      const auto relative = fs::relative(file, kCorpus).generic_string();
      const auto chosen = pkg.models_for(target);
      actual += relative + ": " + std::to_string(chosen.size()) + " of " + std::to_string(pkg.models.size()) + "\n";
      for (const auto* m : chosen) {
        actual += "  " + std::to_string(m->line) + " [" + m->models_section + "] " +
                  (m->hardware_id.empty() ? std::string("(no hardware ID)") : m->hardware_id) + " -> " +
                  m->ddinstall_section + "\n";
      }
    }
    std::string name = std::string(target_text);
    std::replace(name.begin(), name.end(), ' ', '-');
    const auto golden = drvaudit::test::corpus_dir() / ".." / "golden" / ("models-" + name + ".txt");
    if (std::getenv("DRVAUDIT_UPDATE_GOLDEN")) drvaudit::test::write_file(golden, actual);
    INFO("golden file " << golden.string() << " (DRVAUDIT_UPDATE_GOLDEN=1 rewrites it)");
    CHECK(drvaudit::test::read_file(golden) == actual);
  }
}
