#include "importers/incidents/sentinel_reader.h"

#include <map>
#include <unordered_map>

#include "engine/core/ids.h"
#include "engine/core/json.h"
#include "importers/incidents/reader_util.h"

namespace tidemark::importers::incidents {
namespace {

// Techniques with the tactic attached only when the source names exactly one.
void AddTechniques(const std::vector<std::string>& techniques, const std::vector<std::string>& tactics,
                   SourceIncident& out) {
  std::string tactic = tactics.size() == 1 ? tactics.front() : "";
  for (const auto& technique : techniques) out.techniques.push_back({technique, tactic});
}

// Sentinel entity objects (learn.microsoft.com/azure/sentinel/entities-reference).
void ReadEntity(const rapidjson::Value& entity, model::Incident& inc) {
  std::string type = FoldEnum(StringOr(entity, "Type"));
  if (type == "host") {
    auto host = FirstText(entity, {"HostName"});
    auto domain = FirstText(entity, {"DnsDomain"});
    if (host && domain) AddAsset(inc, "device", *host + "." + *domain, *host);
    else if (auto id = FirstText(entity, {"HostName", "FQDN", "AzureID", "OMSAgentID"})) AddAsset(inc, "device", *id);
  } else if (type == "account") {
    auto name = FirstText(entity, {"Name"});
    auto upn_suffix = FirstText(entity, {"UPNSuffix"});
    auto nt_domain = FirstText(entity, {"NTDomain"});
    if (name && upn_suffix) AddAsset(inc, "user", *name + "@" + *upn_suffix);
    else if (name && nt_domain) AddAsset(inc, "user", *nt_domain + "\\" + *name);
    else if (auto id = FirstText(entity, {"Name", "AadUserId", "Sid"})) AddAsset(inc, "user", *id);
  } else if (type == "mailbox") {
    if (auto id = FirstText(entity, {"MailboxPrimaryAddress", "Upn"})) AddAsset(inc, "mailbox", *id, StringOr(entity, "DisplayName"));
  } else if (type == "azureresource") {
    if (auto id = FirstText(entity, {"ResourceId"})) AddAsset(inc, "cloud-resource", *id);
  }
}

void ReadEntities(const rapidjson::Value* value, model::Incident& inc) {
  rapidjson::Document doc;
  const rapidjson::Value* entities = JsonOrStringified(value, doc);
  if (entities == nullptr || !entities->IsArray()) return;
  for (const auto& entity : entities->GetArray()) ReadEntity(entity, inc);
}

void ReadAdditionalData(const rapidjson::Value* value, SourceIncident& out) {
  rapidjson::Document doc;
  const rapidjson::Value* data = JsonOrStringified(value, doc);
  if (data == nullptr || !data->IsObject()) return;
  AddTechniques(AsTextList(Field(*data, "techniques")), AsTextList(Field(*data, "tactics")), out);
}

std::string StatusOf(std::string_view status) {
  return FoldEnum(status) == "closed" ? "closed" : "open";
}

model::Classification ClassificationOf(std::string_view text) {
  return model::ParseClassification(text).value_or(model::Classification::kUndetermined);
}

struct IncidentRow {
  const rapidjson::Value* row;  // into the reader's copy of the rows
  std::string where;
  TimeMs modified;
};

class SentinelReader : public IncidentReader {
 public:
  std::string_view Name() const override { return "sentinel"; }

  int Detect(const SourceFile& file) const override {
    rapidjson::Document scratch;
    const rapidjson::Value* first = FirstJsonRecord(file, {"value"}, scratch);
    if (first == nullptr || !first->IsObject()) return 0;
    if (Member(*first, "IncidentNumber") || Member(*first, "SystemAlertId")) return 90;
    if (Field(*first, "properties.incidentNumber")) return 90;
    auto type = StringMember(*first, "type");
    if (type && EqualsIgnoreCase(*type, "Microsoft.SecurityInsights/Incidents")) return 90;
    return 0;
  }

