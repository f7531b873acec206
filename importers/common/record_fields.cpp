#include "importers/common/record_fields.h"

#include <algorithm>
#include <charconv>
#include <cmath>

#include "engine/core/ids.h"
#include "engine/core/json.h"
#include "importers/common/reject.h"
#include "importers/common/text.h"

namespace tidemark::importers {
namespace {

std::string Field(const char* name) { return std::string("field \"") + name + "\""; }

std::optional<double> NumberFromText(std::string_view text) {
  std::string trimmed(Trim(text));
  double value = 0;
  auto [ptr, ec] = std::from_chars(trimmed.data(), trimmed.data() + trimmed.size(), value);
  if (trimmed.empty() || ec != std::errc() || ptr != trimmed.data() + trimmed.size() || !std::isfinite(value)) {
    return std::nullopt;
  }
  return value;
}

// 1 -> "1", 0.5 -> "0.5" (bounds in messages).
std::string FormatNumber(double value) {
  char buf[32];
  auto [ptr, ec] = std::to_chars(buf, buf + sizeof buf, value, std::chars_format::fixed);
  return ec == std::errc() ? std::string(buf, ptr) : "?";
}

}  // namespace

Problem RequiredId(const rapidjson::Value& obj, const char* name, std::string& out) {
  const auto* value = Member(obj, name);
  if (!value || value->IsNull()) return Field(name) + " is missing (every record needs an id)";
  if (!value->IsString()) return Field(name) + " must be a string";
  out.assign(value->GetString(), value->GetStringLength());
  if (auto problem = IdProblem(out)) return Field(name) + " " + *problem;
  return std::nullopt;
}

Problem OptionalString(const rapidjson::Value& obj, const char* name, std::string& out) {
  const auto* value = Member(obj, name);
  if (!value || value->IsNull()) return std::nullopt;
  if (!value->IsString()) return Field(name) + " must be a string";
  out.assign(value->GetString(), value->GetStringLength());
  return std::nullopt;
}

Problem OptionalNumber(const rapidjson::Value& obj, const char* name, double min, double max,
                       std::optional<double>& out) {
  const auto* value = Member(obj, name);
  if (!value || value->IsNull()) return std::nullopt;
  std::optional<double> number;
  if (value->IsNumber()) {
    number = value->GetDouble();
  } else if (value->IsString()) {
    number = NumberFromText(std::string_view(value->GetString(), value->GetStringLength()));
  }
  if (!number || !std::isfinite(*number)) return Field(name) + " must be a number";
  if (*number < min || *number > max) {
    return Field(name) + " is " + ToJsonString(*value) + ", outside [" + FormatNumber(min) + ", " + FormatNumber(max) + "]";
  }
  out = number;
  return std::nullopt;
}

Problem TypeAndStrengthFromText(std::string_view type, std::string_view strength, model::Mapping& out) {
  if (!Trim(type).empty()) {
    auto parsed = model::ParseMappingType(type);
    if (!parsed) return "field \"type\": " + Quote(type) + " is not a mapping type (expected protect, detect or respond)";
    out.type = *parsed;
  }
  if (!Trim(strength).empty()) {
    auto parsed = model::ParseStrength(strength);
    if (!parsed) {
      return "field \"strength\": " + Quote(strength) +
             " is not a strength (expected minimal, partial, significant or a number in (0, 1])";
    }
    out.strength = *parsed;
  }
  return std::nullopt;
}

Problem ReadTypeAndStrength(const rapidjson::Value& obj, model::Mapping& out) {
  std::string type;
  if (auto problem = OptionalString(obj, "type", type)) return problem;
  std::string strength;
  const auto* value = Member(obj, "strength");
  if (value && value->IsNumber()) {
    double number = value->GetDouble();
    if (!std::isfinite(number) || number <= 0.0 || number > 1.0) {
      return "field \"strength\" is " + ToJsonString(*value) + ", outside (0, 1]";
    }
    out.strength = number;
  } else if (auto problem = OptionalString(obj, "strength", strength)) {
    return problem;
  }
  return TypeAndStrengthFromText(type, strength, out);
}

std::optional<std::string> TechniqueIdOf(std::string_view text) {
  if (auto id = NormalizeTechniqueId(text)) return id;
  if (IsForeignTechniqueId(text) && !IdProblem(text)) return std::string(Trim(text));
  return std::nullopt;
}

std::optional<std::string> MitigationIdOf(std::string_view text) {
  std::string id(Trim(text));
  if (id.size() != 5 || (id[0] != 'M' && id[0] != 'm')) return std::nullopt;
  if (!std::all_of(id.begin() + 1, id.end(), [](char c) { return c >= '0' && c <= '9'; })) return std::nullopt;
  id[0] = 'M';
  return id;
}

std::optional<std::string> RemediationTypeOf(std::string_view text) {
  std::string folded = FoldEnum(text);
  if (folded.empty()) return std::string();
  for (const char* name : {"configuration", "software", "firmware", "process"}) {
    if (folded == name) return std::string(name);
  }
  if (folded == "config" || folded == "configurationchange") return std::string("configuration");
  if (folded == "softwareupdate") return std::string("software");
  return std::nullopt;
}

std::string UnknownMembersJson(const rapidjson::Value& obj, std::initializer_list<std::string_view> known) {
  if (!obj.IsObject()) return "";
  rapidjson::StringBuffer buf;
  JsonWriter w(buf);
  w.StartObject();
  bool any = false;
  for (const auto& member : obj.GetObject()) {
    std::string_view name(member.name.GetString(), member.name.GetStringLength());
    if (std::find(known.begin(), known.end(), name) != known.end()) continue;
    any = true;
    WriteString(w, name);
    member.value.Accept(w);
  }
  w.EndObject();
  return any ? std::string(buf.GetString(), buf.GetSize()) : "";
}

std::string IndexPath(std::string_view array, size_t index) {
  return std::string(array) + "[" + std::to_string(index) + "]";
}

}  // namespace tidemark::importers
