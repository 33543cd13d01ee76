#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <spdlog/spdlog.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "common/error.hpp"
#include "common/file_walk.hpp"

namespace drvaudit {

namespace {
constexpr int kMaxDepth = 64;

// Owns a directory stream opened from a descriptor.
class Directory {
 public:
  explicit Directory(int fd) : dir_(fd >= 0 ? ::fdopendir(fd) : nullptr) {
    if (fd >= 0 && !dir_) ::close(fd);
  }
  ~Directory() {
    if (dir_) ::closedir(dir_);
  }
  Directory(const Directory&) = delete;
  Directory& operator=(const Directory&) = delete;
  DIR* get() const { return dir_; }

 private:
  DIR* dir_;
};

// Children are visited sorted by name, with '/' appended to directory names: the output is then
// in byte order of the full paths ("c1-a" < "c1/x"), and no global sort is needed.
void walk(int parent_fd, const char* name, const std::string& path, int depth,
          const std::function<bool(std::string_view)>& accept, std::vector<FileEntry>& out) {
  const int fd = ::openat(parent_fd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
  if (fd < 0) {
    if (depth == 0) throw Error("cannot read folder " + path + ": " + std::strerror(errno));
    spdlog::warn("skipping {}: {}", path, std::strerror(errno));
    return;
  }
  Directory dir(fd);
  if (!dir.get()) return;
  const int dir_fd = ::dirfd(dir.get());
  struct Child {
    std::string key;  // name, plus '/' for directories
    bool directory;
  };
  std::vector<Child> children;
  while (const dirent* entry = ::readdir(dir.get())) {
    const char* child = entry->d_name;
    if (std::strcmp(child, ".") == 0 || std::strcmp(child, "..") == 0) continue;
    unsigned char type = entry->d_type;
    if (type == DT_UNKNOWN) {  // some file systems do not fill d_type
      struct stat st {};
      if (::fstatat(dir_fd, child, &st, AT_SYMLINK_NOFOLLOW) != 0) continue;
      type = S_ISDIR(st.st_mode) ? DT_DIR : (S_ISREG(st.st_mode) ? DT_REG : DT_LNK);
    }
    if (type == DT_DIR) {
      if (depth + 1 < kMaxDepth)
        children.push_back({std::string(child) + "/", true});
      else
        spdlog::warn("skipping {}/{}: folders more than {} levels deep are not read", path, child, kMaxDepth);
    } else if (type == DT_REG && accept(child)) {
      children.push_back({child, false});
    }
  }
  std::sort(children.begin(), children.end(), [](const Child& a, const Child& b) { return a.key < b.key; });
  for (auto& c : children) {
    if (c.directory) {
      c.key.pop_back();
      walk(dir_fd, c.key.c_str(), path + "/" + c.key, depth + 1, accept, out);
      continue;
    }
    struct stat st {};
    if (::fstatat(dir_fd, c.key.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0) continue;
    out.push_back({path + "/" + c.key,
                   {static_cast<std::int64_t>(st.st_size),
                    static_cast<std::int64_t>(st.st_mtim.tv_sec) * 1'000'000'000 + st.st_mtim.tv_nsec}});
  }
}
}  // namespace

std::vector<FileEntry> list_files(const std::filesystem::path& root,
                                  const std::function<bool(std::string_view)>& accept) {
  std::vector<FileEntry> out;
  std::string base = root.string();
  while (base.size() > 1 && base.back() == '/') base.pop_back();
  walk(AT_FDCWD, base.c_str(), base, 0, accept, out);
  return out;
}

}  // namespace drvaudit
