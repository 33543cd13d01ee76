#include <catch2/catch.hpp>

#include "catalog/driver_package.hpp"

using namespace drvaudit::inf;

namespace {
const TargetOs kWin11 = TargetOs::parse("10.0.22631", "amd64");

std::string inf_with(const std::string& manufacturer_line, const std::string& rest) {
  return "[Version]\nSignature=\"$Windows "
         "NT$\"\nClass=Net\nClassGuid={4D36E972-E325-11CE-BFC1-08002BE10318}\nProvider=%P%\n"
         "CatalogFile=x.cat\nDriverVer=05/21/2022,1.2.3.4\n[Manufacturer]\n" +
         manufacturer_line + "\n" + rest + "\n[Inst]\n[Strings]\nP=\"ACME Corp\"\n";
}

// The package with only the Models lines that apply to the target, as an audit for it sees them.
DriverPackage load_for(std::string_view bytes, std::string name, const TargetOs& t) {
  auto pkg = load_package(bytes, std::move(name));
  std::vector<ModelEntry> chosen;
  for (const auto* m : pkg.models_for(t)) chosen.push_back(*m);
  pkg.models = std::move(chosen);
  return pkg;
}

std::vector<std::string> sections_chosen(const std::string& manufacturer_line, const std::string& rest,
                                         const TargetOs& t) {
  std::vector<std::string> out;
  for (const auto& m : load_for(inf_with(manufacturer_line, rest), "x.inf", t).models) out.push_back(m.models_section);
  return out;
}
}  // namespace

TEST_CASE("the Version section: provider, class, class GUID, DriverVer and the catalog file") {
  const auto pkg = load_for(inf_with("%P%=M,NTamd64", "[M.NTamd64]\nD=Inst,PCI\\VEN_1&DEV_2"), "x.inf", kWin11);
  CHECK(pkg.provider == "ACME Corp");
  CHECK(pkg.class_name == "Net");
  CHECK(pkg.class_guid == "{4d36e972-e325-11ce-bfc1-08002be10318}");
  CHECK(pkg.driver_ver.date.to_iso() == "2022-05-21");
  CHECK(pkg.driver_ver.version == drvaudit::DriverVersion(1, 2, 3, 4));
  REQUIRE(pkg.signature_for("amd64"));
  CHECK(pkg.signature_for("amd64")->catalog_file == "x.cat");
  CHECK(pkg.signature_for("amd64")->status == SignatureStatus::not_checked);  // the files beside it decide
  CHECK_FALSE(pkg.template_reason.has_value());
}

TEST_CASE("CatalogFile.NTamd64 wins over CatalogFile.NT and CatalogFile for amd64") {
  const std::string inf =
      "[Version]\nSignature=$Windows "
      "NT$\nCatalogFile=all.cat\nCatalogFile.NT=nt.cat\nCatalogFile.NTamd64=amd64.cat\nDriverVer=1/1/2020\n"
      "[Manufacturer]\nM=M,NTamd64,NTarm64,NTx86\n[M.NTamd64]\nD=I,H\n[M.NTarm64]\nD=I,H\n[M.NTx86]\nD=I,H\n";
  const auto pkg = load_package(inf, "x.inf");
  CHECK(pkg.signature_for("amd64")->catalog_file == "amd64.cat");
  CHECK(pkg.signature_for("arm64")->catalog_file == "nt.cat");
  CHECK(pkg.signature_for("x86")->catalog_file == "nt.cat");
  const auto unsigned_pkg = load_package(
      "[Version]\nSignature=$Chicago$\nDriverVer=1/1/2020\n[Manufacturer]\nM=M,NTamd64\n[M.NTamd64]\nD=I,H\n", "x.inf");
  CHECK(unsigned_pkg.signature_for("amd64")->status == SignatureStatus::unsigned_package);
}

TEST_CASE("files that are not INFs are refused with the reason") {
  CHECK_THROWS_AS(load_for("", "x.inf", kWin11), NotAnInf);
  CHECK_THROWS_WITH(load_for("[Version]\nSignature=\"$Linux$\"\n", "x.inf", kWin11),
                    Catch::Contains("Signature is '$Linux$'"));
  CHECK_THROWS_WITH(load_for("[Version]\nClass=Net\n", "x.inf", kWin11), Catch::Contains("no Signature"));
  std::string binary("MSCF\0\0\0\0\x91\x02\0\0", 12);  // a CAB header: like setup.inx, not text at all
  for (int i = 0; i < 2000; ++i) binary += static_cast<char>((i * 37) & 0xFF);
  CHECK_THROWS_WITH(load_for(binary, "setup.inx", kWin11), Catch::Contains("not an INF file"));
}

