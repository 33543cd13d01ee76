#include <catch2/catch.hpp>

#include "catalog/catalog_store.hpp"
#include "catalog/feed_sync.hpp"
#include "tests/catalog/sample_feed.hpp"
#include "tests/support/temp_dir.hpp"

using namespace drvaudit;

// replace_feed_content streams packages into the catalog as they are read: these cases check that
// a feed which turns out bad after some packages were written still leaves the catalog as it was.
namespace {
struct FeedCatalog {
  test::TempDir dir;
  catalog::Store store{dir / "catalog.db", catalog::Store::Mode::read_write};
  catalog::FeedSource source = store.add_feed_source("https://127.0.0.1:1/feed.json", "", true, "");

  std::size_t replace(const nlohmann::json& doc, const std::string& etag = "\"v1\"") {
    return catalog::replace_feed_content(store, source, doc.dump(), etag, "");
  }
  // The catalog as the audit sees it: every entry for the IDs the sample feed uses.
  std::vector<std::string> snapshot() {
    std::vector<std::string> out;
    for (const char* id :
         {"PCI\\VEN_8086&DEV_1234", "PCI\\VEN_8086&DEV_5678", "PCI\\CC_0200", "PCI\\VEN_1AF4&DEV_1000"})
      for (const auto& e : store.lookup(id))
        out.push_back(e.inf_name + " " + e.hardware_id + " " + e.version.to_string());
    const auto stats = store.stats();
    out.push_back(std::to_string(stats.packages) + " packages, " + std::to_string(stats.ids) + " ids");
    for (const auto& f : store.feed_sources()) out.push_back("etag " + f.etag);
    return out;
  }
};
}  // namespace

TEST_CASE("feed store: packages replace the source's previous ones and are found by ID") {
  FeedCatalog c;
  CHECK(c.replace(test::sample_feed_document()) == 2);
  CHECK(c.store.lookup("pci\\ven_8086&dev_5678").size() == 2);  // one Models line in each package
  CHECK(c.store.stats().packages == 2);
  const auto entry = c.store.lookup("PCI\\VEN_8086&DEV_1234").at(0);
  CHECK(entry.signature.status == inf::SignatureStatus::signed_by_catalog);
  CHECK(entry.location.kind == catalog::PackageLocation::Kind::download);
  CHECK(entry.location.url == "packages/net.zip");
  CHECK(entry.location.absolute_url() == "https://127.0.0.1:1/packages/net.zip");  // resolved against the feed
  CHECK(entry.location.sha256 == std::string(64, 'a'));
  CHECK(entry.location.inf_path == "net.inf");

  auto doc = test::sample_feed_document();
  doc["packages"].erase(1);
  doc["packages"][0]["models"][0]["hardware_id"] = "PCI\\VEN_1AF4&DEV_1000";
  CHECK(c.replace(doc, "\"v2\"") == 1);
  CHECK(c.store.lookup("PCI\\VEN_8086&DEV_1234").empty());
  CHECK(c.store.lookup("PCI\\VEN_1AF4&DEV_1000").size() == 1);
  CHECK(c.store.stats().packages == 1);
  CHECK(c.store.feed_sources().at(0).etag == "\"v2\"");
}

TEST_CASE("feed store: a feed that fails after packages were written leaves the catalog as it was") {
  FeedCatalog c;
  c.replace(test::sample_feed_document());
  const auto before = c.snapshot();

  auto late_error = test::sample_feed_document();
  late_error["packages"][0]["models"][0]["hardware_id"] = "PCI\\VEN_1AF4&DEV_1000";  // written, then undone
  late_error["packages"][1]["download"]["sha256"] = "not-a-hash";
  CHECK_THROWS_WITH(c.replace(late_error, "\"bad\""), Catch::Contains("/packages/1/download/sha256"));
  CHECK(c.snapshot() == before);

  auto cut = test::sample_feed_document().dump();
  cut.resize(cut.size() - 40);
  CHECK_THROWS_WITH(catalog::replace_feed_content(c.store, c.source, cut, "\"cut\"", ""),
                    Catch::Contains("not JSON at line 1"));
  CHECK(c.snapshot() == before);

  // An error in the last package's last object, after everything else was written.
  auto last = test::sample_feed_document();
  last["packages"][1]["signatures"][0]["status"] = "trusted";
  CHECK_THROWS_WITH(c.replace(last, "\"late\""), Catch::Contains("/packages/1/signatures/0/status"));
  CHECK(c.snapshot() == before);

  // The store still works: the next good feed goes in.
  CHECK(c.replace(test::sample_feed_document(), "\"v3\"") == 2);
  CHECK(c.store.feed_sources().at(0).etag == "\"v3\"");
}
