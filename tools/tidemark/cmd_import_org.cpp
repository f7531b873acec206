// tidemark import controls|mappings|posture|assets: the organisation's side of the graph.
// Every file is parsed and validated first; records are checked against the store and written
// in one transaction, so a bad file leaves the store as it was (SPEC §5, §6). Without
// --skip-invalid any invalid record fails the import (exit 2); with it, invalid records are
// reported on stderr (and in --rejects FILE) and the rest is imported. Summaries go to stderr.
#include <fstream>
#include <memory>

#include "engine/core/json.h"
#include "engine/core/logging.h"
#include "engine/report/text_table.h"
#include "engine/store/org_catalog.h"
#include "importers/common/parse_files.h"
#include "importers/controls/asset_inventory.h"
#include "importers/controls/control_catalog.h"
#include "importers/controls/mapping_set.h"
#include "importers/controls/posture_file.h"
#include "importers/controls/secure_score_mapping.h"
#include "tools/tidemark/command.h"
#include "tools/tidemark/reject_options.h"

namespace tidemark::cli {
namespace {

using importers::RejectList;

std::string JoinSet(const std::set<std::string>& ids, size_t limit = 20) {
  std::string out;
  size_t shown = 0;
  for (const auto& id : ids) {
    if (shown++ == limit) return out + ", ...";
    out += (out.empty() ? "" : ", ") + id;
  }
  return out;
}

void LogResolution(spdlog::logger& log, const std::string& file, const importers::MappingResolution& r) {
  if (r.revoked) log.info("{}: {} rows named revoked techniques, resolved to their replacements (revoked_from kept)", file, r.revoked);
  if (r.kept_unknown && (!r.unknown_techniques.empty() || !r.unknown_mitigations.empty())) {
    log.warn("{}: the ATT&CK data for this set is not loaded yet: {} technique IDs ({} rows) and {} mitigation IDs kept "
             "unresolved; they resolve when `tidemark import attack` loads it",
             file, r.unknown_techniques.size(), r.unknown_rows, r.unknown_mitigations.size());
    return;
  }
  if (!r.unknown_techniques.empty()) {
    log.warn("{}: {} unknown technique IDs not stored ({} rows): {}", file, r.unknown_techniques.size(), r.unknown_rows,
             JoinSet(r.unknown_techniques));
  }
  if (!r.unknown_mitigations.empty()) {
    log.warn("{}: unknown mitigation IDs not stored: {}", file, JoinSet(r.unknown_mitigations));
  }
}

// ---- import controls ----------------------------------------------------------------------

struct ControlsArgs {
  std::vector<std::string> files;
  std::string builtin;
  std::string secure_score_mapping;
  bool no_secure_score_mapping = false;
  RejectOptions rejects;
};

// The curated Secure Score mapping for a Graph profile import, or nullopt (with a warning).
Result<std::optional<importers::MappingFile>> CuratedMapping(const ControlsArgs& args, spdlog::logger& log) {
  if (args.no_secure_score_mapping) return std::optional<importers::MappingFile>();
  std::optional<std::string> path =
      args.secure_score_mapping.empty() ? importers::FindSecureScoreMapping() : std::optional(args.secure_score_mapping);
  if (!path) {
    log.warn("the curated Secure Score mapping (mappings/secure-score.json) was not found: the profiles reach no "
             "technique until it is imported (`tidemark import mappings mappings/secure-score.json`, or set "
             "TIDEMARK_MAPPINGS_DIR)");
    return std::optional<importers::MappingFile>();
  }
  auto text = ReadFile(*path);
  if (!text.ok()) return text.status();
  auto parsed = importers::ParseMappingFile(*text, *path);
  if (!parsed.ok()) return parsed.status();
  TM_RETURN_IF_ERROR(importers::RejectsAsError(parsed->rejects, false));
  return std::optional(std::move(parsed).value());
}

Status RunImportControls(Context& ctx, const ControlsArgs& args) {
  auto log = Logger("import.controls");
  if (args.files.empty() == args.builtin.empty()) {
    return Status::Usage("import controls: give a catalog FILE or --builtin attack-mitigations (not both)");
  }
  auto store = ctx.OpenStore(/*create=*/true);
  if (!store.ok()) return store.status();
  std::vector<importers::CatalogFile> catalogs;
  RejectList rejects;
  if (!args.builtin.empty()) {
    auto builtin = importers::BuiltinCatalog((*store)->Read(), args.builtin);
    if (!builtin.ok()) return builtin.status();
    catalogs.push_back(std::move(builtin).value());
  }
  bool any_graph = false;
  for (const auto& file : args.files) {
    auto text = ReadFile(file);
    if (!text.ok()) return text.status();
    auto catalog = importers::ParseControlCatalog(*text, file);
    if (!catalog.ok()) return catalog.status();
    for (const auto& reject : catalog->rejects.items) rejects.items.push_back(reject);
    any_graph |= catalog->format == importers::CatalogFormat::kGraphProfiles;
    catalogs.push_back(std::move(catalog).value());
  }
  TM_RETURN_IF_ERROR(HandleRejects(rejects, args.rejects, *log));
  std::optional<importers::MappingFile> curated;
  if (any_graph) {
    auto found = CuratedMapping(args, *log);
    if (!found.ok()) return found.status();
    curated = std::move(found).value();
  }

  std::vector<importers::MappingResolution> resolutions;
  std::optional<importers::MappingResolution> curated_resolution;
  importers::MappingWriteStats curated_stats;
  std::set<std::string> unknown_mitigations;
  TM_RETURN_IF_ERROR((*store)->Write([&](store::WriteTxn& txn) {
    resolutions.clear();
    unknown_mitigations.clear();
    for (const auto& catalog : catalogs) {
      std::vector<importers::MitigationLink> links;
      for (const auto& control : catalog.controls) {
        for (const auto& m : control.mitigations) links.push_back({control.id, m});
      }
      resolutions.push_back(importers::ResolveMappings(txn, catalog.mappings, links));
      unknown_mitigations.insert(resolutions.back().unknown_mitigations.begin(), resolutions.back().unknown_mitigations.end());
      importers::StoreCatalog(txn, catalog, resolutions.back());
    }
    if (curated) {
      curated_resolution = importers::ResolveMappings(txn, curated->mappings, curated->implements);
      curated_stats = importers::StoreMappings(txn, *curated, *curated_resolution, /*only_existing_controls=*/true);
    }
    return Status::Ok();
  }));
  for (size_t catalog_idx = 0; catalog_idx < catalogs.size(); ++catalog_idx) {
    const auto& catalog = catalogs[catalog_idx];
    log->info("{}: {} catalog: {} imported, {} stored, {} rejected", catalog.file,
              importers::CatalogFormatName(catalog.format), report::Plural(catalog.controls.size(), "control"),
              report::Plural(resolutions[catalog_idx].rows.size(), "direct mapping"),
              report::Plural(catalog.rejects.items.size(), "record"));
    LogResolution(*log, catalog.file, resolutions[catalog_idx]);
  }
  if (!unknown_mitigations.empty()) {
    log->warn("controls name mitigations unknown to the loaded ATT&CK data (they reach nothing): {}", JoinSet(unknown_mitigations));
  }
  if (curated) {
    log->info("{}: curated Secure Score mapping applied: {} rows for the imported controls, {} rows for controls not in "
              "the store skipped",
              curated->file, curated_stats.rows_written, curated_stats.rows_skipped);
    LogResolution(*log, curated->file, *curated_resolution);
  }
  return Status::Ok();
}

RunFn SetupImportControls(CLI::App& app) {
  auto args = std::make_shared<ControlsArgs>();
  app.add_option("FILE", args->files, "catalog: tidemark JSON/CSV or Graph secureScoreControlProfiles export");
  app.add_option("--builtin", args->builtin, "a built-in catalog instead of a file: attack-mitigations");
  app.add_option("--secure-score-mapping", args->secure_score_mapping,
                 "curated Secure Score mapping applied to Graph profiles (default: mappings/secure-score.json)");
  app.add_flag("--no-secure-score-mapping", args->no_secure_score_mapping, "do not apply the curated Secure Score mapping");
  AddRejectOptions(app, args->rejects);
  return [args](Context& ctx) { return RunImportControls(ctx, *args); };
}

// ---- import mappings ----------------------------------------------------------------------

struct FilesArgs {
  std::vector<std::string> files;
  RejectOptions rejects;
};

struct MappingsArgs {
  std::vector<std::string> files;
  std::string set;
  bool replace = false;
  RejectOptions rejects;
};

Status RunImportMappings(Context& ctx, const MappingsArgs& args) {
  auto log = Logger("import.mappings");
  RejectList rejects;
  auto parsed = importers::ParseFiles(args.files, importers::ParseMappingFile, rejects);
  if (!parsed.ok()) return parsed.status();
  std::vector<importers::MappingFile> files = std::move(parsed).value();
  if (!args.set.empty()) {
    for (auto& file : files) {
      file.source = args.set;
      file.name_declared = true;
      for (auto& mapping : file.mappings) mapping.source = args.set;
      for (auto& control : file.control_templates) control.source = args.set;
    }
  }
  if (!args.set.empty() && (files.size() != 1 || importers::IdProblem(args.set))) {
    return Status::Usage(files.size() != 1 ? "import mappings: --set NAME names the set of one FILE"
                                           : "--set: the set name " + *importers::IdProblem(args.set));
  }
  TM_RETURN_IF_ERROR(HandleRejects(rejects, args.rejects, *log));
  auto store = ctx.OpenStore(/*create=*/true);
  if (!store.ok()) return store.status();
  std::vector<importers::MappingResolution> resolutions;
  std::vector<importers::MappingWriteStats> stats;
  std::vector<std::string> notes;
  TM_RETURN_IF_ERROR((*store)->Write([&](store::WriteTxn& txn) {
    resolutions.clear();
    stats.clear();
    notes.clear();
    for (const auto& file : files) {
      if (auto collision = importers::SetCollision(txn, file, args.replace)) return Status::BadInput(*collision);
      resolutions.push_back(importers::ResolveMappings(txn, file.mappings, file.implements, file.attack_domain));
      notes.push_back(importers::AttackVersionNote(txn, file));
      stats.push_back(importers::StoreMappings(txn, file, resolutions.back()));
    }
    return Status::Ok();
  }));
  for (size_t file_idx = 0; file_idx < files.size(); ++file_idx) {
    const auto& file = files[file_idx];
    const auto& resolved = resolutions[file_idx];
    size_t counts[3] = {0, 0, 0};
    for (const auto& mapping : resolved.rows) ++counts[static_cast<int>(mapping.type)];
    std::string framework = file.framework.empty() ? "" : " " + file.framework;
    log->info("{}: {}{} set \"{}\": {} stored ({} protect, {} detect, {} respond), {}, {} "
              "created; skipped: {} non_mappable rows, {} null rows, {} duplicate rows merged, {} invalid rows",
              file.file, file.format, framework, file.source, report::Plural(resolved.rows.size(), "mapping"), counts[0],
              counts[1], counts[2], report::Plural(resolved.implements.size(), "mitigation link"),
              report::Plural(stats[file_idx].controls_created, "control"), file.non_mappable, file.null_rows,
              resolved.merged, file.rejects.items.size());
    if (const auto& replaced = stats[file_idx].replaced) {
      log->info("{}: replaced set \"{}\" ({}{}, {})", file.file, replaced->name,
                replaced->file.empty() ? "" : "from " + replaced->file + ": ", report::Plural(replaced->mappings, "mapping"),
                report::Plural(replaced->mitigation_links, "mitigation link"));
    }
    if (!notes[file_idx].empty()) log->warn("{}: {}", file.file, notes[file_idx]);
    LogResolution(*log, file.file, resolved);
  }
  return Status::Ok();
}

RunFn SetupImportMappings(CLI::App& app) {
  auto args = std::make_shared<MappingsArgs>();
  app.add_option("FILE", args->files, "tidemark JSON/CSV or CTID Mappings Explorer JSON")->required();
  app.add_option("--set", args->set, "the set's name (default: the file's `source`, else its file name without extension)");
  app.add_flag("--replace", args->replace, "replace a set of the same name imported from another file");
  AddRejectOptions(app, args->rejects);
  return [args](Context& ctx) { return RunImportMappings(ctx, *args); };
}

// ---- import posture -----------------------------------------------------------------------

Status RunImportPosture(Context& ctx, const FilesArgs& args) {
  auto log = Logger("import.posture");
  std::vector<importers::PostureFile> files;
  RejectList parse_rejects;
  for (const auto& path : args.files) {
    auto text = ReadFile(path);
    if (!text.ok()) return text.status();
    auto parsed = importers::ParsePostureFile(*text, path);
    if (!parsed.ok()) return parsed.status();
    files.push_back(std::move(parsed).value());
  }
  auto store = ctx.OpenStore(/*create=*/true);
  if (!store.ok()) return store.status();
  // Unknown controls are found against the store, so all rejects are known only now; the
  // check runs on a read snapshot before anything is written.
  std::vector<std::vector<model::PostureRecord>> records;
  RejectList rejects;
  {
    auto txn = (*store)->Read();
    for (auto& file : files) {
      records.push_back(importers::ResolvePosture(txn, file));
      for (const auto& reject : file.rejects.items) rejects.items.push_back(reject);
    }
  }
  TM_RETURN_IF_ERROR(HandleRejects(rejects, args.rejects, *log));
  TM_RETURN_IF_ERROR((*store)->Write([&](store::WriteTxn& txn) {
    for (const auto& file_records : records) {
      for (const auto& record : file_records) store::OrgCatalog::PutPosture(txn, record);
    }
    return Status::Ok();
  }));
  for (size_t file_idx = 0; file_idx < files.size(); ++file_idx) {
    log->info("{}: {} posture: {}, {} imported, {} rejected", files[file_idx].file, files[file_idx].format,
              report::Plural(files[file_idx].snapshots, "snapshot"), report::Plural(records[file_idx].size(), "record"),
              files[file_idx].rejects.items.size());
  }
  return Status::Ok();
}

RunFn SetupImportPosture(CLI::App& app) {
  auto args = std::make_shared<FilesArgs>();
  app.add_option("FILE", args->files, "snapshots: tidemark JSON/CSV or Graph secureScores export")->required();
  AddRejectOptions(app, args->rejects);
  return [args](Context& ctx) { return RunImportPosture(ctx, *args); };
}

// ---- import assets ------------------------------------------------------------------------

Status RunImportAssets(Context& ctx, const FilesArgs& args) {
  auto log = Logger("import.assets");
  RejectList rejects;
  auto parsed = importers::ParseFiles(args.files, importers::ParseAssetFile, rejects);
  if (!parsed.ok()) return parsed.status();
  const std::vector<importers::AssetFile>& files = *parsed;
  TM_RETURN_IF_ERROR(HandleRejects(rejects, args.rejects, *log));
  auto store = ctx.OpenStore(/*create=*/true);
  if (!store.ok()) return store.status();
  TM_RETURN_IF_ERROR((*store)->Write([&](store::WriteTxn& txn) {
    for (const auto& file : files) {
      for (const auto& asset : file.assets) store::OrgCatalog::PutAsset(txn, asset);
    }
    return Status::Ok();
  }));
  for (const auto& file : files) {
    log->info("{}: {} inventory: {} imported, {} rejected", file.file, file.format, report::Plural(file.assets.size(), "asset"),
              file.rejects.items.size());
  }
  return Status::Ok();
}

RunFn SetupImportAssets(CLI::App& app) {
  auto args = std::make_shared<FilesArgs>();
  app.add_option("FILE", args->files, "asset inventory: tidemark JSON or CSV")->required();
  AddRejectOptions(app, args->rejects);
  return [args](Context& ctx) { return RunImportAssets(ctx, *args); };
}

const bool kImportControls = RegisterCommand(
    {"import controls", "load a control catalog (tidemark JSON/CSV, Graph secureScoreControlProfiles, --builtin)", SetupImportControls});
const bool kImportMappings = RegisterCommand(
    {"import mappings", "load control->technique mappings (tidemark JSON/CSV, CTID Mappings Explorer)", SetupImportMappings});
const bool kImportPosture = RegisterCommand(
    {"import posture", "load dated control states (tidemark JSON/CSV, Graph secureScores)", SetupImportPosture});
const bool kImportAssets = RegisterCommand({"import assets", "load the asset inventory (tidemark JSON/CSV)", SetupImportAssets});

}  // namespace
}  // namespace tidemark::cli
