// The term table of the incident facts (database `fact_terms`, schema version 6): every
// technique ID, asset id and threat name the facts of layout 3 mention, numbered 0, 1, 2, ... in
// the order they were first written. A facts record holds these numbers instead of the strings,
// so a bulk load resolves each distinct term once (10,050 assets among 2,000,000 references at
// 1,000,000 incidents) and then indexes a vector, instead of hashing and comparing every string
// (a quarter of `threat all`, measured with perf).
//
// Stored as be32(number) -> the term's bytes (at most 0xffff, as facts always truncated them).
// Only that direction is stored: terms are not bounded by LMDB's 511-byte keys. A FactTerms
// reads the whole table the first time it is asked (a few thousand terms; one scan), and a
// writer appends new terms to it and to the store.
//
// One FactTerms per transaction (numbers written by an aborted transaction are forgotten with
// it): IncidentCatalog's writers hold it in their EvidenceIndex::Writer. Views returned by Term
// live as long as the FactTerms. Thread-compatible.
//
// Numbering ahead (issue 16): an import encodes facts on its preparing thread, from a read
// transaction of the snapshot its write transaction started from, with a FactTerms of its own
// (NumberAhead). Records reach the writing thread in the order they were encoded, each with the
// terms it numbered first (TakeAdded), which the writer's FactTerms then numbers (Number) before
// storing the record: the same numbers, in the same order, as numbering on the writing thread.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "engine/core/arena.h"
#include "engine/core/string_index.h"
#include "engine/store/store.h"

namespace tidemark::store {

class FactTerms {
 public:
  // The term numbered `number`; throws StoreFailure when the table has no such number.
  std::string_view Term(const ReadTxn& txn, uint32_t number);
  // The number of `term` (truncated to 0xffff bytes), adding it to the table when new.
  uint32_t Number(WriteTxn& txn, std::string_view term);
  // The number Number would give `term` in a write transaction started from `txn`'s snapshot,
  // without writing it: a new term is kept for TakeAdded.
  uint32_t NumberAhead(const ReadTxn& txn, std::string_view term);
  // The terms NumberAhead numbered since the last call, in number order (the first is
  // numbered size() - result.size()).
  std::vector<std::string> TakeAdded();
  // How many terms the table holds (after reading it).
  size_t size(const ReadTxn& txn) {
    Load(txn);
    return terms_.size();
  }

 private:
  void Load(const ReadTxn& txn);
  // The number of `term` (already truncated) and whether it is new (then numbered last).
  std::pair<uint32_t, bool> Find(const ReadTxn& txn, std::string_view term);
  bool loaded_ = false;
  std::vector<std::string_view> terms_;  // by number, views into arena_
  // term -> number (a flat table: the preparing thread of an import of 1,000,000 incidents
  // looks up ~8 million terms), built on the first Number call
  StringIndex numbers_;
  size_t numbered_ = 0;                  // terms_[0, numbered_) are in numbers_
  size_t added_from_ = 0;                // NumberAhead: terms_[added_from_, ...) not taken yet
  Arena arena_;
};

}  // namespace tidemark::store
