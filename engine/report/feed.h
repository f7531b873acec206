// Feed events (SPEC §4 "Feed", docs/feed-and-tickets.md): one FeedItem per (scope, control)
// recommendation a run keeps in step, the event JSON of schema tidemark.feed/1 built from it,
// the scope event `scope.resilience_dropped`, the item JSON a run stores as the last published
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
std::string EventJson(uint64_t seq, TimeMs time, const ResilienceDrop& drop);

// The item as a JSON object (the event's fields after "time"), what a run stores as the last
// published state; ParseItem reads it back (and the state JSON of version-1 stores, which
// carried an extra "open"). nullopt when `json` is not an object.
std::string ItemJson(const FeedItem& item);
std::optional<FeedItem> ParseItem(std::string_view json);

// An event line read back. `item` is set for recommendation.* events, `drop` for
// scope.resilience_dropped; other event names keep only `event`, `seq` and `time`.
struct FeedEvent {
  uint64_t seq = 0;
  std::string event;
  std::string time;
  std::optional<FeedItem> item;
  std::optional<ResilienceDrop> drop;
};
// BadInput when the line is not a tidemark.feed/1 event.
Result<FeedEvent> ParseEvent(std::string_view event_json);

}  // namespace tidemark::report
