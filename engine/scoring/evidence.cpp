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

const std::vector<TimeMs>& Evidence::Uses::Sorted() const {
  if (sorted_.size() != times.size()) {
    sorted_ = times;
    std::sort(sorted_.begin(), sorted_.end());
  }
  return sorted_;
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
  const auto& sorted = uses.Sorted();
  for (size_t k = 0; k < posture.size(); ++k) {
    double value = model::ImplementedFraction(posture[k]);
    if (value <= best) continue;
    TimeMs lo = posture[k].as_of;
    TimeMs hi = k + 1 < posture.size() ? posture[k + 1].as_of : std::numeric_limits<TimeMs>::max();
    auto it = std::lower_bound(sorted.begin(), sorted.end(), lo);
    if (it != sorted.end() && *it < hi) best = value;
  }
  return best;
}

void Evidence::InPlace(const std::vector<model::PostureRecord>& posture, const Uses& uses, std::vector<uint32_t>& out) {
  for (size_t k = 0; k < uses.times.size(); ++k) {
    if (ImplementedAt(posture, uses.times[k]) > 0) out.push_back(uses.incidents[k]);
  }
}

}  // namespace tidemark::scoring
