// Vulnerability shares over time, for history (SPEC v2 §3 "History"): vshare(t, τ) of every
// technique kept in step as τ moves forward, by applying only the findings that are first seen,
// open or close in between — instead of a VulnerabilityExposure over every finding at each
// point (issue 15: 365 points × 1,000,000 findings took 35 s).
//
// The same rules as VulnerabilityExposure (which stays the reference for one τ and the only
// source of patches): a finding is open over [first_seen, fixed); U(τ) is the inventory plus
// every asset with a finding first seen ≤ τ; X(t, τ) the assets with an open finding whose CVE
// gives t (an asset counts once: a count of its open findings giving t is kept per (asset,
// technique)). VE itself is VulnerabilityExposure::ExposureOf, one formula. Findings come from
// the store's finding index. Not thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "engine/core/string_index.h"
#include "engine/core/time_util.h"
#include "engine/scoring/vulnerability_exposure.h"
#include "engine/store/store.h"

namespace tidemark::scoring {

class ExposureSweep {
 public:
  // Reads the inventory, the scored CVE knowledge and the finding index; τ starts before
  // every finding.
  explicit ExposureSweep(const store::ReadTxn& txn);

  bool has_findings() const { return !days_.empty(); }
  // The days (StartOfDay) on which a finding is first seen or fixed, ascending, unique.
  const std::vector<TimeMs>& FindingDays() const { return days_; }
  // Moves τ forward to `tau` (never back: precondition tau >= the last τ).
  void AdvanceTo(TimeMs tau);
  // vshare(t, τ) at the current τ (0 when nothing open gives t).
  double Share(std::string_view technique) const;
  // VE(θ, τ) at the current τ.
  std::optional<double> Exposure(const std::vector<WeightedTechnique>& scope) const;

 private:
  struct Event {
    TimeMs time;
    uint32_t asset;
    uint32_t cve;  // kSeen: the asset joins U (no CVE)
    int32_t delta;  // +1 opens, -1 closes, 0 first seen
  };
  uint32_t Asset(std::string_view id);

  StringIndex assets_;
  std::vector<double> asset_weight_;
  std::vector<char> in_universe_;
  StringIndex techniques_;
  std::vector<std::vector<uint32_t>> cve_techniques_;  // by string number of the finding index
  std::vector<Event> events_;  // sorted by time
  std::vector<TimeMs> days_;
  size_t next_event_ = 0;
  std::unordered_map<uint64_t, uint32_t> open_count_;  // (asset << 32 | technique) -> open findings
  std::vector<double> exposed_weight_;                 // by technique: Σ weight over X(t, τ)
  double universe_weight_ = 0;
};

}  // namespace tidemark::scoring
