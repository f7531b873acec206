// The batch job after incident closure (`tidemark run`, SPEC §4 "Feed", docs/feed-and-tickets.md).
// Evaluates every counted incident, every threat with counted incidents and `all` at τ, keeps
// in step the recommendations of each (an incident's top K by impact; every one of a threat's
// and of `all`), compares each (scope, control) item with what the feed last published, and
// appends only the changes, in one write transaction:
//  - recommendation.opened: an item kept in step that was never published or was resolved;
//  - recommendation.updated: its impact (to 4 decimals) or techniques changed;
//  - recommendation.resolved with a reason, for an item published open that is no longer kept:
//      reclassified       its incident scope is gone because the incident is now a false or
//                         benign positive;
//      scope-gone         any other scope no longer kept in step (a threat without counted
//                         incidents, `all` when no incident counts, an incident that no longer
//                         counts for another reason);
//      risk-accepted      the scope was evaluated and the control's status at τ is risk-accepted;
//      implemented        ... its implementation at τ is 1;
//      outranked          ... an incident scope still recommends it, below its top K;
//      covered-by-others  ... anything else: its impact there is 0 although it is not
//                         implemented (other controls cover what it would raise; or it no
//                         longer reaches the scope's techniques, or left the catalog);
//  - scope.resilience_dropped: an evaluated scope's resilience is at least 2 points below the
//    one the previous run that evaluated it stored;
//  - patch.opened / updated / resolved for the patches of threats and `all` (PatchRun).
// Scopes skipped by `since` keep their items and stored resilience. Running twice on the same
// data appends nothing. Not thread-safe (one writer); incident scopes are scored on a second
// thread with a read transaction of the run's snapshot, their events appended in order by the
// writing thread, so the events and stored bytes are those of one thread.
#pragma once

#include <array>
#include <optional>
#include <string>

#include "engine/core/status.h"
#include "engine/core/time_util.h"
#include "engine/report/feed.h"
#include "engine/report/patch_run.h"
#include "engine/store/store.h"

namespace tidemark::report {

inline constexpr size_t kDefaultTop = 10;

struct RunOptions {
  TimeMs tau = 0;
  // Only incidents whose time (closed, else created) is >= since are re-evaluated; threats and
  // `all` always are.
  std::optional<TimeMs> since;
  TimeMs event_time = 0;  // the events' "time"
  size_t top = kDefaultTop;  // recommendations an incident scope keeps in step; 0 keeps all
};

struct RunSummary {
  size_t incidents = 0;  // incident scopes evaluated
  size_t threats = 0;    // threat scopes evaluated
  size_t opened = 0, updated = 0, resolved = 0, resilience_dropped = 0;
  std::array<size_t, 6> resolved_by_reason = {};  // indexed by ResolveReason
  PatchRunCounts patches;  // patch.* events (patch_run.h)
  uint64_t last_seq = 0;
};

Result<RunSummary> RunBatch(store::Store& store, const RunOptions& options);

// `run --json`: {"as_of", "top", "incidents", "threats", "events": {"opened", "updated",
// "resolved", "resilience_dropped"}, "resolved_by_reason": {"implemented": N, ...},
// "patches": {"opened", "updated", "resolved", "resolved_by_reason"}, "last_seq"} (compact).
std::string RunSummaryJson(const RunSummary& summary, const RunOptions& options);

}  // namespace tidemark::report
