// Importing incident files into the store: expand FILE|DIR arguments, read each file once,
// recognise its format from content (or use the forced one), let its reader produce
// SourceIncidents, normalise them (normalize.h) and upsert them all in ONE write transaction.
// Reading runs on a second thread, checking, normalising and encoding the records
// (IncidentCatalog::Encode) on a third with its own read transaction (the ATT&CK data the write
// started from), and batches go from one to the next through bounded channels
// (engine/core/bounded_channel.h), so the writing thread only stores; a large NDJSON file whose reader
// drains (StreamsNdjson) is read a chunk at a time (ndjson_chunks.h), so memory does not grow
// with the input (issue 16).
//
// Bad input (SPEC §6): without `skip_invalid`, the first file that cannot be read or
// recognised, or that holds a rejected record, fails the import with kBadInput naming file,
// record and field, and nothing is written. With it, valid records are imported and every
// rejected one is listed in the summary.
//
// Duplicate ids: a second record with the id of an earlier record of the same file is rejected
// ("duplicate id"); across files the later file wins, exactly as importing them one after the
// other would. (Readers of formats with several rows per incident, such as Sentinel, merge
// those rows themselves and never emit duplicates.) An empty id, one over 256 bytes, or one
// with control characters is rejected too; any other id is an opaque string, never a path.
// A file holding a NUL byte, or only blanks (after a UTF-8 BOM), fails as a whole. A record
// whose `closed` time is before its `created` time is rejected (field "closed").
// Stateless functions; the store decides concurrency.
#pragma once

#include <functional>
#include <map>
#include <string>
#include <vector>

#include "engine/core/status.h"
#include "engine/store/store.h"
#include "importers/incidents/reader.h"

namespace tidemark::importers::incidents {

struct ImportOptions {
  std::string format = "auto";  // "auto" or a reader name (FindReader)
  bool skip_invalid = false;
  // Called before each file (for a progress line); may be empty.
  std::function<void(size_t file_index, size_t file_count, const std::string& path)> progress;
};

struct FileReject {
  std::string file;
  std::string where;
  std::string reason;
};

struct ImportSummary {
  size_t files = 0;
  size_t added = 0;      // new incidents
  size_t updated = 0;    // existing incidents whose record changed
  size_t unchanged = 0;  // existing incidents imported again as they were
  std::map<std::string, size_t> formats;  // format name -> files read with it
  std::vector<FileReject> rejects;
  std::vector<std::string> unknown_techniques;  // distinct, sorted
  std::vector<std::string> custom_threats;      // distinct, sorted
};

// Regular files named by `paths`; a directory contributes every regular file below it
// (recursively, hidden entries skipped), sorted by path. kBadInput for a path that does not exist.
Result<std::vector<std::string>> ExpandInputs(const std::vector<std::string>& paths);

// Reads one file's content: recognises its format (`format` "auto") and runs the reader.
// `text` must outlive `out`'s use of it (never, today: SourceIncidents own their strings).
// kBadInput when the format is not recognised or the file is not readable as that format;
// `used_format` receives the reader's name.
Status ReadIncidentText(const std::string& path, std::string& text, const std::string& format,
                        ReadOutput& out, std::string* used_format = nullptr);

// Imports `files` (already expanded) in one write transaction. `summary` is filled even when
// the import fails (its rejects say why); on failure nothing is written.
Status ImportIncidents(store::Store& store, const std::vector<std::string>& files,
                       const ImportOptions& options, ImportSummary& summary);

// What ReresolveStoredIncidents changed.
struct ReresolveSummary {
  size_t examined = 0;  // stored incidents
  size_t updated = 0;   // incidents whose record changed
  std::vector<std::string> resolved_techniques;  // formerly unknown IDs that now resolve, sorted
  std::vector<std::string> resolved_threats;     // formerly custom threat names that now resolve, sorted
};

// Import order does not matter (issue 12): run in the transaction that imports ATT&CK data,
// this passes every stored incident through the Normalizer again, so technique IDs that were
// unknown, threat names that were custom and techniques the new release revokes resolve as
// they would have had ATT&CK been loaded first. `revoked_from` names are kept.
ReresolveSummary ReresolveStoredIncidents(store::WriteTxn& txn);

}  // namespace tidemark::importers::incidents
