#include "updater/package_cache.hpp"

#include "common/error.hpp"
#include "common/hash.hpp"
#include "common/text.hpp"
#include "updater/archive_extract.hpp"
#include "updater/download.hpp"
#include "updater/package_check.hpp"

namespace drvaudit::updater {

CachedPackage PackageCache::fetch(const catalog::Entry& entry, const std::string& arch,
                                  const std::optional<std::filesystem::path>& ca_file) {
  std::filesystem::create_directories(root_);
  return entry.location.kind == catalog::PackageLocation::Kind::folder ? from_folder(entry, arch)
                                                                       : from_download(entry, ca_file);
}

CachedPackage PackageCache::from_folder(const catalog::Entry& entry, const std::string& arch) {
  const std::filesystem::path inf = entry.path;
  if (!std::filesystem::is_regular_file(inf)) throw Error(inf.string() + " is gone from its folder: index it again");
  const auto digest = hash::sha256_file_hex(inf);
  const auto home = root_ / digest;
  const auto files = home / "files";
  CachedPackage out{files, files / inf.filename(), inf.parent_path().string(), false, 0};
  if (std::filesystem::is_regular_file(out.inf)) return out;
  const auto partial = std::filesystem::path(files.string() + ".partial");
  std::filesystem::remove_all(partial);
  std::filesystem::create_directories(partial);
  for (const auto& f : package_files(inf, arch)) {
    const auto from = inf.parent_path() / f;
    if (!std::filesystem::is_regular_file(from)) continue;  // the check names what is missing
    std::filesystem::create_directories((partial / f).parent_path());
    std::filesystem::copy_file(from, partial / f, std::filesystem::copy_options::overwrite_existing);
  }
  // The copy must be the INF that was hashed: a folder that changed meanwhile is refused.
  if (hash::sha256_file_hex(partial / inf.filename()) != digest) {
    std::filesystem::remove_all(partial);
    throw Error(inf.string() + " changed while it was copied");
  }
  std::filesystem::rename(partial, files);
  out.fetched = true;
  return out;
}

CachedPackage PackageCache::from_download(const catalog::Entry& entry,
                                          const std::optional<std::filesystem::path>& ca_file) {
  const auto& loc = entry.location;
  const std::string sha = text::to_lower(loc.sha256);
  if (sha.size() != 64) throw Error(entry.inf_name + ": the feed gives no SHA-256 for its download");
  const auto home = root_ / sha;
  std::filesystem::create_directories(home);
  const auto archive = home / ("package." + (loc.format.empty() ? std::string("zip") : loc.format));
  const auto files = home / "files";
  CachedPackage out{files, {}, loc.absolute_url(), false, 0};
  bool have = std::filesystem::is_regular_file(archive) &&
              static_cast<std::int64_t>(std::filesystem::file_size(archive)) == loc.size &&
              hash::sha256_file_hex(archive) == sha;
  if (!have) {
    std::filesystem::remove(archive);
    std::filesystem::remove_all(files);
    DownloadRequest request{out.origin, ca_file, loc.size, sha, archive};
    const auto result = download_package(request);
    out.fetched = true;
    out.transferred = result.transferred;
  }
  if (!std::filesystem::is_directory(files)) extract_archive(archive, files);
  const auto inf = find_in_package(files, loc.inf_path.empty() ? entry.inf_name : loc.inf_path);
  if (!inf) throw Error(out.origin + ": the archive has no " + (loc.inf_path.empty() ? entry.inf_name : loc.inf_path));
  out.inf = *inf;
  out.folder = inf->parent_path();
  return out;
}

}  // namespace drvaudit::updater
