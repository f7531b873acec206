// The one place store keys are built and taken apart. Layout rules:
//  - integers and times are 8-byte big-endian with the sign bit flipped, so byte order is
//    numeric order (incidents by time, feed events by seq, posture by date);
//  - composite keys join their text parts with a 0x00 byte (ids never contain NUL: importers
//    reject them), so "control\0" is a prefix that selects one control's rows;
//  - the first part of a key names what the rest means where one database holds several
//    kinds (the `attack` database: "technique\0T1059.001\0enterprise-attack").
// Databases and their keys (values are JSON, layout in engine/model/*.cpp ToJson):
//  meta               "schema_version" -> "N"; "attack_releases" -> JSON {domain: version}
//                     "mapping_sets" -> JSON {set name: {file, format, mitigation_links}}
//  attack             kind \0 attack-id \0 domain          -> model::AttackObject
//  controls           control-id                           -> model::Control
//  mappings           control \0 technique \0 type \0 source -> model::Mapping
//  posture            control \0 be64(as_of)               -> binary: u8 version=1 | u8 status
//                                                             (model::ControlStatus) | u8 has
//                                                             implemented | f64 implemented
//                                                             (host order) | source bytes
//  assets             asset-id                             -> model::Asset
//  incidents          incident-id                          -> model::Incident
//  incidents_by_time  be64(time) \0 incident-id            -> "" (time = closed, else created)
//  incident_facts     incident-id                          -> binary facts for scoring (below)
//  feed               be64(seq)                            -> feed event JSON
//  feed_state         key                                  -> last published state JSON (item keys,
//                     "scope" \0 kind \0 id, "patch" \0 patch key: feed_catalog.h)
//  cursors            consumer name                        -> be64(seq)
// Added by schema version 2 (created when a version-1 store opens, see store.cpp):
//  findings           asset-id \0 cve \0 software-key         -> finding JSON (a vulnerability
//                                                             found on an asset, SPEC v2 §1)
//  cve_mappings       cve \0 technique \0 mapping-type        -> CVE-to-ATT&CK mapping JSON
//  kev                cve                                  -> CISA KEV catalog facts JSON
//  run_state          scope key                            -> batch state JSON (for example
//                                                             the previous run's resilience)
// Added by schema version 3 (built from incident_facts when an older store opens):
//  evidence           technique-id                         -> binary evidence list (layout in
//                                                             evidence_index.h)
// Added by schema version 4 (built from findings when an older store opens):
//  finding_index      "asset" \0 asset-id; "strings"          -> binary finding facts per asset and
//                                                             their string table (finding_index.h)
// Added by schema version 6 (filled from incident_facts when an older store opens):
//  fact_terms         be32(number)                         -> a technique ID, asset id or threat
//                                                             named by incident facts (fact_terms.h)
// incident_facts values (version 1), what bulk scoring reads instead of parsing 100,000 JSON
// records: u8 version=1 | be64 created | be64 closed (INT64_MIN = none) | u8 classification |
// four lists (techniques, unknown techniques, asset ids, threats), each u16 count then per
// item u16 length + bytes. Version 2 (schema 2) appends a fifth list: the blocked techniques
// (SPEC §1 `outcome`); version 1 records read as all succeeded. Version 3 (schema 6; the
// migration rewrites every older record): u8 3 | the same times and classification | the same
// five lists, each a varint count then a varint term number per item (LEB128, u32), the terms in
// fact_terms. Written by IncidentCatalog::Put next to the JSON record (incident_facts.cpp).
// Pure functions; thread-safe.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

namespace tidemark::store {

std::string EncodeInt64(int64_t value);
int64_t DecodeInt64(std::string_view bytes);  // precondition: bytes.size() >= 8

// Parts joined by NUL bytes.
std::string JoinKey(std::initializer_list<std::string_view> parts);
// `JoinKey(parts) + '\0'`: selects every key that starts with these whole parts.
std::string KeyPrefix(std::initializer_list<std::string_view> parts);
std::vector<std::string_view> SplitKey(std::string_view key);

}  // namespace tidemark::store
