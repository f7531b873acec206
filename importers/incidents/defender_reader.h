// Microsoft Defender XDR from the Graph security API and the legacy API, in a list
// ({"value": [...]}), a JSON array, single objects or NDJSON:
// - Graph incidents (`/security/incidents?$expand=alerts`): id `defender:<id>`;
// - legacy incidents (`/api/incidents`: incidentId, incidentName, createdTime, lastUpdateTime,
//   alerts with devices[] and entities[]): id `defender:<incidentId>`;
// - Graph alerts (`/security/alerts_v2`, records with a title and alert keys and no incident
//   keys): alerts sharing an incidentId become one incident `defender:<incidentId>` (title and
//   created of the earliest alert, closed when every alert is resolved, highest severity,
//   true-positive when any alert is); an alert without an incidentId is its own incident
//   `defender:<alert id>`.
// Techniques come from alerts' mitreTechniques with the alert's category as tactic; their
// outcome is blocked when the alert's evidence[].detectionStatus says `blocked`/`prevented` and
// none says `detected`, or (no detection status given) the alert title ends "was prevented" or
// "was blocked" (Defender Antivirus names the alerts it stopped so). Assets from Graph
// evidence[] (devices, users, mailboxes, Azure resources) and legacy devices[] and entities[]
// (User, MailBox); threats from alerts' actorDisplayName/actorName and threatFamilyName. Graph
// has no closing time: a resolved incident's closing time is its latest alert resolvedDateTime
// (legacy resolvedTime), else lastUpdateDateTime. A record whose `alerts` is not an array, or
// an alert whose evidence/devices/entities is not one, is rejected naming the field.
// Stateless; thread-safe.
#pragma once

#include <memory>

#include "importers/incidents/reader.h"

namespace tidemark::importers::incidents {

std::unique_ptr<IncidentReader> MakeDefenderReader();

}  // namespace tidemark::importers::incidents
