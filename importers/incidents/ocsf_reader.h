// OCSF 1.x findings: Detection Finding (class_uid 2004), Incident Finding (2005) and the OCSF 1.0
// Security Finding (2001, early Security Lake / Security Hub exports: `finding` instead of
// `finding_info`, lifecycle in `state_id`), as a JSON array, NDJSON or single objects. Times
// are epoch milliseconds.
//
// Identity: `ocsf:<finding_info.uid>` (2001: `finding.uid`); an Incident Finding without finding_info takes the uid of
// the first entry of its finding_info_list, and every finding it lists merges into it. Records
// of one id (an OCSF stream holds Create/Update/Close events of one finding) merge: techniques,
// assets and threats are united, `created` is the earliest, and status, verdict, severity,
// title and closing time come from the record with the latest `time`.
// status_id (2001: state_id) 1-2 open; 3 Suppressed, 4 Resolved and above closed. Closing time:
// end_time, else finding_info.modified_time (finding.modified_time), else the closing event's
// `time`.
// Technique outcome (SPEC §1): blocked when disposition_id is 2 Blocked, 3 Quarantined,
// 5 Deleted or 6 Dropped, or action_id is 2 Denied; succeeded for any other known
// disposition_id/action_id; else from the `disposition`/`action` caption; succeeded when none
// is given. It applies to every attack of the record; a later record of the same finding that
// gives one decides for the techniques of the earlier ones too.
// verdict_id: 1 false-positive; 2 True Positive and 8 Security Risk true-positive; 3 Disregard,
// 5 Benign and 6 Test benign-positive; 10 Duplicate false-positive (the original incident
// carries the weight); others undetermined. Stateless; thread-safe.
#pragma once

#include <memory>

#include "importers/incidents/reader.h"

namespace tidemark::importers::incidents {

std::unique_ptr<IncidentReader> MakeOcsfReader();

}  // namespace tidemark::importers::incidents
