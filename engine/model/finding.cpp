#include "engine/model/finding.h"

#include <algorithm>
#include <cctype>

#include "engine/core/ids.h"
#include "engine/core/json.h"

namespace tidemark::model {
namespace {



bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// Length of the CVE ID starting at text[0] ("CVE-" already matched case-insensitively), or 0.
size_t CveLengthAt(std::string_view text) {
  if (text.size() < 13) return 0;
  for (size_t idx = 4; idx < 8; ++idx) {
    if (!IsDigit(text[idx])) return 0;
  }
  if (text[8] != '-') return 0;
  size_t end = 9;
  while (end < text.size() && IsDigit(text[end])) ++end;
  if (end - 9 < 4) return 0;
  return end;
}

bool StartsWithCve(std::string_view text) {
  return text.size() >= 4 && (text[0] == 'C' || text[0] == 'c') && (text[1] == 'V' || text[1] == 'v') &&
         (text[2] == 'E' || text[2] == 'e') && text[3] == '-';
}

}  // namespace

std::string_view RemediationTypeName(RemediationType type) {
  return type == RemediationType::kFirmware ? "firmware" : "software";
}

std::optional<RemediationType> ParseRemediationType(std::string_view text) {
  std::string folded = FoldEnum(text);
  if (folded == "software") return RemediationType::kSoftware;
  if (folded == "firmware") return RemediationType::kFirmware;
  return std::nullopt;
}

std::string SoftwareKey(const Software& software) {
  if (software.name.empty()) return "";
  if (software.vendor.empty()) return ToLower(software.name);
  return ToLower(software.vendor) + "/" + ToLower(software.name);
}

std::string Finding::PatchKey() const {
  std::string key = SoftwareKey(software);
  return key.empty() ? cve : key;
}

std::optional<std::string> NormalizeCveId(std::string_view text) {
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front()))) text.remove_prefix(1);
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) text.remove_suffix(1);
  if (!StartsWithCve(text) || CveLengthAt(text) != text.size()) return std::nullopt;
  std::string out(text);
  out[0] = 'C', out[1] = 'V', out[2] = 'E';
  return out;
}

std::vector<std::string> CveIdsIn(std::string_view text) {
  std::vector<std::string> out;
  for (size_t pos = 0; pos + 13 <= text.size(); ++pos) {
    // A CVE ID starts a word: "XCVE-2020-1234" is not one.
    if (pos > 0 && std::isalnum(static_cast<unsigned char>(text[pos - 1]))) continue;
    std::string_view rest = text.substr(pos);
    if (!StartsWithCve(rest)) continue;
    size_t length = CveLengthAt(rest);
    if (length == 0) continue;
    std::string id(rest.substr(0, length));
    id[0] = 'C', id[1] = 'V', id[2] = 'E';
    if (std::find(out.begin(), out.end(), id) == out.end()) out.push_back(std::move(id));
    pos += length - 1;
  }
  return out;
}

std::string_view CveMappingTypeName(CveMappingType type) {
  switch (type) {
    case CveMappingType::kExploitationTechnique: return "exploitation_technique";
    case CveMappingType::kPrimaryImpact: return "primary_impact";
    case CveMappingType::kSecondaryImpact: return "secondary_impact";
    case CveMappingType::kUncategorized: return "uncategorized";
  }
  return "uncategorized";
}

std::optional<CveMappingType> ParseCveMappingType(std::string_view text) {
  std::string folded = FoldEnum(text);
  if (folded == "exploitationtechnique") return CveMappingType::kExploitationTechnique;
  if (folded == "primaryimpact") return CveMappingType::kPrimaryImpact;
  if (folded == "secondaryimpact") return CveMappingType::kSecondaryImpact;
  if (folded == "uncategorized") return CveMappingType::kUncategorized;
  return std::nullopt;
}

namespace {

template <typename W>
void WriteDetails(W& w, const Finding& f) {
  if (!f.software.vendor.empty() || !f.software.name.empty() || !f.software.version.empty()) {
    w.Key("software");
    w.StartObject();
    WriteFieldIfSet(w, "vendor", f.software.vendor);
    WriteFieldIfSet(w, "name", f.software.name);
    WriteFieldIfSet(w, "version", f.software.version);
    w.EndObject();
  }
  WriteFieldIfSet(w, "severity", f.severity);
  if (f.cvss) {
    w.Key("cvss");
    w.Double(*f.cvss);
  }
  WriteFieldIfSet(w, "exploitability", f.exploitability);
  WriteFieldIfSet(w, "update", f.update);
  WriteFieldIfSet(w, "source", f.source);
  if (!f.extra_json.empty()) {
    w.Key("extra");
    w.RawValue(f.extra_json.data(), f.extra_json.size(), rapidjson::kObjectType);
  }
}

void ReadDetails(const rapidjson::Value& doc, Finding& f) {
  if (const auto* software = Member(doc, "software"); software && software->IsObject()) {
    f.software.vendor = StringOr(*software, "vendor");
    f.software.name = StringOr(*software, "name");
    f.software.version = StringOr(*software, "version");
  }
  f.severity = StringOr(doc, "severity");
  f.cvss = NumberMember(doc, "cvss");
  f.exploitability = StringOr(doc, "exploitability");
  f.update = StringOr(doc, "update");
  f.source = StringOr(doc, "source");
  if (const auto* extra = Member(doc, "extra")) f.extra_json = ToJsonString(*extra);
}

}  // namespace

