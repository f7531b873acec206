// Microsoft Defender Vulnerability Management rows and Trivy reports (field maps in
// docs/vulnerabilities.md).
#include <cmath>

#include "engine/core/ids.h"
#include "engine/core/json.h"
#include "importers/vulnerabilities/finding_readers.h"

namespace tidemark::importers::findings {
namespace {

using rapidjson::Value;

std::string Text(const Value& obj, std::string_view name) {
  const Value* value = MemberAnyCase(obj, name);
  return value && value->IsString() ? std::string(value->GetString(), value->GetStringLength()) : std::string();
}

// Defender's ExploitabilityLevel values as SPEC spellings.
std::string ExploitabilityOf(std::string_view level) {
  std::string folded = FoldEnum(level);
  if (folded == "noexploit") return "no-exploit";
  if (folded == "exploitispublic") return "exploit-public";
  if (folded == "exploitisverified") return "exploit-verified";
  if (folded == "exploitisinkit") return "exploit-in-kit";
  return ToLower(level);
}

Problem MdvmTime(const Value& record, std::string_view name, TimeMs& out) {
  const Value* value = MemberAnyCase(record, name);
  if (!value || value->IsNull()) return "field \"" + std::string(name) + "\" is missing";
  if (!value->IsString()) return "field \"" + std::string(name) + "\" must be a time string";
  auto time = ParseIsoTime(std::string_view(value->GetString(), value->GetStringLength()));
  if (!time) return "field \"" + std::string(name) + "\": " + Quote(value->GetString()) + " is not a time";
  out = *time;
  return std::nullopt;
}

}  // namespace

void ReadMdvmRecord(const Value& record, const std::string& where, FindingFile& out) {
  if (!record.IsObject()) {
    out.rejects.Add(out.file, where, "record is not an object");
    return;
  }
  const Value* cve = MemberAnyCase(record, "cveId");
  if (!cve || cve->IsNull() || (cve->IsString() && cve->GetStringLength() == 0)) {
    ++out.without_cve;  // a software inventory row: installed, no known vulnerability
    return;
  }
  FindingRow row;
  model::Finding& f = row.finding;
  f.source = out.format == FindingFormat::kMdvmDelta ? "mdvm-delta" : "mdvm";
  if (!cve->IsString()) {
    out.rejects.Add(out.file, where, "field \"cveId\" must be a string");
    return;
  }
  f.cve.assign(cve->GetString(), cve->GetStringLength());
  f.asset = Text(record, "deviceName");
  if (f.asset.empty()) f.asset = Text(record, "deviceId");
  f.software = {Text(record, "softwareVendor"), Text(record, "softwareName"), Text(record, "softwareVersion")};
  f.severity = Text(record, "vulnerabilitySeverityLevel");
  if (const Value* cvss = MemberAnyCase(record, "cvssScore"); cvss && cvss->IsNumber() && std::isfinite(cvss->GetDouble())) {
    f.cvss = cvss->GetDouble();
  }
  f.exploitability = ExploitabilityOf(Text(record, "exploitabilityLevel"));
  f.update = Text(record, "recommendedSecurityUpdate");
  Problem problem = MdvmTime(record, "firstSeenTimestamp", f.first_seen);
  if (!problem && out.format == FindingFormat::kMdvmDelta) {
    std::string status = FoldEnum(Text(record, "status"));
    if (status != "new" && status != "fixed" && status != "updated") {
      problem = "field \"status\": " + Quote(Text(record, "status")) + " is not New, Fixed or Updated";
    } else {
      problem = MdvmTime(record, "eventTimestamp", row.event_time);
      row.event = status == "fixed" ? FindingRow::Event::kFixed : FindingRow::Event::kUpsert;
    }
  }
  if (!problem) problem = Finish(f, "deviceName", "cveId");
  if (problem) {
    out.rejects.Add(out.file, where, *problem);
    return;
  }
  out.Add(std::move(row));
}

Status ReadTrivy(const Value& report, FindingFile& out) {
  std::string artifact = StringOr(report, "ArtifactName");
  if (artifact.empty()) return Status::BadInput(out.file + ": Trivy report without \"ArtifactName\" (the asset)");
  // A report says when it was made, not when each vulnerability appeared: its CreatedAt is the
  // first time this scan saw them (an earlier import keeps an earlier first_seen).
  std::optional<TimeMs> created;
  if (auto text = StringMember(report, "CreatedAt")) created = ParseIsoTime(*text);
  if (!created) {
    return Status::BadInput(out.file + ": Trivy report without a valid \"CreatedAt\" (needed as first_seen; Trivy "
                                       "writes it since v0.34)");
  }
  const Value* results = Member(report, "Results");
  if (!results) return Status::Ok();  // a clean scan
  if (!results->IsArray()) return Status::BadInput(out.file + ": field \"Results\" must be an array");
  for (rapidjson::SizeType result_idx = 0; result_idx < results->Size(); ++result_idx) {
    const Value& result = (*results)[result_idx];
    std::string result_where = IndexPath("Results", result_idx);
    if (!result.IsObject()) {
      out.rejects.Add(out.file, result_where, "result is not an object");
      continue;
    }
    const Value* vulns = Member(result, "Vulnerabilities");
    if (!vulns || vulns->IsNull()) continue;
    if (!vulns->IsArray()) {
      out.rejects.Add(out.file, result_where, "field \"Vulnerabilities\" must be an array");
      continue;
    }
    // The package ecosystem (alpine, debian, jar, npm, ...) stands for the vendor: Trivy names
    // packages, not vendors, and a patch is one package of one ecosystem.
    std::string ecosystem = StringOr(result, "Type");
    for (rapidjson::SizeType vuln_idx = 0; vuln_idx < vulns->Size(); ++vuln_idx) {
      const Value& vuln = (*vulns)[vuln_idx];
      std::string where = result_where + "." + IndexPath("Vulnerabilities", vuln_idx);
      if (!vuln.IsObject()) {
        out.rejects.Add(out.file, where, "vulnerability is not an object");
        continue;
      }
      FindingRow row;
      model::Finding& f = row.finding;
      f.source = "trivy";
      f.asset = artifact;
      f.cve = StringOr(vuln, "VulnerabilityID");
      f.software = {ecosystem, StringOr(vuln, "PkgName"), StringOr(vuln, "InstalledVersion")};
      f.first_seen = *created;
      f.severity = StringOr(vuln, "Severity");
      f.update = StringOr(vuln, "FixedVersion");
      // CVSS: NVD's v3 score, else the first source's.
      if (const Value* cvss = Member(vuln, "CVSS"); cvss && cvss->IsObject()) {
        for (const auto& source : cvss->GetObject()) {
          auto score = NumberMember(source.value, "V3Score");
          if (score && (!f.cvss || std::string_view(source.name.GetString()) == "nvd")) f.cvss = score;
        }
      }
      if (auto problem = Finish(f, "ArtifactName", "VulnerabilityID")) {
        out.rejects.Add(out.file, where, *problem);
        continue;
      }
      out.Add(std::move(row));
    }
  }
  return Status::Ok();
}

}  // namespace tidemark::importers::findings
