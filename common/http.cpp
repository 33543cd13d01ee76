#include "common/http.hpp"

#include <curl/curl.h>
#include <spdlog/spdlog.h>

#include <cstdlib>
#include <memory>
#include <thread>

#include "common/error.hpp"
#include "common/text.hpp"

namespace drvaudit::http {

namespace {
struct CurlGlobal {
  CurlGlobal() { curl_global_init(CURL_GLOBAL_DEFAULT); }
  ~CurlGlobal() { curl_global_cleanup(); }
};

struct EasyCloser {
  void operator()(CURL* c) const noexcept { curl_easy_cleanup(c); }
};
struct ListCloser {
  void operator()(curl_slist* l) const noexcept { curl_slist_free_all(l); }
};

struct Transfer {
  std::string body;
  std::string etag;
  std::string last_modified;
  std::string location;  // of the last redirect
  std::size_t max_bytes = 0;
  bool too_large = false;
  bool sink_refused = false;
  std::size_t received = 0;
  const std::function<void(std::size_t, std::size_t)>* progress = nullptr;
  const std::function<bool(std::string_view, long)>* sink = nullptr;
  const std::function<void(long, const std::string&, const std::string&)>* on_headers = nullptr;
  bool headers_told = false;
  long status = 0;  // of the last status line seen (a redirect's, then the answer's)
};

std::size_t on_body(char* data, std::size_t size, std::size_t count, void* user) {
  auto* t = static_cast<Transfer*>(user);
  const std::size_t n = size * count;
  if (t->received + n > t->max_bytes) {
    t->too_large = true;
    return 0;  // aborts the transfer
  }
  t->received += n;
  if (!t->headers_told && t->on_headers && *t->on_headers) {
    t->headers_told = true;
    (*t->on_headers)(t->status, t->etag, t->last_modified);
  }
  if (t->sink && *t->sink) {
    if (!(*t->sink)(std::string_view(data, n), t->status)) {
      t->sink_refused = true;
      return 0;
    }
    return n;
  }
  t->body.append(data, n);
  return n;
}

std::size_t on_header(char* data, std::size_t size, std::size_t count, void* user) {
  auto* t = static_cast<Transfer*>(user);
  const std::string_view line(data, size * count);
  if (line.starts_with("HTTP/")) {
    const auto space = line.find(' ');
    if (space != std::string_view::npos) t->status = std::atol(std::string(line.substr(space + 1, 3)).c_str());
    // A new response (after a redirect or a 100): its validators, not the previous one's.
    t->etag.clear();
    t->last_modified.clear();
  }
  const auto colon = line.find(':');
  if (colon != std::string_view::npos) {
    const auto name = text::trim(line.substr(0, colon));
    const auto value = text::trim(line.substr(colon + 1));
    if (text::iequals(name, "ETag")) t->etag = std::string(value);
    if (text::iequals(name, "Last-Modified")) t->last_modified = std::string(value);
    if (text::iequals(name, "Location")) t->location = std::string(value);
  }
  return size * count;
}

int on_progress(void* user, curl_off_t total, curl_off_t now, curl_off_t, curl_off_t) {
  auto* t = static_cast<Transfer*>(user);
  if (t->progress && *t->progress) (*t->progress)(static_cast<std::size_t>(now), static_cast<std::size_t>(total));
  return 0;
}

Response attempt(const Request& r) {
  static CurlGlobal global;
  std::unique_ptr<CURL, EasyCloser> curl(curl_easy_init());
  if (!curl) throw HttpError("cannot initialise libcurl", false);
  Transfer t;
  t.max_bytes = r.max_bytes;
  t.progress = &r.progress;
  t.sink = &r.sink;
  t.on_headers = &r.on_headers;
  char error[CURL_ERROR_SIZE] = {};
  CURL* c = curl.get();
  curl_easy_setopt(c, CURLOPT_URL, r.url.c_str());
  curl_easy_setopt(c, CURLOPT_ERRORBUFFER, error);
  curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 1L);
  curl_easy_setopt(c, CURLOPT_MAXREDIRS, r.max_redirects);
  curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(c, CURLOPT_REDIR_PROTOCOLS_STR, "https");  // a redirect never downgrades to plain HTTP
  curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 1L);
  curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 2L);
  if (r.ca_file) curl_easy_setopt(c, CURLOPT_CAINFO, r.ca_file->string().c_str());
  auto total = std::chrono::duration_cast<std::chrono::milliseconds>(r.total_timeout);
  if (r.deadline) {
    total = std::min(
        total, std::chrono::duration_cast<std::chrono::milliseconds>(*r.deadline - std::chrono::steady_clock::now()));
    total = std::max(total, std::chrono::milliseconds(1));  // 0 would mean "no timeout" to libcurl
  }
  curl_easy_setopt(
      c, CURLOPT_CONNECTTIMEOUT_MS,
      static_cast<long>(std::min<std::int64_t>(
          std::chrono::duration_cast<std::chrono::milliseconds>(r.connect_timeout).count(), total.count())));
  curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, static_cast<long>(total.count()));
  curl_easy_setopt(c, CURLOPT_LOW_SPEED_LIMIT, r.low_speed_bytes);
  curl_easy_setopt(c, CURLOPT_LOW_SPEED_TIME, static_cast<long>(r.low_speed_window.count()));
  curl_easy_setopt(c, CURLOPT_MAXFILESIZE_LARGE, static_cast<curl_off_t>(r.max_bytes));
  // A streamed download is stored byte for byte (its SHA-256 is of those bytes, and a Range resumes
  // at an offset into them): no content coding.
  if (!r.sink) curl_easy_setopt(c, CURLOPT_ACCEPT_ENCODING, "");
  // CURLOPT_RANGE, not RESUME_FROM: a server may answer 200 with the whole entity (If-Range did not
  // match), which the caller handles; RESUME_FROM would turn it into an error.
  const std::string range = std::to_string(r.resume_from) + "-";
  if (r.resume_from > 0) curl_easy_setopt(c, CURLOPT_RANGE, range.c_str());
  curl_easy_setopt(c, CURLOPT_USERAGENT, "drvaudit/0.1");
  curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
  curl_easy_setopt(c, CURLOPT_WRITEDATA, &t);
  curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
  curl_easy_setopt(c, CURLOPT_HEADERDATA, &t);
  curl_easy_setopt(c, CURLOPT_XFERINFOFUNCTION, on_progress);
  curl_easy_setopt(c, CURLOPT_XFERINFODATA, &t);
  curl_easy_setopt(c, CURLOPT_NOPROGRESS, 0L);
  std::unique_ptr<curl_slist, ListCloser> headers;
  auto add_header = [&](const std::string& h) { headers.reset(curl_slist_append(headers.release(), h.c_str())); };
  if (!r.if_none_match.empty()) add_header("If-None-Match: " + r.if_none_match);
  if (!r.if_modified_since.empty()) add_header("If-Modified-Since: " + r.if_modified_since);
  if (r.resume_from > 0 && !r.if_range.empty()) add_header("If-Range: " + r.if_range);
  if (headers) curl_easy_setopt(c, CURLOPT_HTTPHEADER, headers.get());

  const CURLcode rc = curl_easy_perform(c);
  if (t.sink_refused) throw HttpError(r.url + ": the download was refused while it was written", false);
  if (t.too_large || rc == CURLE_FILESIZE_EXCEEDED) {
    throw HttpError(r.url + ": larger than the " + std::to_string(r.max_bytes) + "-byte limit", false);
  }
  if (rc != CURLE_OK) {
    std::string why = error[0] ? error : curl_easy_strerror(rc);
    if (rc == CURLE_UNSUPPORTED_PROTOCOL && !t.location.empty() && !text::istarts_with(t.location, "https:")) {
      // libcurl would say "protocol not supported": the truth is that we refused to downgrade.
      why = "refused a redirect from HTTPS to " + text::escape_control(t.location) +
            " (drvaudit follows redirects to https:// only)";
    }
    const bool tls =
        rc == CURLE_PEER_FAILED_VERIFICATION || rc == CURLE_SSL_CACERT_BADFILE || rc == CURLE_SSL_CONNECT_ERROR;
    long status = 0;
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
    // A server that answered and then trickled is slow, not down: another attempt costs the same again.
    const bool too_slow = rc == CURLE_OPERATION_TIMEDOUT && status != 0;
    // libcurl's timer may fire a few milliseconds before the deadline it was set from (seen: 2998 ms
    // of 3000 on a loaded machine): a timeout that close to the deadline is the deadline's.
    const bool out_of_time =
        r.deadline && (std::chrono::steady_clock::now() >= *r.deadline ||
                       (rc == CURLE_OPERATION_TIMEDOUT &&
                        *r.deadline - std::chrono::steady_clock::now() < std::chrono::milliseconds(100)));
    const bool transient = !tls && !too_slow && !out_of_time && rc != CURLE_TOO_MANY_REDIRECTS &&
                           rc != CURLE_UNSUPPORTED_PROTOCOL && rc != CURLE_URL_MALFORMAT;
    if (out_of_time)
      why = "gave up at the " + std::to_string(r.deadline_length.count()) + "-second deadline (--timeout): " + why;
    throw HttpError(
        r.url + ": " + why + (tls ? " (the server's certificate is not trusted; a private CA needs --ca-file)" : ""),
        transient);
  }
  Response response;
  curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &response.status);
  char* effective = nullptr;
  curl_easy_getinfo(c, CURLINFO_EFFECTIVE_URL, &effective);
  if (effective) response.effective_url = effective;
  curl_off_t length = -1;
  if (curl_easy_getinfo(c, CURLINFO_CONTENT_LENGTH_DOWNLOAD_T, &length) == CURLE_OK) response.content_length = length;
  if (response.status >= 400 || (response.status < 200) || (response.status >= 300 && response.status != 304)) {
    const bool transient = response.status >= 500 || response.status == 429;
    throw HttpError(r.url + ": HTTP " + std::to_string(response.status), transient);
  }
  response.body = std::move(t.body);
  response.etag = std::move(t.etag);
  response.last_modified = std::move(t.last_modified);
  return response;
}
}  // namespace

