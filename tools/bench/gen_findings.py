#!/usr/bin/env python3
"""Deterministic generator of native tidemark vulnerability findings (NDJSON) for the SPEC §7
version 2 benchmark, and the matching asset inventory.

Usage: gen_findings.py ASSETS PER_ASSET OUT.ndjson INVENTORY.json [--seed S]

Each asset (host-00000 ...) gets PER_ASSET findings: CVEs drawn from the real CISA KEV catalog
and CTID mapping CVEs (so most findings reach techniques) plus some unknown ones, software from
a few dozen vendor/name pairs, first_seen over 2025, a fifth of them fixed, some firmware.
The same arguments always give the same bytes.
"""
import argparse
import csv
import datetime
import json
import os
import random

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "shared")


def known_cves():
    cves = set()
    with open(os.path.join(ROOT, "vulnerabilities", "known_exploited_vulnerabilities.json")) as f:
        cves.update(v["cveID"] for v in json.load(f)["vulnerabilities"])
    with open(os.path.join(ROOT, "mappings", "cve", "Att&ckToCveMappings.csv"), encoding="utf-8-sig") as f:
        cves.update(row["CVE ID"] for row in csv.DictReader(f))
    return sorted(cves)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("assets", type=int)
    parser.add_argument("per_asset", type=int)
    parser.add_argument("out")
    parser.add_argument("inventory")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    cves = known_cves() + ["CVE-2099-%05d" % n for n in range(200)]
    software = [("vendor%02d" % (n % 20), "product%02d" % n) for n in range(60)]
    start = datetime.datetime(2025, 1, 1, tzinfo=datetime.timezone.utc)
    with open(args.out, "w") as out:
        for asset_idx in range(args.assets):
            asset = "host-%05d" % asset_idx
            seen = set()
            while len(seen) < args.per_asset:
                cve = rng.choice(cves)
                vendor, name = rng.choice(software)
                if (cve, vendor, name) in seen:
                    continue
                seen.add((cve, vendor, name))
                first = start + datetime.timedelta(minutes=rng.randrange(365 * 24 * 60))
                record = {"asset": asset, "cve": cve,
                          "software": {"vendor": vendor, "name": name, "version": "%d.%d" % (rng.randrange(9), rng.randrange(20))},
                          "first_seen": first.strftime("%Y-%m-%dT%H:%M:%SZ"),
                          "severity": rng.choice(["low", "medium", "high", "critical"]),
                          "cvss": round(rng.uniform(2, 10), 1)}
                if rng.random() < 0.2:
                    record["fixed"] = (first + datetime.timedelta(days=rng.randrange(1, 60))).strftime("%Y-%m-%dT%H:%M:%SZ")
                if rng.random() < 0.05:
                    record["remediation_type"] = "firmware"
                out.write(json.dumps(record, separators=(",", ":")) + "\n")
    with open(args.inventory, "w") as inv:
        json.dump({"assets": [{"id": "HOST-%05d" % n, "type": "device", "weight": 1 + n % 4}
                              for n in range(args.assets)]}, inv)


if __name__ == "__main__":
    main()
