// tidemark threat ID|NAME|all : exposures and mitigations of a threat (ATT&CK group, campaign,
// software by ID, name or alias; a custom threat by name; or all incidents).
// tidemark threats : every threat with incidents or an ATT&CK profile, ranked by exposure.
#include <algorithm>

#include "engine/report/scope_view.h"
#include "tools/tidemark/graph_loader.h"
#include "tools/tidemark/vulnerability_loader.h"

namespace tidemark::cli {
namespace {

RunFn SetupThreat(CLI::App& app) {
  auto id = std::make_shared<std::string>();
  app.add_option("ID", *id, "G0016, APT29, \"Cozy Bear\", a custom threat name, or all")->required();
  return [id](Context& ctx) -> Status {
    // The `all` scope needs no ATT&CK threat profiles: skipping them saves a third of the build.
    auto graph = LoadGraph(ctx, IncidentLoad::kAll, /*with_threats=*/*id != "all", PostureLoad::kAll);
    if (!graph.ok()) return graph.status();
    auto scope = scoring::ResolveScope(**graph, *id);
    if (!scope.ok()) return scope.status();
    scoring::Scorer scorer(**graph);
    scoring::Evaluation ev = scorer.Evaluate(*scope, ctx.AsOf());
    TM_RETURN_IF_ERROR(AddVulnerabilities(ctx, **graph, ev));
    ctx.Print(ctx.options.json ? report::ScopeJson(**graph, ev) : report::ScopeText(**graph, ev));
    ReleaseAtExit(std::move(*graph));
    return Status::Ok();
  };
}

RunFn SetupThreats(CLI::App& app) {
  auto observed_only = std::make_shared<bool>(false);
  auto limit = std::make_shared<size_t>(0);
  app.add_flag("--observed-only", *observed_only, "only threats with counted incidents");
  app.add_option("--limit", *limit, "show the first N")->check(CLI::Validator(
      [](std::string& value) { return !value.empty() && value[0] == '-' ? "must be 0 or more, not " + value : std::string(); },
      "N >= 0"));
  return [observed_only, limit](Context& ctx) -> Status {
    auto graph = LoadGraph(ctx, IncidentLoad::kAll, /*with_threats=*/true, PostureLoad::kAll);
    if (!graph.ok()) return graph.status();
    scoring::Scorer scorer(**graph);
    std::vector<report::ThreatRank> ranks;
    for (auto& scope : scoring::AllThreatScopes(**graph)) {
      report::ThreatRank rank;
      for (size_t idx : scope.incidents) rank.incidents += (*graph)->incidents()[idx].CountsAt(ctx.AsOf());
      if (*observed_only && rank.incidents == 0) continue;
      if (scope.base_techniques.empty() && rank.incidents == 0) continue;
      rank.resilience = scorer.Resilience(scope, ctx.AsOf(), &rank.techniques);
      rank.scope = std::move(scope);
      ranks.push_back(std::move(rank));
    }
    std::sort(ranks.begin(), ranks.end(), [](const report::ThreatRank& a, const report::ThreatRank& b) {
      double ea = a.resilience ? 100 - *a.resilience : -1, eb = b.resilience ? 100 - *b.resilience : -1;
      if (std::abs(ea - eb) > 1e-9) return ea > eb;
      if (a.incidents != b.incidents) return a.incidents > b.incidents;
      return a.scope.id < b.scope.id;
    });
    if (*limit > 0 && ranks.size() > *limit) ranks.resize(*limit);
    ctx.Print(ctx.options.json ? PrettyJson(report::ThreatsJson(ranks, ctx.AsOf())) : report::ThreatsText(ranks, ctx.AsOf()));
    return Status::Ok();
  };
}

const bool kThreat = RegisterCommand({"threat", "exposures and mitigations of a threat, or of all incidents", SetupThreat});
const bool kThreats = RegisterCommand({"threats", "threats ranked by exposure", SetupThreats});

}  // namespace
}  // namespace tidemark::cli
