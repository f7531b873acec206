#include "importers/incidents/stix_reader.h"

#include <set>
#include <unordered_map>

#include "engine/core/ids.h"
#include "engine/core/json.h"
#include "importers/incidents/field_checks.h"
#include "importers/incidents/reader_util.h"

namespace tidemark::importers::incidents {
namespace {

constexpr const char* kIncidentExtension = "extension-definition--ef765651-680c-498d-9894-99799f2fa126";

const rapidjson::Value* ObjectsOf(const rapidjson::Value& doc) {
  if (doc.IsArray()) return &doc;
  if (!doc.IsObject()) return nullptr;
  const rapidjson::Value* objects = Member(doc, "objects");
  return objects != nullptr && objects->IsArray() ? objects : nullptr;
}

bool HasIncident(const rapidjson::Value& objects) {
  for (const auto& object : objects.GetArray()) {
    // No id needed: an incident without one is still this format, and Read rejects it by name.
    if (object.IsObject() && StringOr(object, "type") == "incident") return true;
  }
  return false;
}

// The mitre-* external_id of an ATT&CK object ("T1059.001", "G0016"), or "".
std::string MitreId(const rapidjson::Value& object) {
  const rapidjson::Value* refs = Member(object, "external_references");
  if (refs == nullptr || !refs->IsArray()) return "";
  for (const auto& ref : refs->GetArray()) {
    if (ref.IsObject() && StringOr(ref, "source_name").rfind("mitre-", 0) == 0) {
      if (auto id = FirstText(ref, {"external_id"})) return *id;
    }
  }
  return "";
}

std::string TacticOf(const rapidjson::Value& pattern) {
  const rapidjson::Value* phases = Member(pattern, "kill_chain_phases");
  if (phases == nullptr || !phases->IsArray()) return "";
  std::string tactic;
  int count = 0;
  for (const auto& phase : phases->GetArray()) {
    if (!phase.IsObject() || StringOr(phase, "kill_chain_name").rfind("mitre-", 0) != 0) continue;
    tactic = StringOr(phase, "phase_name");
    ++count;
  }
  return count == 1 ? tactic : "";
}

std::string TypeOfId(const std::string& id) {
  size_t dashes = id.find("--");
  return dashes == std::string::npos ? "" : id.substr(0, dashes);
}

struct Bundle {
  std::unordered_map<std::string, const rapidjson::Value*> by_id;
  std::vector<const rapidjson::Value*> incidents;
  // Both ends of every relationship, each pointing at the other: links[id] = the ids related
  // to it, in bundle order.
  std::unordered_map<std::string, std::vector<std::string>> links;
  std::vector<const rapidjson::Value*> sightings;
};

class IncidentBuilder {
 public:
  IncidentBuilder(const Bundle& bundle, SourceIncident& out) : bundle_(bundle), out_(out) {}

  void AddPattern(const std::string& ref) {
    if (!seen_.insert(ref).second) return;
    auto it = bundle_.by_id.find(ref);
    if (it == bundle_.by_id.end()) {
      out_.techniques.push_back({ref, ""});  // not in the bundle: kept visible as unknown
      return;
    }
    std::string id = MitreId(*it->second);
    out_.techniques.push_back({id.empty() ? ref : id, TacticOf(*it->second)});
  }

