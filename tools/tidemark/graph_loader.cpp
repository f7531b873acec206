#include "tools/tidemark/graph_loader.h"

#include "engine/core/page_buffer.h"

namespace tidemark::cli {

Result<std::unique_ptr<graph::DefenseGraph>> LoadGraph(Context& ctx, IncidentLoad incidents, bool with_threats,
                                                       PostureLoad posture) {
  // Bulk loads allocate ~700 bytes per incident in small pieces: huge pages cut their faults.
  if (incidents == IncidentLoad::kAll) PreferHugePagesForHeap(size_t{256} << 20);
  auto store = ctx.OpenStore(false);
  if (!store.ok()) return store.status();
  store::ReadTxn txn = (*store)->Read();
  auto built = std::make_unique<graph::DefenseGraph>(
      graph::DefenseGraph::Build(txn, with_threats, /*with_posture=*/posture == PostureLoad::kAll));
  if (posture == PostureLoad::kAtAsOf) {
    for (graph::Vertex control : built->control_vertices()) built->LoadPostureAt(txn, control, ctx.AsOf());
  }
  if (incidents == IncidentLoad::kAll) {
    // The graph keeps the snapshot, so the evidence lists are views, not copies.
    built->KeepSnapshot(std::move(txn));
    built->LoadIncidents(built->snapshot());
  }
  return built;
}

void ReleaseAtExit(std::unique_ptr<graph::DefenseGraph> graph) {
#if defined(__SANITIZE_ADDRESS__)
  graph.reset();
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
  graph.reset();
#else
  (void)graph.release();
#endif
#else
  (void)graph.release();
#endif
}

}  // namespace tidemark::cli
