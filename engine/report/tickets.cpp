#include "engine/report/tickets.h"

#include <algorithm>
#include <cstdio>
#include <tuple>

#include "engine/core/json.h"
#include "engine/core/terminal_text.h"
#include "engine/report/number_format.h"
#include "engine/report/text_table.h"

namespace tidemark::report {
namespace {

constexpr size_t kJiraSummaryBytes = 250;
constexpr size_t kServiceNowSummaryBytes = 160;

// What a ticket says, whatever the system: rendered as Jira fields + ADF or as a ServiceNow
// record by the two renderers below.
struct Ticket {
  std::string key;
  std::string summary_head;                 // "[tidemark] Implement: Title (ID)"
  std::vector<std::string> summary_scopes;  // " for a, b and 3 more", cut to the field limit
  std::string lead;                         // the first paragraph
  struct Section {
    std::string heading;
    std::vector<std::string> bullets;
  };
  std::vector<Section> sections;
  std::string_view priority = "Low";
  bool resolved = false;
  std::optional<ResolveReason> reason;
  std::string_view close_code;  // ServiceNow close code when not that of `reason` (patches)
  std::string owner;
  std::vector<std::string> labels;  // beyond tidemark, tidemark-<key>, tidemark-open/resolved
  std::string work_notes;
};

// Ticket text: terminal controls and bidi overrides (an escape sequence in a title, U+202E in
// a control name) become visible escapes (engine/core/terminal_text.h), except newlines where
// `keep_newlines`; JSON escaping is the writer's job.
std::string TicketText(std::string_view text, bool keep_newlines = false) {
  return keep_newlines ? NeutralizeLines(text) : NeutralizeText(text);
}

// At most `max_bytes` bytes without cutting a UTF-8 sequence in two (Jira and ServiceNow cap
// their summary fields; a split sequence would make the body invalid UTF-8).
std::string Truncate(std::string text, size_t max_bytes) {
  if (text.size() <= max_bytes) return text;
  size_t end = max_bytes;
  while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) --end;
  text.resize(end);
  return text;
}

// "a", "a and b", "a, b and c"; when the whole list does not fit in `max_bytes`, as many as fit
// then "and N more".
std::string JoinScopes(const std::vector<std::string>& phrases, size_t max_bytes) {
  auto join = [&](size_t count, size_t more) {
    std::string out;
    for (size_t idx = 0; idx < count; ++idx) {
      bool last = idx + 1 == count && more == 0;
      out += idx == 0 ? "" : last ? " and " : ", ";
      out += phrases[idx];
    }
    if (more > 0) out += (count == 0 ? "" : " and ") + std::to_string(more) + " more";
    return out;
  };
  for (size_t count = phrases.size();; --count) {
    std::string text = join(count, phrases.size() - count);
    if (text.size() <= max_bytes || count == 0) return text;
  }
}

std::string Summary(const Ticket& ticket, size_t max_bytes) {
  std::string head = TicketText(ticket.summary_head);
  if (ticket.summary_scopes.empty()) return Truncate(head, max_bytes);
  std::vector<std::string> phrases;
  for (const auto& phrase : ticket.summary_scopes) phrases.push_back(TicketText(phrase));
  head += " for ";
  size_t room = max_bytes > head.size() ? max_bytes - head.size() : 0;
  return Truncate(head + JoinScopes(phrases, room), max_bytes);
}

std::string Joined(const std::vector<std::string>& values) {
  std::string out;
  for (const auto& value : values) out += (out.empty() ? "" : ", ") + value;
  return out;
}

std::string ControlName(const std::string& id, const std::string& title) {
  return (title.empty() ? id : title) + " (" + id + ")";
}

std::string StatusAndOwner(const std::string& status, const std::string& owner) {
  std::string out = "status " + (status.empty() ? std::string("unknown") : status);
  if (!owner.empty()) out += ", owner " + owner;
  return out;
}

// What `tidemark` command shows a scope, for the reader of a ticket.
std::string ScopeCommand(const FeedScope& scope) {
  if (scope.kind == "incident") return "tidemark incident " + scope.id;
  if (scope.kind == "all") return "tidemark threat all";
  return "tidemark threat \"" + scope.id + "\"";
}

// ServiceNow close codes (the default choice list of the incident table) by reason.
std::string_view CloseCode(std::optional<ResolveReason> reason) {
  if (reason == ResolveReason::kImplemented) return "Solution provided";
  if (reason == ResolveReason::kCoveredByOthers) return "Workaround provided";
  return "No resolution provided";
}

Ticket ItemTicket(const std::string& event, const FeedItem& item) {
  Ticket ticket;
  ticket.key = item.key;
  ticket.owner = item.owner;
  std::string control = ControlName(item.control_id, item.control_title);
  std::string scope = ScopePhrase(item.scope);
  ticket.summary_scopes = {scope};
  Ticket::Section paths;
  for (const auto& [technique, via] : item.paths) {
    paths.bullets.push_back(item.scope.id + " -> " + technique + " -> " + via + " -> " + item.control_id);
  }
  if (event == kEventResolved) {
    ticket.resolved = true;
    ticket.reason = item.reason;
    std::string why = item.reason ? " (" + std::string(ResolveReasonName(*item.reason)) + ")" : "";
    ticket.summary_head = "[tidemark] Resolved" + why + ": " + control;
    ticket.lead = "tidemark " + event + why + ": control " + item.control_id + " (" + item.control_title +
                  ") no longer needs action for " + scope +
                  (item.reason ? ": " + std::string(ResolveReasonText(*item.reason)) : std::string()) + ". " +
                  StatusAndOwner(item.status, item.owner) + ".";
    paths.heading = "It had been recommended for these techniques:";
    ticket.labels.push_back("tidemark-resolved");
    if (item.reason) ticket.labels.push_back("tidemark-reason-" + std::string(ResolveReasonName(*item.reason)));
    ticket.work_notes = "tidemark " + event + (item.reason ? ", reason " + std::string(ResolveReasonName(*item.reason)) : "") +
                        " (techniques: " + Joined(item.techniques) + ")";
  } else {
    ticket.summary_head = std::string("[tidemark] ") + (event == kEventOpened ? "Implement" : "Update") + ": " + control;
    ticket.priority = PriorityOf(item.impact);
    ticket.lead = "tidemark " + event + ": control " + item.control_id + " (" + item.control_title + "), " +
                  StatusAndOwner(item.status, item.owner) + ". Implementing it raises the resilience of " + scope + " by " +
                  FormatPoints(item.impact) + " points.";
    paths.heading = "Techniques and paths:";
    ticket.labels.push_back("tidemark-open");
    ticket.work_notes = "tidemark " + event + " (techniques: " + Joined(item.techniques) + ")";
  }
  ticket.sections.push_back(std::move(paths));
  return ticket;
}

Ticket DropTicket(const ResilienceDrop& drop) {
  Ticket ticket;
  ticket.key = drop.key;
  double points = RoundScore(drop.previous - drop.resilience);
  std::string scope = ScopePhrase(drop.scope);
  ticket.summary_head = "[tidemark] Resilience dropped by " + FormatPoints(points) + " points";
  ticket.summary_scopes = {scope};
  ticket.priority = PriorityOf(points);
  ticket.lead = "tidemark " + std::string(kEventResilienceDropped) + ": the resilience of " + scope + " fell from " +
                FormatScore(drop.previous) + " to " + FormatScore(drop.resilience) + " (" + FormatPoints(points) +
                " points) since the previous run that evaluated it. Its techniques and recommendations: " +
                ScopeCommand(drop.scope) + ".";
  ticket.labels = {"tidemark-open", "tidemark-resilience"};
  ticket.work_notes = "tidemark " + std::string(kEventResilienceDropped) + " (" + FormatScore(drop.previous) + " -> " +
                      FormatScore(drop.resilience) + ")";
  return ticket;
}

// A patch.* event: update a software so that the vulnerability exposure of a scope falls.
Ticket PatchTicket(const std::string& event, const PatchItem& patch) {
  Ticket ticket;
  ticket.key = patch.key;
  std::string scope = ScopePhrase(patch.scope);
  std::string name = "patch " + patch.software;
  ticket.summary_scopes = {scope};
  std::string assets = Plural(patch.assets, "asset");
  std::string kev;
  if (patch.kev) {
    kev = " In the CISA KEV catalog" + std::string(patch.ransomware ? ", known ransomware use" : "") +
          (patch.due_date.empty() ? "" : ", due " + patch.due_date) + ".";
  }
  Ticket::Section cves{"CVEs:", patch.cves};
  Ticket::Section techniques{"", {}};
  for (const auto& technique : patch.techniques) techniques.bullets.push_back(technique);
  ticket.labels.push_back("tidemark-patch");
  if (event == kEventPatchResolved) {
    ticket.resolved = true;
    std::string reason = patch.reason ? std::string(PatchResolveReasonName(*patch.reason)) : "";
    std::string why = reason.empty() ? "" : " (" + reason + ")";
    ticket.summary_head = "[tidemark] Resolved" + why + ": " + name;
    ticket.lead = "tidemark " + event + why + ": " + name + " no longer needs action for " + scope +
                  (patch.reason ? ": " + std::string(PatchResolveReasonText(*patch.reason)) : std::string()) + ".";
    techniques.heading = "It had been listed for these techniques:";
    ticket.close_code = patch.reason == PatchResolveReason::kPatched    ? "Solution provided"
                        : patch.reason == PatchResolveReason::kNoImpact ? "Workaround provided"
                                                                        : "No resolution provided";
    ticket.labels.push_back("tidemark-resolved");
    if (!reason.empty()) ticket.labels.push_back("tidemark-reason-" + reason);
    ticket.work_notes = "tidemark " + event + (reason.empty() ? "" : ", reason " + reason) + " (CVEs: " + Joined(patch.cves) + ")";
  } else {
    ticket.summary_head = std::string("[tidemark] ") + (event == kEventPatchOpened ? "Patch" : "Update patch") + ": " + patch.software;
    std::string_view priority = PriorityOf(patch.impact);
    ticket.priority = patch.kev && priority == "Low" ? "Medium" : priority;
    ticket.lead = "tidemark " + event + ": " + name + " (" + patch.remediation_type + " update), open on " + assets +
                  ". Fixing its findings lowers the vulnerability exposure of " + scope + " by " + FormatPoints(patch.impact) +
                  " points." + kev;
    techniques.heading = "Techniques its CVEs give attackers:";
    ticket.labels.push_back("tidemark-open");
    ticket.work_notes = "tidemark " + event + " (CVEs: " + Joined(patch.cves) + ")";
  }
  ticket.sections.push_back(std::move(cves));
  ticket.sections.push_back(std::move(techniques));
  return ticket;
}

// The order scopes are listed in a per-control ticket: the whole organisation, threats, incidents.
int KindRank(const std::string& kind) {
  if (kind == "all") return 0;
  if (kind == "incident") return 2;
  return 1;
}

ResolveReason DominantReason(const std::vector<FeedItem>& resolved) {
  constexpr ResolveReason kPrecedence[] = {ResolveReason::kImplemented, ResolveReason::kRiskAccepted,
                                           ResolveReason::kCoveredByOthers, ResolveReason::kOutranked,
                                           ResolveReason::kReclassified, ResolveReason::kScopeGone};
  for (ResolveReason reason : kPrecedence) {
    if (std::any_of(resolved.begin(), resolved.end(), [&](const FeedItem& item) { return item.reason == reason; })) {
      return reason;
    }
  }
  return ResolveReason::kScopeGone;
}

Ticket PerControlTicket(const ControlTicket& control) {
  Ticket ticket;
  ticket.key = control.key;
  ticket.owner = control.owner;
  auto order = [](const FeedItem& a, const FeedItem& b) {
    if (a.impact != b.impact) return a.impact > b.impact;
    if (KindRank(a.scope.kind) != KindRank(b.scope.kind)) return KindRank(a.scope.kind) < KindRank(b.scope.kind);
    return std::tie(a.scope.kind, a.scope.id) < std::tie(b.scope.kind, b.scope.id);
  };
  std::vector<FeedItem> open = control.open, resolved = control.resolved;
  std::sort(open.begin(), open.end(), order);
  std::sort(resolved.begin(), resolved.end(), order);
  std::string name = ControlName(control.control_id, control.control_title);
  Ticket::Section gone{"No longer needed for:", {}};
  for (const auto& item : resolved) {
    gone.bullets.push_back(ScopePhrase(item.scope) + ": " +
                           (item.reason ? std::string(ResolveReasonName(*item.reason)) : std::string("resolved")));
  }
  if (!open.empty()) {
    ticket.summary_head = "[tidemark] Implement: " + name;
    for (const auto& item : open) ticket.summary_scopes.push_back(ScopePhrase(item.scope));
    ticket.priority = PriorityOf(open.front().impact);
    ticket.lead = "tidemark: control " + control.control_id + " (" + control.control_title + "), " +
                  StatusAndOwner(control.status, control.owner) + ", is recommended for " + std::to_string(open.size()) +
                  (open.size() == 1 ? " scope" : " scopes") + ". Implementing it raises the resilience of each by the points shown:";
    Ticket::Section serves{"", {}};
    for (const auto& item : open) {
      serves.bullets.push_back(ScopePhrase(item.scope) + ": " + FormatImpact(item.impact) + " points (" + Joined(item.techniques) + ")");
    }
    ticket.sections.push_back(std::move(serves));
    ticket.labels = {"tidemark-open", "tidemark-control"};
    ticket.work_notes = "tidemark per-control ticket: " + std::to_string(open.size()) + " open, " +
                        std::to_string(resolved.size()) + " resolved";
  } else {
    ResolveReason reason = DominantReason(resolved);
    ticket.resolved = true;
    ticket.reason = reason;
    ticket.summary_head = "[tidemark] Resolved (" + std::string(ResolveReasonName(reason)) + "): " + name;
    ticket.lead = "tidemark: control " + control.control_id + " (" + control.control_title +
                  ") no longer needs action for any scope: " + std::string(ResolveReasonText(reason)) + ". " +
                  StatusAndOwner(control.status, control.owner) + ".";
    ticket.labels = {"tidemark-resolved", "tidemark-control", "tidemark-reason-" + std::string(ResolveReasonName(reason))};
    ticket.work_notes = "tidemark per-control ticket resolved, reason " + std::string(ResolveReasonName(reason)) + " (" +
                        std::to_string(resolved.size()) + (resolved.size() == 1 ? " scope)" : " scopes)");
  }
  if (!gone.bullets.empty()) ticket.sections.push_back(std::move(gone));
  return ticket;
}

template <typename W>
void AdfText(W& w, std::string_view text) {
  w.StartObject();
  WriteField(w, "type", "text");
  WriteField(w, "text", TicketText(text));
  w.EndObject();
}

template <typename W>
void AdfParagraph(W& w, std::string_view text) {
  w.StartObject();
  WriteField(w, "type", "paragraph");
  w.Key("content");
  w.StartArray();
  AdfText(w, text);
  w.EndArray();
  w.EndObject();
}

template <typename W>
void AdfBulletList(W& w, const std::vector<std::string>& bullets) {
  w.StartObject();
  WriteField(w, "type", "bulletList");
  w.Key("content");
  w.StartArray();
  for (const auto& bullet : bullets) {
    w.StartObject();
    WriteField(w, "type", "listItem");
    w.Key("content");
    w.StartArray();
    AdfParagraph(w, bullet);
    w.EndArray();
    w.EndObject();
  }
  w.EndArray();
  w.EndObject();
}

std::string RenderJira(const Ticket& ticket, const TicketOptions& options) {
  std::optional<std::string_view> account;
  if (!ticket.owner.empty() && options.assignees) account = options.assignees->AccountOf(ticket.owner);
  rapidjson::StringBuffer buf;
  JsonWriter w(buf);
  w.StartObject();
  w.Key("fields");
  w.StartObject();
  w.Key("project");
  w.StartObject();
  WriteField(w, "key", options.jira_project);
  w.EndObject();
  WriteField(w, "summary", Summary(ticket, kJiraSummaryBytes));
  w.Key("issuetype");
  w.StartObject();
  WriteField(w, "name", "Task");
  w.EndObject();
  w.Key("priority");
  w.StartObject();
  WriteField(w, "name", ticket.resolved ? "Low" : ticket.priority);
  w.EndObject();
  if (account) {
    w.Key("assignee");
    w.StartObject();
    WriteField(w, "accountId", *account);
    w.EndObject();
  }
  w.Key("labels");
  w.StartArray();
  WriteString(w, "tidemark");
  WriteString(w, "tidemark-" + ticket.key);
  for (const auto& label : ticket.labels) WriteString(w, label);
  if (!ticket.owner.empty() && !account) WriteString(w, OwnerLabel(ticket.owner));
  w.EndArray();
  w.Key("description");
  w.StartObject();
  WriteField(w, "type", "doc");
  w.Key("version");
  w.Int(1);
  w.Key("content");
  w.StartArray();
  AdfParagraph(w, ticket.lead);
  for (const auto& section : ticket.sections) {
    if (section.bullets.empty()) continue;
    if (!section.heading.empty()) AdfParagraph(w, section.heading);
    AdfBulletList(w, section.bullets);
  }
  AdfParagraph(w, "tidemark key " + ticket.key + " (label tidemark-" + ticket.key + ")");
  w.EndArray();
  w.EndObject();
  w.EndObject();
  w.EndObject();
  return std::string(buf.GetString(), buf.GetSize());
}

std::string RenderServiceNow(const Ticket& ticket) {
  std::string_view priority = ticket.resolved ? "Low" : ticket.priority;
  std::string level = priority == "High" ? "1" : priority == "Medium" ? "2" : "3";
  std::string description = ticket.lead + "\n";
  for (const auto& section : ticket.sections) {
    if (section.bullets.empty()) continue;
    if (!section.heading.empty()) description += section.heading + "\n";
    for (const auto& bullet : section.bullets) description += "- " + bullet + "\n";
  }
  rapidjson::StringBuffer buf;
  JsonWriter w(buf);
  w.StartObject();
  WriteField(w, "correlation_id", ticket.key);
  WriteField(w, "correlation_display", "tidemark");
  WriteField(w, "short_description", Summary(ticket, kServiceNowSummaryBytes));
  WriteField(w, "description", TicketText(description, /*keep_newlines=*/true));
  WriteField(w, "work_notes", TicketText(ticket.work_notes));
  WriteField(w, "urgency", level);
  WriteField(w, "impact", level);
  if (!ticket.owner.empty()) WriteField(w, "assignment_group", TicketText(ticket.owner));
  if (ticket.resolved) {
    WriteField(w, "state", "6");
    WriteField(w, "close_code", ticket.close_code.empty() ? CloseCode(ticket.reason) : ticket.close_code);
    WriteField(w, "close_notes", TicketText(ticket.lead));
  }
  w.EndObject();
  return std::string(buf.GetString(), buf.GetSize());
}

Result<Ticket> EventTicket(std::string_view event_json) {
  auto event = ParseEvent(event_json);
  if (!event.ok()) return event.status();
  if (event->item) return ItemTicket(event->event, *event->item);
  if (event->drop) return DropTicket(*event->drop);
  if (event->patch) return PatchTicket(event->event, *event->patch);
  return Status::BadInput("feed event " + std::to_string(event->seq) + ": no ticket for event \"" + event->event + "\"");
}

}  // namespace

std::string_view PriorityOf(double points) {
  if (points >= 10) return "High";
  if (points >= 3) return "Medium";
  return "Low";
}

Result<std::string> JiraBody(std::string_view event_json, const TicketOptions& options) {
  auto ticket = EventTicket(event_json);
  if (!ticket.ok()) return ticket.status();
  return RenderJira(*ticket, options);
}

Result<std::string> ServiceNowBody(std::string_view event_json) {
  auto ticket = EventTicket(event_json);
  if (!ticket.ok()) return ticket.status();
  return RenderServiceNow(*ticket);
}

std::string JiraControlBody(const ControlTicket& ticket, const TicketOptions& options) {
  return RenderJira(PerControlTicket(ticket), options);
}

std::string ServiceNowControlBody(const ControlTicket& ticket) { return RenderServiceNow(PerControlTicket(ticket)); }

}  // namespace tidemark::report
