// tidemark threat ID|NAME|all : exposures and mitigations of a threat (ATT&CK group, campaign,
// software by ID, name or alias; a custom threat by name; or all incidents).
// tidemark threats [--sort exposure|ve] : every threat with incidents or an ATT&CK profile, ranked
// by exposure (or by vulnerability exposure), with VE beside R.
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
    if (scope->kind == scoring::ScopeKind::kIncident) {
      return Status::NotFound(*id + " is an incident, not a threat: `tidemark incident " + *id + "` shows it");
    }
    scoring::Scorer scorer(**graph);
    scoring::Evaluation ev = scorer.Evaluate(*scope, ctx.AsOf());
    TM_RETURN_IF_ERROR(AddVulnerabilities(ctx, **graph, ev));
    if (ctx.options.json) {
      report::WriteScopeJson(**graph, ev, [&](std::string_view piece) { ctx.Print(piece); });
    } else {
      ctx.Print(report::ScopeText(**graph, ev));
    }
    ReleaseAtExit(std::move(*graph));
    return Status::Ok();
  };
}

// The default view lists every threat seen in incidents and this many of the others.
constexpr size_t kUnobservedShown = 20;

RunFn SetupThreats(CLI::App& app) {
  struct Options {
    bool observed_only = false, all = false;
    size_t limit = 0;
    std::string domain;
    std::string sort = "exposure";
    std::vector<std::string> kinds;
  };
  auto o = std::make_shared<Options>();
  app.add_flag("--observed-only", o->observed_only, "only threats with counted incidents");
  app.add_flag("--all", o->all,
               "every threat with an ATT&CK profile (default: those seen in incidents, then the 20 most exposed others)");
  app.add_option("--domain", o->domain, "ATT&CK threats whose techniques are in this domain (custom threats stay)")
      ->check(CLI::IsMember({"enterprise", "mobile", "ics"}));
  app.add_option("--kind", o->kinds, "group, campaign, software or custom (repeat or comma-separate)")
      ->delimiter(',')
      ->check(CLI::IsMember({"group", "campaign", "software", "custom"}));
  app.add_option("--sort", o->sort, "exposure (100 - R, the default) or ve (vulnerability exposure)")
      ->check(CLI::IsMember({"exposure", "ve"}));
  app.add_option("--limit", o->limit, "show the first N")->check(CLI::Validator(
      [](std::string& value) { return !value.empty() && value[0] == '-' ? "must be 0 or more, not " + value : std::string(); },
      "N >= 0"));
  return [o](Context& ctx) -> Status {
    auto graph = LoadGraph(ctx, IncidentLoad::kAll, /*with_threats=*/true, PostureLoad::kAll);
    if (!graph.ok()) return graph.status();
    scoring::Scorer scorer(**graph);
    auto vx = LoadVulnerabilities(ctx);
    if (!vx.ok()) return vx.status();
    std::vector<report::ThreatRank> ranks;
    for (auto& scope : scoring::AllThreatScopes(**graph)) {
      std::string_view kind = scoring::ScopeKindName(scope.kind);
      if (!o->kinds.empty() && std::find(o->kinds.begin(), o->kinds.end(), kind) == o->kinds.end()) continue;
      if (!o->domain.empty() && scope.kind != scoring::ScopeKind::kCustom &&
          !scoring::ThreatInDomain(**graph, scope, o->domain))
        continue;
      report::ThreatRank rank;
      rank.incidents = report::CountedIncidents(**graph, scope, ctx.AsOf());
      if (o->observed_only && rank.incidents == 0) continue;
      if (scope.base_techniques.empty() && rank.incidents == 0) continue;
      rank.resilience = scorer.Resilience(scope, ctx.AsOf(), &rank.techniques);
      // VE needs the scope's weights (an evaluation); without open findings it is 0 wherever
      // the scope has a technique, and the evaluation is skipped.
      if (rank.resilience && vx->open_findings() == 0) {
        rank.vulnerability_exposure = 0;
      } else if (rank.resilience) {
        auto ev = scorer.Evaluate(scope, ctx.AsOf(), scoring::EvaluateOptions{.details = false});
        rank.vulnerability_exposure = vx->Exposure(scoring::VulnerabilityExposure::ScopeTechniques(ev, **graph));
      }
      rank.scope = std::move(scope);
      ranks.push_back(std::move(rank));
    }
    report::RankThreats(ranks, o->sort == "ve");
    size_t shown = ranks.size();
    if (!o->all) {
      size_t observed = static_cast<size_t>(
          std::count_if(ranks.begin(), ranks.end(), [](const report::ThreatRank& r) { return r.incidents > 0; }));
      shown = std::min(shown, observed + kUnobservedShown);
    }
    if (o->limit > 0) shown = std::min(shown, o->limit);
    size_t more = ranks.size() - shown;
    ranks.resize(shown);
    ctx.Print(ctx.options.json ? PrettyJson(report::ThreatsJson(ranks, ctx.AsOf(), more))
                               : report::ThreatsText(ranks, ctx.AsOf(), more, o->sort == "ve"));
    return Status::Ok();
  };
}

const bool kThreat = RegisterCommand({"threat", "exposures and mitigations of a threat, or of all incidents", SetupThreat});
const bool kThreats = RegisterCommand({"threats", "threats ranked by exposure", SetupThreats});

}  // namespace
}  // namespace tidemark::cli
