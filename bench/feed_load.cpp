// Feed parse + store benchmark (issue 5): the part of a first `catalog sync` that runs after the
// download and the signature check, on the same code path (catalog::replace_feed_content).
//
// usage: feed_load FEED_JSON DB_FILE [RUNS]
//   Each run times the parse alone (packages read and dropped), then parse + store into DB_FILE,
//   recreated for every run. The best and the median of RUNS runs (default 5) are printed.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "catalog/catalog_store.hpp"
#include "catalog/feed.hpp"
#include "catalog/feed_sync.hpp"

namespace {
using Clock = std::chrono::steady_clock;

double ms_since(Clock::time_point start) {
  return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

struct Run {
  double parse = 0, parse_and_store = 0;
};

Run run_once(const std::string& body, const std::filesystem::path& db_file) {
  Run run;
  auto start = Clock::now();
  std::size_t read = 0;
  (void)drvaudit::feed::parse(body, "bench", [&](drvaudit::feed::Package&&) { ++read; });
  run.parse = ms_since(start);

  for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(db_file.string() + suffix);
  drvaudit::catalog::Store store(db_file, drvaudit::catalog::Store::Mode::read_write);
  const auto source = store.add_feed_source("https://127.0.0.1/feed.json", "", true, "");
  start = Clock::now();
  const auto stored = drvaudit::catalog::replace_feed_content(store, source, body, "\"etag\"", "");
  run.parse_and_store = ms_since(start);
  if (stored != read) std::fprintf(stderr, "stored %zu packages of %zu\n", stored, read);
  return run;
}
}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: feed_load FEED_JSON DB_FILE [RUNS]\n");
    return 2;
  }
  std::ifstream in(argv[1], std::ios::binary);
  std::stringstream buffer;
  buffer << in.rdbuf();
  const std::string body = buffer.str();
  const int runs = argc > 3 ? std::max(1, std::atoi(argv[3])) : 5;
  std::vector<Run> results;
  for (int i = 0; i < runs; ++i) {
    results.push_back(run_once(body, argv[2]));
    std::printf("run %d: parse alone %.0f ms; parse + store %.0f ms\n", i + 1, results.back().parse,
                results.back().parse_and_store);
  }
  std::sort(results.begin(), results.end(),
            [](const Run& a, const Run& b) { return a.parse_and_store < b.parse_and_store; });
  std::printf("%zu bytes, %d runs: parse + store best %.0f ms, median %.0f ms (parse alone: median %.0f ms)\n",
              body.size(), runs, results.front().parse_and_store, results[results.size() / 2].parse_and_store,
              results[results.size() / 2].parse);
  return 0;
}
