// Checks the TheHive, STIX, MISP and Attack Flow readers run on a record before reading it,
// so that a wrong type becomes a Reject naming the field (SPEC §6) instead of a value quietly
// read as missing. Only the fields an incident cannot do without are checked: ids, times and
// the lists that carry techniques; the rest is read leniently. Pure functions; thread-safe.
#pragma once

#include <rapidjson/document.h>

#include <string>

#include "engine/core/json.h"
#include "importers/incidents/reader_util.h"

namespace tidemark::importers::incidents {

// The member `key` when it is there and not null or "" (the ways exports write "unset");
// nullptr otherwise.
inline const rapidjson::Value* Present(const rapidjson::Value& object, const char* key) {
  const rapidjson::Value* value = Member(object, key);
  if (value == nullptr || value->IsNull() || (value->IsString() && value->GetStringLength() == 0)) return nullptr;
  return value;
}

// "" when `key` is unset or text (a string or an integer); else why not, naming `field`.
inline std::string TextProblem(const rapidjson::Value& object, const char* key, const std::string& field) {
  const rapidjson::Value* value = Present(object, key);
  return value == nullptr || AsText(value) ? "" : WrongType(field, "a string");
}

// "" when `key` is unset or a time (epoch seconds/ms or ISO 8601); else why not, naming `field`.
inline std::string TimeProblem(const rapidjson::Value& object, const char* key, const std::string& field) {
  const rapidjson::Value* value = Present(object, key);
  return value == nullptr || AsTime(value) ? "" : WrongType(field, "a time (epoch seconds or milliseconds, or ISO 8601)");
}

// "" when `key` is unset or an array; else why not, naming `field`.
inline std::string ArrayProblem(const rapidjson::Value& object, const char* key, const std::string& field) {
  const rapidjson::Value* value = Present(object, key);
  return value == nullptr || value->IsArray() ? "" : WrongType(field, "an array");
}

// "" when `key` is there and text; MissingField / WrongType naming `field` otherwise.
inline std::string IdProblem(const rapidjson::Value& object, const char* key, const std::string& field) {
  const rapidjson::Value* value = Present(object, key);
  if (value == nullptr) return MissingField(field);
  return AsText(value) && !AsText(value)->empty() ? "" : WrongType(field, "a non-empty string");
}

}  // namespace tidemark::importers::incidents
