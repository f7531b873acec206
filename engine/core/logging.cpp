#include "engine/core/logging.h"

#include <spdlog/sinks/stdout_color_sinks.h>
#include <unistd.h>

#include <mutex>

namespace tidemark {
namespace {

spdlog::level::level_enum g_level = spdlog::level::info;
std::mutex g_mutex;

}  // namespace

void SetupLogging(Verbosity verbosity) {
  std::lock_guard<std::mutex> lock(g_mutex);
  g_level = verbosity == Verbosity::kQuiet     ? spdlog::level::err
            : verbosity == Verbosity::kVerbose ? spdlog::level::debug
                                               : spdlog::level::info;
  spdlog::apply_all([](const std::shared_ptr<spdlog::logger>& logger) { logger->set_level(g_level); });
}

std::shared_ptr<spdlog::logger> Logger(const std::string& component) {
  std::lock_guard<std::mutex> lock(g_mutex);
  auto logger = spdlog::get(component);
  if (logger) return logger;
  logger = spdlog::stderr_color_mt(component);
  logger->set_pattern("tidemark %n: %^%l%$: %v");
  logger->set_level(g_level);
  return logger;
}

bool StderrIsTerminal() { return isatty(STDERR_FILENO) == 1; }

}  // namespace tidemark
