// feed::parse: a streaming (SAX) reader that fills the package model while the JSON is lexed.
// A feed of 100,000 packages is ~80 MB; building nlohmann's document tree first cost as much as
// the lexing itself and twice the memory (docs/benchmarks.md, "Signed feeds").
#include <array>
#include <cstdint>
#include <span>

#include "catalog/feed.hpp"
#include "common/json_error.hpp"
#include "common/text.hpp"

namespace drvaudit::feed {

namespace {

using json = nlohmann::json;

// The JSON types a feed's keys expect, with the words used when another type is found.
enum class Type : std::uint8_t { string, integer, boolean, string_array, object_array, object };

struct Field {
  std::string_view name;
  Type type;
  std::int64_t min = 0, max = 0;  // integers
};

// Each object of the format, its keys in the order a missing one is reported. All are required;
// unknown keys are skipped so that later minor versions of the format stay readable.
enum class RootKey { schema, publisher, generated_at, packages };
constexpr std::array<Field, 4> kRootFields{{{"schema", Type::string},
                                            {"publisher", Type::string},
                                            {"generated_at", Type::string},
                                            {"packages", Type::object_array}}};

enum class PackageKey {
  inf,
  path,
  provider,
  class_name,
  class_guid,
  signatures,
  driver_date,
  driver_version,
  architectures,
  models,
  download
};
constexpr std::array<Field, 11> kPackageFields{{{"inf", Type::string},
                                                {"path", Type::string},
                                                {"provider", Type::string},
                                                {"class", Type::string},
                                                {"class_guid", Type::string},
                                                {"signatures", Type::object_array},
                                                {"driver_date", Type::string},
                                                {"driver_version", Type::string},
                                                {"architectures", Type::string_array},
                                                {"models", Type::object_array},
                                                {"download", Type::object}}};

enum class ModelKey {
  manufacturer,
  manufacturer_line,
  description,
  models_section,
  decoration,
  line_decorations,
  arch,
  install_section,
  ddinstall_section,
  nt_extension,
  hardware_id,
  compatible_ids,
  feature_score,
  driver_date,
  driver_version,
  line
};
constexpr std::array<Field, 16> kModelFields{{{"manufacturer", Type::string},
                                              {"manufacturer_line", Type::integer, 0, 10'000'000},
                                              {"description", Type::string},
                                              {"models_section", Type::string},
                                              {"decoration", Type::string},
                                              {"line_decorations", Type::string_array},
                                              {"arch", Type::string},
                                              {"install_section", Type::string},
                                              {"ddinstall_section", Type::string},
                                              {"nt_extension", Type::boolean},
                                              {"hardware_id", Type::string},
                                              {"compatible_ids", Type::string_array},
                                              {"feature_score", Type::integer, 0, 255},
                                              {"driver_date", Type::string},
                                              {"driver_version", Type::string},
                                              {"line", Type::integer, 0, 10'000'000}}};

enum class SignatureKey { arch, catalog_file, status, signer, signed_at };
constexpr std::array<Field, 5> kSignatureFields{{{"arch", Type::string},
                                                 {"catalog_file", Type::string},
                                                 {"status", Type::string},
                                                 {"signer", Type::string},
                                                 {"signed_at", Type::string}}};

enum class DownloadKey { url, size, sha256, format };
constexpr std::array<Field, 4> kDownloadFields{{{"url", Type::string},
                                                {"size", Type::integer, 0, std::int64_t{1} << 40},
                                                {"sha256", Type::string},
                                                {"format", Type::string}}};

// The containers the reader is inside, innermost last.
enum class Node : std::uint8_t {
  root,
  packages,
  package,
  architectures,
  models,
  model,
  compatible_ids,
  line_decorations,
  signatures,
  signature,
  download,
  skipped
};

std::span<const Field> fields_of(Node node) {
  switch (node) {
    case Node::root: return kRootFields;
    case Node::package: return kPackageFields;
    case Node::model: return kModelFields;
    case Node::signature: return kSignatureFields;
    case Node::download: return kDownloadFields;
    default: return {};
  }
}

bool is_array(Node node) {
  return node == Node::packages || node == Node::architectures || node == Node::models ||
         node == Node::compatible_ids || node == Node::line_decorations || node == Node::signatures;
}

struct Frame {
  Node node;
  int field = -1;          // objects: the key being read (index into fields_of), -1 for an unknown key
  std::uint32_t seen = 0;  // objects: one bit per key found
  std::size_t index = 0;   // arrays: the element being read
};

std::string expectation(const Field& f) {
  switch (f.type) {
    case Type::string: return "expected a string";
    case Type::integer: return "expected an integer from " + std::to_string(f.min) + " to " + std::to_string(f.max);
    case Type::boolean: return "expected true or false";
    case Type::string_array: return "expected an array of strings";
    case Type::object_array: return "expected an array";
    case Type::object: return "expected an object";
  }
  return "unexpected value";
}

// A path a package's files may be written to or read from: relative, '/'-separated, no '.' or '..'
// parts, no drive or backslash (the updater extracts by these paths, as administrator).
bool is_safe_relative_path(std::string_view p) {
  if (p.empty() || p.size() > 1024 || p.front() == '/' || p.find_first_of("\\:") != std::string_view::npos)
    return false;
  for (const auto part : text::split(p, '/')) {
    if (part.empty() || part == "." || part == "..") return false;
    for (const char c : part) {
      if (static_cast<unsigned char>(c) < 0x20) return false;
    }
  }
  return true;
}

// A download is fetched over HTTPS only: an absolute https:// URL, or a path relative to the
// (https) feed. Scheme-relative ("//host/…") and other schemes (file:, http:) are refused.
bool is_allowed_url(std::string_view u) {
  if (u.empty() || u.size() > 4096) return false;
  for (const char c : u) {
    if (static_cast<unsigned char>(c) <= 0x20 || c == '\\') return false;
  }
  if (text::istarts_with(u, "https://")) return u.size() > 8;
  if (u.rfind("//", 0) == 0) return false;
  const auto colon = u.find(':'), slash = u.find('/');
  if (colon != std::string_view::npos && (slash == std::string_view::npos || colon < slash)) return false;  // a scheme
  auto path = u.substr(0, u.find_first_of("?#"));
  if (path.front() == '/') path.remove_prefix(1);  // from the root of the feed's own host
  return is_safe_relative_path(path);
}

// nlohmann::json_sax's shape. Every callback either consumes the value or throws ParseError with
// the JSON Pointer of the value; nothing is returned false, so parsing never stops silently.
class FeedReader {
 public:
  FeedReader(std::string origin, const PackageSink& sink) : origin_(std::move(origin)), sink_(sink) {}

