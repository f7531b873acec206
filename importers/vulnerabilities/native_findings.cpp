// Native findings (SPEC §1): JSON records, NDJSON, and CSV with native or Defender columns.
#include <algorithm>
#include <string>

#include "engine/core/ids.h"
#include "engine/core/json.h"
#include "importers/common/csv_table.h"
#include "importers/common/text.h"
#include "importers/vulnerabilities/finding_readers.h"

namespace tidemark::importers::findings {
namespace {

using rapidjson::Value;

std::string Field(const char* name) { return std::string("field \"") + name + "\""; }

// Finds the first member of `obj` named by each of `names` in one pass over its members
// (found[k] stays nullptr when absent) and says whether any other member is there.
template <size_t N>
bool FindMembers(const Value& obj, const std::string_view (&names)[N], const Value* (&found)[N]) {
  bool unknown = false;
  for (const auto& member : obj.GetObject()) {
    std::string_view name(member.name.GetString(), member.name.GetStringLength());
    size_t idx = 0;
    while (idx < N && name != names[idx]) ++idx;
    if (idx == N) {
      unknown = true;
    } else if (!found[idx]) {
      found[idx] = &member.value;
    }
  }
  return unknown;
}

// `value` is obj's member `name` (nullptr when absent); a plain string is taken here, anything
// else is left to OptionalString (null: nothing; another type: its message).
Problem StringOf(const Value& obj, const Value* value, const char* name, std::string& out) {
  if (!value) return std::nullopt;
  if (value->IsString()) {
    out.assign(value->GetString(), value->GetStringLength());
    return std::nullopt;
  }
  return OptionalString(obj, name, out);
}

Problem RequiredTime(const Value* value, const char* name, TimeMs& out) {
  if (!value || value->IsNull()) return Field(name) + " is missing";
  if (!value->IsString()) return Field(name) + " must be a date or time string";
  auto time = ParseIsoTime(std::string_view(value->GetString(), value->GetStringLength()));
  if (!time) return Field(name) + ": " + Quote(value->GetString()) + " is not an ISO 8601 date or time";
  out = *time;
  return std::nullopt;
}

Problem OptionalTime(const Value* value, const char* name, std::optional<TimeMs>& out) {
  if (!value || value->IsNull()) return std::nullopt;
  TimeMs time = 0;
  if (auto problem = RequiredTime(value, name, time)) return problem;
  out = time;
  return std::nullopt;
}

Problem RemediationOf(std::string_view text, model::Finding& f) {
  if (text.empty()) return std::nullopt;
  auto type = model::ParseRemediationType(text);
  if (!type) return "field \"remediation_type\": " + Quote(text) + " is not software or firmware";
  f.remediation_type = *type;
  return std::nullopt;
}

// The members of a native record, in the order ReadRecord checks them.
constexpr std::string_view kRecordMembers[] = {"asset",    "cve",  "software",       "first_seen", "fixed",
                                               "remediation_type", "severity", "cvss", "exploitability", "update"};
struct RecordMember {  // positions in kRecordMembers
  static constexpr size_t kAsset = 0, kCve = 1, kSoftware = 2, kFirstSeen = 3, kFixed = 4, kRemediation = 5,
                          kSeverity = 6, kCvss = 7, kExploitability = 8, kUpdate = 9;
};
constexpr std::string_view kSoftwareMembers[] = {"vendor", "name", "version"};

Problem ReadRecord(const Value& record, model::Finding& f) {
  if (!record.IsObject()) return std::string("record is not an object");
  // One pass over the members (a million records: no lookup per field).
  const Value* member[std::size(kRecordMembers)] = {};
  bool unknown = FindMembers(record, kRecordMembers, member);
  if (auto problem = StringOf(record, member[RecordMember::kAsset], "asset", f.asset)) return problem;
  if (auto problem = StringOf(record, member[RecordMember::kCve], "cve", f.cve)) return problem;
  if (const Value* software = member[RecordMember::kSoftware]; software && !software->IsNull()) {
    if (software->IsString()) {
      f.software.name.assign(software->GetString(), software->GetStringLength());
    } else if (software->IsObject()) {
      const Value* part[std::size(kSoftwareMembers)] = {};
      FindMembers(*software, kSoftwareMembers, part);
      if (auto problem = StringOf(*software, part[0], "vendor", f.software.vendor)) return "software: " + *problem;
      if (auto problem = StringOf(*software, part[1], "name", f.software.name)) return "software: " + *problem;
      if (auto problem = StringOf(*software, part[2], "version", f.software.version)) return "software: " + *problem;
    } else {
      return Field("software") + " must be an object {\"vendor\", \"name\", \"version\"}";
    }
  }
  if (auto problem = RequiredTime(member[RecordMember::kFirstSeen], "first_seen", f.first_seen)) return problem;
  if (auto problem = OptionalTime(member[RecordMember::kFixed], "fixed", f.fixed)) return problem;
  std::string remediation;
  if (auto problem = StringOf(record, member[RecordMember::kRemediation], "remediation_type", remediation)) return problem;
  if (auto problem = RemediationOf(remediation, f)) return problem;
  if (auto problem = StringOf(record, member[RecordMember::kSeverity], "severity", f.severity)) return problem;
  if (const Value* cvss = member[RecordMember::kCvss]) {
    double number = cvss->IsNumber() ? cvss->GetDouble() : -1;
    if (number >= 0 && number <= 10) {
      f.cvss = number;
    } else if (auto problem = OptionalNumber(record, "cvss", 0, 10, f.cvss)) {  // its checks and messages
      return problem;
    }
  }
  if (auto problem = StringOf(record, member[RecordMember::kExploitability], "exploitability", f.exploitability)) return problem;
  if (auto problem = StringOf(record, member[RecordMember::kUpdate], "update", f.update)) return problem;
  if (unknown) {
    f.extra_json = UnknownMembersJson(record, {"asset", "cve", "software", "first_seen", "fixed", "remediation_type",
                                               "severity", "cvss", "exploitability", "update"});
  }
  return Finish(f, "asset", "cve");
}

}  // namespace

void ReadNativeRecord(const Value& record, const std::string& where, FindingFile& out) {
  FindingRow row;
  row.finding.source = "native";
  if (auto problem = ReadRecord(record, row.finding)) {
    out.rejects.Add(out.file, where, *problem);
    return;
  }
  out.Add(std::move(row));
}

Status ReadNativeJson(Value& records, const std::string& array_name, FindingFile& out) {
  if (!out.drain) out.rows.reserve(records.Size());
  for (rapidjson::SizeType idx = 0; idx < records.Size(); ++idx) {
    ReadNativeRecord(records[idx], IndexPath(array_name, idx), out);
  }
  return Status::Ok();
}

NdjsonFindingReader::NdjsonFindingReader(FindingFile& out)
    : out_(out),
      pool_buffer_(size_t{1} << 16),
      pool_(pool_buffer_.data(), pool_buffer_.size()),
      doc_(&pool_),
      mdvm_(out.format == FindingFormat::kMdvm || out.format == FindingFormat::kMdvmDelta),
      detected_(out.format != FindingFormat::kNative) {}

Status NdjsonFindingReader::Line(std::string_view line, size_t line_no) {
  if (!IsValidUtf8(line)) return Status::BadInput(out_.file + ": not valid UTF-8");
  if (line_no == 1 && line.substr(0, 3) == "\xEF\xBB\xBF") line.remove_prefix(3);
  if (line.find_first_not_of(" \t\r") == std::string_view::npos) return Status::Ok();
  std::string where = "line " + std::to_string(line_no);
  // Nesting deeper than kMaxJsonDepth needs more brackets than that: most lines are not scanned.
  // ('{' and '[' are the only bytes c with c | 0x20 == '{': one vectorised count finds both.)
  if (std::count_if(line.begin(), line.end(), [](char c) { return (c | 0x20) == '{'; }) > kMaxJsonDepth &&
      JsonNestingDepth(line) > kMaxJsonDepth) {
    out_.rejects.Add(out_.file, where, "nesting deeper than " + std::to_string(kMaxJsonDepth));
    return Status::Ok();
  }
  doc_.SetNull();
  pool_.Clear();
  if (line.find('\0') == std::string_view::npos) {
    // In situ (strings decoded where they lie, scanned with SIMD), in a copy of the line: the
    // caller's buffer is not ours. A line holding a NUL byte is parsed as before, from the
    // caller's buffer: in situ, the NUL would end the document there.
    line_.assign(line);
    doc_.ParseInsitu(line_.data());
  } else {
    doc_.Parse(line.data(), line.size());
  }
  if (doc_.HasParseError()) {
    out_.rejects.Add(out_.file, where, "not a JSON object (malformed line)");
    return Status::Ok();
  }
  if (!detected_) {
    // The first record decides: Defender's via-files export is multiline JSON too.
    detected_ = true;
    if (doc_.IsObject() && MemberAnyCase(doc_, "deviceName")) {
      mdvm_ = true;
      out_.format = MemberAnyCase(doc_, "eventTimestamp") ? FindingFormat::kMdvmDelta : FindingFormat::kMdvm;
    }
  }
  if (mdvm_) {
    ReadMdvmRecord(doc_, where, out_);
  } else {
    ReadNativeRecord(doc_, where, out_);
  }
  return Status::Ok();
}

Status ReadNdjson(std::string& text, FindingFile& out) {
  NdjsonFindingReader reader(out);
  size_t line_no = 0;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t end = text.find('\n', pos);
    if (end == std::string::npos) end = text.size();
    TM_RETURN_IF_ERROR(reader.Line(std::string_view(text.data() + pos, end - pos), ++line_no));
    pos = end + 1;
  }
  return Status::Ok();
}

