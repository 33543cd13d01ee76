#include <catch2/catch.hpp>

#include <map>

#include "catalog/audit.hpp"
#include "catalog/explain.hpp"
#include "catalog/inf_folder_indexer.hpp"
#include "catalog/windows_update.hpp"
#include "tests/support/catalog_builder.hpp"
#include "tests/support/temp_dir.hpp"

using namespace drvaudit;
using audit::Verdict;

namespace {
const inf::TargetOs kWin11 = inf::TargetOs::parse("10.0.22631", "amd64");

enum class Signing { signed_by_catalog, unsigned_package, catalog_missing, modified_after_signing, garbage_catalog };

// A catalog built from INF text written to a temporary folder, each package in its own folder with
// the catalog file its CatalogFile names (or not, as the case needs).
class CatalogFixture {
 public:
  CatalogFixture() : store_(dir_ / "catalog.db", catalog::Store::Mode::read_write) {
    std::filesystem::create_directories(dir_ / "drivers");
  }
  void add(const std::string& name, const std::string& ids, const std::string& driver_ver,
           Signing signing = Signing::signed_by_catalog, const std::string& manufacturer = "ACME=M,NTamd64",
           const std::string& sections = "") {
    const auto folder = dir_ / "drivers" / name;
    std::filesystem::create_directories(folder);
    const bool names_catalog = signing != Signing::unsigned_package;
    const std::string models = sections.empty() ? "[M.NTamd64]\n%Desc%=Inst," + ids + "\n" : sections;
    const std::string inf = "[Version]\nSignature=\"$Windows NT$\"\nClass=Net\nProvider=ACME\n" +
                            std::string(names_catalog ? "CatalogFile=x.cat\n" : "") + "DriverVer=" + driver_ver +
                            "\n[Manufacturer]\n" + manufacturer + "\n" + models +
                            "[Inst.NT]\n[Strings]\nDesc=\"ACME card from " + name + "\"\n";
    test::write_file(folder / name,
                     signing == Signing::modified_after_signing ? inf + "; widened by a driver pack\n" : inf);
    if (signing == Signing::signed_by_catalog || signing == Signing::modified_after_signing)
      test::write_file(folder / "X.CAT", test::make_security_catalog({inf}));  // any case, as on Windows
    if (signing == Signing::garbage_catalog) test::write_file(folder / "x.cat", "MSCF not a catalog");
  }
  void index_extra(const std::filesystem::path& folder) { catalog::index_folder(store_, folder, {}); }
  const catalog::Store& store() {
    index_extra(dir_ / "drivers");
    return store_;
  }
  std::string folder() const { return (dir_ / "drivers").string(); }

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

audit::DeviceAudit run(const catalog::Store& store, const Device& d, const inf::TargetOs& target = kWin11,
                       audit::Platform platform = audit::Platform::windows) {
  audit::AuditorOptions options;
  options.platform = platform;
  options.target = target;
  return audit::Auditor(store, nullptr, options).audit(d);
}
}  // namespace

TEST_CASE("qemupciserial.inf from the corpus: its catalog is not in the corpus, so it ranks unsigned") {
  CatalogFixture catalog;
  catalog.index_extra(test::corpus_dir() / "inf-open");
  Device serial;
  serial.instance_id = "PCI\\VEN_1B36&DEV_0002&SUBSYS_11001AF4&REV_01\\3&267A616A&0&20";
  serial.description = "PCI Serial Port";
  serial.hardware_ids = {"PCI\\VEN_1B36&DEV_0002&SUBSYS_11001AF4&REV_01", "PCI\\VEN_1B36&DEV_0002&SUBSYS_11001AF4"};
  serial.compatible_ids = {"PCI\\VEN_1B36&DEV_0002&REV_01", "PCI\\VEN_1B36&DEV_0002"};
  auto old_driver = with_driver(serial, "oem3.inf", "08/09/2021", "100.85.104.20800");
  old_driver.driver->matching_id = "PCI\\VEN_1B36&DEV_0002";

  // Without the installed rank: newer, but not proven better.
  const auto older = run(catalog.store(), old_driver);
  CHECK(older.verdict == Verdict::possible_update);
  REQUIRE(older.best);
  CHECK(older.best->entry.inf_name == "qemupciserial.inf");
  CHECK(older.best->entry.signature.status == inf::SignatureStatus::catalog_missing);
  // Unsigned (no .cat beside it) with an undecorated install section: DRIVER_W9X_SUSPECT_RANK.
  CHECK(rank::hex(older.best->value()) == "0xC0FF2001");
  CHECK(older.installed.rank_source == audit::RankSource::estimated);
  CHECK_FALSE(older.installed.rank_proven());
  CHECK_FALSE(audit::is_actionable(older.verdict));

  // With the rank Windows reports for the signed driver it runs, the unsigned package loses.
  old_driver.driver->rank = 0x00FF2001;
  CHECK(run(catalog.store(), old_driver).verdict == Verdict::up_to_date);

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
  d.driver->rank = 0x00FF2001;  // as Windows reports it: the same rank as the catalog's line
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

TEST_CASE("the installed rank comes from Windows, else from its own INF, else it is unknown") {
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
  CHECK(a.verdict == Verdict::possible_update);  // an estimate proves nothing
  d.driver->matching_id.clear();
  a = run(store, d);
  CHECK(a.installed.rank_source == audit::RankSource::unknown);
  CHECK(a.verdict == Verdict::possible_update);
  CHECK_THAT(a.reason, Catch::Contains("not proven"));
  CHECK_THAT(a.reason, Catch::Contains("oem5.inf with that DriverVer and section is not in the catalog"));
  // Older than what is installed: nothing to offer, whatever the rank.
  d = with_driver(net_card(), "oem5.inf", "01/01/2024", "1.0.0.0");
  CHECK(run(store, d).verdict == Verdict::up_to_date);
}

TEST_CASE("a generic driver matched through a class-code ID is not an update over a vendor driver of unknown rank") {
  CatalogFixture catalog;
  catalog.add("generic.inf", "PCI\\VEN_8086&CC_020000", "06/01/2025,10.0.0.0");
  Device d = with_driver(net_card(), "oem12.inf", "01/10/2021", "1.0.0.0");  // the vendor's, not in the catalog
  const auto a = run(catalog.store(), d);
  CHECK(a.verdict == Verdict::possible_update);
  CHECK_FALSE(audit::is_actionable(a.verdict));
  CHECK_THAT(audit::explain(a), Catch::Contains("missing: the installed driver's rank is unknown"));
}

TEST_CASE("an unknown installed date or version never makes every candidate newer") {
  CatalogFixture catalog;
  catalog.add("a.inf", "PCI\\VEN_8086&DEV_15F3", "05/01/2023,2.0.0.0");
  const auto& store = catalog.store();
  Device d = with_driver(net_card(), "oem5.inf", "", "");
  d.driver->rank = 0x00FF2001;  // the same rank as the candidate: the date would decide
  auto a = run(store, d);
  CHECK(a.verdict == Verdict::possible_update);
  CHECK_THAT(a.reason, Catch::Contains("date is unknown"));
  const auto text = audit::explain(a);
  CHECK_THAT(text, Catch::Contains("installed date unknown"));
  CHECK_THAT(text, !Catch::Contains("version , "));
  // Same date, no version: the version would decide.
  d.driver->date = DriverDate::parse("05/01/2023");
  CHECK(run(store, d).verdict == Verdict::possible_update);
  // A better rank is proven whatever the dates.
  d.driver->rank = 0x00FF3000;
  CHECK(run(store, d).verdict == Verdict::better_match);
}

TEST_CASE("the installed driver's own INF is recognised only by name, DriverVer and section together") {
  CatalogFixture catalog;
  // machine.inf of another Windows release: same name, older version.
  catalog.add("machine.inf", "PCI\\VEN_8086&DEV_15F3&SUBSYS_00008086", "06/21/2006,10.0.19041.1");
  const auto& store = catalog.store();
  Device d = with_driver(net_card(), "machine.inf", "06/21/2006", "10.0.22621.2506");
  d.driver->section = "Inst";
  d.driver->rank = 0x00FF0001;
  auto a = run(store, d);
  CHECK_FALSE(a.installed.own);  // another version: another package
  CHECK(a.installed.rank_source == audit::RankSource::os);
  CHECK(*a.installed.rank == 0x00FF0001);   // Windows' rank is kept
  CHECK(a.verdict == Verdict::up_to_date);  // the older machine.inf is not offered as an update
  REQUIRE(a.best);
  CHECK(a.best->entry.version.to_string() == "10.0.19041.1");

  // The same package: recognised, and not offered to itself.
  d = with_driver(net_card(), "machine.inf", "06/21/2006", "10.0.19041.1");
  d.driver->section = "Inst";
  a = run(store, d);
  REQUIRE(a.installed.own);
  CHECK(a.installed.rank_source == audit::RankSource::catalog);
  CHECK(a.verdict == Verdict::up_to_date);
  CHECK_FALSE(a.best);
  // Another section of the same name and DriverVer is not its own line either.
  d.driver->section = "OtherInst";
  CHECK_FALSE(run(store, d).installed.own);
}

TEST_CASE("a signed driver outranks a newer unsigned one") {
  CatalogFixture catalog;
  catalog.add("signed.inf", "PCI\\VEN_8086&DEV_15F3", "05/01/2020,1.0.0.0");
  catalog.add("unsigned.inf", "PCI\\VEN_8086&DEV_15F3&SUBSYS_00008086&REV_03", "05/01/2025,9.0.0.0",
              Signing::unsigned_package);
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
  audit::AuditorOptions options;
  options.platform = audit::Platform::linux;
  options.target = kWin11;
  const audit::Auditor linux_auditor(store, &aliases, options);
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

TEST_CASE("signature status: only an INF that is a member of its catalog is signed") {
  CatalogFixture catalog;
  catalog.add("signed.inf", "PCI\\VEN_8086&DEV_15F3&SUBSYS_00008086&REV_03", "05/01/2020,1.0.0.0");
  catalog.add("modded.inf", "PCI\\VEN_8086&DEV_15F3&SUBSYS_00008086&REV_03", "05/01/2020,1.0.0.0",
              Signing::modified_after_signing);
  catalog.add("nocat.inf", "PCI\\VEN_8086&DEV_15F3&SUBSYS_00008086&REV_03", "05/01/2020,1.0.0.0",
              Signing::catalog_missing);
  catalog.add("badcat.inf", "PCI\\VEN_8086&DEV_15F3&SUBSYS_00008086&REV_03", "05/01/2020,1.0.0.0",
              Signing::garbage_catalog);
  catalog.add("plain.inf", "PCI\\VEN_8086&DEV_15F3&SUBSYS_00008086&REV_03", "05/01/2020,1.0.0.0",
              Signing::unsigned_package);
  const auto a = run(catalog.store(), net_card());
  REQUIRE(a.candidates.size() == 5);
  CHECK(a.candidates[0].entry.inf_name == "signed.inf");  // the only trusted one ranks first
  std::map<std::string, std::pair<inf::SignatureStatus, std::string>> seen;
  for (const auto& c : a.candidates) seen[c.entry.inf_name] = {c.entry.signature.status, rank::hex(c.value())};
  CHECK(seen["signed.inf"] == std::make_pair(inf::SignatureStatus::signed_by_catalog, std::string("0x00FF0000")));
  CHECK(seen["modded.inf"] == std::make_pair(inf::SignatureStatus::not_in_catalog, std::string("0x80FF0000")));
  CHECK(seen["nocat.inf"] == std::make_pair(inf::SignatureStatus::catalog_missing, std::string("0x80FF0000")));
  CHECK(seen["badcat.inf"] == std::make_pair(inf::SignatureStatus::catalog_invalid, std::string("0x80FF0000")));
  CHECK(seen["plain.inf"] == std::make_pair(inf::SignatureStatus::unsigned_package, std::string("0x80FF0000")));
  CHECK(a.candidates[0].entry.signature.signer == "Contoso Hardware Publisher");
  CHECK(a.candidates[0].entry.signature.signed_at == "2024-05-21T10:11:12Z");
  // Membership is what drvaudit proves; the chain is the platform's to judge, and is never guessed.
  CHECK(a.candidates[0].entry.signature.chain == inf::ChainStatus::not_checked);
#ifdef _WIN32
  CHECK_THAT(a.candidates[0].entry.signature.detail,
             Catch::Contains("under Wine") && Catch::Contains("WinVerifyTrust answered 0x"));
#else
  CHECK_THAT(a.candidates[0].entry.signature.detail, Catch::Contains("Linux has no Windows driver trust store"));
#endif
  const auto text = audit::explain(a);
  CHECK_THAT(text, Catch::Contains("signature: signed: the INF's hash is a member of its catalog (x.cat), signer "
                                   "Contoso Hardware Publisher"));
  CHECK_THAT(text, Catch::Contains("not signed: the INF is not in its catalog (modified after signing)"));
}

TEST_CASE("a catalog that changes beside an unchanged INF is read again") {
  test::TempDir dir;
  catalog::Store store(dir / "catalog.db", catalog::Store::Mode::read_write);
  const std::string inf =
      "[Version]\nSignature=$Windows "
      "NT$\nCatalogFile=x.cat\nDriverVer=01/01/2024,1.0.0.0\n[Manufacturer]\nM=M,NTamd64\n"
      "[M.NTamd64]\nD=I,PCI\\VEN_1&DEV_2\n";
  test::write_file(dir / "pkg" / "a.inf", inf);
  catalog::index_folder(store, dir / "pkg", {});
  CHECK(store.lookup("PCI\\VEN_1&DEV_2").at(0).signature.status == inf::SignatureStatus::catalog_missing);
  test::write_file(dir / "pkg" / "x.cat", test::make_security_catalog({inf}));
  const auto report = catalog::index_folder(store, dir / "pkg", {});
  CHECK(report.updated == 1);
  CHECK(store.lookup("PCI\\VEN_1&DEV_2").at(0).signature.status == inf::SignatureStatus::signed_by_catalog);
  CHECK(catalog::index_folder(store, dir / "pkg", {}).unchanged == 1);
}

TEST_CASE("one catalog, two machines of different Windows versions, two answers") {
  CatalogFixture catalog;
  // A vendor package with a Windows 10 section and a Windows 11 (22000+) section of newer drivers,
  // and a legacy package for Windows 7 x86 only.
  catalog.add("vendor.inf", "", "05/01/2024,3.0.0.0", Signing::signed_by_catalog,
              "ACME=M,NTamd64.10.0,NTamd64.10.0...22000",
              "[M.NTamd64.10.0]\n%Desc%=Inst,PCI\\VEN_8086&DEV_15F3&SUBSYS_00008086\n"
              "[M.NTamd64.10.0...22000]\n%Desc%=Inst11,PCI\\VEN_8086&DEV_15F3&SUBSYS_00008086&REV_03\n[Inst11.NT]\n");
  catalog.add("legacy.inf", "", "05/01/2015,1.5.0.0", Signing::signed_by_catalog, "ACME=M,NTx86.6.1",
              "[M.NTx86.6.1]\n%Desc%=Inst,PCI\\VEN_8086&DEV_15F3\n");
  const auto& store = catalog.store();
  Device d = with_driver(net_card(), "oem1.inf", "01/01/2020", "1.0.0.0");
  d.driver->rank = 0x00FF0001;

  const auto win11 = run(store, d, inf::TargetOs::parse("10.0.22631", "amd64"));
  REQUIRE(win11.best);
  CHECK(win11.best->entry.models_section == "M.NTamd64.10.0...22000");
  CHECK(win11.verdict == Verdict::update_available);  // REV_03 hardware ID #0 beats 0x00FF0001
  const auto win10 = run(store, d, inf::TargetOs::parse("10.0.19045", "amd64"));
  REQUIRE(win10.best);
  CHECK(win10.best->entry.models_section == "M.NTamd64.10.0");
  CHECK(win10.verdict == Verdict::update_available);  // same rank, newer
  CHECK(win10.other_targets == 2);
  const auto win7 = run(store, d, inf::TargetOs::parse("6.1.7601", "x86"));
  REQUIRE(win7.best);
  CHECK(win7.best->entry.inf_name == "legacy.inf");
  CHECK(run(store, d, inf::TargetOs::parse("6.1.7601", "amd64")).verdict == Verdict::no_catalog_data);
}

TEST_CASE("Windows Update's offers rank like any candidate, and their missing version is said, never guessed") {
  CatalogFixture catalog;
  catalog.add("vendor.inf", "PCI\\VEN_8086&DEV_15F3&SUBSYS_00008086", "01/10/2021,1.0.0.0");
  windows_update::DriverSearch search;
  search.available = true;
  search.offers.push_back({"Intel - Net - 2.1", "PCI\\VEN_8086&DEV_15F3&SUBSYS_00008086", "Intel", "Ethernet I226",
                           "Intel", "Net", "2025-06-01"});
  test::TempDir dir;
  {
    catalog::Store writable(dir / "wu.db", catalog::Store::Mode::read_write);
    catalog.store();  // writes the packages' files
    catalog::index_folder(writable, catalog.folder(), {});
    windows_update::store_offers(writable, search, "amd64");
    windows_update::store_offers(writable, search, "amd64");  // a second search replaces the first
  }
  const catalog::Store store(dir / "wu.db", catalog::Store::Mode::read_only);
  const auto entries = store.lookup("PCI\\VEN_8086&DEV_15F3&SUBSYS_00008086");
  REQUIRE(entries.size() == 2);
  const auto a = run(store, with_driver(net_card(), "vendor.inf", "01/10/2021", "1.0.0.0"));
  REQUIRE(a.best);
  CHECK(a.best->entry.source_kind == "windows-update");
  CHECK(a.best->entry.date.to_iso() == "2025-06-01");
  CHECK(rank::hex(a.best->value()) == "0x00FF0001");  // signed, hardware ID #1: the installed driver's rank
  CHECK(a.verdict == Verdict::update_available);      // same rank, newer date
  CHECK_THAT(a.reason, Catch::Contains("version not published by Windows Update"));

  // Same date: only a version could decide, and Windows Update gives none.
  windows_update::DriverSearch same = search;
  same.offers[0].date = "2021-01-10";
  {
    catalog::Store writable(dir / "wu.db", catalog::Store::Mode::read_write);
    windows_update::store_offers(writable, same, "amd64");
  }
  const catalog::Store again(dir / "wu.db", catalog::Store::Mode::read_only);
  CHECK(run(again, with_driver(net_card(), "vendor.inf", "01/10/2021", "1.0.0.0")).verdict == Verdict::possible_update);

  // Unavailable: the old offers are gone, nothing stands in for them.
  {
    catalog::Store writable(dir / "wu.db", catalog::Store::Mode::read_write);
    windows_update::store_offers(writable, {false, "Windows Update source unavailable", {}}, "amd64");
  }
  const catalog::Store none(dir / "wu.db", catalog::Store::Mode::read_only);
  CHECK(none.lookup("PCI\\VEN_8086&DEV_15F3&SUBSYS_00008086").size() == 1);
}