std::string ToJson(const Finding& f) {
  rapidjson::StringBuffer buf;
  JsonWriter w(buf);
  w.StartObject();
  WriteField(w, "asset", f.asset);
  WriteField(w, "cve", f.cve);
  WriteField(w, "first_seen", FormatIsoTime(f.first_seen));
  if (f.fixed) WriteField(w, "fixed", FormatIsoTime(*f.fixed));
  WriteField(w, "remediation_type", RemediationTypeName(f.remediation_type));
  WriteDetails(w, f);
  w.EndObject();
  return BufferString(buf);
}

Result<Finding> FindingFromJson(std::string_view json) {
  auto doc = ParseStoredRecord(json, "finding");
  if (!doc.ok()) return doc.status();
  Finding f;
  f.asset = StringOr(*doc, "asset");
  f.cve = StringOr(*doc, "cve");
  if (auto seen = StringMember(*doc, "first_seen")) f.first_seen = ParseIsoTime(*seen).value_or(0);
  if (auto fixed = StringMember(*doc, "fixed")) f.fixed = ParseIsoTime(*fixed);
  f.remediation_type = ParseRemediationType(StringOr(*doc, "remediation_type")).value_or(RemediationType::kSoftware);
  ReadDetails(*doc, f);
  return f;
}

std::string DetailsToJson(const Finding& f) {
  std::string out;
  AppendDetailsJson(f, out);
  return out;
}

void AppendDetailsJson(const Finding& f, std::string& out) {
  // One buffer per thread: an import writes a million of these.
  thread_local rapidjson::StringBuffer buf;
  buf.Clear();
  JsonWriter w(buf);
  w.StartObject();
  WriteDetails(w, f);
  w.EndObject();
  out.append(buf.GetString(), buf.GetSize());
}

Status ApplyDetailsJson(std::string_view json, Finding& f) {
  auto doc = ParseStoredRecord(json, "finding");
  if (!doc.ok()) return doc.status();
  ReadDetails(*doc, f);
  return Status::Ok();
}

std::string ToJson(const CveMapping& m) {
  rapidjson::StringBuffer buf;
  JsonWriter w(buf);
  w.StartObject();
  WriteField(w, "cve", m.cve);
  WriteField(w, "technique", m.technique);
  WriteFieldIfSet(w, "revoked_from", m.revoked_from);
  WriteField(w, "type", CveMappingTypeName(m.type));
  WriteStringsIfSet(w, "sources", m.sources);
  w.EndObject();
  return BufferString(buf);
}

Result<CveMapping> CveMappingFromJson(std::string_view json) {
  auto doc = ParseStoredRecord(json, "CVE mapping");
  if (!doc.ok()) return doc.status();
  CveMapping m;
  m.cve = StringOr(*doc, "cve");
  m.technique = StringOr(*doc, "technique");
  m.revoked_from = StringOr(*doc, "revoked_from");
  m.type = ParseCveMappingType(StringOr(*doc, "type")).value_or(CveMappingType::kUncategorized);
  m.sources = StringArray(*doc, "sources");
  return m;
}

std::string ToJson(const KevEntry& e) {
  rapidjson::StringBuffer buf;
  JsonWriter w(buf);
  w.StartObject();
  WriteField(w, "cve", e.cve);
  WriteFieldIfSet(w, "vendor", e.vendor);
  WriteFieldIfSet(w, "product", e.product);
  WriteFieldIfSet(w, "name", e.name);
  WriteFieldIfSet(w, "date_added", e.date_added);
  WriteFieldIfSet(w, "due_date", e.due_date);
  w.Key("ransomware");
  w.Bool(e.ransomware);
  WriteFieldIfSet(w, "catalog_version", e.catalog_version);
  w.EndObject();
  return BufferString(buf);
}

Result<KevEntry> KevEntryFromJson(std::string_view json) {
  auto doc = ParseStoredRecord(json, "KEV");
  if (!doc.ok()) return doc.status();
  KevEntry e;
  e.cve = StringOr(*doc, "cve");
  e.vendor = StringOr(*doc, "vendor");
  e.product = StringOr(*doc, "product");
  e.name = StringOr(*doc, "name");
  e.date_added = StringOr(*doc, "date_added");
  e.due_date = StringOr(*doc, "due_date");
  if (const auto* r = Member(*doc, "ransomware"); r && r->IsBool()) e.ransomware = r->GetBool();
  e.catalog_version = StringOr(*doc, "catalog_version");
  return e;
}

}  // namespace tidemark::model