  Feed take() { return std::move(feed_); }

  bool null() { return boolean_or_null(nullptr); }
  bool boolean(bool value) { return boolean_or_null(&value); }
  bool number_integer(json::number_integer_t value) { return integer(value, true); }
  bool number_unsigned(json::number_unsigned_t value) {
    return integer(value > static_cast<std::uint64_t>(INT64_MAX) ? INT64_MAX : static_cast<std::int64_t>(value),
                   value <= static_cast<std::uint64_t>(INT64_MAX));
  }
  bool number_float(json::number_float_t, const std::string&) { return integer(0, false); }
  bool binary(json::binary_t&) { return boolean_or_null(nullptr); }

  bool string(std::string& value) {
    if (skipping()) return true;
    if (stack_.empty()) fail(0, "expected a JSON object");
    auto& top = stack_.back();
    if (top.node == Node::architectures) {
      current_.architectures.push_back(std::move(value));
    } else if (top.node == Node::compatible_ids) {
      current_.package.models.back().compatible_ids.push_back(std::move(value));
    } else if (top.node == Node::line_decorations) {
      current_.package.models.back().line_decorations.push_back(std::move(value));
    } else if (is_array(top.node)) {
      fail(stack_.size(), element_expectation(top.node));
    } else if (const auto* f = expect(Type::string)) {
      set_string(top, *f, value);
    }
    return next_element();
  }

  bool start_object(std::size_t) {
    if (entering_skipped_value()) {
      stack_.push_back({Node::skipped});
      return true;
    }
    if (stack_.empty()) {
      stack_.push_back({Node::root});
      return true;
    }
    auto& top = stack_.back();
    switch (top.node) {
      case Node::packages:
        current_ = {};
        stack_.push_back({Node::package});
        return true;
      case Node::models:
        current_.package.models.emplace_back();
        stack_.push_back({Node::model});
        return true;
      case Node::signatures:
        current_.package.signatures.emplace_back();
        stack_.push_back({Node::signature});
        return true;
      case Node::architectures:
      case Node::line_decorations:
      case Node::compatible_ids: fail(stack_.size(), element_expectation(top.node));
      default:
        expect(Type::object);  // only a package's download is an object
        stack_.push_back({Node::download});
        return true;
    }
  }

