// tidemark import attack FILE... : loads ATT&CK STIX bundles; a newer release of a domain
// replaces the older one in place. All files are parsed before anything is written, and all
// are written in one transaction, so a bad file leaves the store as it was.
#include <chrono>

#include "engine/core/json.h"
#include "engine/core/logging.h"
#include "engine/store/attack_catalog.h"
#include "importers/attack/stix_bundle.h"
#include "tools/tidemark/command.h"

namespace tidemark::cli {
namespace {

RunFn Setup(CLI::App& app) {
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
    TM_RETURN_IF_ERROR((*store)->Write([&](store::WriteTxn& txn) {
      for (const auto& release : releases) TM_RETURN_IF_ERROR(importers::StoreAttackRelease(txn, release));
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
    return Status::Ok();
  };
}

const bool kRegistered = RegisterCommand({"import attack", "load ATT&CK STIX 2.1 bundles", Setup});

}  // namespace
}  // namespace tidemark::cli
