// tidemark navigator --scope ID [--color status|coverage|vulnerability-share] : an ATT&CK
// Navigator 4.5 layer.
#include "engine/report/navigator.h"
#include "engine/store/attack_catalog.h"
#include "tools/tidemark/graph_loader.h"
#include "tools/tidemark/vulnerability_loader.h"

namespace tidemark::cli {
namespace {

RunFn SetupNavigator(CLI::App& app) {
  auto scope_id = std::make_shared<std::string>();
  auto color = std::make_shared<std::string>("status");
  app.add_option("--scope", *scope_id, "incident, threat or all")->required();
  app.add_option("--color", *color,
                 "status (default), coverage (the gradient) or vulnerability-share (score = share of assets open to it)")
      ->check(CLI::IsMember({"status", "coverage", "vulnerability-share"}));
  return [=](Context& ctx) -> Status {
    auto graph = LoadGraph(ctx, IncidentLoad::kAll, /*with_threats=*/true, PostureLoad::kAll);
    if (!graph.ok()) return graph.status();
    auto scope = scoring::ResolveScope(**graph, *scope_id);
    if (!scope.ok()) return scope.status();
    scoring::Scorer scorer(**graph);
    scoring::Evaluation ev = scorer.Evaluate(*scope, ctx.AsOf());
    report::LayerColor layer_color = *color == "coverage"              ? report::LayerColor::kCoverage
                                     : *color == "vulnerability-share" ? report::LayerColor::kVulnerabilityShare
                                                                       : report::LayerColor::kStatus;
    if (layer_color == report::LayerColor::kVulnerabilityShare) TM_RETURN_IF_ERROR(AddVulnerabilities(ctx, **graph, ev));
    auto store = ctx.OpenStore(false);
    if (!store.ok()) return store.status();
    auto releases = store::AttackCatalog::Releases((*store)->Read());
    auto release = releases.find(report::LayerDomain(**graph, ev));
    std::string layer = report::NavigatorLayer(
        **graph, ev, release == releases.end() ? "" : release->second.version, layer_color);
    ctx.Print(layer);
    return Status::Ok();
  };
}

const bool kNavigatorCommand = RegisterCommand({"navigator", "ATT&CK Navigator layer (format 4.5) of a scope", SetupNavigator});

}  // namespace
}  // namespace tidemark::cli
