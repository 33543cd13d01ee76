#include <catch2/catch.hpp>

#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <cstring>
#include <sstream>

#include "common/error.hpp"
#include "common/file_walk.hpp"
#include "tests/support/temp_dir.hpp"

TEST_CASE("list_files: regular files that pass the filter, in byte order of their paths, with size and mtime") {
  drvaudit::test::TempDir dir;
  for (const char* name : {"c1/x.inf", "c1-a.inf", "c10/y.inf", "c1/sub/z.inf", "B.inf", "a.txt", "c1.inf"}) {
    drvaudit::test::write_file(dir / name, std::string(std::strlen(name), 'x'));
  }
#ifndef _WIN32
  std::filesystem::create_symlink(dir / "c1", dir / "link-to-c1");  // not followed
#endif
  const auto files = drvaudit::list_files(dir.path(), [](std::string_view n) { return n.ends_with(".inf"); });
  // Byte order of the platform's own paths ('\\' on Windows sorts after digits, '/' before them):
  // what matters is that the catalog's stored list is in the same order.
  CHECK(std::is_sorted(files.begin(), files.end(), [](const auto& a, const auto& b) { return a.path < b.path; }));
  std::vector<std::string> paths;
  for (const auto& f : files) {
    auto p = f.path.substr(dir.path().string().size() + 1);
    std::replace(p.begin(), p.end(), '\\', '/');
    paths.push_back(p);
  }
  std::sort(paths.begin(), paths.end());
  CHECK(paths == std::vector<std::string>{"B.inf", "c1-a.inf", "c1.inf", "c1/sub/z.inf", "c1/x.inf", "c10/y.inf"});
  CHECK(files[0].stamp.size == 5);
  CHECK(files[0].stamp.mtime_ns > 0);
  CHECK_THROWS_AS(drvaudit::list_files(dir / "missing", [](std::string_view) { return true; }), drvaudit::Error);
}

TEST_CASE("list_files: folders more than 64 levels deep are skipped with a warning that names them") {
  drvaudit::test::TempDir dir;
  std::filesystem::path deep = dir.path();
  for (int level = 0; level < 66; ++level) deep /= "d";
  drvaudit::test::write_file(deep / "deep.inf", "x");
  drvaudit::test::write_file(dir / "top.inf", "x");

  std::ostringstream captured;
  auto sink = std::make_shared<spdlog::sinks::ostream_sink_mt>(captured);
  auto previous = spdlog::default_logger();
  spdlog::set_default_logger(std::make_shared<spdlog::logger>("capture", sink));
  const auto files = drvaudit::list_files(dir.path(), [](std::string_view n) { return n.ends_with(".inf"); });
  spdlog::set_default_logger(previous);

  REQUIRE(files.size() == 1);
  CHECK_THAT(files[0].path, Catch::EndsWith("top.inf"));
  std::filesystem::path skipped = dir.path();
  for (int level = 0; level < 64; ++level) skipped /= "d";
  CHECK_THAT(captured.str(), Catch::Contains("skipping " + skipped.string()) &&
                                 Catch::Contains("more than 64 levels deep are not read"));
}