Response get(const Request& request) {
  auto wait = request.backoff;
  for (int n = 1;; ++n) {
    try {
      auto response = attempt(request);
      response.attempts = n;
      return response;
    } catch (const HttpError& e) {
      if (!e.transient() || n >= request.attempts) throw;
      if (request.deadline && std::chrono::steady_clock::now() + wait >= *request.deadline) {
        throw HttpError(std::string(e.what()) + "; no time left to retry before the " +
                            std::to_string(request.deadline_length.count()) + "-second deadline (--timeout)",
                        false);
      }
      spdlog::info("{}; retrying in {} ms", e.what(), wait.count());
      std::this_thread::sleep_for(wait);
      wait *= 2;
    }
  }
}

std::string resolve(const std::string& base, const std::string& reference) {
  std::unique_ptr<CURLU, decltype(&curl_url_cleanup)> url(curl_url(), &curl_url_cleanup);
  if (!url || curl_url_set(url.get(), CURLUPART_URL, base.c_str(), 0) != CURLUE_OK) throw Error("not a URL: " + base);
  if (curl_url_set(url.get(), CURLUPART_URL, reference.c_str(), 0) != CURLUE_OK)
    throw Error("not a URL relative to " + base + ": " + reference);
  char* out = nullptr;
  if (curl_url_get(url.get(), CURLUPART_URL, &out, 0) != CURLUE_OK || !out) throw Error("cannot resolve " + reference);
  std::string result(out);
  curl_free(out);
  return result;
}

}  // namespace drvaudit::http
