// The report reader: simdjson's On-Demand parser, because a fleet's reports are large (a 400-device
// report is about 0.8 MB, ten thousand of them 8 GB) and a DOM parser spends most of an ingest
// building trees of members the fleet never stores. Every member is visited in document order;
// what the fleet does not keep is skipped without being materialised.
#include <simdjson.h>

#include <algorithm>
#include <array>
#include <set>
#include <unordered_map>

#include "common/clock.hpp"
#include "common/error.hpp"
#include "common/text.hpp"
#include "fleet/fleet_report.hpp"

namespace drvaudit::fleet {

namespace {
using simdjson::ondemand::json_type;
constexpr std::size_t kMaxText = 4096;        // any string member
constexpr std::size_t kMaxMachineName = 255;  // a host name's limit
constexpr std::size_t kMaxIds = 256;          // hardware and compatible IDs of one device
constexpr std::int64_t kMaxRunId = std::int64_t{1} << 53;
constexpr std::int64_t kMaxProblemCode = 255;
constexpr std::size_t kMaxDevices = kMaxReportDevices;
constexpr std::size_t kMaxChanges = kMaxReportChanges;
constexpr auto kMaxCount =
    static_cast<std::int64_t>(kMaxReportDevices);  // Device Manager's codes are 1-57; CM_PROB_* fit a byte

using simdjson::ondemand::object;
using simdjson::ondemand::value;

// A JSON object's member names so far: a name that comes twice is refused (JSON parsers disagree
// on which of the two counts, so a report with both could say one thing to drvaudit and another to
// a person's tool). Objects here have a handful of members: a linear look-up in place is cheapest.
class MemberNames {
 public:
  bool add(std::string_view name) {
    for (std::size_t i = 0; i < count_; ++i) {
      if (inline_[i] == name) return false;
    }
    for (const auto& s : overflow_) {
      if (s == name) return false;
    }
    if (count_ < inline_.size()) {
      inline_[count_++] = name;
    } else {
      overflow_.push_back(name);
    }
    return true;
  }

 private:
  std::array<std::string_view, 24> inline_{};
  std::size_t count_ = 0;
  std::vector<std::string_view> overflow_;
};

class Reader {
 public:
  explicit Reader(simdjson::ondemand::parser& parser) : parser_(parser) {}
  // Where the reader is, as a path ("audit.devices[12].installed.version"): kept as parts and
  // written out only when something is wrong, since it changes at every member of every device.
  std::string where() const {
    std::string out = list_ ? std::string(list_) + "[" + std::to_string(index_) + "]" : std::string();
    const auto add = [&](std::string_view s) {
      if (s.empty()) return;
      if (!out.empty()) out += '.';
      out += s;
    };
    if (part_) add(part_);
    add(key_);
    return out;
  }

  FleetReport read(std::string_view json) {
    simdjson::padded_string padded(json);
    simdjson::ondemand::document doc = parser_.iterate(padded);
    object top = doc.get_object();
    bool schema = false, run = false, audit = false, inventory = false, diff = false;
    MemberNames names;
    for (auto field : top) {
      const std::string_view key = field.unescaped_key();
      unique(names, key);
      value v = field.value();
      if (key == "schema") {
        at("schema");
        if (v.get_string().value() != "drvaudit-report/1") fail("not drvaudit-report/1");
        schema = true;
      } else if (key == "machine") {
        at("machine");
        report_.machine = text(v, kMaxMachineName);
      } else if (key == "tool_version") {
        at("tool_version");
        report_.tool_version = text(v);
      } else if (key == "run") {
        read_run(v.get_object());
        run = true;
      } else if (key == "audit") {
        read_audit(v.get_object());
        audit = true;
      } else if (key == "inventory") {
        read_inventory(v.get_object());
        inventory = true;
      } else if (key == "diff") {
        at("diff");
        if (v.type() != json_type::null) {
          read_diff(v.get_object());
          report_.has_diff = true;
        }
        diff = true;
      }
    }
    at(nullptr);
    if (!schema) fail("no schema member: not a drvaudit report");
    if (!run || !audit || !inventory || !diff)
      fail("a member is missing (run, audit, inventory and diff are required)");
    if (report_.machine.empty()) fail("no machine name");
    at("machine");
    for (const unsigned char c : report_.machine) {
      if (c < 0x20 || c == 0x7F || c == '/' || c == '\\') fail("a machine name has no control characters or slashes");
    }
    at(nullptr);
    check_counts();
    attach_hardware_ids();
    return std::move(report_);
  }

 private:
  [[noreturn]] void fail(const std::string& what) const {
    const auto at = where();
    throw ParseError(at.empty() ? what : at + ": " + what);
  }

  // Every string member is bounded: a report is data from a machine someone else controls.
  std::string text(value v, std::size_t max = kMaxText) const {
    const std::string_view s = v.get_string().value();
    if (s.size() > max) fail("longer than " + std::to_string(max) + " bytes");
    return std::string(s);
  }

