#include <catch2/catch.hpp>

#include "catalog/ranking.hpp"

using namespace drvaudit::rank;

// driver-rank-example (windows-driver-facts.md §1.1): device HWIDs H1,H2 and CIDs C1,C2; the INF
// entry "Desc=Sec,INF_H1,INF_C1,INF_C2". Each pairing alone gives Microsoft's identifier score.
TEST_CASE("Microsoft's worked rank example, reproduced exactly") {
  const std::vector<std::string> entry_cids = {"INF_C1", "INF_C2"};
  auto score = [&](std::vector<std::string> hw, std::vector<std::string> compat) {
    return best_identifier_match(hw, compat, "INF_H1", entry_cids);
  };
  // H1 = INF_H1: 0xSSGG0000
  auto m = score({"INF_H1", "H2"}, {"C1", "C2"});
  REQUIRE(m);
  CHECK(m->score == 0x0000);
  CHECK(m->type == MatchType::hardware_to_hardware);
  // H2 = INF_C2: 0xSSGG1001 (the INF-side position does not count)
  m = score({"H1", "INF_C2"}, {"C1", "C2"});
  REQUIRE(m);
  CHECK(m->score == 0x1001);
  CHECK(m->type == MatchType::hardware_to_compatible);
  // C1 = INF_C2: 0xSSGG3100
  m = score({"H1", "H2"}, {"INF_C2", "C2"});
  REQUIRE(m);
  CHECK(m->score == 0x3100);
  // C2 = INF_C2: 0xSSGG3101
  m = score({"H1", "H2"}, {"C1", "INF_C2"});
  REQUIRE(m);
  CHECK(m->score == 0x3101);
  CHECK(m->device_position == 1);
  CHECK(m->entry_position == 1);
  // A device compatible ID matching the entry's hardware ID: 0x2000 + j
  m = score({"H1", "H2"}, {"C1", "INF_H1"});
  REQUIRE(m);
  CHECK(m->score == 0x2001);
  CHECK_FALSE(score({"H1"}, {"C1"}).has_value());

  Rank r;
  r.signature = Signature::trusted;
  r.identifier.score = 0x3101;
  CHECK(hex(r.value()) == "0x00FF3101");  // no FeatureScore: GG = FF, as "Driver Rank 00FF3101" in setupapi logs
}

TEST_CASE("the best of several matches is kept, and matching ignores case") {
  const auto m = best_identifier_match({"pci\\ven_8086&dev_1234&subsys_00000000", "PCI\\VEN_8086&DEV_1234"},
                                       {"PCI\\CC_0200"}, "PCI\\VEN_8086&DEV_1234", {"PCI\\CC_0200"});
  REQUIRE(m);
  CHECK(m->score == 0x0001);
  CHECK(m->device_id == "PCI\\VEN_8086&DEV_1234");
}

TEST_CASE("signature tiers and feature scores make up the rank") {
  Rank r;
  r.identifier.score = 0x2001;
  r.signature = Signature::trusted;
  r.feature_score = 0xE0;
  CHECK(r.value() == 0x00E02001);
  r.feature_score = 0xFF;
  r.signature = Signature::unsigned_nt;
  CHECK(r.value() == 0x80FF2001);
  r.signature = Signature::unsigned_legacy;
  CHECK(r.value() == 0xC0FF2001);
  r.signature = Signature::unknown;
  CHECK(r.value() == 0xFFFF2001);
  // Any signed driver beats any unsigned one, whatever the match.
  Rank signed_compat{Signature::trusted, 0xFF, {0x3FFF, MatchType::compatible_to_compatible, 0, 0, ""}};
  Rank unsigned_exact{Signature::unsigned_nt, 0x00, {0x0000, MatchType::hardware_to_hardware, 0, 0, ""}};
  CHECK(signed_compat.value() < unsigned_exact.value());
}

TEST_CASE("equal ranks: the newer DriverVer date wins, then the higher version") {
  using drvaudit::DriverDate;
  using drvaudit::DriverVersion;
  const auto d2022 = DriverDate::parse("05/21/2022"), d2023 = DriverDate::parse("01/01/2023");
  const auto v1 = DriverVersion::parse("1.0"), v2 = DriverVersion::parse("2.0");
  CHECK(compare(0x00FF0000, d2022, v1, 0x00FF2001, d2023, v2) < 0);  // rank first
  CHECK(compare(0x00FF2001, d2023, v1, 0x00FF2001, d2022, v2) < 0);  // then date, before version
  CHECK(compare(0x00FF2001, d2022, v2, 0x00FF2001, d2022, v1) < 0);  // then version
  CHECK(compare(0x00FF2001, d2022, v1, 0x00FF2001, d2022, v1) == 0);
  CHECK(compare(0x00FF2001, DriverDate(), v2, 0x00FF2001, d2022, v1) > 0);  // a missing date is the oldest
}
