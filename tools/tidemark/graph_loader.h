// Opening the store and building the defence graph the way the scope commands need it.
#pragma once

#include <memory>
#include <string_view>

#include "engine/graph/defense_graph.h"
#include "tools/tidemark/command.h"

namespace tidemark::cli {

enum class IncidentLoad { kNone, kAll };

// Which posture records a command needs: every record (history, reports) or only the one in
// force at --as-of for each control (every view evaluated at one τ: 500 seeks instead of
// decoding 365 snapshots × 500 controls).
enum class PostureLoad { kAll, kAtAsOf };

// Builds the graph from one read snapshot; with kAll every stored incident is added.
// `with_threats` = false skips ATT&CK threat profiles (enough for the `all` scope).
Result<std::unique_ptr<graph::DefenseGraph>> LoadGraph(Context& ctx, IncidentLoad incidents,
                                                       bool with_threats = true,
                                                       PostureLoad posture = PostureLoad::kAtAsOf);

// Lets a graph outlive the command: the process exits right after, and freeing a graph of
// 100,000 incidents piece by piece costs ~10% of `threat all`. Under AddressSanitizer the
// graph is freed normally so LeakSanitizer stays meaningful.
void ReleaseAtExit(std::unique_ptr<graph::DefenseGraph> graph);

}  // namespace tidemark::cli
