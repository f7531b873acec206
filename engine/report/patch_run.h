// The patch half of a batch run (`tidemark run`, SPEC v2 §4 "Feed", docs/feed-and-tickets.md):
// keeps in step the patches (SPEC v2 §3 "Vulnerability exposure") of `all` and of every threat
// with counted incidents, one (scope, software) item each, keyed by FeedCatalog::PatchKey, and
// appends only the changes inside the run's write transaction:
//  - patch.opened: a patch with impact > 0 never published, or published and resolved;
//  - patch.updated: what it carries changed (impact to 4 decimals, CVEs, asset count,
//    techniques, remediation type, KEV facts);
//  - patch.resolved with a reason, for an item published open that is no longer kept:
//      scope-gone  its scope is no longer kept in step;
//      patched     no finding of the software is open at τ;
//      no-impact   findings are open but fixing them would no longer lower the scope's VE.
// A resolved event repeats the item as last published. Running twice on the same data appends
// nothing. Borrows the transaction and the run's seq counter; not thread-safe (one writer).
#pragma once

#include <array>
#include <functional>
#include <string>
#include <string_view>
#include <unordered_set>

#include "engine/core/json.h"
#include "engine/core/time_util.h"
#include "engine/report/feed.h"
#include "engine/scoring/scorer.h"
#include "engine/scoring/vulnerability_exposure.h"
#include "engine/store/store.h"

namespace tidemark::report {

struct PatchRunCounts {
  size_t opened = 0, updated = 0, resolved = 0;
  std::array<size_t, 3> resolved_by_reason = {};  // indexed by PatchResolveReason
};

class PatchRun {
 public:
  // Reads findings, CVE knowledge and the inventory at `tau` from `txn`. Events are numbered
  // from `seq` on (the run's counter, advanced here) and stamped `event_time`.
  PatchRun(store::WriteTxn& txn, TimeMs tau, TimeMs event_time, uint64_t& seq);

  // Compares the patches of an evaluated threat or `all` scope (its technique rows with their
  // weights) with what the feed last published, appending patch.opened / patch.updated.
  void KeepInStep(const FeedScope& scope, const scoring::Evaluation& ev, const graph::DefenseGraph& graph);
  // Resolves every patch item published open that KeepInStep did not see this run;
  // `alive(kind, id)` says whether a scope is still kept in step.
  void ResolveStale(const std::function<bool(std::string_view kind, std::string_view id)>& alive);

  const PatchRunCounts& counts() const { return counts_; }

 private:
  void Emit(std::string_view event, const PatchItem& patch, bool open);

  store::WriteTxn& txn_;
  TimeMs event_time_;
  uint64_t& seq_;
  scoring::VulnerabilityExposure vx_;
  std::unordered_set<std::string> current_;  // patch keys kept in step by this run
  PatchRunCounts counts_;
};

// "patches": {"opened", "updated", "resolved", "resolved_by_reason": {"scope-gone": N, ...}},
// written into the object `w` is in (run --json).
void WritePatchRunCounts(JsonWriter& w, const PatchRunCounts& counts);

}  // namespace tidemark::report
