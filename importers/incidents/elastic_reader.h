// Elastic Security alerts (`.alerts-security.alerts-*` documents) and Elastic Defend endpoint
// alerts (`logs-endpoint.alerts-*`: event.kind "alert", event.module "endpoint"): raw `_source`
// objects, search hits ({"_id", "_source"}), a search response ({"hits": {"hits": [...]}}), a
// JSON array or NDJSON of any of these. Dotted and nested keys are read alike.
//
// Grouping: Elastic has no incident object, so each alert is one incident, id `elastic:<_id>`
// (`kibana.alert.uuid`, else `event.id` — an endpoint alert's own id — when `_id` is absent). When a file holds several versions of one alert
// (an export taken while it was updated) the version with the latest `@timestamp` wins.
// Title: the rule name, else `message` ("Malware Prevention Alert").
// Techniques from `kibana.alert.rule.threat` (also 7.x `signal.rule.threat`) and ECS `threat.*`;
// their outcome is blocked when `event.type` (or `kibana.alert.original_event.type`) holds
// "denied" — Elastic Defend prevention alerts — or Endgame's `endgame.metadata.type` is
// "prevention"; succeeded otherwise (detection-only alerts);
// classification from `kibana.alert.workflow_reason` or a workflow tag naming one
// ("true_positive", "False Positive", ...), else undetermined; closing time =
// `kibana.alert.workflow_status_updated_at`, else `@timestamp`; severity from
// `kibana.alert.severity`, else from `kibana.alert.risk_score` or `event.risk_score` (Elastic's
// bands 21/47/73).
// Stateless; thread-safe.
#pragma once

#include <memory>

#include "importers/incidents/reader.h"

namespace tidemark::importers::incidents {

std::unique_ptr<IncidentReader> MakeElasticReader();

}  // namespace tidemark::importers::incidents
