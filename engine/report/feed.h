// Feed events (SPEC §4 "Feed", docs/feed-and-tickets.md): one FeedItem per (scope, control)
// recommendation a run keeps in step, the event JSON of schema tidemark.feed/1 built from it,
// one PatchItem per (scope, software) patch (patch.* events, SPEC v2 §3 "Vulnerability
// exposure"), the scope event `scope.resilience_dropped`, the item JSON a run stores as the last published
// state, and the reading of an event line back (for ticket bodies). Pure functions; thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "engine/core/status.h"
#include "engine/core/time_util.h"

namespace tidemark::report {

inline constexpr std::string_view kEventOpened = "recommendation.opened";
inline constexpr std::string_view kEventUpdated = "recommendation.updated";
inline constexpr std::string_view kEventResolved = "recommendation.resolved";
inline constexpr std::string_view kEventResilienceDropped = "scope.resilience_dropped";

inline constexpr std::string_view kEventPatchOpened = "patch.opened";
inline constexpr std::string_view kEventPatchUpdated = "patch.updated";
inline constexpr std::string_view kEventPatchResolved = "patch.resolved";

// Why a recommendation.resolved event resolved (SPEC v2 §4 "reason"); how each is decided is
// RunBatch's (batch_run.h) and docs/feed-and-tickets.md's.
enum class ResolveReason { kImplemented, kCoveredByOthers, kReclassified, kScopeGone, kRiskAccepted, kOutranked };
std::string_view ResolveReasonName(ResolveReason reason);  // "implemented", "covered-by-others", ...
std::optional<ResolveReason> ParseResolveReason(std::string_view text);
// One sentence for ticket text saying why the item resolved ("the control is now implemented").
std::string_view ResolveReasonText(ResolveReason reason);

// The scope of an event. `name` is the display name of an ATT&CK threat ("APT29"); empty for
// incidents, custom threats (their id is their name) and `all`.
struct FeedScope {
  std::string kind;  // incident, group, campaign, software, custom, all
  std::string id;
  std::string name;
};
// How ticket text names a scope: "incident INC-1042", "APT29 (G0016)", "group G0016" (no
// name known), "custom threat Crew", "the whole organisation" (all).
std::string ScopePhrase(const FeedScope& scope);

struct FeedItem {
  std::string key;
  FeedScope scope;
  std::string control_id;
  std::string control_title;
  std::string owner;  // the control's owner, or empty (then no "owner" field)
  double impact = 0;  // rounded to 4 decimals; on a resolved event the last published impact
  std::vector<std::string> techniques;
  std::vector<std::pair<std::string, std::string>> paths;  // (technique, via)
  std::string status;  // the control's status
  std::optional<ResolveReason> reason;  // resolved events only
};

// A FeedItem whose fields point into storage that outlives it (the run's graph and evaluation):
// what a batch run renders an opened or updated event from without copying a string per field.
struct FeedItemView {
  explicit FeedItemView(const FeedScope& item_scope) : scope(item_scope) {}
  std::string_view key;
  const FeedScope& scope;
  std::string_view control_id;
  std::string_view control_title;
  std::string_view owner;
  double impact = 0;
  std::vector<std::string_view> techniques;
  std::vector<std::pair<std::string_view, std::string_view>> paths;
  std::string_view status;
  std::optional<ResolveReason> reason;  // resolved events only: never set on a view
};

// Why a patch.resolved event resolved; decided by PatchRun (patch_run.h) in this order:
// scope-gone (the scope is no longer kept in step), patched (no finding of the software is open
// at τ any more), no-impact (findings are open but fixing them would no longer lower the
// scope's vulnerability exposure).
enum class PatchResolveReason { kScopeGone, kPatched, kNoImpact };
std::string_view PatchResolveReasonName(PatchResolveReason reason);  // "scope-gone", "patched", "no-impact"
std::optional<PatchResolveReason> ParsePatchResolveReason(std::string_view text);
std::string_view PatchResolveReasonText(PatchResolveReason reason);  // one sentence for ticket text

// A (scope, software) patch a run keeps in step: scoring::Patch as published.
struct PatchItem {
  std::string key;  // FeedCatalog::PatchKey(scope kind, scope id, software)
  FeedScope scope;
  std::string software;   // the software key ("apache/log4j"), or the CVE of a finding without software
  double impact = 0;      // the fall of VE, rounded to 4 decimals; on a resolved event as last published
  std::vector<std::string> cves;
  size_t assets = 0;
  std::vector<std::string> techniques;
  std::string remediation_type;  // software or firmware
  bool kev = false;
  bool ransomware = false;
  std::string due_date;  // earliest KEV due date, or "" (null)
  std::optional<PatchResolveReason> reason;  // resolved events only
};

// A scope whose resilience fell by at least kResilienceDropPoints since the previous run that
// evaluated it.
inline constexpr double kResilienceDropPoints = 2.0;
struct ResilienceDrop {
  std::string key;
  FeedScope scope;
  double previous = 0;    // rounded to 4 decimals
  double resilience = 0;  // rounded to 4 decimals
};

// One NDJSON line (no newline) of schema tidemark.feed/1: a recommendation.* event, or
// scope.resilience_dropped.
std::string EventJson(uint64_t seq, std::string_view event, TimeMs time, const FeedItem& item);
// The same event cut around its seq, for a writer that numbers events away from where their
// items are built (a batch run builds them on its worker threads): EventSeqHead(), the decimal
// seq, then what AppendItemEventTail appends to `out` (from the comma after the seq to the
// closing brace) are the bytes of EventJson(seq, event, time, item).
std::string_view EventSeqHead();
void AppendItemEventTail(std::string_view event, TimeMs time, const FeedItem& item, std::string& out);
void AppendItemEventTail(std::string_view event, TimeMs time, const FeedItemView& item, std::string& out);
std::string EventJson(uint64_t seq, TimeMs time, const ResilienceDrop& drop);
std::string EventJson(uint64_t seq, std::string_view event, TimeMs time, const PatchItem& patch);

// The item of a JSON object with its fields: a recommendation.* event, or the item JSON that
// stores before feed_state layout 2 kept as the last published state (version-1 stores'
// carried an extra "open"); FeedCatalog::Published gives either. nullopt when `json` is not an
// object.
std::optional<FeedItem> ParseItem(std::string_view json);
// The same for patch items (a patch.* event, or a patch item JSON of layout 1).
std::optional<PatchItem> ParsePatchItem(std::string_view json);

// An event line read back. `item` is set for recommendation.* events, `patch` for patch.*,
// `drop` for scope.resilience_dropped; other event names keep only `event`, `seq` and `time`.
struct FeedEvent {
  uint64_t seq = 0;
  std::string event;
  std::string time;
  std::optional<FeedItem> item;
  std::optional<ResilienceDrop> drop;
  std::optional<PatchItem> patch;
};
// BadInput when the line is not a tidemark.feed/1 event.
Result<FeedEvent> ParseEvent(std::string_view event_json);

}  // namespace tidemark::report
