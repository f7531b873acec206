// The list of incident readers and format auto-detection.
#include "importers/incidents/registry.h"

#include <fmt/format.h>

// Reader headers, one per format; each declares `std::unique_ptr<IncidentReader> Make<Name>Reader()`.
// ADD READER INCLUDES HERE (keep the order of the list below).
#include "importers/incidents/attack_flow_reader.h"
#include "importers/incidents/csv_reader.h"
#include "importers/incidents/defender_reader.h"
#include "importers/incidents/elastic_reader.h"
#include "importers/incidents/misp_reader.h"
#include "importers/incidents/native_reader.h"
#include "importers/incidents/ocsf_reader.h"
#include "importers/incidents/sentinel_reader.h"
#include "importers/incidents/splunk_reader.h"
#include "importers/incidents/stix_reader.h"
#include "importers/incidents/thehive_reader.h"

namespace tidemark::importers::incidents {

const std::vector<std::unique_ptr<IncidentReader>>& AllReaders() {
  static const std::vector<std::unique_ptr<IncidentReader>> readers = [] {
    std::vector<std::unique_ptr<IncidentReader>> list;
    // ADD READERS HERE, one line each: list.push_back(Make<Name>Reader());
    // The order is the order of `--format` names in messages; detection does not depend on
    // it (ties are an error, not a first-wins).
    list.push_back(MakeNativeReader());
    list.push_back(MakeDefenderReader());
    list.push_back(MakeSentinelReader());
    list.push_back(MakeElasticReader());
    list.push_back(MakeOcsfReader());
    list.push_back(MakeSplunkReader());
    list.push_back(MakeTheHiveReader());
    list.push_back(MakeStixReader());
    list.push_back(MakeMispReader());
    list.push_back(MakeAttackFlowReader());
    list.push_back(MakeCsvReader());
    return list;
  }();
  return readers;
}

const IncidentReader* FindReader(std::string_view name) {
  for (const auto& reader : AllReaders()) {
    if (reader->Name() == name) return reader.get();
  }
  return nullptr;
}

std::string ReaderNames() {
  std::string names;
  for (const auto& reader : AllReaders()) {
    if (!names.empty()) names += ", ";
    names += reader->Name();
  }
  return names;
}

Result<const IncidentReader*> DetectReader(const SourceFile& file) {
  const IncidentReader* best = nullptr;
  int best_score = 0;
  bool tied = false;
  for (const auto& reader : AllReaders()) {
    int score = reader->Detect(file);
    if (score > best_score) {
      best = reader.get();
      best_score = score;
      tied = false;
    } else if (score > 0 && score == best_score) {
      tied = true;
    }
  }
  if (best == nullptr || tied) {
    return Status::BadInput(fmt::format("cannot recognise format of {}; pass --format NAME (one of {})",
                                        file.path, ReaderNames()));
  }
  return best;
}

}  // namespace tidemark::importers::incidents