  bool key(std::string& name) {
    if (skipping()) return true;
    auto& top = stack_.back();
    const auto fields = fields_of(top.node);
    top.field = -1;
    for (std::size_t i = 0; i < fields.size(); ++i) {
      if (fields[i].name == name) {
        top.field = static_cast<int>(i);
        // JSON leaves duplicate names to the reader; a feed that has them is ambiguous, and packages
        // already handed to the store could not be taken back.
        if (top.seen & (1u << i)) fail(stack_.size(), "duplicate key");
        top.seen |= 1u << i;
        break;
      }
    }
    return true;
  }

  bool end_object() {
    const auto node = stack_.back().node;
    if (node != Node::skipped) check_complete(stack_.back());
    stack_.pop_back();
    if (node == Node::package) {
      if (sink_)
        sink_(std::move(current_));
      else
        feed_.packages.push_back(std::move(current_));
    }
    return next_element();
  }

  bool start_array(std::size_t) {
    if (entering_skipped_value()) {
      stack_.push_back({Node::skipped});
      return true;
    }
    if (stack_.empty()) fail(0, "expected a JSON object");
    auto& top = stack_.back();
    if (is_array(top.node)) fail(stack_.size(), element_expectation(top.node));
    const auto& f = fields_of(top.node)[static_cast<std::size_t>(top.field)];
    if (f.type != Type::string_array && f.type != Type::object_array) fail(stack_.size(), expectation(f));
    if (top.node == Node::root)
      stack_.push_back({Node::packages});
    else if (top.node == Node::package)
      stack_.push_back({f.type == Type::string_array                                   ? Node::architectures
                        : static_cast<PackageKey>(top.field) == PackageKey::signatures ? Node::signatures
                                                                                       : Node::models});
    else
      stack_.push_back({static_cast<ModelKey>(top.field) == ModelKey::line_decorations ? Node::line_decorations
                                                                                       : Node::compatible_ids});
    return true;
  }

  bool end_array() {
    stack_.pop_back();
    return next_element();
  }

  bool parse_error(std::size_t position, const std::string&, const nlohmann::detail::exception& e) {
    throw ParseError("feed " + origin_ + ": " + json_error_text(e.what()) + " (byte " + std::to_string(position) + ")");
  }

 private:
  bool skipping() const { return !stack_.empty() && stack_.back().node == Node::skipped; }
  // An object or array that is, or is inside, the value of a key the format does not have.
  bool entering_skipped_value() const {
    return skipping() || (!stack_.empty() && !is_array(stack_.back().node) && stack_.back().field < 0);
  }
  static std::string element_expectation(Node array) {
    return array == Node::packages || array == Node::models || array == Node::signatures ? "expected an object"
                                                                                         : "expected a string";
  }

  // The JSON Pointer of the value being read: the keys and indexes of the first `depth` frames.
  std::string pointer(std::size_t depth) const {
    std::string out;
    for (std::size_t i = 0; i < depth && i < stack_.size(); ++i) {
      const auto& f = stack_[i];
      if (is_array(f.node)) {
        out += "/" + std::to_string(f.index);
      } else if (f.field >= 0) {
        out += "/";
        out += fields_of(f.node)[static_cast<std::size_t>(f.field)].name;
      }
    }
    return out;
  }

  [[noreturn]] void fail(std::size_t depth, const std::string& what) const {
    const auto path = pointer(depth);
    throw ParseError("feed " + origin_ + ": at " + (path.empty() ? "/" : path) + ": " + what);
  }

  // The field the next value belongs to, if it is of the type found; nullptr for an unknown key.
  const Field* expect(Type found) {
    auto& top = stack_.back();
    if (top.field < 0) return nullptr;
    const auto& f = fields_of(top.node)[static_cast<std::size_t>(top.field)];
    if (f.type != found) fail(stack_.size(), expectation(f));
    return &f;
  }

  // After a value inside an array, the next one has the next index.
  bool next_element() {
    if (!stack_.empty() && is_array(stack_.back().node)) ++stack_.back().index;
    return true;
  }

  // A boolean, or (boolean_value == nullptr) a null, which no key of the format accepts.
  bool boolean_or_null(const bool* boolean_value) {
    if (skipping()) return true;
    if (stack_.empty()) fail(0, "expected a JSON object");
    auto& top = stack_.back();
    if (is_array(top.node)) fail(stack_.size(), element_expectation(top.node));
    if (!boolean_value) {
      if (top.field >= 0) fail(stack_.size(), expectation(fields_of(top.node)[static_cast<std::size_t>(top.field)]));
    } else if (expect(Type::boolean)) {
      current_.package.models.back().nt_extension = *boolean_value;  // the only boolean
    }
    return next_element();
  }

