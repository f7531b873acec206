#include "engine/report/patch_run.h"

#include <cstdio>
#include <vector>

#include "engine/store/feed_catalog.h"

namespace tidemark::report {
namespace {

using store::FeedCatalog;

// What "changed" means for patch.updated: everything the item carries but its scope and key.
std::string Fingerprint(const PatchItem& patch) {
  char impact[32];
  std::snprintf(impact, sizeof impact, "%.4f", patch.impact);
  std::string out = std::string(impact) + "|" + std::to_string(patch.assets) + "|" + patch.remediation_type + "|" +
                    (patch.kev ? "k" : "") + (patch.ransomware ? "r" : "") + "|" + patch.due_date + "|";
  for (const auto& cve : patch.cves) out += cve + ",";
  out += "|";
  for (const auto& technique : patch.techniques) out += technique + ",";
  return out;
}

PatchItem ItemOf(const FeedScope& scope, const scoring::Patch& patch) {
  PatchItem item;
  item.key = FeedCatalog::PatchKey(scope.kind, scope.id, patch.software);
  item.scope = scope;
  item.software = patch.software;
  item.impact = RoundScore(patch.impact);
  item.cves = patch.cves;
  item.assets = patch.assets;
  item.techniques = patch.techniques;
  item.remediation_type = std::string(model::RemediationTypeName(patch.remediation_type));
  item.kev = patch.kev;
  item.ransomware = patch.ransomware;
  item.due_date = patch.due_date;
  return item;
}

}  // namespace

PatchRun::PatchRun(store::WriteTxn& txn, TimeMs tau, TimeMs event_time, uint64_t& seq)
    : txn_(txn), event_time_(event_time), seq_(seq), vx_(scoring::VulnerabilityExposure::Load(txn, tau)) {}

void PatchRun::Emit(std::string_view event, const PatchItem& patch, bool open) {
  ++seq_;
  FeedCatalog::Append(txn_, seq_, EventJson(seq_, event, event_time_, patch));
  FeedCatalog::PutPatch(txn_, patch.key, open, Fingerprint(patch), seq_);
}

void PatchRun::KeepInStep(const FeedScope& scope, const scoring::Evaluation& ev, const graph::DefenseGraph& graph) {
  if (vx_.open_findings() == 0) return;
  for (const auto& patch : vx_.Patches(scoring::VulnerabilityExposure::ScopeTechniques(ev, graph))) {
    PatchItem item = ItemOf(scope, patch);
    current_.insert(item.key);
    auto stored = FeedCatalog::Patch(txn_, item.key);
    if (!stored || !stored->open) {
      Emit(kEventPatchOpened, item, true);
      ++counts_.opened;
    } else if (stored->fingerprint != Fingerprint(item)) {
      Emit(kEventPatchUpdated, item, true);
      ++counts_.updated;
    }
  }
}

void PatchRun::ResolveStale(const std::function<bool(std::string_view, std::string_view)>& alive) {
  // Collected first: the state database is written below.
  std::vector<PatchItem> stale;
  FeedCatalog::ForEachPatch(txn_, [&](std::string_view key, const FeedCatalog::ItemState& state) {
    if (!state.open || current_.count(std::string(key))) return;
    auto item = ParsePatchItem(FeedCatalog::Published(txn_, state));
    if (!item) throw store::StoreFailure("feed_state: the patch item of key " + std::string(key) + " is not JSON");
    stale.push_back(std::move(*item));
  });
  for (auto& item : stale) {
    PatchResolveReason reason = !alive(item.scope.kind, item.scope.id) ? PatchResolveReason::kScopeGone
                                : !vx_.HasOpenFindings(item.software) ? PatchResolveReason::kPatched
                                                                      : PatchResolveReason::kNoImpact;
    item.reason = reason;
    Emit(kEventPatchResolved, item, false);
    ++counts_.resolved;
    ++counts_.resolved_by_reason[static_cast<size_t>(reason)];
  }
}

void WritePatchRunCounts(JsonWriter& w, const PatchRunCounts& counts) {
  w.Key("patches");
  w.StartObject();
  w.Key("opened");
  w.Uint64(counts.opened);
  w.Key("updated");
  w.Uint64(counts.updated);
  w.Key("resolved");
  w.Uint64(counts.resolved);
  w.Key("resolved_by_reason");
  w.StartObject();
  for (size_t reason = 0; reason < counts.resolved_by_reason.size(); ++reason) {
    WriteString(w, PatchResolveReasonName(static_cast<PatchResolveReason>(reason)));
    w.Uint64(counts.resolved_by_reason[reason]);
  }
  w.EndObject();
  w.EndObject();
}

}  // namespace tidemark::report
