#include <catch2/catch.hpp>

#include <chrono>
#include <string>

#include "catalog/driver_package.hpp"
#include "tests/security/counting_allocator.hpp"

using namespace drvaudit;

namespace {
// A Models section whose lines repeat %x% (a 4,000-character string) until the INF has the size
// asked for: the shape that made indexing an 8 MB INF take 10.6 GB.
std::string amplifying_inf(std::size_t size) {
  std::string inf =
      "[Version]\nSignature=\"$Windows NT$\"\nDriverVer=01/01/2024,1.0.0.0\n[Manufacturer]\n%x%=M,NTamd64\n"
      "[Strings]\nx=\"" +
      std::string(4000, 'a') + "\"\n[M.NTamd64]\n";
  std::string repeated;
  for (int i = 0; i < 1360; ++i) repeated += "%x%";
  while (inf.size() < size) inf += repeated + "=I,PCI\\VEN_1&DEV_2," + repeated + "\n";
  return inf;
}

// Short lines that each expand %x%: 8 bytes of INF for 4,096 characters of description each.
std::string short_expanding_lines_inf(std::size_t size) {
  std::string inf = "[Version]\nSignature=\"$Windows NT$\"\n[Manufacturer]\nM=M,NTamd64\n[Strings]\nx=\"" +
                    std::string(4000, 'x') + "\"\n[M.NTamd64]\n";
  while (inf.size() < size) inf += "%x%=I,H\n";
  return inf;
}

// Many tiny fields: the tokenizer's own cost per field.
std::string tiny_fields_inf(std::size_t size) {
  std::string inf = "[Version]\nSignature=\"$Windows NT$\"\n[Manufacturer]\nM=M,NTamd64\n[M.NTamd64]\n";
  std::string line = "d=i";
  for (int i = 0; i < 1000; ++i) line += ",a";
  while (inf.size() < size) inf += line + "\n";
  return inf;
}

// A [Manufacturer] line with many decorations and a long name, copied to every Models line.
std::string shared_facts_inf(std::size_t size) {
  std::string inf = "[Version]\nSignature=\"$Windows NT$\"\n[Manufacturer]\n%n%=M,NTamd64";
  for (int i = 0; i < 200; ++i) inf += ",NTamd64.10.0..." + std::to_string(10000 + i);
  inf += "\n[Strings]\nn=\"" + std::string(4000, 'n') + "\"\n[M.NTamd64]\n";
  while (inf.size() < size) inf += "d=i,h\n";
  return inf;
}

std::size_t peak_of_loading(const std::string& inf) {
  test::reset_peak();
  const auto before = test::live_bytes();
  {
    const auto pkg = inf::load_package(inf, "hostile.inf");
    (void)pkg;
  }
  return test::peak_bytes() - before;
}
}  // namespace

TEST_CASE("a hostile INF costs at most 64 MB plus 4 times its size, whatever its shape") {
  for (const std::size_t size : {std::size_t{86} << 10, std::size_t{1} << 20, std::size_t{8} << 20}) {
    for (const auto& [shape, inf] : {std::pair<const char*, std::string>{"%x% repeated", amplifying_inf(size)},
                                     {"short lines expanding %x%", short_expanding_lines_inf(size)},
                                     {"tiny fields", tiny_fields_inf(size)},
                                     {"shared facts", shared_facts_inf(size)}}) {
      const auto start = std::chrono::steady_clock::now();
      const auto peak = peak_of_loading(inf);
      const auto ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
      const std::size_t limit = (std::size_t{64} << 20) + 4 * inf.size();
      INFO(shape << ", " << inf.size() << " bytes: peak " << (peak >> 20) << " MiB (limit " << (limit >> 20)
                 << " MiB), " << ms << " ms");
      CHECK(peak <= limit);
      CHECK_FALSE(inf::load_package(inf, "hostile.inf").models.empty());
      WARN(shape << ", " << (inf.size() >> 10) << " KiB: peak " << (peak >> 10) << " KiB, " << static_cast<int>(ms)
                 << " ms");
    }
  }
}

TEST_CASE("substitution stops at 4,096 characters and says so, and the document's budget holds") {
  auto has = [](const inf::DriverPackage& pkg, const char* what) {
    for (const auto& d : pkg.diagnostics) {
      if (d.message.find(what) != std::string::npos) return true;
    }
    return false;
  };
  const auto long_lines = inf::load_package(amplifying_inf(1 << 20), "hostile.inf");
  REQUIRE_FALSE(long_lines.models.empty());
  for (const auto& m : long_lines.models) {
    CHECK(m.description.size() <= inf::kLineLength);
    CHECK(m.hardware_id == "PCI\\VEN_1&DEV_2");  // the 4,096-character ID after it is no device ID: dropped
  }
  CHECK(has(long_lines, "longer than 4096 characters after %key% substitution"));
  const auto short_lines = inf::load_package(short_expanding_lines_inf(1 << 20), "hostile.inf");
  CHECK(has(short_lines, "substitutions would add more than"));
  CHECK(has(short_lines, "the rest are not listed"));  // one problem a line, capped
  CHECK(short_lines.diagnostics.size() <= inf::kMaxDiagnostics + 3);
}
