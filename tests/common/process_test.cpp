#include <catch2/catch.hpp>

#include "common/error.hpp"
#include "common/process.hpp"
#include "tests/support/temp_dir.hpp"

namespace process = drvaudit::process;
using namespace std::chrono_literals;

#ifndef _WIN32
TEST_CASE("arguments reach the program literally, never through a shell") {
  const auto result = process::run({"printf", "%s|", "two words", "$HOME", "a;b", "`id`", "*"});
  CHECK(result.exit_code == 0);
  CHECK(result.out == "two words|$HOME|a;b|`id`|*|");
}

TEST_CASE("exit codes, stderr and stdin are carried") {
  auto result = process::run({"sh", "-c", "echo oops >&2; exit 7"});
  CHECK(result.exit_code == 7);
  CHECK(result.err == "oops\n");

  process::Options options;
  options.stdin_data = std::string(200000, 'x');  // more than a pipe buffer holds
  result = process::run({"wc", "-c"}, options);
  CHECK(result.exit_code == 0);
  CHECK(result.out.find("200000") != std::string::npos);
}

TEST_CASE("a program that outlives its timeout is killed") {
  process::Options options;
  options.timeout = 200ms;
  const auto result = process::run({"sleep", "30"}, options);
  CHECK(result.timed_out);
  CHECK(result.exit_code == -1);
}

#else
TEST_CASE("Windows: exit codes and output are carried, arguments are quoted for CommandLineToArgvW") {
  auto result = process::run({"cmd.exe", "/c", "exit 7"});
  CHECK(result.exit_code == 7);
  result = process::run({"cmd.exe", "/c", "echo", "hello"});
  CHECK(result.exit_code == 0);
  CHECK(result.out.find("hello") != std::string::npos);
  // drvaudit.exe itself parses its arguments with CommandLineToArgvW: a snapshot path with spaces
  // and quotes must reach it whole (it reports the file it could not read).
  result = process::run(
      {drvaudit::test::drvaudit_binary().string(), "--snapshot", "C:\\no such\\dir \"x\"\\a b.json", "scan"});
  CHECK(result.exit_code == 1);
  CHECK(result.err.find("C:\\no such\\dir \"x\"\\a b.json") != std::string::npos);
}
#endif

TEST_CASE("a program that does not exist is an error, not a crash") {
  CHECK_THROWS_AS(process::run({"/nonexistent/drvaudit-no-such-program"}), drvaudit::Error);
  CHECK_THROWS_AS(process::run({}), drvaudit::Error);
}
