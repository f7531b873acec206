#include "importers/incidents/sentinel_reader.h"

#include <fmt/format.h>

#include <cctype>
#include <cstdio>
#include <map>
#include <unordered_map>

#include "engine/core/ids.h"
#include "engine/core/json.h"
#include "importers/incidents/field_checks.h"
#include "importers/incidents/reader_util.h"

namespace tidemark::importers::incidents {
namespace {

// The fields that carry ids, times, techniques, tactics and assets (field_checks.h), in Log
// Analytics rows (SecurityIncident and SecurityAlert; Log Analytics writes the dynamic columns
// AdditionalData, AlertIds and Entities as JSON text) and in ARM incident objects.
constexpr FieldRule kAdditionalDataFields[] = {{"techniques", Shape::kTextList}, {"tactics", Shape::kTextList}};
constexpr FieldRule kRowFields[] = {
    {"SystemAlertId", Shape::kText},
    {"CreatedTime", Shape::kTime},
    {"ClosedTime", Shape::kTime},
    {"LastModifiedTime", Shape::kTime},
    {"TimeGenerated", Shape::kTime},
    {"AdditionalData", Shape::kJsonObject, kAdditionalDataFields},
    {"AlertIds", Shape::kTextList},
    {"Tactics", Shape::kTextList},
    {"Techniques", Shape::kTextList},
    {"SubTechniques", Shape::kTextList},
    {"Entities", Shape::kJsonArray}};
constexpr FieldRule kArmFields[] = {
    {"properties.incidentNumber", Shape::kText},
    {"properties.createdTimeUtc", Shape::kTime},
    {"properties.lastModifiedTimeUtc", Shape::kTime},
    {"properties.additionalData", Shape::kJsonObject, kAdditionalDataFields}};

// Techniques with the tactic attached only when the source names exactly one.
void AddTechniques(const std::vector<std::string>& techniques, const std::vector<std::string>& tactics,
                   SourceIncident& out) {
  std::string tactic = tactics.size() == 1 ? tactics.front() : "";
  for (const auto& technique : techniques) out.techniques.push_back({technique, tactic});
}

// Sentinel entity objects (learn.microsoft.com/azure/sentinel/entities-reference).
void ReadSentinelEntity(const rapidjson::Value& entity, model::Incident& inc) {
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
  for (const auto& entity : entities->GetArray()) ReadSentinelEntity(entity, inc);
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

// ---- Log Analytics CSV exports ("Export to CSV" of a SecurityIncident / SecurityAlert query) ----

// The columns the reader uses, as Log Analytics names them; a CSV header names them in any
// case, datetime columns with a " [UTC]" suffix ("TimeGenerated [UTC]").
constexpr const char* kSentinelColumns[] = {
    "IncidentNumber", "IncidentName", "Title", "Severity", "Status", "Classification", "CreatedTime",
    "ClosedTime", "LastModifiedTime", "TimeGenerated", "AlertIds", "AdditionalData", "SystemAlertId",
    "AlertName", "AlertSeverity", "Tactics", "Techniques", "SubTechniques", "Entities"};

// The column a header cell names: "timegenerated [UTC]" -> "TimeGenerated"; other names as
// given (trimmed).
std::string ColumnOf(std::string_view header) {
  while (!header.empty() && std::isspace(static_cast<unsigned char>(header.front()))) header.remove_prefix(1);
  std::string name(header);
  while (!name.empty() && std::isspace(static_cast<unsigned char>(name.back()))) name.pop_back();
  if (size_t bracket = name.find(" ["); bracket != std::string::npos && name.back() == ']') name.resize(bracket);
  while (!name.empty() && name.back() == ' ') name.pop_back();
  for (const char* column : kSentinelColumns) {
    if (EqualsIgnoreCase(name, column)) return column;
  }
  return name;
}

// The portal writes datetimes as "2/25/2025, 9:19:25.391 AM" (UTC, per the header): the ISO
// 8601 form of that, or the text unchanged when it is not one.
std::string IsoFromPortalTime(const std::string& text) {
  unsigned month = 0, day = 0, year = 0, hour = 0, minute = 0, second = 0, millis = 0;
  char meridiem[3] = {0, 0, 0};
  int consumed = 0;
  if (std::sscanf(text.c_str(), "%u/%u/%u, %u:%u:%u%n", &month, &day, &year, &hour, &minute, &second, &consumed) != 6) {
    return text;
  }
  std::string_view rest = std::string_view(text).substr(static_cast<size_t>(consumed));
  if (!rest.empty() && rest.front() == '.') {
    size_t digits = 1;
    unsigned scale = 100;
    while (digits < rest.size() && std::isdigit(static_cast<unsigned char>(rest[digits]))) {
      millis += static_cast<unsigned>(rest[digits] - '0') * scale;
      scale /= 10;
      ++digits;
    }
    rest.remove_prefix(digits);
  }
  while (!rest.empty() && rest.front() == ' ') rest.remove_prefix(1);
  if (rest.size() == 2) {
    meridiem[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(rest[0])));
    meridiem[1] = static_cast<char>(std::toupper(static_cast<unsigned char>(rest[1])));
  } else if (!rest.empty()) {
    return text;
  }
  if (std::string_view(meridiem) == "PM" && hour < 12) hour += 12;
  if (std::string_view(meridiem) == "AM" && hour == 12) hour = 0;
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 60) return text;
  return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z", year, month, day, hour, minute, second, millis);
}

bool IsSentinelCsv(const std::vector<std::string>& header) {
  for (const auto& cell : header) {
    std::string column = ColumnOf(cell);
    if (column == "IncidentNumber" || column == "SystemAlertId") return true;
  }
  return false;
}

// The CSV rows as JSON objects of column -> cell (empty cells left out), into `rows`.
Status CsvRows(const SourceFile& file, rapidjson::Document& rows, std::vector<std::string>& wheres, ReadOutput& out) {
  auto split = SplitCsv(file.text, file.path);
  if (!split.ok()) return split.status();
  if (split->empty()) return Status::BadInput(file.path + ": no header row");
  std::vector<std::string> columns;
  for (const auto& cell : split->front().cells) columns.push_back(ColumnOf(cell));
  auto& alloc = rows.GetAllocator();
  for (size_t idx = 1; idx < split->size(); ++idx) {
    const CsvRecord& record = (*split)[idx];
    std::string where = fmt::format("{}:{}", file.path, record.line);
    if (record.cells.size() > columns.size()) {
      out.rejects.push_back({where, fmt::format("{} fields, but the header names {} columns", record.cells.size(), columns.size())});
      continue;
    }
    rapidjson::Value row(rapidjson::kObjectType);
    for (size_t col = 0; col < record.cells.size(); ++col) {
      // Cells keep their blanks; AsText trims them when they are read.
      const std::string& cell = record.cells[col];
      if (cell.find_first_not_of(" \t\r\n") == std::string::npos || columns[col].empty()) continue;
      std::string value = IsoFromPortalTime(cell);
      row.AddMember(rapidjson::Value(columns[col].c_str(), alloc), rapidjson::Value(value.c_str(), alloc), alloc);
    }
    rows.PushBack(row, alloc);
    wheres.push_back(std::move(where));
  }
  return Status::Ok();
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
    if (file.json == nullptr) {
      if (auto header = CsvHeader(file.text); header && IsSentinelCsv(*header)) return 90;
    }
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
    if (file.json == nullptr) {
      if (auto header = CsvHeader(file.text); header && IsSentinelCsv(*header)) {
        TM_RETURN_IF_ERROR(CsvRows(file, rows, wheres, out));
        return ReadRows(file.path, rows, wheres, out);
      }
    }
    ForEachJsonRecord(file, {"value"}, out, [&](const rapidjson::Value& record, const std::string& where) {
      if (!record.IsObject()) {
        out.rejects.push_back({where, "record must be a JSON object"});
        return;
      }
      rows.PushBack(rapidjson::Value(record, alloc), alloc);
      wheres.push_back(where);
    });
    return ReadRows(file.path, rows, wheres, out);
  }

