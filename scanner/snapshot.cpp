#include "scanner/snapshot.hpp"

#include <cerrno>
#include <fstream>
#include <set>
#include <sstream>
#include <system_error>

#include "common/atomic_file.hpp"
#include "common/error.hpp"
#include "common/json_error.hpp"
#include "common/text.hpp"
#include "common/version.hpp"

namespace drvaudit::snapshot {

using nlohmann::json;
using nlohmann::ordered_json;

namespace {

std::string rank_text(std::uint32_t rank) { return "0x" + text::hex(rank, 8); }

ordered_json driver_to_json(const InstalledDriver& d) {
  ordered_json j;
  j["provider"] = d.provider;
  j["version"] = d.version;
  j["date"] = d.date.to_iso();
  j["inf"] = d.inf;
  j["section"] = d.section;
  j["matching_id"] = d.matching_id;
  j["rank"] = d.rank ? ordered_json(rank_text(*d.rank)) : ordered_json(nullptr);
  j["signer"] = d.signer;
  j["service"] = d.service;
  j["module"] = d.module;
  return j;
}

// Walks a parsed document, reporting the first problem with its JSON Pointer path.
class Reader {
 public:
  explicit Reader(std::string origin) : origin_(std::move(origin)) {}

  [[noreturn]] void fail(const std::string& path, const std::string& what) const {
    throw ParseError("snapshot " + origin_ + ": at " + (path.empty() ? "/" : path) + ": " + what);
  }

  const json& member(const json& obj, const std::string& path, const char* key, bool required) const {
    static const json kNull;
    if (auto it = obj.find(key); it != obj.end()) return *it;
    if (required) fail(path, std::string("missing required key \"") + key + "\"");
    return kNull;
  }

  void only_keys(const json& obj, const std::string& path, std::initializer_list<const char*> allowed) const {
    for (const auto& [key, value] : obj.items()) {
      bool known = false;
      for (const char* a : allowed) known = known || key == a;
      if (!known) fail(path + "/" + key, "unknown key (check its spelling; see docs/snapshot-format.md)");
    }
  }

  std::string string_at(const json& obj, const std::string& path, const char* key, bool required) const {
    const json& v = member(obj, path, key, required);
    if (v.is_null() && !required) return {};
    if (!v.is_string()) fail(path + "/" + key, "expected a string");
    return v.get<std::string>();
  }

  std::vector<std::string> id_list(const json& obj, const std::string& path, const char* key) const {
    const json& v = member(obj, path, key, true);
    if (!v.is_array()) fail(path + "/" + key, "expected an array of IDs");
    std::vector<std::string> out;
    for (std::size_t i = 0; i < v.size(); ++i) {
      if (!v[i].is_string()) fail(path + "/" + key + "/" + std::to_string(i), "expected a string");
      out.push_back(v[i].get<std::string>());
    }
    return out;
  }

  InstalledDriver driver(const json& j, const std::string& path) const {
    if (!j.is_object()) fail(path, "expected an object or null");
    only_keys(j, path,
              {"provider", "version", "date", "inf", "section", "matching_id", "rank", "signer", "service", "module"});
    InstalledDriver d;
    d.provider = string_at(j, path, "provider", false);
    d.version = string_at(j, path, "version", false);
    const auto date = string_at(j, path, "date", false);
    d.date = DriverDate::parse(date);
    if (!date.empty() && d.date.is_zero())
      fail(path + "/date", "\"" + date + "\" is not a valid date (YYYY-MM-DD or MM/DD/YYYY)");
    d.inf = string_at(j, path, "inf", false);
    d.section = string_at(j, path, "section", false);
    d.matching_id = string_at(j, path, "matching_id", false);
    const json& rank = member(j, path, "rank", false);
    if (rank.is_number_unsigned() && rank.get<std::uint64_t>() <= 0xFFFFFFFFu) {
      d.rank = static_cast<std::uint32_t>(rank.get<std::uint64_t>());
    } else if (rank.is_string()) {
      d.rank = text::parse_hex(rank.get<std::string>());
      if (!d.rank) fail(path + "/rank", "expected a 32-bit rank such as \"0x00FF2001\"");
    } else if (!rank.is_null()) {
      fail(path + "/rank", "expected a 32-bit rank such as \"0x00FF2001\", or null");
    }
    d.signer = string_at(j, path, "signer", false);
    d.service = string_at(j, path, "service", false);
    d.module = string_at(j, path, "module", false);
    return d;
  }

