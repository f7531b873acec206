#include "engine/core/ids.h"

#include <array>
#include <cctype>

#include "engine/core/text.h"

namespace tidemark {
namespace {

bool AllDigits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (!std::isdigit(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

struct TacticName {
  const char* ta_id;
  const char* short_name;
};

// Every tactic of the enterprise, mobile and ICS matrices. Mobile and ICS reuse short
// names for their own TA-IDs, so several TA-IDs map onto one short name.
constexpr std::array<TacticName, 40> kTactics = {{
    {"TA0043", "reconnaissance"},       {"TA0042", "resource-development"},
    {"TA0001", "initial-access"},       {"TA0002", "execution"},
    {"TA0003", "persistence"},          {"TA0004", "privilege-escalation"},
    {"TA0005", "defense-evasion"},      {"TA0006", "credential-access"},
    {"TA0007", "discovery"},            {"TA0008", "lateral-movement"},
    {"TA0009", "collection"},           {"TA0011", "command-and-control"},
    {"TA0010", "exfiltration"},         {"TA0040", "impact"},
    {"TA0027", "initial-access"},       {"TA0041", "execution"},
    {"TA0028", "persistence"},          {"TA0029", "privilege-escalation"},
    {"TA0030", "defense-evasion"},      {"TA0031", "credential-access"},
    {"TA0032", "discovery"},            {"TA0033", "lateral-movement"},
    {"TA0035", "collection"},           {"TA0037", "command-and-control"},
    {"TA0036", "exfiltration"},         {"TA0034", "impact"},
    {"TA0038", "network-effects"},      {"TA0039", "remote-service-effects"},
    {"TA0108", "initial-access"},       {"TA0104", "execution"},
    {"TA0110", "persistence"},          {"TA0111", "privilege-escalation"},
    {"TA0103", "evasion"},              {"TA0102", "discovery"},
    {"TA0109", "lateral-movement"},     {"TA0100", "collection"},
    {"TA0101", "command-and-control"},  {"TA0107", "inhibit-response-function"},
    {"TA0106", "impair-process-control"}, {"TA0105", "impact"},
}};

}  // namespace

std::string ToLower(std::string_view text) {
  std::string out(text);
  // ASCII only, as std::tolower in the C locale, without a library call per byte.
  for (char& c : out) c = (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
  return out;
}

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t idx = 0; idx < a.size(); ++idx) {
    if (std::tolower(static_cast<unsigned char>(a[idx])) !=
        std::tolower(static_cast<unsigned char>(b[idx])))
      return false;
  }
  return true;
}

std::string FoldEnum(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    if (std::isalnum(static_cast<unsigned char>(c)))
      out.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  }
  return out;
}

std::optional<std::string> NormalizeTechniqueId(std::string_view text) {
  text = Trim(text);
  if (!text.empty() && (text.front() == 'T' || text.front() == 't')) text.remove_prefix(1);
  std::string_view base = text.substr(0, text.find('.'));
  if (base.size() != 4 || !AllDigits(base)) return std::nullopt;
  std::string out = "T" + std::string(base);
  if (text.size() > 4) {
    std::string_view sub = text.substr(5);
    if (text[4] != '.' || sub.size() != 3 || !AllDigits(sub)) return std::nullopt;
    out += "." + std::string(sub);
  }
  return out;
}

std::optional<std::string> JoinTechniqueId(std::string_view parent, std::string_view sub) {
  sub = Trim(sub);
  if (!sub.empty() && sub.front() == '.') sub.remove_prefix(1);
  auto base = NormalizeTechniqueId(parent);
  if (!base || base->size() != 5) return std::nullopt;
  if (sub.empty()) return base;
  return NormalizeTechniqueId(*base + "." + std::string(sub));
}

std::optional<std::string> ParentTechniqueId(std::string_view technique_id) {
  auto dot = technique_id.find('.');
  if (dot == std::string_view::npos) return std::nullopt;
  return std::string(technique_id.substr(0, dot));
}

bool IsForeignTechniqueId(std::string_view text) {
  text = Trim(text);
  return text.size() > 5 && EqualsIgnoreCase(text.substr(0, 5), "AML.T");
}

std::optional<std::string> NormalizeTactic(std::string_view text) {
  text = Trim(text);
  if (text.empty()) return std::nullopt;
  if (text.size() == 6 && EqualsIgnoreCase(text.substr(0, 2), "TA")) {
    std::string upper = "TA" + std::string(text.substr(2));
    for (const auto& tactic : kTactics) {
      if (upper == tactic.ta_id) return std::string(tactic.short_name);
    }
    return std::nullopt;
  }
  // Fold every spelling to letters only: "Command and Control", "CommandAndControl",
  // "command-and-control" and "command_and_control" all become "commandandcontrol".
  std::string folded = FoldEnum(text);
  for (const auto& tactic : kTactics) {
    if (FoldEnum(tactic.short_name) == folded) return std::string(tactic.short_name);
  }
  if (folded == "defenseevasion" || folded == "defenceevasion") return "defense-evasion";
  if (folded == "commandcontrol" || folded == "c2") return "command-and-control";
  return std::nullopt;
}

bool IsThreatIdShape(std::string_view text) {
  if (text.size() != 5) return false;
  char kind = static_cast<char>(std::toupper(static_cast<unsigned char>(text[0])));
  if (kind != 'G' && kind != 'C' && kind != 'S') return false;
  for (char c : text.substr(1)) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

}  // namespace tidemark
