#include "engine/core/logging.h"

#include <spdlog/pattern_formatter.h>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <unistd.h>

#include <mutex>

#include "engine/core/terminal_text.h"

namespace tidemark {
namespace {

spdlog::level::level_enum g_level = spdlog::level::info;
std::mutex g_mutex;

// `%*`: the message with terminal controls and bidi overrides neutralised. Log messages are
// built from data (file names, ids, titles, threat names), and stderr is usually a terminal.
class NeutralMessage : public spdlog::custom_flag_formatter {
 public:
  void format(const spdlog::details::log_msg& msg, const std::tm&, spdlog::memory_buf_t& dest) override {
    std::string text = NeutralizeText(std::string_view(msg.payload.data(), msg.payload.size()));
    dest.append(text.data(), text.data() + text.size());
  }
  std::unique_ptr<custom_flag_formatter> clone() const override { return std::make_unique<NeutralMessage>(); }
};

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
  auto formatter = std::make_unique<spdlog::pattern_formatter>();
  formatter->add_flag<NeutralMessage>('*').set_pattern("tidemark %n: %^%l%$: %*");
  logger->set_formatter(std::move(formatter));
  logger->set_level(g_level);
  return logger;
}

bool StderrIsTerminal() { return isatty(STDERR_FILENO) == 1; }

}  // namespace tidemark
