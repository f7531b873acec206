#include "engine/store/incident_facts.h"

#include <algorithm>
#include <array>
#include <limits>
#include <utility>

#include "engine/store/key_codec.h"

namespace tidemark::store {
namespace {

// Version 2 appends a fifth list: the techniques every use of which was blocked (SPEC §1
// `outcome`). Version 1 records (schema-1 stores) read as all succeeded. Version 3 (schema 6)
// holds term numbers instead of strings.
constexpr char kStringsVersion = 2;
constexpr char kVersion = 3;
constexpr int64_t kNone = std::numeric_limits<int64_t>::min();
constexpr size_t kMaxItems = 0xffff;  // every layout keeps at most this many items per list

void PutVarint(std::string& out, uint32_t value) {
  while (value >= 0x80) {
    out.push_back(static_cast<char>((value & 0x7f) | 0x80));
    value >>= 7;
  }
  out.push_back(static_cast<char>(value));
}

class Reader {
 public:
  explicit Reader(std::string_view bytes) : bytes_(bytes) {}
  bool U16(size_t& value) {
    if (pos_ + 2 > bytes_.size()) return false;
    value = (static_cast<unsigned char>(bytes_[pos_]) << 8) | static_cast<unsigned char>(bytes_[pos_ + 1]);
    pos_ += 2;
    return true;
  }
  bool I64(int64_t& value) {
    if (pos_ + 8 > bytes_.size()) return false;
    value = DecodeInt64(bytes_.substr(pos_, 8));
    pos_ += 8;
    return true;
  }
  bool Byte(unsigned char& value) {
    if (pos_ >= bytes_.size()) return false;
    value = static_cast<unsigned char>(bytes_[pos_++]);
    return true;
  }
  bool Varint(uint32_t& value) {
    value = 0;
    for (int shift = 0; shift < 35; shift += 7) {
      if (pos_ >= bytes_.size()) return false;
      auto byte = static_cast<unsigned char>(bytes_[pos_++]);
      value |= static_cast<uint32_t>(byte & 0x7f) << shift;
      if ((byte & 0x80) == 0) return true;
    }
    return false;
  }
  // A list of layouts 1 and 2: u16 count, then u16 length + bytes per item.
  template <typename Fn>
  bool StringList(Fn add) {
    size_t count;
    if (!U16(count)) return false;
    for (size_t idx = 0; idx < count; ++idx) {
      size_t len;
      if (!U16(len) || pos_ + len > bytes_.size()) return false;
      add(bytes_.substr(pos_, len));
      pos_ += len;
    }
    return true;
  }
  // A list of layout 3: varint count, then a varint term number per item.
  bool NumberList(std::vector<uint32_t>& out) {
    out.clear();
    uint32_t count;
    if (!Varint(count) || count > kMaxItems || count > bytes_.size() - pos_) return false;
    for (uint32_t idx = 0; idx < count; ++idx) {
      uint32_t number;
      if (!Varint(number)) return false;
      out.push_back(number);
    }
    return true;
  }
  bool AtEnd() const { return pos_ == bytes_.size(); }

