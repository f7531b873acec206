#include "importers/incidents/import.h"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cctype>
#include <cstdio>
#include <cstring>
#include <exception>
#include <filesystem>
#include <memory>
#include <optional>
#include <set>
#include <thread>

#include "engine/core/json.h"
#include "engine/core/logging.h"
#include "engine/store/incident_catalog.h"
#include "engine/core/bounded_channel.h"
#include "importers/common/ndjson_chunks.h"
#include "importers/incidents/normalize.h"
#include "importers/incidents/reader_util.h"
#include "importers/incidents/registry.h"
#include "importers/incidents/seen_ids.h"

namespace tidemark::importers::incidents {
namespace {

namespace fs = std::filesystem;

constexpr size_t kMaxIdBytes = 256;

bool Blank(std::string_view line) {
  return std::all_of(line.begin(), line.end(), [](char c) { return std::isspace(static_cast<unsigned char>(c)); });
}

// Why `id` cannot be an incident id, or nullopt. Ids are LMDB keys (at most 511 bytes, and the
// time index adds 9) and appear in messages, tickets and command lines, so control characters
// (a NUL, a terminal escape) are refused as the organisation importers refuse them.
std::optional<std::string> IncidentIdProblem(std::string_view id) {
  if (id.empty()) return "the id is empty";
  if (id.size() > kMaxIdBytes) return fmt::format("the id is longer than {} bytes", kMaxIdBytes);
  for (char c : id) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7F) return std::string("the id contains control characters");
  }
  return std::nullopt;
}

// Why the record's times cannot be right, or nullopt: an incident cannot close before it was
// created (a swapped column, a time zone lost on one side), and its time decides which
// snapshots count it (SPEC §3).
std::optional<std::string> TimesProblem(const model::Incident& incident) {
  if (!incident.created || !incident.closed || *incident.closed >= *incident.created) return std::nullopt;
  return fmt::format("field \"closed\" ({}) is before field \"created\" ({})", FormatIsoTime(*incident.closed),
                     FormatIsoTime(*incident.created));
}

bool ParsesAlone(std::string_view line) {
  if (JsonNestingDepth(line) > kMaxJsonDepth) return false;
  rapidjson::Document doc;
  doc.Parse(line.data(), line.size());
  return !doc.HasParseError() && doc.IsObject();
}

// NDJSON rather than one JSON document: the first non-blank line is a whole JSON object and
// more follows, or (first line broken) the second non-blank line is a whole object.
bool LooksLikeNdjson(std::string_view text) {
  std::vector<std::string_view> lines;
  while (!text.empty() && lines.size() < 2) {
    size_t end = text.find('\n');
    std::string_view line = text.substr(0, end);
    text = end == std::string_view::npos ? std::string_view() : text.substr(end + 1);
    if (!Blank(line)) lines.push_back(line);
  }
  if (lines.size() < 2) return false;
  if (lines[0].size() >= 3 && lines[0].substr(0, 3) == "\xEF\xBB\xBF") lines[0].remove_prefix(3);
  return ParsesAlone(lines[0]) || ParsesAlone(lines[1]);
}

Status NulByte(const std::string& path, size_t line) {
  return Status::BadInput(fmt::format("{}:{}: NUL byte (a binary or UTF-16 file? save it as UTF-8 text)", path, line));
}

// Whether the file holds a NUL byte anywhere (read a chunk at a time).
bool HasNulByte(const std::string& path) {
  std::unique_ptr<FILE, int (*)(FILE*)> file(std::fopen(path.c_str(), "rb"), &std::fclose);
  if (!file) return false;
  std::string buffer(kNdjsonChunkBytes, '\0');
  for (size_t got; (got = std::fread(buffer.data(), 1, buffer.size(), file.get())) > 0;) {
    if (std::memchr(buffer.data(), '\0', got) != nullptr) return true;
  }
  return false;
}

// The reader `format` names, or the one that recognises `file` ("auto").
Result<const IncidentReader*> ChooseReader(const SourceFile& file, const std::string& format) {
  if (format.empty() || format == "auto") return DetectReader(file);
  const IncidentReader* reader = FindReader(format);
  if (reader == nullptr) {
    return Status::Usage(fmt::format("--format {}: unknown format (one of auto, {})", format, ReaderNames()));
  }
  return reader;
}

double MsSince(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
}

bool Hidden(const fs::path& path) {
  std::string name = path.filename().string();
  return !name.empty() && name.front() == '.';
}

}  // namespace