 private:
  // Incident rows (the latest per IncidentNumber) joined with their alert rows, and ARM objects.
  static Status ReadRows(const std::string& path, const rapidjson::Document& rows, const std::vector<std::string>& wheres,
                         ReadOutput& out) {
    std::unordered_map<std::string, const rapidjson::Value*> alerts;  // SystemAlertId -> row
    std::map<long long, IncidentRow> latest;  // IncidentNumber -> winning row (ordered output)
    size_t alert_rows = 0;
    for (size_t idx = 0; idx < rows.Size(); ++idx) {
      const rapidjson::Value& row = rows[static_cast<rapidjson::SizeType>(idx)];
      const rapidjson::Value* props = Member(row, "properties");
      bool arm = props != nullptr && props->IsObject();
      bool alert = !arm && FirstText(row, {"SystemAlertId"}) && !Member(row, "IncidentNumber");
      alert_rows += alert ? 1 : 0;
      if (std::string problem = FieldsProblem(row, arm ? FieldRules(kArmFields) : FieldRules(kRowFields)); !problem.empty()) {
        out.rejects.push_back({wheres[idx], problem});
        continue;
      }
      if (alert) {
        alerts[*FirstText(row, {"SystemAlertId"})] = &row;
        continue;
      }
      if (arm) {
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
    // Alerts are read as part of the incident whose AlertIds name them; without any incident
    // row the file holds nothing to import, which must not pass for "0 incidents".
    if (alert_rows > 0 && alert_rows == rows.Size()) {
      return Status::BadInput(fmt::format(
          "{}: SecurityAlert rows but no SecurityIncident row to attach them to (an alert is read as part of the "
          "incident whose AlertIds name it: export the SecurityIncident rows too, e.g. union SecurityIncident, "
          "SecurityAlert)",
          path));
    }
    for (const auto& [number, winner] : latest) out.incidents.push_back(FromRow(number, winner, alerts));
    return Status::Ok();
  }

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
