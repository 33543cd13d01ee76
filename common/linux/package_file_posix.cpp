#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <vector>

#include "common/error.hpp"
#include "common/hash.hpp"
#include "common/package_file.hpp"
#include "common/package_path.hpp"
#include "common/text.hpp"

namespace drvaudit::package_file {

namespace {
struct Fd {
  int fd = -1;
  explicit Fd(int f) : fd(f) {}
  Fd(Fd&& o) noexcept : fd(o.fd) { o.fd = -1; }
  Fd& operator=(Fd&&) = delete;
  ~Fd() {
    if (fd >= 0) ::close(fd);
  }
};
struct DirCloser {
  void operator()(DIR* d) const noexcept { ::closedir(d); }
};

// The entry of the open folder that `part` names: the exact name when present, else the first
// that matches ignoring ASCII case (how Windows finds package files). Empty when none does.
std::string actual_name(int dir, std::string_view part) {
  struct stat st {};
  const std::string exact(part);
  if (::fstatat(dir, exact.c_str(), &st, AT_SYMLINK_NOFOLLOW) == 0) return exact;
  const int copy = ::dup(dir);
  if (copy < 0) throw Error(std::string("cannot read a package folder: ") + std::strerror(errno));
  std::unique_ptr<DIR, DirCloser> d(::fdopendir(copy));
  if (!d) {
    ::close(copy);
    throw Error(std::string("cannot read a package folder: ") + std::strerror(errno));
  }
  ::rewinddir(d.get());
  while (const dirent* e = ::readdir(d.get())) {
    if (text::iequals(e->d_name, part)) return e->d_name;
  }
  return {};
}

[[noreturn]] void refuse_open(const std::string& shown, const std::string& part, int error) {
  if (error == ELOOP || error == EMLINK)
    throw Error(shown + ": " + part + " is a symbolic link; a package is read without following links");
  if (error == ENOTDIR) throw Error(shown + ": " + part + " is not a folder");
  throw Error(shown + ": cannot open " + part + ": " + std::strerror(error));
}
}  // namespace

std::optional<Copied> copy_out(const std::filesystem::path& folder, const std::string& relative,
                               const std::filesystem::path& to, std::int64_t max_bytes) {
  const std::string clean = package_path::checked(relative, "package file");
  const std::string shown = (folder / clean).string();
  // The folder itself is the one the user named (or drvaudit's own cache): it may be reached through a link.
  Fd dir(::open(folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (dir.fd < 0) {
    if (errno == ENOENT) return std::nullopt;
    throw Error("cannot open the package folder " + folder.string() + ": " + std::strerror(errno));
  }
  const auto parts = text::split(clean, '/');
  std::string spelled;
  for (std::size_t i = 0; i < parts.size(); ++i) {
    const auto name = actual_name(dir.fd, parts[i]);
    if (name.empty()) return std::nullopt;
    spelled += (spelled.empty() ? "" : "/") + name;
    const bool last = i + 1 == parts.size();
    const int flags = O_RDONLY | O_NOFOLLOW | O_CLOEXEC | (last ? O_NONBLOCK : O_DIRECTORY);
    Fd next(::openat(dir.fd, name.c_str(), flags));
    if (next.fd < 0) {
      const int error = errno;
      struct stat link {};
      // O_DIRECTORY reports a link to a folder as "not a folder": say what it is.
      if (::fstatat(dir.fd, name.c_str(), &link, AT_SYMLINK_NOFOLLOW) == 0 && S_ISLNK(link.st_mode))
        refuse_open(shown, spelled, ELOOP);
      refuse_open(shown, spelled, error);
    }
    if (!last) {
      std::swap(dir.fd, next.fd);
      continue;
    }
    struct stat st {};
    if (::fstat(next.fd, &st) != 0) refuse_open(shown, spelled, errno);
    if (!S_ISREG(st.st_mode)) throw Error(shown + ": " + spelled + " is not a regular file");
    if (st.st_nlink > 1)
      throw Error(shown + ": " + spelled + " has other hard links; a package file must be the folder's own");
    if (st.st_size > max_bytes)
      throw Error(shown + ": " + spelled + " is larger than " + std::to_string(max_bytes) + " bytes");
    Fd out(::open(to.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600));
    if (out.fd < 0) throw Error("cannot create " + to.string() + ": " + std::strerror(errno));
    hash::Sha256 sha;
    Copied copied{spelled, 0, {}};
    std::vector<char> buffer(1 << 16);
    for (;;) {
      const auto n = ::read(next.fd, buffer.data(), buffer.size());
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) throw Error("cannot read " + shown + ": " + std::strerror(errno));
      if (n == 0) break;
      copied.size += n;
      if (copied.size > max_bytes)
        throw Error(shown + ": " + spelled + " grew beyond " + std::to_string(max_bytes) + " bytes while it was read");
      sha.update({buffer.data(), static_cast<std::size_t>(n)});
      for (ssize_t done = 0; done < n;) {
        const auto w = ::write(out.fd, buffer.data() + done, static_cast<std::size_t>(n - done));
        if (w < 0 && errno == EINTR) continue;
        if (w < 0) throw Error("cannot write " + to.string() + ": " + std::strerror(errno));
        done += w;
      }
    }
    if (::close(out.fd) != 0) {
      out.fd = -1;
      throw Error("cannot write " + to.string() + ": " + std::strerror(errno));
    }
    out.fd = -1;
    copied.sha256 = sha.hex();
    return copied;
  }
  return std::nullopt;  // not reached: a checked name has a part
}

}  // namespace drvaudit::package_file