Result<std::vector<std::string>> ExpandInputs(const std::vector<std::string>& paths) {
  std::vector<std::string> files;
  for (const auto& path : paths) {
    std::error_code ec;
    if (fs::is_directory(path, ec)) {
      std::vector<std::string> found;
      for (auto it = fs::recursive_directory_iterator(path, ec); !ec && it != fs::recursive_directory_iterator();
           it.increment(ec)) {
        if (Hidden(it->path())) {
          if (it->is_directory()) it.disable_recursion_pending();
          continue;
        }
        if (it->is_regular_file()) found.push_back(it->path().string());
      }
      if (ec) return Status::BadInput(path + ": cannot list directory: " + ec.message());
      std::sort(found.begin(), found.end());
      files.insert(files.end(), found.begin(), found.end());
    } else if (fs::exists(path, ec)) {
      files.push_back(path);
    } else {
      return Status::BadInput(path + ": no such file or directory");
    }
  }
  return files;
}

Status ReadIncidentText(const std::string& path, std::string& text, const std::string& format,
                        ReadOutput& out, std::string* used_format) {
  std::string_view content = text;
  if (content.substr(0, 3) == "\xEF\xBB\xBF") content.remove_prefix(3);  // a BOM alone is still empty
  if (Blank(content)) return Status::BadInput(path + ": file is empty");
  // No incident format holds a raw NUL byte (JSON escapes it, CSV cells are text). RapidJSON
  // reads one as the end of the input, so `{...}\0anything` would import the part before it.
  if (size_t nul = text.find('\0'); nul != std::string::npos) return NulByte(path, LineOfOffset(text, nul));
  rapidjson::Document doc;
  SourceFile file{path, text, nullptr};
  if ((StartsWithChar(text, '{') || StartsWithChar(text, '[')) && !LooksLikeNdjson(text)) {
    TM_RETURN_IF_ERROR(ParseJson(text, doc, path));
    file.json = &doc;
  }
  auto reader = ChooseReader(file, format);
  if (!reader.ok()) return reader.status();
  if (used_format != nullptr) *used_format = std::string((*reader)->Name());
  return (*reader)->Read(file, out);
}

