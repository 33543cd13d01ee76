#include "updater/package_cache.hpp"

#include <random>

#include "common/error.hpp"
#include "common/hash.hpp"
#include "common/package_file.hpp"
#include "common/package_path.hpp"
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

namespace {
// A folder of the cache's own for a copy in progress: nothing else writes there, and a copy that
// fails half-way is removed whole.
std::filesystem::path incoming_folder(const std::filesystem::path& root) {
  std::random_device random;
  const auto name = "incoming-" + std::to_string(random()) + std::to_string(random());
  const auto folder = root / name;
  std::filesystem::create_directory(folder);  // throws when it exists: never reuse another's folder
  return folder;
}

struct RemoveOnExit {
  std::filesystem::path folder;
  ~RemoveOnExit() {
    std::error_code ignored;
    if (!folder.empty()) std::filesystem::remove_all(folder, ignored);
  }
};
}  // namespace

std::vector<package_file::Copied> copy_package(const std::filesystem::path& from, const std::vector<std::string>& files,
                                               const std::filesystem::path& to) {
  std::vector<package_file::Copied> copied;
  for (const auto& f : files) {
    const auto clean = package_path::checked(f, "package file");
    const auto target = to / std::filesystem::u8path(clean);
    std::filesystem::create_directories(target.parent_path());
    if (auto c = package_file::copy_out(from, clean, target)) copied.push_back(std::move(*c));
  }
  return copied;
}

CachedPackage PackageCache::from_folder(const catalog::Entry& entry, const std::string& arch) {
  const std::filesystem::path inf = entry.path;
  const auto source = inf.parent_path();
  const auto inf_name = package_path::checked(inf.filename().string(), "INF");
  RemoveOnExit incoming{incoming_folder(root_)};
  // The INF first: what is copied, hashed and checked from here on is this copy, never the
  // folder, which its owner can change at any moment.
  const auto copied_inf = package_file::copy_out(source, inf_name, incoming.folder / inf_name);
  if (!copied_inf) throw Error(inf.string() + " is gone from its folder: index it again");
  const auto home = root_ / copied_inf->sha256;
  const auto files = home / "files";
  CachedPackage out{files, files / copied_inf->relative, source.string(), false, 0};
  if (std::filesystem::is_regular_file(out.inf)) return out;
  // The package's file list comes from the copied INF; every name passes the path rule before
  // any other file is copied (package_files throws on the first that does not).
  auto names = package_files(incoming.folder / inf_name, arch);
  names.erase(names.begin());  // the INF, copied already
  const auto partial = incoming.folder / "files";
  std::filesystem::create_directory(partial);
  std::filesystem::rename(incoming.folder / inf_name, partial / copied_inf->relative);
  copy_package(source, names, partial);
  std::filesystem::create_directories(home);
  std::error_code ec;
  std::filesystem::rename(partial, files, ec);
  if (ec && !std::filesystem::is_regular_file(out.inf))
    throw Error("cannot store " + files.string() + ": " + ec.message());
  out.fetched = true;
  return out;
}

CachedPackage PackageCache::from_stage(const std::filesystem::path& stage_dir, const StagedPackage& staged) {
  const auto folder = stage_dir / std::filesystem::u8path(package_path::checked(staged.folder, "manifest folder"));
  const auto inf_name = package_path::checked(staged.inf, "manifest inf");
  // The cache entry is named by everything the manifest promises, so another stage of the same
  // INF with other files is another entry.
  std::string promised;
  for (const auto& f : staged.files) promised += f.path + '\0' + std::to_string(f.size) + '\0' + f.sha256 + '\n';
  const auto home = root_ / ("stage-" + hash::sha256_hex(promised));
  const auto files = home / "files";
  CachedPackage out{files, {}, staged.origin, true, 0};
  std::filesystem::create_directories(root_);
  RemoveOnExit incoming{incoming_folder(root_)};
  const auto partial = incoming.folder / "files";
  std::filesystem::create_directory(partial);
  std::vector<std::string> problems;
  bool has_inf = false;
  for (const auto& f : staged.files) {
    const auto clean = package_path::checked(f.path, "manifest file");
    has_inf = has_inf || text::iequals(clean, inf_name);
    const auto target = partial / std::filesystem::u8path(clean);
    std::filesystem::create_directories(target.parent_path());
    const auto copied = package_file::copy_out(folder, clean, target);
    if (!copied) {
      problems.push_back(staged.folder + "/" + f.path + " is missing");
    } else if (copied->size != f.size || copied->sha256 != text::to_lower(f.sha256)) {
      problems.push_back(staged.folder + "/" + f.path + " differs from the manifest (" + std::to_string(copied->size) +
                         " bytes, SHA-256 " + copied->sha256 + ")");
    }
  }
  if (!has_inf) problems.push_back("the manifest lists no file " + staged.inf + " for the package");
  if (!problems.empty()) throw Error("the stage folder was changed: " + text::join(problems, "; "));
  // Installed from this private copy, verified as it was made: a stage folder changed from now on
  // changes nothing.
  std::filesystem::remove_all(home);
  std::filesystem::create_directories(home);
  std::filesystem::rename(partial, files);
  const auto inf = find_in_package(files, inf_name);
  if (!inf) throw Error("the stage folder was changed: " + staged.inf + " is missing");
  out.inf = *inf;
  out.folder = inf->parent_path();
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
  const auto inf = find_in_package(
      files, package_path::checked(loc.inf_path.empty() ? entry.inf_name : loc.inf_path, "feed inf_path"));
  if (!inf) throw Error(out.origin + ": the archive has no " + (loc.inf_path.empty() ? entry.inf_name : loc.inf_path));
  out.inf = *inf;
  out.folder = inf->parent_path();
  return out;
}

}  // namespace drvaudit::updater
