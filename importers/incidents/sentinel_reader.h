// Microsoft Sentinel incidents, in two shapes (one file may be a JSON array, {"value": [...]},
// NDJSON, or — for Log Analytics rows — the portal's CSV export):
// - ARM incident objects (`properties.incidentNumber`, `properties.additionalData.tactics/techniques`);
// - Log Analytics rows of SecurityIncident and SecurityAlert, mixed in any order. Each change of
//   an incident adds a SecurityIncident row: the latest row per IncidentNumber wins (by
//   LastModifiedTime, then TimeGenerated; on a tie the later row). Alert rows named in the
//   incident's AlertIds add their Techniques/SubTechniques (JSON-array strings or
//   comma-separated) and their Entities (a JSON string) as assets; alert rows of no incident
//   in the file are ignored. A CSV export (recognised by an IncidentNumber or SystemAlertId
//   column) names datetime columns "X [UTC]" and writes them "M/D/YYYY, h:mm:ss.fff AM" (UTC);
//   those are read as ISO times, dynamic columns (AlertIds, AdditionalData, Entities) as the
//   JSON text they hold, and a row wider than its header is rejected naming its line.
// Id `sentinel:<IncidentNumber>`. Closing time: ClosedTime; the ARM API has none, so a closed
// ARM incident (or a row without ClosedTime) uses its last modification time.
// Tactics are per incident/alert, not per technique: they are attached to the techniques only
// when exactly one tactic is given. Stateless; thread-safe.
#pragma once

#include <memory>

#include "importers/incidents/reader.h"

namespace tidemark::importers::incidents {

std::unique_ptr<IncidentReader> MakeSentinelReader();

}  // namespace tidemark::importers::incidents
