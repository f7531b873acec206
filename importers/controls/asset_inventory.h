// Asset inventories (SPEC §1): tidemark JSON {"assets": [{"id", "type", "name", "weight"}]}
// (or an array) and CSV with the columns id, type, name, weight, criticality.
//
// A weight is a number ≥ 0 (default 1). Instead of a weight a record may give a criticality
// level, mapped to a weight as follows (Security Exposure Management levels):
//   very-high (or critical, or level 0) -> 4, high (1) -> 3, medium (2) -> 2, low (3) -> 1.
// When both are given, `weight` wins. Pure functions; thread-compatible.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/model/control.h"
#include "importers/common/reject.h"

namespace tidemark::importers {

struct AssetFile {
  std::string file;
  std::string format;
  std::vector<model::Asset> assets;
  RejectList rejects;
};

// The weight of a criticality level (name or 0-3), or nullopt when unknown.
std::optional<double> CriticalityWeight(std::string_view level);

// Parses an inventory. File-level problems fail with kBadInput; record problems are rejects.
Result<AssetFile> ParseAssetFile(std::string& text, const std::string& file);

}  // namespace tidemark::importers
