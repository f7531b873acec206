#include "importers/incidents/field_checks.h"

#include <fmt/format.h>

namespace tidemark::importers::incidents {
namespace {

bool Unset(const rapidjson::Value* value) {
  return value == nullptr || value->IsNull() || (value->IsString() && value->GetStringLength() == 0);
}

std::string_view Wording(Shape shape) {
  switch (shape) {
    case Shape::kText: return "a string";
    case Shape::kTime: return "a time (epoch seconds or milliseconds, or ISO 8601)";
    case Shape::kObject: return "an object";
    case Shape::kArray:
    case Shape::kObjects: return "an array";
    case Shape::kTexts: return "an array of strings";
    case Shape::kTextList: return "an array of strings or a string";
    case Shape::kTextListOrObject: return "an array of strings, a string or an object";
    case Shape::kJsonObject: return "an object (or a string holding a JSON object)";
    case Shape::kJsonArray: return "an array (or a string holding a JSON array)";
  }
  return "";
}

std::string ItemName(const std::string& field, size_t index) { return fmt::format("{}[{}]", field, index); }

// "" when every item of `array` is null or text; else the first wrong one.
std::string TextItemsProblem(const rapidjson::Value& array, const std::string& field) {
  size_t index = 0;
  for (const auto& item : array.GetArray()) {
    if (!item.IsNull() && !AsText(&item)) return WrongType(ItemName(field, index), "a string");
    ++index;
  }
  return "";
}

}  // namespace

std::string ShapeProblem(const rapidjson::Value* value, Shape shape, const std::string& field,
                         std::string_view expected) {
  if (Unset(value)) return "";
  std::string wrong = WrongType(field, expected.empty() ? Wording(shape) : expected);
  rapidjson::Document scratch;
  switch (shape) {
    case Shape::kText: return AsText(value) ? "" : wrong;
    case Shape::kTime: return AsTime(value) ? "" : wrong;
    case Shape::kObject: return value->IsObject() ? "" : wrong;
    case Shape::kArray: return value->IsArray() ? "" : wrong;
    case Shape::kObjects: {
      if (!value->IsArray()) return wrong;
      size_t index = 0;
      for (const auto& item : value->GetArray()) {
        if (!item.IsNull() && !item.IsObject()) return WrongType(ItemName(field, index), "an object");
        ++index;
      }
      return "";
    }
    case Shape::kTexts: return value->IsArray() ? TextItemsProblem(*value, field) : wrong;
    case Shape::kTextListOrObject:
      if (value->IsObject()) return "";
      [[fallthrough]];
    case Shape::kTextList:
      if (value->IsArray()) return TextItemsProblem(*value, field);
      return AsText(value) ? "" : wrong;
    case Shape::kJsonObject: {
      const rapidjson::Value* parsed = JsonOrStringified(value, scratch);
      return parsed != nullptr && parsed->IsObject() ? "" : wrong;
    }
    case Shape::kJsonArray: {
      const rapidjson::Value* parsed = JsonOrStringified(value, scratch);
      return parsed != nullptr && parsed->IsArray() ? "" : wrong;
    }
  }
  return "";
}

std::string FieldsProblem(const rapidjson::Value& record, FieldRules rules, const std::string& prefix) {
  for (const FieldRule& rule : rules) {
    const rapidjson::Value* value = Field(record, rule.path);
    std::string field = prefix + std::string(rule.path);
    if (std::string problem = ShapeProblem(value, rule.shape, field, rule.expected); !problem.empty()) return problem;
    if (rule.inner.empty() || Unset(value)) continue;
    if (value->IsArray() && rule.shape == Shape::kObjects) {
      size_t index = 0;
      for (const auto& item : value->GetArray()) {
        if (item.IsObject()) {
          if (std::string problem = FieldsProblem(item, rule.inner, ItemName(field, index) + "."); !problem.empty()) return problem;
        }
        ++index;
      }
    } else {
      rapidjson::Document scratch;
      const rapidjson::Value* object = rule.shape == Shape::kJsonObject ? JsonOrStringified(value, scratch) : value;
      if (object != nullptr && object->IsObject()) {
        if (std::string problem = FieldsProblem(*object, rule.inner, field + "."); !problem.empty()) return problem;
      }
    }
  }
  return "";
}

}  // namespace tidemark::importers::incidents
