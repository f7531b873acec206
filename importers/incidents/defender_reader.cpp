#include "importers/incidents/defender_reader.h"

#include "engine/core/ids.h"
#include "engine/core/json.h"
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
                         "confirmeduseractivity"}) {
    if (folded == bp) return model::Classification::kBenignPositive;
  }
  if (folded == "clean" || folded == "notmalicious") return model::Classification::kFalsePositive;
  return model::Classification::kUndetermined;
}

void ReadEvidence(const rapidjson::Value& evidence, model::Incident& inc) {
  std::string type = ToLower(StringOr(evidence, "@odata.type"));
  if (auto dot = type.rfind('.'); dot != std::string::npos) type = type.substr(dot + 1);
  if (type == "deviceevidence") {
    auto id = FirstText(evidence, {"deviceDnsName", "mdeDeviceId", "azureAdDeviceId"});
    if (id) AddAsset(inc, "device", *id, StringOr(evidence, "deviceDnsName"));
  } else if (type == "userevidence") {
    const rapidjson::Value* account = Member(evidence, "userAccount");
    if (account == nullptr) return;
    auto upn = FirstText(*account, {"userPrincipalName"});
    auto name = FirstText(*account, {"accountName"});
    auto domain = FirstText(*account, {"domainName"});
    if (upn) AddAsset(inc, "user", *upn);
    else if (name && domain) AddAsset(inc, "user", *domain + "\\" + *name);
    else if (auto id = FirstText(*account, {"accountName", "azureAdUserId", "userSid"})) AddAsset(inc, "user", *id);
  } else if (type == "mailboxevidence") {
    if (auto id = FirstText(evidence, {"primaryAddress", "upn"})) AddAsset(inc, "mailbox", *id, StringOr(evidence, "displayName"));
  } else if (type == "azureresourceevidence") {
    if (auto id = FirstText(evidence, {"resourceId"})) AddAsset(inc, "cloud-resource", *id, StringOr(evidence, "resourceName"));
  }
}

void ReadAlert(const rapidjson::Value& alert, SourceIncident& out, std::optional<TimeMs>& last_resolved) {
  std::string category = StringOr(alert, "category");
  for (const auto& technique : AsTextList(Field(alert, "mitreTechniques"))) {
    out.techniques.push_back({technique, category});
  }
  if (const rapidjson::Value* evidence = Member(alert, "evidence"); evidence && evidence->IsArray()) {
    for (const auto& item : evidence->GetArray()) ReadEvidence(item, out.incident);
  }
  // Legacy /api/incidents alerts list devices and entities directly.
  if (const rapidjson::Value* devices = Member(alert, "devices"); devices && devices->IsArray()) {
    for (const auto& device : devices->GetArray()) {
      if (auto id = FirstText(device, {"deviceDnsName", "mdeDeviceId"})) AddAsset(out.incident, "device", *id);
    }
  }
  for (const char* key : {"actorDisplayName", "threatFamilyName", "actorName"}) {
    if (auto name = FirstText(alert, {key})) out.incident.threats.push_back(*name);
  }
  if (auto resolved = AsTime(Field(alert, "resolvedDateTime"))) {
    if (!last_resolved || *resolved > *last_resolved) last_resolved = resolved;
  }
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
    if (Member(*first, "createdDateTime") && Member(*first, "displayName") && Member(*first, "classification")) return 70;
    return 0;
  }

  Status Read(const SourceFile& file, ReadOutput& out) const override {
    ForEachJsonRecord(file, {"value"}, out, [&](const rapidjson::Value& record, const std::string& where) {
      if (!record.IsObject()) {
        out.rejects.push_back({where, "record must be a JSON object"});
        return;
      }
      auto id = FirstText(record, {"id", "incidentId"});
      if (!id) {
        out.rejects.push_back({where, MissingField("id")});
        return;
      }
      SourceIncident source;
      source.where = where;
      model::Incident& inc = source.incident;
      inc.id = "defender:" + *id;
      inc.source = "defender";
      inc.title = FirstText(record, {"displayName", "incidentName"}).value_or("");
      inc.created = AsTime(Field(record, "createdDateTime"));
      if (!inc.created) inc.created = AsTime(Field(record, "createdTime"));
      auto updated = AsTime(Field(record, "lastUpdateDateTime"));
      if (!updated) updated = AsTime(Field(record, "lastUpdateTime"));
      // redirected = merged into another incident, which carries on: closed here.
      std::string status = FoldEnum(StringOr(record, "status"));
      inc.status = status == "resolved" || status == "redirected" ? "closed" : "open";
      std::string classification = StringOr(record, "classification");
      inc.classification = model::ParseClassification(classification).value_or(model::Classification::kUndetermined);
      if (inc.classification == model::Classification::kUndetermined) {
        inc.classification = FromDetermination(StringOr(record, "determination"));
      }
      inc.severity = NormalizeSeverity(StringOr(record, "severity"));
      std::optional<TimeMs> last_resolved;
      if (const rapidjson::Value* alerts = Member(record, "alerts"); alerts && alerts->IsArray()) {
        for (const auto& alert : alerts->GetArray()) {
          if (alert.IsObject()) ReadAlert(alert, source, last_resolved);
        }
      }
      if (inc.status == "closed") inc.closed = last_resolved ? last_resolved : updated;
      out.incidents.push_back(std::move(source));
    });
    return Status::Ok();
  }
};

}  // namespace

std::unique_ptr<IncidentReader> MakeDefenderReader() { return std::make_unique<DefenderReader>(); }

}  // namespace tidemark::importers::incidents
