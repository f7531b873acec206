#include "importers/incidents/splunk_reader.h"

#include <fmt/format.h>

#include "engine/core/ids.h"
#include "engine/core/json.h"
#include "engine/core/md5.h"
#include "importers/incidents/field_checks.h"
#include "importers/incidents/reader_util.h"

namespace tidemark::importers::incidents {
namespace {

const rapidjson::Value& ResultOf(const rapidjson::Value& record) {
  const rapidjson::Value* result = Member(record, "result");
  return result && result->IsObject() ? *result : record;
}

// The fields of a notable that carry ids, times, techniques, tactics and assets (field_checks.h).
// `annotations.mitre_attack` is the list of technique IDs, or an object holding
// mitre_technique_id / mitre_tactic_id below it.
constexpr FieldRule kNotableFields[] = {
    {"event_id", Shape::kText},
    {"rule_id", Shape::kText},
    {"event_hash", Shape::kText},
    {"indexer_guid", Shape::kText},
    {"_bkt", Shape::kText},
    {"orig_sid", Shape::kText},
    {"orig_rid", Shape::kText},
    {"_time", Shape::kTime},
    {"annotations.mitre_attack", Shape::kTextListOrObject},
    {"annotations.mitre_attack.mitre_technique_id", Shape::kTextList},
    {"annotations.mitre_attack.mitre_tactic_id", Shape::kTextList},
    {"action", Shape::kTextList},
    {"dest", Shape::kTextList},
    {"dvc", Shape::kTextList},
    {"orig_host", Shape::kTextList},
    {"user", Shape::kTextList},
    {"src_user", Shape::kTextList},
    {"risk_object", Shape::kText},
    {"risk_object_type", Shape::kText}};

// The notable's id. ES gives `event_id` (`<indexer guid>@@notable@@<event_hash>`, or in ES 8
// `<uuid>@@notable@@time<epoch>`), and `rule_id` holds the same value. A raw `index=notable`
// row has neither (the `notable` macro computes them at search time) but carries what they are
// made of: the indexer GUID (`indexer_guid`, or the third part of `_bkt`
// "notable~171~<guid>") and `event_hash`, which rebuild the very same id; without the GUID the
// id is the `event_hash` alone, else the scheduled search's `orig_sid`@@`orig_rid`. Without
// `event_hash` it is rebuilt from `_time` and `_raw` (RebuiltEventHash).
// ES's `get_event_id` computes event_hash = md5(_time . _raw), with _time in epoch seconds
// (whole seconds print without a fraction). A raw row exported without it still has both.
std::optional<std::string> RebuiltEventHash(const rapidjson::Value& doc) {
  auto raw = FirstText(doc, {"_raw"});
  auto time = AsTime(Field(doc, "_time"));
  if (!raw || !time) return std::nullopt;
  std::string seconds = *time % 1000 == 0 ? fmt::format("{}", *time / 1000)
                                          : fmt::format("{}.{:03}", *time / 1000, *time % 1000);
  while (seconds.back() == '0' && seconds.find('.') != std::string::npos) seconds.pop_back();
  return Md5Hex(seconds + *raw);
}

std::optional<std::string> NotableId(const rapidjson::Value& doc) {
  if (auto id = FirstText(doc, {"event_id"})) return id;
  if (auto rule = FirstText(doc, {"rule_id"}); rule && rule->find("@@notable@@") != std::string::npos) return rule;
  auto hash = FirstText(doc, {"event_hash"});
  if (!hash) hash = RebuiltEventHash(doc);
  if (hash) {
    auto guid = FirstText(doc, {"indexer_guid"});
    if (!guid) {
      std::string bucket = FirstText(doc, {"_bkt"}).value_or("");
      if (size_t tilde = bucket.rfind('~'); tilde != std::string::npos && bucket.rfind("notable~", 0) == 0) {
        guid = bucket.substr(tilde + 1);
      }
    }
    return guid && !guid->empty() ? *guid + "@@notable@@" + *hash : *hash;
  }
  auto sid = FirstText(doc, {"orig_sid"});
  if (sid) return *sid + "@@" + FirstText(doc, {"orig_rid"}).value_or("0");
  return std::nullopt;
}

bool IsNotable(const rapidjson::Value& doc) {
  // An event_id key, even null (then Read rejects the record naming it), or an id to rebuild.
  if (!doc.IsObject() || (!Member(doc, "event_id") && !NotableId(doc))) return false;
  for (const char* key : {"rule_name", "search_name", "security_domain", "urgency", "rule_id", "disposition"}) {
    if (Member(doc, key)) return true;
  }
  return Field(doc, "annotations.mitre_attack") != nullptr;
}

model::Classification FromDisposition(const rapidjson::Value& doc) {
  std::string disposition = FirstText(doc, {"disposition"}).value_or("");
  if (auto colon = disposition.find(':'); colon != std::string::npos) disposition = disposition.substr(colon + 1);
  if (disposition == "1") return model::Classification::kTruePositive;
  if (disposition == "2") return model::Classification::kBenignPositive;
  if (disposition == "3" || disposition == "4") return model::Classification::kFalsePositive;
  // Labels such as "True Positive - Suspicious Activity".
  std::string label = FoldEnum(FirstText(doc, {"disposition_label"}).value_or(disposition));
  if (label.rfind("truepositive", 0) == 0) return model::Classification::kTruePositive;
  if (label.rfind("benignpositive", 0) == 0) return model::Classification::kBenignPositive;
  if (label.rfind("falsepositive", 0) == 0) return model::Classification::kFalsePositive;
  return model::Classification::kUndetermined;
}

// CIM `action` of the notable's events (allowed, blocked, deferred, ...): blocked when every
// value given says the activity was stopped (blocked, denied, dropped, quarantined, ...).
model::TechniqueOutcome SplunkOutcome(const rapidjson::Value& doc) {
  auto actions = AsTextList(Field(doc, "action"));
  bool blocked = !actions.empty();
  for (const auto& action : actions) {
    if (model::ParseTechniqueOutcome(action) != model::TechniqueOutcome::kBlocked) blocked = false;
  }
  return blocked ? model::TechniqueOutcome::kBlocked : model::TechniqueOutcome::kSucceeded;
}

bool IsClosed(const rapidjson::Value& doc) {
  std::string status = FirstText(doc, {"status"}).value_or("");
  if (status == "4" || status == "5") return true;
  std::string label = FoldEnum(FirstText(doc, {"status_label"}).value_or(status));
  return label == "resolved" || label == "closed";
}

void ReadSplunkAssets(const rapidjson::Value& doc, model::Incident& inc) {
  for (const char* key : {"dest", "dvc", "orig_host"}) {
    for (auto& host : AsTextList(Field(doc, key))) AddAsset(inc, "device", host);
  }
  for (const char* key : {"user", "src_user"}) {
    for (auto& user : AsTextList(Field(doc, key))) AddAsset(inc, "user", user);
  }
  auto object = FirstText(doc, {"risk_object"});
  std::string type = FoldEnum(FirstText(doc, {"risk_object_type"}).value_or(""));
  if (object) AddAsset(inc, type == "user" ? "user" : type == "system" ? "device" : "other", *object);
}

class SplunkReader : public IncidentReader {
 public:
  std::string_view Name() const override { return "splunk"; }

