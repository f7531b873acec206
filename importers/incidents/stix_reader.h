// STIX 2.1 incidents: a bundle (or a bare JSON array of objects) holding `incident` SDOs with the
// Incident Core Extension (extension-definition--ef765651-…). One incident per `incident`
// object; id `stix:<incident STIX id>`; title `name`.
// Techniques: attack-patterns linked to the incident by a relationship of any type (either
// direction), by `attacker_activities[].pattern_ref` (older drafts), or sighted by a sighting
// that a relationship links to the incident — or any sighting when the bundle holds one
// incident. The ATT&CK ID is the attack-pattern's mitre-* `external_id`, its tactic the single
// mitre kill-chain phase; a reference to an attack-pattern not in the bundle is kept as the
// STIX id (it lands in unknown_techniques).
// Status: `investigation_status` closed -> closed (closed = `modified`), else open.
// Classification from `determination`: successful-attempt, failed-attempt, blocked ->
// true-positive (a real attack, stopped or not); false-positive -> false-positive; low-value
// -> benign-positive; suspected or missing -> undetermined. Severity from `criticality`
// (0–100): 0 informational, 1–39 low, 40–69 medium, 70–89 high, 90–100 critical.
// Assets: identity / infrastructure / SCOs linked to the incident (impacts, targets, …):
// individual identity and user-account -> user, infrastructure, ipv4/ipv6-addr, domain-name ->
// device, other identities -> other. Threats: threat-actor, intrusion-set, campaign, malware and
// tool objects linked to the incident (mitre external_id when present, else the name).
// Stateless; thread-safe.
#pragma once

#include <memory>

#include "importers/incidents/reader.h"

namespace tidemark::importers::incidents {

std::unique_ptr<IncidentReader> MakeStixReader();

}  // namespace tidemark::importers::incidents
