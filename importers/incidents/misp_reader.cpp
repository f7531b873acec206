#include "importers/incidents/misp_reader.h"

#include "engine/core/ids.h"
#include "engine/core/json.h"
#include "importers/incidents/field_checks.h"
#include "importers/incidents/reader_util.h"
#include "importers/incidents/thehive_reader.h"

namespace tidemark::importers::incidents {
namespace {

constexpr std::initializer_list<const char*> kWrappers = {"response"};

const rapidjson::Value* EventOf(const rapidjson::Value& record) {
  if (!record.IsObject()) return nullptr;
  const rapidjson::Value* event = Member(record, "Event");
  return event != nullptr && event->IsObject() ? event : nullptr;
}

bool IsEvent(const rapidjson::Value& record) {
  const rapidjson::Value* event = EventOf(record);
  if (event == nullptr) return false;
  // Two of MISP's own keys; the uuid is not required, so an event without one is still
  // recognised and then rejected by name.
  int keys = 0;
  for (const char* key : {"uuid", "info", "Attribute", "Tag", "Galaxy", "threat_level_id", "analysis", "Orgc"}) {
    if (Member(*event, key) != nullptr) ++keys;
  }
  return keys >= 2;
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

std::string TacticOf(const rapidjson::Value* meta) {
  if (meta == nullptr) return "";
  auto phases = AsTextList(Member(*meta, "kill_chain"));
  if (phases.size() != 1) return "";
  size_t colon = phases.front().rfind(':');
  return colon == std::string::npos ? phases.front() : phases.front().substr(colon + 1);
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
      if (!id.empty()) out.techniques.push_back({id, ""});
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
      std::vector<std::string> ids = meta != nullptr ? AsTextList(Member(*meta, "external_id")) : std::vector<std::string>{};
      std::string value = StringOr(cluster, "value");
      if (ids.empty() && !SuffixId(value).empty()) ids.push_back(SuffixId(value));
      if (type == "mitre-attack-pattern" || type == "mitre-enterprise-attack-attack-pattern") {
        std::string tactic = TacticOf(meta);
        for (const auto& id : ids) out.techniques.push_back({id, tactic});
      } else if (type == "mitre-intrusion-set" || type == "mitre-malware" || type == "mitre-tool" ||
                 type == "mitre-campaign") {
        if (!ids.empty()) out.incident.threats.push_back(ids.front());
        else if (!value.empty()) out.incident.threats.push_back(value);
      } else if (type == "threat-actor" && !value.empty()) {
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

// Why `event` cannot become an incident, or "" when it can: the uuid must be text, the times
// epoch seconds or dates, and the lists that carry techniques (Tag, Galaxy, Attribute, Object)
// arrays. Field names are given as MISP's JSON path ("Event.Tag").
std::string Problem(const rapidjson::Value& event) {
  std::string problem = IdProblem(event, "uuid", "Event.uuid");
  for (const char* key : {"date", "timestamp", "publish_timestamp"}) {
    if (problem.empty()) problem = TimeProblem(event, key, std::string("Event.") + key);
  }
  for (const char* key : {"Tag", "Galaxy", "Attribute", "Object"}) {
    if (problem.empty()) problem = ArrayProblem(event, key, std::string("Event.") + key);
  }
  return problem;
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
      if (std::string problem = Problem(*event); !problem.empty()) {
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
