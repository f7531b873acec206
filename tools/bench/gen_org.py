#!/usr/bin/env python3
"""Generates a large synthetic organisation for the scoring benchmarks (deterministic):
a catalog of N controls (tidemark native JSON), each implementing 1-2 live ATT&CK mitigations
and mapping 1-3 live techniques directly, and D daily posture snapshots (one native JSON file
per day) naming every control with a drifting implemented fraction.

usage: gen_org.py OUT_DIR [--controls 500] [--days 365] [--bundle mitre-data/cache/enterprise-attack.json]
                  [--mitigations-per K] [--techniques-per K]

--mitigations-per / --techniques-per fix each control's mitigations and direct mappings to K
(the issue-16 scale shape: 2 mitigations and 8 techniques per control); without them each
control gets 1-2 and 1-3.
"""
import argparse
import datetime
import json
import os
import random


def live_ids(bundle_path):
    with open(bundle_path) as f:
        objects = json.load(f)["objects"]
    techniques, mitigations = [], []
    for o in objects:
        if o.get("revoked") or o.get("x_mitre_deprecated"):
            continue
        ext = [r["external_id"] for r in o.get("external_references", []) if r.get("source_name") == "mitre-attack"]
        if not ext:
            continue
        if o["type"] == "attack-pattern":
            techniques.append(ext[0])
        elif o["type"] == "course-of-action" and ext[0].startswith("M"):
            mitigations.append(ext[0])
    return sorted(techniques), sorted(mitigations)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("out")
    parser.add_argument("--controls", type=int, default=500)
    parser.add_argument("--days", type=int, default=365)
    parser.add_argument("--bundle", default="mitre-data/cache/enterprise-attack.json")
    parser.add_argument("--mitigations-per", type=int, default=0)
    parser.add_argument("--techniques-per", type=int, default=0)
    args = parser.parse_args()
    rng = random.Random(20260301)
    techniques, mitigations = live_ids(args.bundle)
    os.makedirs(os.path.join(args.out, "posture"), exist_ok=True)
    products = ["Entra ID", "Defender for Endpoint", "Defender for Office 365", "Exchange Online", "Firewall", "Backup"]
    categories = ["Identity", "Device", "Apps", "Data", "Infrastructure"]
    controls = []
    for idx in range(args.controls):
        controls.append({
            "id": f"CTL-{idx:04d}",
            "title": f"Synthetic control {idx}",
            "product": products[idx % len(products)],
            "category": categories[idx % len(categories)],
            "license": ["E3", "E5", "P1", ""][idx % 4],
            "remediation_type": ["configuration", "software", "firmware", "process"][idx % 4],
            "max_points": 10,
            "mitigations": rng.sample(mitigations, args.mitigations_per or rng.randint(1, 2)),
            "techniques": [{"id": t, "type": "protect", "strength": rng.choice(["minimal", "partial", "significant"])}
                           for t in rng.sample(techniques, args.techniques_per or rng.randint(1, 3))],
        })
    with open(os.path.join(args.out, "catalog.json"), "w") as f:
        json.dump({"controls": controls}, f)
    start = datetime.date(2025, 3, 16)
    level = [rng.random() * 0.5 for _ in controls]
    statuses = ["to-address", "planned", "completed", "risk-accepted", "third-party"]
    for day in range(args.days):
        date = start + datetime.timedelta(days=day)
        rows = []
        for idx, control in enumerate(controls):
            level[idx] = min(1.0, max(0.0, level[idx] + rng.uniform(-0.01, 0.02)))
            status = statuses[0] if level[idx] < 0.95 else "completed"
            if idx % 97 == 0:
                status = "risk-accepted"
            rows.append({"id": control["id"], "status": status, "implemented": round(level[idx], 3)})
        with open(os.path.join(args.out, "posture", f"{date.isoformat()}.json"), "w") as f:
            json.dump({"as_of": date.isoformat(), "controls": rows}, f)


if __name__ == "__main__":
    main()
