#include "engine/report/batch_run.h"

#include <algorithm>
#include <charconv>
#include <cstdio>
#include <memory>
#include <numeric>
#include <tuple>
#include <unordered_map>
#include <unordered_set>

#include "engine/core/json.h"
#include "engine/report/patch_run.h"
#include "engine/scoring/scorer.h"
#include "engine/store/feed_catalog.h"

namespace tidemark::report {
namespace {

using graph::DefenseGraph;
using graph::Vertex;
using store::FeedCatalog;

// What "changed" means for recommendation.updated: the impact to 4 decimals and the techniques.
// (The layout a version-1 store wrote after its open flag, so an upgraded store stays in step.)
std::string Fingerprint(const FeedItem& item) {
  char impact[64];
  // As printf's "%.4f" (to_chars with a precision is specified so), without its format parsing.
  auto [end, error] = std::to_chars(impact, impact + sizeof impact, item.impact, std::chars_format::fixed, 4);
  std::string out(impact, end);
  out += '|';
  for (const auto& t : item.techniques) {
    out += t;
    out += ',';
  }
  return out;
}

std::string ScopeId(std::string_view kind, std::string_view id) { return std::string(kind) + '\0' + std::string(id); }

FeedScope FeedScopeOf(const scoring::Scope& scope) {
  FeedScope out;
  out.kind = std::string(scoring::ScopeKindName(scope.kind));
  out.id = scope.id;
  bool threat = scope.kind == scoring::ScopeKind::kGroup || scope.kind == scoring::ScopeKind::kCampaign ||
                scope.kind == scoring::ScopeKind::kSoftware;
  if (threat && scope.name != scope.id) out.name = scope.name;
  return out;
}

scoring::Scope IncidentScope(const DefenseGraph& graph, size_t idx) {
  const auto& info = graph.incidents()[idx];
  scoring::Scope scope;
  scope.kind = scoring::ScopeKind::kIncident;
  scope.id = info.id;
  scope.base_techniques.assign(info.techniques.begin(), info.techniques.end());
  std::sort(scope.base_techniques.begin(), scope.base_techniques.end(),
            [&](Vertex a, Vertex b) { return graph.props(a).id < graph.props(b).id; });
  scope.incidents = {idx};
  return scope;
}

// One run inside its write transaction.
class BatchRun {
 public:
  BatchRun(store::WriteTxn& txn, const RunOptions& options, FeedCatalog::StateWrites& state_writes)
      : txn_(txn),
        options_(options),
        state_writes_(state_writes),
        graph_(DefenseGraph::Build(txn)),
        seq_(FeedCatalog::LastSeq(txn)),
        patches_(txn, options.tau, options.event_time, seq_) {
    // The evidence lists are borrowed from the transaction, which outlives the run and never
    // writes them: scoring reads their baseline halves and the first few incident ids, so only
    // those pages become resident (a copy of every list: ~145 MB at 1,000,000 incidents).
    graph_.LoadIncidents(txn, /*borrow_evidence=*/true);
    scorer_ = std::make_unique<scoring::Scorer>(graph_);
  }

  RunSummary Run() {
    for (size_t idx = 0; idx < graph_.incidents().size(); ++idx) {
      if (!graph_.incidents()[idx].CountsAt(options_.tau)) continue;
      any_counted_ = true;
      if (SkippedBySince(graph_.incidents()[idx])) continue;
      KeepInStep(IncidentScope(graph_, idx));
      ++summary_.incidents;
    }
    for (auto& scope : scoring::AllThreatScopes(graph_)) {
      bool counted = std::any_of(scope.incidents.begin(), scope.incidents.end(),
                                 [&](size_t idx) { return graph_.incidents()[idx].CountsAt(options_.tau); });
      if (!counted) continue;
      threats_alive_.insert(ScopeId(scoring::ScopeKindName(scope.kind), scope.id));
      KeepInStep(scope);
      ++summary_.threats;
    }
    // `all` while at least one incident counts: without any, it has no technique, and what it
    // recommended resolves as scope-gone rather than as covered by other controls.
    if (auto all = scoring::ResolveScope(graph_, "all"); any_counted_ && all.ok()) KeepInStep(*all);
    std::sort(current_.begin(), current_.end());
    ResolveStale();
    current_ = {};
    patches_.ResolveStale([&](std::string_view kind, std::string_view id) { return Alive(kind, id); });
    summary_.patches = patches_.counts();
    summary_.last_seq = seq_;
    return summary_;
  }

