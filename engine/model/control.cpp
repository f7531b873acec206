#include "engine/model/control.h"

#include <algorithm>
#include <charconv>
#include <cmath>

#include "engine/core/ids.h"
#include "engine/core/json.h"

namespace tidemark::model {
namespace {



}  // namespace

std::string_view MappingTypeName(MappingType type) {
  switch (type) {
    case MappingType::kProtect: return "protect";
    case MappingType::kDetect: return "detect";
    case MappingType::kRespond: return "respond";
  }
  return "protect";
}

std::optional<MappingType> ParseMappingType(std::string_view text) {
  std::string folded = FoldEnum(text);
  if (folded == "protect") return MappingType::kProtect;
  if (folded == "detect") return MappingType::kDetect;
  if (folded == "respond") return MappingType::kRespond;
  return std::nullopt;
}

std::optional<double> ParseStrength(std::string_view text) {
  std::string folded = FoldEnum(text);
  if (folded == "significant") return 1.0;
  if (folded == "partial") return 0.5;
  if (folded == "minimal") return 0.25;
  while (!text.empty() && text.front() == ' ') text.remove_prefix(1);
  while (!text.empty() && text.back() == ' ') text.remove_suffix(1);
  double value = 0;
  // from_chars for double is in GCC 11+; strtod would depend on the locale.
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || ptr != text.data() + text.size()) return std::nullopt;
  if (!std::isfinite(value) || value <= 0.0 || value > 1.0) return std::nullopt;
  return value;
}

std::string_view ControlStatusName(ControlStatus status) {
  switch (status) {
    case ControlStatus::kToAddress: return "to-address";
    case ControlStatus::kPlanned: return "planned";
    case ControlStatus::kRiskAccepted: return "risk-accepted";
    case ControlStatus::kThirdParty: return "third-party";
    case ControlStatus::kAlternateMitigation: return "alternate-mitigation";
    case ControlStatus::kCompleted: return "completed";
  }
  return "to-address";
}

std::optional<ControlStatus> ParseControlStatus(std::string_view text) {
  std::string folded = FoldEnum(text);
  if (folded == "toaddress" || folded == "default" || folded == "none" || folded == "open")
    return ControlStatus::kToAddress;
  if (folded == "planned") return ControlStatus::kPlanned;
  if (folded == "riskaccepted" || folded == "ignored") return ControlStatus::kRiskAccepted;
  if (folded == "thirdparty" || folded == "resolvedthroughthirdparty")
    return ControlStatus::kThirdParty;
  if (folded == "alternatemitigation" || folded == "resolvedthroughalternatemitigation")
    return ControlStatus::kAlternateMitigation;
  if (folded == "completed" || folded == "resolved") return ControlStatus::kCompleted;
  return std::nullopt;
}

double ImplementedFraction(const PostureRecord& record) {
  if (record.status == ControlStatus::kRiskAccepted) return 0.0;
  if (record.implemented) return *record.implemented;
  switch (record.status) {
    case ControlStatus::kCompleted:
    case ControlStatus::kThirdParty:
    case ControlStatus::kAlternateMitigation: return 1.0;
    default: return 0.0;
  }
}

bool IsOverdue(const Control& control, double implemented, TimeMs tau) {
  return control.due && StartOfDay(*control.due) + kDayMs <= tau && implemented < 1.0 - 1e-9;
}

std::string ToJson(const Control& c) {
  rapidjson::StringBuffer buf;
  JsonWriter w(buf);
  w.StartObject();
  WriteField(w, "id", c.id);
  WriteFieldIfSet(w, "title", c.title);
  WriteFieldIfSet(w, "product", c.product);
  WriteFieldIfSet(w, "category", c.category);
  WriteFieldIfSet(w, "license", c.license);
  WriteFieldIfSet(w, "remediation_type", c.remediation_type);
  if (c.max_points) {
    w.Key("max_points");
    w.Double(*c.max_points);
  }
  WriteStringsIfSet(w, "mitigations", c.mitigations);
  WriteFieldIfSet(w, "owner", c.owner);
  if (c.due) WriteField(w, "due", FormatIsoTime(*c.due).substr(0, 10));
  if (c.deprecated) {
    w.Key("deprecated");
    w.Bool(true);
  }
  WriteFieldIfSet(w, "source", c.source);
  if (!c.extra_json.empty()) {
    w.Key("extra");
    w.RawValue(c.extra_json.data(), c.extra_json.size(), rapidjson::kObjectType);
  }
  w.EndObject();
  return BufferString(buf);
}

