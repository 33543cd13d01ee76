#include <catch2/catch.hpp>

#include "catalog/audit.hpp"
#include "catalog/explain.hpp"
#include "catalog/inf_folder_indexer.hpp"
#include "tests/support/temp_dir.hpp"

using namespace drvaudit;
using audit::Verdict;

namespace {
const inf::TargetOs kWin11 = inf::TargetOs::parse("10.0.22631", "amd64");

// A catalog built from INF text written to a temporary folder.
class CatalogFixture {
 public:
  CatalogFixture() : store_(dir_ / "catalog.db", catalog::Store::Mode::read_write) {
    std::filesystem::create_directories(dir_ / "drivers");
  }
  void add(const std::string& name, const std::string& ids, const std::string& driver_ver, bool is_signed = true) {
    test::write_file(dir_ / "drivers" / name, "[Version]\nSignature=\"$Windows NT$\"\nClass=Net\nProvider=ACME\n" +
                                                  std::string(is_signed ? "CatalogFile=x.cat\n" : "") +
                                                  "DriverVer=" + driver_ver +
                                                  "\n[Manufacturer]\nACME=M,NTamd64\n[M.NTamd64]\n%Desc%=Inst," + ids +
                                                  "\n[Inst.NT]\n[Strings]\nDesc=\"ACME card from " + name + "\"\n");
  }
  void index_extra(const std::filesystem::path& folder) {
    catalog::IndexOptions o;
    o.target = kWin11;
    catalog::index_folder(store_, folder, o);
  }
  const catalog::Store& store() {
    index_extra(dir_ / "drivers");
    return store_;
  }

 private:
  test::TempDir dir_;
  catalog::Store store_;
};

Device net_card() {
  Device d;
  d.instance_id = "PCI\\VEN_8086&DEV_15F3&SUBSYS_00008086&REV_03\\1";
  d.description = "Ethernet Controller";
  d.class_name = "Net";
  d.hardware_ids = {"PCI\\VEN_8086&DEV_15F3&SUBSYS_00008086&REV_03", "PCI\\VEN_8086&DEV_15F3&SUBSYS_00008086"};
  d.compatible_ids = {"PCI\\VEN_8086&DEV_15F3&REV_03", "PCI\\VEN_8086&DEV_15F3", "PCI\\VEN_8086&CC_020000",
                      "PCI\\CC_0200"};
  return d;
}

Device with_driver(Device d, const std::string& inf, const std::string& date, const std::string& version) {
  InstalledDriver drv;
  drv.inf = inf;
  drv.date = DriverDate::parse(date);
  drv.version = version;
  drv.provider = "ACME";
  d.driver = drv;
  return d;
}

audit::DeviceAudit run(const catalog::Store& store, const Device& d, const char* platform = "windows") {
  return audit::Auditor(store, nullptr, platform).audit(d);
}
}  // namespace

TEST_CASE("done-when: qemupciserial.inf updates an older driver and leaves a newer one alone") {
  CatalogFixture catalog;
  catalog.index_extra(test::shared_dir() / "corpora/inf-open");
  Device serial;
  serial.instance_id = "PCI\\VEN_1B36&DEV_0002&SUBSYS_11001AF4&REV_01\\3&267A616A&0&20";
  serial.description = "PCI Serial Port";
  serial.hardware_ids = {"PCI\\VEN_1B36&DEV_0002&SUBSYS_11001AF4&REV_01", "PCI\\VEN_1B36&DEV_0002&SUBSYS_11001AF4"};
  serial.compatible_ids = {"PCI\\VEN_1B36&DEV_0002&REV_01", "PCI\\VEN_1B36&DEV_0002"};
  auto old_driver = with_driver(serial, "oem3.inf", "08/09/2021", "100.85.104.20800");
  old_driver.driver->matching_id = "PCI\\VEN_1B36&DEV_0002";

  const auto older = run(catalog.store(), old_driver);
  CHECK(older.verdict == Verdict::update_available);
  REQUIRE(older.best);
  CHECK(older.best->entry.inf_name == "qemupciserial.inf");
  CHECK(std::filesystem::path(older.best->entry.path).generic_string().find("virtio-win/pciserial/qemupciserial.inf") !=
        std::string::npos);
  CHECK(older.best->entry.date.to_inf() == "05/21/2022");
  CHECK(older.best->entry.version.to_string() == "100.90.104.22100");
  CHECK(rank::hex(older.best->value()) == "0x00FF2001");
  CHECK(older.installed.rank_source == audit::RankSource::estimated);

  auto new_driver = with_driver(serial, "oem3.inf", "03/01/2024", "100.95.104.26000");
  new_driver.driver->matching_id = "PCI\\VEN_1B36&DEV_0002";
  CHECK(run(catalog.store(), new_driver).verdict == Verdict::up_to_date);
}

