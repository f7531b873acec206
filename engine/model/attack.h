// ATT&CK objects as tidemark keeps them: one record per object and domain, with the
// relationships the queries need already folded in (a technique lists its mitigations and the
// threats that use it; a mitigation and a threat list their techniques). Plain values.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/core/status.h"

namespace tidemark::model {

enum class AttackKind {
  kTechnique,
  kTactic,
  kMitigation,
  kGroup,
  kCampaign,
  kSoftware,
  kDataComponent,
  kDetectionStrategy,
};

// "technique", "tactic", "mitigation", "group", "campaign", "software", "data-component",
// "detection-strategy".
std::string_view AttackKindName(AttackKind kind);
std::optional<AttackKind> ParseAttackKind(std::string_view name);
// True for groups, campaigns and software: the objects a scope can be built from.
inline bool IsThreatKind(AttackKind kind) {
  return kind == AttackKind::kGroup || kind == AttackKind::kCampaign ||
         kind == AttackKind::kSoftware;
}

struct AttackObject {
  AttackKind kind = AttackKind::kTechnique;
  std::string id;       // ATT&CK ID: T1059.001, M1038, G0016, C0024, S0154, TA0002; STIX id
                        // for objects without one (data components, detection strategies)
  std::string stix_id;  // attack-pattern--...
  std::string domain;   // enterprise-attack, mobile-attack, ics-attack
  std::string name;
  std::string shortname;  // tactics only: "execution"
  std::vector<std::string> aliases;
  std::vector<std::string> platforms;
  std::vector<std::string> tactics;  // techniques: kill-chain phase names
  std::string parent;                // sub-techniques: the parent technique ID
  std::vector<std::string> subtechniques;
  bool deprecated = false;
  bool revoked = false;
  std::string revoked_by;  // ATT&CK ID of the revoking object (one step; chains resolve later)
  // Techniques: the mitigations (M-IDs) that mitigate it and the threats (G/C/S IDs) using it.
  // Mitigations and threats: the technique IDs they mitigate or use.
  std::vector<std::string> mitigations;
  std::vector<std::string> used_by;
  std::vector<std::string> techniques;
  // Threats: the CVE IDs written in the descriptions of its live `uses` relationships and in
  // its own description (SPEC v2 §3 `known_cves`), sorted.
  std::vector<std::string> cves;
  std::string software_type;  // software only: "malware" or "tool"
  std::string modified;
  std::string version;  // x_mitre_version
  std::string url;
};

// JSON value layout of an AttackObject in the store (documented in store/README keys).
std::string ToJson(const AttackObject& object);
Result<AttackObject> AttackObjectFromJson(std::string_view json);

}  // namespace tidemark::model
