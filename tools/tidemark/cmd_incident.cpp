// tidemark incident ID : the "Exposures and mitigations" view of one incident.
#include "engine/report/scope_view.h"
#include "engine/store/incident_catalog.h"
#include "tools/tidemark/command.h"

namespace tidemark::cli {
namespace {

RunFn Setup(CLI::App& app) {
  auto id = std::make_shared<std::string>();
  app.add_option("ID", *id, "incident id (INC-1042, defender:3127, ...)")->required();
  return [id](Context& ctx) -> Status {
    auto store = ctx.OpenStore(false);
    if (!store.ok()) return store.status();
    // One snapshot for both the incident and the graph; only this incident is loaded.
    store::ReadTxn txn = (*store)->Read();
    auto incident = store::IncidentCatalog::Find(txn, *id);
    if (!incident) return Status::NotFound("no incident " + *id + " in the store (see `tidemark incidents`)");
    graph::DefenseGraph graph = graph::DefenseGraph::Build(txn, /*with_threats=*/false, /*with_posture=*/false);
    size_t index = graph.AddIncident(std::move(*incident));
    // Posture at τ only, and only for the controls that reach its techniques or their parents.
    for (graph::Vertex technique : graph.incidents()[index].techniques) {
      std::vector<graph::Vertex> reached = {technique};
      if (auto parent = graph.Parent(technique)) reached.push_back(*parent);
      for (graph::Vertex t : reached) {
        for (const auto& reach : graph.ControlsOf(t)) graph.LoadPostureAt(txn, reach.control, ctx.AsOf());
      }
    }
    auto scope = scoring::ResolveScope(graph, *id);
    if (!scope.ok()) return scope.status();
    scoring::Scorer scorer(graph);
    scoring::Evaluation ev = scorer.Evaluate(*scope, ctx.AsOf());
    ctx.Print(ctx.options.json ? report::ScopeJson(graph, ev) : report::ScopeText(graph, ev));
    return Status::Ok();
  };
}

const bool kRegistered = RegisterCommand({"incident", "exposures and mitigations of one incident", Setup});

}  // namespace
}  // namespace tidemark::cli
