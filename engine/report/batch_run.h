// The batch job after incident closure (`tidemark run`): evaluate every counted incident,
// every threat with counted incidents and `all` at τ, compare each (scope, control)
// recommendation with what the feed last published, and append only the changes as
// recommendation.opened / .updated / .resolved events, all in one write transaction.
// Running it twice on the same data appends nothing. Not thread-safe (one writer).
#pragma once

#include <optional>

#include "engine/core/status.h"
#include "engine/core/time_util.h"
#include "engine/store/store.h"

namespace tidemark::report {

struct RunSummary {
  size_t incidents = 0;  // incident scopes evaluated
  size_t threats = 0;    // threat scopes evaluated
  size_t opened = 0, updated = 0, resolved = 0;
  uint64_t last_seq = 0;
};

// `since`: only incidents whose time (closed, else created) is >= since are re-evaluated;
// threats and `all` always are. Events carry `event_time`.
Result<RunSummary> RunBatch(store::Store& store, TimeMs tau, std::optional<TimeMs> since, TimeMs event_time);

}  // namespace tidemark::report
