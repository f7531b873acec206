// tidemark run [--since DATE] : the batch job after incident closure. Prints a short summary.
#include <cstdio>

#include "engine/report/batch_run.h"
#include "tools/tidemark/command.h"

namespace tidemark::cli {
namespace {

RunFn Setup(CLI::App& app) {
  auto since = std::make_shared<std::string>();
  app.add_option("--since", *since, "only re-map incidents closed (else created) on or after DATE");
  return [since](Context& ctx) -> Status {
    std::optional<TimeMs> since_ms;
    if (!since->empty() && !(since_ms = ParseIsoTime(*since, DateOnly::kStartOfDay))) {
      return Status::Usage("--since: \"" + *since + "\" is not a date (YYYY-MM-DD)");
    }
    auto store = ctx.OpenStore(false);
    if (!store.ok()) return store.status();
    // Events are stamped with --as-of when given (reproducible runs), else the clock.
    auto summary = report::RunBatch(**store, ctx.AsOf(), since_ms, ctx.AsOf());
    if (!summary.ok()) return summary.status();
    char line[256];
    std::snprintf(line, sizeof line,
                  "incidents mapped %zu, threats %zu, events: opened %zu, updated %zu, resolved %zu (feed at seq %llu)\n",
                  summary->incidents, summary->threats, summary->opened, summary->updated, summary->resolved,
                  static_cast<unsigned long long>(summary->last_seq));
    ctx.Print(line);
    return Status::Ok();
  };
}

const bool kRegistered = RegisterCommand({"run", "batch after incident closure: map, score, append feed events", Setup});

}  // namespace
}  // namespace tidemark::cli
