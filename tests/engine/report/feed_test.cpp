// Feed events and the ticketing bodies built from them: the key, the event JSON, states, Jira
// Cloud REST v3 create-issue bodies with ADF, ServiceNow Table API bodies, priorities, and what
// happens to hostile text (markup, control characters, long multi-byte titles).
#include "engine/report/feed.h"

#include <doctest/doctest.h>
#include <rapidjson/document.h>

#include <algorithm>
#include <set>

namespace tidemark::report {
namespace {

FeedItem Item(std::string scope_id, std::string control_title) {
  FeedItem item;
  item.scope_kind = "incident";
  item.scope_id = std::move(scope_id);
  item.control_id = "EDR-ASR";
  item.control_title = std::move(control_title);
  item.key = FeedKey(item.scope_kind, item.scope_id, item.control_id);
  item.impact = 12.5;
  item.techniques = {"T1059.001", "T1566.001"};
  item.paths = {{"T1059.001", "mitigation:M1038"}, {"T1566.001", "direct"}};
  item.status = "to-address";
  return item;
}

rapidjson::Document Parse(const std::string& json) {
  rapidjson::Document doc;
  doc.Parse<rapidjson::kParseValidateEncodingFlag>(json.c_str());
  REQUIRE_MESSAGE(!doc.HasParseError(), json);
  return doc;
}

bool HasControlCharacter(std::string_view text) {
  for (unsigned char c : text) {
    if (c < 0x20 || c == 0x7f) return true;
  }
  return false;
}

// Every "text" of an ADF node tree.
void AdfTexts(const rapidjson::Value& node, std::vector<std::string>& out) {
  if (node.HasMember("text")) out.push_back(node["text"].GetString());
  if (node.HasMember("content")) {
    for (const auto& child : node["content"].GetArray()) AdfTexts(child, out);
  }
}

}  // namespace

TEST_CASE("the feed key depends only on scope and control and is label-safe") {
  std::string key = FeedKey("incident", "INC-1042", "EDR-ASR");
  CHECK(key.size() == 16);
  CHECK(key.find_first_not_of("0123456789abcdef") == std::string::npos);
  CHECK(key == FeedKey("incident", "INC-1042", "EDR-ASR"));
  std::set<std::string> keys = {key, FeedKey("group", "INC-1042", "EDR-ASR"), FeedKey("incident", "INC-1043", "EDR-ASR"),
                                FeedKey("incident", "INC-1042", "EDR-AS"),
                                // the separator keeps "ab"+"c" apart from "a"+"bc"
                                FeedKey("incident", "INC-1042E", "DR-ASR")};
  CHECK(keys.size() == 5);
}

TEST_CASE("an event line carries SPEC's fields; a state round-trips") {
  FeedItem item = Item("INC-1042", "Attack surface reduction rules");
  auto event = Parse(EventJson(17, "recommendation.opened", *ParseIsoTime("2026-03-05T16:41:00Z"), item));
  CHECK(std::string(event["schema"].GetString()) == "tidemark.feed/1");
  CHECK(event["seq"].GetUint64() == 17);
  CHECK(std::string(event["event"].GetString()) == "recommendation.opened");
  CHECK(std::string(event["key"].GetString()) == item.key);
  CHECK(std::string(event["time"].GetString()) == "2026-03-05T16:41:00Z");
  CHECK(std::string(event["scope"]["kind"].GetString()) == "incident");
  CHECK(std::string(event["scope"]["id"].GetString()) == "INC-1042");
  CHECK(std::string(event["control"]["title"].GetString()) == "Attack surface reduction rules");
  CHECK(event["impact"].GetDouble() == 12.5);
  CHECK(event["techniques"].Size() == 2);
  CHECK(std::string(event["status"].GetString()) == "to-address");

  auto state = ParseState(StateJson(FeedState{true, item}));
  REQUIRE(state.has_value());
  CHECK(state->open);
  CHECK(state->item.key == item.key);
  CHECK(state->item.techniques == item.techniques);
  CHECK(state->item.paths == item.paths);
  CHECK_FALSE(ParseState("not json").has_value());
}

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
    FeedItem item = Item("INC-1", "t");
    item.impact = c.impact;
    std::string event = EventJson(1, "recommendation.opened", 0, item);
    CHECK(std::string(Parse(*JiraBody(event, "SEC"))["fields"]["priority"]["name"].GetString()) == c.jira);
    auto snow = Parse(*ServiceNowBody(event));
    CHECK(std::string(snow["urgency"].GetString()) == c.servicenow);
    CHECK(std::string(snow["impact"].GetString()) == c.servicenow);
  }
}

