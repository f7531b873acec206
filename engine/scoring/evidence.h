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
  static bool InPlaceFirst(const std::vector<model::PostureRecord>& posture,
                           const std::vector<const store::EvidenceList*>& lists, TimeMs tau, size_t limit,
                           std::vector<std::string>& out);
  class InPlaceBatch;
};

// InPlaceFirst for many controls at one τ (a scope's validations: one query per control; 5,000
// at 5,000 controls). Each list's first `limit` + 1 in-place uses are found once per posture
// shape (the times impl(c, ·) > 0 starts or stops holding: controls whose posture changed on
// the same few days share them), the incident ids of all of them are ranked once, and a query's
// union is then a bitmap of ranks instead of a merge comparing strings. The answers are
// InPlaceFirst's. Add every query, then ask First. The lists must outlive the batch; the ids
// First gives are views into them.
class Evidence::InPlaceBatch {
 public:
  InPlaceBatch(TimeMs tau, size_t limit) : tau_(tau), limit_(limit) {}
  // Adds one control's query; returns its number (0, 1, ...).
  size_t Add(const std::vector<model::PostureRecord>& posture, const std::vector<const store::EvidenceList*>& lists);
  // InPlaceFirst of query `query`: the first `limit` ids appended to `out`, and whether the
  // union has more. No Add after the first First.
  bool First(size_t query, std::vector<std::string_view>& out);

 private:
  void Rank();

  TimeMs tau_;
  size_t limit_;
  std::map<std::vector<TimeMs>, uint32_t> shapes_;
  // (list, shape number) -> entry: the list's first limit + 1 in-place ids, in id order.
  std::map<std::pair<const store::EvidenceList*, uint32_t>, uint32_t> entry_of_;
  std::vector<std::vector<std::string_view>> entry_ids_;
  std::vector<std::vector<uint32_t>> entry_ranks_;  // entry_ids_ as ranks into ranked_ (after Rank)
  std::vector<uint32_t> query_entries_;  // the non-empty entries of each query, back to back
  std::vector<size_t> query_begin_{0};   // query k's entries: [query_begin_[k], query_begin_[k + 1])
  std::vector<std::string_view> ranked_;  // every distinct id of the entries, in id order
  std::vector<uint64_t> bits_;            // one bit per rank: the query being answered
  bool ranked_done_ = false;
};

}  // namespace tidemark::scoring