TEST_CASE("DriverVer quirks: day names, short versions, date only, %strings%, impossible dates") {
  std::vector<std::string> problems;
  auto ver = [&](std::vector<std::string> fields) {
    problems.clear();
    return parse_driver_ver(fields, problems);
  };
  auto d = ver({"Tue 05/21/2022", "1.2"});
  CHECK(d.date.to_iso() == "2022-05-21");
  CHECK(d.version == drvaudit::DriverVersion(1, 2, 0, 0));
  d = ver({"Tue", "05/21/2022", "7.0"});  // "Tue, 05/21/2022, 7.0"
  CHECK(d.date.to_iso() == "2022-05-21");
  CHECK(d.version == drvaudit::DriverVersion(7, 0, 0, 0));
  d = ver({"2/1/2023"});
  CHECK(d.date.to_iso() == "2023-02-01");
  CHECK(d.version.is_zero());
  CHECK(problems.empty());
  d = ver({"02/30/2021", "1.0.0.0"});
  CHECK(d.date.is_zero());
  REQUIRE(problems.size() == 1);
  CHECK_THAT(problems[0], Catch::Contains("02/30/2021"));
  d = ver({"01/01/2020", "1.2.3.99999"});
  CHECK(d.version.is_zero());
  CHECK_THAT(problems[0], Catch::Contains("99999"));
  // %strings% are substituted before parsing.
  const auto pkg =
      load_for("[Version]\nSignature=$Windows NT$\nDriverVer=%D%,%V%\n[Strings]\nD=06/14/2023\nV=31.0.101.4502\n",
               "x.inf", kWin11);
  CHECK(pkg.driver_ver.date.to_iso() == "2023-06-14");
  CHECK(pkg.driver_ver.version == drvaudit::DriverVersion(31, 0, 101, 4502));
}

// combining-platform-extensions-with-operating-system-versions.md, its examples.
TEST_CASE("TargetOS: a build number applies from that build on") {
  const std::string models = "[Ex.NTamd64.10.0...17134]\nD=Inst,HWID";
  CHECK(sections_chosen("%P%=Ex,NTamd64.10.0...17134", models, TargetOs::parse("10.0.16299", "amd64")).empty());
  CHECK(sections_chosen("%P%=Ex,NTamd64.10.0...17134", models, TargetOs::parse("10.0.17134", "amd64")) ==
        std::vector<std::string>{"Ex.NTamd64.10.0...17134"});
}

TEST_CASE("TargetOS: the highest applicable decoration of one line wins, an empty section means unsupported") {
  const std::string line = "%P%=Ex,NTamd64.10.0...17134,NTamd64.10.0...17763";
  const std::string models = "[Ex.NTamd64.10.0...17134]\nD=Inst,HWID\n[Ex.NTamd64.10.0...17763]\n";
  CHECK(sections_chosen(line, models, TargetOs::parse("10.0.17700", "amd64")) ==
        std::vector<std::string>{"Ex.NTamd64.10.0...17134"});
  CHECK(sections_chosen(line, models, TargetOs::parse("10.0.17763", "amd64"))
            .empty());  // "does nothing on 1809 and later"
}

TEST_CASE("TargetOS: Windows 7 and Windows 10 sections") {
  const std::string line = "%P%=Ex,NTamd64.6.1,NTamd64.10.0";
  const std::string models =
      "[Ex.NTamd64.6.1]\nD=Inst_Win7,HWID\n[Ex.NTamd64.10.0]\nD=Inst_Win10,HWID\n[Inst_Win7]\n[Inst_Win10]";
  auto chosen = [&](const char* version) {
    return load_for(inf_with(line, models), "x.inf", TargetOs::parse(version, "amd64")).models.at(0).install_section;
  };
  CHECK(chosen("10.0.22631") == "Inst_Win10");
  CHECK(chosen("6.3.9600") == "Inst_Win7");
  CHECK(load_for(inf_with(line, models), "x.inf", TargetOs::parse("6.0.6000", "amd64")).models.empty());
}

