#include "importers/incidents/csv_reader.h"

#include <fmt/format.h>

#include <cctype>

#include "engine/core/ids.h"
#include "engine/core/json.h"
#include "importers/common/csv_table.h"
#include "importers/incidents/reader_util.h"

namespace tidemark::importers::incidents {
namespace {

constexpr const char* kColumns[] = {"id", "title", "source", "created", "closed", "status",
                                    "classification", "severity", "techniques", "assets", "threats"};

class CsvReader : public IncidentReader {
 public:
  std::string_view Name() const override { return "csv"; }

  int Detect(const SourceFile& file) const override {
    if (file.json != nullptr || StartsWithChar(file.text, '{') || StartsWithChar(file.text, '[')) return 0;
    std::string_view text = WithoutBom(file.text);
    std::string_view header = text.substr(0, text.find('\n'));
    auto table = ParseCsv(header, file.path, {DetectCsvDelimiter(header), /*require_utf8=*/false});
    if (!table.ok()) return 0;
    bool has_id = false;
    int known = 0;
    for (const auto& name : table->headers) {
      if (name == "id") has_id = true;
      for (const char* column : kColumns) known += name == column;
    }
    return has_id && known >= 2 ? 70 : 0;
  }

  Status Read(const SourceFile& file, ReadOutput& out) const override {
    // Cells are checked for UTF-8 one by one, so a bad row is rejected, not the whole file.
    auto table = ParseCsv(file.text, file.path, {DetectCsvDelimiter(WithoutBom(file.text)), /*require_utf8=*/false});
    if (!table.ok()) return table.status();
    const std::vector<std::string>& names = table->headers;
    if (std::find(names.begin(), names.end(), "id") == names.end()) {
      return Status::BadInput(file.path + ":1: the header has no \"id\" column");
    }
    for (const CsvRow& row : table->rows) {
      std::string where = fmt::format("{}:{}", file.path, row.line);
      SourceIncident source;
      source.where = where;
      std::string reason = ReadRow(*table, row, source);
      if (!reason.empty()) out.rejects.push_back({where, std::move(reason)});
      else out.incidents.push_back(std::move(source));
    }
    return Status::Ok();
  }

 private:
  static std::string ReadRow(const CsvTable& table, const CsvRow& row, SourceIncident& out) {
    if (auto problem = table.WidthProblem(row)) return *problem;
    const std::vector<std::string>& names = table.headers;
    model::Incident& inc = out.incident;
    inc.source = "csv";
    rapidjson::StringBuffer extra_buf;
    JsonWriter extra(extra_buf);
    extra.StartObject();
    bool any_extra = false;
    bool status_given = false;
    for (size_t col = 0; col < row.cells.size() && col < names.size(); ++col) {
      const std::string& name = names[col];
      std::string_view value = Trim(row.cells[col]);
      if (!IsValidUtf8(value)) return fmt::format("column \"{}\" is not valid UTF-8", name);
      if (name == "id") inc.id = value;
      else if (name == "title") inc.title = value;
      else if (name == "source") { if (!value.empty()) inc.source = value; }
      else if (name == "created" || name == "closed") {
        if (value.empty()) continue;
        rapidjson::Value text(rapidjson::StringRef(value.data(), static_cast<rapidjson::SizeType>(value.size())));
        auto time = AsTime(&text);
        if (!time) return fmt::format("column \"{}\" is not a time (ISO 8601 or epoch seconds/milliseconds)", name);
        (name == "created" ? inc.created : inc.closed) = time;
      } else if (name == "status") {
        std::string folded = FoldEnum(value);
        if (folded.empty()) continue;
        status_given = true;
        if (folded == "closed" || folded == "resolved") inc.status = "closed";
        else if (folded == "open" || folded == "new" || folded == "active" || folded == "inprogress") inc.status = "open";
        else return fmt::format("column \"status\": unknown value \"{}\" (open or closed)", value);
      } else if (name == "classification") {
        auto parsed = model::ParseClassification(value);
        if (!parsed) return fmt::format("column \"classification\": unknown value \"{}\"", value);
        inc.classification = *parsed;
      } else if (name == "severity") {
        inc.severity = NormalizeSeverity(value);
        if (inc.severity.empty() && !value.empty() && FoldEnum(value) != "unknown") {
          return fmt::format("column \"severity\": unknown value \"{}\"", value);
        }
      } else if (name == "techniques") {
        // `T1059.001`, `T1059.001:execution`, `T1059.001:blocked`, `T1059.001:execution:blocked`.
        for (const auto& item : SplitList(value)) {
          std::vector<std::string> parts;
          for (size_t start = 0;;) {
            size_t colon = item.find(':', start);
            parts.emplace_back(Trim(std::string_view(item).substr(start, colon == std::string::npos ? std::string::npos : colon - start)));
            if (colon == std::string::npos) break;
            start = colon + 1;
          }
          SourceTechnique technique{parts[0], "", model::TechniqueOutcome::kSucceeded};
          for (size_t idx = 1; idx < parts.size(); ++idx) {
            if (auto outcome = model::ParseTechniqueOutcome(parts[idx]); outcome && idx == parts.size() - 1) {
              technique.outcome = *outcome;
            } else if (idx == 1) {
              technique.tactic = parts[idx];
            } else {
              return fmt::format("column \"techniques\": \"{}\" is not TECHNIQUE[:TACTIC][:succeeded|blocked]", item);
            }
          }
          out.techniques.push_back(std::move(technique));
        }
      } else if (name == "assets") {
        for (const auto& item : SplitList(value)) {
          auto colon = item.find(':');
          std::string type = colon == std::string::npos ? "" : ToLower(Trim(item.substr(0, colon)));
          if (type == "device" || type == "user" || type == "mailbox" || type == "cloud-resource" || type == "other") {
            AddAsset(inc, type, Trim(item.substr(colon + 1)));
          } else {
            AddAsset(inc, "other", item);
          }
        }
      } else if (name == "threats") {
        for (auto& threat : SplitList(value)) inc.threats.push_back(std::move(threat));
      } else if (!value.empty() && !name.empty()) {
        extra.Key(name.c_str(), static_cast<rapidjson::SizeType>(name.size()));
        WriteString(extra, value);
        any_extra = true;
      }
    }
    extra.EndObject();
    if (inc.id.empty()) return "column \"id\" is empty";
    if (!status_given && inc.closed) inc.status = "closed";  // as native: a closing time means closed
    if (any_extra) inc.extra_json.assign(extra_buf.GetString(), extra_buf.GetSize());
    return "";
  }
};

}  // namespace

std::unique_ptr<IncidentReader> MakeCsvReader() { return std::make_unique<CsvReader>(); }

}  // namespace tidemark::importers::incidents
