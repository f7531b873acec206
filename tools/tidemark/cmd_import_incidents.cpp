// tidemark import incidents [--format F] [--skip-invalid] [--rejects FILE] FILE|DIR... :
// reads incident exports of any supported format (recognised from content unless --format
// forces one), normalises them and upserts them in one transaction (importers/incidents/import.h).
// The summary goes to stderr; stdout stays empty.
#include <fmt/format.h>

#include <cstdio>
#include <memory>

#include "engine/core/json.h"
#include "engine/core/logging.h"
#include "engine/core/page_buffer.h"
#include "engine/core/terminal_text.h"
#include "engine/report/text_table.h"
#include "importers/incidents/import.h"
#include "importers/incidents/registry.h"
#include "tools/tidemark/command.h"

namespace tidemark::cli {
namespace {

namespace inc = importers::incidents;

struct Options {
  std::vector<std::string> paths;
  std::string format = "auto";
  bool skip_invalid = false;
  std::string rejects_path;
};

// One NDJSON line per reject: {"file", "where", "reason"}.
Status WriteRejects(const std::string& path, const std::vector<inc::FileReject>& rejects) {
  std::unique_ptr<FILE, int (*)(FILE*)> file(std::fopen(path.c_str(), "wb"), &std::fclose);
  if (!file) return Status::Usage("--rejects " + path + ": cannot create file");
  for (const auto& reject : rejects) {
    rapidjson::StringBuffer buf;
    JsonWriter w(buf);
    w.StartObject();
    WriteField(w, "file", reject.file);
    WriteField(w, "where", reject.where);
    WriteField(w, "reason", reject.reason);
    w.EndObject();
    buf.Put('\n');
    if (std::fwrite(buf.GetString(), 1, buf.GetSize(), file.get()) != buf.GetSize()) {
      return Status::Usage("--rejects " + path + ": write failed");
    }
  }
  return Status::Ok();
}

std::string Listed(const std::vector<std::string>& items, size_t limit = 20) {
  std::string out;
  for (size_t idx = 0; idx < items.size() && idx < limit; ++idx) out += (idx ? ", " : "") + items[idx];
  if (items.size() > limit) out += fmt::format(", ... ({} in all)", items.size());
  return out;
}

RunFn SetupImportIncidents(CLI::App& app) {
  auto opts = std::make_shared<Options>();
  app.add_option("FILE", opts->paths, "incident export files or directories (read recursively)")->required();
  app.add_option("--format", opts->format,
                 "auto (default: recognised from content) or one of: " + inc::ReaderNames());
  app.add_flag("--skip-invalid", opts->skip_invalid, "import the valid records, report the rejected ones");
  app.add_option("--rejects", opts->rejects_path, "write rejected records here as NDJSON {file, where, reason}");
  return [opts](Context& ctx) -> Status {
    auto log = Logger("import.incidents");
    if (opts->format != "auto" && inc::FindReader(opts->format) == nullptr) {
      return Status::Usage(fmt::format("--format {}: unknown format (one of auto, {})", opts->format, inc::ReaderNames()));
    }
    auto files = inc::ExpandInputs(opts->paths);
    if (!files.ok()) return files.status();
    auto store = ctx.OpenStore(/*create=*/true);
    if (!store.ok()) return store.status();
    // Huge pages save a page fault on each dirty LMDB page (1,000,000 incidents: ~540 MB).
    PreferHugePagesForImport(FilesBytes(*files));

    inc::ImportOptions options;
    options.format = opts->format;
    options.skip_invalid = opts->skip_invalid;
    bool progress = StderrIsTerminal() && !ctx.options.quiet && files->size() > 1;
    if (progress) {
      options.progress = [](size_t index, size_t count, const std::string& path) {
        std::fprintf(stderr, "\r\033[K[%zu/%zu] %s", index + 1, count, NeutralizeText(path).c_str());
        if (index + 1 == count) std::fputc('\n', stderr);
      };
    }
    inc::ImportSummary summary;
    Status status = inc::ImportIncidents(**store, *files, options, summary);
    if (!opts->rejects_path.empty()) TM_RETURN_IF_ERROR(WriteRejects(opts->rejects_path, summary.rejects));
    if (!status.ok()) return status;

    for (const auto& reject : summary.rejects) log->warn("rejected {}: {}", reject.where, reject.reason);
    std::string formats;
    for (const auto& [name, count] : summary.formats) formats += fmt::format("{}{} {}", formats.empty() ? "" : ", ", count, name);
    log->info("{} ({}): {} imported: {} new, {} updated, {} unchanged; {} rejected",
              report::Plural(summary.files, "file"), formats.empty() ? "none read" : formats,
              report::Plural(summary.added + summary.updated + summary.unchanged, "incident"), summary.added,
              summary.updated, summary.unchanged, summary.rejects.size());
    if (!summary.unknown_techniques.empty()) {
      log->warn("{} unknown techniques (kept in unknown_techniques, not scored): {}",
                summary.unknown_techniques.size(), Listed(summary.unknown_techniques));
    }
    if (!summary.custom_threats.empty()) {
      log->info("{} threats not in ATT&CK kept as custom threats: {}", summary.custom_threats.size(),
                Listed(summary.custom_threats));
    }
    return Status::Ok();
  };
}

const bool kImportIncidentsCommand = RegisterCommand({"import incidents", "load incident exports (any supported format)", SetupImportIncidents});

}  // namespace
}  // namespace tidemark::cli
