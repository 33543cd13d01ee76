#pragma once

#include <chrono>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "common/error.hpp"

// HTTPS downloads with libcurl. TLS verification is always on (a private CA can be added, never
// verification turned off); proxies come from the standard environment variables (libcurl's
// http_proxy / https_proxy / no_proxy); transient failures are retried with backoff.
namespace drvaudit::http {

class HttpError : public Error {
 public:
  HttpError(const std::string& message, bool transient) : Error(message), transient_(transient) {}
  bool transient() const { return transient_; }

 private:
  bool transient_;
};

struct Request {
  std::string url;
  std::optional<std::filesystem::path> ca_file;  // extra trust anchors (a private CA)
  std::string if_none_match;                     // ETag of the copy we have
  std::string if_modified_since;                 // Last-Modified of the copy we have
  std::size_t max_bytes = 64 * 1024 * 1024;
  std::chrono::seconds connect_timeout{10};
  std::chrono::seconds total_timeout{120};  // one attempt
  // A transfer slower than low_speed_bytes per second for low_speed_window ends (a stalled or
  // trickling server: 2 bytes/s would otherwise pass any "no progress" check); it is not retried.
  long low_speed_bytes = 1024;
  std::chrono::seconds low_speed_window{30};
  // The whole operation, every attempt and backoff included (a sync of many sources shares one).
  std::optional<std::chrono::steady_clock::time_point> deadline;
  std::chrono::seconds deadline_length{0};  // for the message: "the 300-second deadline"
  long max_redirects = 5;
  int attempts = 3;                        // retries on transient failures
  std::chrono::milliseconds backoff{500};  // doubled after each failed attempt
  std::function<void(std::size_t received, std::size_t total)> progress;
  // Streaming: when set, the body goes to the sink as it arrives instead of into Response::body (and
  // max_bytes still bounds it), with the response's status (206 for a resumed range, 200 for the
  // whole entity); returning false ends the transfer with an error. Driver packages are downloaded
  // this way: they exceed any buffer a tool should hold.
  std::function<bool(std::string_view chunk, long status)> sink;
  // Resuming: ask for the bytes from this offset on (Range), only if the entity is still the one
  // whose ETag or Last-Modified is if_range (If-Range); a server that answers 200 sends it whole.
  std::int64_t resume_from = 0;
  std::string if_range;
  // Told the response's status and validators (ETag, Last-Modified) before its first body byte, so a
  // transfer cut midway can still be resumed with If-Range.
  std::function<void(long status, const std::string& etag, const std::string& last_modified)> on_headers;
};

struct Response {
  long status = 0;  // 200, 304, …
  std::string body;
  std::string etag;
  std::string last_modified;
  std::string effective_url;
  std::int64_t content_length = -1;  // of this response's body, when the server said
  int attempts = 0;
};

// Returns 2xx and 304 responses; throws HttpError for everything else (after retrying the
// transient ones: connection failures, timeouts, 5xx, 429).
Response get(const Request& request);

// A URL relative to a base resolved as RFC 3986 says (libcurl's URL parser); an absolute URL is
// returned normalised. Throws Error when either is not a URL.
std::string resolve(const std::string& base, const std::string& reference);

}  // namespace drvaudit::http
