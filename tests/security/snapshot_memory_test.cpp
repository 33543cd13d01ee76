#include <catch2/catch.hpp>

#include <string>

#include "scanner/snapshot.hpp"
#include "tests/security/counting_allocator.hpp"
#include "tests/support/temp_dir.hpp"

using namespace drvaudit;

namespace {
// A snapshot of `size` bytes whose devices look like a real machine's (IDs, names, a driver).
std::string realistic_snapshot(std::size_t size) {
  std::string out =
      R"({"schema":"drvaudit-snapshot/1","machine":{"os":"windows","os_version":"10.0.22631","arch":"amd64"},"devices":[)";
  for (std::size_t i = 0; out.size() < size; ++i) {
    if (i) out += ',';
    out +=
        R"({"instance_id":"PCI\\VEN_8086&DEV_15BB\\3&11583659&0&)" + std::to_string(i) +
        R"(","parent_id":"","bus":"pci","class":"Net","class_guid":"{4d36e972-e325-11ce-bfc1-08002be10318}",)"
        R"("description":"Intel(R) Ethernet Connection I219-LM","manufacturer":"Intel","location":"PCI bus 0, device 31",)"
        R"("hardware_ids":["PCI\\VEN_8086&DEV_15BB&SUBSYS_07B21028&REV_10","PCI\\VEN_8086&DEV_15BB&SUBSYS_07B21028"],)"
        R"("compatible_ids":["PCI\\VEN_8086&DEV_15BB&REV_10","PCI\\VEN_8086&DEV_15BB","PCI\\VEN_8086&CC_020000"],)"
        R"("problem_code":0,"present":true,"driver":{"inf":"oem12.inf","section":"E15BB.10.0.1","provider":"Intel",)"
        R"("version":"12.19.1.37","date":"2021-06-01","rank":"0x00FF0001","signer":"Microsoft Windows Hardware Compatibility Publisher"}})";
  }
  return out + "]}";
}

// The smallest devices the format allows: the most devices, so the most bookkeeping, per byte.
std::string minimal_snapshot(std::size_t size) {
  std::string out = R"({"schema":"drvaudit-snapshot/1","devices":[)";
  for (std::size_t i = 0; out.size() < size; ++i) {
    if (i) out += ',';
    out +=
        R"({"instance_id":")" + std::to_string(i) +
        R"(","bus":"","class":"","description":"","manufacturer":"","hardware_ids":[],"compatible_ids":[],"problem_code":0,"present":true,"driver":null})";
  }
  return out + "]}";
}
}  // namespace

TEST_CASE("reading a snapshot costs at most 4 times its size, and more than 100000 devices are refused") {
  test::TempDir dir;
  const auto text = realistic_snapshot(16 << 20);
  test::write_file(dir / "big.snapshot.json", text);
  test::reset_peak();
  const auto before = test::live_bytes();
  std::size_t devices = 0;
  {
    const auto inventory = snapshot::load(dir / "big.snapshot.json");
    devices = inventory.devices.size();
  }
  const auto peak = test::peak_bytes() - before;
  WARN((text.size() >> 10) << " KiB, " << devices << " devices: peak " << (peak >> 10) << " KiB ("
                           << static_cast<double>(peak) / static_cast<double>(text.size()) << "x the file)");
  CHECK(devices > 10000);
  CHECK(peak <= 4 * text.size());

  // Tiny devices cost the most per byte: their number is capped, and the refusal costs nothing.
  const auto tiny = minimal_snapshot(16 << 20);
  test::reset_peak();
  CHECK_THROWS_WITH(snapshot::parse(tiny, "tiny.json"), Catch::Contains("more than 100000 devices"));
  CHECK(test::peak_bytes() - test::live_bytes() < (1u << 20));
  const auto allowed = minimal_snapshot(14 << 20);  // about 90,000 devices
  test::reset_peak();
  const auto base = test::live_bytes();
  {
    const auto inventory = snapshot::parse(allowed, "allowed.json");
    CHECK(inventory.devices.size() > 80000);
  }
  const auto tiny_peak = test::peak_bytes() - base;
  WARN("minimal devices, " << (allowed.size() >> 10) << " KiB: peak " << (tiny_peak >> 10) << " KiB");
  CHECK(tiny_peak <= (std::size_t{64} << 20) + 4 * allowed.size());
}
