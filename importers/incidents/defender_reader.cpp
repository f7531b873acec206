#include "importers/incidents/defender_reader.h"


#include <map>
#include <memory>
#include <variant>

#include "engine/core/ids.h"
#include "engine/core/json.h"
#include "importers/incidents/field_checks.h"
#include "importers/incidents/reader_util.h"

namespace tidemark::importers::incidents {
namespace {

// Graph's determination, used when classification is missing or `unknown`. The docs' value
// table and description disagree on some names, so both spellings are listed.
model::Classification FromDetermination(std::string_view determination) {
  std::string folded = FoldEnum(determination);
  for (const char* tp : {"apt", "malware", "phishing", "multistagedattack", "compromisedaccount",
                         "compromiseduser", "malicioususeractivity", "unwantedsoftware"}) {
    if (folded == tp) return model::Classification::kTruePositive;
  }
  for (const char* bp : {"securitytesting", "lineofbusinessapplication", "confirmedactivity",
                         "confirmeduseractivity", "securitypersonnel"}) {
    if (folded == bp) return model::Classification::kBenignPositive;
  }
  if (folded == "clean" || folded == "notmalicious") return model::Classification::kFalsePositive;
  return model::Classification::kUndetermined;
}

model::Classification ClassificationOf(const rapidjson::Value& record) {
  auto classification = model::ParseClassification(StringOr(record, "classification"))
                            .value_or(model::Classification::kUndetermined);
  if (classification != model::Classification::kUndetermined) return classification;
  return FromDetermination(StringOr(record, "determination"));
}

// The user asset of a Graph userAccount or a legacy User entity (same key names).
void AddUser(const rapidjson::Value& account, model::Incident& inc) {
  auto upn = FirstText(account, {"userPrincipalName"});
  auto name = FirstText(account, {"accountName"});
  auto domain = FirstText(account, {"domainName"});
  if (upn) AddAsset(inc, "user", *upn);
  else if (name && domain) AddAsset(inc, "user", *domain + "\\" + *name);
  else if (auto id = FirstText(account, {"accountName", "azureAdUserId", "aadUserId", "userSid"})) AddAsset(inc, "user", *id);
}

// Graph alerts[].evidence[] (microsoft.graph.security.alertEvidence subtypes).
void ReadEvidence(const rapidjson::Value& evidence, model::Incident& inc) {
  std::string type = ToLower(StringOr(evidence, "@odata.type"));
  if (auto dot = type.rfind('.'); dot != std::string::npos) type = type.substr(dot + 1);
  if (type == "deviceevidence") {
    auto id = FirstText(evidence, {"deviceDnsName", "mdeDeviceId", "azureAdDeviceId"});
    if (id) AddAsset(inc, "device", *id, StringOr(evidence, "deviceDnsName"));
  } else if (type == "userevidence") {
    if (const rapidjson::Value* account = Member(evidence, "userAccount"); account && account->IsObject()) AddUser(*account, inc);
  } else if (type == "mailboxevidence") {
    if (auto id = FirstText(evidence, {"primaryAddress", "upn"})) AddAsset(inc, "mailbox", *id, StringOr(evidence, "displayName"));
  } else if (type == "azureresourceevidence") {
    if (auto id = FirstText(evidence, {"resourceId"})) AddAsset(inc, "cloud-resource", *id, StringOr(evidence, "resourceName"));
  }
}

// Legacy /api/incidents alerts[].entities[] (entityType User, MailBox, Ip, File, ...).
void ReadEntity(const rapidjson::Value& entity, model::Incident& inc) {
  std::string type = FoldEnum(StringOr(entity, "entityType"));
  if (type == "user") {
    AddUser(entity, inc);
  } else if (type == "mailbox") {
    if (auto id = FirstText(entity, {"mailboxAddress", "userPrincipalName"})) {
      AddAsset(inc, "mailbox", *id, StringOr(entity, "mailboxDisplayName"));
    }
  }
}

// What Defender says it did about an alert's activity. Graph: evidence[].detectionStatus
// (`detected`, `blocked`, `prevented`): blocked when some evidence was blocked or prevented and
// none was only detected. Legacy alerts have no such field; Defender Antivirus names an alert
// it stopped "'<threat>' <kind> was prevented" (or "was blocked"), which is read instead.
model::TechniqueOutcome OutcomeOf(const rapidjson::Value& alert) {
  bool blocked = false, detected = false;
  if (const rapidjson::Value* evidence = Member(alert, "evidence"); evidence && evidence->IsArray()) {
    for (const auto& item : evidence->GetArray()) {
      if (!item.IsObject()) continue;
      std::string status = StringOr(item, "detectionStatus");
      if (status.empty()) continue;
      auto outcome = model::ParseTechniqueOutcome(status);
      if (outcome == model::TechniqueOutcome::kBlocked) blocked = true;
      else if (outcome == model::TechniqueOutcome::kSucceeded) detected = true;
    }
  }
  if (blocked || detected) return blocked && !detected ? model::TechniqueOutcome::kBlocked : model::TechniqueOutcome::kSucceeded;
  std::string title = ToLower(StringOr(alert, "title"));
  for (std::string_view suffix : {"was prevented", "was blocked"}) {
    if (title.size() >= suffix.size() && title.compare(title.size() - suffix.size(), suffix.size(), suffix) == 0) {
      return model::TechniqueOutcome::kBlocked;
    }
  }
  return model::TechniqueOutcome::kSucceeded;
}

// The fields Defender records carry ids, times, techniques, threats and assets in (field_checks.h).
constexpr FieldRule kUserAccountFields[] = {
    {"userPrincipalName", Shape::kText}, {"accountName", Shape::kText}, {"domainName", Shape::kText}};
constexpr FieldRule kEvidenceFields[] = {
    {"detectionStatus", Shape::kText}, {"deviceDnsName", Shape::kText},     {"mdeDeviceId", Shape::kText},
    {"azureAdDeviceId", Shape::kText}, {"userAccount", Shape::kObject, kUserAccountFields},
    {"primaryAddress", Shape::kText},  {"upn", Shape::kText},               {"resourceId", Shape::kText}};
constexpr FieldRule kDeviceFields[] = {
    {"deviceDnsName", Shape::kText}, {"mdeDeviceId", Shape::kText}, {"mdatpDeviceId", Shape::kText}, {"aadDeviceId", Shape::kText}};
constexpr FieldRule kAlertFields[] = {
    {"id", Shape::kText},
    {"alertId", Shape::kText},
    {"incidentId", Shape::kText},
    {"createdDateTime", Shape::kTime},
    {"lastUpdateDateTime", Shape::kTime},
    {"resolvedDateTime", Shape::kTime},
    {"resolvedTime", Shape::kTime},
    {"mitreTechniques", Shape::kTextList, {}, "an array of technique IDs"},
    {"evidence", Shape::kObjects, kEvidenceFields},
    {"devices", Shape::kObjects, kDeviceFields},
    {"entities", Shape::kObjects, kUserAccountFields},
    {"actorDisplayName", Shape::kText},
    {"threatFamilyName", Shape::kText},
    {"actorName", Shape::kText}};
constexpr FieldRule kIncidentFields[] = {
    {"id", Shape::kText},
    {"incidentId", Shape::kText},
    {"createdDateTime", Shape::kTime},
    {"createdTime", Shape::kTime},
    {"lastUpdateDateTime", Shape::kTime},
    {"lastUpdateTime", Shape::kTime},
    {"alerts", Shape::kObjects, kAlertFields, "an array of alerts"}};

void ReadAlert(const rapidjson::Value& alert, SourceIncident& out, std::optional<TimeMs>& last_resolved) {
  std::string category = StringOr(alert, "category");
  model::TechniqueOutcome outcome = OutcomeOf(alert);
  for (const auto& technique : AsTextList(Field(alert, "mitreTechniques"))) {
    out.techniques.push_back({technique, category, outcome});
  }
  if (const rapidjson::Value* evidence = Member(alert, "evidence"); evidence && evidence->IsArray()) {
    for (const auto& item : evidence->GetArray()) {
      if (item.IsObject()) ReadEvidence(item, out.incident);
    }
  }
  // Legacy /api/incidents alerts list devices and entities directly.
  if (const rapidjson::Value* devices = Member(alert, "devices"); devices && devices->IsArray()) {
    for (const auto& device : devices->GetArray()) {
      if (auto id = FirstText(device, {"deviceDnsName", "mdeDeviceId", "mdatpDeviceId", "aadDeviceId"})) AddAsset(out.incident, "device", *id);
    }
  }
  if (const rapidjson::Value* entities = Member(alert, "entities"); entities && entities->IsArray()) {
    for (const auto& entity : entities->GetArray()) {
      if (entity.IsObject()) ReadEntity(entity, out.incident);
    }
  }
  for (const char* key : {"actorDisplayName", "threatFamilyName", "actorName"}) {
    if (auto name = FirstText(alert, {key})) out.incident.threats.push_back(*name);
  }
  auto resolved = AsTime(Field(alert, "resolvedDateTime"));
  if (!resolved) resolved = AsTime(Field(alert, "resolvedTime"));
  if (resolved && (!last_resolved || *resolved > *last_resolved)) last_resolved = resolved;
}

// A Graph `alerts_v2` alert (GET /security/alerts_v2) rather than an incident: it has a
// title and either an incidentId or the alert-only keys, and no incident keys.
bool IsAlert(const rapidjson::Value& record) {
  if (!record.IsObject() || Member(record, "alerts") || Member(record, "incidentName") || Member(record, "displayName")) return false;
  std::string type = ToLower(StringOr(record, "@odata.type"));
  if (type == "#microsoft.graph.security.alert") return true;
  return Member(record, "title") &&
         (Member(record, "alertWebUrl") || Member(record, "providerAlertId") || Member(record, "mitreTechniques") ||
          Member(record, "evidence"));
}

int SeverityRank(const std::string& severity) {
  if (severity == "informational") return 1;
  if (severity == "low") return 2;
  if (severity == "medium") return 3;
  if (severity == "high") return 4;
  if (severity == "critical") return 5;
  return 0;
}

// The alerts_v2 alerts of one incident, in file order.
struct AlertGroup {
  std::vector<const rapidjson::Value*> alerts;
  std::string where;  // the first alert's place
};

// One incident from the alerts of an alerts_v2 list that share an incidentId (or a single
// alert without one). The list has no incident object, so: title = the earliest alert's title,
// created = the earliest alert createdDateTime, closed when every alert is resolved (at the
// latest resolvedDateTime), severity = the highest, classification = true-positive if any alert
// is, else the first alert's that is not undetermined.
SourceIncident FromAlerts(const std::string& id, const AlertGroup& group) {
  SourceIncident source;
  source.where = group.where;
  model::Incident& inc = source.incident;
  inc.id = "defender:" + id;
  inc.source = "defender";
  bool all_resolved = true;
  std::optional<TimeMs> last_resolved;
  inc.classification = model::Classification::kUndetermined;
  for (const rapidjson::Value* alert : group.alerts) {
    auto created = AsTime(Field(*alert, "createdDateTime"));
    if (created && (!inc.created || *created < *inc.created)) {
      inc.created = created;
      inc.title = FirstText(*alert, {"title"}).value_or(inc.title);
    } else if (inc.title.empty()) {
      inc.title = FirstText(*alert, {"title"}).value_or("");
    }
    if (FoldEnum(StringOr(*alert, "status")) != "resolved") all_resolved = false;
    std::string severity = NormalizeSeverity(StringOr(*alert, "severity"));
    if (SeverityRank(severity) > SeverityRank(inc.severity)) inc.severity = severity;
    auto classification = ClassificationOf(*alert);
    if (classification == model::Classification::kTruePositive ||
        (inc.classification == model::Classification::kUndetermined && classification != model::Classification::kUndetermined)) {
      inc.classification = classification;
    }
    ReadAlert(*alert, source, last_resolved);
  }
  inc.status = all_resolved ? "closed" : "open";
  if (all_resolved) {
    inc.closed = last_resolved;
    for (const rapidjson::Value* alert : group.alerts) {
      auto updated = AsTime(Field(*alert, "lastUpdateDateTime"));
      if (!inc.closed && updated) inc.closed = updated;
    }
  }
  return source;
}

class DefenderReader : public IncidentReader {
 public:
  std::string_view Name() const override { return "defender"; }

