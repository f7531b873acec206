#include "importers/incidents/native_reader.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>

#include "engine/core/ids.h"
#include "engine/core/json.h"
#include "importers/incidents/reader_util.h"

namespace tidemark::importers::incidents {
namespace {

constexpr std::array<std::string_view, 14> kKnownKeys = {
    "id",       "title",      "source", "created",  "closed",  "status",             "classification",
    "severity", "techniques", "assets", "threats",  "extra",   "unknown_techniques", "unknown_blocked"};

size_t NativeKeyIndex(std::string_view key) {
  for (size_t k = 0; k < kKnownKeys.size(); ++k) {
    if (kKnownKeys[k] == key) return k;
  }
  return kKnownKeys.size();
}

// The record's reason for rejection, or "" when it is fine.
class RecordReader {
 public:
  // One pass over the record's members: each known key's first value (as Member finds it), and
  // whether any other key is there for Extra.
  explicit RecordReader(const rapidjson::Value& record) : record_(record) {
    for (const auto& member : record_.GetObject()) {
      size_t k = NativeKeyIndex(std::string_view(member.name.GetString(), member.name.GetStringLength()));
      if (k == kKnownKeys.size()) {
        has_unknown_keys_ = true;
      } else if (fields_[k] == nullptr) {
        fields_[k] = &member.value;
      }
    }
  }

  std::string Read(SourceIncident& out) {
    model::Incident& inc = out.incident;
    const rapidjson::Value* id = Field("id");
    if (id == nullptr || id->IsNull()) return MissingField("id");
    auto id_text = (id->IsString() || id->IsNumber()) ? AsText(id) : std::nullopt;
    if (!id_text) return WrongType("id", "a string");
    if (id_text->empty()) return "field \"id\" is empty";
    inc.id = std::move(*id_text);
    if (auto reason = OptionalString("title", inc.title); !reason.empty()) return reason;
    if (auto reason = OptionalString("source", inc.source); !reason.empty()) return reason;
    if (inc.source.empty()) inc.source = "native";
    if (auto reason = OptionalTime("created", inc.created); !reason.empty()) return reason;
    if (auto reason = OptionalTime("closed", inc.closed); !reason.empty()) return reason;

    std::string status;
    if (auto reason = OptionalString("status", status); !reason.empty()) return reason;
    std::string folded = FoldEnum(status);
    if (folded.empty()) inc.status = inc.closed ? "closed" : "open";
    else if (folded == "closed" || folded == "resolved") inc.status = "closed";
    else if (folded == "open" || folded == "new" || folded == "active" || folded == "inprogress") inc.status = "open";
    else return fmt::format("field \"status\": unknown value \"{}\" (open or closed)", status);

    std::string classification;
    if (auto reason = OptionalString("classification", classification); !reason.empty()) return reason;
    auto parsed = model::ParseClassification(classification);
    if (!parsed) {
      return fmt::format("field \"classification\": unknown value \"{}\" (true-positive, false-positive, "
                         "benign-positive or undetermined)", classification);
    }
    inc.classification = *parsed;

    std::string severity;
    if (auto reason = OptionalString("severity", severity); !reason.empty()) return reason;
    inc.severity = NormalizeSeverity(severity);
    if (inc.severity.empty() && !severity.empty() && FoldEnum(severity) != "unknown") {
      return fmt::format("field \"severity\": unknown value \"{}\" (informational, low, medium, high or critical)",
                         severity);
    }
    if (auto reason = Techniques("techniques", out); !reason.empty()) return reason;
    if (auto reason = Techniques("unknown_techniques", out); !reason.empty()) return reason;
    if (auto reason = UnknownBlocked(out); !reason.empty()) return reason;
    if (auto reason = Assets(inc); !reason.empty()) return reason;
    if (auto reason = Strings("threats", inc.threats); !reason.empty()) return reason;
    return Extra(inc);
  }

 private:
  std::string OptionalString(const char* name, std::string& out) {
    const rapidjson::Value* value = Field(name);
    if (value == nullptr || value->IsNull()) return "";
    if (!value->IsString()) return WrongType(name, "a string");
    out.assign(value->GetString(), value->GetStringLength());
    return "";
  }

  std::string OptionalTime(const char* name, std::optional<TimeMs>& out) {
    const rapidjson::Value* value = Field(name);
    if (value == nullptr || value->IsNull()) return "";
    out = AsTime(value);
    if (!out) return fmt::format("field \"{}\" is not a time (ISO 8601 such as 2026-03-04T09:12:44Z, or epoch "
                                 "seconds/milliseconds)", name);
    return "";
  }

  std::string Techniques(const char* name, SourceIncident& out) {
    const rapidjson::Value* list = Field(name);
    if (list == nullptr || list->IsNull()) return "";
    if (!list->IsArray()) return WrongType(name, "an array");
    size_t index = 0;
    for (const auto& item : list->GetArray()) {
      if (item.IsString()) {
        out.techniques.push_back({std::string(item.GetString(), item.GetStringLength()), ""});
      } else if (item.IsObject() && Member(item, "id") && Member(item, "id")->IsString()) {
        auto outcome = model::TechniqueOutcome::kSucceeded;
        if (const rapidjson::Value* given = Member(item, "outcome"); given && !given->IsNull()) {
          auto parsed = given->IsString() ? model::ParseTechniqueOutcome(StringOr(item, "outcome")) : std::nullopt;
          if (!parsed) {
            return fmt::format("field \"{}[{}].outcome\" must be \"succeeded\" or \"blocked\"", name, index);
          }
          outcome = *parsed;
        }
        out.techniques.push_back({StringOr(item, "id"), StringOr(item, "tactic"), outcome, StringOr(item, "revoked_from")});
      } else {
        return fmt::format("field \"{}[{}]\" must be a technique ID string or an object with a string \"id\"", name,
                           index);
      }
      ++index;
    }
    return "";
  }