TEST_CASE("Jira bodies: project, Task, ADF doc version 1 with the paths, tidemark labels") {
  FeedItem item = Item("INC-1042", "Attack surface reduction rules");
  auto body = Parse(*JiraBody(EventJson(3, "recommendation.opened", 0, item), "SOC"));
  const auto& fields = body["fields"];
  CHECK(std::string(fields["project"]["key"].GetString()) == "SOC");
  CHECK(std::string(fields["issuetype"]["name"].GetString()) == "Task");
  CHECK(std::string(fields["summary"].GetString()) ==
        "[tidemark] Implement: Attack surface reduction rules (EDR-ASR) for incident INC-1042");
  std::set<std::string> labels;
  for (const auto& l : fields["labels"].GetArray()) labels.insert(l.GetString());
  CHECK(labels == std::set<std::string>{"tidemark", "tidemark-" + item.key, "tidemark-open"});
  const auto& doc = fields["description"];
  CHECK(std::string(doc["type"].GetString()) == "doc");
  CHECK(doc["version"].GetInt() == 1);
  std::vector<std::string> texts;
  AdfTexts(doc, texts);
  CHECK(std::count(texts.begin(), texts.end(), "INC-1042 -> T1059.001 -> mitigation:M1038 -> EDR-ASR") == 1);
  // Every ADF node has a type; lists hold listItems.
  CHECK(std::string(doc["content"][1]["type"].GetString()) == "bulletList");
  for (const auto& li : doc["content"][1]["content"].GetArray()) CHECK(std::string(li["type"].GetString()) == "listItem");

  auto resolved = Parse(*JiraBody(EventJson(4, "recommendation.resolved", 0, item), "SOC"));
  std::string last_label = resolved["fields"]["labels"][2].GetString();
  CHECK(last_label == "tidemark-resolved");
  CHECK_FALSE(JiraBody("{\"schema\": \"other\"}", "SOC").ok());
  CHECK_FALSE(ServiceNowBody("[1,2").ok());
}

TEST_CASE("ServiceNow bodies carry correlation_id = key, descriptions and work notes; resolved sets state 6") {
  FeedItem item = Item("INC-1042", "Attack surface reduction rules");
  auto body = Parse(*ServiceNowBody(EventJson(3, "recommendation.updated", 0, item)));
  CHECK(std::string(body["correlation_id"].GetString()) == item.key);
  CHECK(std::string(body["short_description"].GetString()).find("Update:") != std::string::npos);
  CHECK(std::string(body["description"].GetString()).find("INC-1042 -> T1566.001 -> direct -> EDR-ASR") != std::string::npos);
  CHECK(std::string(body["work_notes"].GetString()).find("T1059.001, T1566.001") != std::string::npos);
  CHECK_FALSE(body.HasMember("state"));
  CHECK(std::string(Parse(*ServiceNowBody(EventJson(4, "recommendation.resolved", 0, item)))["state"].GetString()) == "6");
}

TEST_CASE("markup, control characters and long multi-byte titles stay valid and inert in ticket bodies") {
  std::string title = "<script>alert('x')</script>\a\x1b[31m & \"q\"";
  for (int idx = 0; idx < 120; ++idx) title += "\xc3\xa9";  // é, two bytes each: the cut falls inside one
  FeedItem item = Item("INC-<b>9</b>\r\n", title);
  std::string event = EventJson(1, "recommendation.opened", 0, item);
  Parse(event);  // the event itself is valid JSON (the writer escapes control characters)

  auto jira = Parse(*JiraBody(event, "SOC"));  // validated as UTF-8
  std::string summary = jira["fields"]["summary"].GetString();
  CHECK(summary.size() <= 250);
  CHECK_FALSE(HasControlCharacter(summary));
  CHECK(summary.find("<script>") != std::string::npos);  // JSON text, not markup: Jira renders it as text
  std::vector<std::string> texts;
  AdfTexts(jira["fields"]["description"], texts);
  for (const auto& text : texts) CHECK_FALSE(HasControlCharacter(text));

  auto snow = Parse(*ServiceNowBody(event));
  std::string short_description = snow["short_description"].GetString();
  CHECK(short_description.size() <= 160);
  CHECK_FALSE(HasControlCharacter(short_description));
  CHECK_FALSE(HasControlCharacter(snow["work_notes"].GetString()));
  std::string description = snow["description"].GetString();
  CHECK(description.find('\a') == std::string::npos);
  CHECK(description.find('\r') == std::string::npos);
  CHECK(description.find('\n') != std::string::npos);  // line breaks kept in the long text
}

}  // namespace tidemark::report
