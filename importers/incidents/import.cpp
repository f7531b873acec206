#include "importers/incidents/import.h"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cctype>
#include <filesystem>
#include <optional>
#include <set>
#include <unordered_map>

#include "engine/core/json.h"
#include "engine/core/logging.h"
#include "engine/store/incident_catalog.h"
#include "importers/incidents/normalize.h"
#include "importers/incidents/reader_util.h"
#include "importers/incidents/registry.h"

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
  if (size_t nul = text.find('\0'); nul != std::string::npos) {
    return Status::BadInput(fmt::format("{}:{}: NUL byte (a binary or UTF-16 file? save it as UTF-8 text)", path,
                                        LineOfOffset(text, nul)));
  }
  rapidjson::Document doc;
  SourceFile file{path, text, nullptr};
  if ((StartsWithChar(text, '{') || StartsWithChar(text, '[')) && !LooksLikeNdjson(text)) {
    TM_RETURN_IF_ERROR(ParseJson(text, doc, path));
    file.json = &doc;
  }
  const IncidentReader* reader = nullptr;
  if (format.empty() || format == "auto") {
    auto detected = DetectReader(file);
    if (!detected.ok()) return detected.status();
    reader = *detected;
  } else {
    reader = FindReader(format);
    if (reader == nullptr) {
      return Status::Usage(fmt::format("--format {}: unknown format (one of auto, {})", format, ReaderNames()));
    }
  }
  if (used_format != nullptr) *used_format = std::string(reader->Name());
  return reader->Read(file, out);
}

Status ImportIncidents(store::Store& store, const std::vector<std::string>& files,
                       const ImportOptions& options, ImportSummary& summary) {
  auto log = Logger("import.incidents");
  auto begun = std::chrono::steady_clock::now();
  // Reading happens inside the transaction so only one file's records are in memory at a
  // time; Store::Write may run this again from the start (map growth), so it resets first.
  Status status = store.Write([&](store::WriteTxn& txn) -> Status {
    summary = ImportSummary();
    summary.files = files.size();
    Normalizer normalizer(txn);
    store::EvidenceIndex::Writer evidence;
    for (size_t file_index = 0; file_index < files.size(); ++file_index) {
      const std::string& path = files[file_index];
      if (options.progress) options.progress(file_index, files.size(), path);
      std::string format;
      std::unordered_map<std::string, std::string> first_seen;  // id -> where, in this file
      size_t incidents_read = 0;
      // Takes what the reader has so far: during Read (readers that drain) and after it.
      auto consume = [&](ReadOutput& batch) {
        for (auto& reject : batch.rejects) summary.rejects.push_back({path, std::move(reject.where), std::move(reject.reason)});
        batch.rejects.clear();
        incidents_read += batch.incidents.size();
        for (auto& source : batch.incidents) {
          // LMDB keys are at most 511 bytes and the time index adds 9; ids are short in practice.
          if (auto problem = IncidentIdProblem(source.incident.id)) {
            summary.rejects.push_back({path, source.where, std::move(*problem)});
            continue;
          }
          if (auto problem = TimesProblem(source.incident)) {
            summary.rejects.push_back({path, source.where, fmt::format("incident \"{}\": {}", source.incident.id, *problem)});
            continue;
          }
          auto [it, inserted] = first_seen.emplace(source.incident.id, source.where);
          if (!inserted) {
            summary.rejects.push_back({path, source.where,
                                       fmt::format("duplicate id \"{}\" (first at {})", source.incident.id, it->second)});
            continue;
          }
          if (!options.skip_invalid && !summary.rejects.empty()) continue;  // failing anyway
          model::Incident incident = normalizer.Normalize(std::move(source));
          bool existed = txn.Get(store::Db::kIncidents, incident.id).has_value();
          bool changed = store::IncidentCatalog::Put(txn, incident, evidence);
          if (!existed) ++summary.added;
          else if (changed) ++summary.updated;
          else ++summary.unchanged;
        }
        batch.incidents.clear();
      };
      ReadOutput out;
      out.drain = consume;
      auto started = std::chrono::steady_clock::now();
      auto text = ReadFile(path);
      Status read = text.ok() ? ReadIncidentText(path, *text, options.format, out, &format) : text.status();
      if (read.code() == StatusCode::kUsage) return read;
      if (!read.ok()) {
        // The message already names the file; keep it whole as the reason.
        summary.rejects.push_back({path, path, read.message()});
        if (!options.skip_invalid) return read;
        continue;
      }
      ++summary.formats[format];
      consume(out);
      log->debug("{}: {} format, {} incidents read, {:.0f} ms", path, format, incidents_read, MsSince(started));
      if (!options.skip_invalid && !summary.rejects.empty()) {
        const auto& first = summary.rejects.front();
        std::string more = summary.rejects.size() > 1
                               ? fmt::format(" ({} more rejected records)", summary.rejects.size() - 1)
                               : "";
        return Status::BadInput(fmt::format("{}: {}{}; nothing imported (fix the input, or pass --skip-invalid to "
                                            "import the valid records)",
                                            first.where, first.reason, more));
      }
    }
    evidence.Finish(txn);
    summary.unknown_techniques.assign(normalizer.unknown_techniques().begin(), normalizer.unknown_techniques().end());
    summary.custom_threats.assign(normalizer.custom_threats().begin(), normalizer.custom_threats().end());
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
  store::EvidenceIndex::Writer evidence;
  for (const auto& incident : changed) summary.updated += store::IncidentCatalog::Put(txn, incident, evidence) ? 1 : 0;
  evidence.Finish(txn);
  for (const auto& id : techniques_before) {
    if (!techniques_after.count(id)) summary.resolved_techniques.push_back(id);
  }
  for (const auto& name : threats_before) {
    if (normalizer.custom_threats().count(name) == 0 && !threats_after.count(name)) summary.resolved_threats.push_back(name);
  }
  return summary;
}

}  // namespace tidemark::importers::incidents