 private:
  // The event, then the item's state naming it: the body is serialised once, into the event.
  void Emit(std::string_view event, const FeedItem& item, bool open) {
    ++seq_;
    FeedCatalog::Append(txn_, seq_, EventJson(seq_, event, options_.event_time, item));
    state_writes_.PutItem(item.key, open, Fingerprint(item), seq_);
  }

  bool SkippedBySince(const graph::IncidentInfo& info) const {
    auto time = info.Time();
    return options_.since && time && *time < *options_.since;
  }

  // Whether this run keeps the scope in step (an incident that counts at τ, a threat with
  // counted incidents, `all` while any incident counts), and whether it evaluated it (the same,
  // but for incidents skipped by --since). Decided from the graph, not from sets of every
  // scope: a run over a million incidents would hold a million ids twice.
  bool Alive(std::string_view kind, std::string_view id) const {
    if (kind == "incident") {
      auto idx = graph_.IncidentIndex(id);
      return idx && graph_.incidents()[*idx].CountsAt(options_.tau);
    }
    if (kind == "all") return any_counted_;
    return threats_alive_.count(ScopeId(kind, id)) > 0;
  }
  bool Evaluated(std::string_view kind, std::string_view id) const {
    if (!Alive(kind, id)) return false;
    return kind != "incident" || !SkippedBySince(graph_.incidents()[*graph_.IncidentIndex(id)]);
  }

  // The recommendations a scope keeps in step: an incident's first `top` (they come ordered by
  // impact), every one of a threat's and of `all`.
  size_t KeptCount(const scoring::Scope& scope, const scoring::Evaluation& ev) const {
    size_t count = ev.recommendations.size();
    if (scope.kind == scoring::ScopeKind::kIncident && options_.top > 0) count = std::min(count, options_.top);
    return count;
  }

  void KeepInStep(const scoring::Scope& scope) {
    // Recommendations only, and of an incident only the top K it keeps (the first K of its whole
    // list, without building the rest): the feed item carries each technique's path from the
    // recommendation.
    scoring::EvaluateOptions evaluate{.details = false};
    if (scope.kind == scoring::ScopeKind::kIncident) evaluate.max_recommendations = options_.top;
    scoring::Evaluation ev = scorer_->Evaluate(scope, options_.tau, evaluate);
    FeedScope feed_scope = FeedScopeOf(scope);
    CheckResilience(feed_scope, ev.resilience);
    size_t kept = KeptCount(scope, ev);
    for (size_t rec_idx = 0; rec_idx < kept; ++rec_idx) {
      FeedItem item = ItemOf(feed_scope, ev.recommendations[rec_idx]);
      current_.push_back(FeedCatalog::KeyBits(item.key));
      auto stored = FeedCatalog::Item(txn_, item.key);
      if (!stored || !stored->open) {
        Emit(kEventOpened, item, true);
        ++summary_.opened;
      } else if (stored->fingerprint != Fingerprint(item)) {
        Emit(kEventUpdated, item, true);
        ++summary_.updated;
      }
    }
    // Patches (patch_run.h) for threats and `all`, after the scope's recommendation events.
    if (scope.kind != scoring::ScopeKind::kIncident) patches_.KeepInStep(feed_scope, ev, graph_);
  }

