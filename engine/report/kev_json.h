#pragma once

#include <string>

#include "engine/core/json.h"

namespace tidemark::report {

// A patch's CISA KEV facts as every JSON output writes them (a scope's `patches`, the feed's
// patch events): `kev` and `ransomware` booleans, `due_date` the catalog's date or null.
template <typename W>
void WriteKevFacts(W& w, bool kev, bool ransomware, const std::string& due_date) {
  w.Key("kev");
  w.Bool(kev);
  w.Key("ransomware");
  w.Bool(ransomware);
  w.Key("due_date");
  if (due_date.empty()) {
    w.Null();
  } else {
    WriteString(w, due_date);
  }
}

}  // namespace tidemark::report
