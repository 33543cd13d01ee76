#include <fcntl.h>
#include <pwd.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>
#include <vector>

#include "common/error.hpp"
#include "common/private_state.hpp"

namespace drvaudit::private_state {

namespace {
std::string user_name(uid_t uid) {
  if (const passwd* pw = ::getpwuid(uid); pw && pw->pw_name)
    return std::string(pw->pw_name) + " (uid " + std::to_string(uid) + ")";
  return "uid " + std::to_string(uid);
}

std::string octal_mode(mode_t mode) {
  char text[8];
  std::snprintf(text, sizeof text, "%04o", static_cast<unsigned>(mode & 07777));
  return text;
}

// The rules every state folder must pass, whether drvaudit made it or the user named it.
void judge_folder(const std::filesystem::path& folder, const struct stat& st) {
  const std::string name = folder.string();
  if (!S_ISDIR(st.st_mode)) throw Error("the state folder " + name + " is not a folder");
  if (st.st_uid != ::geteuid()) {
    throw Error("refusing the state folder " + name + ": it belongs to " + user_name(st.st_uid) +
                ", and drvaudit running as " + user_name(::geteuid()) +
                " keeps its state only in folders it owns (choose another with --state-dir)");
  }
  if ((st.st_mode & (S_IWGRP | S_IWOTH)) != 0) {
    throw Error("refusing the state folder " + name + ": other users can write to it (mode " + octal_mode(st.st_mode) +
                "), so they could plant files drvaudit would trust; make it private with `chmod 700 " + name +
                "` or choose another with --state-dir");
  }
}

// lstat, then the target of a link: a link to a folder the user owns is fine, a dangling one is
// the mistake it looks like.
bool stat_folder(const std::filesystem::path& folder, struct stat& st) {
  if (::lstat(folder.c_str(), &st) != 0) {
    if (errno == ENOENT) return false;
    throw Error("cannot read the state folder " + folder.string() + ": " + std::strerror(errno));
  }
  if (S_ISLNK(st.st_mode) && ::stat(folder.c_str(), &st) != 0) {
    std::error_code ec;
    const auto target = std::filesystem::read_symlink(folder, ec);
    throw Error("the state folder " + folder.string() + " is a symbolic link to " +
                (ec ? std::string("somewhere unreadable") : target.string()) + ", which " +
                (errno == ENOENT ? "does not exist" : std::string("cannot be read: ") + std::strerror(errno)) +
                "; create the folder it points to or choose another with --state-dir");
  }
  return true;
}
}  // namespace

void prepare_folder(const std::filesystem::path& folder, Access) {
  const auto absolute = std::filesystem::absolute(folder).lexically_normal();
  struct stat st {};
  if (stat_folder(absolute, st)) {
    judge_folder(absolute, st);
    return;
  }
  // The missing tail of the path, outermost first.
  std::vector<std::filesystem::path> missing;
  for (auto p = absolute; !p.empty() && p != p.root_path(); p = p.parent_path()) {
    if (stat_folder(p, st)) break;
    missing.push_back(p);
  }
  for (auto it = missing.rbegin(); it != missing.rend(); ++it) {
    if (::mkdir(it->c_str(), 0700) != 0 && errno != EEXIST)
      throw Error("cannot create the state folder " + it->string() + ": " + std::strerror(errno));
    // mkdir's mode is cut by the umask; chmod is not. lstat again: judge what is there now.
    if (::lstat(it->c_str(), &st) != 0)
      throw Error("cannot read the state folder " + it->string() + ": " + std::strerror(errno));
    if (S_ISLNK(st.st_mode))
      throw Error("refusing the state folder " + it->string() +
                  ": a symbolic link appeared while it was being created");
    judge_folder(*it, st);
    if ((st.st_mode & 07777) != 0700 && ::chmod(it->c_str(), 0700) != 0)
      throw Error("cannot make the state folder " + it->string() + " private: " + std::strerror(errno));
  }
}

bool prepare_file(const std::filesystem::path& file, bool create) {
  const int flags = O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK | (create ? O_CREAT : 0);
  const int fd = ::open(file.c_str(), flags, 0600);
  if (fd < 0) {
    if (errno == ENOENT && !create) return false;
    if (errno == ELOOP)
      throw Error("refusing " + file.string() +
                  ": it is a symbolic link, and drvaudit never follows links inside its state folder");
    throw Error("cannot open " + file.string() + ": " + std::strerror(errno));
  }
  struct stat st {};
  const int stat_result = ::fstat(fd, &st);
  const int stat_errno = errno;
  std::string problem;
  if (stat_result != 0)
    problem = std::strerror(stat_errno);
  else if (!S_ISREG(st.st_mode))
    problem = "it is not a regular file";
  else if (st.st_uid != ::geteuid())
    problem = "it belongs to " + user_name(st.st_uid) + ", not to " + user_name(::geteuid());
  else if (st.st_nlink != 1)
    problem = "it has other hard links, so writing it would write another file too";
  else if ((st.st_mode & 077) != 0 && ::fchmod(fd, 0600) != 0)
    problem = std::string("cannot make it private: ") + std::strerror(errno);
  ::close(fd);
  if (!problem.empty()) throw Error("refusing " + file.string() + ": " + problem);
  return true;
}

}  // namespace drvaudit::private_state
