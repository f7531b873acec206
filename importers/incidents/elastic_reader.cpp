#include "importers/incidents/elastic_reader.h"

#include <map>

#include "engine/core/ids.h"
#include "engine/core/json.h"
#include "importers/incidents/field_checks.h"
#include "importers/incidents/reader_util.h"

namespace tidemark::importers::incidents {
namespace {

const rapidjson::Value& SourceOf(const rapidjson::Value& record) {
  const rapidjson::Value* source = Member(record, "_source");
  return source && source->IsObject() ? *source : record;
}

// An Elastic Defend (Endpoint) alert as the endpoint writes it to logs-endpoint.alerts-*,
// before (or without) a detection rule turning it into a Kibana alert: event.kind "alert" from
// the endpoint module.
bool IsEndpointAlert(const rapidjson::Value& doc) {
  if (FoldEnum(FirstText(doc, {"event.kind"}).value_or("")) != "alert") return false;
  std::string module = FoldEnum(FirstText(doc, {"event.module"}).value_or(""));
  return module == "endpoint" || module == "endgame" ||
         FirstText(doc, {"data_stream.dataset", "event.dataset"}).value_or("") == "endpoint.alerts";
}

bool HasAlertKeys(const rapidjson::Value& doc) {
  if (!doc.IsObject()) return false;
  if (Field(doc, "kibana.alert.uuid") || Field(doc, "kibana.alert.rule.name") || Field(doc, "signal.rule")) return true;
  if (IsEndpointAlert(doc)) return true;
  for (const auto& member : doc.GetObject()) {
    std::string_view key(member.name.GetString(), member.name.GetStringLength());
    if (key.substr(0, 13) == "kibana.alert.") return true;
  }
  return false;
}

// The fields of an alert document that carry ids, times, techniques, threats and assets
// (field_checks.h); a rule's `threat` is [{framework, tactic{id,name}, technique[{id,
// subtechnique[{id}]}]}], ECS threat.* and host/user values single or arrays.
constexpr FieldRule kIdNameFields[] = {{"id", Shape::kText}, {"name", Shape::kText}};
constexpr FieldRule kTechniqueFields[] = {{"id", Shape::kText}, {"subtechnique", Shape::kObjects, kIdNameFields}};
constexpr FieldRule kRuleThreatFields[] = {{"tactic", Shape::kObject, kIdNameFields},
                                           {"technique", Shape::kObjects, kTechniqueFields}};
constexpr FieldRule kElasticAlertFields[] = {
    {"kibana.alert.uuid", Shape::kText},
    {"event.id", Shape::kText},
    {"@timestamp", Shape::kTime},
    {"kibana.alert.start", Shape::kTime},
    {"kibana.alert.original_time", Shape::kTime},
    {"event.created", Shape::kTime},
    {"kibana.alert.workflow_status_updated_at", Shape::kTime},
    {"kibana.alert.rule.threat", Shape::kObjects, kRuleThreatFields},
    {"signal.rule.threat", Shape::kObjects, kRuleThreatFields},
    {"kibana.alert.rule.parameters.threat", Shape::kObjects, kRuleThreatFields},
    {"threat.tactic.id", Shape::kTextList},
    {"threat.tactic.name", Shape::kTextList},
    {"threat.technique.id", Shape::kTextList},
    {"threat.technique.subtechnique.id", Shape::kTextList},
    {"threat.group.id", Shape::kTextList},
    {"threat.group.name", Shape::kTextList},
    {"threat.software.id", Shape::kTextList},
    {"threat.software.name", Shape::kTextList},
    {"host.name", Shape::kTextList},
    {"host.hostname", Shape::kTextList},
    {"user.name", Shape::kTextList},
    {"user.domain", Shape::kText},
    {"user.email", Shape::kTextList},
    {"cloud.instance.id", Shape::kTextList},
    {"cloud.instance.name", Shape::kText}};
constexpr FieldRule kHitFields[] = {{"_id", Shape::kText}, {"_source", Shape::kObject}};

// One `threat` entry of a rule: {framework, tactic{id,name}, technique[{id, subtechnique[{id}]}]}.
void ReadRuleThreat(const rapidjson::Value& threat, SourceIncident& out) {
  std::string tactic = FirstText(threat, {"tactic.id", "tactic.name"}).value_or("");
  const rapidjson::Value* techniques = Field(threat, "technique");
  if (techniques == nullptr || !techniques->IsArray()) return;
  for (const auto& technique : techniques->GetArray()) {
    std::string id = FirstText(technique, {"id"}).value_or("");
    if (!id.empty()) out.techniques.push_back({id, tactic});
    const rapidjson::Value* subs = Field(technique, "subtechnique");
    if (subs == nullptr || !subs->IsArray()) continue;
    for (const auto& sub : subs->GetArray()) {
      std::string sub_id = FirstText(sub, {"id"}).value_or("");
      // ECS says the full ID; a bare "001" is rebuilt from the parent.
      if (auto joined = JoinTechniqueId(id, sub_id); joined && sub_id.find('.') == std::string::npos) sub_id = *joined;
      if (!sub_id.empty()) out.techniques.push_back({sub_id, tactic});
    }
  }
}

void ReadThreats(const rapidjson::Value& doc, SourceIncident& out) {
  for (const char* path : {"kibana.alert.rule.threat", "signal.rule.threat", "kibana.alert.rule.parameters.threat"}) {
    const rapidjson::Value* list = Field(doc, path);
    if (list == nullptr || !list->IsArray()) continue;
    for (const auto& threat : list->GetArray()) ReadRuleThreat(threat, out);
  }
  // ECS threat.* copied from the source event: values may be single or arrays.
  auto tactics = AsTextList(Field(doc, "threat.tactic.id"));
  if (tactics.empty()) tactics = AsTextList(Field(doc, "threat.tactic.name"));
  std::string tactic = tactics.size() == 1 ? tactics.front() : "";
  for (const char* path : {"threat.technique.id", "threat.technique.subtechnique.id"}) {
    for (auto& id : AsTextList(Field(doc, path))) out.techniques.push_back({std::move(id), tactic});
  }
  for (const char* path : {"threat.group.id", "threat.group.name", "threat.software.id", "threat.software.name"}) {
    for (auto& name : AsTextList(Field(doc, path))) out.incident.threats.push_back(std::move(name));
  }
  // Only one of ID and name is needed; the normaliser merges an ID and a name of one threat.
}

model::Classification ElasticClassification(const rapidjson::Value& doc) {
  std::vector<std::string> candidates = AsTextList(Field(doc, "kibana.alert.workflow_reason"));
  for (auto& tag : AsTextList(Field(doc, "kibana.alert.workflow_tags"))) candidates.push_back(std::move(tag));
  for (const auto& candidate : candidates) {
    std::string folded = FoldEnum(candidate);
    if (folded.empty() || folded == "other" || folded == "unknown") continue;
    if (auto parsed = model::ParseClassification(candidate)) return *parsed;
  }
  return model::Classification::kUndetermined;
}

// Whether the activity was stopped: ECS event.type "denied" (Elastic Defend prevention alerts,
// e.g. "Malware Prevention Alert" with event.type [info, change, denied]; the Kibana alert
// keeps the source event's as kibana.alert.original_event.type), or an Endgame alert with
// endgame.metadata.type "prevention".
model::TechniqueOutcome ElasticOutcome(const rapidjson::Value& doc) {
  for (const char* path : {"event.type", "kibana.alert.original_event.type", "signal.original_event.type"}) {
    for (const auto& type : AsTextList(Field(doc, path))) {
      if (FoldEnum(type) == "denied") return model::TechniqueOutcome::kBlocked;
    }
  }
  if (FoldEnum(FirstText(doc, {"endgame.metadata.type"}).value_or("")) == "prevention") return model::TechniqueOutcome::kBlocked;
  return model::TechniqueOutcome::kSucceeded;
}

std::string SeverityOf(const rapidjson::Value& doc) {
  std::string severity = NormalizeSeverity(FirstText(doc, {"kibana.alert.severity", "signal.rule.severity"}).value_or(""));
  if (!severity.empty()) return severity;
  auto risk = AsNumber(Field(doc, "kibana.alert.risk_score"));
  if (!risk) risk = AsNumber(Field(doc, "event.risk_score"));
  if (!risk) return "";
  return *risk <= 21 ? "low" : *risk <= 47 ? "medium" : *risk <= 73 ? "high" : "critical";
}

void ReadAssets(const rapidjson::Value& doc, model::Incident& inc) {
  for (auto& host : AsTextList(Field(doc, "host.name"))) AddAsset(inc, "device", host);
  if (inc.assets.empty()) {
    for (auto& host : AsTextList(Field(doc, "host.hostname"))) AddAsset(inc, "device", host);
  }
  auto users = AsTextList(Field(doc, "user.name"));
  auto domain = FirstText(doc, {"user.domain"});
  for (auto& user : users) AddAsset(inc, "user", domain && users.size() == 1 ? *domain + "\\" + user : user);
  for (auto& mail : AsTextList(Field(doc, "user.email"))) AddAsset(inc, "mailbox", mail);
  for (auto& instance : AsTextList(Field(doc, "cloud.instance.id"))) {
    AddAsset(inc, "cloud-resource", instance, FirstText(doc, {"cloud.instance.name"}).value_or(""));
  }
}

class ElasticReader : public IncidentReader {
 public:
  std::string_view Name() const override { return "elastic"; }

