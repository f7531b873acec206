// Logging: one named spdlog logger per component, all writing to stderr (stdout is the
// command's output). Every message is neutralised (terminal_text.h) as it is written, so a
// message built from data cannot act on the terminal. Thread-safe once SetupLogging has run.
#pragma once

#include <spdlog/spdlog.h>

#include <memory>
#include <string>

namespace tidemark {

enum class Verbosity { kQuiet, kNormal, kVerbose };

// Configures every logger: kQuiet shows errors only, kNormal info, kVerbose debug.
void SetupLogging(Verbosity verbosity);

// The logger of a component ("store", "import.attack", "scoring"), created on first use.
std::shared_ptr<spdlog::logger> Logger(const std::string& component);

// True when stderr is a terminal (progress is shown only then).
bool StderrIsTerminal();

}  // namespace tidemark
