// tidemark changes --from DATE [--to DATE]: what changed between two dates (scores, controls,
// technique statuses, recommendations, incidents). --to defaults to --as-of, else now.
#include "engine/report/changes.h"
#include "tools/tidemark/graph_loader.h"
#include "tools/tidemark/vulnerability_loader.h"

namespace tidemark::cli {
namespace {

RunFn SetupChanges(CLI::App& app) {
  auto from = std::make_shared<std::string>();
  auto to = std::make_shared<std::string>();
  app.add_option("--from", *from, "the earlier date (YYYY-MM-DD: its end; or a time)")->required();
  app.add_option("--to", *to, "the later date (default: --as-of, else now)");
  return [from, to](Context& ctx) -> Status {
    // Both dates are evaluation times: a date alone means the end of that day, like --as-of.
    auto from_ms = ParseIsoTime(*from, DateOnly::kEndOfDay);
    if (!from_ms) return Status::Usage("--from: \"" + *from + "\" is not a date (YYYY-MM-DD)");
    std::optional<TimeMs> to_ms = ctx.AsOf();
    if (!to->empty() && !(to_ms = ParseIsoTime(*to, DateOnly::kEndOfDay)))
      return Status::Usage("--to: \"" + *to + "\" is not a date (YYYY-MM-DD)");
    if (*from_ms > *to_ms) {
      return Status::Usage("--from (" + FormatIsoTime(*from_ms) + ") is after --to (" + FormatIsoTime(*to_ms) + ")");
    }
    auto graph = LoadGraph(ctx, IncidentLoad::kAll, /*with_threats=*/true, PostureLoad::kAll);
    if (!graph.ok()) return graph.status();
    auto store = ctx.OpenStore(false);
    if (!store.ok()) return store.status();
    scoring::VulnerabilityExposure vx_from = scoring::VulnerabilityExposure::Load((*store)->Read(), *from_ms);
    scoring::VulnerabilityExposure vx_to = scoring::VulnerabilityExposure::Load((*store)->Read(), *to_ms);
    report::Changes changes = report::CompareDates(**graph, *from_ms, *to_ms, {&vx_from, &vx_to});
    ctx.Print(ctx.options.json ? PrettyJson(report::ChangesJson(**graph, changes)) : report::ChangesText(**graph, changes));
    ReleaseAtExit(std::move(*graph));
    return Status::Ok();
  };
}

const bool kChangesCommand = RegisterCommand(
    {"changes", "what changed between two dates: scores, controls, technique statuses, recommendations, incidents", SetupChanges});

}  // namespace
}  // namespace tidemark::cli
