#include "importers/common/reject.h"

#include <filesystem>

#include "engine/core/terminal_text.h"

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
  constexpr size_t kShown = 60;
  if (text.size() <= kShown) return "\"" + NeutralizeText(text) + "\"";
  size_t cut = kShown;
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
  return "\"" + NeutralizeText(text.substr(0, cut)) + "...\"";
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

std::string AbsolutePath(const std::string& path) {
  std::error_code ec;
  auto absolute = std::filesystem::absolute(path, ec);
  return ec ? path : absolute.lexically_normal().string();
}

}  // namespace tidemark::importers
