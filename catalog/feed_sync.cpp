#include "catalog/feed_sync.hpp"

#include <spdlog/spdlog.h>

#include "catalog/feed.hpp"
#include "catalog/minisign.hpp"
#include "common/clock.hpp"
#include "common/http.hpp"

namespace drvaudit::catalog {

namespace {
// Phase timings at debug level (-vv): where a slow sync spends its time.
class PhaseTimer {
 public:
  void lap(const char* phase) {
    const auto now = std::chrono::steady_clock::now();
    spdlog::debug("sync: {} took {} ms", phase,
                  std::chrono::duration_cast<std::chrono::milliseconds>(now - last_).count());
    last_ = now;
  }

 private:
  std::chrono::steady_clock::time_point last_ = std::chrono::steady_clock::now();
};
}  // namespace

SyncResult sync_feed(Store& store, const FeedSource& source, const SyncOptions& options) {
  PhaseTimer timer;
  SyncResult result;
  result.url = source.url;
  http::Request request;
  request.url = source.url;
  if (options.ca_file)
    request.ca_file = options.ca_file;
  else if (!source.ca_file.empty())
    request.ca_file = std::filesystem::path(source.ca_file);
  request.if_none_match = source.etag;
  request.if_modified_since = source.last_modified;
  request.max_bytes = feed::kMaxFeedBytes;
  request.deadline = options.deadline;
  request.deadline_length = options.deadline_length;
  request.progress = options.progress;
  const auto response = http::get(request);
  timer.lap("download");
  if (response.status == 304) {
    result.unchanged = true;
    return result;  // nothing written: the catalog already holds this feed
  }

  // The signature is checked on the exact bytes received, before the JSON is even parsed.
  if (!source.allow_unsigned) {
    if (source.pubkey.empty())
      throw minisign::SignatureError(source.url + ": the source has no public key; add it with --pubkey KEY");
    http::Request sig_request = request;
    sig_request.url = source.url + ".minisig";
    sig_request.if_none_match.clear();
    sig_request.if_modified_since.clear();
    sig_request.max_bytes = 64 * 1024;
    sig_request.progress = nullptr;
    const auto signature = http::get(sig_request);
    try {
      result.signed_comment =
          minisign::verify(response.body, signature.body, minisign::parse_public_key(source.pubkey));
    } catch (const minisign::SignatureError& e) {
      throw minisign::SignatureError(source.url + ": " + e.what());
    }
    result.signature_checked = true;
  } else {
    spdlog::warn("{}: accepted without a signature check (the source was added with --allow-unsigned)", source.url);
  }

  timer.lap("signature");
  result.packages = replace_feed_content(store, source, response.body, response.etag, response.last_modified);
  timer.lap("parse and store");
  return result;
}

std::size_t replace_feed_content(Store& store, const FeedSource& source, std::string_view body, const std::string& etag,
                                 const std::string& last_modified) {
  // Packages go into the catalog as they are read, inside one transaction: a feed that turns out
  // bad halfway (or is for another target) rolls back and leaves the previous content.
  sqlite::Transaction tx(store.database());
  store.remove_files_of(source.id);
  // The feed row has no SHA-256: the signature already authenticates these bytes, and hashing
  // 80 MB again cost a quarter of a second (docs/benchmarks.md).
  const auto file_id = store.put_feed_file(source.id, source.url, static_cast<std::int64_t>(body.size()));
  std::size_t packages = 0;
  feed::parse(body, source.url, [&](feed::Package&& p) {
    PackageLocation location;
    location.kind = PackageLocation::Kind::download;
    location.url = p.download.url;  // resolved against the feed's URL when used
    location.base = source.url;
    location.size = p.download.size;
    location.sha256 = p.download.sha256;
    location.format = p.download.format;
    location.inf_path = p.path;
    store.put_package(file_id, p.package, location);
    ++packages;
  });
  store.record_feed_validators(source.id, etag, last_modified);
  store.record_source_result(source.id, "ok", utc_now_iso8601());
  tx.commit();
  return packages;
}

}  // namespace drvaudit::catalog