  // Whatever the incident is linked to: a technique, a sighting of one, an asset or a threat.
  void AddLinked(const std::string& ref) {
    std::string type = TypeOfId(ref);
    if (type == "attack-pattern") return AddPattern(ref);
    auto it = bundle_.by_id.find(ref);
    if (it == bundle_.by_id.end()) return;
    const rapidjson::Value& object = *it->second;
    model::Incident& inc = out_.incident;
    if (type == "sighting") {
      AddSighting(object);
    } else if (type == "threat-actor" || type == "intrusion-set" || type == "campaign" || type == "malware" ||
               type == "tool") {
      std::string id = MitreId(object);
      if (id.empty()) id = StringOr(object, "name");
      if (!id.empty()) inc.threats.push_back(id);
    } else if (type == "identity") {
      std::string name = StringOr(object, "name");
      AddAsset(inc, FoldEnum(StringOr(object, "identity_class")) == "individual" ? "user" : "other", name, name);
    } else if (type == "infrastructure") {
      std::string name = StringOr(object, "name");
      AddAsset(inc, "device", name, name);
    } else if (type == "ipv4-addr" || type == "ipv6-addr" || type == "domain-name") {
      AddAsset(inc, "device", StringOr(object, "value"));
    } else if (type == "user-account") {
      if (auto id = FirstText(object, {"account_login", "user_id", "display_name"})) AddAsset(inc, "user", *id);
    }
  }

  void AddSighting(const rapidjson::Value& sighting) {
    auto of = FirstText(sighting, {"sighting_of_ref"});
    if (of && TypeOfId(*of) == "attack-pattern") AddPattern(*of);
  }

 private:
  const Bundle& bundle_;
  SourceIncident& out_;
  std::set<std::string> seen_;
};

void AddLink(const rapidjson::Value& relationship, Bundle& bundle) {
  std::string from = StringOr(relationship, "source_ref");
  std::string to = StringOr(relationship, "target_ref");
  if (from.empty() || to.empty() || from == to) return;
  bundle.links[from].push_back(to);
  bundle.links[to].push_back(from);
}

model::Classification FromDetermination(const std::string& determination) {
  std::string folded = FoldEnum(determination);
  if (folded == "successfulattempt" || folded == "failedattempt" || folded == "blocked") {
    return model::Classification::kTruePositive;
  }
  if (folded == "falsepositive") return model::Classification::kFalsePositive;
  if (folded == "lowvalue") return model::Classification::kBenignPositive;
  return model::Classification::kUndetermined;
}

std::string SeverityOf(std::optional<double> criticality) {
  if (!criticality || *criticality < 0 || *criticality > 100) return "";
  if (*criticality == 0) return "informational";
  if (*criticality < 40) return "low";
  if (*criticality < 70) return "medium";
  if (*criticality < 90) return "high";
  return "critical";
}

// The Incident Core Extension of an incident SDO; nullptr when absent.
const rapidjson::Value* ExtensionOf(const rapidjson::Value& incident) {
  const rapidjson::Value* extensions = Present(incident, "extensions");
  return extensions != nullptr && extensions->IsObject() ? Present(*extensions, kIncidentExtension) : nullptr;
}

// attacker_activities (on the incident, or in its extension): objects naming a technique.
constexpr FieldRule kActivityFields[] = {{"pattern_ref", Shape::kText}};
constexpr FieldRule kActivitiesFields[] = {{"attacker_activities", Shape::kObjects, kActivityFields}};

// Why `incident` cannot be read, or "" when it can: id and times must be there / valid, the
// extensions and the Incident Core Extension objects, attacker_activities an array.
std::string Problem(const rapidjson::Value& incident) {
  std::string problem = IdProblem(incident, "id", "id");
  if (problem.empty()) problem = TimeProblem(incident, "created", "created");
  if (problem.empty()) problem = TimeProblem(incident, "modified", "modified");
  if (problem.empty()) problem = FieldsProblem(incident, kActivitiesFields);
  if (!problem.empty()) return problem;
  const rapidjson::Value* extensions = Present(incident, "extensions");
  if (extensions != nullptr && !extensions->IsObject()) return WrongType("extensions", "an object");
  const rapidjson::Value* ext = ExtensionOf(incident);
  if (ext == nullptr) return "";
  std::string field = std::string("extensions.") + kIncidentExtension;
  if (!ext->IsObject()) return WrongType(field, "an object");
  for (const char* key : {"determination", "investigation_status"}) {
    if (problem.empty()) problem = TextProblem(*ext, key, field + "." + key);
  }
  if (problem.empty()) problem = FieldsProblem(*ext, kActivitiesFields, field + ".");
  return problem;
}

class StixReader : public IncidentReader {
 public:
  std::string_view Name() const override { return "stix"; }

