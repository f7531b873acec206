// Feed events (SPEC §4 "Feed") and what a batch run compares: one FeedItem per (scope,
// control) recommendation, its stable key, the event JSON, the stored state, and the
// ticketing bodies derived from an event (Jira Cloud REST v3 create-issue with an ADF
// description; ServiceNow Table API). Pure functions; thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "engine/core/status.h"
#include "engine/core/time_util.h"

namespace tidemark::report {

struct FeedItem {
  std::string key;
  std::string scope_kind;
  std::string scope_id;
  std::string control_id;
  std::string control_title;
  double impact = 0;  // rounded to 4 decimals
  std::vector<std::string> techniques;
  std::vector<std::pair<std::string, std::string>> paths;  // (technique, via)
  std::string status;  // the control's status
};

// A key that depends only on scope and control: 16 hex digits of FNV-1a 64 over
// "<kind>\0<scope id>\0<control id>". Safe as a Jira label suffix and a correlation id.
std::string FeedKey(std::string_view scope_kind, std::string_view scope_id, std::string_view control_id);

// One NDJSON line (no newline) of schema tidemark.feed/1.
std::string EventJson(uint64_t seq, std::string_view event, TimeMs time, const FeedItem& item);

// What the feed last published for a key; `open` is false after recommendation.resolved.
struct FeedState {
  bool open = false;
  FeedItem item;
};
std::string StateJson(const FeedState& state);
std::optional<FeedState> ParseState(std::string_view json);

// Priority of a recommendation from its impact (README): >= 10 High, >= 3 Medium, else Low.
std::string_view PriorityOf(double impact);

// Ticketing bodies from one event line; BadInput when the line is not a tidemark event.
// Their free text has control characters replaced by spaces; summaries are cut to the
// field limits (Jira 250, ServiceNow 160 bytes) on a UTF-8 boundary.
Result<std::string> JiraBody(std::string_view event_json, std::string_view project_key);
Result<std::string> ServiceNowBody(std::string_view event_json);

}  // namespace tidemark::report
