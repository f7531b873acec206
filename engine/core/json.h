// JSON plumbing shared by every importer and report: reading a file into memory, parsing it
// with RapidJSON with an error that names file, line and column, and typed field access that
// reports the record and field on a mismatch. Thread-compatible.
#pragma once

#include <rapidjson/document.h>
#include <rapidjson/prettywriter.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/core/status.h"

namespace tidemark {

// Reads a whole file. Fails with kBadInput naming the file when it cannot be read.
Result<std::string> ReadFile(const std::string& path);

// Line (1-based) of the byte at `offset` in `text`.
size_t LineOfOffset(std::string_view text, size_t offset);

// Parses `text` into `doc`. Rejects invalid UTF-8, nesting deeper than kMaxJsonDepth and
// trailing garbage. `where` names the input in the error ("bundle.json").
// `text` must stay alive and unchanged while `doc` is used when `insitu` is true.
constexpr int kMaxJsonDepth = 256;
Status ParseJson(std::string& text, rapidjson::Document& doc, const std::string& where,
                 bool insitu = false);
// The same, in situ, for a buffer that is not a std::string (see PageBuffer): `text[size]`
// must be a NUL byte, and `text` outlives `doc`.
Status ParseJsonInsitu(char* text, size_t size, rapidjson::Document& doc, const std::string& where);

// True when `text` is well-formed UTF-8 (RFC 3629: no overlong forms, surrogates or code
// points above U+10FFFF).
bool IsValidUtf8(std::string_view text);

// Depth of the deepest nesting in `text` ("[[1]]" is 2); scans bytes without parsing.
int JsonNestingDepth(std::string_view text);

// Typed access; nullptr / nullopt when absent or of another type.
const rapidjson::Value* Member(const rapidjson::Value& obj, const char* name);
std::optional<std::string_view> StringMember(const rapidjson::Value& obj, const char* name);
std::string StringOr(const rapidjson::Value& obj, const char* name, std::string fallback = "");

// Serialises a value compactly.
std::string ToJsonString(const rapidjson::Value& value);

using JsonWriter = rapidjson::Writer<rapidjson::StringBuffer>;
using PrettyJsonWriter = rapidjson::PrettyWriter<rapidjson::StringBuffer>;

// Small writer helpers shared by the record codecs and reports. Empty strings and vectors
// are omitted by the *IfSet variants.
template <typename W>
void WriteString(W& w, std::string_view value) {
  w.String(value.data(), static_cast<rapidjson::SizeType>(value.size()));
}
template <typename W>
void WriteField(W& w, const char* key, std::string_view value) {
  w.Key(key);
  WriteString(w, value);
}
template <typename W>
void WriteFieldIfSet(W& w, const char* key, std::string_view value) {
  if (!value.empty()) WriteField(w, key, value);
}
template <typename W, typename Strings>
void WriteStrings(W& w, const char* key, const Strings& values) {
  w.Key(key);
  w.StartArray();
  for (const auto& v : values) WriteString(w, v);
  w.EndArray();
}
template <typename W, typename Strings>
void WriteStringsIfSet(W& w, const char* key, const Strings& values) {
  if (!values.empty()) WriteStrings(w, key, values);
}
// Strings of an array member; non-strings are skipped.
std::vector<std::string> StringArray(const rapidjson::Value& obj, const char* name);
// A number member, or nullopt.
std::optional<double> NumberMember(const rapidjson::Value& obj, const char* name);

// Writes a double rounded to 4 decimals (scores, impacts, coverage), so outputs stay stable
// across platforms and free of binary noise such as 33.333333333333336.
double RoundScore(double value);

}  // namespace tidemark
