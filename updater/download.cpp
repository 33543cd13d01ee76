#include "updater/download.hpp"

#include <sodium.h>
#include <spdlog/spdlog.h>

#include <fstream>
#include <optional>
#include <thread>

#include "common/atomic_file.hpp"
#include "common/error.hpp"
#include "common/http.hpp"

namespace drvaudit::updater {

namespace {
std::string hex(const unsigned char* bytes, std::size_t n) {
  static const char* digits = "0123456789abcdef";
  std::string s;
  for (std::size_t i = 0; i < n; ++i) {
    s += digits[bytes[i] >> 4];
    s += digits[bytes[i] & 15];
  }
  return s;
}

std::string read_text(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  std::string s;
  std::getline(in, s);
  return s;
}

// One attempt: hashes what the .part file already holds, asks for the rest, appends it.
struct Attempt {
  Attempt(const DownloadRequest& r, std::filesystem::path p, std::filesystem::path v)
      : request(r), part(std::move(p)), validator(std::move(v)) {}
  const DownloadRequest& request;
  std::filesystem::path part, validator;
  crypto_hash_sha256_state state{};
  std::int64_t have = 0, transferred = 0;
  std::optional<std::ofstream> out;  // opened on the first byte: append for a 206, truncate for a 200
  std::string problem;

  void open_part() {
    crypto_hash_sha256_init(&state);
    have = 0;
    std::ifstream in(part, std::ios::binary);
    char buffer[1 << 16];
    while (in) {
      in.read(buffer, sizeof buffer);
      const auto n = static_cast<std::size_t>(in.gcount());
      if (n == 0) break;
      crypto_hash_sha256_update(&state, reinterpret_cast<const unsigned char*>(buffer), n);
      have += static_cast<std::int64_t>(n);
    }
    if (have > request.size) restart();
  }

  void restart() {
    crypto_hash_sha256_init(&state);
    have = 0;
    out.emplace(part, std::ios::binary | std::ios::trunc);
    if (!*out) throw Error("cannot write " + part.string());
  }

  bool write(std::string_view chunk, long status) {
    if (!out) {
      if (status == 206 && have > 0) {
        out.emplace(part, std::ios::binary | std::ios::app);
        if (!*out) throw Error("cannot write " + part.string());
      } else {
        restart();  // 200: the server sent the whole package (it changed, or ignores ranges)
      }
    }
    if (have + static_cast<std::int64_t>(chunk.size()) > request.size) {
      problem = "the server sent more than the feed's " + std::to_string(request.size) + " bytes";
      return false;
    }
    if (!out->write(chunk.data(), static_cast<std::streamsize>(chunk.size()))) {
      problem = "cannot write " + part.string() + " (disk full?)";
      return false;
    }
    crypto_hash_sha256_update(&state, reinterpret_cast<const unsigned char*>(chunk.data()), chunk.size());
    have += static_cast<std::int64_t>(chunk.size());
    transferred += static_cast<std::int64_t>(chunk.size());
    return true;
  }
};
}  // namespace

DownloadResult download_package(const DownloadRequest& request) {
  if (sodium_init() < 0) throw Error("libsodium cannot be initialised");
  DownloadResult result;
  const auto part = std::filesystem::path(request.file.string() + ".part");
  const auto validator = std::filesystem::path(request.file.string() + ".part.validator");
  for (int n = 1;; ++n) {
    Attempt a(request, part, validator);
    a.open_part();
    if (n == 1) result.resumed_from = a.have;
    result.attempts = n;
    if (a.have < request.size || request.size == 0) {
      http::Request r;
      r.url = request.url;
      r.ca_file = request.ca_file;
      r.max_bytes = static_cast<std::size_t>(request.size) + 1;
      r.attempts = 1;  // retries resume here, from what arrived
      r.total_timeout = std::chrono::seconds(3600);
      r.resume_from = a.have;
      r.if_range = read_text(validator);
      r.sink = [&](std::string_view chunk, long status) { return a.write(chunk, status); };
      // The validator is saved from the first response, before its body: a transfer cut after it
      // resumes with If-Range, so the rest is only taken from the same entity.
      r.on_headers = [&](long status, const std::string& etag, const std::string& last_modified) {
        const std::string v = !etag.empty() ? etag : last_modified;
        if ((status == 200 || status == 206) && !v.empty() && v != r.if_range)
          write_file_atomically(validator, v + "\n", kModePrivate);
      };
      try {
        const auto response = http::get(r);
        if (a.out && !a.out->flush()) throw Error("cannot write " + part.string() + " (disk full?)");
      } catch (const http::HttpError& e) {
        a.out.reset();
        result.transferred += a.transferred;
        if (!a.problem.empty()) {
          std::filesystem::remove(part);
          std::filesystem::remove(validator);
          throw Error(request.url + ": " + a.problem);
        }
        if (!e.transient()) {
          // Refused for good (too large, not found, forbidden): nothing of it is kept to resume.
          std::filesystem::remove(part);
          std::filesystem::remove(validator);
          throw Error(e.what());
        }
        // Transient failures keep the .part and its validator: a later run resumes them.
        if (n >= request.attempts) throw Error(std::string(e.what()) + " (after " + std::to_string(n) + " attempts)");
        spdlog::info("{}; resuming at byte {}", e.what(), a.have);
        std::this_thread::sleep_for(std::chrono::milliseconds(200 * n));
        continue;
      }
      a.out.reset();
      result.transferred += a.transferred;
    }
    unsigned char digest[crypto_hash_sha256_BYTES];
    crypto_hash_sha256_final(&a.state, digest);
    const auto got = hex(digest, sizeof digest);
    if (a.have != request.size || got != request.sha256) {
      std::filesystem::remove(part);
      std::filesystem::remove(validator);
      throw Error(request.url + ": " + std::to_string(a.have) + " bytes with SHA-256 " + got + ", not the feed's " +
                  std::to_string(request.size) + " bytes with " + request.sha256 + "; nothing was kept");
    }
    std::filesystem::rename(part, request.file);
    std::filesystem::remove(validator);
    return result;
  }
}

}  // namespace drvaudit::updater
