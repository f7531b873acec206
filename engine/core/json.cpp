#include "engine/core/json.h"

#include <rapidjson/error/en.h>

#include <cmath>
#include <cstdio>
#include <memory>

namespace tidemark {

Result<std::string> ReadFile(const std::string& path) {
  std::unique_ptr<FILE, int (*)(FILE*)> file(std::fopen(path.c_str(), "rb"), &std::fclose);
  if (!file) return Status::BadInput(path + ": cannot open file");
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

Status ParseJson(std::string& text, rapidjson::Document& doc, const std::string& where,
                 bool insitu) {
  // RapidJSON's recursive parser would overflow the stack on hostile nesting; refuse it first.
  if (JsonNestingDepth(text) > kMaxJsonDepth) {
    return Status::BadInput(where + ": JSON nested deeper than " + std::to_string(kMaxJsonDepth) +
                            " levels");
  }
  // A UTF-8 byte order mark is allowed and skipped.
  size_t skip = text.size() >= 3 && text.compare(0, 3, "\xEF\xBB\xBF") == 0 ? 3 : 0;
  constexpr unsigned kFlags = rapidjson::kParseValidateEncodingFlag;
  if (insitu) {
    doc.ParseInsitu<kFlags>(text.data() + skip);
  } else {
    doc.Parse<kFlags>(text.data() + skip, text.size() - skip);
  }
  if (doc.HasParseError()) {
    size_t offset = doc.GetErrorOffset() + skip;
    // In situ parsing may have rewritten bytes before the error; the line count stays right
    // because newlines outside strings are never rewritten.
    return Status::BadInput(where + ":" + std::to_string(LineOfOffset(text, offset)) +
                            ": not valid JSON: " + rapidjson::GetParseError_En(doc.GetParseError()) +
                            " (byte " + std::to_string(offset) + ")");
  }
  return Status::Ok();
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

}  // namespace tidemark
