// tidemark report --scope ID --out FILE.html : the self-contained HTML report of a scope.
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>

#include "engine/report/html_report.h"
#include "engine/report/scope_view.h"
#include "engine/store/incident_catalog.h"
#include "tools/tidemark/graph_loader.h"
#include "tools/tidemark/vulnerability_loader.h"

namespace tidemark::cli {
namespace {

constexpr size_t kListedIncidents = 200;
constexpr size_t kChartedThreats = 5;  // lines beside `all`: more would not be told apart

RunFn SetupReport(CLI::App& app) {
  auto scope_id = std::make_shared<std::string>();
  auto out = std::make_shared<std::string>();
  app.add_option("--scope", *scope_id, "incident, threat or all")->required();
  app.add_option("--out", *out, "the HTML file to write (- for stdout)")->required();
  return [=](Context& ctx) -> Status {
    // Checked before the work: a directory, or a file whose folder is missing, is named.
    std::error_code ec;
    if (*out != "-" && std::filesystem::is_directory(*out, ec)) {
      return Status::BadInput("--out " + *out + ": is a directory; give a file name such as " +
                              (std::filesystem::path(*out) / "report.html").string());
    }
    auto graph = LoadGraph(ctx, IncidentLoad::kAll, /*with_threats=*/true, PostureLoad::kAll);
    if (!graph.ok()) return graph.status();
    auto scope = scoring::ResolveScope(**graph, *scope_id);
    if (!scope.ok()) return scope.status();
    scoring::Scorer scorer(**graph);
    scoring::Evaluation ev = scorer.Evaluate(*scope, ctx.AsOf());
    auto vx = LoadVulnerabilities(ctx);
    if (!vx.ok()) return vx.status();
    TM_RETURN_IF_ERROR(FillVulnerabilities(ctx, **graph, *vx, ev));
    // The chart: the scope's resilience, and for `all` the most exposed threats seen in
    // incidents beside it (ranked like `tidemark threats`).
    std::vector<report::ReportSeries> series;
    series.push_back({scope->kind == scoring::ScopeKind::kAll ? "All incidents" : scope->name.empty() ? scope->id : scope->name,
                      scorer.History(*scope, std::nullopt, ctx.AsOf())});
    if (scope->kind == scoring::ScopeKind::kAll) {
      std::vector<report::ThreatRank> ranks = report::ObservedThreats(**graph, scorer, ctx.AsOf());
      for (size_t idx = 0; idx < ranks.size() && idx < kChartedThreats; ++idx) {
        const auto& threat = ranks[idx].scope;
        std::string name = threat.name.empty() || threat.name == threat.id ? threat.id : threat.name + " (" + threat.id + ")";
        series.push_back({name, scorer.History(threat, std::nullopt, ctx.AsOf())});
      }
    }
    // The listed incidents with their full records (titles, assets): the newest first.
    std::vector<model::Incident> incidents;
    size_t total = 0;
    {
      auto store = ctx.OpenStore(false);
      store::ReadTxn txn = (*store)->Read();
      std::vector<std::pair<TimeMs, std::string>> counted;
      for (size_t idx : scope->incidents) {
        const auto& inc = (*graph)->incidents()[idx];
        if (inc.CountsAt(ctx.AsOf())) counted.emplace_back(*inc.Time(), inc.id);
      }
      total = counted.size();
      std::sort(counted.rbegin(), counted.rend());
      for (size_t idx = 0; idx < counted.size() && idx < kListedIncidents; ++idx) {
        if (auto record = store::IncidentCatalog::Find(txn, counted[idx].second)) incidents.push_back(std::move(*record));
      }
    }
    std::string html = report::HtmlReport(**graph, ev, series, incidents, total, *vx);
    if (*out == "-") {
      ctx.Print(html);
      return Status::Ok();
    }
    std::ofstream file(*out, std::ios::binary | std::ios::trunc);
    if (!file) {
      return Status::BadInput("--out " + *out + ": cannot create the file (" + std::strerror(errno) +
                              "); check that its folder exists and is writable");
    }
    file << html;
    file.close();
    if (!file) return Status::BadInput("--out " + *out + ": writing the report failed (disk full?)");
    return Status::Ok();
  };
}

const bool kReportCommand = RegisterCommand({"report", "a self-contained HTML report of a scope", SetupReport});

}  // namespace
}  // namespace tidemark::cli
