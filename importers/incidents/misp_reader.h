// MISP events as the REST API and exports give them: {"Event": {...}}, a bare event (PyMISP
// `MISPEvent.to_json()`: the event's keys at the top, `info` among them), a JSON array of
// those, {"response": [...]} (restSearch), or NDJSON. Id `misp:<Event.uuid>`; title `info`.
// Techniques from mitre-attack-pattern galaxy clusters (`meta.external_id`, a string or a list,
// else the " - T1059.001" suffix of the value) and `misp-galaxy:mitre-attack-pattern="… - T…"`
// tags, on the event and on its attributes and objects' attributes; only technique-shaped ids
// are taken (ATT&CK T-IDs, and ATLAS-style AML.T… kept as unknown techniques) — CAPEC-576 and
// other references a cluster lists are not techniques. The tactic is the phase after the last
// ':' of the `meta.kill_chain` entries ("mitre-attack:discovery", "attack-Windows:execution"),
// when they all name one phase.
// created = `date` (start of day; else `timestamp`); status closed when `analysis` is 2
// (Completed), closed = `timestamp` (the last change; else `publish_timestamp`). Severity from
// `threat_level_id`: 1 high, 2 medium, 3 low, 4 (undefined) none. MISP has no verdict field:
// `false-positive:confirmed="true"` -> false-positive, `false-positive:risk="high"` ->
// undetermined, otherwise true-positive (an event records observed malicious activity).
// Assets are the organisation's side only: Targeting data (`target-machine` -> device,
// `target-user` -> user, `target-email` -> mailbox) and `hostname` attributes with
// to_ids false (to_ids true marks an indicator, i.e. the attacker's side).
// Threats from threat-actor / mitre-intrusion-set / mitre-malware / mitre-tool / mitre-campaign
// galaxies and tags, and the generic `tool` galaxy (BabyShark resolves to ATT&CK S0414).
// Stateless; thread-safe.
#pragma once

#include <memory>

#include "importers/incidents/reader.h"

namespace tidemark::importers::incidents {

std::unique_ptr<IncidentReader> MakeMispReader();

}  // namespace tidemark::importers::incidents
