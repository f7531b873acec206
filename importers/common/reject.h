// Rejected records and the checks every importer shares (SPEC §6): a reject
// names the file, the record (JSON index path or CSV line) and the reason with its field.
// Without --skip-invalid the first reject fails the whole import (exit 2, nothing written);
// with it, valid records are imported and each reject is reported. Value types; pure
// functions; thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/core/status.h"

namespace tidemark::importers {

struct Reject {
  std::string file;
  std::string where;   // "controls[3]" for JSON, "7" (the line) for CSV
  std::string reason;  // names the field: `field "status": "done" is not a status (...)`
  // `file:where: reason`, the line printed on stderr and in --rejects.
  std::string Message() const { return file + ":" + where + ": " + reason; }
};

// What an organisation import collected besides its records.
struct RejectList {
  std::vector<Reject> items;
  void Add(const std::string& file, const std::string& where, std::string reason) {
    items.push_back({file, where, std::move(reason)});
  }
  bool empty() const { return items.empty(); }
};

// Longest control, asset or technique id accepted: ids are parts of LMDB keys (≤ 511 bytes).
constexpr size_t kMaxIdLength = 200;

// Why `id` cannot be a control or asset id (empty, too long, control characters), or nullopt.
std::optional<std::string> IdProblem(std::string_view id);

// `"text"` for messages, cut at 60 bytes (on a UTF-8 boundary) and neutralised
// (engine/core/terminal_text.h).
std::string Quote(std::string_view text);

// Fails with kBadInput when there are rejects and `skip_invalid` is false: the message is the
// first reject, plus how many more there are. Ok otherwise.
Status RejectsAsError(const RejectList& rejects, bool skip_invalid);

// The stem of a path: "dir/m365-07.18.2025.json" -> "m365-07.18.2025".
std::string FileStem(const std::string& path);

// `path` made absolute and lexically normal (where a set came from, whatever the working
// directory of its import); `path` itself when that fails.
std::string AbsolutePath(const std::string& path);

}  // namespace tidemark::importers
