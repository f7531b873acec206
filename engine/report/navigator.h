// ATT&CK Navigator layers (layer format 4.5) of an evaluated scope: one entry per scope
// technique and tactic, scored by coverage × 100, coloured by status (or left to the
// gradient), commented with the controls that reach it; or (kVulnerabilityShare) scored by the
// vulnerability share × 100 (SPEC v2 §3 vshare) on a white-to-red gradient, commented with the
// vulnerable assets. Pure function; thread-safe.
#pragma once

#include <string>

#include "engine/scoring/scorer.h"

namespace tidemark::report {

enum class LayerColor { kStatus, kCoverage, kVulnerabilityShare };

// The layer's domain: the one most of the scope's techniques belong to.
std::string LayerDomain(const graph::DefenseGraph& graph, const scoring::Evaluation& ev);

// `attack_version`: the loaded release of the layer's domain ("18.1"). kVulnerabilityShare needs
// `ev` filled by VulnerabilityExposure::Fill (a row without a share scores 0).
std::string NavigatorLayer(const graph::DefenseGraph& graph, const scoring::Evaluation& ev,
                           const std::string& attack_version, LayerColor color);

// The colour of a technique status in layers and reports.
std::string_view StatusColor(std::string_view status);

}  // namespace tidemark::report