namespace {

// Reads a large NDJSON file a chunk at a time (NdjsonChunks) when its reader can take it so
// (StreamsNdjson). nullopt when the file is to be read whole instead: small, not NDJSON, a
// reader that needs the whole text, or anything ReadIncidentText answers with an error (a NUL
// byte, an unknown format), so that the answer is the same whatever the file's size. A NUL byte
// past the first chunk fails the file midway (the caller forgets the records read before it);
// with --skip-invalid, where the other files go on, the file is first searched for one.
std::optional<Status> ReadStreamed(const std::string& path, const ImportOptions& options, ReadOutput& out,
                                   std::string& used_format) {
  auto chunks = NdjsonChunks::Open(path);
  if (!chunks || chunks->head().find('\0') != std::string_view::npos || !LooksLikeNdjson(chunks->head())) {
    return std::nullopt;
  }
  SourceFile file{path, chunks->head(), nullptr};
  auto reader = ChooseReader(file, options.format);
  if (!reader.ok() || !(*reader)->StreamsNdjson() || (options.skip_invalid && HasNulByte(path))) return std::nullopt;
  Status lines_read;
  file.lines = [&](const std::function<void(std::string_view, size_t)>& fn) {
    lines_read = chunks->ForEachLine([&](std::string_view line, size_t line_no) {
      if (line.find('\0') != std::string_view::npos) return NulByte(path, line_no);
      fn(line, line_no);
      return Status::Ok();
    });
  };
  used_format = std::string((*reader)->Name());
  Status read = (*reader)->Read(file, out);
  return lines_read.ok() ? read : lines_read;
}

// What the preparing thread makes of a reader's batch: the rejects in the order the summary
// lists them (the reader's, then the importer's own checks of each record in record order) and
// the records that pass, normalised and encoded (IncidentCatalog::Encode), so the writing thread
// only stores them.
struct PreparedBatch {
  std::vector<Reject> rejects;
  std::vector<store::IncidentCatalog::Encoded> incidents;
  size_t read = 0;  // records the reader produced
};

// What the reading thread hands to the preparing one, and that one to the writing one, in file
// order: per file kFileStart, its records in the batches its reader drains (the rest at the
// end), then kFileDone or kFileFailed; kEnd after the last file (with what the normaliser met,
// from the preparing thread).
struct Handover {
  enum class Kind { kFileStart, kRecords, kFileDone, kFileFailed, kEnd };
  explicit Handover(Kind what) : kind(what) {}
  Kind kind;
  ReadOutput read;             // kRecords from the reading thread
  PreparedBatch records;       // kRecords from the preparing thread
  std::string path;            // kFileStart
  std::string format;          // kFileDone: the reader's name
  Status status;               // kFileFailed: why the file could not be read
  bool midway = false;         // kFileFailed: after some of its records were handed over
  std::exception_ptr error;    // kFileFailed: a thread threw
  std::set<std::string> unknown_techniques, custom_threats;  // kEnd
};
using Channel = BoundedChannel<Handover>;
constexpr size_t kBatchesInFlight = 4;
constexpr size_t kReleaseEvery = size_t{1} << 16;  // records stored between ReleaseReadPages

// Hands `error` on as a failure, unless the receiver stopped listening.
void PushFailure(Channel& channel, std::exception_ptr error) {
  Handover failed{Handover::Kind::kFileFailed};
  failed.error = std::move(error);
  try {
    channel.Push(std::move(failed));
  } catch (const ChannelClosed&) {
  }
}

// The reading thread: each file's records as its reader produces them.
void ReadFiles(const std::vector<std::string>& files, const ImportOptions& options, Channel& channel) {
  try {
    for (const auto& path : files) {
      Handover start{Handover::Kind::kFileStart};
      start.path = path;
      channel.Push(std::move(start));
      bool handed_over = false;
      ReadOutput out;
      auto hand_over = [&](ReadOutput& batch) {
        Handover records{Handover::Kind::kRecords};
        records.read.incidents = std::move(batch.incidents);
        records.read.rejects = std::move(batch.rejects);
        batch.incidents.clear();
        batch.rejects.clear();
        channel.Push(std::move(records));
      };
      out.drain = [&](ReadOutput& batch) {
        handed_over = true;
        hand_over(batch);
      };
      std::string format;
      std::optional<Status> read = ReadStreamed(path, options, out, format);
      if (!read) {
        auto text = ReadFile(path);
        read = text.ok() ? ReadIncidentText(path, *text, options.format, out, &format) : text.status();
      }
      if (!read->ok()) {
        Handover failed{Handover::Kind::kFileFailed};
        failed.status = std::move(*read);
        failed.midway = handed_over;
        channel.Push(std::move(failed));
        continue;  // the writer stops listening unless the import goes on
      }
      hand_over(out);
      Handover done{Handover::Kind::kFileDone};
      done.format = std::move(format);
      channel.Push(std::move(done));
    }
    channel.Push(Handover{Handover::Kind::kEnd});
  } catch (const ChannelClosed&) {
  } catch (...) {
    PushFailure(channel, std::current_exception());
  }
}

// The importer's checks of one file's records and their normalisation (SPEC §2, §6), on the
// preparing thread: with parsing, they are most of an import's work and need only a read-only
// view of the ATT&CK data, so the writing thread only stores (issue 16).
class BatchPreparer {
 public:
  BatchPreparer(const store::ReadTxn& txn, const ImportOptions& options)
      : txn_(txn), normalizer_(txn), options_(options) {}

  // A new file: its duplicate ids are its own.
  void StartFile(const std::string& path) {
    seen_.emplace(path);
    file_rejects_ = 0;
  }

  PreparedBatch Prepare(ReadOutput& batch) {
    PreparedBatch prepared;
    prepared.read = batch.incidents.size();
    prepared.rejects = std::move(batch.rejects);
    file_rejects_ += prepared.rejects.size();
    auto reject = [&](const std::string& where, std::string reason) {
      prepared.rejects.push_back({where, std::move(reason)});
      ++file_rejects_;
    };
    prepared.incidents.reserve(batch.incidents.size());
    for (auto& source : batch.incidents) {
      // LMDB keys are at most 511 bytes and the time index adds 9; ids are short in practice.
      if (auto problem = IncidentIdProblem(source.incident.id)) {
        reject(source.where, std::move(*problem));
        continue;
      }
      if (auto problem = TimesProblem(source.incident)) {
        reject(source.where, fmt::format("incident \"{}\": {}", source.incident.id, *problem));
        continue;
      }
      if (auto first = seen_->Insert(source.incident.id, source.where)) {
        reject(source.where, fmt::format("duplicate id \"{}\" (first at {})", source.incident.id, *first));
        continue;
      }
      // Without --skip-invalid a file with a rejected record fails whole: nothing more to store.
      if (!options_.skip_invalid && file_rejects_ > 0) continue;
      prepared.incidents.push_back(store::IncidentCatalog::Encode(normalizer_.Normalize(std::move(source)), txn_, terms_));
    }
    return prepared;
  }

