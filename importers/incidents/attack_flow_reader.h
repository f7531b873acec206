// MITRE CTID Attack Flow: Attack Flow Builder files (`.afb`, `"schema": "attack_flow_v2"`: a flat
// `objects` list whose `properties` are [key, value] pair lists; also the earlier builder format
// `"version": "0.1.0"` with an inline schema object, whose objects carry the template name in
// `template` and their uuid in `id`) and STIX 2.1 Attack Flow bundles (`attack-flow` +
// `attack-action` objects, extension-definition--fb9c968a-…).
// One incident per flow. Id `attack-flow:<flow STIX id>:<slug of the flow name>`; an .afb has no
// STIX id, so its id is `attack-flow:attack-flow--<flow object instance uuid>:<slug>` — the
// builder exports a flow under its instance uuid, so a flow and its STIX export are one
// incident. The slug is there because files copied from one another share the instance uuid
// (3 pairs among the 40 CTID corpus files) and so do their STIX exports: without it they would
// overwrite each other.
// Techniques come only from actions: `technique_id` and the `ttp` pairs
// [["tactic","TA0001"],["technique","T1133"]] (.afb), `technique_id` (STIX; "1598.003" without
// the T is rebuilt by the normaliser); the action's tactic_id goes with them, unless it holds a
// technique ID and technique_id is empty (a published 0.1.0 example does so): then it is the
// technique. ATLAS and malformed strings are passed on and end up in unknown_techniques. A
// flow none of whose actions yields a technique is imported with a warning (on the
// import.incidents logger) naming it.
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