TEST_CASE("TargetOS: architecture, undecorated sections and higher OS versions") {
  const auto x86 = TargetOs::parse("10.0.22631", "x86");
  CHECK(sections_chosen("%P%=Ex,NTx86", "[Ex.NTx86]\nD=Inst,HWID", kWin11).empty());
  CHECK(sections_chosen("%P%=Ex,NTx86", "[Ex.NTx86]\nD=Inst,HWID", x86).size() == 1);
  CHECK(sections_chosen("%P%=Ex", "[Ex]\nD=Inst,HWID", kWin11).empty());  // undecorated: x86 only
  CHECK(sections_chosen("%P%=Ex", "[Ex]\nD=Inst,HWID", x86).size() == 1);
  // The build number counts only at the exact OS version.
  CHECK(sections_chosen("%P%=Ex,NTamd64.6.3...99999", "[Ex.NTamd64.6.3...99999]\nD=Inst,HWID", kWin11).size() == 1);
  // Two manufacturer lines each contribute their own section.
  CHECK(sections_chosen("%P%=A,NTamd64\n%P%=B,NTamd64", "[A.NTamd64]\nD=Inst,H1\n[B.NTamd64]\nD=Inst,H2", kWin11)
            .size() == 2);
}

// inf-manufacturer-section.md: since Windows Server 2003 SP1 a non-x86 system uses only Models
// sections decorated with its architecture.
TEST_CASE("TargetOS rule 1: on amd64, sections without an architecture (NT, NT.5.1, NT.10.0) do not apply") {
  CHECK(sections_chosen("%P%=M,NT,NT.5.1", "[M.NT]\nD=Inst,H1\n[M.NT.5.1]\nD=Inst,H2", kWin11).empty());
  CHECK(sections_chosen("%P%=M,NT.10.0...14393", "[M.NT.10.0...14393]\nD=Inst,HWID", kWin11).empty());
  CHECK(sections_chosen("%P%=M,NT.10.0...14393", "[M.NT.10.0...14393]\nD=Inst,HWID",
                        TargetOs::parse("10.0.22631", "arm64"))
            .empty());
  // x86 still takes them.
  CHECK(sections_chosen("%P%=M,NT,NT.5.1", "[M.NT]\nD=Inst,H1\n[M.NT.5.1]\nD=Inst,H2",
                        TargetOs::parse("10.0.22631", "x86")) == std::vector<std::string>{"M.NT.5.1"});
}

TEST_CASE("TargetOS rule 2: an applicable architecture decoration beats any architecture-less one") {
  const std::string body = "[M.NT.5.1]\n[M.NTamd64]\nD=Inst,HWID\n[M.NTx86]\nD=Inst,HWID\n[M.NT.6.0]\nD=Inst,HWID";
  // The empty [M.NT.5.1] must not swallow the amd64 lines, wherever it is listed.
  CHECK(sections_chosen("%P%=M,NT.5.1,NTamd64", body, kWin11) == std::vector<std::string>{"M.NTamd64"});
  CHECK(sections_chosen("%P%=M,NTamd64,NT.5.1", body, kWin11) == std::vector<std::string>{"M.NTamd64"});
  // On x86 an NTx86 section beats NT.6.0 although its version is lower.
  CHECK(sections_chosen("%P%=M,NT.6.0,NTx86", body, TargetOs::parse("10.0.19045", "x86")) ==
        std::vector<std::string>{"M.NTx86"});
}

TEST_CASE("TargetOS rule 3: a matching product type is more specific than none, whatever the order") {
  const std::string body =
      "[M.NTamd64.6.0]\nD=Inst,NO_DRV_ID\n[M.NTamd64.6.0.1]\nD=Inst,HWID\n[M.NTamd64.6.0.3]\nD=Inst,SRV_ID";
  auto server = kWin11;
  server.product_type = ProductType::server;
  for (const auto* line :
       {"%P%=M,NTamd64.6.0,NTamd64.6.0.1,NTamd64.6.0.3", "%P%=M,NTamd64.6.0.3,NTamd64.6.0.1,NTamd64.6.0"}) {
    CAPTURE(line);
    CHECK(sections_chosen(line, body, kWin11) == std::vector<std::string>{"M.NTamd64.6.0.1"});
    CHECK(sections_chosen(line, body, server) == std::vector<std::string>{"M.NTamd64.6.0.3"});
  }
  // A product type that is not the machine's never applies.
  CHECK(sections_chosen("%P%=M,NTamd64.6.0.3", body, kWin11).empty());
  // The version still comes first: NTamd64.10.0 (no product type) beats NTamd64.6.0.1.
  CHECK(sections_chosen("%P%=M,NTamd64.6.0.1,NTamd64.10.0", body + "\n[M.NTamd64.10.0]\nD=Inst,W10", kWin11) ==
        std::vector<std::string>{"M.NTamd64.10.0"});
}