TEST_CASE("an installed driver that is older but a better match is not update_available") {
  CatalogFixture catalog;
  catalog.add("vendor.inf", "PCI\\VEN_8086&DEV_15F3&SUBSYS_00008086", "01/10/2021,1.0.0.0");  // hardware ID #1
  catalog.add("generic.inf", "PCI\\CC_0200", "06/01/2024,9.0.0.0");                           // compatible ID #3
  const auto a = run(catalog.store(), with_driver(net_card(), "vendor.inf", "01/10/2021", "1.0.0.0"));
  CHECK(a.installed.rank_source == audit::RankSource::catalog);
  CHECK(rank::hex(*a.installed.rank) == "0x00FF0001");
  REQUIRE(a.best);
  CHECK(a.best->entry.inf_name == "generic.inf");
  CHECK(rank::hex(a.best->value()) == "0x00FF2003");
  CHECK(a.verdict == Verdict::up_to_date);
  CHECK_THAT(a.reason, Catch::Contains("matches better"));
}

TEST_CASE("a better-ranked driver that is not newer is better_match, newer and better is update_available") {
  CatalogFixture catalog;
  catalog.add("vendor.inf", "PCI\\VEN_8086&DEV_15F3&SUBSYS_00008086", "01/10/2021,1.0.0.0");
  catalog.add("generic.inf", "PCI\\CC_0200", "06/01/2024,9.0.0.0");
  const auto& store = catalog.store();
  const auto better = run(store, with_driver(net_card(), "generic.inf", "06/01/2024", "9.0.0.0"));
  CHECK(better.verdict == Verdict::better_match);
  CHECK(better.best->entry.inf_name == "vendor.inf");

  CatalogFixture newer_catalog;
  newer_catalog.add("vendor.inf", "PCI\\VEN_8086&DEV_15F3&SUBSYS_00008086", "01/10/2025,2.0.0.0");
  newer_catalog.add("generic.inf", "PCI\\CC_0200", "06/01/2024,9.0.0.0");
  CHECK(run(newer_catalog.store(), with_driver(net_card(), "generic.inf", "06/01/2024", "9.0.0.0")).verdict ==
        Verdict::update_available);
}

TEST_CASE("same rank: the newer date wins, then the higher version") {
  CatalogFixture catalog;
  catalog.add("a.inf", "PCI\\VEN_8086&DEV_15F3", "05/01/2023,2.0.0.0");
  const auto& store = catalog.store();
  Device d = with_driver(net_card(), "oem1.inf", "05/01/2023", "1.5.0.0");
  d.driver->matching_id = "PCI\\VEN_8086&DEV_15F3";
  CHECK(run(store, d).verdict == Verdict::update_available);  // same date, higher version
  d.driver->version = "2.0.0.0";
  CHECK(run(store, d).verdict == Verdict::up_to_date);
  d.driver->date = DriverDate::parse("06/01/2023");
  d.driver->version = "1.0.0.0";
  CHECK(run(store, d).verdict == Verdict::up_to_date);  // newer date beats a higher version
}

TEST_CASE("missing drivers and devices the catalog does not know") {
  CatalogFixture catalog;
  catalog.add("a.inf", "PCI\\VEN_8086&DEV_15F3", "05/01/2023,2.0.0.0");
  const auto& store = catalog.store();
  const auto missing = run(store, net_card());
  CHECK(missing.verdict == Verdict::missing_driver);
  CHECK(missing.best->entry.inf_name == "a.inf");
  Device unknown = net_card();
  unknown.hardware_ids = {"PCI\\VEN_1234&DEV_5678"};
  unknown.compatible_ids.clear();
  CHECK(run(store, unknown).verdict == Verdict::no_catalog_data);
  CHECK(run(store, with_driver(unknown, "oem9.inf", "01/01/2020", "1.0")).verdict == Verdict::no_catalog_data);
}

TEST_CASE("the installed rank comes from the catalog, else from Windows, else from the matching ID") {
  CatalogFixture catalog;
  catalog.add("a.inf", "PCI\\VEN_8086&DEV_15F3", "05/01/2023,2.0.0.0");
  const auto& store = catalog.store();
  Device d = with_driver(net_card(), "oem5.inf", "01/01/2022", "1.0.0.0");
  d.driver->rank = 0x00FF0000;
  auto a = run(store, d);
  CHECK(a.installed.rank_source == audit::RankSource::os);
  CHECK(a.verdict == Verdict::up_to_date);  // the OS says it matches better than 0x00FF2001
  d.driver->rank.reset();
  d.driver->matching_id = "PCI\\VEN_8086&DEV_15F3&SUBSYS_00008086";
  a = run(store, d);
  CHECK(a.installed.rank_source == audit::RankSource::estimated);
  CHECK(*a.installed.rank == 0x00FF0001);
  d.driver->matching_id.clear();
  a = run(store, d);
  CHECK(a.installed.rank_source == audit::RankSource::unknown);
  CHECK(a.verdict == Verdict::update_available);  // only dates compared, and said so
  CHECK_THAT(a.reason, Catch::Contains("rank is unknown"));
}

