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
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "engine/core/arena.h"
#include "engine/core/string_map.h"
#include "engine/store/store.h"

namespace tidemark::store {

class FactTerms {
 public:
  // The term numbered `number`; throws StoreFailure when the table has no such number.
  std::string_view Term(const ReadTxn& txn, uint32_t number);
  // The number of `term` (truncated to 0xffff bytes), adding it to the table when new.
  uint32_t Number(WriteTxn& txn, std::string_view term);
  // How many terms the table holds (after reading it).
  size_t size(const ReadTxn& txn) {
    Load(txn);
    return terms_.size();
  }

 private:
  void Load(const ReadTxn& txn);
  bool loaded_ = false;
  std::vector<std::string_view> terms_;  // by number, views into arena_
  StringMap<uint32_t> numbers_;          // term -> number, built on the first Number call
  size_t numbered_ = 0;                  // terms_[0, numbered_) are in numbers_
  Arena arena_;
};

}  // namespace tidemark::store
