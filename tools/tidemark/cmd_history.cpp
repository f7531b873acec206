// tidemark history --scope ID [--from --to] [--format json|csv|svg] : resilience (and vulnerability
// exposure) over time.
#include "engine/report/scope_view.h"
#include "engine/scoring/exposure_history.h"
#include "tools/tidemark/graph_loader.h"

namespace tidemark::cli {
namespace {

RunFn SetupHistory(CLI::App& app) {
  auto scope_id = std::make_shared<std::string>();
  auto from = std::make_shared<std::string>();
  auto to = std::make_shared<std::string>();
  auto format = std::make_shared<std::string>();
  app.add_option("--scope", *scope_id, "incident, threat or all")->required();
  app.add_option("--from", *from, "first date (YYYY-MM-DD)");
  app.add_option("--to", *to, "last date (YYYY-MM-DD)");
  app.add_option("--format", *format, "json, csv or svg (default: a table, or json with --json)")
      ->check(CLI::IsMember({"json", "csv", "svg"}));
  return [=](Context& ctx) -> Status {
    std::optional<TimeMs> from_ms, to_ms;
    if (!from->empty() && !(from_ms = ParseIsoTime(*from, DateOnly::kStartOfDay)))
      return Status::Usage("--from: \"" + *from + "\" is not a date (YYYY-MM-DD)");
    if (!to->empty() && !(to_ms = ParseIsoTime(*to, DateOnly::kEndOfDay)))
      return Status::Usage("--to: \"" + *to + "\" is not a date (YYYY-MM-DD)");
    if (!to_ms && ctx.HasAsOf()) to_ms = ctx.AsOf();
    auto graph = LoadGraph(ctx, IncidentLoad::kAll, /*with_threats=*/true, PostureLoad::kAll);
    if (!graph.ok()) return graph.status();
    auto scope = scoring::ResolveScope(**graph, *scope_id);
    if (!scope.ok()) return scope.status();
    scoring::Scorer scorer(**graph);
    auto store = ctx.OpenStore(false);
    if (!store.ok()) return store.status();
    scoring::ExposureHistory history =
        scoring::HistoryWithExposure(scorer, **graph, *scope, (*store)->Read(), from_ms, to_ms);
    const auto& points = history.points;
    const auto* scores = scope->kind == scoring::ScopeKind::kAll ? &history.posture_scores : nullptr;
    std::string chosen = !format->empty() ? *format : ctx.options.json ? "json" : "";
    if (chosen == "json") {
      ctx.Print(PrettyJson(report::HistoryJson(*scope, points, scores, &history.exposure)));
    } else if (chosen == "csv") {
      ctx.Print(report::HistoryCsv(points, scores, &history.exposure));
    } else if (chosen == "svg") {
      ctx.Print(report::HistorySvg(*scope, points));
    } else {
      ctx.Print(report::HistoryText(*scope, points, &history.exposure));
    }
    return Status::Ok();
  };
}

const bool kHistoryCommand = RegisterCommand({"history", "resilience of a scope over time", SetupHistory});

}  // namespace
}  // namespace tidemark::cli
