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

std::vector<std::string> sections_chosen(const std::string& manufacturer_line, const std::string& rest,
                                         const TargetOs& t) {
  std::vector<std::string> out;
  for (const auto& m : load_package(inf_with(manufacturer_line, rest), "x.inf", t).models)
    out.push_back(m.models_section);
  return out;
}
}  // namespace

TEST_CASE("the Version section: provider, class, class GUID, DriverVer and the catalog file") {
  const auto pkg = load_package(inf_with("%P%=M,NTamd64", "[M.NTamd64]\nD=Inst,PCI\\VEN_1&DEV_2"), "x.inf", kWin11);
  CHECK(pkg.provider == "ACME Corp");
  CHECK(pkg.class_name == "Net");
  CHECK(pkg.class_guid == "{4d36e972-e325-11ce-bfc1-08002be10318}");
  CHECK(pkg.driver_ver.date.to_iso() == "2022-05-21");
  CHECK(pkg.driver_ver.version == drvaudit::DriverVersion(1, 2, 3, 4));
  CHECK(pkg.catalog_file == "x.cat");
  CHECK(pkg.is_signed());
  CHECK_FALSE(pkg.template_reason.has_value());
}

TEST_CASE("CatalogFile.NTamd64 wins over CatalogFile.NT and CatalogFile for amd64") {
  const std::string inf =
      "[Version]\nSignature=$Windows "
      "NT$\nCatalogFile=all.cat\nCatalogFile.NT=nt.cat\nCatalogFile.NTamd64=amd64.cat\nDriverVer=1/1/2020\n";
  CHECK(load_package(inf, "x.inf", kWin11).catalog_file == "amd64.cat");
  CHECK(load_package(inf, "x.inf", TargetOs::parse("10.0.22631", "arm64")).catalog_file == "nt.cat");
  CHECK_FALSE(load_package("[Version]\nSignature=$Chicago$\nDriverVer=1/1/2020\n", "x.inf", kWin11).is_signed());
}

TEST_CASE("files that are not INFs are refused with the reason") {
  CHECK_THROWS_AS(load_package("", "x.inf", kWin11), NotAnInf);
  CHECK_THROWS_WITH(load_package("[Version]\nSignature=\"$Linux$\"\n", "x.inf", kWin11),
                    Catch::Contains("Signature is '$Linux$'"));
  CHECK_THROWS_WITH(load_package("[Version]\nClass=Net\n", "x.inf", kWin11), Catch::Contains("no Signature"));
  std::string binary("MSCF\0\0\0\0\x91\x02\0\0", 12);  // a CAB header: like setup.inx, not text at all
  for (int i = 0; i < 2000; ++i) binary += static_cast<char>((i * 37) & 0xFF);
  CHECK_THROWS_WITH(load_package(binary, "setup.inx", kWin11), Catch::Contains("not an INF file"));
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
      load_package("[Version]\nSignature=$Windows NT$\nDriverVer=%D%,%V%\n[Strings]\nD=06/14/2023\nV=31.0.101.4502\n",
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
    return load_package(inf_with(line, models), "x.inf", TargetOs::parse(version, "amd64"))
        .models.at(0)
        .install_section;
  };
  CHECK(chosen("10.0.22631") == "Inst_Win10");
  CHECK(chosen("6.3.9600") == "Inst_Win7");
  CHECK(load_package(inf_with(line, models), "x.inf", TargetOs::parse("6.0.6000", "amd64")).models.empty());
}

TEST_CASE("TargetOS: architecture, no-arch decorations, undecorated sections and higher OS versions") {
  CHECK(sections_chosen("%P%=Ex,NTx86", "[Ex.NTx86]\nD=Inst,HWID", kWin11).empty());
  CHECK(sections_chosen("%P%=Ex,NTx86", "[Ex.NTx86]\nD=Inst,HWID", TargetOs::parse("10.0.22631", "x86")).size() == 1);
  CHECK(sections_chosen("%P%=Ex,NT.10.0...14393", "[Ex.NT.10.0...14393]\nD=Inst,HWID", kWin11).size() ==
        1);                                                               // any architecture
  CHECK(sections_chosen("%P%=Ex", "[Ex]\nD=Inst,HWID", kWin11).empty());  // undecorated: x86 only
  CHECK(sections_chosen("%P%=Ex", "[Ex]\nD=Inst,HWID", TargetOs::parse("10.0.22631", "x86")).size() == 1);
  // The build number counts only at the exact OS version.
  CHECK(sections_chosen("%P%=Ex,NTamd64.6.3...99999", "[Ex.NTamd64.6.3...99999]\nD=Inst,HWID", kWin11).size() == 1);
  // Two manufacturer lines each contribute their own section.
  CHECK(sections_chosen("%P%=A,NTamd64\n%P%=B,NTamd64", "[A.NTamd64]\nD=Inst,H1\n[B.NTamd64]\nD=Inst,H2", kWin11)
            .size() == 2);
}

TEST_CASE("Models lines: the hardware ID, the compatible IDs in order, substituted") {
  const auto pkg = load_package(inf_with("%P%=M,NTamd64",
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
  const auto pkg = load_package(inf_with("%P%=M,NTamd64", body), "x.inf", kWin11);
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
  auto reason = [](const std::string& inf) { return load_package(inf, "x.inx", kWin11).template_reason.value_or(""); };
  CHECK_THAT(reason("[Version]\nSignature=$Windows NT$\nDriverVer=1/1/2020\n[Manufacturer]\n%P%=M,NT$ARCH$\n"),
             Catch::Contains("$ARCH$"));
  CHECK_THAT(reason("[Version]\nSignature=$Windows NT$\nDriverVer = ; TODO: set DriverVer in stampinf\n"),
             Catch::Contains("stampinf"));
  CHECK_THAT(reason("[Version]\nSignature=$Windows NT$\nDriverVer=#DRIVER_DATE#,#DRIVER_VERSION#\n"),
             Catch::Contains("#DRIVER_DATE#"));
  CHECK_THAT(reason("[Version]\nSignature=$Windows NT$\nDriverVer=1/1/2020,@MAJOR@.0\n"), Catch::Contains("@MAJOR@"));
  CHECK(reason("[Version]\nSignature=$CHICAGO$\nDriverVer=1/1/2020\n").empty());  // the signature is no placeholder
}
