#include "importers/incidents/stix_reader.h"

#include <set>
#include <unordered_map>

#include "engine/core/ids.h"
#include "engine/core/json.h"
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
    if (object.IsObject() && StringOr(object, "type") == "incident" && Member(object, "id")) return true;
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
  std::vector<const rapidjson::Value*> relationships;
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
      else if (type == "relationship") bundle.relationships.push_back(&object);
      else if (type == "sighting") bundle.sightings.push_back(&object);
    }
    int record = 0;
    for (const rapidjson::Value* object : bundle.incidents) {
      std::string where = file.path + ": record " + std::to_string(++record);
      auto id = FirstText(*object, {"id"});
      if (!id) {
        out.rejects.push_back({where, MissingField("id")});
        continue;
      }
      SourceIncident source;
      source.where = where;
      model::Incident& inc = source.incident;
      inc.id = "stix:" + *id;
      inc.source = "stix";
      inc.title = FirstText(*object, {"name"}).value_or("");
      inc.created = AsTime(Member(*object, "created"));
      const rapidjson::Value* ext = Field(*object, std::string("extensions.") + kIncidentExtension);
      // Field() splits on dots; the extension key has none, but be lenient about its absence.
      if (ext == nullptr || !ext->IsObject()) {
        const rapidjson::Value* extensions = Member(*object, "extensions");
        ext = extensions != nullptr && extensions->IsObject() ? Member(*extensions, kIncidentExtension) : nullptr;
      }
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
      for (const rapidjson::Value* relationship : bundle.relationships) {
        std::string from = StringOr(*relationship, "source_ref");
        std::string to = StringOr(*relationship, "target_ref");
        if (from == *id) builder.AddLinked(to);
        else if (to == *id) builder.AddLinked(from);
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
