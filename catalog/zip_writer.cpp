#include <archive.h>
#include <archive_entry.h>

#include <algorithm>
#include <fstream>
#include <memory>
#include <string>
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

// libarchive writes through these into a std::ofstream, which opens any path on every platform
// (archive_write_open_filename takes a narrow name, which Windows reads in its ANSI code page).
// libarchive's message for the last error, which may be NULL.
std::string archive_error(archive* a) {
  const char* message = archive_error_string(a);
  return message ? message : "no reason given";
}

la_ssize_t write_out(archive*, void* out, const void* data, std::size_t size) {
  auto* stream = static_cast<std::ofstream*>(out);
  stream->write(static_cast<const char*>(data), static_cast<std::streamsize>(size));
  return *stream ? static_cast<la_ssize_t>(size) : -1;
}
}  // namespace

void write_zip(const std::filesystem::path& folder, const std::filesystem::path& zip) {
  std::unique_ptr<archive, ArchiveCloser> a(archive_write_new());
  archive_write_set_format_zip(a.get());
  std::ofstream out(zip, std::ios::binary | std::ios::trunc);
  if (!out) throw Error("cannot write " + zip.string());
  if (archive_write_open(a.get(), &out, nullptr, write_out, nullptr) != ARCHIVE_OK) {
    throw Error("cannot write " + zip.string() + ": " + archive_error(a.get()));
  }
  const std::string base = folder.string();
  for (const auto& [path, stamp] : list_files(folder, [](std::string_view) { return true; })) {
    std::ifstream in(path, std::ios::binary);
    std::vector<char> data((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    std::unique_ptr<archive_entry, EntryCloser> entry(archive_entry_new());
    std::string name = path.substr(base.size() + 1);
    std::replace(name.begin(), name.end(), '\\', '/');  // ZIP names use '/' (APPNOTE 4.4.17)
    archive_entry_set_pathname(entry.get(), name.c_str());
    archive_entry_set_size(entry.get(), static_cast<la_int64_t>(data.size()));
    archive_entry_set_filetype(entry.get(), AE_IFREG);
    archive_entry_set_perm(entry.get(), 0644);
    archive_entry_set_mtime(entry.get(), static_cast<time_t>(stamp.mtime_ns / 1'000'000'000), 0);
    if (archive_write_header(a.get(), entry.get()) != ARCHIVE_OK ||
        archive_write_data(a.get(), data.data(), data.size()) != static_cast<la_ssize_t>(data.size())) {
      throw Error("cannot write " + zip.string() + ": " + archive_error(a.get()));
    }
  }
  if (archive_write_close(a.get()) != ARCHIVE_OK || !out.flush())
    throw Error("cannot write " + zip.string() + ": " + archive_error(a.get()));
}

}  // namespace drvaudit::catalog
