// CVE knowledge from a file (SPEC v2 §1): CTID Mappings Explorer KEV sets (`mapping_objects`
// whose mapping_type is exploitation_technique, primary_impact, secondary_impact or
// uncategorized; capability_id = the CVE), the CTID ATT&CK-to-CVE CSV (columns CVE ID,
// Primary Impact, Secondary Impact, Exploitation Technique, Uncategorized; cells of
// `; `-separated technique IDs), and the CISA Known Exploited Vulnerabilities catalog JSON
// (`vulnerabilities` with cveID, dateAdded, dueDate, knownRansomwareCampaignUse).
// The format is detected from the content. Parsing is pure; ResolveCveMappings checks the
// technique IDs against the loaded ATT&CK data; StoreCveFile writes in the caller's
// transaction. Thread-compatible.
#pragma once

#include <set>
#include <string>
#include <vector>

#include "engine/model/finding.h"
#include "engine/store/store.h"
#include "importers/common/reject.h"

namespace tidemark::importers {

struct CveFile {
  std::string file;
  std::string format;  // "CTID KEV mapping set", "CTID ATT&CK-to-CVE CSV", "CISA KEV catalog"
  std::string source;  // stored on every mapping row: the set's file stem
  std::vector<model::CveMapping> mappings;  // technique IDs normalised, not yet resolved
  std::vector<model::KevEntry> kev;
  size_t non_mappable = 0;  // CTID rows with status non_mappable or a null technique
  RejectList rejects;
};

// Fails with kBadInput naming the file when it is none of the three forms (a control mapping
// set is refused with a pointer to `import mappings`).
Result<CveFile> ParseCveFile(std::string& text, const std::string& file);

struct CveResolution {
  std::vector<model::CveMapping> rows;  // techniques resolved (revoked -> replacement)
  size_t revoked = 0;
  // Technique IDs the loaded ATT&CK data does not know: kept as written (they score nothing
  // until an ATT&CK release that has them is imported) and reported.
  std::set<std::string> unknown_techniques;
};
CveResolution ResolveCveMappings(const store::ReadTxn& txn, const CveFile& file);

struct CveWriteStats {
  size_t mappings_created = 0;
  size_t kev_entries = 0;
};
CveWriteStats StoreCveFile(store::WriteTxn& txn, const CveFile& file, const CveResolution& resolution);

}  // namespace tidemark::importers
