#include "engine/store/fact_terms.h"

#include <string>

namespace tidemark::store {
namespace {

constexpr size_t kMaxTermBytes = 0xffff;

std::string NumberKey(uint32_t number) {
  std::string key(4, '\0');
  for (int i = 0; i < 4; ++i) key[i] = static_cast<char>((number >> (24 - 8 * i)) & 0xff);
  return key;
}

uint32_t KeyNumber(std::string_view key) {
  if (key.size() != 4) throw StoreFailure("store: fact_terms key of " + std::to_string(key.size()) + " bytes");
  uint32_t number = 0;
  for (char c : key) number = (number << 8) | static_cast<unsigned char>(c);
  return number;
}

}  // namespace

void FactTerms::Load(const ReadTxn& txn) {
  if (loaded_) return;
  loaded_ = true;
  txn.ForEach(Db::kFactTerms, "", [&](std::string_view key, std::string_view value) {
    // Numbers are dense and keys in number order: the n-th entry is number n.
    if (KeyNumber(key) != terms_.size()) throw StoreFailure("store: fact_terms numbers are not dense");
    terms_.push_back(arena_.Copy(value));
    return true;
  });
  added_from_ = terms_.size();  // the stored terms are not new
}

std::string_view FactTerms::Term(const ReadTxn& txn, uint32_t number) {
  Load(txn);
  if (number >= terms_.size()) throw StoreFailure("store: incident facts name term " + std::to_string(number) +
                                                  ", which fact_terms lacks");
  return terms_[number];
}

std::pair<uint32_t, bool> FactTerms::Find(const ReadTxn& txn, std::string_view term) {
  Load(txn);
  if (numbered_ < terms_.size()) {
    for (; numbered_ < terms_.size(); ++numbered_) {
      if (!numbers_.Intern(terms_[numbered_]).second) throw StoreFailure("store: fact_terms holds a term twice");
    }
  }
  // The index's numbers are the table's: both count the distinct terms in the same order.
  auto [number, added] = numbers_.Intern(term);
  if (added) {
    terms_.push_back(arena_.Copy(term));
    ++numbered_;
  }
  return {number, added};
}

uint32_t FactTerms::Number(WriteTxn& txn, std::string_view term) {
  term = term.substr(0, kMaxTermBytes);
  auto [number, added] = Find(txn, term);
  if (added) {
    // Numbers grow, so each new key sorts last: an append, no B-tree search.
    std::string key = NumberKey(number);
    if (!txn.Append(Db::kFactTerms, key, term)) txn.Put(Db::kFactTerms, key, term);
  }
  return number;
}

uint32_t FactTerms::NumberAhead(const ReadTxn& txn, std::string_view term) {
  return Find(txn, term.substr(0, kMaxTermBytes)).first;
}

std::vector<std::string> FactTerms::TakeAdded() {
  std::vector<std::string> added;
  for (; added_from_ < terms_.size(); ++added_from_) added.emplace_back(terms_[added_from_]);
  return added;
}

}  // namespace tidemark::store
