#!/usr/bin/env python3
"""Programs below the window link no GTK: the session layer and the engine
run without a display (docs/ARCHITECTURE.md).

Usage: test-no-gtk.py BINARY...  (fails if any needs libgtk, libgdk or libadwaita)
"""
import subprocess
import sys

FORBIDDEN = ("libgtk-4", "libgtk-3", "libgdk", "libadwaita")


def needed(path):
    out = subprocess.run(["readelf", "-d", path], check=True, capture_output=True,
                         text=True).stdout
    return [line.split("[", 1)[1].rstrip("]") for line in out.splitlines()
            if "(NEEDED)" in line]


def main():
    problems = 0
    for path in sys.argv[1:]:
        libs = needed(path)
        bad = [lib for lib in libs if lib.startswith(FORBIDDEN)]
        print(f"{path}: {len(libs)} libraries needed, {len(bad)} of GTK: {' '.join(bad)}")
        problems += len(bad)
        if not libs:
            print(f"{path}: no NEEDED entries read; is it a dynamic executable?")
            problems += 1
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
