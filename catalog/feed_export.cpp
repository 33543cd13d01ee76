#include "catalog/feed_export.hpp"

#include "catalog/signature_check.hpp"

#include <spdlog/spdlog.h>

#include <fstream>
#include <map>
#include <sstream>

#include "common/atomic_file.hpp"
#include "common/clock.hpp"
#include "common/file_walk.hpp"
#include "common/hash.hpp"
#include "common/text.hpp"

namespace drvaudit::catalog {

namespace fs = std::filesystem;

namespace {
std::string read_all(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

std::string safe_name(std::string name) {
  for (auto& c : name) {
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.')) c = '_';
  }
  return name;
}
}  // namespace

feed::Feed export_feed(const std::vector<fs::path>& folders, const ExportOptions& options) {
  feed::Feed out;
  out.publisher = options.publisher;
  out.generated_at = utc_now_iso8601();
  const fs::path feed_dir = options.out.has_parent_path() ? options.out.parent_path() : fs::path(".");
  fs::create_directories(feed_dir / "packages");

  struct Zipped {
    std::string url;
    std::int64_t size;
    std::string sha256;
  };
  std::map<std::string, Zipped> zipped;  // folder → its zip, shared by the INFs in it
  for (const auto& folder : folders) {
    const auto files = list_files(
        folder, [](std::string_view n) { return n.size() > 4 && text::iequals(n.substr(n.size() - 4), ".inf"); });
    for (const auto& [path, stamp] : files) {
      inf::DriverPackage pkg;
      try {
        const auto bytes = read_all(path);
        pkg = inf::load_package(bytes, fs::path(path).filename().string());
        check_signatures(pkg, bytes, path);
      } catch (const inf::NotAnInf& e) {
        spdlog::info("{}: {}", path, e.what());
        continue;
      }
      if (pkg.template_reason || pkg.models.empty()) continue;  // nothing a machine could match
      const fs::path inf_dir = fs::path(path).parent_path();
      auto it = zipped.find(inf_dir.string());
      if (it == zipped.end()) {
        const auto relative = fs::relative(inf_dir, folder).generic_string();
        const std::string name = safe_name(inf_dir.filename().string()) + "-" +
                                 hash::sha256_hex(relative + "|" + folder.string()).substr(0, 12) + ".zip";
        const fs::path zip = feed_dir / "packages" / name;
        write_zip(inf_dir, zip);
        const std::string url = (options.base_url ? *options.base_url + "/" : std::string()) + "packages/" + name;
        it = zipped
                 .emplace(inf_dir.string(),
                          Zipped{url, static_cast<std::int64_t>(fs::file_size(zip)), hash::sha256_file_hex(zip)})
                 .first;
      }
      feed::Package p;
      p.package = std::move(pkg);
      p.path = fs::path(path).filename().string();
      for (const auto& sig : p.package.signatures) p.architectures.push_back(sig.arch);
      p.download = {it->second.url, it->second.size, it->second.sha256, "zip"};
      out.packages.push_back(std::move(p));
    }
  }
  write_file_atomically(options.out, feed::serialize(out));
  return out;
}

}  // namespace drvaudit::catalog
