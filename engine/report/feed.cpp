#include "engine/report/feed.h"

#include <charconv>

#include "engine/core/json.h"
#include "engine/report/kev_json.h"

namespace tidemark::report {
namespace {

constexpr std::string_view kSchema = "tidemark.feed/1";

struct ReasonInfo {
  ResolveReason reason;
  std::string_view name;
  std::string_view text;
};
constexpr ReasonInfo kReasons[] = {
    {ResolveReason::kImplemented, "implemented", "the control is now implemented"},
    {ResolveReason::kCoveredByOthers, "covered-by-others",
     "implementing it would no longer raise resilience here: other controls cover what it reaches in this scope, or the scope no longer has the techniques it reaches"},
    {ResolveReason::kReclassified, "reclassified", "the incident was reclassified as a false or benign positive"},
    {ResolveReason::kScopeGone, "scope-gone", "the scope is no longer kept in step (no counted incident)"},
    {ResolveReason::kRiskAccepted, "risk-accepted", "the risk of not implementing the control was accepted"},
    {ResolveReason::kOutranked, "outranked", "other controls now raise this incident's resilience more (it left the top recommendations)"},
};

struct PatchReasonInfo {
  PatchResolveReason reason;
  std::string_view name;
  std::string_view text;
};
constexpr PatchReasonInfo kPatchReasons[] = {
    {PatchResolveReason::kScopeGone, "scope-gone", "the scope is no longer kept in step (no counted incident)"},
    {PatchResolveReason::kPatched, "patched", "no finding of this software is open any more"},
    {PatchResolveReason::kNoImpact, "no-impact",
     "fixing it would no longer lower the vulnerability exposure here: other open findings give the same techniques on those assets, or the scope no longer has the techniques its CVEs give"},
};

template <typename W>
void WriteScope(W& w, const FeedScope& scope) {
  w.Key("scope");
  w.StartObject();
  WriteField(w, "kind", scope.kind);
  WriteField(w, "id", scope.id);
  WriteFieldIfSet(w, "name", scope.name);
  w.EndObject();
}

FeedScope ReadScope(const rapidjson::Value& doc) {
  FeedScope scope;
  if (const auto* value = Member(doc, "scope")) {
    scope.kind = StringOr(*value, "kind");
    scope.id = StringOr(*value, "id");
    scope.name = StringOr(*value, "name");
  }
  return scope;
}

// A FeedItem or a FeedItemView.
template <typename W, typename Item>
void WriteItemBody(W& w, const Item& item) {
  WriteField(w, "key", item.key);
  WriteScope(w, item.scope);
  w.Key("control");
  w.StartObject();
  WriteField(w, "id", item.control_id);
  WriteField(w, "title", item.control_title);
  w.EndObject();
  WriteFieldIfSet(w, "owner", item.owner);
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
  if (item.reason) WriteField(w, "reason", ResolveReasonName(*item.reason));
}

FeedItem ReadItem(const rapidjson::Value& doc) {
  FeedItem item;
  item.key = StringOr(doc, "key");
  item.scope = ReadScope(doc);
  if (const auto* control = Member(doc, "control")) {
    item.control_id = StringOr(*control, "id");
    item.control_title = StringOr(*control, "title");
  }
  item.owner = StringOr(doc, "owner");
  item.impact = NumberMember(doc, "impact").value_or(0);
  item.techniques = StringArray(doc, "techniques");
  if (const auto* paths = Member(doc, "paths"); paths && paths->IsArray()) {
    for (const auto& p : paths->GetArray()) item.paths.emplace_back(StringOr(p, "technique"), StringOr(p, "via"));
  }
  item.status = StringOr(doc, "status");
  item.reason = ParseResolveReason(StringOr(doc, "reason"));
  return item;
}

template <typename W>
void WritePatchBody(W& w, const PatchItem& patch) {
  WriteField(w, "key", patch.key);
  WriteScope(w, patch.scope);
  WriteField(w, "software", patch.software);
  w.Key("impact");
  w.Double(patch.impact);
  WriteStrings(w, "cves", patch.cves);
  w.Key("assets");
  w.Uint64(patch.assets);
  WriteStrings(w, "techniques", patch.techniques);
  WriteField(w, "remediation_type", patch.remediation_type);
  WriteKevFacts(w, patch.kev, patch.ransomware, patch.due_date);
  if (patch.reason) WriteField(w, "reason", PatchResolveReasonName(*patch.reason));
}

PatchItem ReadPatch(const rapidjson::Value& doc) {
  PatchItem patch;
  patch.key = StringOr(doc, "key");
  patch.scope = ReadScope(doc);
  patch.software = StringOr(doc, "software");
  patch.impact = NumberMember(doc, "impact").value_or(0);
  patch.cves = StringArray(doc, "cves");
  if (const auto* assets = Member(doc, "assets"); assets && assets->IsUint64()) patch.assets = assets->GetUint64();
  patch.techniques = StringArray(doc, "techniques");
  patch.remediation_type = StringOr(doc, "remediation_type");
  if (const auto* kev = Member(doc, "kev"); kev && kev->IsBool()) patch.kev = kev->GetBool();
  if (const auto* ransomware = Member(doc, "ransomware"); ransomware && ransomware->IsBool()) {
    patch.ransomware = ransomware->GetBool();
  }
  patch.due_date = StringOr(doc, "due_date");
  patch.reason = ParsePatchResolveReason(StringOr(doc, "reason"));
  return patch;
}

// An event's time as text. Every event of a run has the same time, so the last one formatted is
// kept (per thread).
const std::string& EventTime(TimeMs time) {
  thread_local TimeMs formatted_time = 0;
  thread_local std::string text;
  if (text.empty() || formatted_time != time) {
    text = FormatIsoTime(time);
    formatted_time = time;
  }
  return text;
}

template <typename W>
void WriteEventName(W& w, uint64_t seq, std::string_view event) {
  WriteField(w, "schema", kSchema);
  w.Key("seq");
  w.Uint64(seq);
  WriteField(w, "event", event);
}

template <typename W>
void WriteEventHead(W& w, uint64_t seq, std::string_view event, TimeMs time) {
  WriteEventName(w, seq, event);
  WriteField(w, "time", EventTime(time));
}

}  // namespace

std::string_view ResolveReasonName(ResolveReason reason) {
  for (const auto& info : kReasons) {
    if (info.reason == reason) return info.name;
  }
  return "";
}

std::optional<ResolveReason> ParseResolveReason(std::string_view text) {
  for (const auto& info : kReasons) {
    if (info.name == text) return info.reason;
  }
  return std::nullopt;
}

std::string_view ResolveReasonText(ResolveReason reason) {
  for (const auto& info : kReasons) {
    if (info.reason == reason) return info.text;
  }
  return "";
}

std::string_view PatchResolveReasonName(PatchResolveReason reason) {
  for (const auto& info : kPatchReasons) {
    if (info.reason == reason) return info.name;
  }
  return "";
}

std::optional<PatchResolveReason> ParsePatchResolveReason(std::string_view text) {
  for (const auto& info : kPatchReasons) {
    if (info.name == text) return info.reason;
  }
  return std::nullopt;
}

std::string_view PatchResolveReasonText(PatchResolveReason reason) {
  for (const auto& info : kPatchReasons) {
    if (info.reason == reason) return info.text;
  }
  return "";
}

std::string ScopePhrase(const FeedScope& scope) {
  if (scope.kind == "all") return "the whole organisation";
  if (scope.kind == "incident") return "incident " + scope.id;
  if (scope.kind == "custom") return "custom threat " + scope.id;
  if (!scope.name.empty() && scope.name != scope.id) return scope.name + " (" + scope.id + ")";
  return scope.kind + " " + scope.id;
}

std::string EventJson(uint64_t seq, std::string_view event, TimeMs time, const FeedItem& item) {
  char digits[24];
  auto [end, error] = std::to_chars(digits, digits + sizeof digits, seq);
  std::string out(EventSeqHead());
  out.append(digits, end);
  AppendItemEventTail(event, time, item, out);
  return out;
}

std::string_view EventSeqHead() {
  // The event head as WriteEventName writes it, up to its seq's value.
  static const std::string head = [] {
    rapidjson::StringBuffer buf;
    JsonWriter w(buf);
    w.StartObject();
    WriteEventName(w, 0, "");
    std::string_view json(buf.GetString(), buf.GetSize());
    return std::string(json.substr(0, json.find(R"("seq":)") + 6));
  }();
  return head;
}

namespace {

template <typename Item>
void AppendTail(std::string_view event, TimeMs time, const Item& item, std::string& out) {
  thread_local rapidjson::StringBuffer buf;  // reused: no allocation per event
  thread_local JsonWriter w(buf);
  buf.Clear();
  w.Reset(buf);
  w.StartObject();
  WriteEventName(w, 0, event);  // seq 0: one digit, cut below with the head
  WriteField(w, "time", EventTime(time));
  WriteItemBody(w, item);
  w.EndObject();
  size_t from = EventSeqHead().size() + 1;
  out.append(buf.GetString() + from, buf.GetSize() - from);
}

}  // namespace

void AppendItemEventTail(std::string_view event, TimeMs time, const FeedItem& item, std::string& out) {
  AppendTail(event, time, item, out);
}

void AppendItemEventTail(std::string_view event, TimeMs time, const FeedItemView& item, std::string& out) {
  AppendTail(event, time, item, out);
}

std::string EventJson(uint64_t seq, TimeMs time, const ResilienceDrop& drop) {
  rapidjson::StringBuffer buf;
  JsonWriter w(buf);
  w.StartObject();
  WriteEventHead(w, seq, kEventResilienceDropped, time);
  WriteField(w, "key", drop.key);
  WriteScope(w, drop.scope);
  w.Key("previous");
  w.Double(drop.previous);
  w.Key("resilience");
  w.Double(drop.resilience);
  w.Key("drop");
  w.Double(RoundScore(drop.previous - drop.resilience));
  w.EndObject();
  return std::string(buf.GetString(), buf.GetSize());
}

std::string EventJson(uint64_t seq, std::string_view event, TimeMs time, const PatchItem& patch) {
  rapidjson::StringBuffer buf;
  JsonWriter w(buf);
  w.StartObject();
  WriteEventHead(w, seq, event, time);
  WritePatchBody(w, patch);
  w.EndObject();
  return std::string(buf.GetString(), buf.GetSize());
}

std::optional<PatchItem> ParsePatchItem(std::string_view json) {
  rapidjson::Document doc;
  doc.Parse(json.data(), json.size());
  if (doc.HasParseError() || !doc.IsObject()) return std::nullopt;
  return ReadPatch(doc);
}

std::optional<FeedItem> ParseItem(std::string_view json) {
  rapidjson::Document doc;
  doc.Parse(json.data(), json.size());
  if (doc.HasParseError() || !doc.IsObject()) return std::nullopt;
  return ReadItem(doc);
}

Result<FeedEvent> ParseEvent(std::string_view event_json) {
  rapidjson::Document doc;
  doc.Parse(event_json.data(), event_json.size());
  if (doc.HasParseError() || !doc.IsObject() || StringOr(doc, "schema") != kSchema) {
    return Status::BadInput("not a tidemark.feed/1 event");
  }
  FeedEvent event;
  if (const auto* seq = Member(doc, "seq"); seq && seq->IsUint64()) event.seq = seq->GetUint64();
  event.event = StringOr(doc, "event");
  event.time = StringOr(doc, "time");
  if (event.event.rfind("recommendation.", 0) == 0) {
    event.item = ReadItem(doc);
  } else if (event.event.rfind("patch.", 0) == 0) {
    event.patch = ReadPatch(doc);
  } else if (event.event == kEventResilienceDropped) {
    ResilienceDrop drop;
    drop.key = StringOr(doc, "key");
    drop.scope = ReadScope(doc);
    drop.previous = NumberMember(doc, "previous").value_or(0);
    drop.resilience = NumberMember(doc, "resilience").value_or(0);
    event.drop = std::move(drop);
  }
  return event;
}

}  // namespace tidemark::report
