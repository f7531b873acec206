#include "importers/incidents/ocsf_reader.h"

#include <algorithm>
#include <map>
#include <unordered_map>

#include "engine/core/ids.h"
#include "engine/core/json.h"
#include "importers/incidents/field_checks.h"
#include "importers/incidents/reader_util.h"

namespace tidemark::importers::incidents {
namespace {

std::optional<int> IntField(const rapidjson::Value& doc, std::string_view path) {
  auto number = AsNumber(Field(doc, path));
  if (!number || *number < -1e9 || *number > 1e9) return std::nullopt;
  return static_cast<int>(*number);
}

// 2001 Security Finding (OCSF 1.0, deprecated since 1.1 but still exported), 2004 Detection
// Finding, 2005 Incident Finding.
bool IsFinding(const rapidjson::Value& doc) {
  auto class_uid = IntField(doc, "class_uid");
  return class_uid && (*class_uid == 2001 || *class_uid == 2004 || *class_uid == 2005);
}

bool IsSecurityFinding(const rapidjson::Value& doc) { return IntField(doc, "class_uid") == 2001; }

// What the security product did about the activity, when the finding says: disposition_id 2
// Blocked, 3 Quarantined, 5 Deleted, 6 Dropped, or action_id 2 Denied -> blocked; any other
// disposition_id or action_id (1 Allowed, 15 Detected, ...) -> succeeded; else the
// `disposition` / `action` caption. nullopt when the finding records none of them.
std::optional<model::TechniqueOutcome> DispositionOf(const rapidjson::Value& doc) {
  auto disposition = IntField(doc, "disposition_id");
  if (disposition && *disposition != 0 && *disposition != 99) {
    bool blocked = *disposition == 2 || *disposition == 3 || *disposition == 5 || *disposition == 6;
    return blocked ? model::TechniqueOutcome::kBlocked : model::TechniqueOutcome::kSucceeded;
  }
  auto action = IntField(doc, "action_id");
  if (action && (*action == 1 || *action == 2)) {
    return *action == 2 ? model::TechniqueOutcome::kBlocked : model::TechniqueOutcome::kSucceeded;
  }
  for (const char* key : {"disposition", "action"}) {
    if (auto text = FirstText(doc, {key})) {
      if (auto outcome = model::ParseTechniqueOutcome(*text)) return outcome;
    }
  }
  return std::nullopt;
}

std::optional<model::Classification> FromVerdict(const rapidjson::Value& doc) {
  auto verdict = IntField(doc, "verdict_id");
  if (!verdict) {
    auto text = FirstText(doc, {"verdict"});
    if (!text) return std::nullopt;
    return model::ParseClassification(*text);
  }
  switch (*verdict) {
    case 1: case 10: return model::Classification::kFalsePositive;
    case 2: case 8: return model::Classification::kTruePositive;
    case 3: case 5: case 6: return model::Classification::kBenignPositive;
    case 0: return std::nullopt;
    default: return model::Classification::kUndetermined;
  }
}

std::string OcsfSeverity(const rapidjson::Value& doc) {
  auto id = IntField(doc, "severity_id");
  if (!id) return NormalizeSeverity(FirstText(doc, {"severity"}).value_or(""));
  switch (*id) {
    case 1: return "informational";
    case 2: return "low";
    case 3: return "medium";
    case 4: return "high";
    case 5: case 6: return "critical";
    default: return "";
  }
}

// The fields of a finding that carry ids, times, techniques, tactics and assets (field_checks.h).
constexpr FieldRule kUidNameFields[] = {{"uid", Shape::kText}, {"name", Shape::kText}};
constexpr FieldRule kAttackFields[] = {{"tactic", Shape::kObject, kUidNameFields},
                                       {"tactics", Shape::kObjects, kUidNameFields},
                                       {"technique", Shape::kObject, kUidNameFields},
                                       {"sub_technique", Shape::kObject, kUidNameFields}};
constexpr FieldRule kOcsfDeviceFields[] = {
    {"hostname", Shape::kText}, {"name", Shape::kText}, {"uid", Shape::kText}, {"ip", Shape::kText}};
constexpr FieldRule kUserFields[] = {{"email_addr", Shape::kText}, {"name", Shape::kText}, {"uid", Shape::kText}};
constexpr FieldRule kOcsfEvidenceFields[] = {{"device", Shape::kObject, kOcsfDeviceFields}, {"user", Shape::kObject, kUserFields}};
constexpr FieldRule kResourceFields[] = {{"hostname", Shape::kText}, {"uid", Shape::kText}, {"name", Shape::kText}};
constexpr FieldRule kListedFields[] = {{"uid", Shape::kText}};
constexpr FieldRule kFindingFields[] = {
    {"finding_info", Shape::kObject},
    {"finding", Shape::kObject},
    {"finding_info.uid", Shape::kText},
    {"finding.uid", Shape::kText},
    {"finding_info_list", Shape::kObjects, kListedFields},
    {"time", Shape::kTime},
    {"start_time", Shape::kTime},
    {"end_time", Shape::kTime},
    {"finding_info.created_time", Shape::kTime},
    {"finding.created_time", Shape::kTime},
    {"finding_info.modified_time", Shape::kTime},
    {"finding.modified_time", Shape::kTime},
    {"finding_info.attacks", Shape::kObjects, kAttackFields},
    {"attacks", Shape::kObjects, kAttackFields},
    {"resources", Shape::kObjects, kResourceFields},
    {"evidences", Shape::kObjects, kOcsfEvidenceFields},
    {"device", Shape::kObject, kOcsfDeviceFields}};

// One OCSF attack object: {tactic{uid,name}, tactics[...] (1.0), technique{uid}, sub_technique{uid}}.
void ReadAttack(const rapidjson::Value& attack, model::TechniqueOutcome outcome, SourceIncident& out) {
  std::string tactic = FirstText(attack, {"tactic.uid", "tactic.name"}).value_or("");
  if (tactic.empty()) {
    if (const rapidjson::Value* tactics = Field(attack, "tactics"); tactics && tactics->IsArray() && tactics->Size() == 1) {
      tactic = FirstText((*tactics)[0], {"uid", "name"}).value_or("");
    }
  }
  std::string technique = FirstText(attack, {"technique.uid"}).value_or("");
  std::string sub = FirstText(attack, {"sub_technique.uid"}).value_or("");
  if (!sub.empty() && sub.find('.') == std::string::npos) {
    if (auto joined = JoinTechniqueId(technique, sub)) sub = *joined;
  }
  if (!technique.empty()) out.techniques.push_back({technique, tactic, outcome});
  if (!sub.empty()) out.techniques.push_back({sub, tactic, outcome});
}

void ReadAttacks(const rapidjson::Value* list, model::TechniqueOutcome outcome, SourceIncident& out) {
  if (list == nullptr || !list->IsArray()) return;
  for (const auto& attack : list->GetArray()) ReadAttack(attack, outcome, out);
}

void ReadDevice(const rapidjson::Value* device, model::Incident& inc) {
  if (device == nullptr || !device->IsObject()) return;
  if (auto id = FirstText(*device, {"hostname", "name", "uid", "ip"})) AddAsset(inc, "device", *id);
}

void ReadUser(const rapidjson::Value* user, model::Incident& inc) {
  if (user == nullptr || !user->IsObject()) return;
  if (auto id = FirstText(*user, {"email_addr", "name", "uid"})) AddAsset(inc, "user", *id);
}

void ReadOcsfAssets(const rapidjson::Value& doc, model::Incident& inc) {
  if (const rapidjson::Value* resources = Field(doc, "resources"); resources && resources->IsArray()) {
    for (const auto& resource : resources->GetArray()) {
      if (auto host = FirstText(resource, {"hostname"})) AddAsset(inc, "device", *host);
      else if (auto id = FirstText(resource, {"uid", "name"})) AddAsset(inc, "cloud-resource", *id, StringOr(resource, "name"));
    }
  }
  if (const rapidjson::Value* evidences = Field(doc, "evidences"); evidences && evidences->IsArray()) {
    for (const auto& evidence : evidences->GetArray()) {
      ReadDevice(Field(evidence, "device"), inc);
      ReadUser(Field(evidence, "user"), inc);
    }
  }
  ReadDevice(Field(doc, "device"), inc);
}

struct Version {
  TimeMs time;
  SourceIncident record;
  std::optional<model::TechniqueOutcome> disposition;  // as the record gave it
};

class OcsfReader : public IncidentReader {
 public:
  std::string_view Name() const override { return "ocsf"; }