  void unique(MemberNames& names, std::string_view key) const {
    if (!names.add(key)) fail("member '" + text::escape_control(key) + "' appears twice");
  }

  std::int64_t number(value v, std::int64_t low, std::int64_t high) const {
    const std::int64_t n = v.get_int64();
    if (n < low || n > high)
      fail(std::to_string(n) + " is out of range (" + std::to_string(low) + " to " + std::to_string(high) + ")");
    return n;
  }

  std::string text_or_empty(value v) {
    if (v.type() == json_type::null) return "";
    return text(v);
  }

  void read_run(object run) {
    at("run");
    bool id = false;
    MemberNames names;
    for (auto field : run) {
      const std::string_view key = field.unescaped_key();
      at("run", key);
      unique(names, key);
      if (key == "id") {
        at("run.id");
        report_.run = number(field.value(), 1, kMaxRunId);
        id = true;
      } else if (key == "recorded_at") {
        at("run.recorded_at");
        report_.recorded_at = text(field.value());
      }
    }
    at("run");
    if (!id || report_.recorded_at.size() != 20 || !parse_iso8601(report_.recorded_at))
      fail("needs a positive id and recorded_at as a valid YYYY-MM-DDTHH:MM:SSZ");
  }

  void read_audit(object audit) {
    MemberNames names;
    for (auto field : audit) {
      const std::string_view key = field.unescaped_key();
      at("audit", key);
      unique(names, key);
      if (key == "schema") {
        at("audit.schema");
        if (field.value().get_string().value() != "drvaudit-audit/3") fail("not drvaudit-audit/3");
      } else if (key == "machine") {
        read_machine(field.value().get_object());
      } else if (key == "summary") {
        at("audit.summary");
        MemberNames verdicts;
        for (auto count : field.value().get_object()) {
          const std::string_view name = count.unescaped_key();
          unique(verdicts, name);
          const std::string verdict(name);
          if (!known_verdict(verdict)) fail("'" + text::escape_control(verdict) + "' is not a verdict");
          report_.summary[verdict] = number(count.value(), 0, kMaxCount);
        }
      } else if (key == "needs_attention") {
        at("audit.needs_attention");
        report_.attention = number(field.value(), 0, kMaxCount);
      } else if (key == "devices") {
        std::size_t i = 0;
        for (auto d : field.value().get_array()) {
          if (i == kMaxDevices) fail("more than " + std::to_string(kMaxDevices) + " devices");
          item("audit.devices", i++);
          read_device(d.get_object());
        }
      }
    }
  }

  void read_machine(object machine) {
    MemberNames names;
    for (auto field : machine) {
      const std::string_view key = field.unescaped_key();
      at("audit.machine", key);
      unique(names, key);
      if (key == "os") report_.os = text(field.value());
      if (key == "os_version") report_.os_version = text(field.value());
      if (key == "arch") report_.arch = text(field.value());
      if (key == "captured_at") report_.captured_at = text(field.value());
    }
  }

  void read_device(object device) {
    FleetDevice d;
    bool verdict = false;
    MemberNames names;
    for (auto field : device) {
      const std::string_view key = field.unescaped_key();
      member(nullptr, key);
      unique(names, key);
      value v = field.value();
      if (key == "instance_id") {
        d.instance_id = text(v);
      } else if (key == "description") {
        d.description = text(v);
      } else if (key == "class") {
        d.class_name = text(v);
      } else if (key == "verdict") {
        d.verdict = text(v);
        if (!known_verdict(d.verdict)) fail("'" + text::escape_control(d.verdict) + "' is not a verdict");
        verdict = true;
      } else if (key == "problem_code") {
        d.problem_code = number(v, 0, kMaxProblemCode);
      } else if (key == "installed") {
        if (v.type() == json_type::null) continue;
        d.has_driver = true;
        MemberNames installed;
        for (auto f : v.get_object()) {
          const std::string_view k = f.unescaped_key();
          member("installed", k);
          unique(installed, k);
          if (k == "inf") d.inf = text(f.value());
          if (k == "provider") d.provider = text(f.value());
          if (k == "version") d.version = text(f.value());
          if (k == "date") d.date = text(f.value());
          if (k == "module" && d.inf.empty()) d.inf = text(f.value());
        }
      } else if (key == "best") {
        if (v.type() == json_type::null) continue;
        MemberNames best;
        for (auto f : v.get_object()) {
          const std::string_view k = f.unescaped_key();
          member("best", k);
          unique(best, k);
          if (k == "inf") d.best_inf = text(f.value());
          if (k == "provider") d.best_provider = text(f.value());
          if (k == "version") d.best_version = text(f.value());
          if (k == "date") d.best_date = text(f.value());
        }
      }
    }
    member(nullptr, {});
    if (d.instance_id.empty() || !verdict) fail("a device needs an instance_id and a verdict");
    report_.devices.push_back(std::move(d));
  }

