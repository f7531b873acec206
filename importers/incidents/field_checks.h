// The one rule for wrong-typed fields in incident records (SPEC §6): every reader describes the
// fields it reads that carry ids, times, techniques, tactics, threats or assets as a table of
// FieldRules, and checks a record against its table before reading it. A field of the wrong
// JSON type becomes a Reject naming the field's path (`field "finding_info.attacks" must be an
// array`) instead of a value quietly read as missing; an absent field, a null or "" is unset
// and always fine. The rest of a record is read leniently (an unknown status or severity is
// left unset). Pure functions; thread-safe.
#pragma once

#include <rapidjson/document.h>

#include <cstddef>
#include <string>
#include <string_view>

#include "engine/core/json.h"
#include "importers/incidents/reader_util.h"

namespace tidemark::importers::incidents {

// How a field must be written when it is set, and how a wrong one is named.
enum class Shape {
  kText,               // a string, or a number (AsText): "a string"
  kTime,               // epoch seconds/ms or ISO 8601 (AsTime): "a time (...)"
  kObject,             // "an object"
  kArray,              // any array: "an array"
  kObjects,            // an array of objects: "an array"; a wrong item: "field[i]" "an object"
  kTexts,              // an array of strings: "an array of strings"; a wrong item: "field[i]" "a string"
  kTextList,           // what AsTextList reads: an array of strings, or one string (a JSON array or
                       // comma-separated list) or number: "an array of strings or a string"
  kTextListOrObject,   // kTextList, or an object holding the list below it (Splunk's nested form)
  kJsonObject,         // an object, or a string holding one (JsonOrStringified)
  kJsonArray,          // an array, or a string holding one (JsonOrStringified)
};

struct FieldRule;

// A table of rules: a static array of FieldRule (or none).
class FieldRules {
 public:
  constexpr FieldRules() = default;
  template <size_t N>
  constexpr FieldRules(const FieldRule (&rules)[N]) : rules_(rules), size_(N) {}  // NOLINT: implicit by design
  constexpr const FieldRule* begin() const { return rules_; }
  constexpr const FieldRule* end() const;  // below, where FieldRule is complete
  constexpr bool empty() const { return size_ == 0; }

 private:
  const FieldRule* rules_ = nullptr;
  size_t size_ = 0;
};

struct FieldRule {
  // A dotted path read with Field() (reader_util.h): dotted keys, nested objects or a mix.
  std::string_view path;
  Shape shape;
  // The fields inside, checked when the value is set: of the object (kObject, kJsonObject,
  // the object form of kTextListOrObject) or of each item (kObjects), named "path.key" and
  // "path[i].key".
  FieldRules inner = {};
  // Wording of "must be ..." instead of the shape's own ("an array of alerts").
  std::string_view expected = {};
};

constexpr const FieldRule* FieldRules::end() const { return rules_ + size_; }

// "" when `value` is unset (nullptr, null or "") or has `shape`; otherwise the reason, naming
// `field` (or its item `field[i]`).
std::string ShapeProblem(const rapidjson::Value* value, Shape shape, const std::string& field,
                         std::string_view expected = {});

// The first rule of `rules` that `record` breaks, its field named `prefix` + path (prefix is
// where the record sits in what the source wrote: "", "_source.", "Event."); "" when none.
std::string FieldsProblem(const rapidjson::Value& record, FieldRules rules, const std::string& prefix = "");

// The member `key` when it is there and not null or "" (the ways exports write "unset");
// nullptr otherwise.
inline const rapidjson::Value* Present(const rapidjson::Value& object, const char* key) {
  const rapidjson::Value* value = Member(object, key);
  if (value == nullptr || value->IsNull() || (value->IsString() && value->GetStringLength() == 0)) return nullptr;
  return value;
}

// Single-member forms of the rule, for the records a reader walks key by key.
inline std::string TextProblem(const rapidjson::Value& object, const char* key, const std::string& field) {
  return ShapeProblem(Present(object, key), Shape::kText, field);
}
inline std::string TimeProblem(const rapidjson::Value& object, const char* key, const std::string& field) {
  return ShapeProblem(Present(object, key), Shape::kTime, field);
}

// "" when `key` is there and text; MissingField / WrongType naming `field` otherwise.
inline std::string IdProblem(const rapidjson::Value& object, const char* key, const std::string& field) {
  const rapidjson::Value* value = Present(object, key);
  if (value == nullptr) return MissingField(field);
  return AsText(value) && !AsText(value)->empty() ? "" : WrongType(field, "a non-empty string");
}

}  // namespace tidemark::importers::incidents
