// Vulnerability findings from a file (SPEC v2 §1): tidemark native JSON ({"findings": [...]}
// or an array), NDJSON and CSV; the Microsoft Defender Vulnerability Management export
// `SoftwareVulnerabilitiesByMachine` (full; an OData page {"value": [...]}, an array, or the
// via-files multiline JSON) and its delta `SoftwareVulnerabilityChangesByMachine` (rows with
// `status` New/Fixed/Updated and `eventTimestamp`); Trivy JSON reports (SchemaVersion 2).
// Field maps: docs/vulnerabilities.md. Auto-detection looks at the shape (see DetectFormat).
//
// Every reader produces FindingRows; rows that cannot be read are rejects naming file, record
// and field. A Defender row without a CVE (software inventory) is counted, not a finding.
// Pure functions; thread-compatible.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "engine/model/finding.h"
#include "engine/store/store.h"
#include "importers/common/reject.h"

namespace tidemark::importers {

enum class FindingFormat { kAuto, kNative, kMdvm, kMdvmDelta, kTrivy, kCsv };
std::string_view FindingFormatName(FindingFormat format);
// "auto", "native", "mdvm", "mdvm-delta", "trivy", "csv"; nullopt otherwise.
std::optional<FindingFormat> ParseFindingFormat(std::string_view name);

struct FindingRow {
  // kUpsert: the finding as read (an open row, or one with its own `fixed`); kFixed: a delta
  // row saying the finding was fixed at `event_time` (only `fixed` changes if it is stored).
  enum class Event { kUpsert, kFixed };
  model::Finding finding;
  Event event = Event::kUpsert;
  TimeMs event_time = 0;  // delta rows: eventTimestamp; others: 0
};

struct FindingFile {
  std::string file;
  FindingFormat format = FindingFormat::kNative;
  std::vector<FindingRow> rows;
  RejectList rejects;
  size_t without_cve = 0;  // Defender inventory rows (cveId null): not findings
};

// Parses `text` (modified in place by JSON readers). `format` kAuto detects. File-level
// problems (not JSON, unknown shape) fail with kBadInput; record problems are rejects.
Result<FindingFile> ParseFindingFile(std::string& text, const std::string& file, FindingFormat format);

struct FindingWriteStats {
  size_t created = 0;
  size_t updated = 0;
  size_t fixed = 0;  // delta Fixed rows applied
};
// Writes the rows: upserts by (asset, CVE, software); delta rows are applied in event-time
// order, a Fixed before a New at the same time (a software updated from 1.0 to 2.0 that is
// still vulnerable stays open).
FindingWriteStats StoreFindings(store::WriteTxn& txn, const FindingFile& file);

}  // namespace tidemark::importers
