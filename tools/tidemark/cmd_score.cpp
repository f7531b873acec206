// tidemark score [--by category|product|license] [--history [--from] [--to]] [--format]:
// Secure Score points achieved, achievable and the percentage at --as-of, or over time.
#include "engine/report/score_view.h"
#include "engine/scoring/posture_score.h"
#include "tools/tidemark/graph_loader.h"

namespace tidemark::cli {
namespace {

struct ScoreArgs {
  std::string by = "category";
  bool history = false;
  std::string from, to, format;
};

RunFn SetupScore(CLI::App& app) {
  auto args = std::make_shared<ScoreArgs>();
  app.add_option("--by", args->by, "group by category (default), product or license")
      ->check(CLI::IsMember({"category", "product", "license"}, CLI::ignore_case));
  app.add_flag("--history", args->history, "the score on each day a posture snapshot falls");
  app.add_option("--from", args->from, "with --history: first date (YYYY-MM-DD)");
  app.add_option("--to", args->to, "with --history: last date (YYYY-MM-DD; default --as-of)");
  app.add_option("--format", args->format, "with --history: json, csv or svg (default: a table, or json with --json)")
      ->check(CLI::IsMember({"json", "csv", "svg"}));
  return [args](Context& ctx) -> Status {
    if (!args->history && (!args->from.empty() || !args->to.empty() || !args->format.empty())) {
      return Status::Usage("--from, --to and --format go with --history");
    }
    std::optional<TimeMs> from_ms, to_ms;
    if (!args->from.empty() && !(from_ms = ParseIsoTime(args->from, DateOnly::kStartOfDay)))
      return Status::Usage("--from: \"" + args->from + "\" is not a date (YYYY-MM-DD)");
    if (!args->to.empty() && !(to_ms = ParseIsoTime(args->to, DateOnly::kEndOfDay)))
      return Status::Usage("--to: \"" + args->to + "\" is not a date (YYYY-MM-DD)");
    if (!to_ms && ctx.HasAsOf()) to_ms = ctx.AsOf();
    auto graph = LoadGraph(ctx, IncidentLoad::kNone, /*with_threats=*/false,
                           args->history ? PostureLoad::kAll : PostureLoad::kAtAsOf);
    if (!graph.ok()) return graph.status();
    scoring::PostureScorer scorer(**graph);
    if (args->history) {
      auto points = scorer.History(from_ms, to_ms);
      std::string chosen = !args->format.empty() ? args->format : ctx.options.json ? "json" : "";
      if (chosen == "json") {
        ctx.Print(PrettyJson(report::ScoreHistoryJson(points)));
      } else if (chosen == "csv") {
        ctx.Print(report::ScoreHistoryCsv(points));
      } else if (chosen == "svg") {
        ctx.Print(report::ScoreHistorySvg(points));
      } else {
        ctx.Print(report::ScoreHistoryText(points));
      }
      return Status::Ok();
    }
    auto score = scorer.Evaluate(ctx.AsOf(), *scoring::ParsePointsGroupBy(args->by));
    ctx.Print(ctx.options.json ? PrettyJson(report::ScoreJson(score)) : report::ScoreText(score));
    return Status::Ok();
  };
}

const bool kScoreCommand = RegisterCommand(
    {"score", "posture score (Secure Score points): achieved, achievable and the percentage, by group or over time", SetupScore});

}  // namespace
}  // namespace tidemark::cli