  bool integer(std::int64_t value, bool representable) {
    if (skipping()) return true;
    if (stack_.empty()) fail(0, "expected a JSON object");
    auto& top = stack_.back();
    if (is_array(top.node)) return boolean_or_null(nullptr);
    const auto* f = expect(Type::integer);
    if (!f) return next_element();
    if (!representable || value < f->min || value > f->max) fail(stack_.size(), expectation(*f));
    if (top.node == Node::download) {
      current_.download.size = value;
    } else {
      auto& model = current_.package.models.back();
      if (static_cast<ModelKey>(top.field) == ModelKey::feature_score)
        model.feature_score = static_cast<std::uint8_t>(value);
      else if (static_cast<ModelKey>(top.field) == ModelKey::manufacturer_line)
        model.manufacturer_line = static_cast<int>(value);
      else
        model.line = static_cast<int>(value);
    }
    return next_element();
  }

  void set_driver_ver_part(inf::DriverVer& ver, bool is_date, const std::string& value) {
    if (is_date) {
      ver.date = DriverDate::parse(value);
      if (!value.empty() && ver.date.is_zero()) fail(stack_.size(), "\"" + value + "\" is not a YYYY-MM-DD date");
    } else {
      auto parsed = DriverVersion::try_parse(value);
      if (!parsed) fail(stack_.size(), "\"" + value + "\" is not w.x.y.z");
      ver.version = *parsed;
    }
  }

  void set_string(const Frame& top, const Field& f, std::string& value) {
    switch (top.node) {
      case Node::root: set_root_string(static_cast<RootKey>(top.field), value); break;
      case Node::package: set_package_string(static_cast<PackageKey>(top.field), value); break;
      case Node::model: set_model_string(static_cast<ModelKey>(top.field), value); break;
      case Node::signature: set_signature_string(static_cast<SignatureKey>(top.field), value); break;
      case Node::download: set_download_string(static_cast<DownloadKey>(top.field), value); break;
      default: fail(stack_.size(), expectation(f));
    }
  }

  void set_root_string(RootKey key, std::string& value) {
    switch (key) {
      case RootKey::schema:
        if (value != kSchema)
          fail(stack_.size(), "unsupported schema (this drvaudit reads " + std::string(kSchema) +
                                  "; publish the feed again with this drvaudit's `catalog export`)");
        break;
      case RootKey::publisher: feed_.publisher = std::move(value); break;
      case RootKey::generated_at: feed_.generated_at = std::move(value); break;
      case RootKey::packages: break;
    }
  }

  void set_package_string(PackageKey key, std::string& value) {
    auto& out = current_;
    auto& pkg = out.package;
    switch (key) {
      case PackageKey::inf:
        if (value.empty() || value.find_first_of("/\\:") != std::string::npos || value == "." || value == "..")
          fail(stack_.size(), "expected a file name, without a folder");
        pkg.inf_name = std::move(value);
        break;
      case PackageKey::path:
        if (!is_safe_relative_path(value))
          fail(stack_.size(), "expected a relative path inside the download, with '/' and without '..'");
        out.path = std::move(value);
        break;
      case PackageKey::provider: pkg.provider = std::move(value); break;
      case PackageKey::class_name: pkg.class_name = std::move(value); break;
      case PackageKey::class_guid: pkg.class_guid = std::move(value); break;
      case PackageKey::driver_date: set_driver_ver_part(pkg.driver_ver, true, value); break;
      case PackageKey::driver_version: set_driver_ver_part(pkg.driver_ver, false, value); break;
      default: break;
    }
  }

  void set_model_string(ModelKey key, std::string& value) {
    auto& m = current_.package.models.back();
    switch (key) {
      case ModelKey::manufacturer: m.manufacturer = std::move(value); break;
      case ModelKey::description: m.description = std::move(value); break;
      case ModelKey::models_section: m.models_section = std::move(value); break;
      case ModelKey::decoration:
        if (!value.empty() && !inf::parse_decoration(value))
          fail(stack_.size(), "\"" + value + "\" is not a TargetOSVersion decoration (NT[arch][.major[.minor…]]])");
        m.decoration = std::move(value);
        break;
      case ModelKey::arch: m.arch = architecture(std::move(value)); break;
      case ModelKey::install_section: m.install_section = std::move(value); break;
      case ModelKey::ddinstall_section: m.ddinstall_section = std::move(value); break;
      case ModelKey::hardware_id: m.hardware_id = std::move(value); break;
      case ModelKey::driver_date: set_driver_ver_part(m.driver_ver, true, value); break;
      case ModelKey::driver_version: set_driver_ver_part(m.driver_ver, false, value); break;
      default: break;
    }
  }

