// Ticketing bodies from feed events: Jira Cloud REST v3 create-issue bodies with ADF and
// ServiceNow Table API bodies, per event and per control; text that follows the event (resolved
// bodies say why and never what implementing would raise), priorities, owners and assignees,
// threat names, and hostile text (markup, control characters, long multi-byte titles).
#include "engine/report/tickets.h"

#include <doctest/doctest.h>
#include <rapidjson/document.h>

#include <algorithm>
#include <set>

#include "engine/store/feed_catalog.h"

namespace tidemark::report {
namespace {

FeedItem TicketItem(std::string scope_id = "INC-1042", std::string control_title = "Attack surface reduction rules") {
  FeedItem item;
  item.scope = {"incident", std::move(scope_id), ""};
  item.control_id = "EDR-ASR";
  item.control_title = std::move(control_title);
  item.key = store::FeedCatalog::ItemKey(item.scope.kind, item.scope.id, item.control_id);
  item.impact = 12.5;
  item.techniques = {"T1059.001", "T1566.001"};
  item.paths = {{"T1059.001", "mitigation:M1038"}, {"T1566.001", "direct"}};
  item.status = "to-address";
  return item;
}

FeedItem Resolved(ResolveReason reason) {
  FeedItem item = TicketItem();
  item.reason = reason;
  item.status = reason == ResolveReason::kImplemented ? "completed" : "to-address";
  return item;
}

rapidjson::Document Parse(const std::string& json) {
  rapidjson::Document doc;
  doc.Parse<rapidjson::kParseValidateEncodingFlag>(json.c_str());
  REQUIRE_MESSAGE(!doc.HasParseError(), json);
  return doc;
}

TicketOptions Options(std::string project = "SEC") {
  TicketOptions options;
  options.jira_project = std::move(project);
  return options;
}

rapidjson::Document Jira(std::string_view event, const FeedItem& item, const TicketOptions& options = Options()) {
  auto body = JiraBody(EventJson(3, event, 0, item), options);
  REQUIRE(body.ok());
  return Parse(*body);
}

rapidjson::Document Snow(std::string_view event, const FeedItem& item) {
  auto body = ServiceNowBody(EventJson(3, event, 0, item));
  REQUIRE(body.ok());
  return Parse(*body);
}

bool HasControlCharacter(std::string_view text) {
  return std::any_of(text.begin(), text.end(), [](char c) {
    auto byte = static_cast<unsigned char>(c);
    return byte < 0x20 || byte == 0x7f;
  });
}

// Every "text" of an ADF node tree.
void AdfTexts(const rapidjson::Value& node, std::vector<std::string>& out) {
  if (node.HasMember("text")) out.push_back(node["text"].GetString());
  if (node.HasMember("content")) {
    for (const auto& child : node["content"].GetArray()) AdfTexts(child, out);
  }
}

std::string AllAdfText(const rapidjson::Document& body) {
  std::vector<std::string> texts;
  AdfTexts(body["fields"]["description"], texts);
  std::string out;
  for (const auto& t : texts) out += t + "\n";
  return out;
}

std::set<std::string> Labels(const rapidjson::Document& body) {
  std::set<std::string> labels;
  for (const auto& l : body["fields"]["labels"].GetArray()) labels.insert(l.GetString());
  return labels;
}

}  // namespace

TEST_CASE("priority thresholds: >= 10 High, >= 3 Medium, else Low") {
  struct Case {
    double impact;
    const char* jira;
    const char* servicenow;
  };
  for (const auto& c : {Case{50, "High", "1"}, Case{10, "High", "1"}, Case{9.9999, "Medium", "2"}, Case{3, "Medium", "2"},
                        Case{2.9999, "Low", "3"}, Case{0.0001, "Low", "3"}}) {
    CAPTURE(c.impact);
    CHECK(PriorityOf(c.impact) == c.jira);
    FeedItem item = TicketItem();
    item.impact = c.impact;
    CHECK(std::string(Jira(kEventOpened, item)["fields"]["priority"]["name"].GetString()) == c.jira);
    auto snow = Snow(kEventOpened, item);
    CHECK(std::string(snow["urgency"].GetString()) == c.servicenow);
    CHECK(std::string(snow["impact"].GetString()) == c.servicenow);
  }
}

TEST_CASE("Jira opened bodies: project, Task, summary, ADF doc version 1 with the paths, tidemark labels") {
  FeedItem item = TicketItem();
  auto body = Jira(kEventOpened, item, Options("SOC"));
  const auto& fields = body["fields"];
  CHECK(std::string(fields["project"]["key"].GetString()) == "SOC");
  CHECK(std::string(fields["issuetype"]["name"].GetString()) == "Task");
  CHECK(std::string(fields["summary"].GetString()) ==
        "[tidemark] Implement: Attack surface reduction rules (EDR-ASR) for incident INC-1042");
  CHECK(Labels(body) == std::set<std::string>{"tidemark", "tidemark-" + item.key, "tidemark-open"});
  CHECK_FALSE(fields.HasMember("assignee"));
  const auto& doc = fields["description"];
  CHECK(std::string(doc["type"].GetString()) == "doc");
  CHECK(doc["version"].GetInt() == 1);
  CHECK(AllAdfText(body) ==
        "tidemark recommendation.opened: control EDR-ASR (Attack surface reduction rules), status to-address. "
        "Implementing it raises the resilience of incident INC-1042 by 12.50 points.\n"
        "Techniques and paths:\n"
        "INC-1042 -> T1059.001 -> mitigation:M1038 -> EDR-ASR\n"
        "INC-1042 -> T1566.001 -> direct -> EDR-ASR\n"
        "tidemark key " + item.key + " (label tidemark-" + item.key + ")\n");
  // Every ADF node has a type; lists hold listItems.
  CHECK(std::string(doc["content"][2]["type"].GetString()) == "bulletList");
  for (const auto& li : doc["content"][2]["content"].GetArray()) CHECK(std::string(li["type"].GetString()) == "listItem");
  CHECK_FALSE(JiraBody("{\"schema\": \"other\"}", Options()).ok());
  CHECK_FALSE(ServiceNowBody("[1,2").ok());
}

TEST_CASE("resolved Jira bodies say why in the summary and the text, are Low, and never say what implementing raises") {
  auto body = Jira(kEventResolved, Resolved(ResolveReason::kImplemented));
  CHECK(std::string(body["fields"]["summary"].GetString()) ==
        "[tidemark] Resolved (implemented): Attack surface reduction rules (EDR-ASR) for incident INC-1042");
  CHECK(std::string(body["fields"]["priority"]["name"].GetString()) == "Low");
  std::string key = TicketItem().key;
  CHECK(Labels(body) == std::set<std::string>{"tidemark", "tidemark-" + key, "tidemark-resolved", "tidemark-reason-implemented"});
  CHECK(AllAdfText(body) ==
        "tidemark recommendation.resolved (implemented): control EDR-ASR (Attack surface reduction rules) no longer "
        "needs action for incident INC-1042: the control is now implemented. status completed.\n"
        "It had been recommended for these techniques:\n"
        "INC-1042 -> T1059.001 -> mitigation:M1038 -> EDR-ASR\n"
        "INC-1042 -> T1566.001 -> direct -> EDR-ASR\n"
        "tidemark key " + key + " (label tidemark-" + key + ")\n");
}

TEST_CASE("for every reason, resolved bodies name it and its sentence; ServiceNow resolves with a close code at urgency 3") {
  struct Case {
    ResolveReason reason;
    const char* close_code;
  };
  for (const auto& c : {Case{ResolveReason::kImplemented, "Solution provided"},
                        Case{ResolveReason::kCoveredByOthers, "Workaround provided"},
                        Case{ResolveReason::kReclassified, "No resolution provided"},
                        Case{ResolveReason::kScopeGone, "No resolution provided"},
                        Case{ResolveReason::kRiskAccepted, "No resolution provided"},
                        Case{ResolveReason::kOutranked, "No resolution provided"}}) {
    std::string name(ResolveReasonName(c.reason));
    CAPTURE(name);
    FeedItem item = Resolved(c.reason);
    auto jira = Jira(kEventResolved, item);
    std::string summary = jira["fields"]["summary"].GetString();
    CHECK(summary.find("Resolved (" + name + ")") != std::string::npos);
    std::string text = AllAdfText(jira);
    CHECK(text.find(ResolveReasonText(c.reason)) != std::string::npos);
    CHECK(text.find("raises") == std::string::npos);
    CHECK(Labels(jira).count("tidemark-reason-" + name) == 1);

    auto snow = Snow(kEventResolved, item);
    CHECK(std::string(snow["state"].GetString()) == "6");
    CHECK(std::string(snow["urgency"].GetString()) == "3");
    CHECK(std::string(snow["impact"].GetString()) == "3");
    CHECK(std::string(snow["close_code"].GetString()) == c.close_code);
    std::string notes = snow["close_notes"].GetString();
    CHECK(notes.find(ResolveReasonText(c.reason)) != std::string::npos);
    CHECK(std::string(snow["short_description"].GetString()).find("Resolved (" + name + ")") != std::string::npos);
    CHECK(std::string(snow["description"].GetString()).find("raises") == std::string::npos);
    CHECK(std::string(snow["work_notes"].GetString()) ==
          "tidemark recommendation.resolved, reason " + name + " (techniques: T1059.001, T1566.001)");
  }
}

TEST_CASE("ServiceNow open bodies carry correlation_id = key, description and work notes, and no state") {
  FeedItem item = TicketItem();
  auto body = Snow(kEventUpdated, item);
  CHECK(std::string(body["correlation_id"].GetString()) == item.key);
  CHECK(std::string(body["short_description"].GetString()) ==
        "[tidemark] Update: Attack surface reduction rules (EDR-ASR) for incident INC-1042");
  CHECK(std::string(body["description"].GetString()) ==
        "tidemark recommendation.updated: control EDR-ASR (Attack surface reduction rules), status to-address. "
        "Implementing it raises the resilience of incident INC-1042 by 12.50 points.\n"
        "Techniques and paths:\n- INC-1042 -> T1059.001 -> mitigation:M1038 -> EDR-ASR\n"
        "- INC-1042 -> T1566.001 -> direct -> EDR-ASR\n");
  CHECK(std::string(body["work_notes"].GetString()) == "tidemark recommendation.updated (techniques: T1059.001, T1566.001)");
  CHECK_FALSE(body.HasMember("state"));
  CHECK_FALSE(body.HasMember("close_code"));
  CHECK_FALSE(body.HasMember("assignment_group"));
}

TEST_CASE("summaries name a threat by name then ID and `all` as the whole organisation") {
  FeedItem item = TicketItem();
  item.scope = {"group", "G0016", "APT29"};
  CHECK(std::string(Jira(kEventOpened, item)["fields"]["summary"].GetString()) ==
        "[tidemark] Implement: Attack surface reduction rules (EDR-ASR) for APT29 (G0016)");
  item.scope = {"all", "all", ""};
  std::string summary = Snow(kEventOpened, item)["short_description"].GetString();
  CHECK(summary == "[tidemark] Implement: Attack surface reduction rules (EDR-ASR) for the whole organisation");
  CHECK(summary.find("all all") == std::string::npos);
}

TEST_CASE("owners assign: Jira by the account ID the assignees file maps, else an owner label; ServiceNow by assignment_group") {
  auto assignees = JiraAssignees::Parse(R"({"Endpoint Team": "5b10ac8d82e05b22cc7d4ef5"})", "assignees.json");
  REQUIRE(assignees.ok());
  TicketOptions options = Options();
  options.assignees = &*assignees;
  FeedItem item = TicketItem();
  item.owner = "Endpoint Team";
  auto mapped = Jira(kEventOpened, item, options);
  CHECK(std::string(mapped["fields"]["assignee"]["accountId"].GetString()) == "5b10ac8d82e05b22cc7d4ef5");
  CHECK(Labels(mapped) == std::set<std::string>{"tidemark", "tidemark-" + item.key, "tidemark-open"});
  CHECK(AllAdfText(mapped).find("status to-address, owner Endpoint Team.") != std::string::npos);

  item.owner = "Identity & Access";
  auto unmapped = Jira(kEventOpened, item, options);
  CHECK_FALSE(unmapped["fields"].HasMember("assignee"));
  CHECK(Labels(unmapped).count("owner-identity-access") == 1);
  auto no_file = Jira(kEventResolved, Resolved(ResolveReason::kOutranked), Options());
  CHECK(Labels(no_file).count("owner-identity-access") == 0);  // that item has no owner

  auto snow = Snow(kEventOpened, item);
  CHECK(std::string(snow["assignment_group"].GetString()) == "Identity & Access");
}

TEST_CASE("a resilience drop becomes a ticket of its own, prioritised by the points lost") {
  ResilienceDrop drop{store::FeedCatalog::ScopeKey("group", "G0016"), {"group", "G0016", "APT29"}, 52.1, 48.0};
  auto jira = JiraBody(EventJson(9, 0, drop), Options());
  REQUIRE(jira.ok());
  auto body = Parse(*jira);
  CHECK(std::string(body["fields"]["summary"].GetString()) == "[tidemark] Resilience dropped by 4.10 points for APT29 (G0016)");
  CHECK(std::string(body["fields"]["priority"]["name"].GetString()) == "Medium");
  CHECK(Labels(body) == std::set<std::string>{"tidemark", "tidemark-" + drop.key, "tidemark-open", "tidemark-resilience"});
  CHECK(AllAdfText(body).find("the resilience of APT29 (G0016) fell from 52.1 to 48.0 (4.10 points) since the previous run "
                              "that evaluated it. Its techniques and recommendations: tidemark threat \"G0016\".") !=
        std::string::npos);
  auto snow = ServiceNowBody(EventJson(9, 0, drop));
  REQUIRE(snow.ok());
  CHECK(std::string(Parse(*snow)["correlation_id"].GetString()) == drop.key);
  CHECK(std::string(Parse(*snow)["urgency"].GetString()) == "2");
}

TEST_CASE("a per-control ticket lists every scope it serves, highest impact first, and what it no longer serves") {
  ControlTicket ticket;
  ticket.control_id = "EDR-ASR";
  ticket.key = store::FeedCatalog::ControlKey("EDR-ASR");
  ticket.control_title = "Attack surface reduction rules";
  ticket.owner = "Endpoint Team";
  ticket.status = "to-address";
  FeedItem incident = TicketItem("INC-7"), apt = TicketItem(), all = TicketItem(), gone = TicketItem("INC-1");
  incident.impact = 4;
  apt.scope = {"group", "G0016", "APT29"};
  apt.impact = 12.5;
  all.scope = {"all", "all", ""};
  all.impact = 4;
  gone.reason = ResolveReason::kReclassified;
  ticket.open = {incident, apt, all};
  ticket.resolved = {gone};
  auto body = Parse(JiraControlBody(ticket, Options()));
  CHECK(std::string(body["fields"]["summary"].GetString()) ==
        "[tidemark] Implement: Attack surface reduction rules (EDR-ASR) for APT29 (G0016), the whole organisation and incident INC-7");
  CHECK(std::string(body["fields"]["priority"]["name"].GetString()) == "High");
  CHECK(Labels(body) == std::set<std::string>{"tidemark", "tidemark-" + ticket.key, "tidemark-open", "tidemark-control",
                                              "owner-endpoint-team"});
  CHECK(AllAdfText(body) ==
        "tidemark: control EDR-ASR (Attack surface reduction rules), status to-address, owner Endpoint Team, is recommended "
        "for 3 scopes. Implementing it raises the resilience of each by the points shown:\n"
        "APT29 (G0016): +12.50 points (T1059.001, T1566.001)\n"
        "the whole organisation: +4.00 points (T1059.001, T1566.001)\n"
        "incident INC-7: +4.00 points (T1059.001, T1566.001)\n"
        "No longer needed for:\n"
        "incident INC-1: reclassified\n"
        "tidemark key " + ticket.key + " (label tidemark-" + ticket.key + ")\n");

  // Nothing open: resolved, with the first reason by precedence (implemented before the others).
  FeedItem done = TicketItem("INC-7");
  done.reason = ResolveReason::kImplemented;
  ticket.open.clear();
  ticket.resolved = {gone, done};
  ticket.status = "completed";
  auto snow = Parse(ServiceNowControlBody(ticket));
  CHECK(std::string(snow["short_description"].GetString()) ==
        "[tidemark] Resolved (implemented): Attack surface reduction rules (EDR-ASR)");
  CHECK(std::string(snow["state"].GetString()) == "6");
  CHECK(std::string(snow["urgency"].GetString()) == "3");
  CHECK(std::string(snow["close_code"].GetString()) == "Solution provided");
  CHECK(std::string(snow["assignment_group"].GetString()) == "Endpoint Team");
  CHECK(std::string(snow["description"].GetString()) ==
        "tidemark: control EDR-ASR (Attack surface reduction rules) no longer needs action for any scope: the control is now "
        "implemented. status completed, owner Endpoint Team.\nNo longer needed for:\n- incident INC-1: reclassified\n"
        "- incident INC-7: implemented\n");
}

TEST_CASE("a per-control summary that does not fit lists as many scopes as fit and how many more") {
  ControlTicket ticket;
  ticket.control_id = "EDR-ASR";
  ticket.key = store::FeedCatalog::ControlKey("EDR-ASR");
  ticket.control_title = "Attack surface reduction rules";
  for (int idx = 0; idx < 40; ++idx) ticket.open.push_back(TicketItem("INC-" + std::to_string(1000 + idx)));
  std::string summary = Parse(ServiceNowControlBody(ticket))["short_description"].GetString();
  CHECK(summary.size() <= 160);
  CHECK(summary.rfind("[tidemark] Implement: Attack surface reduction rules (EDR-ASR) for incident INC-1000, incident INC-1001", 0) == 0);
  CHECK(summary.find(" more") == summary.size() - 5);
}

TEST_CASE("markup, control characters and long multi-byte titles stay valid and inert in ticket bodies") {
  std::string title = "<script>alert('x')</script>\a\x1b[31m & \"q\"";
  for (int idx = 0; idx < 120; ++idx) title += "\xc3\xa9";  // é, two bytes each: the cut falls inside one
  FeedItem item = TicketItem("INC-<b>9</b>\r\n", title);
  item.owner = "Team\x07 <b>";
  std::string event = EventJson(1, kEventOpened, 0, item);
  Parse(event);  // the event itself is valid JSON (the writer escapes control characters)

  auto jira = Parse(*JiraBody(event, Options("SOC")));  // validated as UTF-8
  std::string summary = jira["fields"]["summary"].GetString();
  CHECK(summary.size() <= 250);
  CHECK_FALSE(HasControlCharacter(summary));
  CHECK(summary.find("<script>") != std::string::npos);  // JSON text, not markup: Jira renders it as text
  std::vector<std::string> texts;
  AdfTexts(jira["fields"]["description"], texts);
  for (const auto& text : texts) CHECK_FALSE(HasControlCharacter(text));
  CHECK(Labels(jira).count("owner-team-b") == 1);

  auto snow = Parse(*ServiceNowBody(event));
  std::string short_description = snow["short_description"].GetString();
  CHECK(short_description.size() <= 160);
  CHECK_FALSE(HasControlCharacter(short_description));
  CHECK_FALSE(HasControlCharacter(snow["work_notes"].GetString()));
  CHECK_FALSE(HasControlCharacter(snow["assignment_group"].GetString()));
  std::string description = snow["description"].GetString();
  CHECK(description.find('\a') == std::string::npos);
  CHECK(description.find('\r') == std::string::npos);
  CHECK(description.find('\n') != std::string::npos);  // line breaks kept in the long text
}

}  // namespace tidemark::report