  int Detect(const SourceFile& file) const override {
    rapidjson::Document scratch;
    const rapidjson::Value* first = nullptr;
    if (file.json && file.json->IsObject() && Field(*file.json, "hits.hits")) {
      const rapidjson::Value* hits = Field(*file.json, "hits.hits");
      if (hits->IsArray() && !hits->Empty()) first = &(*hits)[0];
    } else {
      first = FirstJsonRecord(file, {}, scratch);
    }
    return first != nullptr && HasAlertKeys(SourceOf(*first)) ? 90 : 0;
  }

  Status Read(const SourceFile& file, ReadOutput& out) const override {
    std::map<std::string, std::pair<TimeMs, SourceIncident>> alerts;  // id -> latest version
    std::vector<std::string> order;
    auto visit = [&](const rapidjson::Value& record, const std::string& where) {
      if (!record.IsObject()) {
        out.rejects.push_back({where, "record must be a JSON object"});
        return;
      }
      const rapidjson::Value& doc = SourceOf(record);
      std::string problem = FieldsProblem(record, kHitFields);
      if (problem.empty()) problem = FieldsProblem(doc, kElasticAlertFields, &doc == &record ? "" : "_source.");
      if (!problem.empty()) {
        out.rejects.push_back({where, problem});
        return;
      }
      // _id equals kibana.alert.uuid in Kibana alerts; an Elastic Defend alert read straight
      // from its data stream (no _id, e.g. an export of _source documents) has event.id.
      auto id = FirstText(record, {"_id"});
      if (!id) id = FirstText(doc, {"kibana.alert.uuid", "event.id"});
      if (!id) {
        out.rejects.push_back({where, MissingField("_id")});
        return;
      }
      SourceIncident source;
      source.where = where;
      model::Incident& inc = source.incident;
      inc.id = "elastic:" + *id;
      inc.source = "elastic";
      inc.title = FirstText(doc, {"kibana.alert.rule.name", "signal.rule.name", "rule.name", "message"}).value_or("");
      auto timestamp = AsTime(Field(doc, "@timestamp"));
      inc.created = AsTime(Field(doc, "kibana.alert.start"));
      if (!inc.created) inc.created = timestamp;
      if (!inc.created) inc.created = AsTime(Field(doc, "kibana.alert.original_time"));
      if (!inc.created) inc.created = AsTime(Field(doc, "event.created"));
      std::string status = FoldEnum(FirstText(doc, {"kibana.alert.workflow_status", "signal.status"}).value_or(""));
      inc.status = status == "closed" ? "closed" : "open";
      if (inc.status == "closed") {
        inc.closed = AsTime(Field(doc, "kibana.alert.workflow_status_updated_at"));
        if (!inc.closed) inc.closed = timestamp;
      }
      inc.classification = ElasticClassification(doc);
      inc.severity = SeverityOf(doc);
      ReadThreats(doc, source);
      model::TechniqueOutcome outcome = ElasticOutcome(doc);
      for (auto& technique : source.techniques) technique.outcome = outcome;
      ReadAssets(doc, inc);
      TimeMs version = timestamp.value_or(0);
      std::string key = inc.id;
      auto it = alerts.find(key);
      if (it == alerts.end()) {
        order.push_back(key);
        alerts.emplace(std::move(key), std::make_pair(version, std::move(source)));
      } else if (version >= it->second.first) {
        it->second = std::make_pair(version, std::move(source));
      }
    };
    if (file.json && file.json->IsObject() && Field(*file.json, "hits.hits")) {
      const rapidjson::Value* hits = Field(*file.json, "hits.hits");
      if (!hits->IsArray()) return Status::BadInput(file.path + ": \"hits.hits\" must be an array");
      size_t index = 0;
      for (const auto& hit : hits->GetArray()) visit(hit, file.path + ": hit " + std::to_string(++index));
    } else {
      ForEachJsonRecord(file, {}, out, visit);
    }
    for (const auto& id : order) out.incidents.push_back(std::move(alerts[id].second));
    return Status::Ok();
  }
};

}  // namespace

std::unique_ptr<IncidentReader> MakeElasticReader() { return std::make_unique<ElasticReader>(); }

}  // namespace tidemark::importers::incidents