  void read_inventory(object inventory) {
    std::size_t i = 0;
    MemberNames names;
    for (auto field : inventory) {
      const std::string_view key = field.unescaped_key();
      at("inventory", key);
      unique(names, key);
      if (key == "schema") {
        at("inventory.schema");
        if (field.value().get_string().value() != "drvaudit-snapshot/1") fail("not drvaudit-snapshot/1");
      } else if (key == "devices") {
        for (auto d : field.value().get_array()) {
          if (i == kMaxDevices) fail("more than " + std::to_string(kMaxDevices) + " devices");
          item("inventory.devices", i++);
          std::string id;
          std::vector<std::string> ids;
          MemberNames device;
          for (auto f : d.get_object()) {
            const std::string_view k = f.unescaped_key();
            member(nullptr, k);
            unique(device, k);
            if (k == "instance_id") id = text(f.value());
            if (k == "hardware_ids" || k == "compatible_ids") {
              for (auto h : f.value().get_array()) {
                if (ids.size() == kMaxIds) fail("more than " + std::to_string(kMaxIds) + " IDs");
                const std::string_view one = h.get_string().value();
                if (one.size() > kMaxText) fail("an ID longer than " + std::to_string(kMaxText) + " bytes");
                ids.push_back(text::to_upper(one));
              }
            }
          }
          hardware_ids_.emplace(std::move(id), std::move(ids));
        }
      }
    }
  }

  void read_diff(object diff) {
    MemberNames names;
    for (auto field : diff) {
      const std::string_view key = field.unescaped_key();
      at("diff", key);
      unique(names, key);
      if (key == "schema") {
        at("diff.schema");
        if (field.value().get_string().value() != "drvaudit-history-diff/1") fail("not drvaudit-history-diff/1");
      } else if (key == "changes") {
        std::size_t i = 0;
        for (auto c : field.value().get_array()) {
          if (i == kMaxChanges) fail("more than " + std::to_string(kMaxChanges) + " changes");
          item("diff.changes", i++);
          FleetChange change;
          MemberNames change_names;
          for (auto f : c.get_object()) {
            const std::string_view k = f.unescaped_key();
            member(nullptr, k);
            unique(change_names, k);
            if (k == "change") change.change = text(f.value());
            if (k == "instance_id") change.instance_id = text(f.value());
            if (k == "description") change.description = text(f.value());
            if (k == "before") change.before = text(f.value());
            if (k == "after") change.after = text(f.value());
            if (k == "regression") change.regression = f.value().get_bool();
          }
          member(nullptr, {});
          if (change.change.empty() || change.instance_id.empty()) fail("a change needs its kind and instance_id");
          report_.changes.push_back(std::move(change));
        }
      }
    }
  }

  static bool known_verdict(std::string_view v) {
    return std::find(std::begin(kVerdicts), std::end(kVerdicts), v) != std::end(kVerdicts);
  }

  // A report whose summary disagrees with its devices was damaged or made by hand.
  void check_counts() {
    at("audit.summary");
    std::map<std::string, std::int64_t> counted;
    for (const auto& d : report_.devices) ++counted[d.verdict];
    for (auto v : kVerdicts) {
      const std::string name(v);
      const auto said = report_.summary.count(name) ? report_.summary.at(name) : -1;
      const auto seen = counted.count(name) ? counted.at(name) : 0;
      if (said != seen)
        fail(name + " is " + std::to_string(said) + " but " + std::to_string(seen) + " devices have that verdict");
    }
    at(nullptr);
  }

  void attach_hardware_ids() {
    for (auto& d : report_.devices) {
      const auto it = hardware_ids_.find(d.instance_id);
      if (it != hardware_ids_.end()) d.hardware_ids = it->second;
    }
  }

  simdjson::ondemand::parser& parser_;
  FleetReport report_;
  std::unordered_map<std::string, std::vector<std::string>> hardware_ids_;
  void at(const char* part, std::string_view key = {}) {
    list_ = nullptr;
    part_ = part;
    key_ = key;
  }
  void item(const char* list, std::size_t index) {
    list_ = list;
    index_ = index;
    part_ = nullptr;
    key_ = {};
  }
  void member(const char* part, std::string_view key) {
    part_ = part;
    key_ = key;
  }

  const char* list_ = nullptr;
  std::size_t index_ = 0;
  const char* part_ = nullptr;
  std::string_view key_;
};
}  // namespace

bool is_actionable(std::string_view verdict) {
  return verdict == "update_available" || verdict == "better_match" || verdict == "missing_driver";
}

FleetReport read_report(std::string_view json) {
  static thread_local simdjson::ondemand::parser parser;  // its buffers are reused report after report
  Reader reader(parser);
  try {
    return reader.read(json);
  } catch (const simdjson::simdjson_error& e) {
    const std::string at = reader.where().empty() ? "" : reader.where() + ": ";
    throw ParseError(at + "not a valid report (" + simdjson::error_message(e.error()) + ")");
  }
}

}  // namespace drvaudit::fleet
