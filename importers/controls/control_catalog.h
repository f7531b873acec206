// Control catalogs (SPEC §1): tidemark native JSON, CSV, Microsoft Graph
// `secureScoreControlProfiles` exports, and the built-in `attack-mitigations` catalog. Parsing
// is pure (no store); StoreCatalog writes a parsed catalog in the caller's transaction.
//
// CSV columns (header names, any order, case-insensitive): id (or control, controlname),
// title, product, category, license, remediation_type, max_points, mitigations
// (`M1032; M1026`), techniques (`T1078.004` or `T1078.004:protect:partial`, `;`-separated).
//
// Graph profiles map as: controlName (else id) -> id, title, service -> product,
// controlCategory -> category, maxScore -> max_points, deprecated -> deprecated (out of the
// posture score), actionType Config -> configuration,
// Review/Behavior -> process; every other key (tier, rank, threats, implementationCost, ...)
// is kept in `extra`. Thread-compatible.
#pragma once

#include <set>
#include <string>
#include <vector>

#include "engine/model/control.h"
#include "engine/store/store.h"
#include "importers/controls/mapping_set.h"
#include "importers/common/reject.h"

namespace tidemark::importers {

enum class CatalogFormat { kNativeJson, kCsv, kGraphProfiles, kBuiltin };
std::string_view CatalogFormatName(CatalogFormat format);

struct CatalogFile {
  std::string file;
  CatalogFormat format = CatalogFormat::kNativeJson;
  std::vector<model::Control> controls;
  // Parallel to `controls`: the model fields each record gave (CatalogField names). A stored
  // control is updated with these and keeps every other field (SPEC §1: a catalog import
  // never blanks what a record omits; a Graph profile never lists mitigations, and the
  // curated Secure Score mapping adds them).
  std::vector<std::set<std::string>> given;
  // Direct mappings from the records' `techniques` (technique IDs normalised, not resolved).
  std::vector<model::Mapping> mappings;
  RejectList rejects;
};

// Parses a catalog; the format is detected from the content (JSON with `controls` or an array
// = native; JSON with `value` = Graph profiles; otherwise CSV). A file-level problem (not JSON,
// truncated, no records array, missing id column) fails with kBadInput naming the file;
// record problems become rejects. A file that is a posture snapshot rather than a catalog
// (`as_of` or `snapshots`, a Graph secureScores export, a CSV with an `as_of` column) fails
// with kBadInput saying so: importing it as a catalog would blank every title.
//
// What a record gives: a JSON member that is present and not null (an explicit "" clears the
// field); a CSV cell that is not blank (CSV cannot tell an empty value from an absent one);
// `techniques` given replaces the control's direct mappings from this catalog, omitted keeps them.
Result<CatalogFile> ParseControlCatalog(std::string& text, const std::string& file);

// The built-in catalog `name`. "attack-mitigations": one control per live ATT&CK mitigation in
// the loaded data, id `ATTACK-<M-ID>` (ATTACK-M1032), title the mitigation's name, product
// "MITRE ATT&CK", category "ATT&CK mitigation", implementing that mitigation. NotFound for
// another name; BadInput when no ATT&CK data is loaded.
Result<CatalogFile> BuiltinCatalog(const store::ReadTxn& txn, std::string_view name);

// Writes the catalog's controls and its direct mappings, already resolved (`resolved` from
// ResolveMappings over `catalog.mappings`). A new control is stored as given; a stored one is
// merged (MergeControl). A control whose record gave `techniques` has its earlier direct
// mappings from the same catalog file replaced.
void StoreCatalog(store::WriteTxn& txn, const CatalogFile& catalog, const MappingResolution& resolved);

// `stored` updated with the fields of `record` named in `given` (title, product, category,
// license, remediation_type, max_points, mitigations, owner, due, deprecated, extra); id and
// source come from `record`.
model::Control MergeControl(const model::Control& stored, const model::Control& record, const std::set<std::string>& given);

// True when the parsed document is a Graph secureScoreControlProfiles export.
bool IsGraphProfiles(const rapidjson::Value& doc);

}  // namespace tidemark::importers
