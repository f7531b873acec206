// tidemark incident ID : the "Exposures and mitigations" view of one incident.
#include "engine/core/spelling.h"
#include "engine/report/scope_view.h"
#include "engine/store/incident_catalog.h"
#include "tools/tidemark/command.h"
#include "tools/tidemark/vulnerability_loader.h"

namespace tidemark::cli {
namespace {

RunFn SetupIncident(CLI::App& app) {
  auto id = std::make_shared<std::string>();
  app.add_option("ID", *id, "incident id (INC-1042, defender:3127, ...)")->required();
  return [id](Context& ctx) -> Status {
    auto store = ctx.OpenStore(false);
    if (!store.ok()) return store.status();
    // One snapshot for both the incident and the graph; only this incident is loaded.
    store::ReadTxn txn = (*store)->Read();
    auto incident = store::IncidentCatalog::Find(txn, *id);
    if (!incident) {
      std::vector<std::string> ids;  // only read on this error path
      store::IncidentCatalog::ForEachFacts(txn, [&](model::Incident&& inc) { ids.push_back(inc.id); });
      std::string message = "no incident " + *id + " in the store";
      if (auto closest = ClosestSpelling(*id, ids)) message += "; did you mean " + *closest + "?";
      return Status::NotFound(message + " (see `tidemark incidents`)");
    }
    graph::DefenseGraph graph = graph::DefenseGraph::Build(txn, /*with_threats=*/false, /*with_posture=*/false);
    size_t index = graph.AddIncident(std::move(*incident));
    // Evidence (SPEC §3) is the whole organisation's: the evidence index's lists of its
    // techniques (views into txn, which outlives the evaluation), not the other incidents.
    std::span<const graph::Vertex> own = graph.incidents()[index].techniques;
    graph.LoadEvidence(txn, own, /*borrow=*/true);
    // Every posture record, but only of the controls in C(t) of its techniques (the scorer's
    // rule, parent fallback included): baselines read the posture at each incident's creation.
    scoring::Scorer scorer(graph);
    for (graph::Vertex technique : own) {
      for (const auto& reach : scorer.ControlsOf(technique)) graph.LoadPostureOf(txn, reach.control);
    }
    auto scope = scoring::ResolveScope(graph, *id);
    if (!scope.ok()) return scope.status();
    scoring::Evaluation ev = scorer.Evaluate(*scope, ctx.AsOf());
    TM_RETURN_IF_ERROR(AddVulnerabilities(ctx, graph, ev));
    if (ctx.options.json) {
      report::WriteScopeJson(graph, ev, [&](std::string_view piece) { ctx.Print(piece); });
    } else {
      ctx.Print(report::ScopeText(graph, ev));
    }
    return Status::Ok();
  };
}

const bool kIncidentCommand = RegisterCommand({"incident", "exposures and mitigations of one incident", SetupIncident});

}  // namespace
}  // namespace tidemark::cli