  int Detect(const SourceFile& file) const override {
    rapidjson::Document scratch;
    const rapidjson::Value* first = FirstJsonRecord(file, {"results"}, scratch);
    return first != nullptr && IsNotable(ResultOf(*first)) ? 90 : 0;
  }

  Status Read(const SourceFile& file, ReadOutput& out) const override {
    ForEachJsonRecord(file, {"results"}, out, [&](const rapidjson::Value& record, const std::string& where) {
      if (!record.IsObject()) {
        out.rejects.push_back({where, "record must be a JSON object"});
        return;
      }
      const rapidjson::Value& doc = ResultOf(record);
      if (Member(record, "preview") && !Member(record, "result")) return;  // export footer lines
      if (std::string problem = FieldsProblem(doc, kNotableFields, &doc == &record ? "" : "result."); !problem.empty()) {
        out.rejects.push_back({where, problem});
        return;
      }
      auto id = NotableId(doc);
      if (!id) {
        out.rejects.push_back({where, MissingField("event_id")});
        return;
      }
      SourceIncident source;
      source.where = where;
      model::Incident& inc = source.incident;
      inc.id = "splunk:" + *id;
      inc.source = "splunk";
      inc.title = FirstText(doc, {"rule_title", "rule_name", "search_name"}).value_or("");
      inc.created = AsTime(Field(doc, "_time"));
      inc.status = IsClosed(doc) ? "closed" : "open";
      if (inc.status == "closed") inc.closed = inc.created;
      inc.classification = FromDisposition(doc);
      inc.severity = NormalizeSeverity(FirstText(doc, {"severity"}).value_or(""));
      if (inc.severity.empty()) inc.severity = NormalizeSeverity(FirstText(doc, {"urgency"}).value_or(""));
      auto tactics = AsTextList(Field(doc, "annotations.mitre_attack.mitre_tactic_id"));
      std::string tactic = tactics.size() == 1 ? tactics.front() : "";
      model::TechniqueOutcome outcome = SplunkOutcome(doc);
      for (const char* key : {"annotations.mitre_attack", "annotations.mitre_attack.mitre_technique_id"}) {
        const rapidjson::Value* value = Field(doc, key);
        if (value != nullptr && value->IsObject()) continue;  // nested form: the ids are below it
        for (auto& technique : AsTextList(value)) source.techniques.push_back({technique, tactic, outcome});
      }
      ReadSplunkAssets(doc, inc);
      out.incidents.push_back(std::move(source));
    });
    return Status::Ok();
  }
};

}  // namespace

std::unique_ptr<IncidentReader> MakeSplunkReader() { return std::make_unique<SplunkReader>(); }

}  // namespace tidemark::importers::incidents
