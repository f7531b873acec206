#include "engine/report/batch_run.h"

#include <algorithm>
#include <cstdio>
#include <unordered_set>

#include "engine/core/json.h"
#include "engine/core/logging.h"
#include "engine/report/feed.h"
#include "engine/scoring/scorer.h"
#include "engine/store/feed_catalog.h"

namespace tidemark::report {
namespace {

using graph::DefenseGraph;
using graph::Vertex;

// The state value: a one-line fingerprint (what "changed" means: open flag, impact to 4
// decimals, techniques) then the item JSON, so an unchanged run compares strings only.
std::string Fingerprint(bool open, const FeedItem& item) {
  char impact[32];
  std::snprintf(impact, sizeof impact, "%.4f", item.impact);
  std::string out = std::string(open ? "O|" : "C|") + impact + "|";
  for (const auto& t : item.techniques) out += t + ",";
  return out;
}

std::string StateValue(bool open, const FeedItem& item) {
  return Fingerprint(open, item) + "\n" + StateJson(FeedState{open, item});
}

std::vector<FeedItem> ItemsOf(const DefenseGraph& graph, const scoring::Evaluation& ev) {
  std::vector<FeedItem> items;
  std::string kind(scoring::ScopeKindName(ev.scope.kind));
  for (const auto& rec : ev.recommendations) {
    FeedItem item;
    const auto& control = graph.control_info(rec.control).control;
    item.scope_kind = kind;
    item.scope_id = ev.scope.id;
    item.control_id = control.id;
    item.control_title = control.title;
    item.key = FeedKey(kind, ev.scope.id, control.id);
    item.impact = RoundScore(rec.impact);
    item.status = std::string(model::ControlStatusName(rec.status));
    for (Vertex t : rec.techniques) {
      item.techniques.push_back(graph.props(t).id);
      for (const auto& row : ev.techniques) {
        if (row.technique != t) continue;
        for (const auto& c : row.controls) {
          if (c.control == rec.control && c.counted) item.paths.emplace_back(graph.props(t).id, c.via);
        }
      }
    }
    items.push_back(std::move(item));
  }
  return items;
}

}  // namespace

Result<RunSummary> RunBatch(store::Store& store, TimeMs tau, std::optional<TimeMs> since, TimeMs event_time) {
  RunSummary summary;
  // One write transaction for the whole run: the graph is built from its snapshot, each
  // scope's items are compared with their stored state as they come (nothing accumulates),
  // and a failure anywhere leaves the feed as it was. Readers are never blocked.
  Status written = store.Write([&](store::WriteTxn& txn) {
    summary = RunSummary{};
    DefenseGraph graph = DefenseGraph::Build(txn);
    graph.LoadIncidents(txn);
    scoring::Scorer scorer(graph);
    uint64_t seq = store::FeedCatalog::LastSeq(txn);
    auto emit = [&](std::string_view event, const FeedItem& item, bool open) {
      ++seq;
      store::FeedCatalog::Append(txn, seq, EventJson(seq, event, event_time, item));
      store::FeedCatalog::PutState(txn, item.key, StateValue(open, item));
    };
    // Scopes evaluated in this run, and scopes that still exist (counted) even if skipped.
    std::unordered_set<std::string> evaluated, alive, current;
    auto scope_key = [](std::string_view kind, std::string_view id) { return std::string(kind) + '\0' + std::string(id); };
    auto add = [&](const scoring::Scope& scope) {
      scoring::Evaluation ev = scorer.Evaluate(scope, tau);
      evaluated.insert(scope_key(scoring::ScopeKindName(scope.kind), scope.id));
      for (const auto& item : ItemsOf(graph, ev)) {
        current.insert(item.key);
        auto stored = txn.Get(store::Db::kFeedState, item.key);
        std::string_view fingerprint = stored ? stored->substr(0, stored->find('\n')) : std::string_view();
        if (!stored || fingerprint.substr(0, 2) != "O|") {
          emit("recommendation.opened", item, true);
          ++summary.opened;
        } else if (fingerprint != Fingerprint(true, item)) {
          emit("recommendation.updated", item, true);
          ++summary.updated;
        }
      }
    };
    for (size_t idx = 0; idx < graph.incidents().size(); ++idx) {
      const auto& info = graph.incidents()[idx];
      if (!info.CountsAt(tau)) continue;
      alive.insert(scope_key("incident", info.id));
      auto time = info.Time();
      if (since && time && *time < *since) continue;
      scoring::Scope scope;
      scope.kind = scoring::ScopeKind::kIncident;
      scope.id = info.id;
      scope.base_techniques = info.techniques;
      std::sort(scope.base_techniques.begin(), scope.base_techniques.end(),
                [&](Vertex a, Vertex b) { return graph.props(a).id < graph.props(b).id; });
      scope.incidents = {idx};
      add(scope);
      ++summary.incidents;
    }
    for (auto& scope : scoring::AllThreatScopes(graph)) {
      bool counted = std::any_of(scope.incidents.begin(), scope.incidents.end(),
                                 [&](size_t idx) { return graph.incidents()[idx].CountsAt(tau); });
      if (!counted) continue;
      alive.insert(scope_key(scoring::ScopeKindName(scope.kind), scope.id));
      add(scope);
      ++summary.threats;
    }
    auto all = scoring::ResolveScope(graph, "all");
    if (all.ok()) {
      alive.insert(scope_key("all", "all"));
      add(*all);
    }
    // Open states not recommended any more: resolved when their scope was evaluated, or when
    // the scope itself is gone (incident reclassified false positive, threat without counted
    // incidents). Scopes skipped by --since keep their open events. Collected first: the
    // state database is written below.
    std::vector<FeedItem> to_resolve;
    store::FeedCatalog::ForEachState(txn, [&](std::string_view key, std::string_view value) {
      if (value.substr(0, 2) != "O|" || current.count(std::string(key))) return;
      auto state = ParseState(value.substr(value.find('\n') + 1));
      if (!state) return;
      std::string scope = scope_key(state->item.scope_kind, state->item.scope_id);
      if (!evaluated.count(scope) && alive.count(scope)) return;
      to_resolve.push_back(std::move(state->item));
    });
    for (const auto& item : to_resolve) {
      emit("recommendation.resolved", item, false);
      ++summary.resolved;
    }
    summary.last_seq = seq;
    return Status::Ok();
  });
  if (!written.ok()) return written;
  return summary;
}

}  // namespace tidemark::report