  Device device(const json& j, const std::string& path) const {
    if (!j.is_object()) fail(path, "expected a device object");
    only_keys(j, path,
              {"instance_id", "parent_id", "bus", "class", "class_guid", "description", "manufacturer", "location",
               "hardware_ids", "compatible_ids", "problem_code", "present", "firmware_version", "modalias", "driver"});
    Device d;
    d.instance_id = string_at(j, path, "instance_id", true);
    if (d.instance_id.empty()) fail(path + "/instance_id", "must not be empty");
    d.parent_id = string_at(j, path, "parent_id", false);
    d.bus = string_at(j, path, "bus", true);
    d.class_name = string_at(j, path, "class", true);
    d.class_guid = string_at(j, path, "class_guid", false);
    d.description = string_at(j, path, "description", true);
    d.manufacturer = string_at(j, path, "manufacturer", true);
    d.location = string_at(j, path, "location", false);
    d.hardware_ids = id_list(j, path, "hardware_ids");
    d.compatible_ids = id_list(j, path, "compatible_ids");
    const json& problem = member(j, path, "problem_code", true);
    if (!problem.is_number_unsigned() || problem.get<std::uint64_t>() > 0xFFFFFFFFu) {
      fail(path + "/problem_code", "expected a non-negative integer");
    }
    d.problem_code = static_cast<std::uint32_t>(problem.get<std::uint64_t>());
    const json& present = member(j, path, "present", true);
    if (!present.is_boolean()) fail(path + "/present", "expected true or false");
    d.present = present.get<bool>();
    d.firmware_version = string_at(j, path, "firmware_version", false);
    d.modalias = string_at(j, path, "modalias", false);
    const json& driver_json = member(j, path, "driver", true);
    if (!driver_json.is_null()) d.driver = driver(driver_json, path + "/driver");
    return d;
  }

  // Everything but the devices, which parse() converts one at a time as they are read.
  void header(const json& doc, Inventory& inv) const {
    if (!doc.is_object()) fail("", "expected a JSON object with \"schema\" and \"devices\"");
    only_keys(doc, "", {"schema", "tool_version", "machine", "devices"});
    string_at(doc, "", "tool_version", false);  // the writer's version: checked, not needed
    const auto schema = string_at(doc, "", "schema", true);
    if (schema != kSchema)
      fail("/schema", "unsupported schema \"" + schema + "\" (this drvaudit reads " + std::string(kSchema) + ")");
    const json& machine = member(doc, "", "machine", false);
    if (!machine.is_null()) {
      if (!machine.is_object()) fail("/machine", "expected an object");
      only_keys(machine, "/machine", {"hostname", "os", "os_version", "arch", "product_type", "captured_at", "source"});
      inv.machine.hostname = string_at(machine, "/machine", "hostname", false);
      inv.machine.os = string_at(machine, "/machine", "os", false);
      inv.machine.os_version = string_at(machine, "/machine", "os_version", false);
      inv.machine.arch = string_at(machine, "/machine", "arch", false);
      inv.machine.product_type = string_at(machine, "/machine", "product_type", false);
      inv.machine.captured_at = string_at(machine, "/machine", "captured_at", false);
      inv.machine.source = string_at(machine, "/machine", "source", false);
    }
    if (!member(doc, "", "devices", true).is_array()) fail("/devices", "expected an array");
  }

