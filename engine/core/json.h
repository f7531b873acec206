// JSON plumbing shared by every importer and report: reading a file into memory, parsing it
// with RapidJSON with an error that names file, line and column, and typed field access that
// reports the record and field on a mismatch. Thread-compatible.
#pragma once

#include <rapidjson/document.h>
#include <rapidjson/prettywriter.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <cstring>
#include <optional>
#include <stdexcept>
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

// The bytes a writer left in `buf`.
inline std::string BufferString(const rapidjson::StringBuffer& buf) {
  return std::string(buf.GetString(), buf.GetSize());
}

// Parses a record tidemark stored itself (an object); a record that does not parse is a store
// error naming `what` ("corrupt control record in store").
Result<rapidjson::Document> ParseStoredRecord(std::string_view json, const char* what);

// The longest string read or written as JSON: 512 MiB. RapidJSON 1.1.0 reserves 6 bytes per
// byte of a string it writes in 32-bit arithmetic, so a string past 715,827,882 bytes overflows
// that reservation and corrupts the heap ("double free or corruption", issue 12). ParseJson
// refuses a longer string naming the file (TIDEMARK_MAX_JSON_STRING lowers the limit, for
// tests); the writers throw JsonStringTooLong, which tidemark reports as bad input (exit 2).
constexpr size_t kMaxJsonStringBytes = size_t{512} << 20;
size_t MaxJsonStringBytes();

class JsonStringTooLong : public std::length_error {
 public:
  explicit JsonStringTooLong(size_t length);
};

inline void CheckJsonStringLength(size_t length) {
  if (length > kMaxJsonStringBytes) throw JsonStringTooLong(length);
}

// Every JSON writer here is a JsonWriterOf<RapidJSON writer>: it refuses strings past
// kMaxJsonStringBytes, and its stack allocator type is its own, so RapidJSON 1.1.0's SIMD
// string scan for Writer<StringBuffer> (RAPIDJSON_SSE42/SSE2), which compares with 0x19 and
// copies the bytes 0x1A-0x1F unescaped (invalid JSON, issue 12), never applies to it; the
// specialisation at the end of this file does that scan correctly.
struct JsonStackAllocator : rapidjson::CrtAllocator {};

template <typename Base>
class JsonWriterOf : public Base {
 public:
  explicit JsonWriterOf(rapidjson::StringBuffer& out) : Base(out) {}
  bool String(const char* str, rapidjson::SizeType length, bool copy = false) {
    CheckJsonStringLength(length);
    return Base::String(str, length, copy);
  }
  bool String(const std::string& str) {
    CheckJsonStringLength(str.size());
    return Base::String(str.data(), static_cast<rapidjson::SizeType>(str.size()));
  }
  bool String(const char* str) { return String(str, static_cast<rapidjson::SizeType>(std::strlen(str))); }
  bool Key(const char* str, rapidjson::SizeType length, bool copy = false) {
    CheckJsonStringLength(length);
    return Base::Key(str, length, copy);
  }
  bool Key(const char* str) { return Key(str, static_cast<rapidjson::SizeType>(std::strlen(str))); }
};

using JsonWriter = JsonWriterOf<rapidjson::Writer<rapidjson::StringBuffer, rapidjson::UTF8<>,
                                                  rapidjson::UTF8<>, JsonStackAllocator>>;
using PrettyJsonWriter = JsonWriterOf<rapidjson::PrettyWriter<rapidjson::StringBuffer, rapidjson::UTF8<>,
                                                              rapidjson::UTF8<>, JsonStackAllocator>>;

// Small writer helpers shared by the record codecs and reports. Empty strings and vectors
// are omitted by the *IfSet variants.
template <typename W>
void WriteString(W& w, std::string_view value) {
  CheckJsonStringLength(value.size());  // before the 32-bit length cast
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

#if defined(RAPIDJSON_SSE2) || defined(RAPIDJSON_SSE42)
// RapidJSON 1.1.0's SIMD scan for plain strings (rapidjson/writer.h), with the control-byte
// test fixed: a byte needs escaping when it is below 0x20, so max(byte, 0x1F) == 0x1F.
namespace rapidjson {
template <>
inline bool Writer<StringBuffer, UTF8<>, UTF8<>, tidemark::JsonStackAllocator>::ScanWriteUnescapedString(
    StringStream& is, size_t length) {
  if (length < 16) return is.Tell() < length;
  if (is.Tell() >= length) return false;
  const char* p = is.src_;
  const char* end = is.head_ + length;
  const char* next_aligned =
      reinterpret_cast<const char*>((reinterpret_cast<size_t>(p) + 15) & static_cast<size_t>(~15));
  const char* end_aligned = reinterpret_cast<const char*>(reinterpret_cast<size_t>(end) & static_cast<size_t>(~15));
  if (next_aligned > end) return true;
  while (p != next_aligned) {
    if (static_cast<unsigned char>(*p) < 0x20 || *p == '"' || *p == '\\') {
      is.src_ = p;
      return is.Tell() < length;
    }
    os_->PutUnsafe(*p++);
  }
  const __m128i dq = _mm_set1_epi8('"');
  const __m128i bs = _mm_set1_epi8('\\');
  const __m128i sp = _mm_set1_epi8(0x1F);
  for (; p != end_aligned; p += 16) {
    const __m128i s = _mm_load_si128(reinterpret_cast<const __m128i*>(p));
    const __m128i t1 = _mm_cmpeq_epi8(s, dq);
    const __m128i t2 = _mm_cmpeq_epi8(s, bs);
    const __m128i t3 = _mm_cmpeq_epi8(_mm_max_epu8(s, sp), sp);  // s < 0x20
    const __m128i x = _mm_or_si128(_mm_or_si128(t1, t2), t3);
    unsigned short r = static_cast<unsigned short>(_mm_movemask_epi8(x));
    if (r != 0) {
      SizeType len = static_cast<SizeType>(__builtin_ffs(r) - 1);
      char* q = reinterpret_cast<char*>(os_->PushUnsafe(len));
      for (size_t i = 0; i < len; i++) q[i] = p[i];
      p += len;
      break;
    }
    _mm_storeu_si128(reinterpret_cast<__m128i*>(os_->PushUnsafe(16)), s);
  }
  is.src_ = p;
  return is.Tell() < length;
}
}  // namespace rapidjson
#endif
