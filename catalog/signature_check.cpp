#include "catalog/signature_check.hpp"

#include <fstream>
#include <map>
#include <optional>

#include "catalog/security_catalog.hpp"
#include "common/error.hpp"
#include "common/file_stamp.hpp"
#include "common/hash.hpp"
#include "common/text.hpp"

namespace drvaudit::catalog {

namespace fs = std::filesystem;

namespace {
// The file a CatalogFile entry names, found case-insensitively beside the INF (Windows file
// names are case-insensitive; packs copied to Linux keep whatever case they had).
std::optional<fs::path> find_beside(const fs::path& inf_path, const std::string& name) {
  if (name.empty() || name.find_first_of("/\\") != std::string::npos || name == "." || name == "..")
    return std::nullopt;
  const auto folder = inf_path.parent_path();
  std::error_code ec;
  if (fs::is_regular_file(folder / name, ec)) return folder / name;
  for (fs::directory_iterator it(folder, ec), end; !ec && it != end; it.increment(ec)) {
    if (text::iequals(it->path().filename().string(), name) && it->is_regular_file(ec)) return it->path();
  }
  return std::nullopt;
}

std::string read_catalog(const fs::path& path) {
  std::error_code ec;
  const auto size = fs::file_size(path, ec);
  if (ec) throw Error("cannot read " + path.string() + ": " + ec.message());
  if (size > inf::kMaxCatalogBytes) throw ParseError("not a PKCS #7 catalog: larger than 64 MiB");
  std::ifstream in(path, std::ios::binary);
  std::string bytes(static_cast<std::size_t>(size), '\0');
  in.read(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  if (!in) throw Error("cannot read " + path.string());
  return bytes;
}

std::string stamp_line(const std::string& name, const fs::path& inf_path) {
  const auto found = find_beside(inf_path, name);
  std::string line = name + "\t";
  if (!found) return line + "missing\n";
  const auto stamp = file_stamp(*found);
  return line + (stamp ? std::to_string(stamp->size) + "\t" + std::to_string(stamp->mtime_ns) : "unreadable") + "\n";
}
}  // namespace

std::string check_signatures(inf::DriverPackage& package, std::string_view inf_bytes, const fs::path& inf_path) {
  struct Result {
    inf::SignatureStatus status;
    std::string signer, signed_at, detail;
    inf::ChainStatus chain = inf::ChainStatus::not_checked;
  };
  std::map<std::string, Result> by_catalog;  // one read per catalog name, whatever the architectures
  std::optional<std::pair<std::string, std::string>> digests;
  std::string stamp;
  for (auto& sig : package.signatures) {
    if (sig.catalog_file.empty()) {
      sig.status = inf::SignatureStatus::unsigned_package;
      continue;
    }
    const auto key = text::to_lower(sig.catalog_file);
    auto it = by_catalog.find(key);
    if (it == by_catalog.end()) {
      stamp += stamp_line(sig.catalog_file, inf_path);
      Result r{inf::SignatureStatus::catalog_missing, {}, {}, {}};
      auto path = find_beside(inf_path, sig.catalog_file);
      if (!path) {
        if (!digests) digests.emplace(hash::sha1_digest(inf_bytes), hash::sha256_digest(inf_bytes));
        path = find_system_catalog(digests->first, digests->second);
      }
      if (path) {
        try {
          const auto catalog = inf::read_security_catalog(read_catalog(*path));
          if (!digests) digests.emplace(hash::sha1_digest(inf_bytes), hash::sha256_digest(inf_bytes));
          r.signer = catalog.signer;
          r.signed_at = catalog.signed_at;
          if (catalog.contains(digests->first, digests->second)) {
            r.status = inf::SignatureStatus::signed_by_catalog;
            const auto chain = verify_catalog_chain(*path);
            r.chain = chain.status;
            if (!chain.signer.empty()) r.signer = chain.signer;
            r.detail = chain.detail;
          } else {
            r.status = inf::SignatureStatus::not_in_catalog;
            r.detail = "neither the SHA-1 nor the SHA-256 of the INF is listed in " + path->filename().string();
          }
        } catch (const Error& e) {
          r.status = inf::SignatureStatus::catalog_invalid;
          r.detail = path->filename().string() + ": " + e.what();
        }
      } else {
        r.detail = sig.catalog_file + " is not beside the INF";
      }
      it = by_catalog.emplace(key, std::move(r)).first;
    }
    sig.status = it->second.status;
    sig.signer = it->second.signer;
    sig.signed_at = it->second.signed_at;
    sig.chain = it->second.chain;
    sig.detail = it->second.detail;
  }
  return stamp;
}

std::string catalog_stamp(const fs::path& inf_path, const std::string& previous_stamp) {
  std::string out;
  for (const auto line : text::split(previous_stamp, '\n')) {
    if (line.empty()) continue;
    const auto tab = line.find('\t');
    out += stamp_line(std::string(line.substr(0, tab)), inf_path);
  }
  return out;
}

}  // namespace drvaudit::catalog
