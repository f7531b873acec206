// The files of one organisation import (mappings, assets, CVE knowledge), each read whole and
// parsed by its format's parser, with the rejects of every file collected for one decision
// (reject.h: --skip-invalid, --rejects). Stateless; thread-compatible.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "engine/core/json.h"
#include "engine/core/status.h"
#include "importers/common/reject.h"

namespace tidemark::importers {

// Each of `paths`, in order, read and parsed by `parse(text, path)`; every file's rejects (its
// `rejects` member) appended to `rejects`. The first file that cannot be read, or that `parse`
// fails, fails the whole call with that status.
template <typename File>
Result<std::vector<File>> ParseFiles(const std::vector<std::string>& paths,
                                     Result<File> (*parse)(std::string& text, const std::string& path),
                                     RejectList& rejects) {
  std::vector<File> files;
  for (const auto& path : paths) {
    auto text = ReadFile(path);
    if (!text.ok()) return text.status();
    auto parsed = parse(*text, path);
    if (!parsed.ok()) return parsed.status();
    for (const auto& reject : parsed->rejects.items) rejects.items.push_back(reject);
    files.push_back(std::move(parsed).value());
  }
  return files;
}

}  // namespace tidemark::importers
