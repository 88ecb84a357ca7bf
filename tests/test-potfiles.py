#!/usr/bin/env python3
"""po/POTFILES.in lists every source and UI file with a translatable string."""
import os
import re
import sys

top = sys.argv[1]
listed = set()
with open(os.path.join(top, "po", "POTFILES.in")) as f:
    for line in f:
        line = line.strip()
        if line and not line.startswith("#"):
            listed.add(line)

missing = []
for folder in ("src", "ui", "data"):
    for root, _, files in os.walk(os.path.join(top, folder)):
        for name in files:
            path = os.path.relpath(os.path.join(root, name), top)
            if not name.endswith((".c", ".ui", ".in", ".gschema.xml")):
                continue
            text = open(os.path.join(root, name), encoding="utf-8").read()
            if re.search(r'\b(_|N_|ngettext)\s*\(\s*"|translatable="yes"|<summary>|^Name=', text,
                         re.M):
                if path not in listed:
                    missing.append(path)
for path in sorted(listed):
    if not os.path.exists(os.path.join(top, path)):
        missing.append(f"{path} (listed, but does not exist)")

if missing:
    print("po/POTFILES.in is missing:\n  " + "\n  ".join(missing))
    sys.exit(1)
print(f"ok: {len(listed)} files listed")
