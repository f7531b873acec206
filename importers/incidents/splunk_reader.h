// Splunk Enterprise Security notables: search results as a JSON array, {"results": [...]}
// (REST output_mode=json), NDJSON export lines ({"result": {...}} or bare objects).
// Id `splunk:<event_id>` (`<indexer guid>@@notable@@<event_hash>`). A raw `index=notable` row
// without event_id gets the same id rebuilt from `indexer_guid` (or `_bkt`) and `event_hash`;
// without the GUID `splunk:<event_hash>`, else `splunk:<orig_sid>@@<orig_rid>`.
// Techniques from `annotations.mitre_attack` and `annotations.mitre_attack.mitre_technique_id`
// (tactic attached only when exactly one `mitre_tactic_id` is given); their outcome is blocked
// when every value of the CIM `action` field is blocked (or denied, dropped, quarantined, ...),
// else succeeded. status 4 resolved / 5 closed (or status_label) -> closed; a
// notable has no closing time, so a closed one uses its `_time`. disposition:1 true-positive,
// 2 benign-positive, 3-4 false-positive, others undetermined (disposition_label too).
// Assets: dest, dvc, orig_host (devices), user, src_user (users), risk_object by its type.
// Stateless; thread-safe.
#pragma once

#include <memory>

#include "importers/incidents/reader.h"

namespace tidemark::importers::incidents {

std::unique_ptr<IncidentReader> MakeSplunkReader();

}  // namespace tidemark::importers::incidents
