#pragma once

#include <nlohmann/json.hpp>

#include "catalog/feed.hpp"

// A small feed for the feed reader and feed store tests: one package with one Models line, and as a
// JSON document, two packages of two Models lines each.
namespace drvaudit::test {

inline feed::Feed sample_feed() {
  feed::Feed f;
  f.publisher = "ACME IT";
  f.generated_at = "2026-11-21T10:00:00Z";
  feed::Package p;
  p.package.inf_name = "net.inf";
  p.package.provider = "ACME";
  p.package.class_name = "Net";
  p.package.class_guid = "{4d36e972-e325-11ce-bfc1-08002be10318}";
  p.package.signatures = {{"amd64", "net.cat", inf::SignatureStatus::signed_by_catalog, "ACME Signing",
                           "2022-05-21T10:00:00Z", inf::ChainStatus::not_checked, ""}};
  p.package.driver_ver = {DriverDate::parse("05/21/2022"), DriverVersion(1, 2, 3, 4)};
  p.package.has_driver_ver = true;
  inf::ModelEntry m;
  m.manufacturer = "ACME";
  m.manufacturer_line = 7;
  m.description = "ACME NIC";
  m.models_section = "M.NTamd64";
  m.decoration = "NTamd64";
  m.line_decorations = {"NTamd64"};
  m.arch = "amd64";
  m.install_section = "Inst";
  m.ddinstall_section = "Inst.NT";
  m.nt_extension = true;
  m.hardware_id = "PCI\\VEN_8086&DEV_1234";
  m.compatible_ids = {"PCI\\CC_0200"};
  m.feature_score = 0xFE;
  m.driver_ver = p.package.driver_ver;
  m.line = 12;
  p.package.models = {m};
  p.path = "net.inf";
  p.architectures = {"amd64"};
  p.download = {"packages/net.zip", 1234, std::string(64, 'a'), "zip"};
  f.packages = {p};
  return f;
}

// The sample feed with two packages of two Models lines each, as a JSON document to edit.
inline nlohmann::json sample_feed_document() {
  auto f = sample_feed();
  f.packages[0].package.models.push_back(f.packages[0].package.models[0]);
  f.packages[0].package.models[1].hardware_id = "PCI\\VEN_8086&DEV_5678";
  f.packages.push_back(f.packages[0]);
  f.packages[1].package.inf_name = "second.inf";
  return nlohmann::json::parse(feed::serialize(f));
}

}  // namespace drvaudit::test
