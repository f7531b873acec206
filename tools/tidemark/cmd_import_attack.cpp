// tidemark import attack FILE... : loads ATT&CK STIX bundles; a newer release of a domain
// replaces the older one in place. All files are parsed before anything is written, and all
// are written in one transaction, so a bad file leaves the store as it was. In that same
// transaction the incidents and mapping rows stored earlier are resolved again against the new
// data (unknown techniques, custom threats, revocations), so import order does not matter.
#include <chrono>

#include "engine/core/json.h"
#include "engine/core/logging.h"
#include "engine/store/attack_catalog.h"
#include "importers/attack/stix_bundle.h"
#include "importers/controls/mapping_set.h"
#include "importers/incidents/import.h"
#include "tools/tidemark/command.h"

namespace tidemark::cli {
namespace {

// "(A, B, C)" with at most 20 names.
std::string JoinList(const std::vector<std::string>& names) {
  std::string out;
  for (size_t name_idx = 0; name_idx < names.size() && name_idx < 20; ++name_idx) out += (name_idx ? ", " : "") + names[name_idx];
  if (names.size() > 20) out += ", ...";
  return names.empty() ? "" : "(" + out + ")";
}

RunFn SetupImportAttack(CLI::App& app) {
  auto files = std::make_shared<std::vector<std::string>>();
  app.add_option("FILE", *files, "ATT&CK STIX 2.1 bundle(s)")->required();
  return [files](Context& ctx) -> Status {
    auto log = Logger("import.attack");
    std::vector<importers::AttackRelease> releases;
    for (const auto& file : *files) {
      auto release = importers::ReadAttackBundle(file);
      if (!release.ok()) return release.status();
      releases.push_back(std::move(release).value());
    }
    auto store = ctx.OpenStore(/*create=*/true);
    if (!store.ok()) return store.status();
    auto previous = store::AttackCatalog::Releases((*store)->Read());
    importers::incidents::ReresolveSummary incidents;
    size_t mappings_rewritten = 0;
    TM_RETURN_IF_ERROR((*store)->Write([&](store::WriteTxn& txn) {
      for (const auto& release : releases) TM_RETURN_IF_ERROR(importers::StoreAttackRelease(txn, release));
      // Import order does not matter: what was stored before this release resolves against it.
      incidents = importers::incidents::ReresolveStoredIncidents(txn);
      mappings_rewritten = importers::ReresolveStoredMappings(txn);
      return Status::Ok();
    }));
    for (const auto& r : releases) {
      std::string summary;
      for (const auto& [kind, n] : r.counts) summary += (summary.empty() ? "" : ", ") + std::to_string(n) + " " + kind;
      auto before = previous.find(r.domain);
      std::string upgrade = before == previous.end() ? "" : " (replaces " + before->second.version + ")";
      log->info("{}: {} {}{}: {}; {} relationships; {} other objects skipped", r.file, r.domain,
                r.version, upgrade, summary, r.relationships, r.skipped);
    }
    if (incidents.updated > 0) {
      log->info("{} of {} stored incidents re-resolved against the loaded ATT&CK data; now known: {} techniques{}{}, "
                "{} threats{}{}",
                incidents.updated, incidents.examined, incidents.resolved_techniques.size(),
                incidents.resolved_techniques.empty() ? "" : " ", JoinList(incidents.resolved_techniques),
                incidents.resolved_threats.size(), incidents.resolved_threats.empty() ? "" : " ",
                JoinList(incidents.resolved_threats));
    }
    if (mappings_rewritten > 0) {
      log->info("{} stored mapping rows named techniques this data revokes: moved to their replacements (revoked_from kept)",
                mappings_rewritten);
    }
    return Status::Ok();
  };
}

const bool kImportAttackCommand = RegisterCommand({"import attack", "load ATT&CK STIX 2.1 bundles", SetupImportAttack});

}  // namespace
}  // namespace tidemark::cli