  int Detect(const SourceFile& file) const override {
    rapidjson::Document scratch;
    const rapidjson::Value* first = FirstJsonRecord(file, {}, scratch);
    return first != nullptr && IsFinding(*first) ? 90 : 0;
  }

  Status Read(const SourceFile& file, ReadOutput& out) const override {
    std::vector<Version> versions;
    std::unordered_map<std::string, std::string> merged_into;  // listed finding uid -> incident uid
    ForEachJsonRecord(file, {}, out, [&](const rapidjson::Value& record, const std::string& where) {
      if (!record.IsObject()) {
        out.rejects.push_back({where, "record must be a JSON object"});
        return;
      }
      if (!IsFinding(record)) {
        out.rejects.push_back({where, "field \"class_uid\" must be 2001 (Security Finding), 2004 (Detection Finding) or 2005 (Incident Finding)"});
        return;
      }
      if (std::string problem = FieldsProblem(record, kFindingFields); !problem.empty()) {
        out.rejects.push_back({where, problem});
        return;
      }
      auto uid = FirstText(record, {"finding_info.uid", "finding.uid"});
      const rapidjson::Value* listed = Field(record, "finding_info_list");
      if (!uid && listed && listed->IsArray() && !listed->Empty()) uid = FirstText((*listed)[0], {"uid"});
      if (!uid) {
        out.rejects.push_back({where, MissingField(IsSecurityFinding(record) ? "finding.uid" : "finding_info.uid")});
        return;
      }
      if (listed && listed->IsArray()) {
        for (const auto& finding : listed->GetArray()) {
          if (auto other = FirstText(finding, {"uid"}); other && *other != *uid) merged_into.emplace(*other, *uid);
        }
      }
      versions.push_back({AsTime(Field(record, "time")).value_or(0), Build(record, *uid, where), DispositionOf(record)});
    });
    // Merge versions per id, in time order so the latest record's scalars win.
    std::stable_sort(versions.begin(), versions.end(), [](const Version& a, const Version& b) { return a.time < b.time; });
    std::map<std::string, SourceIncident> incidents;
    std::vector<std::string> order;
    for (auto& version : versions) {
      std::string id = version.record.incident.id;
      if (auto it = merged_into.find(id.substr(5)); it != merged_into.end()) id = "ocsf:" + it->second;
      auto found = incidents.find(id);
      if (found == incidents.end()) {
        version.record.incident.id = id;
        order.push_back(id);
        incidents.emplace(id, std::move(version.record));
        continue;
      }
      // A later record that says what was done about the activity speaks for the earlier ones.
      if (version.disposition) {
        for (auto& technique : found->second.techniques) technique.outcome = *version.disposition;
      }
      Merge(found->second, std::move(version.record));
    }
    for (const auto& id : order) out.incidents.push_back(std::move(incidents[id]));
    return Status::Ok();
  }

