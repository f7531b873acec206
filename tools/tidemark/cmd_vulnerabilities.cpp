// tidemark vulnerabilities [--scope ID] [--remediation-type software|firmware] [--kev] :
// the patches that lower a scope's vulnerability exposure most, ranked (SPEC v2 §3, §4).
#include "engine/report/vulnerability_view.h"
#include "tools/tidemark/graph_loader.h"
#include "tools/tidemark/vulnerability_loader.h"

namespace tidemark::cli {
namespace {

RunFn SetupVulnerabilities(CLI::App& app) {
  auto scope_id = std::make_shared<std::string>("all");
  auto filter = std::make_shared<report::PatchFilter>();
  app.add_option("--scope", *scope_id, "incident, threat or all (default)");
  app.add_option("--remediation-type", filter->remediation_type, "software or firmware")
      ->check(CLI::IsMember({"software", "firmware"}));
  app.add_flag("--kev", filter->kev_only, "only patches of CVEs in the CISA KEV catalog");
  return [scope_id, filter](Context& ctx) -> Status {
    auto graph = LoadGraph(ctx, IncidentLoad::kAll, /*with_threats=*/*scope_id != "all");
    if (!graph.ok()) return graph.status();
    auto scope = scoring::ResolveScope(**graph, *scope_id);
    if (!scope.ok()) return scope.status();
    scoring::Scorer scorer(**graph);
    scoring::Evaluation ev = scorer.Evaluate(*scope, ctx.AsOf());
    auto vx = LoadVulnerabilities(ctx);
    if (!vx.ok()) return vx.status();
    TM_RETURN_IF_ERROR(FillVulnerabilities(ctx, **graph, *vx, ev));
    ctx.Print(ctx.options.json ? report::VulnerabilitiesJson(ev, *vx, *filter)
                               : report::VulnerabilitiesText(ev, *vx, *filter));
    ReleaseAtExit(std::move(*graph));
    return Status::Ok();
  };
}

const bool kVulnerabilitiesCommand =
    RegisterCommand({"vulnerabilities", "patches that lower vulnerability exposure most, ranked", SetupVulnerabilities});

}  // namespace
}  // namespace tidemark::cli
