#include "importers/incidents/reader_util.h"

#include <fmt/format.h>
#include <rapidjson/error/en.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdlib>

#include "engine/core/ids.h"
#include "engine/core/json.h"
#include "importers/common/csv_table.h"

namespace tidemark::importers::incidents {
namespace {

const rapidjson::Value* WrappedArray(const rapidjson::Value& doc,
                                     std::initializer_list<const char*> wrappers) {
  for (const char* key : wrappers) {
    const rapidjson::Value* inner = Member(doc, key);
    if (inner && inner->IsArray()) return inner;
  }
  return nullptr;
}

// Parses one NDJSON line; the reason on failure names the problem (not the place).
bool ParseLine(std::string_view line, rapidjson::Document& doc, std::string& reason) {
  // Nesting is at most the number of brackets that open: counting them is a vectorised pass,
  // JsonNestingDepth a byte-by-byte one, needed only when they could be too many.
  // '{' (0x7B) and '[' (0x5B) are the only bytes that are 0x7B with bit 0x20 set: one compare.
  size_t opening = 0;
  for (char c : line) opening += (static_cast<unsigned char>(c) | 0x20) == 0x7B;
  if (opening > static_cast<size_t>(kMaxJsonDepth) && JsonNestingDepth(line) > kMaxJsonDepth) {
    reason = fmt::format("JSON nested deeper than {} levels", kMaxJsonDepth);
    return false;
  }
  // Valid UTF-8 (nearly every line) parses the same without RapidJSON's byte-by-byte check;
  // only a line that is not needs it, for its error and column.
  if (IsValidUtf8(line)) {
    doc.Parse<0>(line.data(), line.size());
  } else {
    doc.Parse<rapidjson::kParseValidateEncodingFlag>(line.data(), line.size());
  }
  if (doc.HasParseError()) {
    reason = fmt::format("not valid JSON: {} (column {})",
                         rapidjson::GetParseError_En(doc.GetParseError()), doc.GetErrorOffset() + 1);
    return false;
  }
  return true;
}

// A line as a record: without a leading byte-order mark (line 1) and a trailing '\r'; false
// for a blank line, which is no record.
bool RecordLine(std::string_view& line, size_t line_number) {
  if (line_number == 1 && line.size() >= 3 && line.substr(0, 3) == "\xEF\xBB\xBF") line.remove_prefix(3);
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  return !Trim(line).empty();
}

// Calls fn(line, line_number) for every non-blank line; stops when fn returns false.
template <typename Fn>
void ForEachLine(std::string_view text, Fn&& fn) {
  size_t line_number = 0;
  while (!text.empty()) {
    size_t end = text.find('\n');
    std::string_view line = text.substr(0, end);
    text = end == std::string_view::npos ? std::string_view() : text.substr(end + 1);
    if (!RecordLine(line, ++line_number)) continue;
    if (!fn(line, line_number)) return;
  }
}

}  // namespace

void ForEachJsonRecord(const SourceFile& file, std::initializer_list<const char*> wrappers,
                       ReadOutput& out, const RecordFn& fn) {
  if (file.json != nullptr) {
    const rapidjson::Value* records = file.json->IsArray() ? file.json : WrappedArray(*file.json, wrappers);
    if (records == nullptr) {
      fn(*file.json, file.path + ": record 1");
      return;
    }
    size_t index = 0;
    for (const auto& record : records->GetArray()) {
      fn(record, fmt::format("{}: record {}", file.path, ++index));
    }
    return;
  }
  // NDJSON: one pool reused for every line keeps the allocator off the hot path.
  std::vector<char> pool_buffer(1 << 18);
  rapidjson::MemoryPoolAllocator<> pool(pool_buffer.data(), pool_buffer.size());
  std::string reason;
  auto record = [&](std::string_view line, size_t line_number) {
    pool.Clear();
    rapidjson::Document doc(&pool);
    std::string where = fmt::format("{}:{}", file.path, line_number);
    if (!ParseLine(line, doc, reason)) {
      out.rejects.push_back({where, reason});
      return true;
    }
    fn(doc, where);
    return true;
  };
  if (file.lines) {
    file.lines([&](std::string_view line, size_t line_number) {
      if (RecordLine(line, line_number)) record(line, line_number);
    });
  } else {
    ForEachLine(file.text, record);
  }
}

void MaybeDrain(ReadOutput& out) {
  constexpr size_t kDrainEvery = 256;
  if (out.drain && out.incidents.size() + out.rejects.size() >= kDrainEvery) out.drain(out);
}

const rapidjson::Value* FirstJsonRecord(const SourceFile& file,
                                        std::initializer_list<const char*> wrappers,
                                        rapidjson::Document& scratch) {
  if (file.json != nullptr) {
    const rapidjson::Value* records = file.json->IsArray() ? file.json : WrappedArray(*file.json, wrappers);
    if (records == nullptr) return file.json;
    return records->Empty() ? nullptr : &(*records)[0];
  }
  const rapidjson::Value* first = nullptr;
  std::string reason;
  ForEachLine(file.text, [&](std::string_view line, size_t) {
    if (ParseLine(line, scratch, reason)) first = &scratch;
    return false;
  });
  return first;
}

const rapidjson::Value* Field(const rapidjson::Value& object, std::string_view path) {
  if (!object.IsObject()) return nullptr;
  // Longest key first: "a.b.c" as one key, then "a.b" + "c", then "a" + "b.c".
  size_t end = path.size();
  while (true) {
    std::string_view key = path.substr(0, end);
    auto it = object.FindMember(
        rapidjson::Value(rapidjson::StringRef(key.data(), static_cast<rapidjson::SizeType>(key.size()))));
    if (it != object.MemberEnd()) {
      if (end == path.size()) return it->value.IsNull() ? nullptr : &it->value;
      if (const rapidjson::Value* inner = Field(it->value, path.substr(end + 1))) return inner;
    }
    if (end == 0) return nullptr;
    size_t dot = path.rfind('.', end - 1);
    if (dot == std::string_view::npos) return nullptr;
    end = dot;
  }
}

std::optional<std::string> AsText(const rapidjson::Value* value) {
  if (value == nullptr) return std::nullopt;
  if (value->IsString()) return std::string(Trim(std::string_view(value->GetString(), value->GetStringLength())));
  if (value->IsInt64()) return std::to_string(value->GetInt64());
  if (value->IsUint64()) return std::to_string(value->GetUint64());
  if (value->IsDouble()) {
    double number = value->GetDouble();
    if (std::isfinite(number) && number == std::floor(number) && std::fabs(number) < 1e18) {
      return fmt::format("{:.0f}", number);
    }
    return fmt::format("{}", number);
  }
  return std::nullopt;
}

std::optional<std::string> FirstText(const rapidjson::Value& object,
                                     std::initializer_list<std::string_view> paths) {
  for (std::string_view path : paths) {
    auto text = AsText(Field(object, path));
    if (text && !text->empty()) return text;
  }
  return std::nullopt;
}

std::optional<double> AsNumber(const rapidjson::Value* value) {
  if (value == nullptr) return std::nullopt;
  if (value->IsNumber()) return value->GetDouble();
  if (!value->IsString()) return std::nullopt;
  std::string text(Trim(std::string_view(value->GetString(), value->GetStringLength())));
  if (text.empty()) return std::nullopt;
  char* end = nullptr;
  double number = std::strtod(text.c_str(), &end);
  if (end != text.c_str() + text.size() || !std::isfinite(number)) return std::nullopt;
  return number;
}

// Both are views of the one CSV reader (importers/common/csv_table.h).
Result<std::vector<CsvRecord>> SplitCsv(std::string_view text, const std::string& path) {
  auto table = ParseCsv(text, path, {DetectCsvDelimiter(WithoutBom(text)), /*require_utf8=*/false});
  if (!table.ok()) return table.status();
  std::vector<CsvRecord> rows;
  rows.push_back({std::move(table->header_cells), 1});
  for (auto& row : table->rows) rows.push_back({std::move(row.cells), row.line});
  return rows;
}

std::optional<std::vector<std::string>> CsvHeader(std::string_view text) {
  if (StartsWithChar(text, '{') || StartsWithChar(text, '[')) return std::nullopt;
  text = WithoutBom(text);
  std::string_view header = text.substr(0, text.find('\n'));
  auto table = ParseCsv(header, "", {DetectCsvDelimiter(header), /*require_utf8=*/false});
  if (!table.ok()) return std::nullopt;
  std::vector<std::string> names;
  for (const auto& cell : table->header_cells) names.emplace_back(Trim(cell));
  return names;
}

namespace {

// Epoch seconds or milliseconds; nullopt outside [0, 1e15] (past year 33658 as milliseconds),
// where converting to TimeMs would overflow.
std::optional<TimeMs> EpochTime(double number) {
  if (!std::isfinite(number) || number < 0 || number > 1e15) return std::nullopt;
  return EpochNumberToMs(number);
}

}  // namespace

std::optional<TimeMs> AsTime(const rapidjson::Value* value) {
  if (value == nullptr) return std::nullopt;
  if (value->IsString()) {
    std::string_view text = Trim(std::string_view(value->GetString(), value->GetStringLength()));
    if (text.empty()) return std::nullopt;
    if (std::all_of(text.begin(), text.end(), [](char c) { return std::isdigit(static_cast<unsigned char>(c)) || c == '.'; })) {
      auto number = AsNumber(value);
      if (!number) return std::nullopt;
      return EpochTime(*number);
    }
    return ParseIsoTime(text);
  }
  if (value->IsNumber()) return EpochTime(value->GetDouble());
  return std::nullopt;
}

std::vector<std::string> AsTextList(const rapidjson::Value* value) {
  std::vector<std::string> out;
  if (value == nullptr) return out;
  if (value->IsArray()) {
    for (const auto& item : value->GetArray()) {
      if (auto text = AsText(&item); text && !text->empty()) out.push_back(std::move(*text));
    }
    return out;
  }
  if (!value->IsString()) {
    if (auto text = AsText(value)) out.push_back(std::move(*text));
    return out;
  }
  std::string_view text = Trim(std::string_view(value->GetString(), value->GetStringLength()));
  if (!text.empty() && text.front() == '[') {
    rapidjson::Document doc;
    doc.Parse<rapidjson::kParseValidateEncodingFlag>(text.data(), text.size());
    if (!doc.HasParseError() && doc.IsArray() && JsonNestingDepth(text) <= kMaxJsonDepth) {
      return AsTextList(&doc);
    }
  }
  while (!text.empty()) {
    size_t comma = text.find(',');
    std::string_view item = Trim(text.substr(0, comma));
    if (!item.empty()) out.emplace_back(item);
    if (comma == std::string_view::npos) break;
    text.remove_prefix(comma + 1);
  }
  return out;
}

const rapidjson::Value* JsonOrStringified(const rapidjson::Value* value, rapidjson::Document& doc) {
  if (value == nullptr) return nullptr;
  if (value->IsObject() || value->IsArray()) return value;
  if (!value->IsString()) return nullptr;
  std::string_view text(value->GetString(), value->GetStringLength());
  if (JsonNestingDepth(text) > kMaxJsonDepth) return nullptr;
  doc.Parse<rapidjson::kParseValidateEncodingFlag>(text.data(), text.size());
  if (doc.HasParseError() || !(doc.IsObject() || doc.IsArray())) return nullptr;
  return &doc;
}

std::string NormalizeSeverity(std::string_view text) {
  std::string folded = FoldEnum(text);
  if (folded == "informational" || folded == "info" || folded == "information" ||
      folded == "informative")
    return "informational";
  if (folded == "low") return "low";
  if (folded == "medium" || folded == "moderate" || folded == "med") return "medium";
  if (folded == "high") return "high";
  if (folded == "critical" || folded == "crit" || folded == "fatal" || folded == "veryhigh")
    return "critical";
  return "";
}

void AddAsset(model::Incident& incident, std::string_view type, std::string_view id,
              std::string_view name) {
  std::string stable = ToLower(Trim(id));
  if (stable.empty()) return;
  for (const auto& asset : incident.assets) {
    if (asset.type == type && asset.id == stable) return;
  }
  std::string display(Trim(name));
  if (display == stable) display.clear();  // the name would only repeat the id
  incident.assets.push_back({std::move(stable), std::string(type), std::move(display)});
}

std::string MissingField(std::string_view name) { return fmt::format("field \"{}\" is missing", name); }

std::string WrongType(std::string_view name, std::string_view expected) {
  return fmt::format("field \"{}\" must be {}", name, expected);
}

}  // namespace tidemark::importers::incidents
