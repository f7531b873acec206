// SPEC §3 "Evidence": B(t, τ), the incidents that show technique t succeeded at τ, over the
// whole organisation whatever scope is evaluated, and the baselines β(c, t, τ) they give.
//
// Which incident shows which technique succeeded is decided once, when incidents are written
// (store::EvidenceUsesOf, kept in the evidence index); a technique's uses reach scoring through
// DefenseGraph::EvidenceOf. B(t, τ) is the uses with time(i) <= τ (the incident counts at τ),
// and everything here reads that one list: how many, the first in id order, β, and the
// incidents a control was in place in. Pure functions; thread-safe.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "engine/core/time_util.h"
#include "engine/model/control.h"
#include "engine/store/evidence_index.h"

namespace tidemark::scoring {

// impl(c, time) of SPEC §3 from a control's posture records (as_of order): the latest record
// with as_of <= time, 0 without one.
double ImplementedAt(const std::vector<model::PostureRecord>& posture, TimeMs time);

class Evidence {
 public:
  // |B(t, τ)|: all uses when τ >= the latest time(i); else a binary search to the uses with
  // b(i) <= τ (when every b(i) <= time(i)) and a scan of those.
  static size_t Count(const store::EvidenceList& uses, TimeMs tau);
  // β(c, t, τ) = max over B(t, τ) of impl(c, b(i)), 0 when B is empty: one range lookup per
  // posture record of the control, whatever the number of uses.
  static double Baseline(const std::vector<model::PostureRecord>& posture, const store::EvidenceList& uses,
                         TimeMs tau);
  // The first `limit` incidents of B(t, τ) in id order, appended to `out`.
  static void FirstIncidents(const store::EvidenceList& uses, TimeMs tau, size_t limit, std::vector<std::string>& out);
  // The incidents of B(t, τ) over several techniques (one list of uses each), in which the
  // control was at least partly in place (impl(c, b(i)) > 0): the first `limit` of their union
  // in id order, each once, appended to `out`; returns whether the union has more. The lists are
  // merged and the merge stops at the limit, so lists of 100,000 uses cost about `limit` steps
  // each when the control was in place for most of them.
  //
  // With a memo, each list's first `limit` + 1 such uses are found once per posture shape (when
  // the control was in place): 5,000 controls whose posture changed on the same few days share
  // them, instead of each scanning lists of 100,000 uses where it was in place for few.
  struct InPlaceMemo;
  static bool InPlaceFirst(const std::vector<model::PostureRecord>& posture,
                           const std::vector<const store::EvidenceList*>& lists, TimeMs tau, size_t limit,
                           std::vector<std::string>& out, InPlaceMemo* memo = nullptr);
};

// What InPlaceFirst remembers across controls (one per evaluation; lists must outlive it).
struct Evidence::InPlaceMemo {
  TimeMs tau = 0;
  size_t limit = 0;
  // (list, the times impl(c, ·) > 0 starts or stops holding) -> its first limit + 1 in-place
  // incident ids in id order.
  std::map<std::pair<const store::EvidenceList*, std::vector<TimeMs>>, std::vector<std::string_view>> firsts;
};

}  // namespace tidemark::scoring
