#include "importers/incidents/thehive_reader.h"

#include "engine/core/ids.h"
#include "engine/core/json.h"
#include "importers/incidents/field_checks.h"
#include "importers/incidents/reader_util.h"

namespace tidemark::importers::incidents {
namespace {

constexpr std::initializer_list<const char*> kTheHiveWrappers = {"data", "cases"};

bool IsCase(const rapidjson::Value& doc) {
  if (!doc.IsObject()) return false;
  // `_type` alone is enough, so a case without `_id` is recognised and then rejected by name.
  if (FoldEnum(StringOr(doc, "_type")) == "case") return true;
  if (!Member(doc, "_id")) return false;
  if (Member(doc, "procedures")) return true;
  return Member(doc, "number") && (Member(doc, "severityLabel") || Member(doc, "stage") || Member(doc, "impactStatus") ||
                                   Member(doc, "resolutionStatus"));
}

std::string TheHiveSeverity(const rapidjson::Value& doc) {
  // Bounded before the cast: converting a double beyond int's range is undefined behaviour.
  if (auto number = AsNumber(Member(doc, "severity")); number && *number >= 0 && *number <= 4) {
    switch (static_cast<int>(*number)) {
      case 1: return "low";
      case 2: return "medium";
      case 3: return "high";
      case 4: return "critical";
      default: break;
    }
  }
  return NormalizeSeverity(StringOr(doc, "severityLabel"));
}

bool IsClosingStatus(const std::string& folded) {
  for (const char* status : {"truepositive", "falsepositive", "indeterminate", "other", "duplicated", "resolved", "closed"}) {
    if (folded == status) return true;
  }
  return false;
}

model::Classification ClassificationOf(const std::string& folded) {
  if (folded == "truepositive") return model::Classification::kTruePositive;
  if (folded == "falsepositive") return model::Classification::kFalsePositive;
  return model::Classification::kUndetermined;
}

void ReadObservables(const rapidjson::Value* list, model::Incident& inc) {
  if (list == nullptr || !list->IsArray()) return;
  for (const auto& observable : list->GetArray()) {
    if (!observable.IsObject()) continue;
    std::string type = FoldEnum(StringOr(observable, "dataType"));
    auto value = FirstText(observable, {"data"});
    if (!value) continue;
    if (type == "hostname" || type == "fqdn" || type == "ip") AddAsset(inc, "device", *value, *value);
    else if (type == "mail") AddAsset(inc, "mailbox", *value, *value);
    else if (type == "user" || type == "username" || type == "useraccount" || type == "account") {
      AddAsset(inc, "user", *value, *value);
    }
  }
}

// The fields of a case that carry times, techniques, threats and assets (field_checks.h).
constexpr FieldRule kProcedureFields[] = {
    {"patternId", Shape::kText}, {"patterId", Shape::kText}, {"tactic", Shape::kText}, {"tacticLabel", Shape::kText}};
constexpr FieldRule kObservableFields[] = {{"dataType", Shape::kText}, {"data", Shape::kText}};
constexpr FieldRule kCaseFields[] = {
    {"_createdAt", Shape::kTime},
    {"startDate", Shape::kTime},
    {"createdAt", Shape::kTime},
    {"closedDate", Shape::kTime},
    {"endDate", Shape::kTime},
    {"_updatedAt", Shape::kTime},
    {"updatedAt", Shape::kTime},
    {"procedures", Shape::kObjects, kProcedureFields},
    {"observables", Shape::kObjects, kObservableFields},
    {"tags", Shape::kTexts}};

// Why `record` cannot become an incident, or "" when it can: the id must be text, and the
// fields of kCaseFields well typed. The rest is read leniently (an unknown status or severity
// is just left unset).
std::string TheHiveProblem(const rapidjson::Value& record) {
  if (!record.IsObject()) return "record must be a JSON object";
  std::string problem = IdProblem(record, "_id", "_id");
  return problem.empty() ? FieldsProblem(record, kCaseFields) : problem;
}

class TheHiveReader : public IncidentReader {
 public:
  std::string_view Name() const override { return "thehive"; }