  FeedItem ItemOf(const FeedScope& scope, const scoring::Recommendation& rec) const {
    const auto& control = graph_.control_info(rec.control).control;
    FeedItem item;
    item.scope = scope;
    item.control_id = control.id;
    item.control_title = control.title;
    item.owner = control.owner;
    item.key = FeedCatalog::ItemKey(scope.kind, scope.id, control.id);
    item.impact = RoundScore(rec.impact);
    item.status = std::string(model::ControlStatusName(rec.status));
    item.techniques.reserve(rec.techniques.size());
    item.paths.reserve(rec.techniques.size());
    for (size_t k = 0; k < rec.techniques.size(); ++k) {
      const std::string& technique = graph_.props(rec.techniques[k]).id;
      item.techniques.push_back(technique);
      item.paths.emplace_back(technique, rec.paths[k]);
    }
    return item;
  }

  // scope.resilience_dropped when R fell by kResilienceDropPoints or more since the previous run
  // that evaluated the scope; the stored value is rewritten only when it changed, so a second
  // run on the same data compares equal values and writes nothing.
  void CheckResilience(const FeedScope& scope, std::optional<double> resilience) {
    if (resilience) resilience = RoundScore(*resilience);
    auto previous = FeedCatalog::ScopeResilience(txn_, scope.kind, scope.id);
    if (previous && *previous && resilience && **previous - *resilience >= kResilienceDropPoints - 1e-9) {
      ResilienceDrop drop{FeedCatalog::ScopeKey(scope.kind, scope.id), scope, **previous, *resilience};
      ++seq_;
      FeedCatalog::Append(txn_, seq_, EventJson(seq_, options_.event_time, drop));
      ++summary_.resilience_dropped;
    }
    if (!previous || *previous != resilience) state_writes_.PutScopeResilience(scope.kind, scope.id, resilience);
  }

  // Items published open and not kept in step by this run: resolved when their scope was
  // evaluated or is gone; a scope skipped by --since keeps them.
  void ResolveStale() {
    std::vector<FeedItem> stale;
    FeedCatalog::ForEachItem(txn_, [&](std::string_view key, const FeedCatalog::ItemState& state) {
      if (!state.open || std::binary_search(current_.begin(), current_.end(), FeedCatalog::KeyBits(key))) return;
      auto item = ParseItem(FeedCatalog::Published(txn_, state));
      if (!item) throw store::StoreFailure("feed_state: the item of key " + std::string(key) + " is not JSON");
      if (!Evaluated(item->scope.kind, item->scope.id) && Alive(item->scope.kind, item->scope.id)) return;
      stale.push_back(std::move(*item));
    });
    // Reasons are decided scope by scope (an incident's list is evaluated once, and only one is
    // held at a time), the events then appended in key order.
    std::vector<size_t> by_scope(stale.size());
    std::iota(by_scope.begin(), by_scope.end(), size_t{0});
    std::stable_sort(by_scope.begin(), by_scope.end(), [&](size_t a, size_t b) {
      return std::tie(stale[a].scope.kind, stale[a].scope.id) < std::tie(stale[b].scope.kind, stale[b].scope.id);
    });
    for (size_t idx : by_scope) stale[idx].reason = ReasonFor(stale[idx]);
    for (auto& item : stale) {
      ResolveReason reason = *item.reason;
      if (auto control = graph_.Control(item.control_id)) {
        const auto& info = graph_.control_info(*control);
        item.owner = info.control.owner;
        item.control_title = info.control.title;
        item.status = std::string(model::ControlStatusName(scoring::PostureOf(info, options_.tau).status));
      }
      Emit(kEventResolved, item, false);
      ++summary_.resolved;
      ++summary_.resolved_by_reason[static_cast<size_t>(reason)];
    }
  }

  ResolveReason ReasonFor(const FeedItem& item) {
    if (!Alive(item.scope.kind, item.scope.id)) {
      if (item.scope.kind == "incident") {
        if (auto idx = graph_.IncidentIndex(item.scope.id)) {
          auto cls = graph_.incidents()[*idx].classification;
          if (cls == model::Classification::kFalsePositive || cls == model::Classification::kBenignPositive) {
            return ResolveReason::kReclassified;
          }
        }
      }
      return ResolveReason::kScopeGone;
    }
    auto control = graph_.Control(item.control_id);
    if (!control) return ResolveReason::kCoveredByOthers;
    scoring::PostureAt posture = scoring::PostureOf(graph_.control_info(*control), options_.tau);
    if (posture.status == model::ControlStatus::kRiskAccepted) return ResolveReason::kRiskAccepted;
    if (posture.implemented >= 1) return ResolveReason::kImplemented;
    if (item.scope.kind == "incident" && options_.top > 0 && StillRecommended(item.scope.id, *control)) {
      return ResolveReason::kOutranked;
    }
    return ResolveReason::kCoveredByOthers;
  }

