#include "importers/incidents/misp_reader.h"

#include "engine/core/ids.h"
#include "engine/core/json.h"
#include "importers/incidents/field_checks.h"
#include "importers/incidents/reader_util.h"
#include "importers/incidents/thehive_reader.h"

namespace tidemark::importers::incidents {
namespace {

constexpr std::initializer_list<const char*> kWrappers = {"response"};

// How many of MISP's own event keys `object` has.
int EventKeys(const rapidjson::Value& object) {
  int keys = 0;
  for (const char* key : {"uuid", "info", "Attribute", "Tag", "Galaxy", "threat_level_id", "analysis", "Orgc"}) {
    if (Member(object, key) != nullptr) ++keys;
  }
  return keys;
}

// A bare event (PyMISP MISPEvent.to_json(), an event of a restSearch "response" list written
// without its wrapper): the event's own keys at the top, `info` among them, no "Event".
bool IsBareEvent(const rapidjson::Value& record) {
  return record.IsObject() && Member(record, "Event") == nullptr && Member(record, "info") != nullptr &&
         EventKeys(record) >= 3;
}

// The event of a record: {"Event": {...}} or a bare event; nullptr for anything else.
const rapidjson::Value* EventOf(const rapidjson::Value& record) {
  if (!record.IsObject()) return nullptr;
  const rapidjson::Value* event = Member(record, "Event");
  if (event != nullptr) return event->IsObject() ? event : nullptr;
  return IsBareEvent(record) ? &record : nullptr;
}

bool IsEvent(const rapidjson::Value& record) {
  const rapidjson::Value* event = EventOf(record);
  // Two of MISP's own keys; the uuid is not required, so an event without one is still
  // recognised and then rejected by name.
  return event != nullptr && EventKeys(*event) >= 2;
}

// An ATT&CK technique ID ("T1059.001", any case) or a foreign technique-like one kept as
// unknown (ATLAS "AML.T0040"); not CAPEC-576, CWE-79 or other ids MISP clusters list.
bool IsTechniqueShaped(std::string_view id) {
  return NormalizeTechniqueId(id).has_value() || IsForeignTechniqueId(id);
}

// "PowerShell - T1059.001" -> "T1059.001"; "" when the value has no " - " suffix.
std::string SuffixId(std::string_view value) {
  size_t dash = value.rfind(" - ");
  if (dash == std::string_view::npos) return "";
  std::string_view id = value.substr(dash + 3);
  while (!id.empty() && (id.back() == '"' || id.back() == ' ')) id.remove_suffix(1);
  return std::string(id);
}

bool IsAttackPatternTag(const std::string& lower) {
  return lower.rfind("misp-galaxy:mitre-attack-pattern=", 0) == 0 ||
         lower.rfind("misp-galaxy:mitre-enterprise-attack-attack-pattern=", 0) == 0;
}

// The tactic of an attack-pattern cluster: the phase after the last ':' of each kill_chain
// entry ("mitre-attack:discovery", "mitre-attack:enterprise-attack:discovery",
// "attack-Linux:discovery" — one entry per platform in current galaxies), when they all name
// the same phase; "" when they name several (a technique of several tactics) or none.
std::string TacticOf(const rapidjson::Value* meta) {
  if (meta == nullptr || !meta->IsObject()) return "";
  std::string tactic;
  for (const auto& phase : AsTextList(Member(*meta, "kill_chain"))) {
    size_t colon = phase.rfind(':');
    std::string name = colon == std::string::npos ? phase : phase.substr(colon + 1);
    if (name.empty()) continue;
    if (!tactic.empty() && tactic != name) return "";
    tactic = name;
  }
  return tactic;
}

struct Verdict {
  bool confirmed_fp = false;
  bool confirmed_tp = false;
  bool risky = false;
};

void ReadTags(const rapidjson::Value* tags, SourceIncident& out, Verdict& verdict) {
  if (tags == nullptr || !tags->IsArray()) return;
  for (const auto& tag : tags->GetArray()) {
    auto name = tag.IsObject() ? FirstText(tag, {"name"}) : AsText(&tag);
    if (!name) continue;
    std::string lower = ToLower(*name);
    if (IsAttackPatternTag(lower)) {
      std::string id = SuffixId(*name);
      if (IsTechniqueShaped(id)) out.techniques.push_back({id, ""});
    } else if (lower == "false-positive:confirmed=\"true\"") {
      verdict.confirmed_fp = true;
    } else if (lower == "false-positive:confirmed=\"false\"") {
      verdict.confirmed_tp = true;
    } else if (lower == "false-positive:risk=\"high\"") {
      verdict.risky = true;
    } else if (std::string threat = ThreatFromTag(*name); !threat.empty()) {
      out.incident.threats.push_back(threat);
    }
  }
}

void ReadGalaxies(const rapidjson::Value* galaxies, SourceIncident& out) {
  if (galaxies == nullptr || !galaxies->IsArray()) return;
  for (const auto& galaxy : galaxies->GetArray()) {
    if (!galaxy.IsObject()) continue;
    std::string type = ToLower(StringOr(galaxy, "type"));
    const rapidjson::Value* clusters = Member(galaxy, "GalaxyCluster");
    if (clusters == nullptr || !clusters->IsArray()) continue;
    for (const auto& cluster : clusters->GetArray()) {
      if (!cluster.IsObject()) continue;
      const rapidjson::Value* meta = Member(cluster, "meta");
      if (meta != nullptr && !meta->IsObject()) meta = nullptr;
      std::vector<std::string> ids = meta != nullptr ? AsTextList(Member(*meta, "external_id")) : std::vector<std::string>{};
      std::string value = StringOr(cluster, "value");
      if (ids.empty() && !SuffixId(value).empty()) ids.push_back(SuffixId(value));
      if (type == "mitre-attack-pattern" || type == "mitre-enterprise-attack-attack-pattern") {
        std::string tactic = TacticOf(meta);
        for (const auto& id : ids) {
          if (IsTechniqueShaped(id)) out.techniques.push_back({id, tactic});
        }
      } else if (type == "mitre-intrusion-set" || type == "mitre-malware" || type == "mitre-tool" ||
                 type == "mitre-campaign") {
        if (!ids.empty()) out.incident.threats.push_back(ids.front());
        else if (!value.empty()) out.incident.threats.push_back(value);
      } else if ((type == "threat-actor" || type == "tool") && !value.empty()) {
        // The generic `tool` galaxy names software ATT&CK tracks under the same name
        // (BabyShark, S0414); the normaliser resolves it, or keeps it as a custom threat.
        out.incident.threats.push_back(value);
      }
    }
  }
}

void ReadAttributes(const rapidjson::Value* attributes, SourceIncident& out, Verdict& verdict) {
  if (attributes == nullptr || !attributes->IsArray()) return;
  for (const auto& attribute : attributes->GetArray()) {
    if (!attribute.IsObject()) continue;
    std::string type = ToLower(StringOr(attribute, "type"));
    auto value = FirstText(attribute, {"value"});
    const rapidjson::Value* to_ids = Member(attribute, "to_ids");
    bool indicator = to_ids != nullptr && ((to_ids->IsBool() && to_ids->GetBool()) ||
                                           (to_ids->IsString() && std::string_view(to_ids->GetString()) == "1"));
    if (value) {
      if (type == "target-machine" || (type == "hostname" && !indicator)) AddAsset(out.incident, "device", *value, *value);
      else if (type == "target-user") AddAsset(out.incident, "user", *value, *value);
      else if (type == "target-email") AddAsset(out.incident, "mailbox", *value, *value);
    }
    ReadTags(Member(attribute, "Tag"), out, verdict);
    ReadGalaxies(Member(attribute, "Galaxy"), out);
  }
}

// The lists of an event that carry techniques, threats and assets, down to the clusters
// (field_checks.h). Tags are objects with a name, or the names themselves.
constexpr FieldRule kMetaFields[] = {{"external_id", Shape::kTextList}, {"kill_chain", Shape::kTextList}};
constexpr FieldRule kClusterFields[] = {{"value", Shape::kText}, {"meta", Shape::kObject, kMetaFields}};
constexpr FieldRule kGalaxyFields[] = {{"type", Shape::kText}, {"GalaxyCluster", Shape::kObjects, kClusterFields}};
constexpr FieldRule kAttributeFields[] = {
    {"type", Shape::kText}, {"value", Shape::kText}, {"Tag", Shape::kArray}, {"Galaxy", Shape::kObjects, kGalaxyFields}};
constexpr FieldRule kObjectFields[] = {{"Attribute", Shape::kObjects, kAttributeFields}};
constexpr FieldRule kEventFields[] = {{"Tag", Shape::kArray},
                                      {"Galaxy", Shape::kObjects, kGalaxyFields},
                                      {"Attribute", Shape::kObjects, kAttributeFields},
                                      {"Object", Shape::kObjects, kObjectFields}};

// Why `event` cannot become an incident, or "" when it can: the uuid must be text, the times
// epoch seconds or dates, and the lists that carry techniques (Tag, Galaxy, Attribute, Object)
// arrays. Field names are given as MISP's JSON path ("Event.Tag"; "Tag" for a bare event).
std::string Problem(const rapidjson::Value& event, const std::string& prefix) {
  std::string problem = IdProblem(event, "uuid", prefix + "uuid");
  for (const char* key : {"date", "timestamp", "publish_timestamp"}) {
    if (problem.empty()) problem = TimeProblem(event, key, prefix + key);
  }
  return problem.empty() ? FieldsProblem(event, kEventFields, prefix) : problem;
}

class MispReader : public IncidentReader {
 public:
  std::string_view Name() const override { return "misp"; }

