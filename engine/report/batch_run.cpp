#include "engine/report/batch_run.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <cstdio>
#include <exception>
#include <memory>
#include <numeric>
#include <optional>
#include <thread>
#include <tuple>
#include <unordered_map>
#include <unordered_set>
#include <utility>

#include "engine/core/bounded_channel.h"
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
// (A FeedItem or a FeedItemView.)
template <typename Item>
void AppendFingerprint(const Item& item, std::string& out) {
  char impact[64];
  // As printf's "%.4f" (to_chars with a precision is specified so), without its format parsing.
  auto [end, error] = std::to_chars(impact, impact + sizeof impact, item.impact, std::chars_format::fixed, 4);
  out.append(impact, end);
  out += '|';
  for (const auto& t : item.techniques) {
    out += t;
    out += ',';
  }
}
std::string Fingerprint(const FeedItem& item) {
  std::string out;
  AppendFingerprint(item, out);
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

// What keeping one scope in step asks of the feed, decided from the run's snapshot (the store
// as its transaction began: the run writes item and scope states only at its end, and appends
// events that nothing here reads), so scopes are decided on worker threads, each with a read
// transaction of its own, while the writing thread appends.
// An item event and the item's new state, as bytes of ScopeChanges::bytes: the item key, its
// fingerprint, then the event without its seq (AppendItemEventTail), back to back.
struct Emission {
  bool opened = false;  // kEventOpened, else kEventUpdated
  uint32_t at = 0;
  uint32_t key_size = 0;
  uint32_t fingerprint_size = 0;
  uint32_t tail_size = 0;
};
struct ScopeChanges {
  FeedScope scope;
  std::optional<ResilienceDrop> drop;
  bool resilience_changed = false;  // the stored resilience is rewritten (to `resilience`)
  std::optional<double> resilience;
  std::vector<uint64_t> kept;  // KeyBits of the items kept in step
  std::vector<Emission> emissions;
  std::string bytes;  // every emission's bytes: one allocation for the scope's events
  // A threat's or `all`'s evaluation, which its patches (patch_run.h) are decided from on the
  // writing thread; its views point into the worker's Scorer, which outlives the run.
  std::optional<scoring::Evaluation> evaluation;
};

// Scopes decided on worker threads and handed over in the order the writing thread applies
// them. The work is cut into units (a run of incident indices, or one threat scope), numbered
// in that order; unit u is decided by worker u % kWorkers, which hands its units over in turn
// through its own bounded channel (so memory does not follow the incident count), and the
// writing thread takes unit u from that channel: the units arrive in order, however the workers
// run. A worker that fails hands over its failure as its next unit. The destructor closes the
// channels and joins the workers, so a failure of the writing thread (a full map, which reruns
// the transaction) never leaves one reading.
class ScopePipeline {
 public:
  using Batch = std::vector<ScopeChanges>;
  // Both cores of the 2-core machine issue 16 is measured on: the writing thread's share (the
  // appends) is small next to the scoring.
  static constexpr size_t kWorkers = 2;
  static constexpr size_t kMaxQueued = 4;  // units per worker decided ahead of the writer

  // decide(worker, unit) -> Batch, called on worker `worker` for units worker, worker +
  // kWorkers, ... below `units`.
  template <typename Decide>
  ScopePipeline(size_t units, Decide decide) {
    for (size_t worker = 0; worker < kWorkers; ++worker) {
      channels_.push_back(std::make_unique<BoundedChannel<Message>>(kMaxQueued));
    }
    try {
      for (size_t worker = 0; worker < kWorkers; ++worker) {
        threads_.emplace_back([this, worker, units, decide]() mutable {
          try {
            for (size_t unit = worker; unit < units; unit += kWorkers) {
              Message message;
              try {
                message.batch = decide(worker, unit);
              } catch (...) {
                message.error = std::current_exception();
              }
              bool failed = message.error != nullptr;
              channels_[worker]->Push(std::move(message));
              if (failed) return;
            }
          } catch (const ChannelClosed&) {
            // the writing thread stopped listening
          }
        });
      }
    } catch (...) {
      Stop();
      throw;
    }
  }
  ~ScopePipeline() { Stop(); }
  ScopePipeline(const ScopePipeline&) = delete;
  ScopePipeline& operator=(const ScopePipeline&) = delete;

  // Writing thread: unit `unit`'s batch (units taken in order), rethrowing its worker's failure.
  Batch Pop(size_t unit) {
    Message message = channels_[unit % kWorkers]->Pop();
    if (message.error) std::rethrow_exception(message.error);
    return std::move(message.batch);
  }

 private:
  struct Message {
    Batch batch;
    std::exception_ptr error;
  };
  void Stop() {
    for (auto& channel : channels_) channel->Close();
    for (auto& thread : threads_) thread.join();
    threads_.clear();
  }
  std::vector<std::unique_ptr<BoundedChannel<Message>>> channels_;
  std::vector<std::thread> threads_;
};

// One run inside its write transaction.
class BatchRun {
 public:
  static constexpr size_t kUnitIncidents = 256;  // incident indices per pipeline unit
  static constexpr size_t kReleaseEveryUnits = 256;

  BatchRun(store::Store& store, store::WriteTxn& txn, const RunOptions& options,
           FeedCatalog::StateWrites& state_writes)
      : store_(store),
        txn_(txn),
        options_(options),
        state_writes_(state_writes),
        graph_(DefenseGraph::Build(txn)),
        seq_(FeedCatalog::LastSeq(txn)),
        patches_(txn, options.tau, options.event_time, seq_) {
    // The evidence lists are borrowed from the transaction, which outlives the run and never
    // writes them: scoring reads their baseline halves and the first few incident ids, so only
    // those pages become resident (a copy of every list: ~145 MB at 1,000,000 incidents).
    graph_.LoadIncidents(txn, /*borrow_evidence=*/true);
    for (auto& worker : workers_) worker.scorer = std::make_unique<scoring::Scorer>(graph_);
  }

  RunSummary Run() {
    // The threats with a counted incident, then `all` while at least one incident counts:
    // without any, it has no technique, and what it recommended resolves as scope-gone rather
    // than as covered by other controls. Decided on the workers after the incidents.
    any_counted_ = std::any_of(graph_.incidents().begin(), graph_.incidents().end(),
                               [&](const graph::IncidentInfo& info) { return info.CountsAt(options_.tau); });
    for (auto& scope : scoring::AllThreatScopes(graph_)) {
      bool counted = std::any_of(scope.incidents.begin(), scope.incidents.end(),
                                 [&](size_t idx) { return graph_.incidents()[idx].CountsAt(options_.tau); });
      if (!counted) continue;
      threats_alive_.insert(ScopeId(scoring::ScopeKindName(scope.kind), scope.id));
      late_scopes_.push_back(std::move(scope));
      ++summary_.threats;
    }
    if (auto all = scoring::ResolveScope(graph_, "all"); any_counted_ && all.ok()) late_scopes_.push_back(std::move(*all));
    // Every scope is decided on the workers (each Scorer its own until the join) and applied
    // here in order (incidents by index, then the threats and `all`), so seqs are those of one
    // thread.
    incident_units_ = (graph_.incidents().size() + kUnitIncidents - 1) / kUnitIncidents;
    size_t units = incident_units_ + late_scopes_.size();
    {
      ScopePipeline pipeline(units, [this](size_t worker, size_t unit) { return DecideUnit(workers_[worker], unit); });
      for (size_t unit = 0; unit < units; ++unit) {
        for (auto& changes : pipeline.Pop(unit)) {
          Apply(changes);
          // Patches (patch_run.h) for threats and `all`, after the scope's recommendation events.
          if (changes.evaluation) patches_.KeepInStep(changes.scope, *changes.evaluation, graph_);
        }
        // LMDB spills dirty pages past ~512 MB and reads them back through the map; those pages
        // would stay resident to the end (issue 16: <= 1 GB at 1,000,000 incidents). Released
        // every 65,536 incidents, a few times per run: the workers' pages come back from the
        // page cache (MAP_SHARED, read-only: nothing is lost).
        if ((unit + 1) % kReleaseEveryUnits == 0) txn_.ReleaseReadPages();
      }
    }
    for (Worker& worker : workers_) {
      summary_.incidents += worker.decided;
      worker.snapshot.reset();
    }
    ResolveStale();
    current_ = {};
    patches_.ResolveStale([&](std::string_view kind, std::string_view id) { return Alive(kind, id); });
    summary_.patches = patches_.counts();
    summary_.last_seq = seq_;
    return summary_;
  }

 private:
  // What a worker thread owns: its Scorer (kept after the join: the threats' evaluations point
  // into it), a read transaction of the run's snapshot while it decides, and how many incidents
  // it decided.
  struct Worker {
    std::unique_ptr<scoring::Scorer> scorer;
    std::optional<store::ReadTxn> snapshot;
    size_t decided = 0;
  };

  // On a worker: a unit's scopes. An incident unit: every counted incident of its indices not
  // skipped by --since, in index order; a late unit: one threat scope or `all`.
  ScopePipeline::Batch DecideUnit(Worker& worker, size_t unit) {
    if (!worker.snapshot) worker.snapshot.emplace(store_.Read());
    ScopePipeline::Batch batch;
    if (unit >= incident_units_) {
      const scoring::Scope& scope = late_scopes_[unit - incident_units_];
      scoring::Evaluation ev = Evaluate(*worker.scorer, scope);
      batch.push_back(Decide(*worker.snapshot, scope, ev));
      batch.back().evaluation = std::move(ev);
      return batch;
    }
    size_t end = std::min(graph_.incidents().size(), (unit + 1) * kUnitIncidents);
    for (size_t idx = unit * kUnitIncidents; idx < end; ++idx) {
      if (!graph_.incidents()[idx].CountsAt(options_.tau) || SkippedBySince(graph_.incidents()[idx])) continue;
      scoring::Scope scope = IncidentScope(graph_, idx);
      batch.push_back(Decide(*worker.snapshot, scope, Evaluate(*worker.scorer, scope)));
      ++worker.decided;
    }
    return batch;
  }

  // Recommendations only, and of an incident only the top K it keeps (the first K of its whole
  // list, without building the rest).
  scoring::Evaluation Evaluate(scoring::Scorer& scorer, const scoring::Scope& scope) const {
    scoring::EvaluateOptions evaluate{.details = false};
    if (scope.kind == scoring::ScopeKind::kIncident) evaluate.max_recommendations = options_.top;
    return scorer.Evaluate(scope, options_.tau, evaluate);
  }

  // The events and states keeping `scope` in step asks for, against `snapshot` (the run's
  // transaction, or a read transaction of the same snapshot). The feed item carries each
  // technique's path from the recommendation.
  ScopeChanges Decide(const store::ReadTxn& snapshot, const scoring::Scope& scope, const scoring::Evaluation& ev) const {
    ScopeChanges changes;
    changes.scope = FeedScopeOf(scope);
    DecideResilience(snapshot, changes, ev.resilience);
    size_t kept = KeptCount(scope, ev);
    changes.kept.reserve(kept);
    FeedItemView item(changes.scope);  // one item after the other
    std::string key;
    for (size_t rec_idx = 0; rec_idx < kept; ++rec_idx) {
      std::string_view control_id = ViewOf(ev.recommendations[rec_idx], item);
      key = FeedCatalog::ItemKey(changes.scope.kind, changes.scope.id, control_id);
      item.key = key;
      changes.kept.push_back(FeedCatalog::KeyBits(item.key));
      auto stored = FeedCatalog::Item(snapshot, item.key);
      Emission emission;
      emission.at = static_cast<uint32_t>(changes.bytes.size());
      emission.key_size = static_cast<uint32_t>(item.key.size());
      changes.bytes += item.key;
      AppendFingerprint(item, changes.bytes);
      emission.fingerprint_size = static_cast<uint32_t>(changes.bytes.size() - emission.at - emission.key_size);
      std::string_view fingerprint(changes.bytes.data() + emission.at + emission.key_size, emission.fingerprint_size);
      if (!stored || !stored->open) {
        emission.opened = true;
      } else if (stored->fingerprint == fingerprint) {
        changes.bytes.resize(emission.at);
        continue;
      }
      size_t tail_at = changes.bytes.size();
      AppendItemEventTail(emission.opened ? kEventOpened : kEventUpdated, options_.event_time, item, changes.bytes);
      emission.tail_size = static_cast<uint32_t>(changes.bytes.size() - tail_at);
      changes.emissions.push_back(emission);
    }
    return changes;
  }

  // On the writing thread: the scope's events (its resilience drop first) and states.
  void Apply(ScopeChanges& changes) {
    if (changes.drop) {
      ++seq_;
      FeedCatalog::Append(txn_, seq_, EventJson(seq_, options_.event_time, *changes.drop));
      ++summary_.resilience_dropped;
    }
    if (changes.resilience_changed) {
      state_writes_.PutScopeResilience(changes.scope.kind, changes.scope.id, changes.resilience);
    }
    current_.insert(current_.end(), changes.kept.begin(), changes.kept.end());
    for (const Emission& emission : changes.emissions) {
      ++seq_;
      std::string_view bytes(changes.bytes);
      std::string_view key = bytes.substr(emission.at, emission.key_size);
      std::string_view fingerprint = bytes.substr(emission.at + emission.key_size, emission.fingerprint_size);
      std::string_view tail = bytes.substr(emission.at + emission.key_size + emission.fingerprint_size, emission.tail_size);
      char digits[24];
      auto [end, error] = std::to_chars(digits, digits + sizeof digits, seq_);
      FeedCatalog::Append(txn_, seq_, {EventSeqHead(), std::string_view(digits, end - digits), tail});
      state_writes_.PutItem(key, true, fingerprint, seq_);
      ++(emission.opened ? summary_.opened : summary_.updated);
    }
  }

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

  // The feed item of a recommendation (its fields but the key, which it leaves to the caller),
  // as views into the graph and the evaluation; returns the control id.
  std::string_view ViewOf(const scoring::Recommendation& rec, FeedItemView& item) const {
    const auto& control = graph_.control_info(rec.control).control;
    item.control_id = control.id;
    item.control_title = control.title;
    item.owner = control.owner;
    item.impact = RoundScore(rec.impact);
    item.status = model::ControlStatusName(rec.status);
    item.techniques.clear();
    item.paths.clear();
    for (size_t k = 0; k < rec.techniques.size(); ++k) {
      std::string_view technique = graph_.props(rec.techniques[k]).id;
      item.techniques.push_back(technique);
      item.paths.emplace_back(technique, rec.paths[k]);
    }
    return control.id;
  }

  // scope.resilience_dropped when R fell by kResilienceDropPoints or more since the previous run
  // that evaluated the scope; the stored value is rewritten only when it changed, so a second
  // run on the same data compares equal values and writes nothing.
  static void DecideResilience(const store::ReadTxn& snapshot, ScopeChanges& changes, std::optional<double> resilience) {
    if (resilience) resilience = RoundScore(*resilience);
    const FeedScope& scope = changes.scope;
    auto previous = FeedCatalog::ScopeResilience(snapshot, scope.kind, scope.id);
    if (previous && *previous && resilience && **previous - *resilience >= kResilienceDropPoints - 1e-9) {
      changes.drop = ResilienceDrop{FeedCatalog::ScopeKey(scope.kind, scope.id), scope, **previous, *resilience};
    }
    changes.resilience_changed = !previous || *previous != resilience;
    changes.resilience = resilience;
  }

  // Items published open and not kept in step by this run: resolved when their scope was
  // evaluated or is gone; a scope skipped by --since keeps them.
  void ResolveStale() {
    std::vector<FeedItem> stale;
    bool sorted = false;  // current_ is sorted at the first open item (a first run has none)
    FeedCatalog::ForEachItem(txn_, [&](std::string_view key, const FeedCatalog::ItemState& state) {
      if (!state.open) return;
      if (!sorted) {
        std::sort(current_.begin(), current_.end());
        sorted = true;
      }
      if (std::binary_search(current_.begin(), current_.end(), FeedCatalog::KeyBits(key))) return;
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
    return recommended_scope_ && workers_[0].scorer->Recommends(*recommended_scope_, control, options_.tau);
  }

  store::Store& store_;
  store::WriteTxn& txn_;
  const RunOptions& options_;
  FeedCatalog::StateWrites& state_writes_;  // the item and scope states this run writes, after it
  DefenseGraph graph_;
  std::array<Worker, ScopePipeline::kWorkers> workers_;  // after the join, the first one's Scorer serves ResolveStale
  uint64_t seq_;
  PatchRun patches_;  // advances seq_
  RunSummary summary_;
  bool any_counted_ = false;  // whether any incident counts at τ
  std::unordered_set<std::string> threats_alive_;  // ScopeId of each threat kept in step
  std::vector<scoring::Scope> late_scopes_;  // the threats kept in step, then `all`: units after the incidents
  size_t incident_units_ = 0;
  std::vector<uint64_t> current_;  // KeyBits of the item keys this run keeps in step (ResolveStale sorts them)
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
    summary = BatchRun(store, txn, options, states).Run();
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
