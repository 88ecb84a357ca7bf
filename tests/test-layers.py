#!/usr/bin/env python3
"""The layers of src/ include only the layers below them (docs/ARCHITECTURE.md).

core < aws < notify < session < {cli, gui} < main.c. No GTK, GDK or libadwaita header
below src/gui: the command line and the engine's tests run without a display.

Usage: test-layers.py SOURCE_ROOT
"""
import pathlib
import re
import sys

ORDER = ["core", "aws", "notify", "session", "cli", "gui"]
# what each layer may include besides itself
ALLOWED = {
    "core": set(),
    "aws": {"core"},
    "notify": {"core", "aws"},
    "session": {"core", "aws", "notify"},
    "cli": {"core", "aws", "notify", "session"},
    "gui": {"core", "aws", "notify", "session"},
}
GTK = re.compile(r'#\s*include\s*[<"](gtk/|gdk/|adwaita\.h|gsk/)')
LOCAL = re.compile(r'#\s*include\s*"([^"]+)"')


def main():
    src = pathlib.Path(sys.argv[1]) / "src"
    owner = {}
    for layer in ORDER:
        for header in (src / layer).glob("*.h") if (src / layer).is_dir() else []:
            owner[header.name] = layer
    problems = []
    checked = 0
    for layer in ORDER:
        folder = src / layer
        if not folder.is_dir():
            continue
        for path in sorted(folder.glob("*.[ch]")):
            checked += 1
            for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
                where = f"{path.relative_to(src.parent)}:{n}"
                if layer != "gui" and GTK.search(line):
                    problems.append(f"{where}: a GTK header below src/gui: {line.strip()}")
                m = LOCAL.search(line)
                if not m:
                    continue
                other = owner.get(pathlib.Path(m.group(1)).name)
                if other is None or other == layer:
                    continue
                if other not in ALLOWED[layer]:
                    problems.append(f"{where}: src/{layer} includes {m.group(1)} "
                                    f"of src/{other}, a layer not below it")
    for p in problems:
        print(p)
    print(f"{checked} files checked, {len(problems)} problems")
    return 1 if problems or checked == 0 else 0


if __name__ == "__main__":
    sys.exit(main())
