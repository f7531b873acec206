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
#include "engine/store/org_catalog.h"
#include "engine/store/store.h"
#include "importers/common/reject.h"

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
  // The set's name, its identity, stored on every row: `--set NAME`, else the name the file
  // declares (native `source`), else the file's stem (CTID files are named after their set).
  std::string source;
  bool name_declared = false;  // `source` came from the file or from --set, not from the stem
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
  size_t unknown_rows = 0;   // rows whose technique is unknown
  // Unknown IDs were kept (in `rows`/`implements`, unresolved) because the ATT&CK data that
  // could know them is not loaded yet; ReresolveStoredMappings resolves them when it is.
  bool kept_unknown = false;
};

// Resolves technique IDs through revoked-by chains. IDs unknown to the loaded ATT&CK data (and
// foreign IDs) are collected; their rows and links are kept only while no ATT&CK data is
// loaded, or not the domain `attack_domain` the set was made for (import order does not
// matter), and are left out otherwise (the IDs are wrong for the loaded release).
MappingResolution ResolveMappings(const store::ReadTxn& txn, const std::vector<model::Mapping>& drafts,
                                  const std::vector<MitigationLink>& links = {}, std::string_view attack_domain = {});

// Run in the transaction that imports ATT&CK data: stored mapping rows that name a technique
// the data revokes are rewritten to its replacement (revoked_from kept; duplicates merged,
// largest strength kept). Rows of unknown IDs stay (the graph leaves them out). Returns how
// many rows were rewritten.
size_t ReresolveStoredMappings(store::WriteTxn& txn);

struct MappingWriteStats {
  std::optional<store::MappingSetInfo> replaced;  // the set this import replaced, if any
  size_t controls_created = 0;
  size_t rows_written = 0;   // mappings and mitigation links
  size_t rows_skipped = 0;   // rows of controls absent from the store (only_existing_controls)
};

// Why importing `file` as set `file.source` would silently replace another file's set, or
// nullopt: a set of that name is recorded from a different file and the name was only implied
// by the file's stem (a/map.json and b/map.csv are both "map"). A declared name (`source`,
// --set) or `replace` says the replacement is meant.
std::optional<std::string> SetCollision(const store::ReadTxn& txn, const MappingFile& file, bool replace);

// Writes resolved mappings: rows stored earlier under the same source are replaced; controls
// the file names are created when missing (unless `only_existing_controls`, then rows of
// controls absent from the store are skipped and counted); mitigation links are added to the
// controls' `mitigations`. The set's origin is recorded (OrgCatalog::PutMappingSet) and what
// it replaced is returned.
MappingWriteStats StoreMappings(store::WriteTxn& txn, const MappingFile& file, const MappingResolution& resolved,
                     bool only_existing_controls = false);

// "" when the set's ATT&CK version matches the loaded release of its domain (or either is
// unknown); otherwise a sentence for the import summary.
std::string AttackVersionNote(const store::ReadTxn& txn, const MappingFile& file);

}  // namespace tidemark::importers
