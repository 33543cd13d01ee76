#include <catch2/catch.hpp>

#include <functional>
#include <nlohmann/json.hpp>

#include "catalog/feed.hpp"
#include "catalog/minisign.hpp"
#include "tests/catalog/sample_feed.hpp"

using namespace drvaudit;

TEST_CASE("a feed round-trips through its JSON form") {
  const auto text = feed::serialize(test::sample_feed());
  const auto back = feed::parse(text, "memory");
  REQUIRE(back.packages.size() == 1);
  const auto& m = back.packages[0].package.models.at(0);
  CHECK(m.hardware_id == "PCI\\VEN_8086&DEV_1234");
  CHECK(m.feature_score == 0xFE);
  CHECK(m.ddinstall_section == "Inst.NT");
  CHECK(m.decoration == "NTamd64");
  CHECK(m.line_decorations == std::vector<std::string>{"NTamd64"});
  CHECK(back.packages[0].package.signatures.at(0).status == inf::SignatureStatus::signed_by_catalog);
  CHECK(back.packages[0].package.signatures.at(0).signer == "ACME Signing");
  CHECK(back.packages[0].package.driver_ver.version == DriverVersion(1, 2, 3, 4));
  CHECK(feed::serialize(back) == text);
}

TEST_CASE("bad feeds are refused with the JSON path of the problem") {
  const auto good = feed::serialize(test::sample_feed());
  auto replaced = [&](const std::string& from, const std::string& to) {
    auto s = good;
    const auto at = s.find(from);
    REQUIRE(at != std::string::npos);
    return s.replace(at, from.size(), to);
  };
  const std::vector<std::pair<std::string, std::string>> cases = {
      {good.substr(0, good.size() / 2), "the JSON ends early at line"},
      {replaced("drvaudit-feed/2", "drvaudit-feed/1"), "at /schema: unsupported schema"},
      {replaced("\"1.2.3.4\"", "\"1.2.3.x\""), "at /packages/0/driver_version"},
      {replaced("\"feature_score\": 254", "\"feature_score\": 300"), "at /packages/0/models/0/feature_score"},
      {replaced(std::string(64, 'a'), "not-a-hash"), "at /packages/0/download/sha256"},
      {replaced("\"status\": \"signed\"", "\"status\": \"trusted\""), "at /packages/0/signatures/0/status"},
      {replaced("\"status\": \"signed\"", "\"status\": \"unsigned\""),
       "at /packages/0/signatures/0: an unsigned package names no catalog file"},
      {replaced("\"arch\": \"amd64\",\n          \"catalog_file\"", "\"arch\": \"x64\",\n          \"catalog_file\""),
       "at /packages/0/signatures/0/arch: expected x86, amd64"},
      {replaced("\"decoration\": \"NTamd64\"", "\"decoration\": \"NTx86\""),
       "at /packages/0/models/0: \"arch\" amd64 is not the architecture of the decoration \"NTx86\""},
      {replaced("\"decoration\": \"NTamd64\"", "\"decoration\": \"Win10\""),
       "at /packages/0/models/0/decoration: \"Win10\" is not a TargetOSVersion decoration"},
      {replaced("\"zip\"", "\"rar\""), "at /packages/0/download/format"},
      {"{\"schema\":\"drvaudit-feed/2\",\"n\":36e968}", "number overflow"},
  };
  for (const auto& [text, expected] : cases) {
    INFO(text.substr(0, 100));
    CHECK_THROWS_WITH(feed::parse(text, "f.json"), Catch::Contains("feed f.json") && Catch::Contains(expected) &&
                                                       !Catch::Contains("json.exception"));
  }
}

namespace {
std::string parse_error_of(const nlohmann::json& doc) {
  try {
    (void)feed::parse(doc.dump(), "f.json");
  } catch (const ParseError& e) {
    return e.what();
  }
  return "(no error)";
}
}  // namespace