  int Detect(const SourceFile& file) const override {
    rapidjson::Document scratch;
    const rapidjson::Value* first = FirstJsonRecord(file, {"value"}, scratch);
    if (first == nullptr || !first->IsObject()) return 0;
    if (Member(*first, "incidentWebUrl") || (Member(*first, "alerts") && Member(*first, "createdDateTime"))) return 90;
    if (Member(*first, "incidentId") && Member(*first, "incidentName")) return 90;
    if (IsAlert(*first) && (Member(*first, "incidentId") || Member(*first, "alertWebUrl"))) return 90;
    if (Member(*first, "createdDateTime") && Member(*first, "displayName") && Member(*first, "classification")) return 70;
    return 0;
  }

  Status Read(const SourceFile& file, ReadOutput& out) const override {
    // alerts_v2 alerts are grouped by incidentId (ordered by first appearance); the JSON
    // document outlives the walk, NDJSON lines do not, so those are copied.
    rapidjson::Document copies(rapidjson::kArrayType);
    std::vector<std::unique_ptr<rapidjson::Value>> kept;
    std::map<std::string, AlertGroup> groups;
    std::vector<std::string> order;
    // Records in file order: an incident (its SourceIncident) or a group key.
    std::vector<std::variant<SourceIncident, std::string>> records;
    ForEachJsonRecord(file, {"value"}, out, [&](const rapidjson::Value& record, const std::string& where) {
      if (!record.IsObject()) {
        out.rejects.push_back({where, "record must be a JSON object"});
        return;
      }
      if (IsAlert(record)) {
        if (std::string problem = FieldsProblem(record, kAlertFields); !problem.empty()) {
          out.rejects.push_back({where, problem});
          return;
        }
        auto incident_id = FirstText(record, {"incidentId"});
        auto alert_id = FirstText(record, {"id", "alertId"});
        if (!incident_id && !alert_id) {
          out.rejects.push_back({where, MissingField("incidentId")});
          return;
        }
        std::string key = incident_id ? *incident_id : *alert_id;
        const rapidjson::Value* stable = &record;
        if (file.json == nullptr) {
          kept.push_back(std::make_unique<rapidjson::Value>(record, copies.GetAllocator()));
          stable = kept.back().get();
        }
        auto [it, inserted] = groups.try_emplace(key);
        if (inserted) {
          it->second.where = where;
          records.emplace_back(key);
        }
        it->second.alerts.push_back(stable);
        return;
      }
      if (std::string problem = FieldsProblem(record, kIncidentFields); !problem.empty()) {
        out.rejects.push_back({where, problem});
        return;
      }
      auto id = FirstText(record, {"id", "incidentId"});
      if (!id) {
        out.rejects.push_back({where, MissingField("id")});
        return;
      }
      records.emplace_back(FromIncident(record, *id, where));
    });
    for (auto& record : records) {
      if (auto* incident = std::get_if<SourceIncident>(&record)) {
        out.incidents.push_back(std::move(*incident));
      } else {
        const std::string& key = std::get<std::string>(record);
        out.incidents.push_back(FromAlerts(key, groups.at(key)));
      }
    }
    return Status::Ok();
  }

