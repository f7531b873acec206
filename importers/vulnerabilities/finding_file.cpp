#include "importers/vulnerabilities/finding_file.h"

#include <algorithm>

#include "engine/core/ids.h"
#include "engine/core/json.h"
#include "engine/store/finding_catalog.h"
#include "importers/common/csv_table.h"
#include "importers/common/ndjson_chunks.h"
#include "importers/common/text.h"
#include "importers/vulnerabilities/finding_readers.h"

namespace tidemark::importers {
namespace {

using rapidjson::Value;

// Longest CVE (or other vulnerability) id and software vendor/name: with a 200-byte asset id
// the key asset \0 cve \0 vendor/name stays within LMDB's 511 bytes.
constexpr size_t kMaxCveLength = 64;
constexpr size_t kMaxSoftwarePartLength = 100;

bool IsMdvmRow(const Value& record) {
  return record.IsObject() && findings::MemberAnyCase(record, "deviceName") &&
         (findings::MemberAnyCase(record, "cveId") || findings::MemberAnyCase(record, "softwareName"));
}

bool IsDeltaRow(const Value& record) {
  return findings::MemberAnyCase(record, "status") && findings::MemberAnyCase(record, "eventTimestamp");
}

// The first record of an array (for detection), or nullptr.
const Value* FirstRecord(const Value* records) {
  if (!records || !records->IsArray() || records->Empty()) return nullptr;
  return &(*records)[0];
}

// NDJSON: the first line is a whole object and another object line follows. A pretty-printed
// document's second line starts with a member or a closing brace, never with '{'.
bool LooksLikeNdjson(std::string_view text) {
  size_t start = text.find_first_not_of(" \t\r\n\xEF\xBB\xBF");
  if (start == std::string_view::npos || text[start] != '{') return false;
  size_t end = text.find('\n', start);
  if (end == std::string_view::npos) return false;
  size_t next = text.find_first_not_of(" \t\r\n", end);
  if (next == std::string_view::npos || text[next] != '{') return false;
  // `{"findings": [` followed by a record line is a document, not NDJSON: the first line must
  // be a whole object.
  rapidjson::Document first;
  first.Parse(text.data() + start, end - start);
  return !first.HasParseError() && first.IsObject();
}

Status ReadJsonDocument(Value& doc, FindingFile& out, FindingFormat asked) {
  const std::string& file = out.file;
  if (doc.IsObject() && (Member(doc, "SchemaVersion") || Member(doc, "Results")) &&
      (asked == FindingFormat::kAuto || asked == FindingFormat::kTrivy)) {
    out.format = FindingFormat::kTrivy;
    return findings::ReadTrivy(doc, out);
  }
  Value* records = nullptr;
  std::string array_name = "findings";
  if (doc.IsArray()) {
    records = &doc;
    array_name = "";
  } else if (doc.IsObject()) {
    if (Value* value = const_cast<Value*>(Member(doc, "value")); value && value->IsArray()) {
      records = value;
      array_name = "value";
    } else if (Value* list = const_cast<Value*>(Member(doc, "findings")); list && list->IsArray()) {
      records = list;
    } else if (Member(doc, "asset") || IsMdvmRow(doc)) {
      // A one-record NDJSON file.
      rapidjson::Document holder;
      holder.SetArray();
      holder.PushBack(Value(doc, holder.GetAllocator()), holder.GetAllocator());
      return ReadJsonDocument(holder, out, asked);
    }
  }
  if (!records) {
    return Status::BadInput(file + ": not a findings file: expected {\"findings\": [...]}, NDJSON findings, a Defender "
                                   "SoftwareVulnerabilitiesByMachine export ({\"value\": [...]}) or a Trivy JSON report");
  }
  const Value* first = FirstRecord(records);
  bool mdvm = asked == FindingFormat::kMdvm || asked == FindingFormat::kMdvmDelta ||
              (asked == FindingFormat::kAuto && first && IsMdvmRow(*first)) || array_name == "value";
  if (mdvm) {
    out.format = asked == FindingFormat::kMdvmDelta || (asked != FindingFormat::kMdvm && first && IsDeltaRow(*first))
                     ? FindingFormat::kMdvmDelta
                     : FindingFormat::kMdvm;
    for (rapidjson::SizeType idx = 0; idx < records->Size(); ++idx) {
      findings::ReadMdvmRecord((*records)[idx], IndexPath(array_name.empty() ? "value" : array_name, idx), out);
    }
    return Status::Ok();
  }
  out.format = FindingFormat::kNative;
  return findings::ReadNativeJson(*records, array_name.empty() ? "findings" : array_name, out);
}

}  // namespace

namespace findings {

const Value* MemberAnyCase(const Value& obj, std::string_view name) {
  if (!obj.IsObject()) return nullptr;
  for (const auto& member : obj.GetObject()) {
    if (EqualsIgnoreCase(std::string_view(member.name.GetString(), member.name.GetStringLength()), name)) {
      return &member.value;
    }
  }
  return nullptr;
}

Problem Finish(model::Finding& f, const char* asset_field, const char* cve_field) {
  auto field = [](const char* name) { return std::string("field \"") + name + "\""; };
  if (f.asset.empty()) return field(asset_field) + " is missing (every finding names its asset)";
  if (auto problem = IdProblem(f.asset)) return field(asset_field) + " " + *problem;
  f.asset = ToLower(f.asset);
  if (f.cve.empty()) return field(cve_field) + " is missing (every finding names its CVE)";
  if (auto cve = model::NormalizeCveId(f.cve)) {
    f.cve = *cve;
  } else if (f.cve.size() > kMaxCveLength || IdProblem(f.cve)) {
    return field(cve_field) + " " + Quote(f.cve) + " is not a vulnerability id";
  }
  if (f.software.vendor.size() > kMaxSoftwarePartLength || f.software.name.size() > kMaxSoftwarePartLength) {
    return std::string("software vendor and name must be at most 100 bytes each");
  }
  for (const std::string* part : {&f.software.vendor, &f.software.name}) {
    for (char c : *part) {
      if (static_cast<unsigned char>(c) < 0x20) return std::string("software vendor and name must not hold control characters");
    }
  }
  f.severity = ToLower(f.severity);
  if (f.fixed && *f.fixed < f.first_seen) return std::string("field \"fixed\" is before \"first_seen\"");
  return std::nullopt;
}

}  // namespace findings

std::string_view FindingFormatName(FindingFormat format) {
  switch (format) {
    case FindingFormat::kAuto: return "auto";
    case FindingFormat::kNative: return "native";
    case FindingFormat::kMdvm: return "mdvm";
    case FindingFormat::kMdvmDelta: return "mdvm-delta";
    case FindingFormat::kTrivy: return "trivy";
    case FindingFormat::kCsv: return "csv";
  }
  return "native";
}

std::optional<FindingFormat> ParseFindingFormat(std::string_view name) {
  for (auto format : {FindingFormat::kAuto, FindingFormat::kNative, FindingFormat::kMdvm, FindingFormat::kMdvmDelta,
                      FindingFormat::kTrivy, FindingFormat::kCsv}) {
    if (EqualsIgnoreCase(FindingFormatName(format), name)) return format;
  }
  return std::nullopt;
}

namespace {

// Reads `text` into `out` (ParseFindingFile without the final Drain).
Status ParseInto(std::string& text, FindingFormat format, FindingFile& out) {
  if (format == FindingFormat::kCsv || (format == FindingFormat::kAuto && !LooksLikeJson(text))) {
    out.format = FindingFormat::kCsv;
    return findings::ReadCsv(text, out);
  }
  if (LooksLikeNdjson(text)) {
    out.format = format == FindingFormat::kAuto ? FindingFormat::kNative : format;
    return findings::ReadNdjson(text, out);
  }
  rapidjson::Document doc;
  TM_RETURN_IF_ERROR(ParseJson(text, doc, out.file, /*insitu=*/true));
  return ReadJsonDocument(doc, out, format);
}

}  // namespace

namespace {

// What StoreFindings writes for `row` when its finding is not stored: the finding, or, for a
// delta Fixed row, the finding fixed at the row's event time (never before it was first seen).
store::EncodedFinding EncodeRow(const FindingRow& row) {
  if (row.event != FindingRow::Event::kFixed) return store::FindingCatalog::Encode(row.finding);
  model::Finding fixed = row.finding;
  fixed.fixed = std::max(row.event_time, fixed.first_seen);
  return store::FindingCatalog::Encode(fixed);
}

}  // namespace

void FindingFile::Add(FindingRow&& row) {
  // Rows held until the end of the file stay small; batches are encoded here, on the thread
  // that reads.
  bool held = format == FindingFormat::kMdvmDelta || format == FindingFormat::kCsv;
  if (!held) row.encoded = EncodeRow(row);
  rows.push_back(std::move(row));
  if (rows.size() >= kFindingBatchRows && !held) Drain();
}

void FindingFile::Drain() {
  if (!drain || rows.empty()) return;
  drain(*this);
  rows.clear();
}

Result<FindingFile> ParseFindingFile(std::string& text, const std::string& file, FindingFormat format) {
  FindingFile out;
  out.file = file;
  TM_RETURN_IF_ERROR(ParseInto(text, format, out));
  out.Drain();
  return out;
}

Status ReadFindingFile(const std::string& path, FindingFormat format, FindingFile& out) {
  out.file = path;
  // Regular NDJSON files larger than a chunk stream; the rest (and every error message about
  // opening or reading) go through ReadFile.
  if (format != FindingFormat::kCsv) {
    if (auto chunks = NdjsonChunks::Open(path); chunks && LooksLikeNdjson(chunks->head())) {
      out.format = format == FindingFormat::kAuto ? FindingFormat::kNative : format;
      findings::NdjsonFindingReader reader(out);
      TM_RETURN_IF_ERROR(chunks->ForEachLine([&](std::string_view line, size_t line_no) { return reader.Line(line, line_no); }));
      out.Drain();
      return Status::Ok();
    }
  }
  auto text = ReadFile(path);
  if (!text.ok()) return text.status();
  TM_RETURN_IF_ERROR(ParseInto(*text, format, out));
  out.Drain();
  return Status::Ok();
}

void StoreFindings(store::WriteTxn& txn, std::vector<FindingRow>& rows, FindingWriteStats& stats) {
  store::FindingIndex::Writer index;
  StoreFindings(txn, rows, stats, index, nullptr);
  index.Finish(txn);
}

std::vector<uint32_t> KeyOrder(const std::vector<FindingRow>& rows) {
  std::vector<uint32_t> order(rows.size());
  for (uint32_t idx = 0; idx < order.size(); ++idx) order[idx] = idx;
  auto key = [&](uint32_t idx) -> const std::string& { return rows[idx].encoded.key; };
  auto by_key = [&](uint32_t a, uint32_t b) { return key(a) < key(b); };
  // Rows come grouped by asset: each run of one asset is sorted apart (its keys share the
  // prefix), and the whole only when the runs are not in order already.
  for (size_t begin = 0; begin < order.size();) {
    size_t end = begin + 1;
    size_t asset_end = rows[begin].encoded.cve_at;
    std::string_view asset = std::string_view(key(begin)).substr(0, asset_end);
    while (end < order.size() && std::string_view(key(end)).substr(0, asset_end) == asset) ++end;
    std::stable_sort(order.begin() + begin, order.begin() + end, by_key);
    begin = end;
  }
  if (!std::is_sorted(order.begin(), order.end(), by_key)) std::stable_sort(order.begin(), order.end(), by_key);
  return order;
}

void StoreFindings(store::WriteTxn& txn, std::vector<FindingRow>& rows, FindingWriteStats& stats,
                   store::FindingIndex::Writer& index, std::vector<uint32_t>* key_order) {
  // Delta rows in event order, Fixed first at equal times; other rows keep file order (they all
  // have time 0 and no Fixed event, so the sort would leave them as they are).
  bool events = std::any_of(rows.begin(), rows.end(), [](const FindingRow& row) {
    return row.event_time != 0 || row.event == FindingRow::Event::kFixed;
  });
  if (events) {
    std::stable_sort(rows.begin(), rows.end(), [](const FindingRow& a, const FindingRow& b) {
      if (a.event_time != b.event_time) return a.event_time < b.event_time;
      return a.event == FindingRow::Event::kFixed && b.event != FindingRow::Event::kFixed;
    });
  }
  // The index numbers its strings in this order (the stored bytes do not depend on the key
  // order below).
  for (FindingRow& row : rows) {
    if (row.encoded.key.empty()) row.encoded = EncodeRow(row);
    store::FindingCatalog::Number(row.encoded, index);
  }
  bool given = key_order && !events && key_order->size() == rows.size();
  std::vector<uint32_t> order = given ? std::move(*key_order) : KeyOrder(rows);
  std::string last_key = store::FindingCatalog::LastKey(txn);
  for (uint32_t idx : order) {
    FindingRow& row = rows[idx];
    model::Finding& finding = row.finding;
    if (row.event == FindingRow::Event::kFixed) {
      ++stats.fixed;
      if (auto stored = store::FindingCatalog::Find(txn, finding.asset, finding.cve, model::SoftwareKey(finding.software))) {
        stored->fixed = std::max(row.event_time, stored->first_seen);
        store::FindingCatalog::Upsert(txn, *stored, index);
        ++stats.updated;
        continue;
      }
    }
    if (store::FindingCatalog::Upsert(txn, row.encoded, index, last_key)) {
      ++stats.created;
    } else {
      ++stats.updated;
    }
  }
  rows.clear();
}

}  // namespace tidemark::importers
