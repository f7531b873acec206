#include "engine/report/jira_assignees.h"

#include "engine/core/json.h"

namespace tidemark::report {

Result<JiraAssignees> JiraAssignees::Load(const std::string& path) {
  auto text = ReadFile(path);
  if (!text.ok()) return text.status();
  return Parse(std::move(*text), path);
}

Result<JiraAssignees> JiraAssignees::Parse(std::string text, const std::string& where) {
  rapidjson::Document doc;
  TM_RETURN_IF_ERROR(ParseJson(text, doc, where));
  if (!doc.IsObject()) {
    return Status::BadInput(where + ": must be a JSON object {\"owner\": \"Jira account ID\", ...}");
  }
  JiraAssignees out;
  for (const auto& member : doc.GetObject()) {
    std::string owner(member.name.GetString(), member.name.GetStringLength());
    if (owner.empty()) return Status::BadInput(where + ": an owner name is empty");
    if (!member.value.IsString() || member.value.GetStringLength() == 0) {
      return Status::BadInput(where + ": owner \"" + owner + "\": the value must be a Jira account ID (a non-empty string)");
    }
    out.accounts_[owner] = std::string(member.value.GetString(), member.value.GetStringLength());
  }
  return out;
}

std::optional<std::string_view> JiraAssignees::AccountOf(std::string_view owner) const {
  auto it = accounts_.find(owner);
  if (it == accounts_.end()) return std::nullopt;
  return it->second;
}

std::string OwnerLabel(std::string_view owner) {
  std::string slug;
  bool dash = false;
  for (unsigned char c : owner) {
    bool alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    if (!alnum) {
      dash = !slug.empty();
      continue;
    }
    if (dash) slug.push_back('-');
    dash = false;
    slug.push_back(static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c));
  }
  return "owner-" + (slug.empty() ? std::string("unnamed") : slug);
}

}  // namespace tidemark::report
