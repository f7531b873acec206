// Field readers shared by the organisation importers: each returns the reason a field is
// unusable (naming the field) or nullopt when it is fine or absent, so a parser can turn the
// reason into a Reject. Keys are matched as written (SPEC §1: lower-case). Pure functions;
// thread-safe.
#pragma once

#include <rapidjson/document.h>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/model/control.h"
#include "importers/common/text.h"

namespace tidemark::importers {

using Problem = std::optional<std::string>;

// A required id: present, a string, and a valid id (see IdProblem).
Problem RequiredId(const rapidjson::Value& obj, const char* name, std::string& out);
// An optional string; a present non-string (other than null) is a problem.
Problem OptionalString(const rapidjson::Value& obj, const char* name, std::string& out);
// An optional number within [min, max]; strings holding numbers are accepted.
Problem OptionalNumber(const rapidjson::Value& obj, const char* name, double min, double max,
                       std::optional<double>& out);

// `type` and `strength` of a mapping (SPEC §1): type protect/detect/respond (default protect),
// strength minimal/partial/significant or a number in (0, 1] (default 1.0).
Problem ReadTypeAndStrength(const rapidjson::Value& obj, model::Mapping& out);
Problem TypeAndStrengthFromText(std::string_view type, std::string_view strength, model::Mapping& out);

// A technique ID as stored: normalised ATT&CK ID (`t1059.001` -> `T1059.001`) or a foreign ID
// kept as written (`AML.T0040`, later reported unknown). nullopt when it is neither.
std::optional<std::string> TechniqueIdOf(std::string_view text);
// `M1032` from `m1032`; nullopt when not an ATT&CK mitigation ID.
std::optional<std::string> MitigationIdOf(std::string_view text);

// `remediation_type` normalised to configuration/software/firmware/process ("" stays "").
std::optional<std::string> RemediationTypeOf(std::string_view text);

// The members of `obj` whose names are not in `known`, as a compact JSON object ("" = none).
std::string UnknownMembersJson(const rapidjson::Value& obj, std::initializer_list<std::string_view> known);

// "controls[3]"
std::string IndexPath(std::string_view array, size_t index);

}  // namespace tidemark::importers
