// Who a Jira ticket is assigned to (docs/feed-and-tickets.md "Owners"): Jira Cloud assigns by
// account ID, which tidemark cannot know, so `feed --format jira --assignees FILE` reads a
// mapping from a control's owner (SPEC v2 §1 `owner`) to a Jira account ID:
//   {"secops-endpoint": "5b10ac8d82e05b22cc7d4ef5", "Identity Team": "712020:..."}
// Owners are matched exactly (as stored on the control). An owner without an entry gets the
// label `owner-<slug>` instead (OwnerLabel). Immutable once loaded; thread-safe.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "engine/core/status.h"

namespace tidemark::report {

class JiraAssignees {
 public:
  JiraAssignees() = default;
  // BadInput naming the file, and the owner and field at fault: not a JSON object, a value that
  // is not a non-empty string, an empty owner.
  static Result<JiraAssignees> Load(const std::string& path);
  static Result<JiraAssignees> Parse(std::string text, const std::string& where);

  // The account ID for `owner`, or nullopt when the file does not name it.
  std::optional<std::string_view> AccountOf(std::string_view owner) const;
  size_t size() const { return accounts_.size(); }

 private:
  std::map<std::string, std::string, std::less<>> accounts_;
};

// "owner-" and the owner lower-cased, every run of characters other than ASCII letters and
// digits turned into one '-', no leading or trailing '-' ("Identity Team" -> owner-identity-team;
// Jira labels hold no spaces). An owner with no letter or digit gives "owner-unnamed".
std::string OwnerLabel(std::string_view owner);

}  // namespace tidemark::report
