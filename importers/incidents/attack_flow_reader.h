// MITRE CTID Attack Flow: Attack Flow Builder files (`.afb`, `"schema": "attack_flow_v2"`: a flat
// `objects` list whose `properties` are [key, value] pair lists) and STIX 2.1 Attack Flow bundles
// (`attack-flow` + `attack-action` objects, extension-definition--fb9c968a-…).
// One incident per flow. Id `attack-flow:<flow STIX id>`; an .afb has no STIX id, so its id is
// `attack-flow:attack-flow--<flow object instance uuid>:<slug of the flow name>` — the builder's
// instance id plus the name, because files copied from one another share the instance uuid
// (3 pairs among the 40 CTID corpus files).
// Techniques come only from actions: `technique_id` and the `ttp` pairs
// [["tactic","TA0001"],["technique","T1133"]] (.afb), `technique_id` (STIX; "1598.003" without
// the T is rebuilt by the normaliser); the action's tactic_id goes with them. ATLAS and
// malformed strings are passed on and end up in unknown_techniques.
// Flows are published write-ups, not tickets, so: title = flow name, created = flow `created`
// (an ISO string, or {"time": ISO, "zone": …}; else none), no closing time, status closed,
// classification true-positive, no severity, no assets (the victim's environment is not ours);
// threats only where a threat actor / intrusion set in the flow is an ATT&CK group by name,
// alias or ID (group_candidates). Stateless; thread-safe.
#pragma once

#include <memory>

#include "importers/incidents/reader.h"

namespace tidemark::importers::incidents {

std::unique_ptr<IncidentReader> MakeAttackFlowReader();

}  // namespace tidemark::importers::incidents
