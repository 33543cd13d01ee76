#include "catalog/driver_package.hpp"

#include <algorithm>
#include <cctype>
#include <cstring>

#include "common/hardware_id.hpp"
#include "common/text.hpp"

namespace drvaudit::inf {

namespace {

bool valid_signature(std::string_view s) {
  return text::iequals(s, "$Windows NT$") || text::iequals(s, "$Chicago$") || text::iequals(s, "$Windows 95$");
}

// Build-time placeholders that mark an INF template: $ARCH$ (InfVerif/stampinf), $KMDFVERSION$,
// #DRIVER_DATE# style, and autoconf @NAME@.
std::optional<std::string> placeholder_in(std::string_view s) {
  for (std::size_t i = 0; i < s.size(); ++i) {
    const char open = s[i];
    if (open != '$' && open != '#' && open != '@') continue;
    std::size_t j = i + 1;
    while (j < s.size() && (std::isupper(static_cast<unsigned char>(s[j])) || s[j] == '_' ||
                            std::isdigit(static_cast<unsigned char>(s[j])))) {
      ++j;
    }
    if (j < s.size() && s[j] == open && j > i + 1) return std::string(s.substr(i, j - i + 1));
  }
  return std::nullopt;
}

// Scans the text outside comments, so that the sections a catalog never reads need not be
// tokenized: candidates first, and the comment check only for a token that is found.
std::optional<std::string> find_placeholder(std::string_view text_value) {
  // One memchr cursor per marker: the markers are rare, and memchr skips the text between them in
  // wide vector steps (a byte loop over three markers cost 8 % of an index).
  constexpr char kMarkers[] = {'$', '#', '@'};
  std::size_t next_of[3];
  auto find_from = [&](char marker, std::size_t from) {
    if (from >= text_value.size()) return std::string_view::npos;
    const void* hit = std::memchr(text_value.data() + from, marker, text_value.size() - from);
    return hit ? static_cast<std::size_t>(static_cast<const char*>(hit) - text_value.data()) : std::string_view::npos;
  };
  for (int m = 0; m < 3; ++m) next_of[m] = find_from(kMarkers[m], 0);
  auto next_candidate = [&](std::size_t from) {
    std::size_t best = std::string_view::npos;
    for (int m = 0; m < 3; ++m) {
      if (next_of[m] < from) next_of[m] = find_from(kMarkers[m], from);
      best = std::min(best, next_of[m]);
    }
    return best;
  };
  std::size_t i = 0;
  while ((i = next_candidate(i)) != std::string_view::npos) {
    auto token = placeholder_in(text_value.substr(i, std::min<std::size_t>(text_value.size() - i, 256)));
    if (!token || token->size() > 256 || text_value.compare(i, token->size(), *token) != 0) {
      ++i;
      continue;
    }
    // In a comment? Look for an unquoted ';' between the start of the line and the token.
    const auto line_start = text_value.rfind('\n', i) == std::string_view::npos ? 0 : text_value.rfind('\n', i) + 1;
    bool quoted = false, commented = false;
    for (std::size_t k = line_start; k < i && !commented; ++k) {
      if (text_value[k] == '"') quoted = !quoted;
      commented = text_value[k] == ';' && !quoted;
    }
    if (!commented && !text::iequals(*token, "$CHICAGO$")) return token;
    i += token->size();
  }
  return std::nullopt;
}

std::optional<std::uint8_t> parse_feature_score(std::string_view text_value) {
  auto s = text::trim(text_value);
  if (!s.empty() && (s[0] == 'x' || s[0] == 'X')) s.remove_prefix(1);  // "xFD" is seen in the wild
  const auto v = text::parse_hex(s, 0xFF);
  if (!v) return std::nullopt;
  return static_cast<std::uint8_t>(*v);
}

const Section* find_first(const Document& doc, const std::vector<std::string>& names, std::string* found) {
  for (const auto& n : names) {
    if (const Section* s = doc.section(n)) {
      *found = s->name;
      return s;
    }
  }
  return nullptr;
}

// The install section Windows uses for a Models line on an architecture: name.ntamd64, name.nt, name.
struct InstallSection {
  const Section* section = nullptr;
  std::string name;
  bool nt_extension = false;
};
InstallSection resolve_install_section(const Document& doc, const std::string& install_section,
                                       const std::string& arch) {
  InstallSection out;
  out.section = find_first(doc, {install_section + platform_extension(arch), install_section + ".nt", install_section},
                           &out.name);
  if (!out.section) out.name = install_section;
  out.nt_extension =
      text::istarts_with(std::string_view(out.name).substr(std::min(out.name.size(), install_section.size())), ".nt");
  return out;
}

// The lines of one Models section, each with the install section Windows uses on `arch`.
// What the Models lines of one package may hold in all (their strings, and the section facts each
// line carries): real packages stay far below; a hostile one stops here with a diagnostic.
struct ModelsBudget {
  std::size_t left;
  bool reported = false;
};
std::size_t footprint(const ModelEntry& e) {
  std::size_t n = sizeof(ModelEntry) + e.manufacturer.size() + e.models_section.size() + e.decoration.size() +
                  e.arch.size() + e.description.size() + e.install_section.size() + e.ddinstall_section.size() +
                  e.hardware_id.size();
  for (const auto& d : e.line_decorations) n += sizeof(std::string) + d.size();
  for (const auto& c : e.compatible_ids) n += sizeof(std::string) + c.size();
  return n;
}

void add_models(Document& doc, DriverPackage& pkg, const Section& models, const std::string& maker,
                int manufacturer_line, const std::string& decoration, const std::vector<std::string>& decorations,
                const std::string& arch, ModelsBudget& budget) {
  for (const auto& line : models.lines) {
    if (line.fields.empty()) continue;
    if (budget.left == 0) {
      if (!budget.reported) {
        budget.reported = true;
        doc.add_diagnostic(line.number,
                           "the package's Models lines exceed what drvaudit reads of one INF; the rest is ignored");
      }
      return;
    }
    ModelEntry e;
    e.manufacturer = maker;
    e.manufacturer_line = manufacturer_line;
    e.models_section = models.name;
    e.decoration = decoration;
    e.line_decorations = decorations;
    e.arch = arch;
    e.description = line.key ? doc.substitute(*line.key) : std::string();
    if (e.description.size() > kLineLength) e.description = e.description.substr(0, kLineLength);  // LINE_LEN
    e.install_section = text::trimmed(doc.substitute(line.fields[0]));
    e.line = line.number;
    for (std::size_t i = 1; i < line.fields.size(); ++i) {
      std::string id = text::trimmed(doc.substitute(line.fields[i]));
      if (!id.empty() && !hwid::is_valid(id)) {
        doc.add_diagnostic(line.number, "device ID '" + id.substr(0, 60) + "' is not valid and is ignored");
        id.clear();
      }
      if (i == 1) {
        e.hardware_id = std::move(id);
      } else if (!id.empty() && e.compatible_ids.size() < kMaxCompatibleIds) {
        e.compatible_ids.push_back(std::move(id));
      } else if (!id.empty() && e.compatible_ids.size() == kMaxCompatibleIds) {
        doc.add_diagnostic(line.number, "more than " + std::to_string(kMaxCompatibleIds) +
                                            " compatible IDs on one Models line: the rest are ignored");
        e.compatible_ids.emplace_back();  // marks the report; removed below
      }
    }
    if (e.compatible_ids.size() > kMaxCompatibleIds) e.compatible_ids.pop_back();
    if (e.install_section.empty() || (e.hardware_id.empty() && e.compatible_ids.empty())) {
      doc.add_diagnostic(line.number, "Models line without an install section or a device ID is ignored");
      continue;
    }
    const auto ddinstall = resolve_install_section(doc, e.install_section, arch);
    e.ddinstall_section = ddinstall.name;
    e.nt_extension = ddinstall.nt_extension;
    if (!ddinstall.section) {
      doc.add_diagnostic(line.number, "install section [" + e.install_section + "] has no " + platform_extension(arch) +
                                          ", .nt or undecorated section");
    }
    e.driver_ver = pkg.driver_ver;
    if (ddinstall.section) {
      for (const auto& dline : ddinstall.section->lines) {
        if (!dline.key || dline.fields.empty()) continue;
        const auto key = doc.substitute(*dline.key);
        if (text::iequals(key, "FeatureScore")) {
          if (auto score = parse_feature_score(doc.substitute(dline.fields[0]))) {
            e.feature_score = *score;
          } else {
            doc.add_diagnostic(dline.number, "FeatureScore '" + dline.fields[0] + "' is not a byte in hex");
          }
        } else if (text::iequals(key, "DriverVer")) {
          std::vector<std::string> fields, problems;
          for (const auto& f : dline.fields) fields.push_back(doc.substitute(f));
          e.driver_ver = parse_driver_ver(fields, problems);
          for (auto& p : problems) doc.add_diagnostic(dline.number, p);
        }
      }
    }
    const auto cost = footprint(e);
    budget.left = cost > budget.left ? 0 : budget.left - cost;
    pkg.models.push_back(std::move(e));
  }
}

}  // namespace

const SignatureInfo* DriverPackage::signature_for(std::string_view arch) const {
  for (const auto& s : signatures) {
    if (s.arch == arch) return &s;
  }
  return nullptr;
}

bool applies_to(const ModelEntry& entry, const TargetOs& target) {
  return section_applies(entry.arch, entry.decoration, entry.line_decorations, target);
}

std::vector<const ModelEntry*> DriverPackage::models_for(const TargetOs& target) const {
  std::vector<const ModelEntry*> out;
  for (const auto& m : models) {
    if (applies_to(m, target)) out.push_back(&m);
  }
  return out;
}

DriverVer parse_driver_ver(const std::vector<std::string>& fields_in, std::vector<std::string>& problems) {
  DriverVer out;
  std::vector<std::string> fields;
  for (const auto& f : fields_in) fields.emplace_back(text::trim(f));
  if (fields.empty() || fields[0].empty()) {
    problems.emplace_back("DriverVer has no date");
    return out;
  }
  // A day-name prefix ("Tue 05/21/2022" or "Tue, 05/21/2022") is ignored.
  std::string date = fields[0];
  std::size_t next = 1;
  if (!date.empty() && std::isalpha(static_cast<unsigned char>(date[0]))) {
    const auto space = date.find_first_of(" \t");
    if (space != std::string::npos) {
      date = std::string(text::trim(std::string_view(date).substr(space)));
    } else if (fields.size() > 1) {
      date = fields[1];
      next = 2;
    }
  }
  out.date = DriverDate::parse(date);
  if (out.date.is_zero())
    problems.push_back("DriverVer date '" + date + "' is not a valid mm/dd/yyyy date; it counts as 00/00/0000");
  if (next < fields.size() && !fields[next].empty()) {
    if (auto v = DriverVersion::try_parse(fields[next])) {
      out.version = *v;
    } else {
      problems.push_back("DriverVer version '" + fields[next] +
                         "' is not w.x.y.z with fields up to 65535; it counts as 0.0.0.0");
    }
  }
  return out;
}

DriverPackage load_package(std::string_view bytes, std::string inf_name, std::uint16_t language) {
  Document doc = Document::parse(bytes, language, Document::Mode::on_demand);
  if (!doc.section("Version")) throw NotAnInf("not an INF file: no [Version] section");
  const auto signature = doc.value("Version", "Signature");
  if (!signature) throw NotAnInf("not an INF file: [Version] has no Signature");
  if (!valid_signature(*signature)) {
    throw NotAnInf("not an INF file: Signature is '" + *signature + "', not \"$Windows NT$\" or \"$Chicago$\"");
  }

  DriverPackage pkg;
  pkg.inf_name = std::move(inf_name);
  pkg.provider = doc.value("Version", "Provider").value_or("");
  pkg.class_name = doc.value("Version", "Class").value_or("");
  pkg.class_guid = text::to_lower(doc.value("Version", "ClassGuid").value_or(""));
  if (auto token = find_placeholder(doc.text())) {
    pkg.template_reason = "unexpanded build placeholder " + *token + " (a template that the driver build fills in)";
  }

  const Section* version_section = doc.section("Version");
  for (const auto& line : version_section->lines) {
    if (!line.key || !text::iequals(doc.substitute(*line.key), "DriverVer")) continue;
    std::vector<std::string> fields;
    for (const auto& f : line.fields) fields.push_back(doc.substitute(f));
    if (fields.empty() || text::trim(fields[0]).empty()) {
      if (!pkg.template_reason) pkg.template_reason = "DriverVer is empty (stampinf fills it in at build time)";
      break;
    }
    std::vector<std::string> problems;
    pkg.driver_ver = parse_driver_ver(fields, problems);
    pkg.has_driver_ver = true;
    for (auto& p : problems) doc.add_diagnostic(line.number, p);
    break;
  }
  if (!pkg.has_driver_ver && !pkg.template_reason)
    doc.add_diagnostic(version_section->first_line, "[Version] has no DriverVer; the date counts as 00/00/0000");

  ModelsBudget budget{kModelsBudgetBase + 2 * bytes.size()};
  const Section* manufacturer = doc.section("Manufacturer");
  if (manufacturer) {
    for (const auto& mline : manufacturer->lines) {
      if (mline.fields.empty() || text::trim(mline.fields[0]).empty()) continue;
      std::string maker = mline.key ? doc.substitute(*mline.key) : std::string();
      if (maker.size() > kLineLength) maker = maker.substr(0, kLineLength);
      const std::string base = text::trimmed(doc.substitute(mline.fields[0]));
      std::vector<std::string> decorations;
      for (std::size_t i = 1; i < mline.fields.size(); ++i) {
        std::string d = text::trimmed(doc.substitute(mline.fields[i]));
        const bool repeated = std::any_of(decorations.begin(), decorations.end(),
                                          [&](const std::string& seen) { return text::iequals(seen, d); });
        if (!d.empty() && !repeated) decorations.push_back(std::move(d));
      }
      // Every section the line can give some machine: each decorated one, and the undecorated one
      // (x86 only, when no decoration applies there).
      // Only decorations Windows can read take part in the choice, and a line has a handful at most.
      std::vector<std::string> kept_decorations;
      for (const auto& d : decorations) {
        if (!parse_decoration(d)) continue;
        if (kept_decorations.size() == kMaxDecorations) {
          doc.add_diagnostic(mline.number, "more than " + std::to_string(kMaxDecorations) +
                                               " TargetOSVersion decorations on one line: the rest are ignored");
          break;
        }
        kept_decorations.push_back(d);
      }
      std::vector<std::string> choices = kept_decorations;
      choices.emplace_back();
      for (const auto& decoration : choices) {
        const std::string models_name = decoration.empty() ? base : base + "." + decoration;
        const Section* models = doc.section(models_name);
        if (!models) {
          if (!decoration.empty() || decorations.empty())
            doc.add_diagnostic(mline.number, "Models section [" + models_name + "] is missing");
          continue;
        }
        const std::string arch = section_arch(decoration);
        add_models(doc, pkg, *models, maker, mline.number, decoration, kept_decorations, arch, budget);
      }
    }
  }
  for (const auto& m : pkg.models) {
    if (pkg.signature_for(m.arch)) continue;
    SignatureInfo sig;
    sig.arch = m.arch;
    for (const std::string& key :
         {catalog_file_key(m.arch), std::string("CatalogFile.nt"), std::string("CatalogFile")}) {
      if (auto v = doc.value("Version", key); v && !text::trim(*v).empty()) {
        sig.catalog_file = text::trimmed(*v);
        break;
      }
    }
    sig.status = sig.catalog_file.empty() ? SignatureStatus::unsigned_package : SignatureStatus::not_checked;
    pkg.signatures.push_back(std::move(sig));
  }
  pkg.diagnostics = doc.diagnostics();
  return pkg;
}

}  // namespace drvaudit::inf
