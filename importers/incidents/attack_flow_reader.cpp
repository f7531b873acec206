#include "importers/incidents/attack_flow_reader.h"

#include <cctype>
#include <functional>
#include <set>
#include <unordered_map>

#include <fmt/format.h>

#include "engine/core/ids.h"
#include "engine/core/json.h"
#include "engine/core/logging.h"
#include "importers/incidents/field_checks.h"
#include "importers/incidents/reader_util.h"

namespace tidemark::importers::incidents {
namespace {

// ---- Attack Flow Builder (.afb) ----

// The earlier builder format ("version": "0.1.0", which the builder still opens and migrates):
// the schema is inline ({"page_template": "attack_flow_page", "templates": [...]}) and each
// object names its template in `template` and its own uuid in `id`, where the current format
// ("schema": "attack_flow_v2") has the template name in `id` and the uuid in `instance`.
bool IsLegacyAfb(const rapidjson::Value& doc) {
  if (!doc.IsObject()) return false;
  const rapidjson::Value* schema = Member(doc, "schema");
  if (schema == nullptr || !schema->IsObject()) return false;
  std::string page = StringOr(*schema, "page_template");
  const rapidjson::Value* objects = Member(doc, "objects");
  return page.rfind("attack_flow", 0) == 0 && objects != nullptr && objects->IsArray();
}

bool IsAfb(const rapidjson::Value& doc) {
  if (!doc.IsObject()) return false;
  if (IsLegacyAfb(doc)) return true;
  auto schema = StringMember(doc, "schema");
  const rapidjson::Value* objects = Member(doc, "objects");
  return schema && schema->rfind("attack_flow", 0) == 0 && objects != nullptr && objects->IsArray();
}

// Where the two builder formats keep an object's template name and its uuid.
struct AfbKeys {
  const char* type;      // "id" (v2) or "template" (0.1.0)
  const char* instance;  // "instance" (v2) or "id" (0.1.0)
  const char* flow;      // the flow object's template: "flow" (v2) or "attack_flow_page" (0.1.0)
};

// The value of `key` in a [key, value] pair list; nullptr when absent, null or not a pair list.
const rapidjson::Value* Prop(const rapidjson::Value* pairs, std::string_view key) {
  if (pairs == nullptr || !pairs->IsArray()) return nullptr;
  for (const auto& pair : pairs->GetArray()) {
    if (!pair.IsArray() || pair.Size() != 2 || !pair[0].IsString()) continue;
    if (key == std::string_view(pair[0].GetString(), pair[0].GetStringLength())) {
      return pair[1].IsNull() ? nullptr : &pair[1];
    }
  }
  return nullptr;
}

std::string PropText(const rapidjson::Value* pairs, std::string_view key) {
  return AsText(Prop(pairs, key)).value_or("");
}

// `created` is an ISO string in older files and {"time": ISO, "zone": "America/Chicago"} in
// newer ones.
std::optional<TimeMs> FlowTime(const rapidjson::Value* value) {
  if (value == nullptr) return std::nullopt;
  if (value->IsObject()) return AsTime(Member(*value, "time"));
  return AsTime(value);
}

// "CISA AA22-138B VMWare Workspace (TA1)" -> "cisa-aa22-138b-vmware-workspace-ta1", at most 64 bytes.
std::string Slug(std::string_view name) {
  std::string slug;
  for (char c : name) {
    if (std::isalnum(static_cast<unsigned char>(c))) {
      slug += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    } else if (!slug.empty() && slug.back() != '-') {
      slug += '-';
    }
    if (slug.size() >= 64) break;
  }
  while (!slug.empty() && slug.back() == '-') slug.pop_back();
  return slug;
}

// Why an action's technique cannot be read, or "": `properties` must be a pair list, and
// technique_id / tactic_id and the ttp pairs text.
std::string AfbActionProblem(const rapidjson::Value& action) {
  const rapidjson::Value* props = Member(action, "properties");
  if (props == nullptr || !props->IsArray()) return WrongType("properties", "a list of [key, value] pairs");
  for (const char* key : {"technique_id", "tactic_id"}) {
    const rapidjson::Value* value = Prop(props, key);
    if (value != nullptr && !AsText(value)) return WrongType(key, "a string");
  }
  const rapidjson::Value* ttp = Prop(props, "ttp");
  if (ttp == nullptr) return "";
  if (!ttp->IsArray()) return WrongType("ttp", "a list of [key, value] pairs");
  for (const char* key : {"technique", "tactic"}) {
    const rapidjson::Value* value = Prop(ttp, key);
    if (value != nullptr && !AsText(value)) return WrongType(std::string("ttp.") + key, "a string");
  }
  return "";
}

void ReadAfbAction(const rapidjson::Value* props, SourceIncident& out) {
  std::string tactic = PropText(props, "tactic_id");
  std::string technique = PropText(props, "technique_id");
  // Some published flows put the technique in the tactic field (the builder's own 0.1.0
  // documentation example: tactic_id "T1566.001", technique_id null).
  if (technique.empty() && NormalizeTechniqueId(tactic)) {
    technique = tactic;
    tactic.clear();
  }
  if (const rapidjson::Value* ttp = Prop(props, "ttp")) {
    std::string ttp_tactic = PropText(ttp, "tactic");
    std::string ttp_technique = PropText(ttp, "technique");
    if (tactic.empty()) tactic = ttp_tactic;
    if (!ttp_technique.empty() && ttp_technique != technique) out.techniques.push_back({ttp_technique, tactic});
  }
  if (!technique.empty()) out.techniques.push_back({technique, tactic});
}

void AddCandidates(const rapidjson::Value* props, SourceIncident& out) {
  if (auto name = AsText(Prop(props, "name"))) out.group_candidates.push_back(*name);
  // aliases: [[hash, alias], ...]
  if (const rapidjson::Value* aliases = Prop(props, "aliases"); aliases && aliases->IsArray()) {
    for (const auto& alias : aliases->GetArray()) {
      if (alias.IsArray() && alias.Size() == 2) {
        if (auto text = AsText(&alias[1])) out.group_candidates.push_back(*text);
      } else if (auto text = AsText(&alias)) {
        out.group_candidates.push_back(*text);
      }
    }
  }
}

// A flow is imported even when none of its actions names a technique we can read (a write-up
// still documents a real attack and its threat actor), but never silently: a warning names the
// flow.
void WarnIfNoTechnique(const SourceIncident& source, size_t actions) {
  if (!source.techniques.empty()) return;
  Logger("import.incidents")
      ->warn("{}: attack flow \"{}\" has no action with a readable technique ({} actions); imported without techniques",
             source.where, source.incident.title, actions);
}

// One flow per file. A broken action (see AfbActionProblem) is a Reject of its own, named by
// its position and instance, next to the flow, which keeps its other actions: the importer
// then fails the file unless --skip-invalid, which imports the flow and reports the action.
void ReadAfb(const SourceFile& file, const rapidjson::Value& doc, ReadOutput& out) {
  const AfbKeys keys = IsLegacyAfb(doc) ? AfbKeys{"template", "id", "attack_flow_page"} : AfbKeys{"id", "instance", "flow"};
  std::string where = file.path + ": record 1";
  SourceIncident source;
  source.where = where;
  const rapidjson::Value* flow = nullptr;
  std::vector<Reject> broken_actions;
  size_t actions = 0;
  const rapidjson::Value& objects = *Member(doc, "objects");
  for (rapidjson::SizeType index = 0; index < objects.Size(); ++index) {
    const rapidjson::Value& object = objects[index];
    if (!object.IsObject()) continue;
    std::string type = StringOr(object, keys.type);
    const rapidjson::Value* props = Member(object, "properties");
    if (type == keys.flow) {
      if (flow == nullptr) flow = &object;
    } else if (type == "action") {
      ++actions;
      if (std::string problem = AfbActionProblem(object); !problem.empty()) {
        std::string instance = AsText(Member(object, keys.instance)).value_or("?");
        broken_actions.push_back({fmt::format("{}: objects[{}] (action {})", file.path, index, instance), problem});
        continue;
      }
      ReadAfbAction(props, source);
    } else if (type == "threat_actor" || type == "intrusion_set") {
      AddCandidates(props, source);
    }
  }
  if (flow == nullptr) {
    out.rejects.push_back({where, "no \"flow\" object"});
    return;
  }
  const rapidjson::Value* props = Member(*flow, "properties");
  std::string problem = IdProblem(*flow, keys.instance, keys.instance);
  if (problem.empty() && (props == nullptr || !props->IsArray())) problem = WrongType("properties", "a list of [key, value] pairs");
  const rapidjson::Value* created = Prop(props, "created");
  if (problem.empty() && created != nullptr && !FlowTime(created)) {
    problem = WrongType("created", "an ISO 8601 time or {\"time\": ISO 8601, \"zone\": ...}");
  }
  if (!problem.empty()) {
    out.rejects.push_back({where, problem + " on the flow object"});
    return;
  }
  auto instance = AsText(Member(*flow, keys.instance));
  model::Incident& inc = source.incident;
  // The instance uuid alone is not unique: builder files copied from one another keep it
  // (3 pairs in the CTID corpus, e.g. Conti CISA Alert / Conti PWC), and the same id would
  // make one overwrite the other. The flow name's slug tells them apart.
  inc.id = "attack-flow:attack-flow--" + *instance;
  if (std::string slug = Slug(PropText(props, "name")); !slug.empty()) inc.id += ":" + slug;
  inc.source = "attack-flow";
  inc.title = PropText(props, "name");
  inc.created = FlowTime(created);
  inc.status = "closed";
  inc.classification = model::Classification::kTruePositive;
  if (broken_actions.empty()) WarnIfNoTechnique(source, actions);
  out.incidents.push_back(std::move(source));
  for (auto& reject : broken_actions) out.rejects.push_back(std::move(reject));
}

// ---- STIX 2.1 Attack Flow bundle ----

bool IsStixFlowBundle(const rapidjson::Value& doc) {
  if (!doc.IsObject() || StringOr(doc, "type") != "bundle") return false;
  const rapidjson::Value* objects = Member(doc, "objects");
  if (objects == nullptr || !objects->IsArray()) return false;
  for (const auto& object : objects->GetArray()) {
    if (object.IsObject() && StringOr(object, "type") == "attack-flow") return true;
  }
  return false;
}

// Every id an object points at through `*_ref` strings and `*_refs` lists.
void ForEachRef(const rapidjson::Value& object, const std::function<void(const std::string&)>& fn) {
  for (const auto& member : object.GetObject()) {
    std::string_view key(member.name.GetString(), member.name.GetStringLength());
    if (key.size() > 4 && key.substr(key.size() - 4) == "_ref" && member.value.IsString()) {
      fn(member.value.GetString());
    } else if (key.size() > 5 && key.substr(key.size() - 5) == "_refs" && member.value.IsArray()) {
      for (const auto& ref : member.value.GetArray()) {
        if (ref.IsString()) fn(ref.GetString());
      }
    }
  }
}

void AddStixCandidates(const rapidjson::Value& object, SourceIncident& out) {
  if (auto name = FirstText(object, {"name"})) out.group_candidates.push_back(*name);
  for (const auto& alias : StringArray(object, "aliases")) out.group_candidates.push_back(alias);
  if (const rapidjson::Value* refs = Member(object, "external_references"); refs && refs->IsArray()) {
    for (const auto& ref : refs->GetArray()) {
      if (!ref.IsObject() || StringOr(ref, "source_name").rfind("mitre-", 0) != 0) continue;
      if (auto id = FirstText(ref, {"external_id"})) out.group_candidates.push_back(*id);
    }
  }
}

void ReadStixFlows(const SourceFile& file, const rapidjson::Value& doc, ReadOutput& out) {
  std::unordered_map<std::string, const rapidjson::Value*> by_id;
  std::vector<const rapidjson::Value*> flows;
  std::vector<const rapidjson::Value*> all;  // bundle order, so the first tactic given wins
  for (const auto& object : Member(doc, "objects")->GetArray()) {
    if (!object.IsObject()) continue;
    all.push_back(&object);
    auto id = FirstText(object, {"id"});
    if (id) by_id.emplace(*id, &object);
    if (StringOr(object, "type") == "attack-flow") flows.push_back(&object);
  }
  int record = 0;
  for (const rapidjson::Value* flow : flows) {
    std::string where = file.path + ": record " + std::to_string(++record);
    std::string problem = IdProblem(*flow, "id", "id");
    if (problem.empty()) problem = TimeProblem(*flow, "created", "created");
    if (!problem.empty()) {
      out.rejects.push_back({where, problem + " on the attack-flow object"});
      continue;
    }
    auto id = FirstText(*flow, {"id"});
    // The flow's objects: with one flow, the whole bundle; with several, what its start_refs
    // reach through *_ref(s).
    std::vector<const rapidjson::Value*> members;
    if (flows.size() == 1) {
      members = all;
    } else {
      std::set<std::string> seen;
      std::vector<std::string> queue = StringArray(*flow, "start_refs");
      while (!queue.empty()) {
        std::string next = std::move(queue.back());
        queue.pop_back();
        if (!seen.insert(next).second) continue;
        auto it = by_id.find(next);
        if (it == by_id.end()) continue;
        members.push_back(it->second);
        ForEachRef(*it->second, [&](const std::string& ref) { queue.push_back(ref); });
      }
    }
    SourceIncident source;
    source.where = where;
    size_t actions = 0;
    for (const rapidjson::Value* object : members) {
      std::string type = StringOr(*object, "type");
      if (type == "attack-action") {
        ++actions;
        std::string action_problem = TextProblem(*object, "technique_id", "technique_id");
        if (action_problem.empty()) action_problem = TextProblem(*object, "tactic_id", "tactic_id");
        if (!action_problem.empty()) {
          std::string action_id = AsText(Member(*object, "id")).value_or("?");
          out.rejects.push_back({where + " (" + action_id + ")", action_problem});
          continue;
        }
        if (auto technique = FirstText(*object, {"technique_id"})) {
          source.techniques.push_back({*technique, FirstText(*object, {"tactic_id"}).value_or("")});
        }
      } else if (type == "threat-actor" || type == "intrusion-set") {
        AddStixCandidates(*object, source);
      }
    }
    model::Incident& inc = source.incident;
    // As for .afb files (and for the same reason: the builder exports a flow under its
    // instance uuid, which copied files share), the flow name's slug follows the STIX id; a
    // flow and its STIX export therefore import as one incident.
    inc.id = "attack-flow:" + *id;
    if (std::string slug = Slug(FirstText(*flow, {"name"}).value_or("")); !slug.empty()) inc.id += ":" + slug;
    inc.source = "attack-flow";
    inc.title = FirstText(*flow, {"name"}).value_or("");
    inc.created = AsTime(Member(*flow, "created"));
    inc.status = "closed";
    inc.classification = model::Classification::kTruePositive;
    WarnIfNoTechnique(source, actions);
    out.incidents.push_back(std::move(source));
  }
}

class AttackFlowReader : public IncidentReader {
 public:
  std::string_view Name() const override { return "attack-flow"; }

  int Detect(const SourceFile& file) const override {
    if (file.json == nullptr) return 0;
    if (IsAfb(*file.json)) return 95;
    if (IsStixFlowBundle(*file.json)) return 90;
    return 0;
  }

  Status Read(const SourceFile& file, ReadOutput& out) const override {
    if (file.json != nullptr && IsAfb(*file.json)) {
      ReadAfb(file, *file.json, out);
      return Status::Ok();
    }
    if (file.json != nullptr && IsStixFlowBundle(*file.json)) {
      ReadStixFlows(file, *file.json, out);
      return Status::Ok();
    }
    return Status::BadInput(file.path + ": not an Attack Flow (.afb with \"schema\": \"attack_flow_v2\" or an inline attack_flow schema, or a STIX bundle with an attack-flow object)");
  }
};

}  // namespace

std::unique_ptr<IncidentReader> MakeAttackFlowReader() { return std::make_unique<AttackFlowReader>(); }

}  // namespace tidemark::importers::incidents