 private:
  static SourceIncident FromIncident(const rapidjson::Value& record, const std::string& id, const std::string& where) {
    SourceIncident source;
    source.where = where;
    model::Incident& inc = source.incident;
    inc.id = "defender:" + id;
    inc.source = "defender";
    inc.title = FirstText(record, {"displayName", "incidentName"}).value_or("");
    inc.created = AsTime(Field(record, "createdDateTime"));
    if (!inc.created) inc.created = AsTime(Field(record, "createdTime"));
    auto updated = AsTime(Field(record, "lastUpdateDateTime"));
    if (!updated) updated = AsTime(Field(record, "lastUpdateTime"));
    // redirected = merged into another incident, which carries on: closed here.
    std::string status = FoldEnum(StringOr(record, "status"));
    inc.status = status == "resolved" || status == "redirected" ? "closed" : "open";
    inc.classification = ClassificationOf(record);
    inc.severity = NormalizeSeverity(StringOr(record, "severity"));
    std::optional<TimeMs> last_resolved;
    if (const rapidjson::Value* alerts = Member(record, "alerts"); alerts && alerts->IsArray()) {
      for (const auto& alert : alerts->GetArray()) {
        if (alert.IsObject()) ReadAlert(alert, source, last_resolved);
      }
    }
    if (inc.status == "closed") inc.closed = last_resolved ? last_resolved : updated;
    return source;
  }
};

}  // namespace

std::unique_ptr<IncidentReader> MakeDefenderReader() { return std::make_unique<DefenderReader>(); }

}  // namespace tidemark::importers::incidents
