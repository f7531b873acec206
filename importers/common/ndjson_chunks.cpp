#include "importers/common/ndjson_chunks.h"

#include <sys/stat.h>

namespace tidemark::importers {

std::unique_ptr<NdjsonChunks> NdjsonChunks::Open(const std::string& path) {
  FILE* file = std::fopen(path.c_str(), "rb");
  if (file == nullptr) return nullptr;
  std::unique_ptr<NdjsonChunks> chunks(new NdjsonChunks(path, file));
  struct stat info;
  if (fstat(fileno(file), &info) != 0 || !S_ISREG(info.st_mode) ||
      static_cast<size_t>(info.st_size) <= kNdjsonChunkBytes) {
    return nullptr;
  }
  chunks->buffer_.resize(kNdjsonChunkBytes);
  chunks->buffer_.resize(std::fread(chunks->buffer_.data(), 1, kNdjsonChunkBytes, file));
  return chunks;
}

NdjsonChunks::~NdjsonChunks() { std::fclose(file_); }

Status NdjsonChunks::ForEachLine(const std::function<Status(std::string_view, size_t)>& fn) {
  size_t line_no = 0;
  bool at_end = false;
  while (true) {
    size_t start = 0;
    for (size_t end; (end = buffer_.find('\n', start)) != std::string::npos; start = end + 1) {
      TM_RETURN_IF_ERROR(fn(std::string_view(buffer_).substr(start, end - start), ++line_no));
    }
    if (at_end) {
      if (start < buffer_.size()) TM_RETURN_IF_ERROR(fn(std::string_view(buffer_).substr(start), ++line_no));
      return Status::Ok();
    }
    buffer_.erase(0, start);  // the unfinished line moves to the front
    size_t kept = buffer_.size();
    buffer_.resize(kept + kNdjsonChunkBytes);
    size_t got = std::fread(buffer_.data() + kept, 1, kNdjsonChunkBytes, file_);
    buffer_.resize(kept + got);
    if (got < kNdjsonChunkBytes) {
      if (std::ferror(file_)) return Status::BadInput(path_ + ": read error");
      at_end = true;
    }
  }
}

}  // namespace tidemark::importers
