// --skip-invalid and --rejects FILE for the importers whose parsers return a RejectList
// (SPEC §6): declaring the options, and turning the rejects into stderr lines, the rejects
// file and the exit status.
#pragma once

#include <spdlog/logger.h>

#include <string>

#include "importers/common/reject.h"
#include "tools/tidemark/command.h"

namespace tidemark::cli {

struct RejectOptions {
  bool skip_invalid = false;
  std::string rejects_path;
};

void AddRejectOptions(CLI::App& app, RejectOptions& options);

// Writes the rejects to --rejects (file:record: reason lines), logs them when skipping, and
// fails with kBadInput (the first reject and how many more) unless --skip-invalid.
Status HandleRejects(const importers::RejectList& rejects, const RejectOptions& options, spdlog::logger& log);

}  // namespace tidemark::cli
