// Fixtures shared by the engine tests that write records into a store directly (the batch run
// and patch run tests): one write transaction that must succeed, and a closed incident.
#pragma once

#include <doctest/doctest.h>

#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "engine/core/time_util.h"
#include "engine/model/incident.h"
#include "engine/store/store.h"

namespace tidemark::testing {

// Runs `fn` in one write transaction; the test stops when the transaction fails.
inline void WriteOrFail(store::Store& store, const std::function<void(store::WriteTxn&)>& fn) {
  REQUIRE(store.Write([&](store::WriteTxn& txn) {
                fn(txn);
                return Status::Ok();
              }).ok());
}

// A native incident closed on `closed` (and created on `created`, when given), with these
// techniques and threats.
inline model::Incident ClosedIncident(const char* id, model::Classification cls, const char* closed,
                                      std::vector<std::string> techniques, std::vector<std::string> threats,
                                      const char* created = nullptr) {
  model::Incident inc;
  inc.id = id;
  inc.title = std::string("incident ") + id;
  inc.source = "native";
  inc.classification = cls;
  inc.closed = *ParseIsoTime(closed);
  if (created) inc.created = *ParseIsoTime(created);
  inc.status = "closed";
  for (auto& t : techniques) inc.techniques.push_back({t, "", ""});
  inc.threats = std::move(threats);
  return inc;
}

}  // namespace tidemark::testing