Status ReadCsv(std::string_view text, FindingFile& out) {
  auto table = ParseCsv(text, out.file);
  if (!table.ok()) return table.status();
  auto asset_col = table->Column({"asset", "devicename", "device_name"});
  auto cve_col = table->Column({"cve", "cveid", "cve_id"});
  if (!asset_col || !cve_col) {
    return Status::BadInput(out.file + ": not a findings CSV: expected the columns asset, cve, vendor, software, "
                                       "version, first_seen, fixed, remediation_type, severity, cvss, exploitability, "
                                       "update (or Defender's DeviceName, CveId, SoftwareVendor, ...)");
  }
  auto vendor_col = table->Column({"vendor", "softwarevendor"});
  auto name_col = table->Column({"software", "name", "softwarename"});
  auto version_col = table->Column({"version", "softwareversion"});
  auto first_col = table->Column({"first_seen", "firstseentimestamp"});
  auto fixed_col = table->Column({"fixed"});
  auto remediation_col = table->Column({"remediation_type"});
  auto severity_col = table->Column({"severity", "vulnerabilityseveritylevel"});
  auto cvss_col = table->Column({"cvss", "cvssscore"});
  auto exploit_col = table->Column({"exploitability", "exploitabilitylevel"});
  auto update_col = table->Column({"update", "recommendedsecurityupdate"});
  auto status_col = table->Column({"status"});
  auto event_col = table->Column({"eventtimestamp", "event_time"});
  const char* asset_name = table->headers[*asset_col].c_str();
  const char* cve_name = table->headers[*cve_col].c_str();
  for (const auto& csv_row : table->rows) {
    std::string where = std::to_string(csv_row.line);
    // The record as JSON, so the native field checks (and their messages) apply unchanged.
    rapidjson::Document record;
    record.SetObject();
    auto& alloc = record.GetAllocator();
    auto put = [&](const char* key, std::optional<size_t> column) {
      std::string cell = CsvTable::Cell(csv_row, column);
      if (!cell.empty()) record.AddMember(rapidjson::StringRef(key), Value(cell.c_str(), alloc), alloc);
    };
    if (auto problem = table->WidthProblem(csv_row)) {
      out.rejects.Add(out.file, where, *problem);
      continue;
    }
    std::string status = CsvTable::Cell(csv_row, status_col);
    std::string event = CsvTable::Cell(csv_row, event_col);
    put("asset", asset_col);
    put("cve", cve_col);
    Value software(rapidjson::kObjectType);
    for (auto [key, column] : {std::pair{"vendor", vendor_col}, {"name", name_col}, {"version", version_col}}) {
      std::string cell = CsvTable::Cell(csv_row, column);
      if (!cell.empty()) software.AddMember(rapidjson::StringRef(key), Value(cell.c_str(), alloc), alloc);
    }
    if (software.MemberCount() > 0) record.AddMember("software", software, alloc);
    put("first_seen", first_col);
    put("fixed", fixed_col);
    put("remediation_type", remediation_col);
    put("severity", severity_col);
    put("cvss", cvss_col);
    put("exploitability", exploit_col);
    put("update", update_col);
    FindingRow row;
    row.finding.source = "csv";
    Problem problem = ReadRecord(record, row.finding);
    if (problem && problem->find("\"asset\"") != std::string::npos) problem = "column " + std::string(asset_name) + ": " + *problem;
    if (problem && problem->find("\"cve\"") != std::string::npos) problem = "column " + std::string(cve_name) + ": " + *problem;
    if (!problem && !status.empty()) {
      std::string folded = FoldEnum(status);
      auto time = ParseIsoTime(event);
      if (folded != "new" && folded != "fixed" && folded != "updated") {
        problem = "field \"status\": " + Quote(status) + " is not New, Fixed or Updated";
      } else if (!time) {
        problem = std::string("field \"eventtimestamp\" is missing or not a time (a delta row needs it)");
      } else {
        row.event = folded == "fixed" ? FindingRow::Event::kFixed : FindingRow::Event::kUpsert;
        row.event_time = *time;
        row.finding.source = "mdvm-delta";
      }
    }
    if (problem) {
      out.rejects.Add(out.file, where, *problem);
      continue;
    }
    out.Add(std::move(row));
  }
  return Status::Ok();
}

}  // namespace tidemark::importers::findings
