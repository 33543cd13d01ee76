#include "common/logging.hpp"

#include <spdlog/sinks/rotating_file_sink.h>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include <memory>
#include <vector>

#include "common/private_state.hpp"

namespace drvaudit::logging {

namespace {
std::shared_ptr<spdlog::sinks::sink> g_file_sink;

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
  std::vector<spdlog::sink_ptr> sinks{console};

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
      sinks.push_back(file);
      g_file_sink = file;
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
