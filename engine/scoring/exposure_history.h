// SPEC v2 §3 "History" for vulnerability exposure: the history points of a scope (Scorer::History:
// posture snapshot and counted-incident dates) plus the dates on which a finding's first_seen or
// fixed falls, with R at those added dates and VE(θ, τ) at every point (each point evaluated at
// the end of its day, like Scorer::History's).
//
// Findings (the finding index), CVE knowledge and the inventory are read once from the store;
// the shares move forward from point to point by the findings that change in between
// (ExposureSweep), and the scope's weights at each point are the ones Scorer::History sweeps
// forward (the finding days are passed to it as extra days). Without findings VE is 0 wherever
// the scope has a known technique, and nothing more is evaluated. For the `all` scope, also the posture score S at each point (SPEC §3 "History").
// Not thread-safe (borrows `scorer`).
#pragma once

#include <optional>
#include <vector>

#include "engine/scoring/scorer.h"
#include "engine/store/store.h"

namespace tidemark::scoring {

struct ExposureHistory {
  std::vector<HistoryPoint> points;                    // oldest first
  std::vector<std::optional<double>> exposure;         // VE at each point; null without technique
  std::vector<std::optional<double>> posture_scores;   // S at each point, `all` scope only (else empty)
};

// `from`/`to` as for Scorer::History (either may be absent). `scorer` and `graph` as for
// Scorer::History (every posture record and incident loaded).
ExposureHistory HistoryWithExposure(Scorer& scorer, const DefenseGraph& graph, const Scope& scope,
                                    const store::ReadTxn& txn, std::optional<TimeMs> from, std::optional<TimeMs> to);

}  // namespace tidemark::scoring
