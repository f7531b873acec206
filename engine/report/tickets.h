// Ticketing bodies built from feed events (docs/feed-and-tickets.md): Jira Cloud REST v3
// create-issue bodies (ADF description, `tidemark-<key>` label) and ServiceNow Table API bodies
// (`correlation_id` = key), one per event, or one per control listing every scope it serves
// (`feed --per-control`).
//
// The text follows the event: an opened or updated body says what implementing the control
// raises; a resolved body says why it resolved (the event's reason) and never what implementing
// it would raise, and is not urgent (Jira Low, ServiceNow urgency and impact 3, state 6 with a
// close code and notes). Owners assign: Jira by account ID from JiraAssignees, else a label
// `owner-<slug>`; ServiceNow by `assignment_group`.
//
// Free text has control characters replaced by spaces; summaries are cut to the field limits
// (Jira 250, ServiceNow 160 bytes) on a UTF-8 boundary. Pure functions; thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "engine/core/status.h"
#include "engine/report/feed.h"
#include "engine/report/jira_assignees.h"

namespace tidemark::report {

struct TicketOptions {
  std::string jira_project = "SEC";
  const JiraAssignees* assignees = nullptr;  // owner -> Jira account ID; null: labels only
};

// Priority of an open recommendation from its impact (and of a resilience drop from its
// points): >= 10 High, >= 3 Medium, else Low. ServiceNow urgency/impact 1, 2, 3.
std::string_view PriorityOf(double points);

// One body per event line; BadInput when the line is not a tidemark event. Events of another
// kind than recommendation.*, patch.* and scope.resilience_dropped are BadInput too (a newer
// feed). A patch body names the software, its CVEs, assets, techniques and KEV facts and what
// fixing it lowers the scope's vulnerability exposure by (priority from that fall, at least
// Medium for a KEV CVE); a resolved one says why (close code Solution provided for patched,
// Workaround provided for no-impact, No resolution provided for scope-gone) and never what
// fixing it would lower.
Result<std::string> JiraBody(std::string_view event_json, const TicketOptions& options);
Result<std::string> ServiceNowBody(std::string_view event_json);

// Everything a per-control ticket says: the control and the items of every scope the feed keeps
// for it, as last published.
struct ControlTicket {
  std::string key;  // FeedCatalog::ControlKey(control id)
  std::string control_id;
  std::string control_title;
  std::string owner;
  std::string status;              // the control's status in its latest item
  std::vector<FeedItem> open;      // the scopes it serves now, highest impact first
  std::vector<FeedItem> resolved;  // the scopes it no longer serves, each with its reason
};
// Open while any scope is open (priority from the highest impact); else resolved, with the
// reason the scopes share or, when they differ, the first of implemented, risk-accepted,
// covered-by-others, outranked, reclassified, scope-gone present.
std::string JiraControlBody(const ControlTicket& ticket, const TicketOptions& options);
std::string ServiceNowControlBody(const ControlTicket& ticket);

}  // namespace tidemark::report
