#include "common/logging.hpp"

#include <spdlog/sinks/rotating_file_sink.h>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include <memory>
#include <vector>

#include "common/private_state.hpp"
#include "common/text.hpp"

namespace drvaudit::logging {

namespace {
std::shared_ptr<spdlog::sinks::sink> g_file_sink;

// The console and the log file see what a hostile INF, snapshot, feed or device name put in a message only escaped
// (text::escape_control): a log line can neither move the cursor nor forge another line.
class EscapingSink : public spdlog::sinks::sink {
 public:
  explicit EscapingSink(std::shared_ptr<spdlog::sinks::sink> inner) : inner_(std::move(inner)) {}
  void log(const spdlog::details::log_msg& msg) override {
    const std::string_view payload(msg.payload.data(), msg.payload.size());
    const std::string escaped = text::escape_control(payload);
    spdlog::details::log_msg copy = msg;
    copy.payload = spdlog::string_view_t(escaped.data(), escaped.size());
    inner_->log(copy);
  }
  void flush() override { inner_->flush(); }
  void set_pattern(const std::string& pattern) override { inner_->set_pattern(pattern); }
  void set_formatter(std::unique_ptr<spdlog::formatter> formatter) override {
    inner_->set_formatter(std::move(formatter));
  }

 private:
  std::shared_ptr<spdlog::sinks::sink> inner_;
};

spdlog::level::level_enum console_level(int verbosity) {
  switch (verbosity) {
    case 0: return spdlog::level::warn;
    case 1: return spdlog::level::info;
    case 2: return spdlog::level::debug;
    default: return spdlog::level::trace;
  }
}
}  // namespace

void init(const Options& options) {
  constexpr std::size_t kMaxFileBytes = 5 * 1024 * 1024;
  constexpr std::size_t kMaxFiles = 3;

  auto console = std::make_shared<spdlog::sinks::stderr_color_sink_mt>(options.color ? spdlog::color_mode::automatic
                                                                                     : spdlog::color_mode::never);
  console->set_level(console_level(options.verbosity));
  console->set_pattern("drvaudit: %^%l%$: %v");
  auto escaping = std::make_shared<EscapingSink>(console);
  escaping->set_level(console->level());
  std::vector<spdlog::sink_ptr> sinks{escaping};

  std::string file_problem;
  if (options.log_file) {
    try {
      if (options.in_state_folder) {
        private_state::prepare_folder(options.log_file->parent_path());
        private_state::prepare_file(*options.log_file, true);
      } else {
        std::filesystem::create_directories(options.log_file->parent_path());
      }
      auto file =
          std::make_shared<spdlog::sinks::rotating_file_sink_mt>(options.log_file->string(), kMaxFileBytes, kMaxFiles);
      file->set_level(std::min(spdlog::level::info, console_level(options.verbosity)));
      file->set_pattern("%Y-%m-%dT%H:%M:%S.%e%z [%P] %l: %v");
      g_file_sink = std::make_shared<EscapingSink>(file);  // `cat drvaudit.log` is a terminal too
      g_file_sink->set_level(file->level());
      sinks.push_back(g_file_sink);
    } catch (const std::exception& e) {
      file_problem = e.what();
    }
  }

  auto logger = std::make_shared<spdlog::logger>("drvaudit", sinks.begin(), sinks.end());
  logger->set_level(spdlog::level::trace);
  logger->flush_on(spdlog::level::warn);
  spdlog::set_default_logger(logger);
  if (!file_problem.empty()) {
    // Logging to a file is a convenience; a read-only state folder must not stop a scan.
    spdlog::warn("cannot write the log file {}: {}", options.log_file->string(), file_problem);
  }
}

void error_to_file(const std::string& message) {
  if (!g_file_sink) return;
  spdlog::details::log_msg msg("drvaudit", spdlog::level::err, message);
  g_file_sink->log(msg);
  g_file_sink->flush();
}

}  // namespace drvaudit::logging
