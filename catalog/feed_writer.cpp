#include "catalog/feed.hpp"

namespace drvaudit::feed {

using nlohmann::ordered_json;

namespace {

ordered_json driver_ver_json(ordered_json j, const inf::DriverVer& v) {
  j["driver_date"] = v.date.to_iso();
  j["driver_version"] = v.version.to_string();
  return j;
}

}  // namespace

std::string serialize(const Feed& f) {
  ordered_json doc;
  doc["schema"] = kSchema;
  doc["publisher"] = f.publisher;
  doc["generated_at"] = f.generated_at;
  doc["packages"] = ordered_json::array();
  for (const auto& p : f.packages) {
    const auto& pkg = p.package;
    ordered_json j;
    j["inf"] = pkg.inf_name;
    j["path"] = p.path;
    j["provider"] = pkg.provider;
    j["class"] = pkg.class_name;
    j["class_guid"] = pkg.class_guid;
    j["signatures"] = ordered_json::array();
    for (const auto& sig : pkg.signatures) {
      j["signatures"].push_back({{"arch", sig.arch},
                                 {"catalog_file", sig.catalog_file},
                                 {"status", inf::signature_status_name(sig.status)},
                                 {"signer", sig.signer},
                                 {"signed_at", sig.signed_at}});
    }
    j = driver_ver_json(j, pkg.driver_ver);
    j["architectures"] = p.architectures;
    j["models"] = ordered_json::array();
    for (const auto& m : pkg.models) {
      ordered_json mj{{"manufacturer", m.manufacturer},
                      {"manufacturer_line", m.manufacturer_line},
                      {"description", m.description},
                      {"models_section", m.models_section},
                      {"decoration", m.decoration},
                      {"line_decorations", m.line_decorations},
                      {"arch", m.arch},
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
