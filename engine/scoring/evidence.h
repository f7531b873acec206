// SPEC §3 "Evidence": B(t, τ), the incidents that show technique t succeeded at τ, over the
// whole organisation whatever scope is evaluated, and the baselines β(c, t, τ) they give.
//
// An incident shows t succeeded when it counts at τ, t is one of its known techniques and it
// does not record t as blocked; its baseline time is b(i) = created, else closed. B only grows
// with τ (counting is monotone in τ), so Evidence moves forward incrementally: a history sweep
// adds each incident once. Moving back rebuilds, and bumps generation() so that cached
// baselines know to start again. Borrows the graph. Not thread-safe.
#pragma once

#include <algorithm>
#include <cstdint>
#include <unordered_map>
#include <vector>

#include "engine/core/time_util.h"
#include "engine/graph/defense_graph.h"

namespace tidemark::scoring {

// impl(c, time) of SPEC §3 from a control's posture records (as_of order): the latest record
// with as_of <= time, 0 without one.
double ImplementedAt(const std::vector<model::PostureRecord>& posture, TimeMs time);

class Evidence {
 public:
  // B(t, τ) of one technique.
  struct Uses {
    std::vector<uint32_t> incidents;  // indexes into graph.incidents(), in the order added
    std::vector<TimeMs> times;        // b(i), parallel to incidents
    // (b(i), incident) sorted by time; rebuilt on demand when incidents were added since.
    const std::vector<std::pair<TimeMs, uint32_t>>& ByTime() const;
    // (incident, b(i)) in incident id order (DefenseGraph::IdRanks); rebuilt on demand when
    // incidents were added since.
    const std::vector<std::pair<uint32_t, TimeMs>>& ByIncident(const graph::DefenseGraph& graph) const;

   private:
    mutable std::vector<std::pair<TimeMs, uint32_t>> by_time_;
    mutable std::vector<std::pair<uint32_t, TimeMs>> by_incident_;
  };

  explicit Evidence(const graph::DefenseGraph& graph) : graph_(graph) {}

  // Makes B the incidents that count at τ.
  void AdvanceTo(TimeMs tau);
  // B(t, τ) of the last AdvanceTo, or nullptr when empty.
  const Uses* Of(graph::Vertex technique) const;
  // Increases whenever B was rebuilt rather than grown.
  uint64_t generation() const { return generation_; }

  // β(c, t) = max over B(t) of impl(c, b(i)); with `from` > 0 only the uses added after the
  // first `from` are read (the caller keeps the max of the earlier ones).
  static double Baseline(const std::vector<model::PostureRecord>& posture, const Uses& uses, size_t from = 0);
  // The incidents of B(t) in which the control was at least partly in place (impl(c, b(i)) > 0):
  // the first `limit` in incident order appended to `out`. Stops at the limit, so a list of
  // 100,000 uses costs about `limit` lookups when the control was in place for most of them.
  void InPlaceFirst(const std::vector<model::PostureRecord>& posture, const Uses& uses, size_t limit,
                    std::vector<uint32_t>& out) const;

 private:
  void Reset();

  const graph::DefenseGraph& graph_;
  // Incidents that count at some time, by their time (closed, else created).
  std::vector<std::pair<TimeMs, uint32_t>> timeline_;
  bool timeline_built_ = false;
  size_t timeline_source_size_ = 0;
  size_t next_ = 0;
  bool started_ = false;
  TimeMs tau_ = 0;
  uint64_t generation_ = 0;
  std::unordered_map<graph::Vertex, Uses> uses_;
};

}  // namespace tidemark::scoring