  int Detect(const SourceFile& file) const override {
    if (file.json == nullptr) return 0;
    const rapidjson::Value* objects = ObjectsOf(*file.json);
    if (objects == nullptr || !HasIncident(*objects)) return 0;
    return file.json->IsObject() && StringOr(*file.json, "type") == "bundle" ? 80 : 60;
  }

  Status Read(const SourceFile& file, ReadOutput& out) const override {
    const rapidjson::Value* objects = file.json != nullptr ? ObjectsOf(*file.json) : nullptr;
    if (objects == nullptr) {
      return Status::BadInput(file.path + ": expected a STIX 2.1 bundle (or a JSON array of STIX objects)");
    }
    Bundle bundle;
    for (const auto& object : objects->GetArray()) {
      if (!object.IsObject()) continue;
      std::string type = StringOr(object, "type");
      if (auto id = FirstText(object, {"id"})) bundle.by_id.emplace(*id, &object);
      if (type == "incident") bundle.incidents.push_back(&object);
      else if (type == "relationship") AddLink(object, bundle);
      else if (type == "sighting") bundle.sightings.push_back(&object);
    }
    int record = 0;
    for (const rapidjson::Value* object : bundle.incidents) {
      std::string where = file.path + ": record " + std::to_string(++record);
      if (std::string problem = Problem(*object); !problem.empty()) {
        out.rejects.push_back({where, problem});
        continue;
      }
      auto id = FirstText(*object, {"id"});
      SourceIncident source;
      source.where = where;
      model::Incident& inc = source.incident;
      inc.id = "stix:" + *id;  // Problem() made sure it is there
      inc.source = "stix";
      inc.title = FirstText(*object, {"name"}).value_or("");
      inc.created = AsTime(Member(*object, "created"));
      const rapidjson::Value* ext = ExtensionOf(*object);
      bool closed = false;
      if (ext != nullptr && ext->IsObject()) {
        closed = FoldEnum(StringOr(*ext, "investigation_status")) == "closed";
        inc.classification = FromDetermination(StringOr(*ext, "determination"));
        inc.severity = SeverityOf(AsNumber(Member(*ext, "criticality")));
      }
      inc.status = closed ? "closed" : "open";
      if (closed) inc.closed = AsTime(Member(*object, "modified"));

      IncidentBuilder builder(bundle, source);
      if (const rapidjson::Value* activities = Member(*object, "attacker_activities"); activities && activities->IsArray()) {
        for (const auto& activity : activities->GetArray()) {
          if (!activity.IsObject()) continue;
          if (auto ref = FirstText(activity, {"pattern_ref"})) builder.AddPattern(*ref);
        }
      }
      if (ext != nullptr && ext->IsObject()) {
        if (const rapidjson::Value* activities = Member(*ext, "attacker_activities"); activities && activities->IsArray()) {
          for (const auto& activity : activities->GetArray()) {
            if (!activity.IsObject()) continue;
            if (auto ref = FirstText(activity, {"pattern_ref"})) builder.AddPattern(*ref);
          }
        }
      }
      if (auto links = bundle.links.find(*id); links != bundle.links.end()) {
        for (const auto& ref : links->second) builder.AddLinked(ref);
      }
      if (bundle.incidents.size() == 1) {
        for (const rapidjson::Value* sighting : bundle.sightings) builder.AddSighting(*sighting);
      }
      out.incidents.push_back(std::move(source));
    }
    return Status::Ok();
  }
};

}  // namespace

std::unique_ptr<IncidentReader> MakeStixReader() { return std::make_unique<StixReader>(); }

}  // namespace tidemark::importers::incidents
