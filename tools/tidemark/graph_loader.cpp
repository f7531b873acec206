#include "tools/tidemark/graph_loader.h"

namespace tidemark::cli {

Result<std::unique_ptr<graph::DefenseGraph>> LoadGraph(Context& ctx, IncidentLoad incidents) {
  auto store = ctx.OpenStore(false);
  if (!store.ok()) return store.status();
  store::ReadTxn txn = (*store)->Read();
  auto built = std::make_unique<graph::DefenseGraph>(graph::DefenseGraph::Build(txn));
  if (incidents == IncidentLoad::kAll) built->LoadIncidents(txn);
  return built;
}

}  // namespace tidemark::cli
