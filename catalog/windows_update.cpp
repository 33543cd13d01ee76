#include "catalog/windows_update.hpp"

#include "common/sqlite.hpp"

namespace drvaudit::windows_update {

inf::DriverPackage package_of(const DriverOffer& offer, const std::string& arch) {
  inf::DriverPackage p;
  p.inf_name = "Windows Update";
  p.provider = offer.provider;
  p.class_name = offer.driver_class;
  inf::SignatureInfo signature;
  signature.arch = arch;
  signature.catalog_file = "Windows Update";
  signature.status = inf::SignatureStatus::signed_by_catalog;
  signature.signer = "Microsoft Windows Hardware Compatibility Publisher";
  signature.detail = "offered by Windows Update, which offers WHQL-signed drivers only (not checked here)";
  p.signatures.push_back(signature);
  p.driver_ver.date = DriverDate::parse(offer.date);  // the zero date when Windows Update gave none
  p.has_driver_ver = !p.driver_ver.date.is_zero();
  inf::ModelEntry m;
  m.manufacturer = offer.manufacturer;
  // Windows Update offers for this machine's architecture: the section that architecture uses.
  m.decoration = "NT" + arch;
  m.line_decorations = {m.decoration};
  m.models_section = "Windows Update." + m.decoration;
  m.arch = arch;
  m.description = offer.model.empty() ? offer.title : offer.model;
  m.install_section = m.ddinstall_section = "Windows Update";
  m.nt_extension = true;
  m.hardware_id = offer.hardware_id;
  m.feature_score = 0xFF;
  m.driver_ver = p.driver_ver;
  p.models.push_back(std::move(m));
  return p;
}

void store_offers(catalog::Store& store, const DriverSearch& search, const std::string& arch) {
  auto& db = store.database();
  sqlite::Transaction tx(db);
  const auto source = store.ensure_source(kSourceKind, "Windows Update Agent");
  store.remove_files_of(source);
  if (!search.offers.empty()) {
    const auto file = store.put_feed_file(source, "windows-update:", static_cast<std::int64_t>(search.offers.size()));
    for (const auto& offer : search.offers) {
      if (offer.hardware_id.empty()) continue;
      store.put_package(file, package_of(offer, arch), {});
    }
  }
  tx.commit();
}

}  // namespace drvaudit::windows_update
