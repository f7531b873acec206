#include "engine/scoring/evidence.h"

#include <algorithm>
#include <limits>

namespace tidemark::scoring {

double ImplementedAt(const std::vector<model::PostureRecord>& posture, TimeMs time) {
  auto it = std::upper_bound(posture.begin(), posture.end(), time,
                             [](TimeMs t, const model::PostureRecord& r) { return t < r.as_of; });
  if (it == posture.begin()) return 0.0;
  return model::ImplementedFraction(*std::prev(it));
}

const std::vector<std::pair<TimeMs, uint32_t>>& Evidence::Uses::ByTime() const {
  if (by_time_.size() != times.size()) {
    by_time_.clear();
    by_time_.reserve(times.size());
    for (size_t k = 0; k < times.size(); ++k) by_time_.emplace_back(times[k], incidents[k]);
    std::sort(by_time_.begin(), by_time_.end());
  }
  return by_time_;
}

const std::vector<std::pair<uint32_t, TimeMs>>& Evidence::Uses::ByIncident(const graph::DefenseGraph& graph) const {
  if (by_incident_.size() != incidents.size()) {
    by_incident_.clear();
    by_incident_.reserve(incidents.size());
    for (size_t k = 0; k < incidents.size(); ++k) by_incident_.emplace_back(incidents[k], times[k]);
    const auto& rank = graph.IdRanks();
    std::sort(by_incident_.begin(), by_incident_.end(),
              [&](const auto& a, const auto& b) { return rank[a.first] < rank[b.first]; });
  }
  return by_incident_;
}

void Evidence::Reset() {
  uses_.clear();
  next_ = 0;
  ++generation_;
}

void Evidence::AdvanceTo(TimeMs tau) {
  const auto& incidents = graph_.incidents();
  if (timeline_source_size_ != incidents.size() || !timeline_built_) {
    timeline_.clear();
    for (size_t idx = 0; idx < incidents.size(); ++idx) {
      const auto& info = incidents[idx];
      auto time = info.Time();
      if (!time || !info.CountsAt(*time)) continue;
      timeline_.emplace_back(*time, static_cast<uint32_t>(idx));
    }
    std::sort(timeline_.begin(), timeline_.end());
    timeline_built_ = true;
    timeline_source_size_ = incidents.size();
    Reset();
  }
  if (started_ && tau < tau_) Reset();
  started_ = true;
  tau_ = tau;
  for (; next_ < timeline_.size() && timeline_[next_].first <= tau; ++next_) {
    uint32_t idx = timeline_[next_].second;
    const auto& info = incidents[idx];
    TimeMs baseline = *info.BaselineTime();
    for (graph::Vertex t : info.techniques) {
      if (info.Blocked(t)) continue;
      Uses& uses = uses_[t];
      uses.incidents.push_back(idx);
      uses.times.push_back(baseline);
    }
  }
}

const Evidence::Uses* Evidence::Of(graph::Vertex technique) const {
  auto it = uses_.find(technique);
  return it == uses_.end() ? nullptr : &it->second;
}

double Evidence::Baseline(const std::vector<model::PostureRecord>& posture, const Uses& uses, size_t from) {
  if (posture.empty() || from >= uses.times.size()) return 0.0;
  double best = 0.0;
  size_t fresh = uses.times.size() - from;
  // Whichever is cheaper: each new b(i) looked up in the posture, or each posture interval
  // looked up among the sorted b(i) (a control with one snapshot and 50,000 uses: one search).
  if (from > 0 || fresh <= posture.size()) {
    for (size_t k = from; k < uses.times.size(); ++k) best = std::max(best, ImplementedAt(posture, uses.times[k]));
    return best;
  }
  const auto& sorted = uses.ByTime();
  for (size_t k = 0; k < posture.size(); ++k) {
    double value = model::ImplementedFraction(posture[k]);
    if (value <= best) continue;
    TimeMs lo = posture[k].as_of;
    TimeMs hi = k + 1 < posture.size() ? posture[k + 1].as_of : std::numeric_limits<TimeMs>::max();
    auto it = std::lower_bound(sorted.begin(), sorted.end(), lo,
                               [](const std::pair<TimeMs, uint32_t>& use, TimeMs t) { return use.first < t; });
    if (it != sorted.end() && it->first < hi) best = value;
  }
  return best;
}

void Evidence::InPlaceFirst(const std::vector<model::PostureRecord>& posture, const Uses& uses, size_t limit,
                            std::vector<uint32_t>& out) const {
  size_t found = 0;
  for (const auto& [incident, time] : uses.ByIncident(graph_)) {
    if (found == limit) return;
    if (ImplementedAt(posture, time) > 0) {
      out.push_back(incident);
      ++found;
    }
  }
}

}  // namespace tidemark::scoring
