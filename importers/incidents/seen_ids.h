// The incident ids met so far in one file and where each was first met, for the "duplicate id"
// reject (import.h). Ids and places sit back to back in one buffer, found through an
// open-addressing table: about 60 bytes per record where a map of strings took ~170 (issue 16:
// 1,000,000 incidents in 1 GB). Exports usually list ids in increasing order: while every id is
// after the previous one, each is new without a look-up, and the table is built only when one
// is not (1,000,000 incidents: 0.85 s of the preparing thread's ~6 s). Not thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace tidemark::importers::incidents {

class SeenIds {
 public:
  // `file`: the path every place of this file starts with ("FILE:LINE"), kept once.
  explicit SeenIds(std::string file) : file_(std::move(file)) {}

  // nullopt when `id` is new (it is remembered with `where`); else where it was first met.
  std::optional<std::string> Insert(std::string_view id, std::string_view where);

 private:
  void Grow();
  // Puts `entry` in the first free slot from `hash`'s (linear probing; slots_ has a free one).
  void Place(size_t hash, uint64_t entry);
  // The table of every id so far (built when the ids stop increasing).
  void BuildTable();
  // Remembers `id` and `where` at the end of bytes_.
  void Append(std::string_view id, std::string_view where);
  std::string_view IdAt(uint64_t offset) const;
  std::string file_;
  // Per id: u32 id length, u32 place length (the top bit set when the place starts with file_,
  // which is left out), the id, the place.
  std::string bytes_;
  // 0 = empty; else the top 16 bits of the id's hash and, below them, its offset in bytes_ + 1.
  // Empty while `ascending_`.
  std::vector<uint64_t> slots_;
  size_t count_ = 0;
  bool ascending_ = true;  // every id after the previous one (bytes order): slots_ not built
  uint64_t last_ = 0;      // offset of the last id in bytes_
};

}  // namespace tidemark::importers::incidents
