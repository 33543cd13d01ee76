#include <catch2/catch.hpp>

#ifndef _WIN32
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <string>

#include "common/error.hpp"
#include "common/private_state.hpp"
#include "common/process.hpp"
#include "tests/support/temp_dir.hpp"

using namespace drvaudit;
using drvaudit::test::TempDir;
namespace fs = std::filesystem;

namespace {
mode_t mode_of(const fs::path& p) {
  struct stat st {};
  REQUIRE(::lstat(p.c_str(), &st) == 0);
  return st.st_mode & 07777;
}

// Restores the umask a test changes.
class Umask {
 public:
  explicit Umask(mode_t mask) : old_(::umask(mask)) {}
  ~Umask() { ::umask(old_); }

 private:
  mode_t old_;
};

process::Result drvaudit_in(const fs::path& state, std::vector<std::string> args) {
  args.insert(args.begin(), {test::drvaudit_binary().string(), "--state-dir", state.string()});
  return process::run(args);
}

// Runs a command as the user nobody: the "other user" of these tests.
process::Result as_nobody(std::vector<std::string> args) {
  args.insert(args.begin(), {"setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "--"});
  return process::run(args);
}

const std::string kIndexFolder = (test::corpus_dir() / "inf-open").string();
const std::string kSample = std::string(DRVAUDIT_TEST_SOURCE_DIR) + "/data/samples/windows-laptop.snapshot.json";
}  // namespace

TEST_CASE("state folder: created 0700 with its parents, files 0600, whatever the umask") {
  TempDir temp;
  const Umask open_umask(0);
  const auto state = temp / "a" / "b" / "state";
  private_state::prepare_folder(state);
  CHECK(mode_of(temp / "a") == 0700);
  CHECK(mode_of(temp / "a" / "b") == 0700);
  CHECK(mode_of(state) == 0700);
  CHECK(private_state::prepare_file(state / "catalog.db", true));
  CHECK(mode_of(state / "catalog.db") == 0600);
  CHECK_FALSE(private_state::prepare_file(state / "absent.db", false));
  CHECK_FALSE(fs::exists(state / "absent.db"));

  // drvaudit's own file, loosened by someone: made private again.
  ::chmod((state / "catalog.db").c_str(), 0666);
  CHECK(private_state::prepare_file(state / "catalog.db", false));
  CHECK(mode_of(state / "catalog.db") == 0600);
}

TEST_CASE("state folder: a folder others can write, a link to nothing, links and hard links inside are refused") {
  TempDir temp;
  const auto open = temp / "open";
  fs::create_directory(open);
  ::chmod(open.c_str(), 0777);
  CHECK_THROWS_WITH(private_state::prepare_folder(open),
                    Catch::Contains("other users can write to it (mode 0777)") && Catch::Contains("chmod 700"));
  ::chmod(open.c_str(), 0775);
  CHECK_THROWS_WITH(private_state::prepare_folder(open), Catch::Contains("mode 0775"));

  fs::create_directory_symlink(temp / "missing", temp / "dangling");
  CHECK_THROWS_WITH(private_state::prepare_folder(temp / "dangling"),
                    Catch::Contains("is a symbolic link to") && Catch::Contains("does not exist"));
  // A link to a private folder of this user's is followed.
  fs::create_directory(temp / "real");
  ::chmod((temp / "real").c_str(), 0700);
  fs::create_directory_symlink(temp / "real", temp / "link");
  CHECK_NOTHROW(private_state::prepare_folder(temp / "link"));

  const auto victim = temp / "victim";
  test::write_file(victim, "precious\n");
  fs::create_symlink(victim, temp / "real" / "catalog.db");
  CHECK_THROWS_WITH(private_state::prepare_file(temp / "real" / "catalog.db", true),
                    Catch::Contains("symbolic link") && Catch::Contains("never follows"));
  fs::create_hard_link(victim, temp / "real" / "history.db");
  CHECK_THROWS_WITH(private_state::prepare_file(temp / "real" / "history.db", true),
                    Catch::Contains("other hard links"));
  CHECK(test::read_file(victim) == "precious\n");
}

TEST_CASE("state folder: the CLI refuses a dangling link and a folder others can write, and touches nothing") {
  TempDir temp;
  fs::create_directory_symlink(temp / "gone", temp / "state");
  auto r = drvaudit_in(temp / "state", {"catalog", "index", kIndexFolder});
  CHECK(r.exit_code == 1);
  CHECK_THAT(r.err, Catch::Contains("is a symbolic link to") && Catch::Contains("does not exist") &&
                        !Catch::Contains("internal error"));
  CHECK_FALSE(fs::exists(temp / "gone"));

  // A planted catalog link inside the user's own folder: refused, nothing created where it points.
  fs::create_directory(temp / "mine");
  ::chmod((temp / "mine").c_str(), 0700);
  fs::create_symlink(temp / "elsewhere.db", temp / "mine" / "catalog.db");
  r = drvaudit_in(temp / "mine", {"catalog", "index", kIndexFolder});
  CHECK(r.exit_code == 1);
  CHECK_THAT(r.err, Catch::Contains("catalog.db: it is a symbolic link"));
  r = drvaudit_in(temp / "mine", {"catalog", "stats"});
  CHECK(r.exit_code == 1);
  CHECK_FALSE(fs::exists(temp / "elsewhere.db"));
}

TEST_CASE("state folder: as root, another user's planted folder and links are refused and nothing outside changes") {
  if (::geteuid() != 0) {
    WARN("not run: needs root to create the second user's files");  // CI runs as root
    return;
  }
  TempDir temp;
  ::chmod(temp.path().c_str(), 0711);  // the other user can reach the folder it plants in
  const auto root_only = temp / "root-only";
  test::write_file(root_only, "root's file\n");
  ::chmod(root_only.c_str(), 0600);

  // A world-writable folder the other user filled with links: the log to a root-only file, the
  // catalog to a place of its choosing.
  const auto planted = temp / "planted";
  fs::create_directory(planted);
  ::chmod(planted.c_str(), 0777);
  REQUIRE(as_nobody({"mkdir", (planted / "logs").string()}).exit_code == 0);
  REQUIRE(as_nobody({"ln", "-s", root_only.string(), (planted / "logs" / "drvaudit.log").string()}).exit_code == 0);
  REQUIRE(as_nobody({"ln", "-s", (temp / "chosen.db").string(), (planted / "catalog.db").string()}).exit_code == 0);
  auto r = drvaudit_in(planted, {"catalog", "index", kIndexFolder});
  CHECK(r.exit_code == 1);
  CHECK_THAT(r.err, Catch::Contains("refusing the state folder") && Catch::Contains("other users can write"));
  CHECK(test::read_file(root_only) == "root's file\n");
  CHECK_FALSE(fs::exists(temp / "chosen.db"));

  // The same folder, no longer world-writable but owned by the other user: refused for its owner.
  ::chown(planted.c_str(), 65534, 65534);
  ::chmod(planted.c_str(), 0755);
  r = drvaudit_in(planted, {"--snapshot", kSample, "audit"});
  CHECK(r.exit_code == 1);
  CHECK_THAT(r.err, Catch::Contains("belongs to nobody (uid 65534)"));
  CHECK(test::read_file(root_only) == "root's file\n");
  CHECK_FALSE(fs::exists(temp / "chosen.db"));
  // scan needs no state: it runs, without a log file.
  r = drvaudit_in(planted, {"--snapshot", kSample, "scan"});
  CHECK(r.exit_code == 0);
  CHECK(test::read_file(root_only) == "root's file\n");
}
#endif
