#!/usr/bin/env python3
"""Deterministic generator of native tidemark incidents (NDJSON) for the SPEC §7 benchmark.

Usage: gen_incidents.py N [--seed S] > incidents.ndjson

Each incident has ~5 techniques drawn from real ATT&CK v18.1 enterprise IDs (a few revoked
and one ATLAS ID among them, as real exports have), ~2 assets, a threat on some, and a mix of
classifications, statuses, severities and times (ISO strings and epoch milliseconds).
The same N and seed always give the same bytes.
"""
import argparse
import datetime
import json
import random
import sys

# Live v18.1 enterprise techniques and sub-techniques commonly seen in incidents.
TECHNIQUES = """T1566.001 T1566.002 T1059.001 T1059.003 T1059.005 T1059.006 T1105 T1071.001 T1071.004
T1003.001 T1003.002 T1003.003 T1078 T1078.002 T1078.004 T1110.001 T1110.003 T1110.004 T1133 T1190
T1204.001 T1204.002 T1547.001 T1053.005 T1543.003 T1055 T1055.001 T1027 T1027.002 T1036.005
T1562.001 T1070.004 T1112 T1218.011 T1021.001 T1021.002 T1021.006 T1570 T1046 T1018 T1082 T1083
T1087.002 T1069.002 T1482 T1486 T1490 T1489 T1041 T1048.003 T1567.002 T1114.003 T1564.008 T1098
T1136.003 T1583.001 T1595.002 T1591 T1080 T1140 T1113 T1560.001 T1005 T1039 T1530""".split()
REVOKED = ["T1086", "T1064", "T1088"]
TACTICS = ["initial-access", "execution", "persistence", "privilege-escalation", "defense-evasion",
           "credential-access", "discovery", "lateral-movement", "collection", "command-and-control",
           "exfiltration", "impact"]
THREATS = ["G0016", "APT29", "Cozy Bear", "G0102", "Wizard Spider", "FIN7", "S0154", "Lazarus Group",
           "Scattered Spider", "Acme Crew"]
CLASSIFICATIONS = ["true-positive"] * 5 + ["false-positive"] * 2 + ["benign-positive", "undetermined"]
SEVERITIES = ["low", "medium", "medium", "high", "high", "critical", "informational"]
BASE_MS = 1735689600000  # 2025-01-01T00:00:00Z


def iso(ms):
    seconds, millis = divmod(ms, 1000)
    t = datetime.datetime.fromtimestamp(seconds, datetime.timezone.utc)
    return t.strftime("%Y-%m-%dT%H:%M:%S") + (".%03dZ" % millis if millis else "Z")


def incident(rng, index):
    created = BASE_MS + rng.randrange(0, 430 * 86400) * 1000 + rng.randrange(0, 1000)
    techniques = []
    for _ in range(rng.choice([3, 4, 5, 5, 6, 7])):
        roll = rng.random()
        if roll < 0.02:
            techniques.append(rng.choice(REVOKED))
        elif roll < 0.03:
            techniques.append("AML.T0040")
        elif roll < 0.5:
            techniques.append({"id": rng.choice(TECHNIQUES), "tactic": rng.choice(TACTICS)})
        else:
            techniques.append(rng.choice(TECHNIQUES))
    host = "ws-%s-%03d" % (rng.choice(["fin", "hr", "eng", "ops", "dev"]), rng.randrange(1000))
    assets = [{"id": host, "type": "device"}]
    if rng.random() < 0.8:
        assets.append({"id": "user%04d@contoso.com" % rng.randrange(5000), "type": "user"})
    if rng.random() < 0.2:
        assets.append({"id": "srv-%02d" % rng.randrange(50), "type": "device"})
    record = {
        "id": "INC-%07d" % index,
        "title": "Generated incident %d on %s" % (index, host),
        "source": "native",
        "created": iso(created) if index % 2 else created,
        "classification": rng.choice(CLASSIFICATIONS),
        "severity": rng.choice(SEVERITIES),
        "techniques": techniques,
        "assets": assets,
        "threats": [rng.choice(THREATS)] if rng.random() < 0.3 else [],
    }
    if rng.random() < 0.85:
        record["status"] = "closed"
        record["closed"] = iso(created + rng.randrange(600, 5 * 86400) * 1000)
    else:
        record["status"] = "open"
    return record


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("count", type=int)
    parser.add_argument("--seed", type=int, default=1042)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    out = sys.stdout
    for index in range(1, args.count + 1):
        out.write(json.dumps(incident(rng, index), separators=(", ", ": ")))
        out.write("\n")


if __name__ == "__main__":
    main()
