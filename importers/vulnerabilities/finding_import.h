// Importing findings files into a write transaction (`tidemark import vulnerabilities`): the
// files are read while the transaction is open and their rows written a batch at a time, so a
// million findings never sit in memory at once (issue 15: 1,000,000 findings in ≤ 5 s and
// ≤ 500 MB). Reading runs on a second thread — parsing is about half the work — and hands
// batches of kFindingBatchRows rows to the caller's thread, which alone touches the
// transaction; at most kBatchesInFlight batches wait between them.
//
// Bad input (SPEC §6): without `skip_invalid`, once a reject is read nothing more is written
// and reading goes on only to collect every reject; ImportFindingFiles then fails with
// kBadInput, so the caller's transaction aborts and the store is unchanged. A file that cannot
// be read or recognised fails the import whatever `skip_invalid` says. Stateless; the store
// decides concurrency.
#pragma once

#include <string>
#include <unordered_set>
#include <vector>

#include "engine/store/store.h"
#include "importers/vulnerabilities/finding_file.h"

namespace tidemark::importers {

// What importing one file did, for its summary line.
struct FindingFileSummary {
  std::string file;
  FindingFormat format = FindingFormat::kNative;
  size_t rejected = 0;
  size_t without_cve = 0;  // Defender inventory rows (no CVE)
  FindingWriteStats stats;
};

struct FindingImport {
  std::vector<FindingFileSummary> files;
  RejectList rejects;                     // of every file, in file order
  std::unordered_set<std::string> cves;  // distinct CVE ids of the rows written
  bool refused = false;                  // failed for its rejects (not for a file)
};

// Reads `paths` in order and writes their findings into `txn` (StoreFindings). `out` is reset
// first (Store::Write may run this again). Fails with kBadInput when a file cannot be read, or
// when there are rejects and `skip_invalid` is false (out.rejects then lists them all; the
// caller reports them and aborts the transaction by returning the status).
Status ImportFindingFiles(store::WriteTxn& txn, const std::vector<std::string>& paths, FindingFormat format,
                          bool skip_invalid, FindingImport& out);

}  // namespace tidemark::importers
