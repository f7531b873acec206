// Vulnerability findings and CVE knowledge (SPEC v2 §1 "vulnerability findings", "CVE
// knowledge"): a CVE open on an asset in one software over [first_seen, fixed); which ATT&CK
// techniques exploiting a CVE gives (CTID KEV mapping sets, the CTID CVE CSV); and the CISA
// KEV catalog's facts (date added, due date, known ransomware use). Plain values; the store
// keeps them as documented in engine/store/key_codec.h. Pure functions; thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/core/status.h"
#include "engine/core/time_util.h"

namespace tidemark::model {

enum class RemediationType { kSoftware, kFirmware };
std::string_view RemediationTypeName(RemediationType type);
// "software"/"firmware", case-insensitively; nullopt otherwise.
std::optional<RemediationType> ParseRemediationType(std::string_view text);

struct Software {
  std::string vendor;
  std::string name;
  std::string version;
};

// The patch a software belongs to: "vendor/name" lower-cased ("apache/log4j"), just the name
// when there is no vendor, "" when there is no name (the finding is then its own patch).
std::string SoftwareKey(const Software& software);

struct Finding {
  std::string asset;  // lower-cased (SPEC §1: matched to the inventory case-insensitively)
  std::string cve;    // CVE-YYYY-NNNN upper-cased; other ids (GHSA-...) kept as written
  Software software;
  TimeMs first_seen = 0;
  std::optional<TimeMs> fixed;  // absent: still open
  RemediationType remediation_type = RemediationType::kSoftware;
  std::string severity;        // lower-cased: low, medium, high, critical (as the source says)
  std::optional<double> cvss;  // 0-10
  std::string exploitability;  // no-exploit, exploit-public, exploit-verified, exploit-in-kit
  std::string update;          // the fixing update or version
  std::string source;          // native, mdvm, mdvm-delta, trivy, csv
  std::string extra_json;      // unknown keys of a native record, verbatim ("" = none)

  // SPEC §3: open at τ when first_seen ≤ τ and there is no fixed time ≤ τ.
  bool OpenAt(TimeMs tau) const { return first_seen <= tau && !(fixed && *fixed <= tau); }
  // The key of its patch: SoftwareKey, or the CVE for a finding without software.
  std::string PatchKey() const;
};

// CVE-2021-44228 from "cve-2021-44228" (surrounding blanks trimmed); nullopt when the text is
// not a CVE ID (CVE-, four-digit year, four or more digits).
std::optional<std::string> NormalizeCveId(std::string_view text);
// Every CVE ID written in `text` (any case), normalised, de-duplicated, in order of appearance.
std::vector<std::string> CveIdsIn(std::string_view text);

// The CTID mapping types of a CVE (SPEC §3: only exploitation_technique and primary_impact
// are scored; secondary_impact and uncategorized are shown).
enum class CveMappingType { kExploitationTechnique, kPrimaryImpact, kSecondaryImpact, kUncategorized };
std::string_view CveMappingTypeName(CveMappingType type);
// The CTID spellings ("exploitation_technique", "Primary Impact", ...), case-insensitively.
std::optional<CveMappingType> ParseCveMappingType(std::string_view text);
inline bool IsScored(CveMappingType type) {
  return type == CveMappingType::kExploitationTechnique || type == CveMappingType::kPrimaryImpact;
}

struct CveMapping {
  std::string cve;
  std::string technique;     // normalised and, where revoked, resolved technique ID
  std::string revoked_from;  // the ID the input named when it was revoked
  CveMappingType type = CveMappingType::kExploitationTechnique;
  std::vector<std::string> sources;  // mapping sets or files that gave this row
};

// One CISA KEV catalog entry.
struct KevEntry {
  std::string cve;
  std::string vendor;
  std::string product;
  std::string name;        // vulnerabilityName
  std::string date_added;  // YYYY-MM-DD
  std::string due_date;    // YYYY-MM-DD
  bool ransomware = false;  // knownRansomwareCampaignUse == "Known"
  std::string catalog_version;
};

// The whole finding as JSON (the SPEC §1 record).
std::string ToJson(const Finding& finding);
Result<Finding> FindingFromJson(std::string_view json);
// The part of a stored finding value that its key and binary header do not hold (software,
// severity, cvss, exploitability, update, source, extra): FindingCatalog's JSON. Applying it
// sets only those fields.
std::string DetailsToJson(const Finding& finding);
// The same, appended to `out`.
void AppendDetailsJson(const Finding& finding, std::string& out);
Status ApplyDetailsJson(std::string_view json, Finding& finding);
std::string ToJson(const CveMapping& mapping);
Result<CveMapping> CveMappingFromJson(std::string_view json);
std::string ToJson(const KevEntry& entry);
Result<KevEntry> KevEntryFromJson(std::string_view json);

}  // namespace tidemark::model