TEST_CASE("a signed driver outranks a newer unsigned one") {
  CatalogFixture catalog;
  catalog.add("signed.inf", "PCI\\VEN_8086&DEV_15F3", "05/01/2020,1.0.0.0", true);
  catalog.add("unsigned.inf", "PCI\\VEN_8086&DEV_15F3&SUBSYS_00008086&REV_03", "05/01/2025,9.0.0.0", false);
  const auto a = run(catalog.store(), net_card());
  REQUIRE(a.candidates.size() == 2);
  CHECK(a.candidates[0].entry.inf_name == "signed.inf");
  CHECK(rank::hex(a.candidates[1].value()) == "0x80FF0000");
}

TEST_CASE("Linux: kernel drivers are up to date, an unbound device with a matching module is missing its driver") {
  CatalogFixture catalog;
  catalog.add("a.inf", "PCI\\VEN_8086&DEV_15F3", "05/01/2023,2.0.0.0");
  const auto& store = catalog.store();
  const auto aliases = catalog::ModuleAliases::parse(
      "# Aliases extracted from modules themselves.\nalias pci:v00008086d000015F[23]sv*sd*bc*sc*i* igc\nalias "
      "usb:v*p*d*dc*dsc*dp*ic03isc01ip01in* usbhid\n");
  const audit::Auditor linux_auditor(store, &aliases, "linux");
  Device d = net_card();
  d.modalias = "pci:v00008086d000015F3sv00008086sd00000000bc02sc00i00";
  const auto unbound = linux_auditor.audit(d);
  CHECK(unbound.verdict == Verdict::missing_driver);
  CHECK(unbound.kernel_modules == std::vector<std::string>{"igc"});
  CHECK_THAT(unbound.reason, Catch::Contains("driver available, not loaded") && Catch::Contains("igc"));

  d.driver = InstalledDriver{};
  d.driver->service = "igc";
  d.driver->module = "igc";
  d.driver->version = "6.1.0";
  const auto bound = linux_auditor.audit(d);
  CHECK(bound.verdict == Verdict::up_to_date);
  CHECK(bound.installed.kernel_driver);
  CHECK(bound.candidates.size() == 1);  // Windows packages are listed, not compared

  Device other = net_card();
  other.modalias = "pci:v00001234d00005678sv00000000sd00000000bc02sc00i00";
  CHECK(linux_auditor.audit(other).verdict == Verdict::no_catalog_data);
}

TEST_CASE("modules.alias globs: *, ?, sets and ranges") {
  using catalog::glob_match;
  CHECK(glob_match("pci:v00008086d000015F[23]sv*", "pci:v00008086d000015F3sv00001028"));
  CHECK_FALSE(glob_match("pci:v00008086d000015F[23]sv*", "pci:v00008086d000015F4sv00001028"));
  CHECK(glob_match("usb:v*p*d*dc*dsc*dp*ic03isc01ip01in*", "usb:v05F3p0007d0320dc00dsc00dp00ic03isc01ip01in00"));
  CHECK(glob_match("a?c", "abc"));
  CHECK(glob_match("[!a]x", "bx"));
  CHECK_FALSE(glob_match("[!a]x", "ax"));
  CHECK(glob_match("[a-c]*", "b123"));
  CHECK(glob_match("*", ""));
  CHECK_FALSE(glob_match("a*b", "acd"));
  CHECK(glob_match("[unclosed", "[unclosed"));
  CHECK(glob_match(std::string(50, '*') + "z", std::string(5000, 'a') + "z"));
}

TEST_CASE("explain names every candidate, the rank parts, the matched IDs and the comparison") {
  CatalogFixture catalog;
  catalog.add("vendor.inf", "PCI\\VEN_8086&DEV_15F3&SUBSYS_00008086", "01/10/2021,1.0.0.0");
  catalog.add("generic.inf", "PCI\\CC_0200", "06/01/2024,9.0.0.0");
  const auto text =
      audit::explain(run(catalog.store(), with_driver(net_card(), "vendor.inf", "01/10/2021", "1.0.0.0")));
  CHECK_THAT(text, Catch::Contains("Candidates in the catalog: 2"));
  CHECK_THAT(text, Catch::Contains("[installed]"));
  CHECK_THAT(text, Catch::Contains("rank 0x00FF2003 = signature 0x00000000"));
  CHECK_THAT(text, Catch::Contains("device compatible ID #3 'PCI\\CC_0200' = the INF's hardware ID (0x2003)"));
  CHECK_THAT(text, Catch::Contains("worse rank (0x00FF2003 > 0x00FF0001)"));
  CHECK_THAT(text, Catch::Contains("newer date (2024-06-01 vs 2021-01-10)"));
  CHECK_THAT(text, Catch::Contains("Verdict: up_to_date"));
}
