// tidemark import vulnerabilities [--format F] FILE... : findings (native JSON/NDJSON/CSV,
// Defender Vulnerability Management full export and delta, Trivy reports), upserted by
// (asset, CVE, software) in one transaction, written in batches as the files are read
// (importers/vulnerabilities/finding_import.h).
// tidemark import cves FILE... : CVE knowledge (CTID KEV mapping sets, the CTID ATT&CK-to-CVE
// CSV, the CISA KEV catalog).
// Without --skip-invalid one invalid record fails the import (exit 2): the transaction is
// aborted, the store unchanged. Summaries go to stderr.
#include <fmt/format.h>

#include <memory>
#include <set>

#include "engine/core/json.h"
#include "engine/core/logging.h"
#include "engine/core/page_buffer.h"
#include "engine/store/cve_catalog.h"
#include "importers/common/parse_files.h"
#include "importers/cves/cve_file.h"
#include "importers/vulnerabilities/finding_import.h"
#include "tools/tidemark/command.h"
#include "tools/tidemark/reject_options.h"

namespace tidemark::cli {
namespace {

template <typename Strings>
std::string Listed(const Strings& items, size_t limit = 20) {
  std::string out;
  size_t shown = 0;
  for (const auto& item : items) {
    if (shown++ == limit) return out + fmt::format(", ... ({} in all)", items.size());
    out += (out.empty() ? "" : ", ") + item;
  }
  return out;
}

struct VulnerabilityArgs {
  std::vector<std::string> files;
  std::string format = "auto";
  RejectOptions rejects;
};

Status RunImportVulnerabilities(Context& ctx, const VulnerabilityArgs& args) {
  auto log = Logger("import.vulnerabilities");
  auto format = importers::ParseFindingFormat(args.format);
  if (!format) {
    return Status::Usage("--format " + args.format + ": unknown format (one of auto, native, mdvm, mdvm-delta, trivy, csv)");
  }
  uint64_t input_bytes = FilesBytes(args.files);
  auto store = ctx.OpenStore(/*create=*/true);
  if (!store.ok()) return store.status();
  // Huge pages save a page fault on each dirty LMDB page (1,000,000 findings: ~280 MB).
  PreferHugePagesForImport(input_bytes);
  importers::FindingImport imported;
  Status written = (*store)->Write(
      [&](store::WriteTxn& txn) {
        return importers::ImportFindingFiles(txn, args.files, *format, args.rejects.skip_invalid, imported);
      },
      input_bytes);
  if (!written.ok() && !imported.refused) return written;
  TM_RETURN_IF_ERROR(HandleRejects(imported.rejects, args.rejects, *log));
  // SPEC §6: a CVE nothing in the loaded CVE knowledge knows is kept (its finding scores no
  // technique until knowledge about it is imported) and reported.
  std::set<std::string> unknown;
  {
    auto txn = (*store)->Read();
    for (const auto& cve : imported.cves) {
      if (!store::CveCatalog::IsKnown(txn, cve)) unknown.insert(cve);
    }
  }
  for (const auto& summary : imported.files) {
    std::string inventory = summary.without_cve ? fmt::format(", {} software rows without a CVE skipped", summary.without_cve) : "";
    std::string fixed = summary.format == importers::FindingFormat::kMdvmDelta ? fmt::format(", {} fixed", summary.stats.fixed) : "";
    log->info("{}: {} findings: {} new, {} updated{}{}; {} rejected", summary.file, importers::FindingFormatName(summary.format),
              summary.stats.created, summary.stats.updated, fixed, inventory, summary.rejected);
  }
  if (!unknown.empty()) {
    log->warn("{} CVE IDs have no CVE knowledge (kept; no technique or KEV facts until `tidemark import cves` loads "
              "some): {}",
              unknown.size(), Listed(unknown));
  }
  return Status::Ok();
}

RunFn SetupImportVulnerabilities(CLI::App& app) {
  auto args = std::make_shared<VulnerabilityArgs>();
  app.add_option("FILE", args->files, "findings: tidemark JSON/NDJSON/CSV, Defender export or delta, Trivy JSON")->required();
  app.add_option("--format", args->format, "auto (default), native, mdvm, mdvm-delta, trivy or csv");
  AddRejectOptions(app, args->rejects);
  return [args](Context& ctx) { return RunImportVulnerabilities(ctx, *args); };
}

struct CveArgs {
  std::vector<std::string> files;
  RejectOptions rejects;
};

Status RunImportCves(Context& ctx, const CveArgs& args) {
  auto log = Logger("import.cves");
  importers::RejectList rejects;
  auto parsed = importers::ParseFiles(args.files, importers::ParseCveFile, rejects);
  if (!parsed.ok()) return parsed.status();
  const std::vector<importers::CveFile>& files = *parsed;
  TM_RETURN_IF_ERROR(HandleRejects(rejects, args.rejects, *log));
  auto store = ctx.OpenStore(/*create=*/true);
  if (!store.ok()) return store.status();
  std::vector<importers::CveResolution> resolutions;
  std::vector<importers::CveWriteStats> stats;
  TM_RETURN_IF_ERROR((*store)->Write([&](store::WriteTxn& txn) {
    resolutions.clear();
    stats.clear();
    for (const auto& file : files) {
      resolutions.push_back(importers::ResolveCveMappings(txn, file));
      stats.push_back(importers::StoreCveFile(txn, file, resolutions.back()));
    }
    return Status::Ok();
  }));
  for (size_t file_idx = 0; file_idx < files.size(); ++file_idx) {
    const auto& file = files[file_idx];
    const auto& resolved = resolutions[file_idx];
    if (!file.kev.empty() || file.mappings.empty()) {
      log->info("{}: {}: {} KEV entries ({} with known ransomware use); {} rejected", file.file, file.format,
                file.kev.size(), std::count_if(file.kev.begin(), file.kev.end(), [](const auto& e) { return e.ransomware; }),
                file.rejects.items.size());
    } else {
      std::set<std::string> cves;
      for (const auto& mapping : file.mappings) cves.insert(mapping.cve);
      log->info("{}: {} \"{}\": {} CVE-technique rows for {} CVEs ({} new), {} non_mappable rows skipped, {} rejected",
                file.file, file.format, file.source, file.mappings.size(), cves.size(), stats[file_idx].mappings_created,
                file.non_mappable, file.rejects.items.size());
    }
    if (resolved.revoked) log->info("{}: {} rows named revoked techniques, resolved to their replacements", file.file, resolved.revoked);
    if (!resolved.unknown_techniques.empty()) {
      log->warn("{}: {} technique IDs unknown to the loaded ATT&CK data (kept as written; they score nothing until a "
                "release with them is imported): {}",
                file.file, resolved.unknown_techniques.size(), Listed(resolved.unknown_techniques));
    }
  }
  return Status::Ok();
}

RunFn SetupImportCves(CLI::App& app) {
  auto args = std::make_shared<CveArgs>();
  app.add_option("FILE", args->files, "CTID KEV mapping set (JSON), CTID ATT&CK-to-CVE CSV, CISA KEV catalog JSON")->required();
  AddRejectOptions(app, args->rejects);
  return [args](Context& ctx) { return RunImportCves(ctx, *args); };
}

const bool kImportVulnerabilities = RegisterCommand(
    {"import vulnerabilities", "load vulnerability findings (tidemark JSON/NDJSON/CSV, Defender export/delta, Trivy)",
     SetupImportVulnerabilities});
const bool kImportCves = RegisterCommand(
    {"import cves", "load CVE knowledge (CTID KEV mappings, CTID CVE CSV, CISA KEV catalog)", SetupImportCves});

}  // namespace
}  // namespace tidemark::cli
