// Microsoft Defender XDR incidents from the Graph security API (`/security/incidents?$expand=alerts`,
// a list in {"value": [...]}, a JSON array, single objects or NDJSON) and the legacy
// `/api/incidents` shape (incidentId, incidentName, createdTime, lastUpdateTime).
// Id `defender:<id>`. Techniques come from alerts[].mitreTechniques with the alert's category
// as tactic; assets from alerts[].evidence[] (devices, users, mailboxes, Azure resources);
// threats from alerts' actorDisplayName and threatFamilyName. Graph has no closing time: a
// resolved incident's closing time is its latest alert resolvedDateTime, else lastUpdateDateTime.
// Stateless; thread-safe.
#pragma once

#include <memory>

#include "importers/incidents/reader.h"

namespace tidemark::importers::incidents {

std::unique_ptr<IncidentReader> MakeDefenderReader();

}  // namespace tidemark::importers::incidents
