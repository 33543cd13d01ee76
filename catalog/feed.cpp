#include "catalog/feed.hpp"

#include "common/text.hpp"

namespace drvaudit::feed {

using nlohmann::json;
using nlohmann::ordered_json;

namespace {

class Reader {
 public:
  explicit Reader(std::string origin) : origin_(std::move(origin)) {}

  [[noreturn]] void fail(const std::string& path, const std::string& what) const {
    throw ParseError("feed " + origin_ + ": at " + (path.empty() ? "/" : path) + ": " + what);
  }
  const json& member(const json& obj, const std::string& path, const char* key) const {
    if (!obj.is_object()) fail(path, "expected an object");
    auto it = obj.find(key);
    if (it == obj.end()) fail(path, std::string("missing required key \"") + key + "\"");
    return *it;
  }
  std::string str(const json& obj, const std::string& path, const char* key) const {
    const auto& v = member(obj, path, key);
    if (!v.is_string()) fail(path + "/" + key, "expected a string");
    // The document is read once: its strings are moved out, not copied.
    return std::move(const_cast<json&>(v).get_ref<std::string&>());
  }
  std::int64_t integer(const json& obj, const std::string& path, const char* key, std::int64_t min,
                       std::int64_t max) const {
    const auto& v = member(obj, path, key);
    if (!v.is_number_integer() || v.get<std::int64_t>() < min || v.get<std::int64_t>() > max) {
      fail(path + "/" + key, "expected an integer from " + std::to_string(min) + " to " + std::to_string(max));
    }
    return v.get<std::int64_t>();
  }
  std::vector<std::string> strings(const json& obj, const std::string& path, const char* key) const {
    const auto& v = member(obj, path, key);
    if (!v.is_array()) fail(path + "/" + key, "expected an array of strings");
    std::vector<std::string> out;
    for (std::size_t i = 0; i < v.size(); ++i) {
      if (!v[i].is_string()) fail(path + "/" + key + "/" + std::to_string(i), "expected a string");
      out.push_back(std::move(const_cast<json&>(v[i]).get_ref<std::string&>()));
    }
    return out;
  }
  inf::DriverVer driver_ver(const json& obj, const std::string& path) const {
    inf::DriverVer v;
    const auto date = str(obj, path, "driver_date");
    v.date = DriverDate::parse(date);
    if (!date.empty() && v.date.is_zero()) fail(path + "/driver_date", "\"" + date + "\" is not a YYYY-MM-DD date");
    const auto version = str(obj, path, "driver_version");
    auto parsed = DriverVersion::try_parse(version);
    if (!parsed) fail(path + "/driver_version", "\"" + version + "\" is not w.x.y.z");
    v.version = *parsed;
    return v;
  }

  Feed feed(const json& doc) const {
    if (!doc.is_object()) fail("", "expected a JSON object");
    if (str(doc, "", "schema") != kSchema)
      fail("/schema", "unsupported schema (this drvaudit reads " + std::string(kSchema) + ")");
    Feed f;
    f.publisher = str(doc, "", "publisher");
    f.generated_at = str(doc, "", "generated_at");
    const auto target = str(doc, "", "target");
    const auto parts = text::split(target, ' ');
    if (parts.size() != 2) fail("/target", "expected \"MAJOR.MINOR.BUILD ARCH\"");
    try {
      f.target = inf::TargetOs::parse(parts[0], parts[1]);
    } catch (const Error& e) {
      fail("/target", e.what());
    }
    const auto& packages = member(doc, "", "packages");
    if (!packages.is_array()) fail("/packages", "expected an array");
    for (std::size_t i = 0; i < packages.size(); ++i)
      f.packages.push_back(package(packages[i], "/packages/" + std::to_string(i)));
    return f;
  }

