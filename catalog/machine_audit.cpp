#include "catalog/machine_audit.hpp"
#include "catalog/windows_update.hpp"

#include <spdlog/spdlog.h>

#include "catalog/default_catalog.hpp"
#include "catalog/inf_folder_indexer.hpp"
#include "common/error.hpp"
#include "common/text.hpp"

namespace drvaudit::audit {

namespace {
std::optional<inf::TargetOs> machine_target(const MachineInfo& m) {
  if (m.os_version.empty() || m.arch.empty() || !inf::canonical_arch(m.arch)) return std::nullopt;
  try {
    auto t = inf::TargetOs::parse(m.os_version, m.arch);
    if (!m.product_type.empty()) {
      const auto p = inf::parse_product_type(m.product_type);
      if (!p) return std::nullopt;
      t.product_type = *p;
    }
    return t;
  } catch (const UsageError&) {
    return std::nullopt;
  }
}

Coverage judge_coverage(Coverage c, Platform platform, const inf::TargetOs& target) {
  const std::string index_hint = "index driver folders with `drvaudit catalog index DIR` or add a feed";
  if (platform == Platform::linux) {
    // Linux devices are checked against the kernel's modules.alias; Windows packages only add to it.
    c.checked = c.modules_alias || c.sections_for_target > 0;
    if (!c.checked)
      c.problem = "nothing could be checked: no modules.alias was read (give --modules-alias FILE) and the catalog " +
                  std::string(c.sections == 0 ? "is empty" : "has nothing for " + target.arch);
    return c;
  }
  c.checked = c.sections_for_target > 0;
  if (c.sections == 0) {
    c.problem = "nothing could be checked: the catalog is empty; " + index_hint;
  } else if (!c.checked) {
    c.problem = "nothing could be checked: none of the catalog's " + std::to_string(c.sections) +
                " Models sections applies to Windows " + target.to_string() +
                " (they are for other versions or architectures); " + index_hint + " for this one";
  }
  return c;
}

std::string version_text(const inf::TargetOs& t) {
  return std::to_string(t.major) + "." + std::to_string(t.minor) + "." + std::to_string(t.build);
}
}  // namespace

inf::TargetOs target_for(const MachineInfo& machine, const MachineAuditOptions& options, TargetSource& source,
                         std::vector<std::string>& warnings) {
  const bool windows = platform_of(machine.os) == Platform::windows;
  std::optional<inf::TargetOs> own;
  if (options.live_machine && windows) {
    own = catalog::default_target();
  } else if (windows) {
    own = machine_target(machine);
  }
  inf::TargetOs target = own.value_or(catalog::default_target());
  source = own ? TargetSource::machine : TargetSource::default_assumed;
  if (!windows) {
    // Windows driver packages are only shown for Linux devices: evaluate them for this architecture.
    if (auto arch = inf::canonical_arch(machine.arch)) target.arch = *arch;
    source = TargetSource::machine;
  }
  if (options.target_os || options.arch || options.product_type) {
    const auto product = target.product_type;
    target = inf::TargetOs::parse(options.target_os.value_or(version_text(target)), options.arch.value_or(target.arch));
    target.product_type = product;
    if (options.product_type) {
      const auto p = inf::parse_product_type(*options.product_type);
      if (!p)
        throw UsageError("unknown product type '" + *options.product_type +
                         "': use workstation, server or domain-controller");
      target.product_type = *p;
    }
    source = TargetSource::override_given;
  } else if (source == TargetSource::default_assumed) {
    warnings.push_back(
        "the snapshot does not say which Windows it is from (machine.os_version and arch): audited "
        "for Windows " +
        target.to_string() + "; give --target-os and --arch for its real version");
  }
  return target;
}

bool device_matches(const Device& d, std::string_view what) {
  if (text::iequals(d.instance_id, what)) return true;
  for (const auto& id : d.hardware_ids) {
    if (text::iequals(id, what)) return true;
  }
  const auto needle = text::to_upper(what);
  return text::to_upper(d.instance_id).find(needle) != std::string::npos ||
         text::to_upper(d.description).find(needle) != std::string::npos;
}

MachineAudit run_machine_audit(const Inventory& inventory, const MachineAuditOptions& options) {
  MachineAudit out;
  out.machine = inventory.machine;
  out.platform = platform_of(inventory.machine.os);
  out.target = target_for(inventory.machine, options, out.target_source, out.warnings);

  AuditorOptions auditor_options;
  auditor_options.platform = out.platform;
  auditor_options.target = out.target;
  if (options.live_machine) {
    // This machine's own driver store is a catalog source (Windows); indexing is incremental, so
    // after the first audit it costs a directory walk.
    const auto folders = catalog::default_inf_folders();
    if (!folders.empty()) {
      catalog::Store writable(options.catalog_file, catalog::Store::Mode::read_write);
      for (const auto& folder : folders) {
        const auto report = catalog::index_folder(writable, folder, {});
        spdlog::info("driver store {}: {} packages added or updated, {} unchanged", folder.string(),
                     report.added + report.updated, report.unchanged);
        auditor_options.driver_store_sources.push_back(report.folder);
      }
    }
    if (options.windows_update && out.platform == Platform::windows) {
      // Windows Update's offers replace the last ones; when it cannot search, the audit says so once
      // and the old offers go too (they are no longer known to be offered).
      const auto search = windows_update::search_drivers();
      catalog::Store writable(options.catalog_file, catalog::Store::Mode::read_write);
      windows_update::store_offers(writable, search, out.target.arch);
      if (search.available)
        spdlog::info("{}", search.detail);
      else
        out.warnings.push_back(search.detail);
    }
  }
  const catalog::Store store(options.catalog_file, catalog::Store::Mode::read_only);
  out.catalog = store.audit_stats();
  if (!store.empty()) {
    const auto sections = store.sections_for(out.target);
    out.coverage.sections = sections.all;
    out.coverage.sections_for_target = sections.for_target;
  }
  if (out.catalog.stale > 0) {
    out.warnings.push_back(std::to_string(out.catalog.stale) +
                           " catalog files were indexed by an older drvaudit for one Windows version only: run "
                           "`drvaudit catalog index` on their folders and `drvaudit catalog sync` again");
  }

  std::optional<catalog::ModuleAliases> modules;
  if (out.platform == Platform::linux) {
    auto file = options.modules_alias;
    if (!file && options.live_machine) file = catalog::default_modules_alias_file();
    if (file) {
      modules = catalog::ModuleAliases::load(*file);
      out.modules_alias_read = *file;
      spdlog::info("kernel modules: {} aliases from {}", modules->size(), file->string());
    } else {
      spdlog::info(
          "kernel modules: no modules.alias for this kernel; unbound devices are checked against the catalog only");
    }
  }

  out.coverage.modules_alias = modules.has_value();
  out.coverage = judge_coverage(out.coverage, out.platform, out.target);
  if (!out.coverage.checked) out.warnings.push_back(out.coverage.problem);

  const Auditor auditor(store, modules ? &*modules : nullptr, auditor_options);
  for (const auto& device : inventory.devices) {
    if (!options.categories.empty()) {
      bool wanted = false;
      for (const auto& c : options.categories) wanted = wanted || text::iequals(c, device.class_name);
      if (!wanted) continue;
    }
    out.devices.push_back(auditor.audit(device));
  }
  return out;
}

}  // namespace drvaudit::audit
