#include "updater/update_session.hpp"

#include <spdlog/spdlog.h>

#include "common/clock.hpp"
#include "common/error.hpp"
#include "common/text.hpp"
#include "common/version.hpp"
#include "updater/restore_point_steps.hpp"

namespace drvaudit::updater {

namespace {
// The signature rule: install only what its catalog vouches for and whose signer this Windows
// trusts (WinVerifyTrust); where the chain cannot be checked (a recorded machine, Wine's own trust
// store) that is not proof, and --allow-unsigned (lab and test-signed drivers) is the way to say
// "install it anyway". Staging needs catalog membership only: the target checks the chain.
void apply_signature_rule(PreparedPackage& p, const PrepareOptions& options) {
  if (!p.check.ok) {
    p.why = text::join(p.check.problems, "; ");
    return;
  }
  const auto& sig = p.check.signature;
  if (sig.status == inf::SignatureStatus::not_in_catalog) {
    p.why = "the INF is not in its catalog: it was changed after signing";
    return;
  }
  const bool listed = sig.status == inf::SignatureStatus::signed_by_catalog;
  const bool proven =
      listed && (options.staging ? sig.chain != inf::ChainStatus::untrusted : sig.chain == inf::ChainStatus::verified);
  if (!proven && !options.allow_unsigned) {
    p.why = "signature not proven (" + p.check.signature_text + (sig.detail.empty() ? "" : ": " + sig.detail) +
            "); --allow-unsigned installs it anyway";
    return;
  }
  p.allowed_unsigned = !proven;
  p.ready = true;
}
}  // namespace

PreparedPackage prepare_package(PackageCache& cache, const PlannedDevice& planned, const PrepareOptions& options) {
  PreparedPackage p;
  const auto& entry = planned.chosen.entry;
  p.instance_id = planned.audit.device.instance_id;
  p.device = planned.audit.device.description;
  p.verdict = std::string(audit::verdict_name(planned.audit.verdict));
  p.hardware_id =
      planned.chosen.rank.identifier.device_id.empty() ? entry.hardware_id : planned.chosen.rank.identifier.device_id;
  p.source = entry.source;
  p.force = planned.force;
  std::optional<std::filesystem::path> ca;
  for (const auto& [url, file] : options.feed_ca_files) {
    if (url == entry.location.base && !file.empty()) ca = file;
  }
  try {
    p.package = cache.fetch(entry, options.target.arch, ca);
  } catch (const Error& e) {
    p.why = e.what();
    return p;
  }
  PackageExpectation expected{p.hardware_id, entry.version.to_string(), entry.date.to_iso(), options.target};
  p.check = check_package(p.package.inf, expected);
  apply_signature_rule(p, options);
  return p;
}

PreparedPackage prepare_staged(PackageCache& cache, const std::filesystem::path& stage_dir, const StagedPackage& staged,
                               const PrepareOptions& options) {
  PreparedPackage p;
  p.instance_id = staged.instance_id;
  p.device = staged.device;
  p.verdict = staged.verdict;
  p.hardware_id = staged.hardware_id;
  p.source = stage_dir.string();
  p.force = staged.force;
  try {
    p.package = cache.from_stage(stage_dir, staged);
  } catch (const Error& e) {
    p.why = e.what();
    return p;
  }
  PackageExpectation expected{staged.hardware_id, staged.version, staged.date, options.target};
  p.check = check_package(p.package.inf, expected);
  apply_signature_rule(p, options);
  return p;
}

std::vector<PlannedStep> build_steps(DriverSystem& system, const std::vector<PreparedPackage>& packages,
                                     bool restore_point, bool allow_irreversible) {
  std::vector<PlannedStep> steps;
  std::size_t ready = 0;
  for (const auto& p : packages) ready += p.ready ? 1 : 0;
  if (ready == 0) return steps;
  if (restore_point) steps.push_back(plan_begin_restore_point(system, "drvaudit: driver update"));
  for (const auto& p : packages) {
    if (!p.ready) continue;
    const auto now = system.binding(p.instance_id);
    if (!now) throw Error("the device " + p.instance_id + " is not on " + system.name());
    InstallRequest r;
    r.instance_id = p.instance_id;
    r.description = p.device;
    r.hardware_id = p.hardware_id;
    r.inf = std::filesystem::absolute(p.package.inf);
    r.section = p.check.section;
    r.version = p.check.version;
    r.force = p.force;
    r.signature = p.check.signature_text;
    r.allowed_unsigned = p.allowed_unsigned;
    r.previous = *now;
    r.previous_matching_id = now->matching_id;
    auto step = plan_install(system, r);
    if (step.params.contains("irreversible") && !allow_irreversible)
      throw UsageError("installing a driver on " + p.instance_id + ", which has none now, cannot be undone here (" +
                       step.params["irreversible"].get<std::string>() +
                       "): nothing was changed; --allow-irreversible installs it all the same");
    steps.push_back(std::move(step));
  }
  if (restore_point) steps.push_back(plan_end_restore_point());
  return steps;
}

StageManifest stage_packages(const std::filesystem::path& dir, const MachineInfo& machine,
                             const std::vector<PreparedPackage>& packages) {
  StageManifest m;
  m.machine = machine.hostname;
  m.os_version = machine.os_version;
  m.arch = machine.arch;
  m.created_at = utc_now_iso8601();
  m.tool_version = std::string(kToolVersion);
  std::vector<std::string> refused;
  for (const auto& p : packages) {
    if (!p.ready) refused.push_back(p.instance_id + ": " + p.why);
  }
  if (refused.size() == packages.size())
    throw Error("nothing was staged in " + dir.string() + ": every package was refused (" + text::join(refused, "; ") +
                ")");
  for (const auto& p : packages) {
    if (!p.ready) continue;
    StagedPackage s;
    s.instance_id = p.instance_id;
    s.device = p.device;
    s.verdict = p.verdict;
    s.hardware_id = p.hardware_id;
    s.folder = "packages/" + p.package.folder.parent_path().filename().string().substr(0, 16) + "-" +
               p.package.inf.stem().string();
    s.inf = std::filesystem::relative(p.package.inf, p.package.folder).generic_string();
    s.section = p.check.section;
    s.version = p.check.version;
    s.date = p.check.date;
    s.signature = p.check.signature_text;
    s.origin = p.package.origin;
    s.force = p.force;
    s.files = stage_files(p.package.folder, p.check.files, dir / s.folder);
    m.packages.push_back(std::move(s));
  }
  write_manifest(dir, m);
  return m;
}

}  // namespace drvaudit::updater
