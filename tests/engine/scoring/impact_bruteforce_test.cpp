// SPEC v2 §3 recomputed naively on random organisations: coverage from the definition (every
// factor multiplied again), each control's impact as R with impl(c, τ) = 1 minus R, joint
// impacts the same way, and gaps from their formula; the Scorer's O(reach) answers must match.
// ATT&CK: tests/data/scoring/mini-attack.json (T1100 with T1100.001, T1200, T1300, T1400,
// T1600; M1900 mitigates T1200 and T1300).
#include <doctest/doctest.h>

#include <filesystem>
#include <map>
#include <random>
#include <set>

#include "engine/scoring/scorer.h"
#include "engine/store/incident_catalog.h"
#include "engine/store/org_catalog.h"
#include "tests/test_support.h"

namespace tidemark::scoring {
namespace {

using model::ControlStatus;

const std::vector<std::string> kTechniques = {"T1100", "T1100.001", "T1200", "T1300", "T1400", "T1600"};

struct RandomOrg {
  struct Control {
    std::string id;
    bool implements_m1900 = false;
    std::map<std::string, double> protect;  // direct protect mappings
    std::vector<model::PostureRecord> posture;  // as_of order
  };
  struct Incident {
    std::string id;
    model::Classification classification = model::Classification::kTruePositive;
    std::optional<TimeMs> created, closed;
    std::map<std::string, bool> techniques;  // id -> blocked
    double weight = 1;                      // one asset of that weight
  };
  std::vector<Control> controls;
  std::vector<Incident> incidents;
};

TimeMs DayMs(int day) { return *ParseIsoTime("2026-01-01") + static_cast<TimeMs>(day) * 86'400'000; }

RandomOrg Generate(uint32_t seed) {
  std::mt19937 rng(seed);
  auto pick = [&](int n) { return static_cast<int>(rng() % static_cast<uint32_t>(n)); };
  const double strengths[] = {0.25, 0.5, 1.0, 0.7};
  const double impls[] = {0.0, 0.3, 0.5, 0.8, 1.0};
  RandomOrg org;
  int controls = 2 + pick(6);
  for (int c = 0; c < controls; ++c) {
    RandomOrg::Control control;
    control.id = "R-" + std::to_string(c);
    control.implements_m1900 = pick(4) == 0;
    int maps = pick(4);
    for (int m = 0; m < maps; ++m) {
      // T1100.001 never gets a direct mapping half the time, so the parent fallback is exercised.
      const std::string& t = kTechniques[static_cast<size_t>(pick(6))];
      if (t == "T1100.001" && seed % 2 == 0) continue;
      control.protect[t] = strengths[pick(4)];
    }
    int snapshots = pick(4);
    std::set<int> days;
    for (int s = 0; s < snapshots; ++s) days.insert(pick(60));
    for (int day : days) {
      model::PostureRecord r;
      r.control = control.id;
      r.as_of = DayMs(day);
      int status = pick(6);
      r.status = status == 0 ? ControlStatus::kRiskAccepted : status == 1 ? ControlStatus::kCompleted : ControlStatus::kToAddress;
      if (pick(2) == 0) r.implemented = impls[pick(5)];
      r.source = "random";
      control.posture.push_back(r);
    }
    org.controls.push_back(std::move(control));
  }
  int incidents = 1 + pick(10);
  for (int i = 0; i < incidents; ++i) {
    RandomOrg::Incident inc;
    inc.id = "X-" + std::to_string(i);
    inc.classification = pick(6) == 0 ? model::Classification::kFalsePositive : model::Classification::kTruePositive;
    int start = pick(70);
    if (pick(4) != 0) inc.created = DayMs(start);
    if (pick(3) != 0 || !inc.created) inc.closed = DayMs(start + pick(10));
    int techniques = 1 + pick(3);
    for (int t = 0; t < techniques; ++t) inc.techniques[kTechniques[static_cast<size_t>(pick(6))]] = pick(4) == 0;
    inc.weight = 1 + pick(3);
    org.incidents.push_back(std::move(inc));
  }
  return org;
}

// The naive model: every number straight from SPEC §3.
struct Naive {
  const RandomOrg& org;
  TimeMs tau;
  std::map<std::string, double> forced;  // control -> impl at τ overridden

