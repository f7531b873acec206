// Reads an ATT&CK STIX 2.1 bundle (enterprise, mobile or ics; any release from v15 on) into
// the records tidemark keeps (model::AttackObject), and writes one release into the store.
// A release replaces every record of its domain, so importing v18.1 over v16.1 upgrades in
// place. Not thread-safe; one bundle per call.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "engine/core/status.h"
#include "engine/model/attack.h"
#include "engine/store/store.h"

namespace tidemark::importers {

struct AttackRelease {
  std::string file;
  std::string domain;   // enterprise-attack, mobile-attack, ics-attack
  std::string version;  // collection x_mitre_version ("18.1"), or "unknown"
  std::string modified;
  std::vector<model::AttackObject> objects;
  std::map<std::string, size_t> counts;  // per kind name, live and dead together
  size_t relationships = 0;
  size_t skipped = 0;  // objects of types tidemark does not keep
};

// Parses `text` (the whole file; modified in place for speed). Fails with kBadInput naming
// `file` and the object index on: not JSON, not a bundle, an object without `id`/`type`, an
// ATT&CK object without its ATT&CK ID, a relationship whose source or target is not in the
// bundle.
Result<AttackRelease> ParseAttackBundle(std::string& text, const std::string& file);
// Reads the bundle at `path` and parses it as above; also fails with kBadInput when the file
// cannot be read. The fast path `tidemark import attack` takes (see README "Performance").
Result<AttackRelease> ReadAttackBundle(const std::string& path);

// Replaces the release's domain in the store and records its version in `meta`.
Status StoreAttackRelease(store::WriteTxn& txn, const AttackRelease& release);

}  // namespace tidemark::importers
