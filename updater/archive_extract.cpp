#include "updater/archive_extract.hpp"

#include <archive.h>
#include <archive_entry.h>

#include <cstdio>
#include <fstream>
#include <memory>

#include "common/error.hpp"
#include "common/package_path.hpp"
#include "common/text.hpp"

namespace drvaudit::updater {

namespace {
struct ArchiveCloser {
  void operator()(archive* a) const noexcept { archive_read_free(a); }
};

// libarchive reads through this from a std::ifstream, which opens any path on every platform
// (archive_read_open_filename takes a narrow name, which Windows reads in its ANSI code page).
struct Input {
  std::ifstream stream;
  char buffer[1 << 16];
};
la_ssize_t read_in(archive*, void* data, const void** block) {
  auto* in = static_cast<Input*>(data);
  in->stream.clear();
  in->stream.read(in->buffer, sizeof in->buffer);
  *block = in->buffer;
  return static_cast<la_ssize_t>(in->stream.gcount());
}
// Seeking lets libarchive read a ZIP's central directory, the authoritative list of entries and
// their types (a symbolic link is only marked there); streamed, it would trust local headers.
la_int64_t seek_in(archive*, void* data, la_int64_t offset, int whence) {
  auto* in = static_cast<Input*>(data);
  in->stream.clear();
  const auto dir = whence == SEEK_SET ? std::ios::beg : whence == SEEK_CUR ? std::ios::cur : std::ios::end;
  in->stream.seekg(offset, dir);
  if (!in->stream) return ARCHIVE_FATAL;
  return static_cast<la_int64_t>(in->stream.tellg());
}
la_int64_t skip_in(archive* a, void* data, la_int64_t request) {
  auto* in = static_cast<Input*>(data);
  const auto before = static_cast<la_int64_t>(in->stream.tellg());
  const auto after = seek_in(a, data, request, SEEK_CUR);
  return after < 0 ? 0 : after - before;
}

// libarchive's message for the last error; it has none for some damaged archives (NULL).
std::string archive_error(archive* a) {
  const char* message = archive_error_string(a);
  return message ? message : "no reason given";
}

// An entry's name through the package path rule: relative, no "..", no drive, no device names.
std::string safe_relative(const std::string& name, const std::string& where) {
  try {
    return package_path::checked(name, "entry");
  } catch (const Error& e) {
    throw Error(where + ": " + e.what());
  }
}
}  // namespace

ExtractResult extract_archive(const std::filesystem::path& archive_path, const std::filesystem::path& dest,
                              const ExtractLimits& limits) {
  const std::string where = archive_path.filename().string();
  const auto archive_size = std::filesystem::file_size(archive_path);
  const std::uint64_t budget =
      std::min<std::uint64_t>(limits.max_bytes, std::max<std::uint64_t>(archive_size, 1) * limits.max_ratio);
  const auto partial = std::filesystem::path(dest.string() + ".partial");
  std::filesystem::remove_all(partial);
  std::filesystem::create_directories(partial);
  ExtractResult result;
  try {
    std::unique_ptr<archive, ArchiveCloser> a(archive_read_new());
    archive_read_support_format_zip_seekable(a.get());
    archive_read_support_format_cab(a.get());
    archive_read_support_filter_none(a.get());
    auto input = std::make_unique<Input>();
    input->stream.open(archive_path, std::ios::binary);
    if (!input->stream) throw Error("cannot read " + archive_path.string());
    archive_read_set_callback_data(a.get(), input.get());
    archive_read_set_read_callback(a.get(), read_in);
    archive_read_set_seek_callback(a.get(), seek_in);
    archive_read_set_skip_callback(a.get(), skip_in);
    if (archive_read_open1(a.get()) != ARCHIVE_OK)
      throw Error(where + ": not a ZIP or CAB archive (" + archive_error(a.get()) + ")");
    archive_entry* entry = nullptr;
    for (;;) {
      const int rc = archive_read_next_header(a.get(), &entry);
      if (rc == ARCHIVE_EOF) break;
      if (rc != ARCHIVE_OK && rc != ARCHIVE_WARN)
        throw Error(where + ": damaged archive (" + archive_error(a.get()) + ")");
      if (++result.entries > limits.max_entries)
        throw Error(where + ": more than " + std::to_string(limits.max_entries) + " entries");
      const char* raw = archive_entry_pathname(entry);
      const std::string name = raw ? raw : "";
      const auto type = archive_entry_filetype(entry);
      if (archive_entry_symlink(entry) || archive_entry_hardlink(entry) || type == AE_IFLNK)
        throw Error(where + ": entry " + text::escape_control(name) + " is a link");
      if (type != AE_IFREG && type != AE_IFDIR)
        throw Error(where + ": entry " + text::escape_control(name) + " is not a file or folder");
      const auto relative = safe_relative(name, where);
      const auto target = partial / std::filesystem::path(relative);
      if (type == AE_IFDIR) {
        std::filesystem::create_directories(target);
        continue;
      }
      std::filesystem::create_directories(target.parent_path());
      if (std::filesystem::exists(target))
        throw Error(where + ": entry " + text::escape_control(name) + " appears twice");
      std::ofstream out(target, std::ios::binary | std::ios::trunc);
      if (!out) throw Error("cannot write " + target.string());
      char buffer[1 << 16];
      for (;;) {
        const auto n = archive_read_data(a.get(), buffer, sizeof buffer);
        if (n == 0) break;
        if (n < 0)
          throw Error(where + ": entry " + text::escape_control(name) + " is damaged (" + archive_error(a.get()) + ")");
        result.bytes += static_cast<std::uint64_t>(n);
        if (result.bytes > budget)
          throw Error(where + ": expands beyond " + std::to_string(budget) + " bytes (" +
                      std::to_string(limits.max_ratio) + "× the archive, at most " + std::to_string(limits.max_bytes) +
                      "): refused as an archive bomb");
        if (!out.write(buffer, static_cast<std::streamsize>(n)))
          throw Error("cannot write " + target.string() + " (disk full?)");
      }
      if (!out.flush()) throw Error("cannot write " + target.string());
    }
    if (result.entries == 0) throw Error(where + ": the archive is empty");
  } catch (const std::filesystem::filesystem_error& e) {
    // Entries that collide on disk (a file where a folder must go) are the archive's fault.
    std::error_code ec;
    std::filesystem::remove_all(partial, ec);
    throw Error(where + ": cannot be extracted: " + e.code().message() + " (" + e.path1().filename().string() + ")");
  } catch (...) {
    std::error_code ec;
    std::filesystem::remove_all(partial, ec);
    throw;
  }
  std::filesystem::remove_all(dest);
  std::filesystem::rename(partial, dest);
  return result;
}

}  // namespace drvaudit::updater