  static double ImplAt(const RandomOrg::Control& c, TimeMs time) {
    double value = 0;
    for (const auto& r : c.posture) {
      if (r.as_of <= time) value = model::ImplementedFraction(r);
    }
    return value;
  }
  bool RiskAccepted(const RandomOrg::Control& c) const {
    const model::PostureRecord* last = nullptr;
    for (const auto& r : c.posture) {
      if (r.as_of <= tau) last = &r;
    }
    return last && last->status == ControlStatus::kRiskAccepted;
  }
  static std::optional<double> Strength(const RandomOrg::Control& c, const std::string& t) {
    std::optional<double> s;
    if (auto it = c.protect.find(t); it != c.protect.end()) s = it->second;
    if (c.implements_m1900 && (t == "T1200" || t == "T1300")) s = 1.0;
    return s;
  }
  // C(t) with the parent fallback: control index -> s.
  std::map<size_t, double> ControlsOf(const std::string& t) const {
    std::map<size_t, double> out;
    for (size_t k = 0; k < org.controls.size(); ++k) {
      if (auto s = Strength(org.controls[k], t)) out[k] = *s;
    }
    if (out.empty() && t == "T1100.001") return ControlsOf("T1100");
    return out;
  }
  bool Counts(const RandomOrg::Incident& i) const {
    if (i.classification == model::Classification::kFalsePositive) return false;
    auto time = i.closed ? i.closed : i.created;
    return time && *time <= tau;
  }
  double Coverage(const std::string& t) const {
    double product = 1;
    for (const auto& [k, s] : ControlsOf(t)) {
      const auto& c = org.controls[k];
      double beta = 0;
      for (const auto& i : org.incidents) {
        auto it = i.techniques.find(t);
        if (!Counts(i) || it == i.techniques.end() || it->second) continue;
        beta = std::max(beta, ImplAt(c, i.created ? *i.created : *i.closed));
      }
      auto f = forced.find(c.id);
      double impl = f != forced.end() ? f->second : ImplAt(c, tau);
      product *= 1 - s * std::max(0.0, impl - beta);
    }
    return 1 - product;
  }
  std::map<std::string, double> Weights() const {
    std::map<std::string, double> w;
    for (const auto& i : org.incidents) {
      if (!Counts(i)) continue;
      for (const auto& [t, blocked] : i.techniques) w.emplace(t, 1.0).first->second += i.weight;
    }
    return w;
  }
  std::optional<double> R() const {
    double total = 0, covered = 0;
    for (const auto& [t, w] : Weights()) {
      total += w;
      covered += w * Coverage(t);
    }
    if (total == 0) return std::nullopt;
    return 100 * covered / total;
  }
};

std::string WriteOrg(const std::string& template_dir, const RandomOrg& org, uint32_t seed) {
  std::string dir = testing::TempDir("random-" + std::to_string(seed));
  std::filesystem::remove_all(dir);
  std::filesystem::copy(template_dir, dir, std::filesystem::copy_options::recursive);
  auto store = store::Store::Open(dir);
  REQUIRE(store.ok());
  Status written = (*store)->Write([&](store::WriteTxn& txn) {
    for (const auto& c : org.controls) {
      model::Control control;
      control.id = c.id;
      control.title = c.id;
      if (c.implements_m1900) control.mitigations = {"M1900"};
      store::OrgCatalog::PutControl(txn, control);
      for (const auto& [t, s] : c.protect) {
        store::OrgCatalog::PutMapping(txn, model::Mapping{c.id, t, "", model::MappingType::kProtect, s, "random"});
      }
      for (const auto& r : c.posture) store::OrgCatalog::PutPosture(txn, r);
    }
    for (const auto& i : org.incidents) {
      model::Incident inc;
      inc.id = i.id;
      inc.source = "native";
      inc.classification = i.classification;
      inc.created = i.created;
      inc.closed = i.closed;
      inc.status = i.closed ? "closed" : "open";
      for (const auto& [t, blocked] : i.techniques) {
        inc.techniques.push_back({t, "", "", blocked ? model::TechniqueOutcome::kBlocked : model::TechniqueOutcome::kSucceeded});
      }
      inc.assets.push_back({"asset-" + i.id, "device", ""});
      store::OrgCatalog::PutAsset(txn, model::Asset{"asset-" + i.id, "device", "", i.weight});
      store::IncidentCatalog::Put(txn, inc);
    }
    return Status::Ok();
  });
  REQUIRE(written.ok());
  return dir;
}

}  // namespace

TEST_CASE("impacts, techniques raised, joint groups and gaps match a naive recomputation on random organisations") {
  std::string template_dir = testing::TempDir("random-attack");
  REQUIRE(testing::RunTidemark({"--store", template_dir, "-q", "import", "attack", testing::DataPath("scoring/mini-attack.json")})
              .exit_code == 0);
  size_t compared = 0;
  for (uint32_t seed = 1; seed <= 40; ++seed) {
    CAPTURE(seed);
    RandomOrg org = Generate(seed);
    std::string dir = WriteOrg(template_dir, org, seed);
    auto store = store::Store::Open(dir);
    REQUIRE(store.ok());
    auto txn = (*store)->Read();
    graph::DefenseGraph graph = graph::DefenseGraph::Build(txn);
    graph.LoadIncidents(txn);
    Scorer scorer(graph);
    for (int day : {20, 45, 80}) {
      CAPTURE(day);
      TimeMs tau = DayMs(day) + 86'400'000 - 1;
      Naive naive{org, tau, {}};
      Evaluation ev = scorer.Evaluate(*ResolveScope(graph, "all"), tau);
      auto r = naive.R();
      REQUIRE(ev.resilience.has_value() == r.has_value());
      if (!r) continue;
      CHECK(*ev.resilience == doctest::Approx(*r).epsilon(1e-9));
      for (const auto& row : ev.techniques) {
        CHECK(row.coverage == doctest::Approx(naive.Coverage(graph.props(row.technique).id)).epsilon(1e-9));
      }
      // Every control: impact and raised techniques by brute force.
      std::map<std::string, std::pair<double, std::vector<std::string>>> expected;
      for (const auto& c : org.controls) {
        if (naive.RiskAccepted(c)) continue;
        Naive raised{org, tau, {{c.id, 1.0}}};
        double impact = *raised.R() - *r;
        if (impact <= 1e-9) continue;
        std::vector<std::string> techniques;
        for (const auto& [t, w] : naive.Weights()) {
          if (raised.Coverage(t) > naive.Coverage(t) + 1e-12) techniques.push_back(t);
        }
        expected[c.id] = {impact, techniques};
      }
      REQUIRE(ev.recommendations.size() == expected.size());
      for (size_t k = 0; k < ev.recommendations.size(); ++k) {
        const auto& rec = ev.recommendations[k];
        const std::string& id = graph.props(rec.control).id;
        REQUIRE(expected.count(id));
        CHECK(rec.impact == doctest::Approx(expected[id].first).epsilon(1e-9));
        std::vector<std::string> techniques;
        for (auto t : rec.techniques) techniques.push_back(graph.props(t).id);
        CHECK(techniques == expected[id].second);
        if (k > 0) CHECK(ev.recommendations[k - 1].impact >= rec.impact - 1e-9);
        ++compared;
      }
      // The joint impact of every recommended control at once.
      if (ev.recommendations.size() > 1) {
        std::vector<graph::Vertex> all;
        Naive joint{org, tau, {}};
        for (const auto& rec : ev.recommendations) {
          all.push_back(rec.control);
          joint.forced[graph.props(rec.control).id] = 1.0;
        }
        CHECK(scorer.JointImpact(ev, all) == doctest::Approx(*joint.R() - *r).epsilon(1e-9));
      }
      // Gaps: M1900 when no control implements it.
      bool implemented = std::any_of(org.controls.begin(), org.controls.end(), [](const auto& c) { return c.implements_m1900; });
      double gap = 0, total = 0;
      for (const auto& [t, w] : naive.Weights()) {
        total += w;
        if (t == "T1200" || t == "T1300") gap += w * (1 - naive.Coverage(t));
      }
      gap = 100 * gap / total;
      if (implemented || gap <= 1e-9) {
        CHECK(ev.gaps.empty());
      } else {
        REQUIRE(ev.gaps.size() == 1);
        CHECK(ev.gaps[0].impact == doctest::Approx(gap).epsilon(1e-9));
      }
    }
  }
  CHECK(compared > 40);
}

}  // namespace tidemark::scoring
