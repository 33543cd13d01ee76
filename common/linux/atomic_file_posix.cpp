#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <random>
#include <vector>

#include "common/atomic_file.hpp"
#include "common/error.hpp"

namespace drvaudit {

namespace {
std::string reason() { return std::strerror(errno); }

bool write_all(int fd, std::string_view content) {
  while (!content.empty()) {
    const auto n = ::write(fd, content.data(), content.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    content.remove_prefix(static_cast<std::size_t>(n));
  }
  return true;
}
}  // namespace

void write_file_atomically(const std::filesystem::path& target, std::string_view content, unsigned mode) {
  namespace fs = std::filesystem;
  const fs::path folder = target.has_parent_path() ? target.parent_path() : fs::path(".");
  struct stat st {};
  if (::lstat(target.c_str(), &st) == 0 && !S_ISREG(st.st_mode))
    throw Error("cannot write " + target.string() + ": " +
                (S_ISLNK(st.st_mode) ? "it is a symbolic link, which drvaudit never replaces or follows"
                                     : "it is not a regular file"));
  std::random_device random;
  fs::path temp;
  int fd = -1;
  // O_EXCL with O_NOFOLLOW: a name someone planted (a file or a link) is never opened, only skipped.
  for (int attempt = 0; attempt < 100 && fd < 0; ++attempt) {
    const auto suffix = std::to_string(random()) + std::to_string(random());
    temp = folder / ("." + target.filename().string() + ".tmp" + suffix);
    fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
    if (fd < 0 && errno != EEXIST) break;
  }
  if (fd < 0)
    throw Error("cannot write " + target.string() + ": cannot create a file in " + folder.string() + ": " + reason());
  const auto fail = [&](const std::string& why) {
    ::close(fd);
    ::unlink(temp.c_str());
    throw Error("cannot write " + target.string() + ": " + why);
  };
  if (!write_all(fd, content)) fail("write failed: " + reason() + " (disk full?)");
  if (::fchmod(fd, static_cast<mode_t>(mode)) != 0) fail("cannot set its mode: " + reason());
  if (::fsync(fd) != 0) fail("cannot flush it to disk: " + reason());
  if (::close(fd) != 0) {
    fd = -1;
    ::unlink(temp.c_str());
    throw Error("cannot write " + target.string() + ": " + reason());
  }
  // Checked again just before the rename: rename replaces a link itself (never its target), but a
  // target that became a link meanwhile is someone's doing, and is refused.
  if (::lstat(target.c_str(), &st) == 0 && !S_ISREG(st.st_mode)) {
    ::unlink(temp.c_str());
    throw Error("cannot write " + target.string() + ": it became a symbolic link or another kind of file");
  }
  if (::rename(temp.c_str(), target.c_str()) != 0) {
    const auto why = reason();
    ::unlink(temp.c_str());
    throw Error("cannot write " + target.string() + ": " + why);
  }
  // The rename itself made durable: the folder's entry.
  if (const int dir = ::open(folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC); dir >= 0) {
    ::fsync(dir);
    ::close(dir);
  }
}

void make_folders(const std::filesystem::path& folder, unsigned mode) {
  std::vector<std::filesystem::path> missing;
  for (auto p = std::filesystem::absolute(folder).lexically_normal(); !p.empty() && p != p.root_path();
       p = p.parent_path()) {
    struct stat st {};
    if (::lstat(p.c_str(), &st) == 0) break;
    missing.push_back(p);
  }
  for (auto it = missing.rbegin(); it != missing.rend(); ++it) {
    if (::mkdir(it->c_str(), 0700) != 0 && errno != EEXIST)
      throw Error("cannot create " + it->string() + ": " + reason());
    if (::chmod(it->c_str(), static_cast<mode_t>(mode)) != 0)
      throw Error("cannot set the mode of " + it->string() + ": " + reason());
  }
  std::error_code ec;
  if (!std::filesystem::is_directory(folder, ec)) throw Error(folder.string() + " is not a folder");
}

}  // namespace drvaudit