TEST_CASE("TargetOS: the rules combined, and suite masks") {
  // Architecture first, then version, then product type; the build only at its exact version.
  const std::string line = "%P%=M,NT.10.0,NTamd64.6.1,NTamd64.10.0...22000,NTamd64.10.0.1..19041,NTx86.10.0";
  const std::string body =
      "[M.NT.10.0]\nD=I,A\n[M.NTamd64.6.1]\nD=I,B\n[M.NTamd64.10.0...22000]\nD=I,C\n[M.NTamd64.10.0.1..19041]\nD=I,"
      "D\n[M.NTx86.10.0]\nD=I,E";
  CHECK(sections_chosen(line, body, TargetOs::parse("10.0.22631", "amd64")) ==
        std::vector<std::string>{"M.NTamd64.10.0...22000"});
  CHECK(sections_chosen(line, body, TargetOs::parse("10.0.19045", "amd64")) ==
        std::vector<std::string>{"M.NTamd64.10.0.1..19041"});
  CHECK(sections_chosen(line, body, TargetOs::parse("10.0.17763", "amd64")) ==
        std::vector<std::string>{"M.NTamd64.6.1"});
  CHECK(sections_chosen(line, body, TargetOs::parse("6.1.7601", "amd64")) == std::vector<std::string>{"M.NTamd64.6.1"});
  CHECK(sections_chosen(line, body, TargetOs::parse("6.0.6002", "amd64")).empty());
  CHECK(sections_chosen(line, body, TargetOs::parse("10.0.19045", "x86")) == std::vector<std::string>{"M.NTx86.10.0"});
  CHECK(sections_chosen(line, body, TargetOs::parse("6.1.7601", "x86")).empty());  // NT.10.0 is too new, no base
  // A suite mask applies only when the machine has every bit of it.
  const std::string suites = "[M.NTamd64.10.0.3.80]\nD=I,DATACENTER\n[M.NTamd64.10.0]\nD=I,ANY";
  auto datacenter = kWin11;
  datacenter.product_type = ProductType::server;
  datacenter.suite_mask = 0x80 | 0x10;
  CHECK(sections_chosen("%P%=M,NTamd64.10.0,NTamd64.10.0.3.80", suites, datacenter) ==
        std::vector<std::string>{"M.NTamd64.10.0.3.80"});
  CHECK(sections_chosen("%P%=M,NTamd64.10.0,NTamd64.10.0.3.80", suites, kWin11) ==
        std::vector<std::string>{"M.NTamd64.10.0"});
}

TEST_CASE("every Models section is kept with its decoration and the one architecture it serves") {
  const auto pkg = load_package(inf_with("%P%=M,NTamd64,NTx86,NT.6.0",
                                         "[M.NTamd64]\nD=Inst,H1\n[M.NTx86]\nD=Inst,H2\n"
                                         "[M.NT.6.0]\nD=Inst,H3\n[M]\nD=Inst,H4\n[Inst.NTx86]"),
                                "x.inf");
  REQUIRE(pkg.models.size() == 4);
  CHECK(pkg.models[0].decoration == "NTamd64");
  CHECK(pkg.models[0].arch == "amd64");
  CHECK(pkg.models[0].ddinstall_section == "Inst");
  CHECK(pkg.models[1].arch == "x86");
  CHECK(pkg.models[1].ddinstall_section == "Inst.NTx86");  // resolved for the section's architecture
  CHECK(pkg.models[2].arch == "x86");
  CHECK(pkg.models[3].decoration.empty());
  CHECK(pkg.models[3].line_decorations == std::vector<std::string>{"NTamd64", "NTx86", "NT.6.0"});
  // The undecorated section is x86's fallback when no decoration applies there.
  CHECK(sections_chosen("%P%=M,NTamd64,NT.10.0", "[M.NTamd64]\nD=I,H1\n[M.NT.10.0]\nD=I,H2\n[M]\nD=I,H3",
                        TargetOs::parse("6.1.7601", "x86")) == std::vector<std::string>{"M"});
}