  // Whether the incident scope recommends `control` at all (below its top K, since it was not
  // kept): that control's impact alone (Scorer::Recommends), not the incident's whole list, which
  // with a large catalog is hundreds of controls for each incident with such an item. The scope
  // is built once per incident (ResolveStale asks scope by scope).
  bool StillRecommended(const std::string& incident_id, Vertex control) {
    if (!recommended_scope_ || recommended_scope_->id != incident_id) {
      recommended_scope_.reset();
      if (auto idx = graph_.IncidentIndex(incident_id)) recommended_scope_ = IncidentScope(graph_, *idx);
    }
    return recommended_scope_ && scorer_->Recommends(*recommended_scope_, control, options_.tau);
  }

  store::WriteTxn& txn_;
  const RunOptions& options_;
  FeedCatalog::StateWrites& state_writes_;  // the item and scope states this run writes, after it
  DefenseGraph graph_;
  std::unique_ptr<scoring::Scorer> scorer_;
  uint64_t seq_;
  PatchRun patches_;  // advances seq_
  RunSummary summary_;
  bool any_counted_ = false;
  std::unordered_set<std::string> threats_alive_;  // ScopeId of each threat kept in step
  std::vector<uint64_t> current_;  // KeyBits of the item keys this run keeps in step (sorted before ResolveStale)
  std::optional<scoring::Scope> recommended_scope_;  // the incident scope StillRecommended last built
};

}  // namespace

Result<RunSummary> RunBatch(store::Store& store, const RunOptions& options) {
  RunSummary summary;
  // One write transaction for the whole run: the graph is built from its snapshot, each
  // scope's items are compared with their stored state as they come (nothing accumulates but
  // keys and the compact item states, written in key order at the end), and a failure anywhere
  // leaves the feed as it was. Readers are never blocked.
  Status written = store.Write([&](store::WriteTxn& txn) {
    FeedCatalog::StateWrites states;
    summary = BatchRun(txn, options, states).Run();
    // The states are written once the run's graph is freed (~250 MB at 1,000,000 incidents),
    // while LMDB holds its most dirty pages.
    states.Write(txn);
    return Status::Ok();
  });
  if (!written.ok()) return written;
  return summary;
}

std::string RunSummaryJson(const RunSummary& summary, const RunOptions& options) {
  rapidjson::StringBuffer buf;
  JsonWriter w(buf);
  w.StartObject();
  WriteField(w, "as_of", FormatIsoTime(options.tau));
  w.Key("top");
  w.Uint64(options.top);
  w.Key("incidents");
  w.Uint64(summary.incidents);
  w.Key("threats");
  w.Uint64(summary.threats);
  w.Key("events");
  w.StartObject();
  for (auto [name, count] : {std::pair<const char*, size_t>{"opened", summary.opened}, {"updated", summary.updated},
                             {"resolved", summary.resolved}, {"resilience_dropped", summary.resilience_dropped}}) {
    w.Key(name);
    w.Uint64(count);
  }
  w.EndObject();
  w.Key("resolved_by_reason");
  w.StartObject();
  for (size_t reason = 0; reason < summary.resolved_by_reason.size(); ++reason) {
    WriteString(w, ResolveReasonName(static_cast<ResolveReason>(reason)));
    w.Uint64(summary.resolved_by_reason[reason]);
  }
  w.EndObject();
  WritePatchRunCounts(w, summary.patches);
  w.Key("last_seq");
  w.Uint64(summary.last_seq);
  w.EndObject();
  return std::string(buf.GetString(), buf.GetSize());
}

}  // namespace tidemark::report
