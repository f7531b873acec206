// tidemark recommendations [--scope ID] [filters] [--group-by F] : controls ranked by impact.
#include <algorithm>

#include "engine/model/control.h"
#include "engine/report/scope_view.h"
#include "tools/tidemark/graph_loader.h"

namespace tidemark::cli {
namespace {

RunFn SetupRecommendations(CLI::App& app) {
  auto scope_id = std::make_shared<std::string>("all");
  auto filter = std::make_shared<report::RecommendationFilter>();
  auto group_by = std::make_shared<std::string>();
  app.add_option("--scope", *scope_id, "incident, threat or all (default)");
  app.add_option("--product", filter->product, "only controls of this product (case-insensitive)");
  app.add_option("--category", filter->category, "only controls of this category");
  app.add_option("--license", filter->license, "only controls needing this license");
  app.add_option("--status", filter->status, "only controls in this state at --as-of (to-address, planned, ...)");
  app.add_option("--remediation-type", filter->remediation_type, "configuration, software, firmware or process");
  app.add_option("--owner", filter->owner, "only controls of this owner (case-insensitive)");
  app.add_option("--sort", filter->sort, "impact (default) or points (points_gain)")->check(CLI::IsMember({"impact", "points"}));
  app.add_option("--group-by", *group_by, "product, category, status or license")
      ->check(CLI::IsMember({"product", "category", "status", "license"}));
  return [scope_id, filter, group_by](Context& ctx) -> Status {
    if (!filter->status.empty() && !model::ParseControlStatus(filter->status)) {
      return Status::Usage("--status: \"" + filter->status +
                           "\" is not a status (to-address, planned, risk-accepted, third-party, alternate-mitigation, completed)");
    }
    static const std::vector<std::string> kTypes = {"configuration", "software", "firmware", "process"};
    if (!filter->remediation_type.empty() &&
        std::find(kTypes.begin(), kTypes.end(), filter->remediation_type) == kTypes.end()) {
      return Status::Usage("--remediation-type: \"" + filter->remediation_type +
                           "\" is not a remediation type (configuration, software, firmware, process)");
    }
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

const bool kRecommendationsCommand = RegisterCommand({"recommendations", "controls to fix first, ranked by impact", SetupRecommendations});

}  // namespace
}  // namespace tidemark::cli
