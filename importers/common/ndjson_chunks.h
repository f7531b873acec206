// A large NDJSON file read a chunk at a time, so it is never in memory whole (issues 15, 16:
// 1,000,000 findings or incidents in bounded memory). Used by the findings and the incidents
// importers; what a line means is theirs. Not thread-safe (one reader).
#pragma once

#include <cstdio>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "engine/core/status.h"

namespace tidemark::importers {

// Files are read this much at a time; files no larger are read whole by the importers.
constexpr size_t kNdjsonChunkBytes = size_t{4} << 20;

class NdjsonChunks {
 public:
  // `path` opened with its first chunk read, when it is a regular file larger than one chunk;
  // nullptr otherwise (also when it cannot be opened: reading it whole reports why).
  static std::unique_ptr<NdjsonChunks> Open(const std::string& path);
  ~NdjsonChunks();
  NdjsonChunks(const NdjsonChunks&) = delete;
  NdjsonChunks& operator=(const NdjsonChunks&) = delete;

  // The first chunk, for recognising the format (valid until ForEachLine).
  std::string_view head() const { return buffer_; }

  // Calls fn(line, line_no) for every line without its '\n' (line_no from 1; the last line also
  // when the file does not end with '\n'), from the first chunk on; stops at the first non-ok
  // Status of fn and returns it. kBadInput "PATH: read error" when reading fails. Once only.
  Status ForEachLine(const std::function<Status(std::string_view line, size_t line_no)>& fn);

 private:
  NdjsonChunks(std::string path, FILE* file) : path_(std::move(path)), file_(file) {}
  std::string path_;
  FILE* file_;
  std::string buffer_;
};

}  // namespace tidemark::importers
