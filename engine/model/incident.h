// One normalised incident, whatever system it came from (SPEC §1, §2). Every incident reader
// produces this; the store keeps it as JSON (ToJson below is the documented layout).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/core/status.h"
#include "engine/core/time_util.h"

namespace tidemark::model {

enum class Classification { kTruePositive, kFalsePositive, kBenignPositive, kUndetermined };
std::string_view ClassificationName(Classification value);
// Matches the SPEC names and the vendor spellings case-insensitively (see importers/incidents).
std::optional<Classification> ParseClassification(std::string_view text);

// SPEC §1 (version 2): whether the technique's activity succeeded (the default) or was
// prevented/blocked. Only succeeded uses set an evidence baseline (SPEC §3 "Evidence").
enum class TechniqueOutcome { kSucceeded, kBlocked };
std::string_view TechniqueOutcomeName(TechniqueOutcome value);
// "succeeded"/"blocked" and vendor spellings (prevented, denied, ...), case-insensitively.
std::optional<TechniqueOutcome> ParseTechniqueOutcome(std::string_view text);

struct IncidentTechnique {
  std::string id;            // normalised ATT&CK ID, revocations resolved
  std::string tactic;        // STIX short name, or empty
  std::string revoked_from;  // the revoked ID the source named, if any
  TechniqueOutcome outcome = TechniqueOutcome::kSucceeded;
};

struct AssetRef {
  std::string id;  // stable: lower-cased host/user/mailbox/resource id
  std::string type;
  std::string name;  // display name as the source gave it
};

struct Incident {
  std::string id;  // "INC-1042" (native) or "<source>:<id in that system>"
  std::string title;
  std::string source;  // native, defender, sentinel, elastic, ocsf, splunk, thehive, stix, misp,
                       // attack-flow, csv
  std::optional<TimeMs> created;
  std::optional<TimeMs> closed;
  std::string status = "open";  // open | closed
  Classification classification = Classification::kUndetermined;
  std::string severity;  // informational, low, medium, high, critical (or empty)
  std::vector<IncidentTechnique> techniques;
  std::vector<std::string> unknown_techniques;  // not in the loaded ATT&CK data, or non-ATT&CK
  // Unknown IDs whose every use was blocked (a subset of unknown_techniques, sorted): kept so
  // the outcome survives until a later ATT&CK import resolves the ID.
  std::vector<std::string> unknown_blocked;
  std::vector<AssetRef> assets;
  std::vector<std::string> threats;  // ATT&CK IDs (G/C/S) or custom threat names
  std::string extra_json;            // unknown keys of a native record, kept verbatim

  // SPEC §3: counted at τ when not false/benign positive and its time (closed, else created)
  // is <= τ. An incident with neither time never counts.
  std::optional<TimeMs> Time() const { return closed ? closed : created; }
  bool CountsAt(TimeMs tau) const;
};

// The rule of Incident::CountsAt for an incident known only by classification and time.
bool CountsAt(Classification classification, std::optional<TimeMs> time, TimeMs tau);

// The stored record: the fields of WriteIncidentFields (incident_json.h), each technique as
// {id, tactic, revoked_from, outcome} (tactic and revoked_from only when set).
std::string ToJson(const Incident& incident);
Result<Incident> IncidentFromJson(std::string_view json);

}  // namespace tidemark::model