  // tidemark's own export: `unknown_blocked` names unknown IDs whose every use was blocked.
  std::string UnknownBlocked(SourceIncident& out) {
    std::vector<std::string> blocked;
    if (auto reason = Strings("unknown_blocked", blocked); !reason.empty()) return reason;
    for (auto& technique : out.techniques) {
      if (std::find(blocked.begin(), blocked.end(), technique.id) != blocked.end()) {
        technique.outcome = model::TechniqueOutcome::kBlocked;
      }
    }
    return "";
  }

  std::string Assets(model::Incident& inc) {
    const rapidjson::Value* list = Field("assets");
    if (list == nullptr || list->IsNull()) return "";
    if (!list->IsArray()) return WrongType("assets", "an array");
    size_t index = 0;
    for (const auto& item : list->GetArray()) {
      if (item.IsString()) {
        AddAsset(inc, "other", std::string_view(item.GetString(), item.GetStringLength()));
      } else if (item.IsObject() && Member(item, "id") && Member(item, "id")->IsString()) {
        std::string type = ToLower(StringOr(item, "type", "other"));
        if (type.empty()) type = "other";
        AddAsset(inc, type, StringOr(item, "id"), StringOr(item, "name"));
      } else {
        return fmt::format("field \"assets[{}]\" must be an object with a string \"id\"", index);
      }
      ++index;
    }
    return "";
  }

  std::string Strings(const char* name, std::vector<std::string>& out) {
    const rapidjson::Value* list = Field(name);
    if (list == nullptr || list->IsNull()) return "";
    if (!list->IsArray()) return WrongType(name, "an array of strings");
    size_t index = 0;
    for (const auto& item : list->GetArray()) {
      if (!item.IsString()) return fmt::format("field \"{}[{}]\" must be a string", name, index);
      out.emplace_back(item.GetString(), item.GetStringLength());
      ++index;
    }
    return "";
  }

  // Unknown keys, and the members of an exported record's "extra", kept verbatim.
  std::string Extra(model::Incident& inc) {
    const rapidjson::Value* extra = Field("extra");
    if (extra != nullptr && !extra->IsNull() && !extra->IsObject()) return WrongType("extra", "an object");
    rapidjson::StringBuffer buf;
    JsonWriter writer(buf);
    writer.StartObject();
    bool any = false;
    auto copy = [&](const auto& member) {
      writer.Key(member.name.GetString(), member.name.GetStringLength());
      member.value.Accept(writer);
      any = true;
    };
    if (extra != nullptr && extra->IsObject()) {
      for (const auto& member : extra->GetObject()) copy(member);
    }
    if (has_unknown_keys_) {
      for (const auto& member : record_.GetObject()) {
        if (NativeKeyIndex(std::string_view(member.name.GetString(), member.name.GetStringLength())) ==
            kKnownKeys.size()) {
          copy(member);
        }
      }
    }
    writer.EndObject();
    if (any) inc.extra_json.assign(buf.GetString(), buf.GetSize());
    return "";
  }

  // The value of a known key named by its text (the helpers below take the name they report).
  const rapidjson::Value* Field(std::string_view name) const { return fields_[NativeKeyIndex(name)]; }

  const rapidjson::Value& record_;
  std::array<const rapidjson::Value*, kKnownKeys.size() + 1> fields_{};  // the last: unknown keys (never read)
  bool has_unknown_keys_ = false;
};

class NativeReader : public IncidentReader {
 public:
  std::string_view Name() const override { return "native"; }

  int Detect(const SourceFile& file) const override {
    rapidjson::Document scratch;
    const rapidjson::Value* first = FirstJsonRecord(file, {"incidents"}, scratch);
    if (first == nullptr || !first->IsObject() || !Member(*first, "id")) return 0;
    int hits = 0;
    for (const char* key : {"techniques", "created", "closed", "classification", "assets", "threats"}) {
      if (Member(*first, key)) ++hits;
    }
    if (hits == 0) return 0;
    // Our own source marker makes it certain; vendor formats that also have "id" score higher
    // on their own markers (alerts, IncidentNumber, ...).
    auto source = StringMember(*first, "source");
    return source && *source == "native" ? 60 : 30 + hits;
  }

  bool StreamsNdjson() const override { return true; }

  Status Read(const SourceFile& file, ReadOutput& out) const override {
    if (file.json != nullptr && !file.json->IsArray() && !file.json->IsObject()) {
      return Status::BadInput(file.path + ": expected a JSON array, an object or NDJSON of incident objects");
    }
    ForEachJsonRecord(file, {"incidents"}, out, [&](const rapidjson::Value& record, const std::string& where) {
      if (!record.IsObject()) {
        out.rejects.push_back({where, "record must be a JSON object"});
        return;
      }
      SourceIncident source;
      source.where = where;
      std::string reason = RecordReader(record).Read(source);
      if (!reason.empty()) {
        out.rejects.push_back({where, std::move(reason)});
        MaybeDrain(out);
        return;
      }
      out.incidents.push_back(std::move(source));
      MaybeDrain(out);
    });
    return Status::Ok();
  }
};

}  // namespace

std::unique_ptr<IncidentReader> MakeNativeReader() { return std::make_unique<NativeReader>(); }

}  // namespace tidemark::importers::incidents
