#include <archive.h>
#include <archive_entry.h>

#include <fstream>
#include <memory>
#include <vector>

#include "catalog/feed_export.hpp"
#include "common/error.hpp"
#include "common/file_walk.hpp"

namespace drvaudit::catalog {

namespace {
struct ArchiveCloser {
  void operator()(archive* a) const noexcept { archive_write_free(a); }
};
struct EntryCloser {
  void operator()(archive_entry* e) const noexcept { archive_entry_free(e); }
};
}  // namespace

void write_zip(const std::filesystem::path& folder, const std::filesystem::path& zip) {
  std::unique_ptr<archive, ArchiveCloser> a(archive_write_new());
  archive_write_set_format_zip(a.get());
  if (archive_write_open_filename(a.get(), zip.c_str()) != ARCHIVE_OK) {
    throw Error("cannot write " + zip.string() + ": " + archive_error_string(a.get()));
  }
  const std::string base = folder.string();
  for (const auto& [path, stamp] : list_files(folder, [](std::string_view) { return true; })) {
    std::ifstream in(path, std::ios::binary);
    std::vector<char> data((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    std::unique_ptr<archive_entry, EntryCloser> entry(archive_entry_new());
    archive_entry_set_pathname(entry.get(), path.substr(base.size() + 1).c_str());
    archive_entry_set_size(entry.get(), static_cast<la_int64_t>(data.size()));
    archive_entry_set_filetype(entry.get(), AE_IFREG);
    archive_entry_set_perm(entry.get(), 0644);
    archive_entry_set_mtime(entry.get(), static_cast<time_t>(stamp.mtime_ns / 1'000'000'000), 0);
    if (archive_write_header(a.get(), entry.get()) != ARCHIVE_OK ||
        archive_write_data(a.get(), data.data(), data.size()) != static_cast<la_ssize_t>(data.size())) {
      throw Error("cannot write " + zip.string() + ": " + archive_error_string(a.get()));
    }
  }
  if (archive_write_close(a.get()) != ARCHIVE_OK)
    throw Error("cannot write " + zip.string() + ": " + archive_error_string(a.get()));
}

}  // namespace drvaudit::catalog
