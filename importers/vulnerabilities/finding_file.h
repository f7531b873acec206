// Vulnerability findings from a file (SPEC v2 §1): tidemark native JSON ({"findings": [...]}
// or an array), NDJSON and CSV; the Microsoft Defender Vulnerability Management export
// `SoftwareVulnerabilitiesByMachine` (full; an OData page {"value": [...]}, an array, or the
// via-files multiline JSON) and its delta `SoftwareVulnerabilityChangesByMachine` (rows with
// `status` New/Fixed/Updated and `eventTimestamp`); Trivy JSON reports (SchemaVersion 2).
// Field maps: docs/vulnerabilities.md. Auto-detection looks at the shape (see DetectFormat).
//
// Every reader produces FindingRows; rows that cannot be read are rejects naming file, record
// and field. A Defender row without a CVE (software inventory) is counted, not a finding.
// Streaming (issue 15, 1,000,000 findings in bounded memory): ReadFindingFile reads NDJSON in
// chunks, and a FindingFile with a `drain` hands its rows over in batches as they are read.
// Pure functions; thread-compatible.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/model/finding.h"
#include "engine/store/finding_catalog.h"
#include "engine/store/finding_index.h"
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
  // The finding as StoreFindings writes it when it is not stored yet (a kFixed row: fixed at
  // its event time). Made by FindingFile::Add for rows handed over in batches, so that the
  // reading thread does that work; empty otherwise (StoreFindings makes it).
  store::EncodedFinding encoded;
};

// Rows handed over at once by a draining FindingFile.
constexpr size_t kFindingBatchRows = 8192;

struct FindingFile {
  std::string file;
  FindingFormat format = FindingFormat::kNative;
  std::vector<FindingRow> rows;
  RejectList rejects;
  size_t without_cve = 0;  // Defender inventory rows (cveId null): not findings
  // When set, `rows` is handed to it (then cleared) every kFindingBatchRows rows while a file
  // is read, and once more at the end, so a file's rows are never all held at once. Rows of the
  // Defender delta and of CSV (whose rows may be delta rows) are held until the end: StoreFindings
  // applies them in event-time order over the whole file.
  std::function<void(FindingFile&)> drain;

  // Takes a row read (readers call this, never rows.push_back).
  void Add(FindingRow&& row);
  // Hands the rows held to `drain`, if set.
  void Drain();
};

// Parses `text` (modified in place by JSON readers). `format` kAuto detects. File-level
// problems (not JSON, unknown shape) fail with kBadInput; record problems are rejects. Ends with
// out.Drain().
Result<FindingFile> ParseFindingFile(std::string& text, const std::string& file, FindingFormat format);
// The same for the file at `path`, into `out` (its `file` is set to `path`, its `drain` kept):
// NDJSON is read in chunks, every other form whole. kBadInput when the file cannot be read.
Status ReadFindingFile(const std::string& path, FindingFormat format, FindingFile& out);

struct FindingWriteStats {
  size_t created = 0;
  size_t updated = 0;
  size_t fixed = 0;  // delta Fixed rows applied
};
// Writes the rows (moved out; `rows` is left cleared) and adds what it did to `stats`: upserts
// by (asset, CVE, software); delta rows are applied in event-time order, a Fixed before a New
// at the same time (a software updated from 1.0 to 2.0 that is still vulnerable stays open).
// The rows of one finding are applied in that order; findings are written in key order (they
// do not depend on each other), so that a first import appends.
// The finding index changes go to `index` (the caller finishes it before committing).
// `key_order`, when given, is KeyOrder(rows) made beforehand (on the reading thread; taken).
void StoreFindings(store::WriteTxn& txn, std::vector<FindingRow>& rows, FindingWriteStats& stats,
                   store::FindingIndex::Writer& index, std::vector<uint32_t>* key_order);
// The positions of encoded rows in order of their keys; rows with one key keep their order.
std::vector<uint32_t> KeyOrder(const std::vector<FindingRow>& rows);
// The same with an index writer of its own, finished at once.
void StoreFindings(store::WriteTxn& txn, std::vector<FindingRow>& rows, FindingWriteStats& stats);

}  // namespace tidemark::importers