TEST_CASE("the feed reader reports each kind of mistake at its JSON Pointer") {
  using nlohmann::json;
  struct Case {
    std::function<void(json&)> edit;
    std::string expected;
  };
  const std::vector<Case> cases = {
      {[](json& d) { d["packages"][1].erase("inf"); }, "at /packages/1: missing required key \"inf\""},
      {[](json& d) { d.erase("publisher"); }, "at /: missing required key \"publisher\""},
      {[](json& d) { d["packages"][1]["models"][0]["arch"] = "arm64"; },
       "at /packages/1/models/0: \"arch\" arm64 is not the architecture of the decoration"},
      {[](json& d) {
         d["packages"][1]["models"][0]["arch"] = "x86";
         d["packages"][1]["models"][0]["decoration"] = "NTx86";
       },
       "at /packages/1/models: Models line 0 is for x86 but \"signatures\" has no entry for that architecture"},
      {[](json& d) { d["packages"][1]["models"][0]["line_decorations"] = "NTamd64"; },
       "at /packages/1/models/0/line_decorations: expected an array of strings"},
      {[](json& d) { d["packages"][1]["models"][1].erase("line"); },
       "at /packages/1/models/1: missing required key \"line\""},
      {[](json& d) { d["packages"][1]["models"][1]["line"] = "20"; },
       "at /packages/1/models/1/line: expected an integer from 0 to 10000000"},
      {[](json& d) { d["packages"][0]["models"][0]["feature_score"] = 1.5; },
       "at /packages/0/models/0/feature_score: expected an integer"},
      {[](json& d) { d["packages"][0]["download"]["size"] = 18446744073709551615ull; },
       "at /packages/0/download/size: expected an integer"},
      {[](json& d) { d["packages"][0]["download"]["size"] = -1; }, "at /packages/0/download/size: expected an integer"},
      {[](json& d) { d["packages"][0]["provider"] = nullptr; }, "at /packages/0/provider: expected a string"},
      {[](json& d) { d["packages"][0]["provider"] = json::array(); }, "at /packages/0/provider: expected a string"},
      {[](json& d) { d["packages"][0]["models"][0]["nt_extension"] = "yes"; },
       "at /packages/0/models/0/nt_extension: expected true or false"},
      {[](json& d) {
         d["packages"][1]["architectures"] = {"amd64", 64};
       },
       "at /packages/1/architectures/1: expected a string"},
      {[](json& d) { d["packages"][1]["architectures"] = "amd64"; },
       "at /packages/1/architectures: expected an array of strings"},
      {[](json& d) { d["packages"][0]["models"][1]["compatible_ids"] = {json::object()}; },
       "at /packages/0/models/1/compatible_ids/0: expected a string"},
      {[](json& d) {
         d["packages"][1]["models"] = {json::object(), "x"};
       },
       "at /packages/1/models/0: missing required key \"manufacturer\""},
      {[](json& d) { d["packages"][1]["models"] = {"x"}; }, "at /packages/1/models/0: expected an object"},
      {[](json& d) { d["packages"][1]["models"] = {json::array()}; }, "at /packages/1/models/0: expected an object"},
      {[](json& d) { d["packages"] = json::object(); }, "at /packages: expected an array"},
      {[](json& d) { d["packages"][0]["download"] = "packages/net.zip"; },
       "at /packages/0/download: expected an object"},
      {[](json& d) { d["packages"][0]["download"]["format"] = "rar"; }, "at /packages/0/download/format"},
      // Paths and URLs the updater would act on: only relative, normalised paths and HTTPS.
      {[](json& d) { d["packages"][0]["path"] = "../../Windows/System32/evil.inf"; },
       "at /packages/0/path: expected a relative path"},
      {[](json& d) { d["packages"][0]["path"] = "/etc/passwd"; }, "at /packages/0/path: expected a relative path"},
      {[](json& d) { d["packages"][0]["path"] = "C:\\Windows\\a.inf"; },
       "at /packages/0/path: expected a relative path"},
      {[](json& d) { d["packages"][0]["path"] = "a/./b.inf"; }, "at /packages/0/path: expected a relative path"},
      {[](json& d) { d["packages"][0]["inf"] = "../x.inf"; }, "at /packages/0/inf: expected a file name"},
      {[](json& d) { d["packages"][0]["download"]["url"] = "file:///etc/passwd"; }, "at /packages/0/download/url"},
      {[](json& d) { d["packages"][0]["download"]["url"] = "http://drivers.example/a.zip"; },
       "at /packages/0/download/url: expected an https:// URL"},
      {[](json& d) { d["packages"][0]["download"]["url"] = "//evil.example/a.zip"; }, "at /packages/0/download/url"},
      {[](json& d) { d["packages"][0]["download"]["url"] = "../../a.zip"; }, "at /packages/0/download/url"},
      {[](json& d) { d["packages"][0]["download"]["sha256"] = std::string(64, 'A'); },
       "at /packages/0/download/sha256: expected 64 lower-case hex digits"},
      {[](json& d) { d["packages"][1]["signatures"][0]["catalog_file"] = ""; },
       "at /packages/1/signatures/0: an unsigned package names no catalog file"},
      {[](json& d) { d["packages"][1]["signatures"] = {"x"}; }, "at /packages/1/signatures/0: expected an object"},
      {[](json& d) {
         d["packages"][1]["models"][0]["hardware_id"] = "";
         d["packages"][1]["models"][0]["compatible_ids"] = json::array();
       },
       "at /packages/1/models/0: a Models line needs a hardware ID or a compatible ID"},
      {[](json& d) { d["packages"][0]["driver_date"] = "21/05/2022"; },
       "at /packages/0/driver_date: \"21/05/2022\" is not a YYYY-MM-DD date"},
      {[](json& d) { d = json::array({d}); }, "at /: expected a JSON object"},
      {[](json& d) { d = "feed"; }, "at /: expected a JSON object"},
  };
  for (const auto& c : cases) {
    auto doc = test::sample_feed_document();
    c.edit(doc);
    INFO(doc.dump().substr(0, 300));
    CHECK_THAT(parse_error_of(doc), Catch::Contains("feed f.json: " + c.expected));
  }
}

