// Typed access to the ATT&CK records in the store (`attack` database, key
// kind \0 attack-id \0 domain). An object present in several domains (a group in enterprise
// and mobile) is returned merged: lists are united, the first domain's scalars win.
// Stateless; the transactions it is given decide consistency.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/model/attack.h"
#include "engine/store/store.h"

namespace tidemark::store {

struct AttackReleaseInfo {
  std::string version;
  std::string modified;
};

// Where an ATT&CK ID leads in the loaded data — THE resolution policy, for techniques and
// threats alike (every importer, the graph and every view ask this, never their own copy):
//  - a live object answers as itself (kLive);
//  - a deprecated one answers as itself, flagged (kDeprecated);
//  - a revoked one resolves to the end of its revoked-by chain, whatever STIX type that end
//    is (malware S9000 -> tool S0508), keeping the ID asked for in `revoked_from`;
//  - a revoked one whose chain has no live end (no successor, a cycle, a successor missing
//    from the loaded data) is kRevoked: `id` is the ID asked for, and it is never scored;
//  - an ID not in the loaded data at all is kUnknown.
struct TechniqueResolution {
  enum class Kind { kLive, kDeprecated, kRevoked, kUnknown };
  Kind kind = Kind::kUnknown;
  std::string id;            // the end of the revoked-by chain, or the ID itself
  std::string revoked_from;  // the ID asked for when it was revoked
  // True for kLive and kDeprecated: the ID names an object that can be scored.
  bool usable() const { return kind == Kind::kLive || kind == Kind::kDeprecated; }
};
using AttackResolution = TechniqueResolution;

class AttackCatalog {
 public:
  // Stores an object. A technique's `used_by` list (up to hundreds of threat IDs) is kept in
  // its own record (key "technique-users" \0 id \0 domain), so the technique records that
  // every graph build decodes stay small; Find and ForEach return techniques without it.
  static void Put(WriteTxn& txn, const model::AttackObject& object);
  // The threats (G/C/S IDs) using a technique, over every domain, sorted.
  static std::vector<std::string> UsersOf(const ReadTxn& txn, std::string_view technique_id);
  // Deletes every record of `domain`.
  static void RemoveDomain(WriteTxn& txn, std::string_view domain);
  static void SetRelease(WriteTxn& txn, std::string_view domain, std::string_view version,
                         std::string_view modified);
  // domain -> release; empty when no ATT&CK data is loaded.
  static std::map<std::string, AttackReleaseInfo> Releases(const ReadTxn& txn);

  // The object of this kind and ID (merged over domains); nullopt when absent.
  static std::optional<model::AttackObject> Find(const ReadTxn& txn, model::AttackKind kind,
                                                 std::string_view id);
  // Every object of a kind, merged over domains, in ID order.
  static void ForEach(const ReadTxn& txn, model::AttackKind kind,
                      const std::function<void(const model::AttackObject&)>& fn);
  // The resolution policy above for a technique. `id` must already be normalised
  // (NormalizeTechniqueId).
  static TechniqueResolution ResolveTechnique(const ReadTxn& txn, std::string_view id);
  // The resolution policy above for a group, campaign or software ID (any case).
  static AttackResolution ResolveThreatId(const ReadTxn& txn, std::string_view id);
  // A group, campaign or software by ATT&CK ID (any case; revocations followed, deprecated
  // ones included), name or alias (case-insensitive, live or deprecated objects). nullopt when
  // nothing matches or a revoked ID has no successor (ResolveThreatId tells which).
  static std::optional<model::AttackObject> FindThreat(const ReadTxn& txn, std::string_view text);
};

}  // namespace tidemark::store