  Package package(const json& p, const std::string& path) const {
    Package out;
    auto& pkg = out.package;
    pkg.inf_name = str(p, path, "inf");
    out.path = str(p, path, "path");
    pkg.provider = str(p, path, "provider");
    pkg.class_name = str(p, path, "class");
    pkg.class_guid = str(p, path, "class_guid");
    pkg.catalog_file = str(p, path, "catalog_file");
    const auto signer = str(p, path, "signer");
    if (signer != "trusted" && signer != "unsigned") fail(path + "/signer", "expected \"trusted\" or \"unsigned\"");
    if ((signer == "trusted") != !pkg.catalog_file.empty())
      fail(path + "/signer", "a trusted package names its catalog file, an unsigned one does not");
    pkg.driver_ver = driver_ver(p, path);
    pkg.has_driver_ver = true;
    out.architectures = strings(p, path, "architectures");
    const auto& models = member(p, path, "models");
    if (!models.is_array()) fail(path + "/models", "expected an array");
    for (std::size_t i = 0; i < models.size(); ++i) {
      const auto mp = path + "/models/" + std::to_string(i);
      const auto& m = models[i];
      inf::ModelEntry e;
      e.manufacturer = str(m, mp, "manufacturer");
      e.description = str(m, mp, "description");
      e.models_section = str(m, mp, "models_section");
      e.install_section = str(m, mp, "install_section");
      e.ddinstall_section = str(m, mp, "ddinstall_section");
      const auto& nt = member(m, mp, "nt_extension");
      if (!nt.is_boolean()) fail(mp + "/nt_extension", "expected true or false");
      e.nt_extension = nt.get<bool>();
      e.hardware_id = str(m, mp, "hardware_id");
      e.compatible_ids = strings(m, mp, "compatible_ids");
      if (e.hardware_id.empty() && e.compatible_ids.empty())
        fail(mp, "a Models line needs a hardware ID or a compatible ID");
      e.feature_score = static_cast<std::uint8_t>(integer(m, mp, "feature_score", 0, 255));
      e.driver_ver = driver_ver(m, mp);
      e.line = static_cast<int>(integer(m, mp, "line", 0, 10'000'000));
      pkg.models.push_back(std::move(e));
    }
    const auto& d = member(p, path, "download");
    const auto dp = path + "/download";
    out.download.url = str(d, dp, "url");
    out.download.size = integer(d, dp, "size", 0, std::int64_t{1} << 40);
    out.download.sha256 = str(d, dp, "sha256");
    if (out.download.sha256.size() != 64 ||
        out.download.sha256.find_first_not_of("0123456789abcdef") != std::string::npos) {
      fail(dp + "/sha256", "expected 64 lower-case hex digits");
    }
    out.download.format = str(d, dp, "format");
    if (out.download.format != "zip" && out.download.format != "cab")
      fail(dp + "/format", "expected \"zip\" or \"cab\"");
    return out;
  }

 private:
  std::string origin_;
};

ordered_json driver_ver_json(ordered_json j, const inf::DriverVer& v) {
  j["driver_date"] = v.date.to_iso();
  j["driver_version"] = v.version.to_string();
  return j;
}

}  // namespace

Feed parse(std::string_view text, const std::string& origin) {
  if (text.size() > kMaxFeedBytes)
    throw ParseError("feed " + origin + ": larger than " + std::to_string(kMaxFeedBytes) + " bytes");
  json doc;
  try {
    doc = json::parse(text.begin(), text.end());
  } catch (const json::parse_error& e) {
    throw ParseError("feed " + origin + ": invalid JSON at byte " + std::to_string(e.byte) + ": " + e.what());
  } catch (const json::exception& e) {
    throw ParseError("feed " + origin + ": invalid JSON: " + e.what());
  }
  return Reader(origin).feed(doc);
}

std::string serialize(const Feed& f) {
  ordered_json doc;
  doc["schema"] = kSchema;
  doc["publisher"] = f.publisher;
  doc["generated_at"] = f.generated_at;
  doc["target"] = f.target.to_string();
  doc["packages"] = ordered_json::array();
  for (const auto& p : f.packages) {
    const auto& pkg = p.package;
    ordered_json j;
    j["inf"] = pkg.inf_name;
    j["path"] = p.path;
    j["provider"] = pkg.provider;
    j["class"] = pkg.class_name;
    j["class_guid"] = pkg.class_guid;
    j["catalog_file"] = pkg.catalog_file;
    j["signer"] = pkg.is_signed() ? "trusted" : "unsigned";
    j = driver_ver_json(j, pkg.driver_ver);
    j["architectures"] = p.architectures;
    j["models"] = ordered_json::array();
    for (const auto& m : pkg.models) {
      ordered_json mj{{"manufacturer", m.manufacturer},
                      {"description", m.description},
                      {"models_section", m.models_section},
                      {"install_section", m.install_section},
                      {"ddinstall_section", m.ddinstall_section},
                      {"nt_extension", m.nt_extension},
                      {"hardware_id", m.hardware_id},
                      {"compatible_ids", m.compatible_ids},
                      {"feature_score", m.feature_score},
                      {"line", m.line}};
      j["models"].push_back(driver_ver_json(mj, m.driver_ver));
    }
    j["download"] = {{"url", p.download.url},
                     {"size", p.download.size},
                     {"sha256", p.download.sha256},
                     {"format", p.download.format}};
    doc["packages"].push_back(std::move(j));
  }
  return doc.dump(2, ' ', false, ordered_json::error_handler_t::replace) + "\n";
}

}  // namespace drvaudit::feed