Result<Control> ControlFromJson(std::string_view json) {
  auto doc = ParseStoredRecord(json, "control");
  if (!doc.ok()) return doc.status();
  Control c;
  c.id = StringOr(*doc, "id");
  c.title = StringOr(*doc, "title");
  c.product = StringOr(*doc, "product");
  c.category = StringOr(*doc, "category");
  c.license = StringOr(*doc, "license");
  c.remediation_type = StringOr(*doc, "remediation_type");
  c.max_points = NumberMember(*doc, "max_points");
  c.mitigations = StringArray(*doc, "mitigations");
  c.owner = StringOr(*doc, "owner");
  if (auto due = StringMember(*doc, "due")) c.due = ParseIsoTime(*due);
  if (const auto* deprecated = Member(*doc, "deprecated"); deprecated && deprecated->IsBool())
    c.deprecated = deprecated->GetBool();
  c.source = StringOr(*doc, "source");
  if (const auto* extra = Member(*doc, "extra")) c.extra_json = ToJsonString(*extra);
  return c;
}

std::string ToJson(const Mapping& m) {
  rapidjson::StringBuffer buf;
  JsonWriter w(buf);
  w.StartObject();
  WriteField(w, "control", m.control);
  WriteField(w, "technique", m.technique);
  WriteFieldIfSet(w, "revoked_from", m.revoked_from);
  WriteField(w, "type", MappingTypeName(m.type));
  w.Key("strength");
  w.Double(m.strength);
  WriteFieldIfSet(w, "source", m.source);
  w.EndObject();
  return BufferString(buf);
}

Result<Mapping> MappingFromJson(std::string_view json) {
  auto doc = ParseStoredRecord(json, "mapping");
  if (!doc.ok()) return doc.status();
  Mapping m;
  m.control = StringOr(*doc, "control");
  m.technique = StringOr(*doc, "technique");
  m.revoked_from = StringOr(*doc, "revoked_from");
  m.type = ParseMappingType(StringOr(*doc, "type")).value_or(MappingType::kProtect);
  m.strength = NumberMember(*doc, "strength").value_or(1.0);
  m.source = StringOr(*doc, "source");
  return m;
}

std::string ToJson(const PostureRecord& r) {
  rapidjson::StringBuffer buf;
  JsonWriter w(buf);
  w.StartObject();
  WriteField(w, "control", r.control);
  WriteField(w, "as_of", FormatIsoTime(r.as_of));
  WriteField(w, "status", ControlStatusName(r.status));
  if (r.implemented) {
    w.Key("implemented");
    w.Double(*r.implemented);
  }
  WriteFieldIfSet(w, "source", r.source);
  w.EndObject();
  return BufferString(buf);
}

Result<PostureRecord> PostureRecordFromJson(std::string_view json) {
  auto doc = ParseStoredRecord(json, "posture");
  if (!doc.ok()) return doc.status();
  PostureRecord r;
  r.control = StringOr(*doc, "control");
  auto as_of = ParseIsoTime(StringOr(*doc, "as_of"));
  auto status = ParseControlStatus(StringOr(*doc, "status"));
  if (!as_of || !status) return Status::StoreError("corrupt posture record in store");
  r.as_of = *as_of;
  r.status = *status;
  r.implemented = NumberMember(*doc, "implemented");
  r.source = StringOr(*doc, "source");
  return r;
}

std::string ToJson(const Asset& a) {
  rapidjson::StringBuffer buf;
  JsonWriter w(buf);
  w.StartObject();
  WriteField(w, "id", a.id);
  WriteFieldIfSet(w, "type", a.type);
  WriteFieldIfSet(w, "name", a.name);
  w.Key("weight");
  w.Double(a.weight);
  w.EndObject();
  return BufferString(buf);
}

Result<Asset> AssetFromJson(std::string_view json) {
  auto doc = ParseStoredRecord(json, "asset");
  if (!doc.ok()) return doc.status();
  Asset a;
  a.id = StringOr(*doc, "id");
  a.type = StringOr(*doc, "type");
  a.name = StringOr(*doc, "name");
  a.weight = NumberMember(*doc, "weight").value_or(1.0);
  return a;
}

ControlState StateAt(const std::vector<PostureRecord>& records, TimeMs tau) {
  ControlState state;
  auto it = std::upper_bound(records.begin(), records.end(), tau,
                             [](TimeMs t, const PostureRecord& r) { return t < r.as_of; });
  if (it == records.begin()) return state;
  --it;
  state.status = it->status;
  state.implemented = ImplementedFraction(*it);
  state.has_record = true;
  return state;
}

}  // namespace tidemark::model