  const Normalizer& normalizer() const { return normalizer_; }

 private:
  const store::ReadTxn& txn_;
  Normalizer normalizer_;
  // The facts' terms numbered ahead (fact_terms.h): the writing thread stores the records in
  // the order they are encoded here.
  store::FactTerms terms_;
  const ImportOptions& options_;
  std::optional<SeenIds> seen_;  // ids of this file and where they were first met
  size_t file_rejects_ = 0;
};

// The preparing thread: what the reading thread hands over, records checked, normalised and
// encoded, on to the writing thread.
void PrepareRecords(const store::Store& store, const ImportOptions& options, Channel& from, Channel& to) {
  try {
    // The data the write transaction started from: an incident import writes incidents only.
    store::ReadTxn txn = store.Read();
    BatchPreparer preparer(txn, options);
    for (bool more = true; more;) {
      Handover message = from.Pop();
      switch (message.kind) {
        case Handover::Kind::kFileStart:
          preparer.StartFile(message.path);
          break;
        case Handover::Kind::kRecords:
          message.records = preparer.Prepare(message.read);
          message.read = ReadOutput();
          break;
        case Handover::Kind::kEnd:
          message.unknown_techniques = preparer.normalizer().unknown_techniques();
          message.custom_threats = preparer.normalizer().custom_threats();
          more = false;
          break;
        case Handover::Kind::kFileFailed:
          more = !message.error;  // the reading thread stopped
          break;
        case Handover::Kind::kFileDone:
          break;
      }
      to.Push(std::move(message));
    }
  } catch (const ChannelClosed&) {
  } catch (...) {
    PushFailure(to, std::current_exception());
  }
}

// The reading and preparing threads of one import attempt, stopped and joined however the
// attempt ends: the writer's channel closes first (the preparing thread's next hand-over
// throws), then the reading one.
class ReadingThreads {
 public:
  ReadingThreads(const store::Store& store, const std::vector<std::string>& files, const ImportOptions& options)
      : read_(kBatchesInFlight),
        prepared_(kBatchesInFlight),
        reading_(ReadFiles, std::cref(files), std::cref(options), std::ref(read_)),
        preparing_(PrepareRecords, std::cref(store), std::cref(options), std::ref(read_), std::ref(prepared_)) {}
  ~ReadingThreads() {
    prepared_.Close();
    preparing_.join();
    read_.Close();
    reading_.join();
  }
  Handover Next() { return prepared_.Pop(); }

 private:
  Channel read_, prepared_;
  std::thread reading_, preparing_;
};

}  // namespace

