#include "importers/controls/secure_score_mapping.h"

#include <cstdlib>
#include <filesystem>
#include <system_error>
#include <vector>

namespace tidemark::importers {

std::optional<std::string> FindSecureScoreMapping() {
  namespace fs = std::filesystem;
  std::vector<fs::path> candidates;
  if (const char* dir = std::getenv("TIDEMARK_MAPPINGS_DIR"); dir && *dir) {
    candidates.push_back(fs::path(dir) / kSecureScoreMappingFile);
  }
  std::error_code error;
  fs::path exe = fs::read_symlink("/proc/self/exe", error);
  if (!error) {
    fs::path bin_dir = exe.parent_path();
    for (const char* relative : {"../mappings", "../../mappings", "../share/tidemark/mappings"}) {
      candidates.push_back(bin_dir / relative / kSecureScoreMappingFile);
    }
  }
  for (const auto& candidate : candidates) {
    if (fs::is_regular_file(candidate, error)) return fs::weakly_canonical(candidate, error).string();
  }
  return std::nullopt;
}

}  // namespace tidemark::importers
