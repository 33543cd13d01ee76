#include <catch2/catch.hpp>

#include "catalog/security_catalog.hpp"
#include "common/der.hpp"
#include "common/error.hpp"
#include "common/hash.hpp"
#include "tests/support/catalog_builder.hpp"
#include "tests/support/temp_dir.hpp"

using namespace drvaudit;

namespace {
const auto kFixtures = test::corpus_dir() / ".." / "fixtures" / "catalogs";
}

TEST_CASE("catalogs signed by OpenSSL: members, signer and signing time are read") {
  const auto inf = test::read_file(kFixtures / "fixture.inf");
  for (const char* name : {"fixture.cat", "fixture-sha256.cat"}) {
    INFO(name);
    const auto catalog = inf::read_security_catalog(test::read_file(kFixtures / name));
    CHECK(catalog.contains(hash::sha1_digest(inf), hash::sha256_digest(inf)));
    CHECK(catalog.signer == "Fixture Corp Test Signer");
    CHECK_THAT(catalog.signed_at, Catch::StartsWith("2026-12-01T20:19:3"));  // the two were signed a second apart
    auto modified = inf;
    modified[modified.size() - 3] = 'Q';  // one byte changed after signing
    CHECK_FALSE(catalog.contains(hash::sha1_digest(modified), hash::sha256_digest(modified)));
  }
}

TEST_CASE("catalogs in MakeCat's layout: tags in UTF-16 hex, digests in SPC_INDIRECT_DATA, either one suffices") {
  const std::string a = "[Version]\nSignature=$Windows NT$\n", b = "another file";
  using Tag = test::CatalogOptions::Tag;
  for (const auto& options :
       {test::CatalogOptions{Tag::sha1_hex_utf16, true}, test::CatalogOptions{Tag::sha1_hex_utf16, false},
        test::CatalogOptions{Tag::sha256_hex_utf16, false}, test::CatalogOptions{Tag::file_name, true}}) {
    const auto catalog = inf::read_security_catalog(test::make_security_catalog({a, b}, options));
    CHECK(catalog.contains(hash::sha1_digest(a), hash::sha256_digest(a)));
    CHECK(catalog.contains(hash::sha1_digest(b), hash::sha256_digest(b)));
    CHECK_FALSE(catalog.contains(hash::sha1_digest("x"), hash::sha256_digest("x")));
    CHECK(catalog.signer == "Contoso Hardware Publisher");
  }
  // Tags that are file names, without digests, make nobody a member.
  const auto names_only = inf::read_security_catalog(test::make_security_catalog({a}, {Tag::file_name, false}));
  CHECK_FALSE(names_only.contains(hash::sha1_digest(a), hash::sha256_digest(a)));
}

TEST_CASE("bad catalogs are refused with a reason, never read out of bounds") {
  const auto good = test::make_security_catalog({"member"});
  CHECK_THROWS_WITH(inf::read_security_catalog(""), Catch::Contains("not a PKCS #7 catalog"));
  CHECK_THROWS_WITH(inf::read_security_catalog("MSCF\x00\x00\x00\x00"), Catch::Contains("not a PKCS #7 catalog"));
  // Every truncation of a good catalog is refused (or, cut after the trust list, still read).
  for (std::size_t n = 0; n < good.size(); ++n) {
    try {
      (void)inf::read_security_catalog(good.substr(0, n));
    } catch (const ParseError& e) {
      CHECK_THAT(e.what(), Catch::StartsWith("not a PKCS #7 catalog"));
    }
  }
  // A length that points past the end.
  auto bad_length = good;
  bad_length[1] = static_cast<char>(0x84);
  CHECK_THROWS_WITH(inf::read_security_catalog(bad_length), Catch::Contains("not a PKCS #7 catalog"));
  // Another PKCS #7 content type (an Authenticode signature, say) is not a catalog.
  auto other = good;
  const auto at = other.find("\x2b\x06\x01\x04\x01\x82\x37\x0a\x01");
  REQUIRE(at != std::string::npos);
  other[at + 8] = 0x02;
  CHECK_THROWS_WITH(inf::read_security_catalog(other), Catch::Contains("the content is no trust list"));
}

TEST_CASE("DER: object identifiers and times") {
  // The reader keeps views into its bytes: they must outlive it.
  const std::string oid_bytes("\x06\x09\x2a\x86\x48\x86\xf7\x0d\x01\x07\x02", 11);
  der::Reader r(oid_bytes);
  CHECK(der::oid_text(r.next()) == "1.2.840.113549.1.7.2");
  CHECK(r.empty());
  const std::string times(
      "\x17\x0d"
      "491231235959Z"
      "\x18\x0f"
      "20240521101112Z"
      "\x17\x05"
      "9913Z",
      2 + 13 + 2 + 15 + 2 + 5);
  der::Reader t(times);
  CHECK(der::time_text(t.next()) == "2049-12-31T23:59:59Z");
  CHECK(der::time_text(t.next()) == "2024-05-21T10:11:12Z");
  CHECK_FALSE(der::time_text(t.next()).has_value());
  const std::string cut_bytes("\x30\x05\x02\x01", 4);
  der::Reader cut(cut_bytes);
  CHECK_THROWS_WITH(cut.next(), Catch::Contains("beyond the end"));
  const std::string indefinite_bytes("\x30\x80\x00\x00", 4);
  der::Reader indefinite(indefinite_bytes);
  CHECK_THROWS_WITH(indefinite.next(), Catch::Contains("unsupported length"));
}
