// Control -> technique mappings (SPEC §1, §3): tidemark native JSON/CSV and CTID Mappings
// Explorer sets. Parsing is pure; ResolveMappings checks the IDs against the loaded ATT&CK
// data; StoreMappings writes in the caller's transaction.
//
// Native JSON: {"source": "...", "mappings": [{"control", "technique", "type", "strength",
// "title"}]}. A row may name `"mitigation": "M1032"` instead of a technique: the control then
// implements that ATT&CK mitigation (this is how mappings/secure-score.json works).
// Native CSV columns: control, technique, type, strength, mitigation, title.
//
// CTID sets: `technique_score`/`technique_scores` (and intel-vpro's per-product types) take
// `score_category` as the type and `score_value` as the strength; `mitigates`/`protects` are
// protect with strength 1.0; `non_mappable` and null rows are skipped and counted; VERIS
// `related_to` and the KEV types are not control mappings and the whole file is refused.
// Thread-compatible.
#pragma once

#include <rapidjson/document.h>

#include <set>
#include <string>
#include <vector>

#include "engine/model/control.h"
#include "engine/store/store.h"
#include "importers/controls/reject.h"

namespace tidemark::importers {

// A control implementing an ATT&CK mitigation (it reaches every technique the mitigation
// mitigates with strength 1.0).
struct MitigationLink {
  std::string control;
  std::string mitigation;
};

struct MappingFile {
  std::string file;
  std::string format;          // "native JSON", "CSV", "CTID Mappings Explorer"
  std::string source;          // stored on every row: the set's name (file stem or `source`)
  std::string framework;       // CTID `mapping_framework` ("m365")
  std::string attack_version;  // the ATT&CK version the set was made for ("" = not said)
  std::string attack_domain;   // "enterprise-attack", "mobile-attack", "ics-attack" or ""
  std::vector<model::Mapping> mappings;  // technique IDs normalised, not yet resolved
  std::vector<MitigationLink> implements;
  // Controls the file names, created (with these fields) when the store has no such control.
  std::vector<model::Control> control_templates;
  size_t non_mappable = 0;  // CTID rows with status/mapping_type `non_mappable`
  size_t null_rows = 0;     // CTID rows with a null capability_id or attack_object_id
  RejectList rejects;
};

// Parses a mapping file (format detected from the content). Fails with kBadInput naming the
// file when it is not a mapping file or is a set that is not a control mapping (VERIS, KEV,
// the ATT&CK-to-CVE table, a JSON Schema): the message says why nothing is imported.
Result<MappingFile> ParseMappingFile(std::string& text, const std::string& file);

struct MappingResolution {
  std::vector<model::Mapping> rows;        // resolved; duplicates merged, largest strength kept
  std::vector<MitigationLink> implements;  // mitigations known to the loaded ATT&CK data
  std::set<std::string> unknown_techniques;
  std::set<std::string> unknown_mitigations;
  size_t revoked = 0;        // rows whose technique was revoked and resolved (revoked_from kept)
  size_t merged = 0;         // duplicate rows folded into another
  size_t unknown_rows = 0;   // rows left out because their technique is unknown
};

// Resolves technique IDs through revoked-by chains; IDs unknown to the loaded ATT&CK data (and
// foreign IDs) are collected, not kept.
MappingResolution ResolveMappings(const store::ReadTxn& txn, const std::vector<model::Mapping>& drafts,
                                  const std::vector<MitigationLink>& links = {});

struct MappingWriteStats {
  size_t controls_created = 0;
  size_t rows_written = 0;   // mappings and mitigation links
  size_t rows_skipped = 0;   // rows of controls absent from the store (only_existing_controls)
};

// Writes resolved mappings: rows stored earlier under the same source are replaced; controls
// the file names are created when missing (unless `only_existing_controls`, then rows of
// controls absent from the store are skipped and counted); mitigation links are added to the
// controls' `mitigations`.
MappingWriteStats StoreMappings(store::WriteTxn& txn, const MappingFile& file, const MappingResolution& resolved,
                     bool only_existing_controls = false);

// "" when the set's ATT&CK version matches the loaded release of its domain (or either is
// unknown); otherwise a sentence for the import summary.
std::string AttackVersionNote(const store::ReadTxn& txn, const MappingFile& file);

}  // namespace tidemark::importers
