// Views of the posture score (SPEC v2 §3 "Posture score", §4 `tidemark score`): the score at τ
// with its groups as JSON (stable field names, documented in docs/posture-score.md) or an
// aligned table, and its history as JSON, CSV or an SVG chart. Stateless functions over
// scoring::PostureScore values; thread-safe.
#pragma once

#include <string>
#include <vector>

#include "engine/scoring/posture_score.h"

namespace tidemark::report {

// {"as_of", "score", "achieved", "achievable", "controls", "completed", "excluded", "by", "groups"}.
std::string ScoreJson(const scoring::PostureScore& score);
std::string ScoreText(const scoring::PostureScore& score);

// {"points": [{"date", "score", "achieved", "achievable", "controls", "completed"}]}.
std::string ScoreHistoryJson(const std::vector<scoring::PostureScorePoint>& points);
// date,score,achieved,achievable,controls,completed (score empty when null).
std::string ScoreHistoryCsv(const std::vector<scoring::PostureScorePoint>& points);
std::string ScoreHistoryText(const std::vector<scoring::PostureScorePoint>& points);
std::string ScoreHistorySvg(const std::vector<scoring::PostureScorePoint>& points);

// "58 of 80" with up to 4 decimals and no trailing zeros.
std::string PointsText(double achieved, double achievable);

}  // namespace tidemark::report