  int Detect(const SourceFile& file) const override {
    rapidjson::Document scratch;
    const rapidjson::Value* first = FirstJsonRecord(file, kWrappers, scratch);
    return first != nullptr && IsEvent(*first) ? 90 : 0;
  }

  Status Read(const SourceFile& file, ReadOutput& out) const override {
    ForEachJsonRecord(file, kWrappers, out, [&](const rapidjson::Value& record, const std::string& where) {
      const rapidjson::Value* event = EventOf(record);
      if (event == nullptr) {
        out.rejects.push_back({where, record.IsObject() ? WrongType("Event", "an object") : "record must be a JSON object"});
        return;
      }
      if (std::string problem = Problem(*event, event == &record ? "" : "Event."); !problem.empty()) {
        out.rejects.push_back({where, problem});
        return;
      }
      auto uuid = FirstText(*event, {"uuid"});
      SourceIncident source;
      source.where = where;
      model::Incident& inc = source.incident;
      inc.id = "misp:" + *uuid;  // Problem() made sure it is there
      inc.source = "misp";
      inc.title = FirstText(*event, {"info"}).value_or("");
      auto modified = AsTime(Member(*event, "timestamp"));
      inc.created = AsTime(Member(*event, "date"));
      if (!inc.created) inc.created = modified;
      bool closed = FirstText(*event, {"analysis"}).value_or("") == "2";
      inc.status = closed ? "closed" : "open";
      if (closed) inc.closed = modified ? modified : AsTime(Member(*event, "publish_timestamp"));
      if (inc.closed && *inc.closed <= 0) inc.closed.reset();  // "0": never published
      std::string level = FirstText(*event, {"threat_level_id"}).value_or("");
      inc.severity = level == "1" ? "high" : level == "2" ? "medium" : level == "3" ? "low" : "";
      Verdict verdict;
      ReadTags(Member(*event, "Tag"), source, verdict);
      ReadGalaxies(Member(*event, "Galaxy"), source);
      ReadAttributes(Member(*event, "Attribute"), source, verdict);
      if (const rapidjson::Value* objects = Member(*event, "Object"); objects && objects->IsArray()) {
        for (const auto& object : objects->GetArray()) {
          if (object.IsObject()) ReadAttributes(Member(object, "Attribute"), source, verdict);
        }
      }
      inc.classification = verdict.confirmed_fp ? model::Classification::kFalsePositive
                           : verdict.confirmed_tp ? model::Classification::kTruePositive
                           : verdict.risky        ? model::Classification::kUndetermined
                                                  : model::Classification::kTruePositive;
      out.incidents.push_back(std::move(source));
    });
    return Status::Ok();
  }
};

}  // namespace

std::unique_ptr<IncidentReader> MakeMispReader() { return std::make_unique<MispReader>(); }

}  // namespace tidemark::importers::incidents
