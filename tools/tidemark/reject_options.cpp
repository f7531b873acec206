#include "tools/tidemark/reject_options.h"

#include <fstream>

namespace tidemark::cli {

void AddRejectOptions(CLI::App& app, RejectOptions& options) {
  app.add_flag("--skip-invalid", options.skip_invalid, "import the valid records, report the invalid ones");
  app.add_option("--rejects", options.rejects_path, "also write the rejected records (file:record: reason) here");
}

Status HandleRejects(const importers::RejectList& rejects, const RejectOptions& options, spdlog::logger& log) {
  if (!options.rejects_path.empty()) {
    std::ofstream out(options.rejects_path, std::ios::binary | std::ios::trunc);
    for (const auto& reject : rejects.items) out << reject.Message() << "\n";
    if (!out) return Status::BadInput("--rejects: cannot write " + options.rejects_path);
  }
  if (options.skip_invalid) {
    for (const auto& reject : rejects.items) log.warn("rejected {}", reject.Message());
  }
  return importers::RejectsAsError(rejects, options.skip_invalid);
}

}  // namespace tidemark::cli