 private:
  std::string_view bytes_;
  size_t pos_ = 0;
};

// The header every layout starts with; false when it is not one.
bool ReadHeader(Reader& reader, unsigned char& version, std::optional<TimeMs>& created_out,
                std::optional<TimeMs>& closed_out, model::Classification& classification_out) {
  unsigned char classification;
  int64_t created, closed;
  if (!reader.Byte(version) || version < 1 || version > kVersion || !reader.I64(created) || !reader.I64(closed) ||
      !reader.Byte(classification) || classification > 3)
    return false;
  created_out = created == kNone ? std::nullopt : std::optional<TimeMs>(created);
  closed_out = closed == kNone ? std::nullopt : std::optional<TimeMs>(closed);
  classification_out = static_cast<model::Classification>(classification);
  return true;
}

// The term a list item names: a technique's or an asset's ID, or the string itself.
std::string_view TermOf(const model::IncidentTechnique& technique) { return technique.id; }
std::string_view TermOf(const model::AssetRef& asset) { return asset.id; }
std::string_view TermOf(std::string_view term) { return term; }

// The one encoder of layout 3, from the five lists as strings; `number(term)` numbers a term.
template <typename Techniques, typename Unknown, typename Assets, typename Threats, typename Blocked, typename NumberFn>
std::string Encode(std::optional<TimeMs> created, std::optional<TimeMs> closed, model::Classification classification,
                   const Techniques& techniques, const Unknown& unknown, const Assets& assets,
                   const Threats& threats, const Blocked& blocked, NumberFn&& number) {
  std::string out;
  out.reserve(24 + 2 * (techniques.size() + unknown.size() + assets.size() + threats.size() + blocked.size()));
  out.push_back(kVersion);
  out += EncodeInt64(created ? *created : kNone);
  out += EncodeInt64(closed ? *closed : kNone);
  out.push_back(static_cast<char>(classification));
  auto put_list = [&](const auto& items) {
    size_t count = std::min(items.size(), kMaxItems);
    PutVarint(out, static_cast<uint32_t>(count));
    for (size_t idx = 0; idx < count; ++idx) PutVarint(out, number(TermOf(items[idx])));
  };
  put_list(techniques);
  put_list(unknown);
  put_list(assets);
  put_list(threats);
  put_list(blocked);
  return out;
}

}  // namespace

namespace {

template <typename NumberFn>
std::string EncodeIncident(const model::Incident& inc, NumberFn&& number) {
  // Only IDs whose every use was blocked (SPEC §3: any succeeded use wins); normalised records
  // name each ID once, records built by hand may not.
  std::vector<std::string_view> blocked;
  for (const auto& t : inc.techniques) {
    if (t.outcome != model::TechniqueOutcome::kBlocked) continue;
    bool succeeded = std::any_of(inc.techniques.begin(), inc.techniques.end(), [&](const model::IncidentTechnique& u) {
      return u.id == t.id && u.outcome != model::TechniqueOutcome::kBlocked;
    });
    if (!succeeded && std::find(blocked.begin(), blocked.end(), t.id) == blocked.end()) blocked.push_back(t.id);
  }
  return Encode(inc.created, inc.closed, inc.classification, inc.techniques, inc.unknown_techniques, inc.assets,
                inc.threats, blocked, number);
}

}  // namespace

std::string EncodeIncidentFacts(const model::Incident& inc, WriteTxn& txn, FactTerms& terms) {
  return EncodeIncident(inc, [&](std::string_view term) { return terms.Number(txn, term); });
}

std::string EncodeIncidentFactsAhead(const model::Incident& inc, const ReadTxn& txn, FactTerms& terms) {
  return EncodeIncident(inc, [&](std::string_view term) { return terms.NumberAhead(txn, term); });
}

bool DecodeIncidentFactNumbers(std::string_view bytes, IncidentFactNumbers& out) {
  Reader reader(bytes);
  unsigned char version;
  if (!ReadHeader(reader, version, out.created, out.closed, out.classification) || version != kVersion) return false;
  return reader.NumberList(out.techniques) && reader.NumberList(out.unknown_techniques) &&
         reader.NumberList(out.assets) && reader.NumberList(out.threats) && reader.NumberList(out.blocked) &&
         reader.AtEnd();
}

bool DecodeIncidentFacts(std::string_view bytes, const ReadTxn& txn, FactTerms& terms, IncidentFactsView& out) {
  Reader reader(bytes);
  unsigned char version;
  if (!ReadHeader(reader, version, out.created, out.closed, out.classification)) return false;
  std::array<std::vector<std::string_view>*, 5> lists = {&out.techniques, &out.unknown_techniques, &out.assets,
                                                         &out.threats, &out.blocked};
  for (auto* list : lists) list->clear();
  if (version == kVersion) {
    IncidentFactNumbers numbers;
    if (!DecodeIncidentFactNumbers(bytes, numbers)) return false;
    std::array<const std::vector<uint32_t>*, 5> from = {&numbers.techniques, &numbers.unknown_techniques,
                                                        &numbers.assets, &numbers.threats, &numbers.blocked};
    for (size_t idx = 0; idx < lists.size(); ++idx) {
      for (uint32_t number : *from[idx]) lists[idx]->push_back(terms.Term(txn, number));
    }
    return true;
  }
  for (size_t idx = 0; idx < lists.size(); ++idx) {
    if (idx == 4 && version == 1) break;  // layout 1 has no blocked list
    if (!reader.StringList([&](std::string_view s) { lists[idx]->push_back(s); })) return false;
  }
  return true;
}

bool DecodeIncidentFacts(std::string_view bytes, const ReadTxn& txn, FactTerms& terms, model::Incident& out) {
  IncidentFactsView facts;
  if (!DecodeIncidentFacts(bytes, txn, terms, facts)) return false;
  out.created = facts.created;
  out.closed = facts.closed;
  out.status = out.closed ? "closed" : "open";
  out.classification = facts.classification;
  for (auto id : facts.techniques) {
    bool blocked = std::find(facts.blocked.begin(), facts.blocked.end(), id) != facts.blocked.end();
    out.techniques.push_back({std::string(id), "", "",
                              blocked ? model::TechniqueOutcome::kBlocked : model::TechniqueOutcome::kSucceeded});
  }
  for (auto id : facts.unknown_techniques) out.unknown_techniques.emplace_back(id);
  for (auto id : facts.assets) out.assets.push_back({std::string(id), "", ""});
  for (auto id : facts.threats) out.threats.emplace_back(id);
  return true;
}

void RenumberIncidentFacts(WriteTxn& txn) {
  // In batches: the records of a batch are copied out of the store before any is rewritten (a
  // cursor must not walk a database while it is written, and views into dirty pages may move).
  constexpr size_t kBatch = size_t{1} << 16;
  FactTerms terms;
  IncidentFactsView facts;
  std::vector<std::pair<std::string, std::string>> batch;
  std::string start;
  for (bool more = true; more;) {
    batch.clear();
    more = false;
    txn.ForEachFrom(Db::kIncidentFacts, start, [&](std::string_view key, std::string_view value) {
      if (batch.size() == kBatch) {
        more = true;
        return false;
      }
      batch.emplace_back(std::string(key), std::string(value));
      return true;
    });
    for (const auto& [key, value] : batch) {
      if (!DecodeIncidentFacts(value, txn, terms, facts)) throw StoreFailure("corrupt incident facts for " + key);
      std::string renumbered = Encode(facts.created, facts.closed, facts.classification, facts.techniques,
                                      facts.unknown_techniques, facts.assets, facts.threats, facts.blocked,
                                      [&](std::string_view term) { return terms.Number(txn, term); });
      txn.Put(Db::kIncidentFacts, key, renumbered);
    }
    if (more) start = batch.back().first + '\0';
  }
}

}  // namespace tidemark::store
