// Posture snapshots (SPEC §1, §3): dated control states from tidemark native JSON/CSV and
// Microsoft Graph `secureScores` exports. Parsing is pure; ResolvePosture checks each record
// against the controls in the store (an unknown control is a reject, never created) and turns
// Graph scores into implemented fractions; StorePosture writes in the caller's transaction.
//
// Native JSON: {"as_of": DATE, "controls": [{"id", "status", "implemented"}]}, an array of
// such snapshots, or {"snapshots": [...]}. CSV columns: as_of, id (or control), status,
// implemented. A date alone is the start of that day (UTC).
//
// Graph: {"value": [{"createdDateTime", "controlScores": [{"controlName", "score"}]}]}; each
// entry is a snapshot at its createdDateTime; implemented = score / the control's maxScore
// (its max_points from the imported profiles, capped at 1); status completed when the
// control has full points, otherwise to-address. Thread-compatible.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "engine/model/control.h"
#include "engine/store/store.h"
#include "importers/common/reject.h"

namespace tidemark::importers {

struct PostureDraft {
  model::PostureRecord record;
  std::string where;                 // for rejects found when resolving
  std::optional<double> graph_score;  // Graph rows: points, turned into `implemented` later
};

struct PostureFile {
  std::string file;
  std::string format;  // "native JSON", "CSV", "Graph secureScores"
  std::vector<PostureDraft> drafts;
  size_t snapshots = 0;
  RejectList rejects;
};

// Parses a posture file (format detected from the content). File-level problems fail with
// kBadInput naming the file; record problems become rejects.
Result<PostureFile> ParsePostureFile(std::string& text, const std::string& file);

// Checks every draft against the store's controls: unknown controls and Graph rows of
// controls without a maxScore become rejects. Returns the records to store.
std::vector<model::PostureRecord> ResolvePosture(const store::ReadTxn& txn, PostureFile& file);

}  // namespace tidemark::importers
