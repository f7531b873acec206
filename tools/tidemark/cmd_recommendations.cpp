// tidemark recommendations [--scope ID] [filters] [--group-by F] : controls ranked by impact.
#include "engine/report/scope_view.h"
#include "tools/tidemark/graph_loader.h"

namespace tidemark::cli {
namespace {

RunFn Setup(CLI::App& app) {
  auto scope_id = std::make_shared<std::string>("all");
  auto filter = std::make_shared<report::RecommendationFilter>();
  auto group_by = std::make_shared<std::string>();
  app.add_option("--scope", *scope_id, "incident, threat or all (default)");
  app.add_option("--product", filter->product);
  app.add_option("--category", filter->category);
  app.add_option("--license", filter->license);
  app.add_option("--status", filter->status);
  app.add_option("--remediation-type", filter->remediation_type);
  app.add_option("--group-by", *group_by, "product, category, status or license")
      ->check(CLI::IsMember({"product", "category", "status", "license"}));
  return [scope_id, filter, group_by](Context& ctx) -> Status {
    auto graph = LoadGraph(ctx, IncidentLoad::kAll, /*with_threats=*/true, PostureLoad::kAll);
    if (!graph.ok()) return graph.status();
    auto scope = scoring::ResolveScope(**graph, *scope_id);
    if (!scope.ok()) return scope.status();
    scoring::Scorer scorer(**graph);
    scoring::Evaluation ev = scorer.Evaluate(*scope, ctx.AsOf());
    ctx.Print(ctx.options.json ? PrettyJson(report::RecommendationsJson(scorer, **graph, ev, *filter, *group_by))
                               : report::RecommendationsText(scorer, **graph, ev, *filter, *group_by));
    return Status::Ok();
  };
}

const bool kRegistered = RegisterCommand({"recommendations", "controls to fix first, ranked by impact", Setup});

}  // namespace
}  // namespace tidemark::cli