  Status Read(const SourceFile& file, ReadOutput& out) const override {
    // Rows must outlive the walk when they come from NDJSON lines: keep copies.
    rapidjson::Document rows(rapidjson::kArrayType);
    auto& alloc = rows.GetAllocator();
    std::vector<std::string> wheres;
    ForEachJsonRecord(file, {"value"}, out, [&](const rapidjson::Value& record, const std::string& where) {
      if (!record.IsObject()) {
        out.rejects.push_back({where, "record must be a JSON object"});
        return;
      }
      rows.PushBack(rapidjson::Value(record, alloc), alloc);
      wheres.push_back(where);
    });

    std::unordered_map<std::string, const rapidjson::Value*> alerts;  // SystemAlertId -> row
    std::map<long long, IncidentRow> latest;  // IncidentNumber -> winning row (ordered output)
    for (size_t idx = 0; idx < rows.Size(); ++idx) {
      const rapidjson::Value& row = rows[static_cast<rapidjson::SizeType>(idx)];
      if (auto alert_id = FirstText(row, {"SystemAlertId"}); alert_id && !Member(row, "IncidentNumber")) {
        alerts[*alert_id] = &row;
        continue;
      }
      if (const rapidjson::Value* props = Member(row, "properties"); props && props->IsObject()) {
        ReadArm(*props, wheres[idx], out);
        continue;
      }
      const rapidjson::Value* number_value = Member(row, "IncidentNumber");
      if (number_value == nullptr) {
        out.rejects.push_back({wheres[idx], MissingField("IncidentNumber")});
        continue;
      }
      auto number = AsNumber(number_value);
      if (!number || *number < 0 || *number > 9e15 || *number != static_cast<double>(static_cast<long long>(*number))) {
        out.rejects.push_back({wheres[idx], WrongType("IncidentNumber", "an integer")});
        continue;
      }
      auto key = static_cast<long long>(*number);
      TimeMs modified = AsTime(Field(row, "LastModifiedTime")).value_or(AsTime(Field(row, "TimeGenerated")).value_or(0));
      auto it = latest.find(key);
      if (it == latest.end() || modified >= it->second.modified) {
        latest[key] = IncidentRow{&row, wheres[idx], modified};
      }
    }
    for (const auto& [number, winner] : latest) out.incidents.push_back(FromRow(number, winner, alerts));
    return Status::Ok();
  }

 private:
  static SourceIncident FromRow(long long number, const IncidentRow& winner,
                                const std::unordered_map<std::string, const rapidjson::Value*>& alerts) {
    const rapidjson::Value& row = *winner.row;
    SourceIncident source;
    source.where = winner.where;
    model::Incident& inc = source.incident;
    inc.id = "sentinel:" + std::to_string(number);
    inc.source = "sentinel";
    inc.title = FirstText(row, {"Title"}).value_or("");
    inc.created = AsTime(Field(row, "CreatedTime"));
    inc.status = StatusOf(StringOr(row, "Status"));
    if (inc.status == "closed") {
      inc.closed = AsTime(Field(row, "ClosedTime"));
      if (!inc.closed) inc.closed = AsTime(Field(row, "LastModifiedTime"));
    }
    inc.classification = ClassificationOf(StringOr(row, "Classification"));
    inc.severity = NormalizeSeverity(StringOr(row, "Severity"));
    ReadAdditionalData(Field(row, "AdditionalData"), source);
    for (const auto& alert_id : AsTextList(Field(row, "AlertIds"))) {
      auto it = alerts.find(alert_id);
      if (it == alerts.end()) continue;
      const rapidjson::Value& alert = *it->second;
      std::vector<std::string> techniques = AsTextList(Field(alert, "Techniques"));
      for (auto& sub : AsTextList(Field(alert, "SubTechniques"))) techniques.push_back(std::move(sub));
      AddTechniques(techniques, AsTextList(Field(alert, "Tactics")), source);
      ReadEntities(Field(alert, "Entities"), inc);
    }
    return source;
  }

  static void ReadArm(const rapidjson::Value& props, const std::string& where,
                      ReadOutput& out) {
    auto number = FirstText(props, {"incidentNumber"});
    if (!number) {
      out.rejects.push_back({where, MissingField("properties.incidentNumber")});
      return;
    }
    SourceIncident source;
    source.where = where;
    model::Incident& inc = source.incident;
    inc.id = "sentinel:" + *number;
    inc.source = "sentinel";
    inc.title = FirstText(props, {"title"}).value_or("");
    inc.created = AsTime(Field(props, "createdTimeUtc"));
    inc.status = StatusOf(StringOr(props, "status"));
    if (inc.status == "closed") inc.closed = AsTime(Field(props, "lastModifiedTimeUtc"));
    inc.classification = ClassificationOf(StringOr(props, "classification"));
    inc.severity = NormalizeSeverity(StringOr(props, "severity"));
    ReadAdditionalData(Field(props, "additionalData"), source);
    out.incidents.push_back(std::move(source));
  }
};

}  // namespace

std::unique_ptr<IncidentReader> MakeSentinelReader() { return std::make_unique<SentinelReader>(); }

}  // namespace tidemark::importers::incidents