Status ImportIncidents(store::Store& store, const std::vector<std::string>& files,
                       const ImportOptions& options, ImportSummary& summary) {
  auto log = Logger("import.incidents");
  auto begun = std::chrono::steady_clock::now();
  // Finds where the store is mapped from a read transaction (a write transaction's own pages
  // are not in the map), for the ReleaseReadPages below.
  store.Read().ReleaseReadPages();
  // Reading, checking and normalising happen inside the transaction, on a second thread (they
  // are most of the work), so only a few batches of records are in memory at a time; Store::Write
  // may run this again from the start (map growth), so it resets first.
  Status status = store.Write([&](store::WriteTxn& txn) -> Status {
    summary = ImportSummary();
    summary.files = files.size();
    store::IncidentCatalog::Writer writer;
    ReadingThreads reading(store, files, options);
    size_t file_index = 0;
    std::string path;
    size_t incidents_read = 0, rejects_before = 0;
    auto started = std::chrono::steady_clock::now();
    // Stores what the reading thread prepared: during Read (readers that drain) and after it.
    size_t stored = 0;
    auto consume = [&](PreparedBatch& batch) {
      for (auto& reject : batch.rejects) summary.rejects.push_back({path, std::move(reject.where), std::move(reject.reason)});
      incidents_read += batch.read;
      for (const auto& incident : batch.incidents) {
        // The pages of the store this transaction has read (and those LMDB wrote out early to
        // make room) leave the process as it goes: at 1,000,000 incidents they would otherwise
        // add ~250 MB to its peak. Pages it changed are its own memory, not the map's.
        if (++stored % kReleaseEvery == 0) txn.ReleaseReadPages();
        switch (store::IncidentCatalog::Upsert(txn, incident, writer)) {
          case store::IncidentCatalog::PutOutcome::kAdded: ++summary.added; break;
          case store::IncidentCatalog::PutOutcome::kUpdated: ++summary.updated; break;
          case store::IncidentCatalog::PutOutcome::kUnchanged: ++summary.unchanged; break;
        }
      }
    };
    for (bool more = true; more;) {
      Handover message = reading.Next();
      switch (message.kind) {
        case Handover::Kind::kFileStart:
          path = files[file_index];
          if (options.progress) options.progress(file_index, files.size(), path);
          ++file_index;
          incidents_read = 0;
          rejects_before = summary.rejects.size();
          started = std::chrono::steady_clock::now();
          break;
        case Handover::Kind::kRecords:
          consume(message.records);
          break;
        case Handover::Kind::kFileFailed: {
          if (message.error) std::rethrow_exception(message.error);
          Status read = std::move(message.status);
          if (read.code() == StatusCode::kUsage) return read;
          // A file that cannot be read is rejected whole: what was read of it before is forgotten.
          if (message.midway) summary.rejects.resize(rejects_before);
          // The message already names the file; keep it whole as the reason.
          summary.rejects.push_back({path, path, read.message()});
          // Records of a file that failed midway are written already: only failing undoes them.
          if (!options.skip_invalid || message.midway) return read;
          break;
        }
        case Handover::Kind::kFileDone:
          ++summary.formats[message.format];
          log->debug("{}: {} format, {} incidents read, {:.0f} ms", path, message.format, incidents_read, MsSince(started));
          if (!options.skip_invalid && !summary.rejects.empty()) {
            const auto& first = summary.rejects.front();
            std::string more_rejects = summary.rejects.size() > 1
                                           ? fmt::format(" ({} more rejected records)", summary.rejects.size() - 1)
                                           : "";
            return Status::BadInput(fmt::format("{}: {}{}; nothing imported (fix the input, or pass --skip-invalid to "
                                                "import the valid records)",
                                                first.where, first.reason, more_rejects));
          }
          break;
        case Handover::Kind::kEnd:
          summary.unknown_techniques.assign(message.unknown_techniques.begin(), message.unknown_techniques.end());
          summary.custom_threats.assign(message.custom_threats.begin(), message.custom_threats.end());
          more = false;
          break;
      }
    }
    writer.Finish(txn);
    return Status::Ok();
  });
  log->debug("import transaction: {:.0f} ms in all", MsSince(begun));
  return status;
}

ReresolveSummary ReresolveStoredIncidents(store::WriteTxn& txn) {
  ReresolveSummary summary;
  Normalizer normalizer(txn);
  std::vector<model::Incident> changed;
  std::set<std::string> techniques_before, threats_before, techniques_after, threats_after;
  store::IncidentCatalog::ForEach(txn, [&](const model::Incident& stored) {
    ++summary.examined;
    SourceIncident source;
    source.incident = stored;
    source.incident.techniques.clear();
    source.incident.unknown_techniques.clear();
    source.incident.unknown_blocked.clear();
    for (const auto& technique : stored.techniques) {
      source.techniques.push_back({technique.id, technique.tactic, technique.outcome, technique.revoked_from});
    }
    for (const auto& unknown : stored.unknown_techniques) {
      bool blocked = std::binary_search(stored.unknown_blocked.begin(), stored.unknown_blocked.end(), unknown);
      source.techniques.push_back(
          {unknown, "", blocked ? model::TechniqueOutcome::kBlocked : model::TechniqueOutcome::kSucceeded});
    }
    model::Incident renewed = normalizer.Normalize(std::move(source));
    if (model::ToJson(renewed) == model::ToJson(stored)) return;
    techniques_before.insert(stored.unknown_techniques.begin(), stored.unknown_techniques.end());
    techniques_after.insert(renewed.unknown_techniques.begin(), renewed.unknown_techniques.end());
    threats_before.insert(stored.threats.begin(), stored.threats.end());
    threats_after.insert(renewed.threats.begin(), renewed.threats.end());
    changed.push_back(std::move(renewed));
  });
  // Written after the scan: the cursor walks the database these writes change.
  store::IncidentCatalog::Writer writer;
  for (const auto& incident : changed) summary.updated += store::IncidentCatalog::Put(txn, incident, writer) ? 1 : 0;
  writer.Finish(txn);
  for (const auto& id : techniques_before) {
    if (!techniques_after.count(id)) summary.resolved_techniques.push_back(id);
  }
  for (const auto& name : threats_before) {
    if (normalizer.custom_threats().count(name) == 0 && !threats_after.count(name)) summary.resolved_threats.push_back(name);
  }
  return summary;
}

}  // namespace tidemark::importers::incidents
