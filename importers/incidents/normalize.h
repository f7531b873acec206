// The shared normaliser (SPEC §2): turns a reader's SourceIncident into the stored
// model::Incident by resolving everything that depends on the loaded ATT&CK data, so every
// format treats technique IDs and threat names the same way:
// - a technique given by its ATT&CK STIX id ("attack-pattern--970a3432-…", as STIX readers pass
//   on a reference to an attack-pattern their bundle does not hold) is looked up among the
//   loaded ATT&CK techniques and becomes its ATT&CK ID; an unknown STIX id stays unknown;
// - technique IDs in any case are normalised; a revoked technique becomes the end of its
//   revoked-by chain and keeps the ID the source named as `revoked_from` (a reference that
//   already carries `revoked_from`, as a re-imported export does, keeps it); deprecated ones are
//   kept as they are;
// - IDs not in the ATT&CK data, non-ATT&CK IDs (ATLAS `AML.T0040`) and malformed strings go to
//   `unknown_techniques` (deduplicated, sorted);
// - duplicates are merged (one entry per technique; the first tactic given wins, and a
//   technique named directly drops the `revoked_from` of a revoked spelling of it);
// - the most specific ID is kept: when a sub-technique is present its parent is dropped
//   (T1059 + T1059.001 -> T1059.001, which inherits the parent's tactic if it had none);
// - tactics are normalised to STIX short names (unknown spellings dropped);
// - threats resolve by ATT&CK ID, name or alias to the ATT&CK ID; anything else stays a custom
//   threat under the name given (trimmed; deduplicated case-insensitively); a reader's
//   `group_candidates` are added only when they resolve to an ATT&CK group (G-ID);
// - techniques, assets and threats are sorted, so the same content always gives the same record.
// One Normalizer serves one import: it caches technique resolutions per distinct ID and builds
// the threat name index once, on first need. Not thread-safe; must not outlive `txn`.
#pragma once

#include <optional>
#include <set>
#include <string>
#include <unordered_map>

#include "engine/model/incident.h"
#include "engine/store/attack_catalog.h"
#include "engine/store/store.h"
#include "importers/incidents/reader.h"

namespace tidemark::importers::incidents {

class Normalizer {
 public:
  explicit Normalizer(const store::ReadTxn& txn) : txn_(txn) {}

  // The normalised incident; `source.incident`'s techniques and unknown techniques are
  // replaced, its other fields kept (assets and threats deduplicated and sorted).
  model::Incident Normalize(SourceIncident source);

  // Every distinct unknown technique seen so far, sorted.
  const std::set<std::string>& unknown_techniques() const { return unknown_seen_; }
  // Every custom (unresolved) threat name seen so far, sorted.
  const std::set<std::string>& custom_threats() const { return custom_seen_; }

 private:
  const store::TechniqueResolution& Resolve(const std::string& id);
  const std::string& Tactic(const std::string& text);
  std::string ResolveThreat(const std::string& text);
  // The ATT&CK ID for an ID, name or alias; nullopt (and nothing recorded) when unknown.
  std::optional<std::string> ResolveKnownThreat(const std::string& text);
  void BuildThreatIndex();
  // The ATT&CK ID of a technique by its STIX id; nullopt when no loaded technique has it.
  std::optional<std::string> TechniqueOfStixId(std::string_view stix_id);
  std::optional<std::string> ResolveThreatId(const std::string& id);

  const store::ReadTxn& txn_;
  std::unordered_map<std::string, store::TechniqueResolution> resolutions_;
  std::unordered_map<std::string, std::string> tactics_;  // as given -> short name or ""

  bool threat_index_built_ = false;
  // upper-case ID -> where it resolves (nullopt: unknown, or revoked without successor)
  std::unordered_map<std::string, std::optional<std::string>> threat_ids_;
  std::unordered_map<std::string, std::string> threat_names_;  // lower-case name/alias -> ID
  bool stix_index_built_ = false;
  std::unordered_map<std::string, std::string> technique_stix_ids_;  // attack-pattern--… -> T-ID
  std::set<std::string> unknown_seen_;
  std::set<std::string> custom_seen_;
};

}  // namespace tidemark::importers::incidents