 private:
  static SourceIncident Build(const rapidjson::Value& doc, const std::string& uid, const std::string& where) {
    SourceIncident source;
    source.where = where;
    model::Incident& inc = source.incident;
    inc.id = "ocsf:" + uid;
    inc.source = "ocsf";
    inc.title = FirstText(doc, {"finding_info.title", "finding.title", "message"}).value_or("");
    if (inc.title.empty()) {
      if (const rapidjson::Value* listed = Field(doc, "finding_info_list"); listed && listed->IsArray() && !listed->Empty()) {
        inc.title = FirstText((*listed)[0], {"title"}).value_or("");
      }
    }
    inc.created = AsTime(Field(doc, "finding_info.created_time"));
    if (!inc.created) inc.created = AsTime(Field(doc, "finding.created_time"));
    if (!inc.created) inc.created = AsTime(Field(doc, "start_time"));
    if (!inc.created) inc.created = AsTime(Field(doc, "time"));
    // Security Finding (1.0) keeps the finding's lifecycle in state_id (1 New, 2 In Progress,
    // 3 Suppressed, 4 Resolved); its status_id is the event status (Success/Failure).
    auto status = IntField(doc, IsSecurityFinding(doc) ? "state_id" : "status_id");
    bool closed = status ? *status >= 3 && *status != 99 : FoldEnum(StringOr(doc, "status")) == "closed";
    auto activity = IntField(doc, "activity_id");
    if (activity && *activity == 3) closed = true;
    inc.status = closed ? "closed" : "open";
    if (closed) {
      inc.closed = AsTime(Field(doc, "end_time"));
      if (!inc.closed) inc.closed = AsTime(Field(doc, "finding_info.modified_time"));
      if (!inc.closed) inc.closed = AsTime(Field(doc, "finding.modified_time"));
      if (!inc.closed) inc.closed = AsTime(Field(doc, "time"));
    }
    inc.classification = FromVerdict(doc).value_or(model::Classification::kUndetermined);
    inc.severity = OcsfSeverity(doc);
    model::TechniqueOutcome outcome = DispositionOf(doc).value_or(model::TechniqueOutcome::kSucceeded);
    ReadAttacks(Field(doc, "finding_info.attacks"), outcome, source);
    ReadAttacks(Field(doc, "attacks"), outcome, source);
    ReadOcsfAssets(doc, inc);
    return source;
  }

  // `later` is newer: its scalars win where it has them; lists are united.
  static void Merge(SourceIncident& into, SourceIncident later) {
    model::Incident& a = into.incident;
    model::Incident& b = later.incident;
    if (!b.title.empty()) a.title = b.title;
    if (b.created && (!a.created || *b.created < *a.created)) a.created = b.created;
    a.status = b.status;
    a.closed = b.closed;
    if (b.classification != model::Classification::kUndetermined) a.classification = b.classification;
    if (!b.severity.empty()) a.severity = b.severity;
    for (auto& t : later.techniques) into.techniques.push_back(std::move(t));
    for (auto& asset : b.assets) AddAsset(a, asset.type, asset.id, asset.name);
    for (auto& threat : b.threats) a.threats.push_back(std::move(threat));
  }
};

}  // namespace

std::unique_ptr<IncidentReader> MakeOcsfReader() { return std::make_unique<OcsfReader>(); }

}  // namespace tidemark::importers::incidents