  int Detect(const SourceFile& file) const override {
    rapidjson::Document scratch;
    const rapidjson::Value* first = FirstJsonRecord(file, kTheHiveWrappers, scratch);
    return first != nullptr && IsCase(*first) ? 90 : 0;
  }

  Status Read(const SourceFile& file, ReadOutput& out) const override {
    ForEachJsonRecord(file, kTheHiveWrappers, out, [&](const rapidjson::Value& record, const std::string& where) {
      if (std::string problem = TheHiveProblem(record); !problem.empty()) {
        out.rejects.push_back({where, problem});
        return;
      }
      auto id = FirstText(record, {"_id"});
      SourceIncident source;
      source.where = where;
      model::Incident& inc = source.incident;
      inc.id = "thehive:" + *id;  // TheHiveProblem() made sure it is there
      inc.source = "thehive";
      inc.title = FirstText(record, {"title"}).value_or("");
      inc.created = AsTime(Member(record, "_createdAt"));
      if (!inc.created) inc.created = AsTime(Member(record, "startDate"));
      if (!inc.created) inc.created = AsTime(Member(record, "createdAt"));
      std::string status = FoldEnum(StringOr(record, "status"));
      std::string stage = FoldEnum(StringOr(record, "stage"));
      std::string resolution = FoldEnum(StringOr(record, "resolutionStatus"));
      bool closed = stage == "closed" || IsClosingStatus(status);
      inc.status = closed ? "closed" : "open";
      inc.classification = ClassificationOf(resolution.empty() ? status : resolution);
      if (closed) {
        for (const char* key : {"closedDate", "endDate", "_updatedAt", "updatedAt"}) {
          if ((inc.closed = AsTime(Member(record, key)))) break;
        }
      }
      inc.severity = TheHiveSeverity(record);
      if (const rapidjson::Value* procedures = Present(record, "procedures")) {
        for (const auto& procedure : procedures->GetArray()) {
          if (!procedure.IsObject()) continue;
          auto pattern = FirstText(procedure, {"patternId", "patterId"});
          if (pattern) source.techniques.push_back({*pattern, FirstText(procedure, {"tactic", "tacticLabel"}).value_or("")});
        }
      }
      ReadObservables(Member(record, "observables"), inc);
      for (const auto& tag : AsTextList(Member(record, "tags"))) {
        if (std::string threat = ThreatFromTag(tag); !threat.empty()) inc.threats.push_back(threat);
      }
      out.incidents.push_back(std::move(source));
    });
    return Status::Ok();
  }
};

std::string_view TrimQuotes(std::string_view text) {
  while (!text.empty() && (text.front() == '"' || text.front() == ' ')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == '"' || text.back() == ' ')) text.remove_suffix(1);
  return text;
}

}  // namespace

std::string ThreatFromTag(std::string_view tag) {
  std::string lower = ToLower(tag);
  // MISP galaxy tags: misp-galaxy:<galaxy>="<value>"
  if (lower.rfind("misp-galaxy:", 0) == 0) {
    size_t eq = tag.find('=');
    if (eq == std::string_view::npos) return "";
    std::string galaxy = lower.substr(12, eq - 12);
    if (galaxy != "threat-actor" && galaxy != "mitre-intrusion-set" && galaxy != "mitre-malware" &&
        galaxy != "mitre-tool" && galaxy != "mitre-campaign" && galaxy != "tool") {
      return "";
    }
    std::string_view value = TrimQuotes(tag.substr(eq + 1));
    // "APT29 - G0016": the ATT&CK ID after the last " - ".
    if (size_t dash = value.rfind(" - "); dash != std::string_view::npos && galaxy != "threat-actor") {
      return std::string(value.substr(dash + 3));
    }
    return std::string(value);
  }
  for (const char* prefix : {"threat-actor", "actor", "threat", "intrusion-set", "malware"}) {
    std::string_view p(prefix);
    if (lower.size() > p.size() + 1 && lower.compare(0, p.size(), p) == 0 &&
        (lower[p.size()] == ':' || lower[p.size()] == '=')) {
      return std::string(TrimQuotes(tag.substr(p.size() + 1)));
    }
  }
  return "";
}

std::unique_ptr<IncidentReader> MakeTheHiveReader() { return std::make_unique<TheHiveReader>(); }

}  // namespace tidemark::importers::incidents
