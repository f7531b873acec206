// TheHive 5 cases (and TheHive 4 cases) as the API returns them: one case object, a JSON array
// of cases, {"data"|"cases": [...]}, or NDJSON. Id `thehive:<_id>`.
// Techniques come from the case's `procedures[]` (`patternId`, also the thehive4py spelling
// `patterId`, with the `tactic` slug). Severity 1–4 = low, medium, high, critical
// (`severityLabel` when the number is missing). Status: closed when `stage` is Closed, when
// `status` is one of the closing statuses (TruePositive, FalsePositive, Indeterminate, Other,
// Duplicated) or TheHive 4's `status` Resolved; classification from that status (or TheHive 4
// `resolutionStatus`): TruePositive / FalsePositive, the rest undetermined. Times are epoch ms:
// created = `_createdAt` (else `startDate`, `createdAt`), closed = `closedDate` (else `endDate`,
// else `_updatedAt`). Assets from `observables[]` (hostname/fqdn/ip → device, mail → mailbox,
// user/username/account → user). TheHive has no attribution field, so threats come from tags
// `threat-actor:X`, `actor:X`, `threat:X`, `intrusion-set:X`, `malware:X` and MISP galaxy tags
// `misp-galaxy:threat-actor="X"`, `misp-galaxy:mitre-intrusion-set="Name - G0016"`.
// Stateless; thread-safe.
#pragma once

#include <memory>

#include "importers/incidents/reader.h"

namespace tidemark::importers::incidents {

std::unique_ptr<IncidentReader> MakeTheHiveReader();

// The threat a tag names ("threat-actor:APT29", `misp-galaxy:mitre-intrusion-set="APT29 - G0016"`
// -> "G0016"), or "" for any other tag. Shared with the MISP reader.
std::string ThreatFromTag(std::string_view tag);

}  // namespace tidemark::importers::incidents
