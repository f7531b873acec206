#include "engine/core/json.h"

#include <sys/stat.h>

#include <rapidjson/encodedstream.h>
#include <rapidjson/error/en.h>
#include <rapidjson/memorystream.h>

#include <cmath>
#include <cstdint>
#include <cstring>
#include <cstdio>
#include <cstdlib>
#include <memory>

namespace tidemark {

Result<std::string> ReadFile(const std::string& path) {
  std::unique_ptr<FILE, int (*)(FILE*)> file(std::fopen(path.c_str(), "rb"), &std::fclose);
  if (!file) return Status::BadInput(path + ": cannot open file");
  struct stat info;
  if (fstat(fileno(file.get()), &info) == 0 && S_ISDIR(info.st_mode)) {
    return Status::BadInput(path + ": is a directory, not a file; name the files inside it");
  }
  std::string data;
  if (std::fseek(file.get(), 0, SEEK_END) == 0) {
    long size = std::ftell(file.get());
    if (size > 0) {
      std::rewind(file.get());
      data.resize(static_cast<size_t>(size));
      size_t got = std::fread(data.data(), 1, data.size(), file.get());
      data.resize(got);
      return data;
    }
    std::rewind(file.get());
  }
  // Pipes and special files: read in chunks.
  char buf[1 << 16];
  size_t got;
  while ((got = std::fread(buf, 1, sizeof buf, file.get())) > 0) data.append(buf, got);
  if (std::ferror(file.get())) return Status::BadInput(path + ": read error");
  return data;
}

JsonStringTooLong::JsonStringTooLong(size_t length)
    : std::length_error("a text value of " + std::to_string(length) +
                        " bytes is too long to store (the limit is " + std::to_string(kMaxJsonStringBytes) +
                        " bytes)") {}

size_t MaxJsonStringBytes() {
  size_t limit = kMaxJsonStringBytes;
  if (const char* lowered = std::getenv("TIDEMARK_MAX_JSON_STRING")) {
    size_t value = std::strtoull(lowered, nullptr, 10);
    if (value > 0) limit = std::min(limit, value);
  }
  return limit;
}

size_t LineOfOffset(std::string_view text, size_t offset) {
  size_t line = 1;
  for (size_t idx = 0; idx < offset && idx < text.size(); ++idx) {
    if (text[idx] == '\n') ++line;
  }
  return line;
}

int JsonNestingDepth(std::string_view text) {
  int depth = 0, deepest = 0;
  bool in_string = false;
  for (size_t idx = 0; idx < text.size(); ++idx) {
    char c = text[idx];
    if (in_string) {
      if (c == '\\') ++idx;
      else if (c == '"') in_string = false;
      continue;
    }
    if (c == '"') in_string = true;
    else if (c == '[' || c == '{') deepest = std::max(deepest, ++depth);
    else if (c == ']' || c == '}') --depth;
  }
  return deepest;
}

namespace {

// Forwards SAX events to the document being built and stops the parse past kMaxJsonDepth.
// RapidJSON's recursive parser calls StartObject/StartArray before it descends, so refusing
// there bounds the recursion (hostile nesting would otherwise overflow the stack) without the
// separate pass over the text that JsonNestingDepth needs (~35 ms on the 50 MB ATT&CK bundle).
struct DepthLimitedHandler {
  rapidjson::Document& doc;
  size_t max_string;
  int depth = 0;
  bool too_deep = false;
  size_t too_long = 0;  // length of the string refused, 0 when none

  bool Fits(rapidjson::SizeType length) {
    if (length <= max_string) return true;
    too_long = length;
    return false;
  }

  bool Null() { return doc.Null(); }
  bool Bool(bool b) { return doc.Bool(b); }
  bool Int(int i) { return doc.Int(i); }
  bool Uint(unsigned i) { return doc.Uint(i); }
  bool Int64(int64_t i) { return doc.Int64(i); }
  bool Uint64(uint64_t i) { return doc.Uint64(i); }
  bool Double(double d) { return doc.Double(d); }
  bool RawNumber(const char* str, rapidjson::SizeType length, bool copy) {
    return doc.RawNumber(str, length, copy);
  }
  bool String(const char* str, rapidjson::SizeType length, bool copy) {
    return Fits(length) && doc.String(str, length, copy);
  }
  bool Key(const char* str, rapidjson::SizeType length, bool copy) {
    return Fits(length) && doc.Key(str, length, copy);
  }
  bool StartObject() { return Enter() && doc.StartObject(); }
  bool EndObject(rapidjson::SizeType members) { --depth; return doc.EndObject(members); }
  bool StartArray() { return Enter() && doc.StartArray(); }
  bool EndArray(rapidjson::SizeType elements) { --depth; return doc.EndArray(elements); }

