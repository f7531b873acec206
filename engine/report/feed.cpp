#include "engine/report/feed.h"

#include <cstdio>

#include "engine/core/json.h"

namespace tidemark::report {
namespace {

template <typename W>
void WriteItemBody(W& w, const FeedItem& item) {
  WriteField(w, "key", item.key);
  w.Key("scope");
  w.StartObject();
  WriteField(w, "kind", item.scope_kind);
  WriteField(w, "id", item.scope_id);
  w.EndObject();
  w.Key("control");
  w.StartObject();
  WriteField(w, "id", item.control_id);
  WriteField(w, "title", item.control_title);
  w.EndObject();
  w.Key("impact");
  w.Double(item.impact);
  WriteStrings(w, "techniques", item.techniques);
  w.Key("paths");
  w.StartArray();
  for (const auto& [technique, via] : item.paths) {
    w.StartObject();
    WriteField(w, "technique", technique);
    WriteField(w, "via", via);
    w.EndObject();
  }
  w.EndArray();
  WriteField(w, "status", item.status);
}

FeedItem ReadItem(const rapidjson::Value& doc) {
  FeedItem item;
  item.key = StringOr(doc, "key");
  if (const auto* scope = Member(doc, "scope")) {
    item.scope_kind = StringOr(*scope, "kind");
    item.scope_id = StringOr(*scope, "id");
  }
  if (const auto* control = Member(doc, "control")) {
    item.control_id = StringOr(*control, "id");
    item.control_title = StringOr(*control, "title");
  }
  item.impact = NumberMember(doc, "impact").value_or(0);
  item.techniques = StringArray(doc, "techniques");
  if (const auto* paths = Member(doc, "paths"); paths && paths->IsArray()) {
    for (const auto& p : paths->GetArray()) item.paths.emplace_back(StringOr(p, "technique"), StringOr(p, "via"));
  }
  item.status = StringOr(doc, "status");
  return item;
}

std::string Verb(std::string_view event) {
  if (event == "recommendation.opened") return "Implement";
  if (event == "recommendation.updated") return "Update";
  return "Resolved";
}

// Ticket text: control characters (a bell in an incident id, an escape sequence in a title)
// become spaces, except newlines where `keep_newlines`; JSON escaping is the writer's job.
std::string TicketText(std::string_view text, bool keep_newlines = false) {
  std::string out(text);
  for (char& c : out) {
    auto byte = static_cast<unsigned char>(c);
    if ((byte < 0x20 && !(keep_newlines && c == '\n')) || byte == 0x7f) c = ' ';
  }
  return out;
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

std::string Summary(std::string_view event, const FeedItem& item, size_t max_bytes) {
  return Truncate(TicketText("[tidemark] " + Verb(event) + ": " +
                             (item.control_title.empty() ? item.control_id : item.control_title) + " (" +
                             item.control_id + ") for " + item.scope_kind + " " + item.scope_id),
                  max_bytes);
}

std::string PlainDescription(std::string_view event, const FeedItem& item) {
  char impact[32];
  std::snprintf(impact, sizeof impact, "%.4g", item.impact);
  std::string text = "tidemark " + std::string(event) + ": control " + item.control_id + " (" + item.control_title +
                     "), status " + item.status + ", would raise the resilience of " + item.scope_kind + " " +
                     item.scope_id + " by " + impact + " points.\nTechniques and paths:\n";
  for (const auto& [technique, via] : item.paths) {
    text += "- " + item.scope_id + " -> " + technique + " -> " + via + " -> " + item.control_id + "\n";
  }
  return TicketText(text, /*keep_newlines=*/true);
}

Result<std::pair<std::string, FeedItem>> ParseEvent(std::string_view event_json) {
  rapidjson::Document doc;
  doc.Parse(event_json.data(), event_json.size());
  if (doc.HasParseError() || !doc.IsObject() || StringOr(doc, "schema") != "tidemark.feed/1") {
    return Status::BadInput("not a tidemark.feed/1 event");
  }
  return std::make_pair(StringOr(doc, "event"), ReadItem(doc));
}

template <typename W>
void AdfText(W& w, std::string_view text, bool code = false) {
  w.StartObject();
  WriteField(w, "type", "text");
  WriteField(w, "text", TicketText(text));
  if (code) {
    w.Key("marks");
    w.StartArray();
    w.StartObject();
    WriteField(w, "type", "code");
    w.EndObject();
    w.EndArray();
  }
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

}  // namespace

std::string FeedKey(std::string_view scope_kind, std::string_view scope_id, std::string_view control_id) {
  uint64_t hash = 14695981039346656037ull;
  auto mix = [&hash](std::string_view part) {
    for (unsigned char c : part) {
      hash ^= c;
      hash *= 1099511628211ull;
    }
    hash ^= 0;
    hash *= 1099511628211ull;  // the NUL separator
  };
  mix(scope_kind);
  mix(scope_id);
  mix(control_id);
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(hash));
  return buf;
}

std::string EventJson(uint64_t seq, std::string_view event, TimeMs time, const FeedItem& item) {
  rapidjson::StringBuffer buf;
  JsonWriter w(buf);
  w.StartObject();
  WriteField(w, "schema", "tidemark.feed/1");
  w.Key("seq");
  w.Uint64(seq);
  WriteField(w, "event", event);
  WriteField(w, "time", FormatIsoTime(time));
  WriteItemBody(w, item);
  w.EndObject();
  return std::string(buf.GetString(), buf.GetSize());
}

std::string StateJson(const FeedState& state) {
  rapidjson::StringBuffer buf;
  JsonWriter w(buf);
  w.StartObject();
  w.Key("open");
  w.Bool(state.open);
  WriteItemBody(w, state.item);
  w.EndObject();
  return std::string(buf.GetString(), buf.GetSize());
}

std::optional<FeedState> ParseState(std::string_view json) {
  rapidjson::Document doc;
  doc.Parse(json.data(), json.size());
  if (doc.HasParseError() || !doc.IsObject()) return std::nullopt;
  FeedState state;
  const auto* open = Member(doc, "open");
  state.open = open && open->IsBool() && open->GetBool();
  state.item = ReadItem(doc);
  return state;
}

std::string_view PriorityOf(double impact) {
  if (impact >= 10) return "High";
  if (impact >= 3) return "Medium";
  return "Low";
}

Result<std::string> JiraBody(std::string_view event_json, std::string_view project_key) {
  auto parsed = ParseEvent(event_json);
  if (!parsed.ok()) return parsed.status();
  const std::string& event = parsed->first;
  const FeedItem& item = parsed->second;
  rapidjson::StringBuffer buf;
  JsonWriter w(buf);
  w.StartObject();
  w.Key("fields");
  w.StartObject();
  w.Key("project");
  w.StartObject();
  WriteField(w, "key", project_key);
  w.EndObject();
  WriteField(w, "summary", Summary(event, item, 250));
  w.Key("issuetype");
  w.StartObject();
  WriteField(w, "name", "Task");
  w.EndObject();
  w.Key("priority");
  w.StartObject();
  WriteField(w, "name", PriorityOf(item.impact));
  w.EndObject();
  w.Key("labels");
  w.StartArray();
  WriteString(w, "tidemark");
  WriteString(w, "tidemark-" + item.key);
  WriteString(w, event == "recommendation.resolved" ? "tidemark-resolved" : "tidemark-open");
  w.EndArray();
  w.Key("description");
  w.StartObject();
  WriteField(w, "type", "doc");
  w.Key("version");
  w.Int(1);
  w.Key("content");
  w.StartArray();
  char impact[32];
  std::snprintf(impact, sizeof impact, "%.4g", item.impact);
  AdfParagraph(w, "tidemark " + event + ": control " + item.control_id + " (" + item.control_title + "), status " +
                      item.status + ". Implementing it raises the resilience of " + item.scope_kind + " " +
                      item.scope_id + " by " + impact + " points.");
  w.StartObject();
  WriteField(w, "type", "bulletList");
  w.Key("content");
  w.StartArray();
  for (const auto& [technique, via] : item.paths) {
    w.StartObject();
    WriteField(w, "type", "listItem");
    w.Key("content");
    w.StartArray();
    AdfParagraph(w, item.scope_id + " -> " + technique + " -> " + via + " -> " + item.control_id);
    w.EndArray();
    w.EndObject();
  }
  w.EndArray();
  w.EndObject();
  AdfParagraph(w, "tidemark key " + item.key + " (label tidemark-" + item.key + ")");
  w.EndArray();
  w.EndObject();
  w.EndObject();
  w.EndObject();
  return std::string(buf.GetString(), buf.GetSize());
}

Result<std::string> ServiceNowBody(std::string_view event_json) {
  auto parsed = ParseEvent(event_json);
  if (!parsed.ok()) return parsed.status();
  const std::string& event = parsed->first;
  const FeedItem& item = parsed->second;
  std::string_view priority = PriorityOf(item.impact);
  std::string level = priority == "High" ? "1" : priority == "Medium" ? "2" : "3";
  rapidjson::StringBuffer buf;
  JsonWriter w(buf);
  w.StartObject();
  WriteField(w, "correlation_id", item.key);
  WriteField(w, "correlation_display", "tidemark");
  WriteField(w, "short_description", Summary(event, item, 160));
  WriteField(w, "description", PlainDescription(event, item));
  std::string techniques;
  for (const auto& t : item.techniques) techniques += (techniques.empty() ? "" : ", ") + t;
  WriteField(w, "work_notes", TicketText("tidemark " + event + " (techniques: " + techniques + ")"));
  WriteField(w, "urgency", level);
  WriteField(w, "impact", level);
  if (event == "recommendation.resolved") WriteField(w, "state", "6");
  w.EndObject();
  return std::string(buf.GetString(), buf.GetSize());
}

}  // namespace tidemark::report