  void add_device(const json& j, std::size_t index, Inventory& inv, std::set<std::string>& seen) const {
    const std::string path = "/devices/" + std::to_string(index);
    inv.devices.push_back(device(j, path));
    if (!seen.insert(inv.devices.back().instance_id).second)
      fail(path + "/instance_id", "duplicate instance ID \"" + inv.devices.back().instance_id + "\"");
  }

  Inventory inventory(const json& doc) const {
    Inventory inv;
    header(doc, inv);
    std::set<std::string> seen;
    const json& devices = doc["devices"];
    for (std::size_t i = 0; i < devices.size(); ++i) add_device(devices[i], i, inv, seen);
    return inv;
  }

 private:
  std::string origin_;
};

}  // namespace

ordered_json device_to_json(const Device& d) {
  ordered_json j;
  j["instance_id"] = d.instance_id;
  j["parent_id"] = d.parent_id;
  j["bus"] = d.bus;
  j["class"] = d.class_name;
  j["class_guid"] = d.class_guid;
  j["description"] = d.description;
  j["manufacturer"] = d.manufacturer;
  j["location"] = d.location;
  j["hardware_ids"] = d.hardware_ids;
  j["compatible_ids"] = d.compatible_ids;
  j["problem_code"] = d.problem_code;
  j["present"] = d.present;
  j["firmware_version"] = d.firmware_version;
  j["modalias"] = d.modalias;
  j["driver"] = d.driver ? driver_to_json(*d.driver) : ordered_json(nullptr);
  return j;
}

ordered_json to_json(const Inventory& inventory) {
  ordered_json doc;
  doc["schema"] = kSchema;
  doc["tool_version"] = kToolVersion;
  const auto& m = inventory.machine;
  doc["machine"] = {{"hostname", m.hostname}, {"os", m.os}, {"os_version", m.os_version}, {"arch", m.arch}};
  if (!m.product_type.empty()) doc["machine"]["product_type"] = m.product_type;
  doc["machine"]["captured_at"] = m.captured_at;
  doc["machine"]["source"] = m.source;
  doc["devices"] = ordered_json::array();
  for (const auto& d : inventory.devices) doc["devices"].push_back(device_to_json(d));
  return doc;
}

Inventory from_json(const json& document, const std::string& origin) { return Reader(origin).inventory(document); }

Inventory parse(std::string_view input, const std::string& origin) {
  if (input.size() > kMaxSnapshotBytes)
    throw ParseError("snapshot " + origin + ": larger than " + std::to_string(kMaxSnapshotBytes >> 20) +
                     " MiB; a snapshot of a machine is a few hundred KiB");
  const Reader reader(origin);
  Inventory inv;
  std::set<std::string> seen_ids;
  // The parser's containers, outermost first. JSON leaves a key given twice to the reader (nlohmann
  // keeps the last): a snapshot that has one is ambiguous between readers, so it is refused, as
  // feeds are. Each device is converted as soon as it is read and dropped from the document: a
  // whole-document tree costs about ten times the file.
  struct Container {
    bool object;
    bool in_devices;  // an element of the top-level "devices" array
    bool is_devices;  // the top-level "devices" array itself
    std::set<std::string> keys;
  };
  std::vector<Container> open;
  std::string last_key;
  std::size_t device_count = 0;
  // Every device has an "instance_id" key: counting them first (a fast scan) sizes the device list
  // once, where growing it by doubling would hold up to three times its size while it moves.
  std::size_t expected = 0;
  for (auto at = input.find("\"instance_id\""); at != std::string_view::npos;
       at = input.find("\"instance_id\"", at + 1))
    ++expected;
  if (expected > kMaxSnapshotDevices)
    throw ParseError("snapshot " + origin + ": more than " + std::to_string(kMaxSnapshotDevices) +
                     " devices; a machine has a few hundred");
  inv.devices.reserve(expected);
  const auto in_devices_array = [&] { return open.size() == 2 && open.back().is_devices; };
  const json::parser_callback_t on_event = [&](int depth, json::parse_event_t event, json& parsed) {
    using Event = json::parse_event_t;
    switch (event) {
      case Event::object_start:
      case Event::array_start: {
        const bool element = in_devices_array();
        if (element && event == Event::array_start)
          reader.fail("/devices/" + std::to_string(device_count), "expected a device object");
        const bool devices = open.size() == 1 && last_key == "devices" && event == Event::array_start;
        open.push_back({event == Event::object_start, element, devices, {}});
        break;
      }
      case Event::object_end:
      case Event::array_end: {
        const bool device = open.back().in_devices;
        open.pop_back();
        if (device) {
          reader.add_device(parsed, device_count++, inv, seen_ids);
          return false;  // converted: not kept in the document
        }
        break;
      }
      case Event::key:
        last_key = parsed.get<std::string>();
        if (!open.empty() && !open.back().keys.insert(last_key).second)
          throw ParseError("snapshot " + origin + ": the key \"" + last_key +
                           "\" is given twice in one object (depth " + std::to_string(depth) + ")");
        break;
      case Event::value:
        if (in_devices_array()) reader.fail("/devices/" + std::to_string(device_count), "expected a device object");
        break;
    }
    return true;
  };
  json doc;
  try {
    doc = json::parse(input.begin(), input.end(), on_event);
  } catch (const json::parse_error& e) {
    throw ParseError(origin + " is not a snapshot: " +
                     (input.empty() ? std::string("the file is empty") : json_error_text(e.what())));
  } catch (const json::exception& e) {
    // Not only syntax: a number too large for a double (1e999) is out_of_range (found by fuzzing).
    throw ParseError(origin + " is not a snapshot: " + json_error_text(e.what()));
  }
  reader.header(doc, inv);
  return inv;
}

Inventory load(const std::filesystem::path& file) {
  std::error_code ec;
  if (const auto size = std::filesystem::file_size(file, ec); !ec && size > kMaxSnapshotBytes)
    throw ParseError("snapshot " + file.string() + ": larger than " + std::to_string(kMaxSnapshotBytes >> 20) +
                     " MiB; a snapshot of a machine is a few hundred KiB");
  errno = 0;
  std::ifstream in(file, std::ios::binary);
  // The reason the OS gave: "No such file or directory", "Permission denied", "Is a directory".
  if (!in)
    throw Error("cannot read snapshot " + file.string() + (errno ? ": " + std::generic_category().message(errno) : ""));
  // One copy of the file in memory, read in place (a stringstream would hold two).
  std::string content;
  char buffer[1 << 16];
  while (in.read(buffer, sizeof buffer) || in.gcount() > 0) {
    content.append(buffer, static_cast<std::size_t>(in.gcount()));
    if (content.size() > kMaxSnapshotBytes) break;  // parse() refuses it with the message
  }
  if (in.bad()) throw Error("cannot read snapshot " + file.string());
  return parse(content, file.string());
}

// The same text as to_json(inventory).dump(2), written one device at a time: the whole document as
// a tree would cost about ten times its text.
std::string serialize(const Inventory& inventory) {
  Inventory header_only;
  header_only.machine = inventory.machine;
  std::string head = to_json(header_only).dump(2, ' ', false, json::error_handler_t::replace);
  if (inventory.devices.empty()) return head + "\n";
  const auto empty_devices = head.rfind("\"devices\": []");
  std::string out = head.substr(0, empty_devices) + "\"devices\": [";
  for (std::size_t i = 0; i < inventory.devices.size(); ++i) {
    const std::string device = device_to_json(inventory.devices[i]).dump(2, ' ', false, json::error_handler_t::replace);
    out += i == 0 ? "\n    " : ",\n    ";
    for (const char c : device) {
      out += c;
      if (c == '\n') out += "    ";
    }
  }
  const std::string tail = "\n  ]\n}\n";
  out += tail;
  return out;
}

void save(const std::filesystem::path& file, const Inventory& inventory) {
  write_file_atomically(file, serialize(inventory));
}

}  // namespace drvaudit::snapshot