TEST_CASE("the feed reader accepts relative and https download URLs and nested package paths") {
  auto doc = test::sample_feed_document();
  doc["packages"][0]["download"]["url"] = "https://cdn.example/drivers/net%20card.zip?sig=1";
  doc["packages"][1]["download"]["url"] = "packages/v2/net.zip";
  doc["packages"][1]["path"] = "x64/net.inf";
  const auto parsed = feed::parse(doc.dump(), "f.json");
  CHECK(parsed.packages[0].download.url == "https://cdn.example/drivers/net%20card.zip?sig=1");
  CHECK(parsed.packages[1].path == "x64/net.inf");
}

TEST_CASE("the feed reader skips keys it does not know, at every level") {
  auto doc = test::sample_feed_document();
  doc["comment"] = {{"nested", {1, 2, {{"inf", 3}}}}, {"packages", "not these"}};
  doc["packages"][0]["x-vendor"] = nlohmann::json::array({nlohmann::json::object({{"models", nullptr}})});
  doc["packages"][1]["models"][1]["x-note"] = 1.5;
  doc["packages"][1]["download"]["mirrors"] = {"https://example.invalid/a.zip"};
  const auto parsed = feed::parse(doc.dump(), "f.json");
  REQUIRE(parsed.packages.size() == 2);
  CHECK(parsed.packages[1].package.inf_name == "second.inf");
  REQUIRE(parsed.packages[1].package.models.size() == 2);
  CHECK(parsed.packages[1].package.models[1].hardware_id == "PCI\\VEN_8086&DEV_5678");
  CHECK(parsed.packages[1].download.url == "packages/net.zip");
  // What was read is exactly the feed without the extra keys.
  CHECK(feed::serialize(parsed) == feed::serialize(feed::parse(test::sample_feed_document().dump(), "f.json")));
}

TEST_CASE("a key given twice is refused: the feed would be ambiguous") {
  auto text = test::sample_feed_document().dump();
  const auto at = text.find("\"provider\":");
  REQUIRE(at != std::string::npos);
  text.insert(at, "\"provider\":\"Other\",");
  CHECK_THROWS_WITH(feed::parse(text, "f.json"), Catch::Contains("at /packages/0/provider: duplicate key"));
}

TEST_CASE("a streamed feed hands over its packages in order and keeps only the header") {
  const auto text = test::sample_feed_document().dump();
  std::vector<std::string> seen;
  const auto header = feed::parse(text, "f.json", [&](feed::Package&& p) {
    CHECK(p.package.models.size() == 2);
    seen.push_back(p.package.inf_name);
  });
  CHECK(seen == std::vector<std::string>{"net.inf", "second.inf"});
  CHECK(header.packages.empty());
  CHECK(header.publisher == "ACME IT");
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
