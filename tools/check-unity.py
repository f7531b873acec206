#!/usr/bin/env python3
"""Checks that every target still compiles as ONE translation unit (the unity build's rule).

The unity build (TIDEMARK_UNITY, docs/development.md) compiles a target's files in batches of
16, so two files defining the same name in an anonymous namespace break the build only when
they land in one batch, which can happen on a later, unrelated change. This script includes
every source of each target into one file and compiles it with -fsyntax-only, so a clash shows
now, naming the target. Usage: tools/check-unity.py [BUILD_DIR]  (default build-unity-check;
configured without unity and PCH so compile_commands.json lists each file). Exit 1 on a clash.
"""
import collections
import json
import os
import re
import subprocess
import sys

root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
build = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else os.path.join(root, "build-unity-check"))
subprocess.run(["cmake", "-S", root, "-B", build, "-DCMAKE_BUILD_TYPE=Release", "-DBUILD_TESTING=ON",
                "-DTIDEMARK_UNITY=OFF", "-DTIDEMARK_PCH=OFF", "-DTIDEMARK_WERROR=OFF"],
               check=True, stdout=subprocess.DEVNULL)
commands = json.load(open(os.path.join(build, "compile_commands.json")))
targets = collections.defaultdict(list)
for entry in commands:
    match = re.search(r"CMakeFiles/([^/]+)\.dir/", entry["command"])
    # test_main.cpp defines doctest's main and is excluded from the unity batches too.
    if match and not entry["file"].endswith("test_main.cpp"):
        targets[match.group(1)].append(entry)
failed = False
for target, entries in sorted(targets.items()):
    combined = os.path.join(build, f"unity_check_{target}.cpp")
    with open(combined, "w") as out:
        out.writelines(f'#include "{entry["file"]}"\n' for entry in entries)
    command = re.sub(r" -o \S+", "", entries[0]["command"])
    command = re.sub(r" -c \S+", f" -fsyntax-only -O0 {combined}", command)
    result = subprocess.run(command, shell=True, cwd=entries[0]["directory"], capture_output=True, text=True)
    errors = [line for line in result.stderr.splitlines() if "error:" in line]
    print(f"check-unity: {target}: {len(entries)} files, {len(errors)} errors", file=sys.stderr)
    for line in errors[:20]:
        print("  " + line, file=sys.stderr)
    failed = failed or result.returncode != 0
sys.exit(1 if failed else 0)
