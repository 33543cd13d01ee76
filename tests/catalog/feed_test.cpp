#include <catch2/catch.hpp>

#include "catalog/feed.hpp"
#include "catalog/minisign.hpp"

using namespace drvaudit;

namespace {
feed::Feed sample() {
  feed::Feed f;
  f.publisher = "ACME IT";
  f.generated_at = "2026-11-21T10:00:00Z";
  f.target = inf::TargetOs::parse("10.0.22631", "amd64");
  feed::Package p;
  p.package.inf_name = "net.inf";
  p.package.provider = "ACME";
  p.package.class_name = "Net";
  p.package.class_guid = "{4d36e972-e325-11ce-bfc1-08002be10318}";
  p.package.catalog_file = "net.cat";
  p.package.driver_ver = {DriverDate::parse("05/21/2022"), DriverVersion(1, 2, 3, 4)};
  p.package.has_driver_ver = true;
  inf::ModelEntry m;
  m.manufacturer = "ACME";
  m.description = "ACME NIC";
  m.models_section = "M.NTamd64";
  m.install_section = "Inst";
  m.ddinstall_section = "Inst.NT";
  m.nt_extension = true;
  m.hardware_id = "PCI\\VEN_8086&DEV_1234";
  m.compatible_ids = {"PCI\\CC_0200"};
  m.feature_score = 0xFE;
  m.driver_ver = p.package.driver_ver;
  m.line = 12;
  p.package.models = {m};
  p.path = "net.inf";
  p.architectures = {"amd64"};
  p.download = {"packages/net.zip", 1234, std::string(64, 'a'), "zip"};
  f.packages = {p};
  return f;
}
}  // namespace

TEST_CASE("a feed round-trips through its JSON form") {
  const auto text = feed::serialize(sample());
  const auto back = feed::parse(text, "memory");
  REQUIRE(back.packages.size() == 1);
  const auto& m = back.packages[0].package.models.at(0);
  CHECK(m.hardware_id == "PCI\\VEN_8086&DEV_1234");
  CHECK(m.feature_score == 0xFE);
  CHECK(m.ddinstall_section == "Inst.NT");
  CHECK(back.packages[0].package.driver_ver.version == DriverVersion(1, 2, 3, 4));
  CHECK(feed::serialize(back) == text);
}

TEST_CASE("bad feeds are refused with the JSON path of the problem") {
  const auto good = feed::serialize(sample());
  auto replaced = [&](const std::string& from, const std::string& to) {
    auto s = good;
    const auto at = s.find(from);
    REQUIRE(at != std::string::npos);
    return s.replace(at, from.size(), to);
  };
  const std::vector<std::pair<std::string, std::string>> cases = {
      {good.substr(0, good.size() / 2), "invalid JSON at byte"},
      {replaced("drvaudit-feed/1", "drvaudit-feed/2"), "at /schema: unsupported schema"},
      {replaced("\"1.2.3.4\"", "\"1.2.3.x\""), "at /packages/0/driver_version"},
      {replaced("\"feature_score\": 254", "\"feature_score\": 300"), "at /packages/0/models/0/feature_score"},
      {replaced(std::string(64, 'a'), "not-a-hash"), "at /packages/0/download/sha256"},
      {replaced("\"trusted\"", "\"unsigned\""), "at /packages/0/signer"},
      {replaced("\"zip\"", "\"rar\""), "at /packages/0/download/format"},
      {replaced("\"10.0.22631 amd64\"", "\"windows\""), "at /target"},
      {"{\"schema\":\"drvaudit-feed/1\",\"n\":36e968}", "invalid JSON"},
  };
  for (const auto& [text, expected] : cases) {
    INFO(text.substr(0, 100));
    CHECK_THROWS_WITH(feed::parse(text, "f.json"), Catch::Contains("feed f.json") && Catch::Contains(expected));
  }
}

TEST_CASE("minisign: malformed keys and signatures are refused with the reason") {
  CHECK_THROWS_WITH(minisign::parse_public_key("not base64!"), Catch::Contains("base64"));
  CHECK_THROWS_WITH(minisign::parse_public_key("AAAA"), Catch::Contains("not a minisign Ed25519 public key"));
  CHECK_THROWS_WITH(minisign::parse_public_key(""), Catch::Contains("is empty"));  // the fuzzer's first finding
  // A key minisign made (untrusted comment line and key line).
  const auto key = minisign::parse_public_key(
      "untrusted comment: minisign public key "
      "C9B9D1C1BC6A383\nRWSDo8YbHJ2bDD5itLIV1a0bjhKmYhVAiggk2N5yjYqXwtTnmR669/cn\n");
  CHECK(key.key_id_hex() == "0C9B9D1C1BC6A383");
  const std::string signature =
      "untrusted comment: signature from minisign secret key\n"
      "RUSDo8YbHJ2bDLUH8xuVwLtkTghphHHki1xaoCzxKcd8INEMQUU+O6vo0BcsuGN2o8WJg+bKi8tMN9lzOgK0xwJsQvgPASoDeg8=\n"
      "trusted comment: timestamp:1795260133\tfile:msg\thashed\n"
      "3cuca2lB6JM8RREHSbf2jlPrQ7OqSbtsrU6o0rGXlfJarXzHqIDkqsUBatmPQK9lq2Gv0Oem+d3MdnzQ6lZ/Ag==\n";
  CHECK(minisign::verify("hello\n", signature, key) == "timestamp:1795260133\tfile:msg\thashed");
  CHECK_THROWS_WITH(minisign::verify("hellO\n", signature, key), Catch::Contains("does not match"));
  auto bad_comment = signature;
  bad_comment.replace(bad_comment.find("file:msg"), 8, "file:xxx");
  CHECK_THROWS_WITH(minisign::verify("hello\n", bad_comment, key), Catch::Contains("trusted comment"));
  CHECK_THROWS_WITH(minisign::verify("hello\n", "garbage", key), Catch::Contains("malformed signature file"));
}