  bool Enter() {
    if (++depth <= kMaxJsonDepth) return true;
    too_deep = true;
    return false;
  }
};

// Parses `stream` into `doc` through DepthLimitedHandler; Populate keeps the document's own
// bookkeeping (its value stack, the root) exactly as Document::Parse does.
template <unsigned kFlags, typename Stream>
Status ParseStream(Stream& stream, rapidjson::Document& doc, std::string_view text, size_t skip,
                   const std::string& where) {
  rapidjson::ParseResult result;
  bool too_deep = false;
  size_t too_long = 0;
  size_t max_string = MaxJsonStringBytes();
  auto generator = [&](rapidjson::Document& target) {
    DepthLimitedHandler handler{target, max_string};
    rapidjson::Reader reader;
    result = reader.Parse<kFlags>(stream, handler);
    too_deep = handler.too_deep;
    too_long = handler.too_long;
    return !result.IsError();
  };
  doc.Populate(generator);
  if (too_deep) {
    return Status::BadInput(where + ": JSON nested deeper than " + std::to_string(kMaxJsonDepth) +
                            " levels");
  }
  if (too_long > 0) {
    size_t offset = result.Offset() + skip;
    return Status::BadInput(where + ":" + std::to_string(LineOfOffset(text, offset)) + ": a string of " +
                            std::to_string(too_long) + " bytes is too long (the limit is " +
                            std::to_string(max_string) + " bytes; byte " + std::to_string(offset) + ")");
  }
  if (result.IsError()) {
    size_t offset = result.Offset() + skip;
    // In situ parsing may have rewritten bytes before the error; the line count stays right
    // because newlines outside strings are never rewritten.
    return Status::BadInput(where + ":" + std::to_string(LineOfOffset(text, offset)) +
                            ": not valid JSON: " + rapidjson::GetParseError_En(result.Code()) +
                            " (byte " + std::to_string(offset) + ")");
  }
  return Status::Ok();
}

size_t ByteOrderMarkSize(std::string_view text) {
  return text.substr(0, 3) == "\xEF\xBB\xBF" ? 3 : 0;
}

}  // namespace

bool IsValidUtf8(std::string_view text) {
  const auto* bytes = reinterpret_cast<const unsigned char*>(text.data());
  size_t size = text.size();
  size_t idx = 0;
  while (idx < size) {
    // ASCII runs (nearly all of ATT&CK and of most inputs) are checked eight bytes at a time.
    if (idx + 8 <= size) {
      uint64_t word;
      std::memcpy(&word, bytes + idx, 8);
      if ((word & 0x8080808080808080ull) == 0) {
        idx += 8;
        continue;
      }
    }
    unsigned char lead = bytes[idx];
    if (lead < 0x80) {
      ++idx;
      continue;
    }
    // RFC 3629 table 3-7: the second byte's range depends on the lead byte, which rules out
    // overlong forms, surrogates and code points above U+10FFFF (as RapidJSON's validator does).
    size_t length;
    unsigned char low = 0x80, high = 0xBF;
    if (lead >= 0xC2 && lead <= 0xDF) {
      length = 2;
    } else if (lead >= 0xE0 && lead <= 0xEF) {
      length = 3;
      if (lead == 0xE0) low = 0xA0;
      if (lead == 0xED) high = 0x9F;
    } else if (lead >= 0xF0 && lead <= 0xF4) {
      length = 4;
      if (lead == 0xF0) low = 0x90;
      if (lead == 0xF4) high = 0x8F;
    } else {
      return false;
    }
    if (idx + length > size) return false;
    if (bytes[idx + 1] < low || bytes[idx + 1] > high) return false;
    for (size_t tail = 2; tail < length; ++tail) {
      if ((bytes[idx + tail] & 0xC0) != 0x80) return false;
    }
    idx += length;
  }
  return true;
}

Status ParseJsonInsitu(char* text, size_t size, rapidjson::Document& doc, const std::string& where) {
  std::string_view view(text, size);
  size_t skip = ByteOrderMarkSize(view);
  rapidjson::InsituStringStream stream(text + skip);
  // Invalid UTF-8 must be refused, but RapidJSON's per-character validation also turns off its
  // SIMD string scanning (45 ms of 85 on the ATT&CK bundle). Outside strings only ASCII is valid
  // JSON and string contents are delimited by ASCII bytes, so a document whose bytes are all
  // valid UTF-8 parses identically with or without validation; only a document that fails the
  // fast check is parsed with it, which keeps RapidJSON's error message and offset.
  if (IsValidUtf8(view)) return ParseStream<rapidjson::kParseInsituFlag>(stream, doc, view, skip, where);
  // Invalid UTF-8 always fails. The error is found by a validating parse of a bounded stream,
  // not in situ: RapidJSON's NUL-terminated in situ stream decodes a multi-byte sequence cut
  // short by the end of the text past its terminating NUL (found by tests/fuzz).
  rapidjson::MemoryStream memory(text + skip, size - skip);
  rapidjson::EncodedInputStream<rapidjson::UTF8<>, rapidjson::MemoryStream> bounded(memory);
  return ParseStream<rapidjson::kParseValidateEncodingFlag>(bounded, doc, view, skip, where);
}

Status ParseJson(std::string& text, rapidjson::Document& doc, const std::string& where,
                 bool insitu) {
  if (insitu) return ParseJsonInsitu(text.data(), text.size(), doc, where);
  size_t skip = ByteOrderMarkSize(text);
  rapidjson::MemoryStream memory(text.data() + skip, text.size() - skip);
  rapidjson::EncodedInputStream<rapidjson::UTF8<>, rapidjson::MemoryStream> stream(memory);
  if (IsValidUtf8(text)) return ParseStream<0>(stream, doc, text, skip, where);
  return ParseStream<rapidjson::kParseValidateEncodingFlag>(stream, doc, text, skip, where);
}

const rapidjson::Value* Member(const rapidjson::Value& obj, const char* name) {
  if (!obj.IsObject()) return nullptr;
  auto it = obj.FindMember(name);
  return it == obj.MemberEnd() ? nullptr : &it->value;
}

std::optional<std::string_view> StringMember(const rapidjson::Value& obj, const char* name) {
  const rapidjson::Value* value = Member(obj, name);
  if (!value || !value->IsString()) return std::nullopt;
  return std::string_view(value->GetString(), value->GetStringLength());
}

std::string StringOr(const rapidjson::Value& obj, const char* name, std::string fallback) {
  auto value = StringMember(obj, name);
  return value ? std::string(*value) : fallback;
}

std::vector<std::string> StringArray(const rapidjson::Value& obj, const char* name) {
  std::vector<std::string> out;
  const rapidjson::Value* arr = Member(obj, name);
  if (!arr || !arr->IsArray()) return out;
  for (const auto& v : arr->GetArray()) {
    if (v.IsString()) out.emplace_back(v.GetString(), v.GetStringLength());
  }
  return out;
}

std::optional<double> NumberMember(const rapidjson::Value& obj, const char* name) {
  const rapidjson::Value* value = Member(obj, name);
  if (!value || !value->IsNumber()) return std::nullopt;
  return value->GetDouble();
}

std::string ToJsonString(const rapidjson::Value& value) {
  rapidjson::StringBuffer buf;
  JsonWriter writer(buf);
  value.Accept(writer);
  return std::string(buf.GetString(), buf.GetSize());
}

double RoundScore(double value) {
  double rounded = std::round(value * 10000.0) / 10000.0;
  return rounded == 0.0 ? 0.0 : rounded;  // no "-0"
}

Result<rapidjson::Document> ParseStoredRecord(std::string_view json, const char* what) {
  rapidjson::Document doc;
  doc.Parse(json.data(), json.size());
  if (doc.HasParseError() || !doc.IsObject()) {
    return Status::StoreError(std::string("corrupt ") + what + " record in store");
  }
  return doc;
}

}  // namespace tidemark
