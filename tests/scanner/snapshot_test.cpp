#include <catch2/catch.hpp>

#include "common/error.hpp"
#include "scanner/snapshot.hpp"
#include "tests/support/temp_dir.hpp"

namespace snapshot = drvaudit::snapshot;
using drvaudit::Device;
using drvaudit::Inventory;

namespace {
Inventory sample_inventory() {
  Inventory inv;
  inv.machine = {"laptop", "windows", "10.0.22631", "amd64", "workstation", "2026-11-01T08:00:00Z", "setupapi"};
  Device gpu;
  gpu.instance_id = "PCI\\VEN_8086&DEV_9A49&SUBSYS_22C217AA&REV_01\\3&11583659&0&10";
  gpu.bus = "PCI";
  gpu.class_name = "Display";
  gpu.class_guid = "{4d36e968-e325-11ce-bfc1-08002be10318}";
  gpu.description = "Intel(R) Iris(R) Xe Graphics";
  gpu.manufacturer = "Intel Corporation";
  gpu.hardware_ids = {"PCI\\VEN_8086&DEV_9A49&SUBSYS_22C217AA&REV_01", "PCI\\VEN_8086&DEV_9A49&SUBSYS_22C217AA"};
  gpu.compatible_ids = {"PCI\\VEN_8086&DEV_9A49&REV_01", "PCI\\VEN_8086&DEV_9A49"};
  drvaudit::InstalledDriver drv;
  drv.provider = "Intel Corporation";
  drv.version = "31.0.101.4502";
  drv.date = drvaudit::DriverDate::parse("06/14/2023");
  drv.inf = "oem42.inf";
  drv.section = "iTGLD_w10_DS";
  drv.matching_id = "PCI\\VEN_8086&DEV_9A49";
  drv.rank = 0x00FF2001;
  drv.signer = "Microsoft Windows Hardware Compatibility Publisher";
  drv.service = "igfxn";
  gpu.driver = drv;
  Device unknown;
  unknown.instance_id = "ACPI\\INT33A1\\1";
  unknown.bus = "ACPI";
  unknown.class_name = "Unknown";
  unknown.description = "Unknown device \"quoted\", with comma";
  unknown.manufacturer = "";
  unknown.hardware_ids = {"ACPI\\INT33A1", "*INT33A1"};
  unknown.problem_code = 28;
  inv.devices = {gpu, unknown};
  return inv;
}
}  // namespace

TEST_CASE("a snapshot round-trips to the same model and the same bytes") {
  const auto inv = sample_inventory();
  const auto text = snapshot::serialize(inv);
  const auto back = snapshot::parse(text, "memory");
  CHECK(back == inv);
  CHECK(snapshot::serialize(back) == text);
  CHECK(text.find("\"rank\": \"0x00FF2001\"") != std::string::npos);
  CHECK(text.find("\"date\": \"2023-06-14\"") != std::string::npos);
}

TEST_CASE("a snapshot is saved atomically and loads again") {
  drvaudit::test::TempDir dir;
  const auto file = dir / "laptop.json";
  snapshot::save(file, sample_inventory());
  CHECK(snapshot::load(file) == sample_inventory());
  CHECK(std::distance(std::filesystem::directory_iterator(dir.path()), {}) == 1);  // no temp file left
}

TEST_CASE("ranks may be written as numbers or hex strings, dates in INF form") {
  const auto inv = snapshot::parse(R"({"schema":"drvaudit-snapshot/1","devices":[{"instance_id":"X\\1","bus":"PCI",
    "class":"Net","description":"d","manufacturer":"m","hardware_ids":["PCI\\VEN_1&DEV_2"],"compatible_ids":[],
    "problem_code":0,"present":true,"driver":{"version":"1.0","date":"05/21/2022","rank":16719873}}]})",
                                   "inline");
  REQUIRE(inv.devices.size() == 1);
  CHECK(inv.devices[0].driver->rank == 0x00FF2001u);
  CHECK(inv.devices[0].driver->date.to_iso() == "2022-05-21");
}

