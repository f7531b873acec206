#include "engine/store/incident_facts.h"

#include <algorithm>
#include <limits>

#include "engine/store/key_codec.h"

namespace tidemark::store {
namespace {

// Version 2 appends a fifth list: the techniques every use of which was blocked (SPEC §1
// `outcome`). Version 1 records (schema-1 stores) read as all succeeded.
constexpr char kVersion = 2;
constexpr int64_t kNone = std::numeric_limits<int64_t>::min();

void PutU16(std::string& out, size_t value) {
  value = std::min<size_t>(value, 0xffff);
  out.push_back(static_cast<char>(value >> 8));
  out.push_back(static_cast<char>(value & 0xff));
}

template <typename Items, typename Get>
void PutList(std::string& out, const Items& items, Get get) {
  size_t count = std::min<size_t>(items.size(), 0xffff);
  PutU16(out, count);
  for (size_t idx = 0; idx < count; ++idx) {
    std::string_view value = get(items[idx]);
    value = value.substr(0, 0xffff);
    PutU16(out, value.size());
    out.append(value);
  }
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
  template <typename Fn>
  bool List(Fn add) {
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

 private:
  std::string_view bytes_;
  size_t pos_ = 0;
};

}  // namespace

std::string EncodeIncidentFacts(const model::Incident& inc) {
  std::string out;
  out.reserve(64 + inc.techniques.size() * 12 + inc.assets.size() * 24);
  out.push_back(kVersion);
  out += EncodeInt64(inc.created ? *inc.created : kNone);
  out += EncodeInt64(inc.closed ? *inc.closed : kNone);
  out.push_back(static_cast<char>(inc.classification));
  PutList(out, inc.techniques, [](const model::IncidentTechnique& t) -> std::string_view { return t.id; });
  PutList(out, inc.unknown_techniques, [](const std::string& s) -> std::string_view { return s; });
  PutList(out, inc.assets, [](const model::AssetRef& a) -> std::string_view { return a.id; });
  PutList(out, inc.threats, [](const std::string& s) -> std::string_view { return s; });
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
  PutList(out, blocked, [](std::string_view s) { return s; });
  return out;
}

bool DecodeIncidentFacts(std::string_view bytes, IncidentFactsView& out) {
  Reader reader(bytes);
  unsigned char version, classification;
  int64_t created, closed;
  if (!reader.Byte(version) || (version != 1 && version != kVersion) || !reader.I64(created) || !reader.I64(closed) ||
      !reader.Byte(classification) || classification > 3)
    return false;
  out.created = created == kNone ? std::nullopt : std::optional<TimeMs>(created);
  out.closed = closed == kNone ? std::nullopt : std::optional<TimeMs>(closed);
  out.classification = static_cast<model::Classification>(classification);
  for (auto* list : {&out.techniques, &out.unknown_techniques, &out.assets, &out.threats, &out.blocked}) list->clear();
  return reader.List([&](std::string_view s) { out.techniques.push_back(s); }) &&
         reader.List([&](std::string_view s) { out.unknown_techniques.push_back(s); }) &&
         reader.List([&](std::string_view s) { out.assets.push_back(s); }) &&
         reader.List([&](std::string_view s) { out.threats.push_back(s); }) &&
         (version == 1 || reader.List([&](std::string_view s) { out.blocked.push_back(s); }));
}

bool DecodeIncidentFacts(std::string_view bytes, model::Incident& out) {
  IncidentFactsView facts;
  if (!DecodeIncidentFacts(bytes, facts)) return false;
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

}  // namespace tidemark::store
