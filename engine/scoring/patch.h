// What vulnerability exposure adds to an evaluated scope (SPEC v2 §3, §4): the patches that
// lower its VE and a threat's known CVEs. Plain values, filled by VulnerabilityExposure::Fill.
#pragma once

#include <string>
#include <vector>

#include "engine/model/finding.h"

namespace tidemark::scoring {

struct Patch {
  std::string software;           // the software key ("apache/log4j"), or the CVE
  std::vector<std::string> cves;  // of its open findings, sorted
  size_t assets = 0;              // distinct assets with an open finding of it
  std::vector<std::string> techniques;  // scope techniques whose share it lowers, sorted
  std::vector<std::string> reaches;     // scope techniques its CVEs give, sorted
  // firmware when all its open findings are firmware, software otherwise
  model::RemediationType remediation_type = model::RemediationType::kSoftware;
  bool kev = false;         // one of its CVEs is in the KEV catalog
  bool ransomware = false;  // one of them has known ransomware use
  std::string due_date;     // the earliest KEV due date of its CVEs, or ""
  double impact = 0;        // the fall of VE(θ, τ) if all its findings were fixed
};

// A CVE an ATT&CK threat is known to exploit, and on how many assets it is open at τ.
struct KnownCve {
  std::string cve;
  size_t open_on = 0;
};

}  // namespace tidemark::scoring
