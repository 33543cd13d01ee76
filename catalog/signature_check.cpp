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

// One line of a catalog stamp: the catalog's name and, when it exists, its size and mtime.
std::string stamp_line(const std::string& name, const std::optional<fs::path>& found) {
  std::string line = name + "\t";
  if (!found) return line + "missing\n";
  const auto stamp = file_stamp(*found);
  return line + (stamp ? std::to_string(stamp->size) + "\t" + std::to_string(stamp->mtime_ns) : "unreadable") + "\n";
}
}  // namespace

std::optional<fs::path> CatalogFinder::find(const fs::path& inf_path, const std::string& name) {
  if (name.empty() || name.find_first_of("/\\") != std::string::npos || name == "." || name == "..")
    return std::nullopt;
  const auto folder = inf_path.parent_path();
  if (!listed_ || folder != folder_) {
    folder_ = folder;
    files_.clear();
    listed_ = true;
    std::error_code ec;
    for (fs::directory_iterator it(folder, ec), end; !ec && it != end; it.increment(ec)) {
      std::error_code type_ec;
      if (it->is_regular_file(type_ec)) files_.emplace_back(text::to_lower(it->path().filename().string()), it->path());
    }
  }
  const auto wanted = text::to_lower(name);
  for (const auto& [lower, path] : files_) {
    if (lower == wanted) return path;
  }
  return std::nullopt;
}

std::string check_signatures(inf::DriverPackage& package, std::string_view inf_bytes, const fs::path& inf_path) {
  CatalogFinder finder;
  return check_signatures(package, inf_bytes, inf_path, finder);
}

std::string check_signatures(inf::DriverPackage& package, std::string_view inf_bytes, const fs::path& inf_path,
                             CatalogFinder& finder) {
  struct Result {
    inf::SignatureStatus status;
    std::string signer, signed_at, detail;
    inf::ChainStatus chain = inf::ChainStatus::not_checked;
  };
  std::map<std::string, Result> by_catalog;  // one read per catalog name, whatever the architectures
  // The INF's SHA-1 and SHA-256, computed once and only when a catalog is there to compare them with.
  std::optional<std::pair<std::string, std::string>> digests;
  auto inf_digests = [&]() -> const std::pair<std::string, std::string>& {
    if (!digests) digests.emplace(hash::sha1_digest(inf_bytes), hash::sha256_digest(inf_bytes));
    return *digests;
  };
  std::string stamp;
  for (auto& sig : package.signatures) {
    if (sig.catalog_file.empty()) {
      sig.status = inf::SignatureStatus::unsigned_package;
      continue;
    }
    const auto key = text::to_lower(sig.catalog_file);
    auto it = by_catalog.find(key);
    if (it == by_catalog.end()) {
      Result r{inf::SignatureStatus::catalog_missing, {}, {}, {}};
      auto path = finder.find(inf_path, sig.catalog_file);
      stamp += stamp_line(sig.catalog_file, path);
      if (!path && has_system_catalogs()) {
        path = find_system_catalog(inf_digests().first, inf_digests().second);
      }
      if (path) {
        try {
          const auto catalog = inf::read_security_catalog(read_catalog(*path));
          r.signer = catalog.signer;
          r.signed_at = catalog.signed_at;
          if (catalog.contains(inf_digests().first, inf_digests().second)) {
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

std::string catalog_stamp(const fs::path& inf_path, const std::string& previous_stamp, CatalogFinder& finder) {
  std::string out;
  for (const auto line : text::split(previous_stamp, '\n')) {
    if (line.empty()) continue;
    const auto tab = line.find('\t');
    const std::string name(line.substr(0, tab));
    out += stamp_line(name, finder.find(inf_path, name));
  }
  return out;
}

}  // namespace drvaudit::catalog