  // An architecture as the format writes it: the canonical name only (amd64, not x64).
  std::string architecture(std::string value) const {
    const auto arch = inf::canonical_arch(value);
    if (!arch || *arch != value) fail(stack_.size(), "expected x86, amd64, arm, arm64 or ia64");
    return value;
  }

  void set_signature_string(SignatureKey key, std::string& value) {
    auto& sig = current_.package.signatures.back();
    switch (key) {
      case SignatureKey::arch: sig.arch = architecture(std::move(value)); break;
      case SignatureKey::catalog_file: sig.catalog_file = std::move(value); break;
      case SignatureKey::status: {
        const auto status = inf::parse_signature_status(value);
        if (!status)
          fail(stack_.size(),
               "expected signed, catalog_missing, not_in_catalog, catalog_invalid, unsigned or not_checked");
        sig.status = *status;
        break;
      }
      case SignatureKey::signer: sig.signer = std::move(value); break;
      case SignatureKey::signed_at: sig.signed_at = std::move(value); break;
    }
  }

  void set_download_string(DownloadKey key, std::string& value) {
    auto& d = current_.download;
    switch (key) {
      case DownloadKey::url:
        if (!is_allowed_url(value))
          fail(stack_.size(), "expected an https:// URL or a path relative to the feed (no other scheme, no '..')");
        d.url = std::move(value);
        break;
      case DownloadKey::sha256:
        if (value.size() != 64 || value.find_first_not_of("0123456789abcdef") != std::string::npos)
          fail(stack_.size(), "expected 64 lower-case hex digits");
        d.sha256 = std::move(value);
        break;
      case DownloadKey::format:
        if (value != "zip" && value != "cab") fail(stack_.size(), "expected \"zip\" or \"cab\"");
        d.format = std::move(value);
        break;
      case DownloadKey::size: break;
    }
  }

  // At the end of an object: every key present, and the rules that span keys.
  void check_complete(Frame& top) {
    const auto fields = fields_of(top.node);
    const auto depth = stack_.size() - 1;
    for (std::size_t i = 0; i < fields.size(); ++i) {
      if (!(top.seen & (1u << i))) fail(depth, "missing required key \"" + std::string(fields[i].name) + "\"");
    }
    top.field = -1;  // errors below are about the object itself
    if (top.node == Node::package) {
      auto& pkg = current_.package;
      pkg.has_driver_ver = true;
      for (std::size_t i = 0; i < pkg.models.size(); ++i) {
        if (pkg.signature_for(pkg.models[i].arch)) continue;
        top.field = static_cast<int>(PackageKey::models);
        fail(stack_.size(), "Models line " + std::to_string(i) + " is for " + pkg.models[i].arch +
                                " but \"signatures\" has no entry for that architecture");
      }
    } else if (top.node == Node::model) {
      const auto& m = current_.package.models.back();
      if (m.hardware_id.empty() && m.compatible_ids.empty())
        fail(depth, "a Models line needs a hardware ID or a compatible ID");
      if (inf::section_arch(m.decoration) != m.arch)
        fail(depth, "\"arch\" " + m.arch + " is not the architecture of the decoration \"" + m.decoration + "\"");
    } else if (top.node == Node::signature) {
      const auto& sig = current_.package.signatures.back();
      if ((sig.status == inf::SignatureStatus::unsigned_package) != sig.catalog_file.empty())
        fail(depth, "an unsigned package names no catalog file, and every other status names one");
    }
  }

  std::string origin_;
  const PackageSink& sink_;
  Feed feed_;        // the header, and the packages when there is no sink
  Package current_;  // the package being read
  std::vector<Frame> stack_;
};

}  // namespace

Feed parse(std::string_view text, const std::string& origin, const PackageSink& sink) {
  if (text.size() > kMaxFeedBytes)
    throw ParseError("feed " + origin + ": larger than " + std::to_string(kMaxFeedBytes) + " bytes");
  FeedReader reader(origin, sink);
  json::sax_parse(text.begin(), text.end(), &reader);
  return reader.take();
}

Feed parse(std::string_view text, const std::string& origin) { return parse(text, origin, PackageSink()); }

}  // namespace drvaudit::feed
