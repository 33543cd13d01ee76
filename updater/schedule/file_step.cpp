#include "updater/schedule/file_step.hpp"

#include <sodium.h>

#include "common/atomic_file.hpp"
#include "common/error.hpp"
#include "common/read_file.hpp"
#include "common/text.hpp"

namespace drvaudit::schedule {

namespace {
// The journal is JSON: file contents are kept as hex so that any bytes survive.
nlohmann::json bytes_json(const std::optional<std::string>& bytes) {
  return bytes ? nlohmann::json(text::hex_bytes(*bytes)) : nlohmann::json(nullptr);
}

std::optional<std::string> json_bytes(const nlohmann::json& value) {
  if (value.is_null()) return std::nullopt;
  const auto hex = value.get<std::string>();
  std::string out(hex.size() / 2, '\0');
  std::size_t written = 0;
  if (sodium_hex2bin(reinterpret_cast<unsigned char*>(out.data()), out.size(), hex.data(), hex.size(), nullptr,
                     &written, nullptr) != 0 ||
      written != out.size())
    throw ParseError("journal: a write-file step holds damaged content");
  return out;
}

std::filesystem::path path_of(const std::string& text) { return std::u8string(text.begin(), text.end()); }

std::string path_text(const std::filesystem::path& p) {
  const auto u8 = p.u8string();
  return std::string(u8.begin(), u8.end());
}

class WriteFileStep final : public updater::Step {
 public:
  explicit WriteFileStep(nlohmann::json params)
      : params_(std::move(params)),
        file_(path_of(params_.at("path").get<std::string>())),
        content_(json_bytes(params_.at("content"))),
        previous_(json_bytes(params_.at("previous"))) {}

  std::string kind() const override { return kWriteFile; }
  std::string describe() const override {
    const std::string where = text::escape_control(path_text(file_));
    if (!content_) return "remove " + where + (previous_ ? "" : " (not there)");
    return (previous_ ? "replace " : "write ") + where + " (" + std::to_string(content_->size()) + " bytes)";
  }
  nlohmann::json params() const override { return params_; }

  updater::Outcome apply() override {
    if (content_) {
      try {
        make_folders(file_.parent_path(), kModeFolder);
      } catch (const Error& e) {
        return updater::Outcome::failed(e.what());
      }
      // Units and cron files run a job as root: 0644 whatever the umask.
      write_file_atomically(file_, *content_, kModeSystemFile);
      return updater::Outcome::done("written");
    }
    std::error_code ec;
    std::filesystem::remove(file_, ec);
    if (ec) return updater::Outcome::failed("cannot remove " + path_text(file_) + ": " + ec.message());
    return updater::Outcome::done("removed");
  }

  updater::Outcome verify() override { return check(content_, "written and read back", "removed"); }

  updater::Outcome undo() override {
    const auto now = read_optional_file(file_);
    if (now != previous_) {
      if (previous_) {
        write_file_atomically(file_, *previous_, kModeSystemFile);
      } else {
        std::error_code ec;
        std::filesystem::remove(file_, ec);
        if (ec) return updater::Outcome::failed("cannot remove " + path_text(file_) + ": " + ec.message());
      }
    }
    auto back = check(previous_, "previous content back", "gone again, as before");
    if (back.state == updater::StepState::done) back.state = updater::StepState::undone;
    return back;
  }

 private:
  updater::Outcome check(const std::optional<std::string>& expected, const char* same, const char* absent) const {
    const auto now = read_optional_file(file_);
    if (now == expected) return updater::Outcome::done(path_text(file_) + ": " + (expected ? same : absent));
    if (!now) return updater::Outcome::failed(path_text(file_) + " is not there");
    return updater::Outcome::failed(path_text(file_) + " holds " + std::to_string(now->size()) +
                                    " bytes that are not the expected ones");
  }

  nlohmann::json params_;
  std::filesystem::path file_;
  std::optional<std::string> content_, previous_;
};
}  // namespace

std::optional<std::string> read_optional_file(const std::filesystem::path& file) {
  std::error_code ec;
  if (!std::filesystem::exists(file, ec) && !ec) return std::nullopt;
  return read_whole_file(file);
}

updater::PlannedStep plan_write_file(const std::filesystem::path& file, const std::optional<std::string>& content) {
  nlohmann::json params{
      {"path", path_text(file)}, {"content", bytes_json(content)}, {"previous", bytes_json(read_optional_file(file))}};
  const WriteFileStep step(params);
  return {kWriteFile, step.describe(), std::move(params)};
}

std::unique_ptr<updater::Step> make_write_file(const nlohmann::json& params) {
  return std::make_unique<WriteFileStep>(params);
}

}  // namespace drvaudit::schedule