TEST_CASE("Models lines: the hardware ID, the compatible IDs in order, substituted") {
  const auto pkg = load_for(inf_with("%P%=M,NTamd64",
                                     "[M.NTamd64]\n%D%=Inst, PCI\\VEN_8086&DEV_1234 , PCI\\CC_0200, PCI\\CC_02\n"
                                     "%D%=Inst,,USB\\Class_03\n[Strings.0409]\nD=\"Desc, with comma\""),
                            "x.inf", kWin11);
  REQUIRE(pkg.models.size() == 2);
  CHECK(pkg.models[0].hardware_id == "PCI\\VEN_8086&DEV_1234");
  CHECK(pkg.models[0].compatible_ids == std::vector<std::string>{"PCI\\CC_0200", "PCI\\CC_02"});
  CHECK(pkg.models[0].description == "Desc, with comma");
  CHECK(pkg.models[0].line == 11);
  CHECK(pkg.models[1].hardware_id.empty());
  CHECK(pkg.models[1].compatible_ids == std::vector<std::string>{"USB\\Class_03"});
}

TEST_CASE("the install section resolves .NTamd64, then .NT, then undecorated, with FeatureScore and DriverVer") {
  const std::string body =
      "[M.NTamd64]\nA=SecA,ID_A\nB=SecB,ID_B\nC=SecC,ID_C\nD=SecD,ID_D\n"
      "[SecA.NTamd64]\nFeatureScore=0xFD\n[SecA.NT]\n[SecA]\n"
      "[SecB.NT]\nFeatureScore=xE0\nDriverVer=01/02/2024,9.9.9.9\n[SecB]\n"
      "[SecC]\n";
  const auto pkg = load_for(inf_with("%P%=M,NTamd64", body), "x.inf", kWin11);
  REQUIRE(pkg.models.size() == 4);
  CHECK(pkg.models[0].ddinstall_section == "SecA.NTamd64");
  CHECK(pkg.models[0].nt_extension);
  CHECK(pkg.models[0].feature_score == 0xFD);
  CHECK(pkg.models[1].ddinstall_section == "SecB.NT");
  CHECK(pkg.models[1].feature_score == 0xE0);
  CHECK(pkg.models[1].driver_ver.date.to_iso() == "2024-01-02");  // the DDInstall DriverVer overrides [Version]
  CHECK(pkg.models[1].driver_ver.version == drvaudit::DriverVersion(9, 9, 9, 9));
  CHECK(pkg.models[2].ddinstall_section == "SecC");
  CHECK_FALSE(pkg.models[2].nt_extension);
  CHECK(pkg.models[2].feature_score == 0xFF);
  CHECK(pkg.models[2].driver_ver.date.to_iso() == "2022-05-21");
  CHECK(pkg.models[3].ddinstall_section == "SecD");  // missing: reported
  bool reported = false;
  for (const auto& d : pkg.diagnostics) reported = reported || d.message.find("[SecD]") != std::string::npos;
  CHECK(reported);
}

TEST_CASE("build templates are recognised with the reason") {
  auto reason = [](const std::string& inf) { return load_for(inf, "x.inx", kWin11).template_reason.value_or(""); };
  CHECK_THAT(reason("[Version]\nSignature=$Windows NT$\nDriverVer=1/1/2020\n[Manufacturer]\n%P%=M,NT$ARCH$\n"),
             Catch::Contains("$ARCH$"));
  CHECK_THAT(reason("[Version]\nSignature=$Windows NT$\nDriverVer = ; TODO: set DriverVer in stampinf\n"),
             Catch::Contains("stampinf"));
  CHECK_THAT(reason("[Version]\nSignature=$Windows NT$\nDriverVer=#DRIVER_DATE#,#DRIVER_VERSION#\n"),
             Catch::Contains("#DRIVER_DATE#"));
  CHECK_THAT(reason("[Version]\nSignature=$Windows NT$\nDriverVer=1/1/2020,@MAJOR@.0\n"), Catch::Contains("@MAJOR@"));
  CHECK(reason("[Version]\nSignature=$CHICAGO$\nDriverVer=1/1/2020\n").empty());  // the signature is no placeholder
}
