#include "engine/model/incident.h"

#include "engine/core/ids.h"
#include "engine/core/json.h"
#include "engine/model/incident_json.h"

namespace tidemark::model {

std::string_view ClassificationName(Classification value) {
  switch (value) {
    case Classification::kTruePositive: return "true-positive";
    case Classification::kFalsePositive: return "false-positive";
    case Classification::kBenignPositive: return "benign-positive";
    case Classification::kUndetermined: return "undetermined";
  }
  return "undetermined";
}

std::optional<Classification> ParseClassification(std::string_view text) {
  std::string folded = FoldEnum(text);
  if (folded == "truepositive" || folded == "tp" || folded == "malicious" || folded == "true")
    return Classification::kTruePositive;
  if (folded == "falsepositive" || folded == "fp" || folded == "false")
    return Classification::kFalsePositive;
  if (folded == "benignpositive" || folded == "bp" || folded == "benign" ||
      folded == "informationalexpectedactivity" || folded == "securitytesting")
    return Classification::kBenignPositive;
  if (folded == "undetermined" || folded == "unknown" || folded == "indeterminate" ||
      folded == "other" || folded.empty())
    return Classification::kUndetermined;
  return std::nullopt;
}

std::string_view TechniqueOutcomeName(TechniqueOutcome value) {
  return value == TechniqueOutcome::kBlocked ? "blocked" : "succeeded";
}

std::optional<TechniqueOutcome> ParseTechniqueOutcome(std::string_view text) {
  std::string folded = FoldEnum(text);
  if (folded == "succeeded" || folded == "success" || folded == "successful" || folded == "allowed" ||
      folded == "detected" || folded == "executed")
    return TechniqueOutcome::kSucceeded;
  if (folded == "blocked" || folded == "prevented" || folded == "denied" || folded == "dropped" ||
      folded == "quarantined" || folded == "stopped" || folded == "deleted" || folded == "remediated")
    return TechniqueOutcome::kBlocked;
  return std::nullopt;
}

bool CountsAt(Classification classification, std::optional<TimeMs> time, TimeMs tau) {
  if (classification == Classification::kFalsePositive ||
      classification == Classification::kBenignPositive)
    return false;
  return time && *time <= tau;
}

bool Incident::CountsAt(TimeMs tau) const { return model::CountsAt(classification, Time(), tau); }

std::string ToJson(const Incident& inc) {
  // One buffer per thread, kept between calls: an import writes 1,000,000 records, each of
  // which would otherwise grow a new buffer from 256 bytes by reallocations (issue 16).
  thread_local rapidjson::StringBuffer buf;
  buf.Clear();
  JsonWriter w(buf);
  w.StartObject();
  // The stored technique entry: no names (they belong to the loaded ATT&CK data, not the record).
  WriteIncidentFields(w, inc, [](JsonWriter& out, const IncidentTechnique& technique) {
    WriteField(out, "id", technique.id);
    WriteFieldIfSet(out, "tactic", technique.tactic);
    WriteFieldIfSet(out, "revoked_from", technique.revoked_from);
    WriteField(out, "outcome", TechniqueOutcomeName(technique.outcome));
  });
  w.EndObject();
  std::string json(buf.GetString(), buf.GetSize());
  if (buf.GetSize() > (size_t{1} << 20)) {  // a rare huge record: not kept for the thread's life
    buf.Clear();
    buf.ShrinkToFit();
  }
  return json;
}

Result<Incident> IncidentFromJson(std::string_view json) {
  rapidjson::Document doc;
  doc.Parse(json.data(), json.size());
  if (doc.HasParseError() || !doc.IsObject()) return Status::StoreError("corrupt incident record in store");
  Incident inc;
  inc.id = StringOr(doc, "id");
  inc.title = StringOr(doc, "title");
  inc.source = StringOr(doc, "source");
  if (auto created = StringMember(doc, "created")) inc.created = ParseIsoTime(*created);
  if (auto closed = StringMember(doc, "closed")) inc.closed = ParseIsoTime(*closed);
  inc.status = StringOr(doc, "status", "open");
  inc.classification =
      ParseClassification(StringOr(doc, "classification")).value_or(Classification::kUndetermined);
  inc.severity = StringOr(doc, "severity");
  if (const auto* techniques = Member(doc, "techniques"); techniques && techniques->IsArray()) {
    for (const auto& t : techniques->GetArray()) {
      inc.techniques.push_back({StringOr(t, "id"), StringOr(t, "tactic"), StringOr(t, "revoked_from"),
                                ParseTechniqueOutcome(StringOr(t, "outcome")).value_or(TechniqueOutcome::kSucceeded)});
    }
  }
  inc.unknown_techniques = StringArray(doc, "unknown_techniques");
  inc.unknown_blocked = StringArray(doc, "unknown_blocked");
  if (const auto* assets = Member(doc, "assets"); assets && assets->IsArray()) {
    for (const auto& a : assets->GetArray()) {
      inc.assets.push_back({StringOr(a, "id"), StringOr(a, "type"), StringOr(a, "name")});
    }
  }
  inc.threats = StringArray(doc, "threats");
  if (const auto* extra = Member(doc, "extra")) inc.extra_json = ToJsonString(*extra);
  return inc;
}

}  // namespace tidemark::model
