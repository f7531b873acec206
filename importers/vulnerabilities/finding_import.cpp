#include "importers/vulnerabilities/finding_import.h"

#include <algorithm>
#include <exception>
#include <optional>
#include <thread>

#include "engine/core/bounded_channel.h"

namespace tidemark::importers {
namespace {

constexpr size_t kBatchesInFlight = 2;

// What the reading thread hands over: a batch of rows, the end of a file, a failure, the end.
struct Handover {
  enum class Kind { kRows, kFileDone, kFailed, kEnd };
  Kind kind = Kind::kEnd;
  std::vector<FindingRow> rows;
  std::vector<uint32_t> key_order;  // kRows: KeyOrder(rows), made by the reading thread
  bool after_reject = false;  // kRows: its file had rejects when these rows were handed over
  FindingFileSummary summary;  // kFileDone (without stats: the writer counts them)
  RejectList rejects;          // kFileDone
  std::optional<Status> status;      // kFailed: the file could not be read
  std::exception_ptr error;          // kFailed: the reader threw
};

using Channel = BoundedChannel<Handover>;

void ReadFiles(const std::vector<std::string>& paths, FindingFormat format, Channel& channel) {
  try {
    for (const auto& path : paths) {
      FindingFile file;
      file.drain = [&](FindingFile& read) {
        Handover batch;
        batch.kind = Handover::Kind::kRows;
        batch.rows = std::move(read.rows);
        // Rows encoded by FindingFile::Add (not those held to the end of a file) are sorted
        // here, on this thread.
        if (std::all_of(batch.rows.begin(), batch.rows.end(), [](const FindingRow& row) { return !row.encoded.key.empty(); })) {
          batch.key_order = KeyOrder(batch.rows);
        }
        batch.after_reject = !read.rejects.empty();
        read.rows = {};
        read.rows.reserve(kFindingBatchRows);
        channel.Push(std::move(batch));
      };
      Status status = ReadFindingFile(path, format, file);
      if (!status.ok()) {
        Handover failed;
        failed.kind = Handover::Kind::kFailed;
        failed.status = std::move(status);
        channel.Push(std::move(failed));
        return;
      }
      Handover done;
      done.kind = Handover::Kind::kFileDone;
      done.summary = {file.file, file.format, file.rejects.items.size(), file.without_cve, {}};
      done.rejects = std::move(file.rejects);
      channel.Push(std::move(done));
    }
    channel.Push(Handover{});
  } catch (const ChannelClosed&) {
  } catch (...) {
    Handover failed;
    failed.kind = Handover::Kind::kFailed;
    failed.error = std::current_exception();
    try {
      channel.Push(std::move(failed));
    } catch (const ChannelClosed&) {
    }
  }
}

}  // namespace

Status ImportFindingFiles(store::WriteTxn& txn, const std::vector<std::string>& paths, FindingFormat format,
                          bool skip_invalid, FindingImport& out) {
  out = FindingImport();
  Channel channel(kBatchesInFlight);
  std::thread reader(ReadFiles, std::cref(paths), format, std::ref(channel));
  std::optional<Status> failure;
  store::FindingIndex::Writer index;
  try {
    FindingWriteStats stats;  // of the file being read
    for (bool reading = true; reading;) {
      Handover message = channel.Pop();
      switch (message.kind) {
        case Handover::Kind::kRows:
          // Once a reject is read without --skip-invalid the import is refused: nothing more is
          // written (the transaction will be aborted anyway).
          if (skip_invalid || (out.rejects.empty() && !message.after_reject)) {
            StoreFindings(txn, message.rows, stats, index, &message.key_order);
          }
          break;
        case Handover::Kind::kFileDone:
          message.summary.stats = stats;
          stats = {};
          out.files.push_back(std::move(message.summary));
          for (auto& reject : message.rejects.items) out.rejects.items.push_back(std::move(reject));
          break;
        case Handover::Kind::kFailed:
          if (message.error) std::rethrow_exception(message.error);
          failure = std::move(message.status);
          reading = false;
          break;
        case Handover::Kind::kEnd:
          reading = false;
          break;
      }
    }
  } catch (...) {
    channel.Close();
    reader.join();
    throw;
  }
  channel.Close();
  reader.join();
  if (failure) return *failure;
  out.refused = !out.rejects.empty() && !skip_invalid;
  for (std::string& cve : index.Cves()) out.cves.insert(std::move(cve));
  if (!out.refused) index.Finish(txn);
  return RejectsAsError(out.rejects, skip_invalid);
}

}  // namespace tidemark::importers