TEST_CASE("bad snapshots get one clear error with the file and the JSON path") {
  const std::string good = snapshot::serialize(sample_inventory());
  struct Case {
    std::string text;
    std::string expected;
  };
  const std::vector<Case> cases = {
      {good.substr(0, good.size() / 2), "is not a snapshot: the JSON ends early at line"},
      {"# a README\n", "is not a snapshot: not JSON at line 1, column 1"},
      {"", "the file is empty"},
      {R"({"schema":"drvaudit-snapshot/1","devices":[],"n":36e968})", "is not a snapshot: number overflow"},
      {"[]", "at /: expected a JSON object"},
      {R"({"schema":"drvaudit-snapshot/9","devices":[]})", "at /schema: unsupported schema"},
      {R"({"devices":[]})", "missing required key \"schema\""},
      {R"({"schema":"drvaudit-snapshot/1","devices":{}})", "at /devices: expected an array"},
      {R"({"schema":"drvaudit-snapshot/1","devices":[{"instance_id":"a"}]})",
       "at /devices/0: missing required key \"bus\""},
      {R"({"schema":"drvaudit-snapshot/1","devices":[{"instance_id":"a","bus":"PCI","class":"Net","description":"",
          "manufacturer":"","hardware_ids":["A",7],"compatible_ids":[],"problem_code":0,"present":true,"driver":null}]})",
       "at /devices/0/hardware_ids/1: expected a string"},
      {R"({"schema":"drvaudit-snapshot/1","devices":[{"instance_id":"a","bus":"PCI","class":"Net","description":"",
          "manufacturer":"","hardware_ids":[],"compatible_ids":[],"problem_code":-1,"present":true,"driver":null}]})",
       "at /devices/0/problem_code"},
      {R"({"schema":"drvaudit-snapshot/1","devices":[{"instance_id":"a","bus":"PCI","class":"Net","description":"",
          "manufacturer":"","hardware_ids":[],"compatible_ids":[],"problem_code":0,"present":true,
          "driver":{"date":"31/31/2020"}}]})",
       "at /devices/0/driver/date"},
      {R"({"schema":"drvaudit-snapshot/1","devices":[{"instance_id":"a","bus":"PCI","class":"Net","description":"",
          "manufacturer":"","hardware_ids":[],"compatible_ids":[],"problem_code":0,"present":true,
          "driver":{"rank":"fast"}}]})",
       "at /devices/0/driver/rank"},
      {R"({"schema":"drvaudit-snapshot/1","devices":[{"instance_id":"a","bus":"PCI","class":"Net","description":"",
          "manufacturer":"","hardware_ids":[],"compatible_ids":[],"problem_code":0,"present":true,"driver":null,
          "hardware_id":"typo"}]})",
       "at /devices/0/hardware_id: unknown key"},
  };
  for (const auto& c : cases) {
    INFO(c.text.substr(0, 120));
    try {
      snapshot::parse(c.text, "bad.json");
      FAIL("accepted a bad snapshot");
    } catch (const drvaudit::ParseError& e) {
      const std::string message = e.what();
      CHECK_THAT(message,
                 Catch::Contains("bad.json") && Catch::Contains(c.expected) && !Catch::Contains("json.exception"));
    }
  }
}

TEST_CASE("duplicate instance IDs are refused") {
  auto inv = sample_inventory();
  inv.devices[1].instance_id = inv.devices[0].instance_id;
  CHECK_THROWS_WITH(snapshot::parse(snapshot::serialize(inv), "dup.json"),
                    Catch::Contains("/devices/1/instance_id: duplicate"));
}

TEST_CASE("a key given twice in one object is refused, at any level") {
  const auto text = snapshot::serialize(sample_inventory());
  auto twice = [&](const std::string& key_line) {
    auto s = text;
    const auto at = s.find(key_line);
    REQUIRE(at != std::string::npos);
    return s.insert(at, key_line);
  };
  CHECK_THROWS_WITH(snapshot::parse(twice("\"hostname\": \"laptop\",\n"), "d.json"),
                    Catch::Contains("d.json") && Catch::Contains("\"hostname\" is given twice"));
  CHECK_THROWS_WITH(snapshot::parse(twice("\"bus\": \"PCI\",\n"), "d.json"), Catch::Contains("\"bus\" is given twice"));
  // The same key in two different objects is fine.
  CHECK_NOTHROW(snapshot::parse(text, "d.json"));
}

TEST_CASE("a snapshot larger than 64 MiB is refused before it is read") {
  std::string big = "{\"schema\": \"drvaudit-snapshot/1\", \"devices\": [], \"pad\": \"";
  big.append(snapshot::kMaxSnapshotBytes, ' ');
  big += "\"}";
  CHECK_THROWS_WITH(snapshot::parse(big, "big.json"), Catch::Contains("big.json: larger than 64 MiB"));
}

TEST_CASE("a missing snapshot file is an error naming the file") {
  CHECK_THROWS_WITH(snapshot::load("/nonexistent/drvaudit.json"), Catch::Contains("/nonexistent/drvaudit.json"));
}
