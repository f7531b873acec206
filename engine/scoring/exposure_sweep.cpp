#include "engine/scoring/exposure_sweep.h"

#include <algorithm>

#include "engine/core/ids.h"
#include "engine/store/cve_catalog.h"
#include "engine/store/finding_index.h"
#include "engine/store/org_catalog.h"

namespace tidemark::scoring {
namespace {

constexpr uint32_t kNoCve = UINT32_MAX;

}  // namespace

ExposureSweep::ExposureSweep(const store::ReadTxn& txn) {
  std::vector<std::string_view> strings = store::FindingIndex::Strings(txn);
  if (strings.empty()) return;
  store::OrgCatalog::ForEachAsset(txn, [&](const model::Asset& asset) {
    auto [index, created] = assets_.Intern(ToLower(asset.id));
    if (created) {
      asset_weight_.push_back(asset.weight);
      in_universe_.push_back(1);
    } else {
      asset_weight_[index] = std::max(asset_weight_[index], asset.weight);  // as VulnerabilityExposure
    }
  });
  // E(v) by the string numbers of the index (a CVE no finding names cannot matter).
  StringIndex numbers;
  for (std::string_view text : strings) numbers.Intern(text);
  cve_techniques_.assign(strings.size(), {});
  store::CveCatalog::ForEachMapping(txn, [&](const model::CveMapping& mapping) {
    if (!model::IsScored(mapping.type)) return;
    auto number = numbers.Find(mapping.cve);
    if (!number) return;
    uint32_t technique_idx = techniques_.Intern(mapping.technique).first;
    auto& list = cve_techniques_[*number];
    if (std::find(list.begin(), list.end(), technique_idx) == list.end()) list.push_back(technique_idx);
  });
  exposed_weight_.assign(techniques_.size(), 0);
  // Per finding: open over [first_seen, fixed) when that is not empty; per asset: seen from
  // its earliest first_seen. Findings whose CVE gives no technique only make their asset seen.
  store::FindingIndex::ForEachAsset(txn, [&](std::string_view asset, const std::vector<store::IndexedFinding>& findings) {
    if (findings.empty()) return;
    uint32_t asset_idx = Asset(asset);
    TimeMs seen = findings.front().first_seen;
    for (const store::IndexedFinding& finding : findings) {
      if (finding.cve >= strings.size()) throw store::StoreFailure("corrupt finding index in store (string number)");
      seen = std::min(seen, finding.first_seen);
      std::optional<TimeMs> fixed = finding.fixed_time();
      days_.push_back(StartOfDay(finding.first_seen));
      if (fixed) days_.push_back(StartOfDay(*fixed));
      if (cve_techniques_[finding.cve].empty()) continue;
      if (fixed && *fixed <= finding.first_seen) continue;  // never open
      events_.push_back({finding.first_seen, asset_idx, finding.cve, +1});
      if (fixed) events_.push_back({*fixed, asset_idx, finding.cve, -1});
    }
    events_.push_back({seen, asset_idx, kNoCve, 0});
  });
  std::sort(events_.begin(), events_.end(), [](const Event& a, const Event& b) { return a.time < b.time; });
  std::sort(days_.begin(), days_.end());
  days_.erase(std::unique(days_.begin(), days_.end()), days_.end());
  for (size_t asset_idx = 0; asset_idx < asset_weight_.size(); ++asset_idx) {
    if (in_universe_[asset_idx]) universe_weight_ += asset_weight_[asset_idx];
  }
}

uint32_t ExposureSweep::Asset(std::string_view id) {
  if (auto found = assets_.Find(id)) return *found;
  auto [index, created] = assets_.Intern(ToLower(id));
  if (created) {
    asset_weight_.push_back(1.0);  // not in the inventory: weight 1
    in_universe_.push_back(0);
  }
  return index;
}

void ExposureSweep::AdvanceTo(TimeMs tau) {
  for (; next_event_ < events_.size() && events_[next_event_].time <= tau; ++next_event_) {
    const Event& event = events_[next_event_];
    double weight = asset_weight_[event.asset];
    if (event.cve == kNoCve) {
      if (!in_universe_[event.asset]) {
        in_universe_[event.asset] = 1;
        universe_weight_ += weight;
      }
      continue;
    }
    for (uint32_t technique_idx : cve_techniques_[event.cve]) {
      uint32_t& count = open_count_[uint64_t{event.asset} << 32 | technique_idx];
      if (event.delta > 0 && count++ == 0) exposed_weight_[technique_idx] += weight;
      if (event.delta < 0 && --count == 0) exposed_weight_[technique_idx] -= weight;
    }
  }
}

double ExposureSweep::Share(std::string_view technique) const {
  auto technique_idx = techniques_.Find(technique);
  if (!technique_idx || universe_weight_ <= 0) return 0;
  return exposed_weight_[*technique_idx] / universe_weight_;
}

std::optional<double> ExposureSweep::Exposure(const std::vector<WeightedTechnique>& scope) const {
  return VulnerabilityExposure::ExposureOf(scope, [&](std::string_view technique) { return Share(technique); });
}

}  // namespace tidemark::scoring
