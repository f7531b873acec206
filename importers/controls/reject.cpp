#include "importers/controls/reject.h"

#include <cstdio>

namespace tidemark::importers {

std::optional<std::string> IdProblem(std::string_view id) {
  if (id.empty()) return "is empty";
  if (id.size() > kMaxIdLength) return "is longer than " + std::to_string(kMaxIdLength) + " bytes";
  for (char c : id) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7F) return "contains control characters";
  }
  return std::nullopt;
}

std::string Quote(std::string_view text) {
  std::string out = "\"";
  size_t shown = 0;
  for (char c : text) {
    if (++shown > 60) {
      out += "...";
      break;
    }
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7F) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\x%02x", static_cast<unsigned char>(c));
      out += buf;
    } else {
      out.push_back(c);
    }
  }
  return out + "\"";
}

Status RejectsAsError(const RejectList& rejects, bool skip_invalid) {
  if (rejects.empty() || skip_invalid) return Status::Ok();
  std::string message = rejects.items.front().Message();
  if (rejects.items.size() > 1) {
    message += " (and " + std::to_string(rejects.items.size() - 1) + " more invalid records)";
  }
  return Status::BadInput(message + "; nothing was imported (fix the file, or use --skip-invalid)");
}

std::string FileStem(const std::string& path) {
  size_t slash = path.find_last_of('/');
  std::string name = slash == std::string::npos ? path : path.substr(slash + 1);
  size_t dot = name.find_last_of('.');
  if (dot != std::string::npos && dot > 0) name.resize(dot);
  return name;
}

}  // namespace tidemark::importers
