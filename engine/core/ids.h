// ATT&CK identifiers and the spellings other systems use for them (SPEC §2).
// Pure functions over strings; thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace tidemark {

// Normalises a technique ID: case-insensitive `T\d{4}(\.\d{3})?`, surrounding blanks and a
// missing leading `T` (`1598.003`) tolerated. Returns nullopt when `text` is not a technique ID.
std::optional<std::string> NormalizeTechniqueId(std::string_view text);

// Joins a parent technique and a sub-technique number (`T1562` + `002` or `.002`) and
// normalises the result. Returns nullopt when the parts do not form a technique ID.
std::optional<std::string> JoinTechniqueId(std::string_view parent, std::string_view sub);

// The parent of a sub-technique ID (`T1059.001` -> `T1059`); nullopt for a parent technique.
std::optional<std::string> ParentTechniqueId(std::string_view technique_id);

// True for a non-ATT&CK technique-like identifier that must be kept but never scored
// (MITRE ATLAS `AML.T0040`, `AML.T0002.002`).
bool IsForeignTechniqueId(std::string_view text);

// True for an ATT&CK group, campaign or software ID shape (`G0016`, `c0024`, `S0508`),
// case-insensitive, nothing else around it.
bool IsThreatIdShape(std::string_view text);

// The STIX short name of an enterprise/mobile/ics tactic ("execution") from any accepted
// spelling: TA-ID (TA0002), short name, display name ("Command and Control"), PascalCase
// ("CommandAndControl"), slug ("command_and_control"). Returns nullopt when unknown.
std::optional<std::string> NormalizeTactic(std::string_view text);

// ASCII lower-casing, and a case-insensitive equality for enumerations from other systems.
std::string ToLower(std::string_view text);
bool EqualsIgnoreCase(std::string_view a, std::string_view b);
// Lower-cases and drops everything but letters and digits: "TruePositive", "true_positive"
// and "True Positive" all become "truepositive". Used to match enumerations.
std::string FoldEnum(std::string_view text);

}  // namespace tidemark
