// Elastic Security alerts (`.alerts-security.alerts-*` documents): raw `_source` objects, search
// hits ({"_id", "_source"}), a search response ({"hits": {"hits": [...]}}), a JSON array or
// NDJSON of any of these. Dotted and nested keys are read alike.
//
// Grouping: Elastic has no incident object, so each alert is one incident, id `elastic:<_id>`
// (`kibana.alert.uuid` when `_id` is absent). When a file holds several versions of one alert
// (an export taken while it was updated) the version with the latest `@timestamp` wins.
// Techniques from `kibana.alert.rule.threat` (also 7.x `signal.rule.threat`) and ECS `threat.*`;
// classification from `kibana.alert.workflow_reason` or a workflow tag naming one
// ("true_positive", "False Positive", ...), else undetermined; closing time =
// `kibana.alert.workflow_status_updated_at`, else `@timestamp`; severity from
// `kibana.alert.severity`, else from `kibana.alert.risk_score` (Elastic's bands 21/47/73).
// Stateless; thread-safe.
#pragma once

#include <memory>

#include "importers/incidents/reader.h"

namespace tidemark::importers::incidents {

std::unique_ptr<IncidentReader> MakeElasticReader();

}  // namespace tidemark::importers::incidents
