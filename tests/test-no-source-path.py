#!/usr/bin/env python3
"""The installed program must not know where it was built from.

test-no-source-path.py PROGRAM SOURCE_ROOT PREFIX INSTALLED_DEMO_DIR

Reads the sections of the ELF file PROGRAM that are loaded at run time (its
code, strings and data; not the debug information, which names the build
directory) and fails if the absolute SOURCE_ROOT appears in them, other than
as the start of the install PREFIX (a prefix inside the source tree is the
builder's choice). As a check of the reading itself, the installed demo
folder, which the program falls back on, must appear.
"""
import struct
import sys

SHF_ALLOC = 0x2
SHT_NOBITS = 8


def loaded_sections(path):
    """Yields (name, bytes) for each section that is loaded in memory."""
    with open(path, "rb") as f:
        data = f.read()
    if data[:4] != b"\x7fELF":
        sys.exit(f"{path}: not an ELF file")
    is_64 = data[4] == 2
    endian = "<" if data[5] == 1 else ">"
    if is_64:
        shoff, = struct.unpack_from(endian + "Q", data, 0x28)
        shentsize, shnum, shstrndx = struct.unpack_from(endian + "HHH", data, 0x3A)
        fmt = endian + "IIQQQQIIQQ"
    else:
        shoff, = struct.unpack_from(endian + "I", data, 0x20)
        shentsize, shnum, shstrndx = struct.unpack_from(endian + "HHH", data, 0x2E)
        fmt = endian + "IIIIIIIIII"
    headers = [struct.unpack_from(fmt, data, shoff + i * shentsize) for i in range(shnum)]
    names = headers[shstrndx]
    strtab = data[names[4]:names[4] + names[5]]
    for name_off, sh_type, flags, _addr, offset, size, *_ in headers:
        if flags & SHF_ALLOC and sh_type != SHT_NOBITS:
            name = strtab[name_off:strtab.index(b"\0", name_off)].decode()
            yield name, data[offset:offset + size]


def main():
    program, source_root, prefix, demo_dir = sys.argv[1:5]
    sections = list(loaded_sections(program))
    if not sections:
        sys.exit(f"{program}: no loaded sections found")
    needle = source_root.rstrip("/").encode()
    found = [name for name, body in sections
             if needle in body.replace(prefix.rstrip("/").encode(), b"")]
    if found:
        print(f"FAIL: {program} carries the source tree's path {source_root} in "
              f"{', '.join(found)}")
        sys.exit(1)
    if not any(demo_dir.encode() in body for _, body in sections):
        print(f"FAIL: the installed demo folder {demo_dir} is not in {program}: "
              "the sections were not read right")
        sys.exit(1)
    print(f"ok: {len(sections)} loaded sections, no {source_root}")


if __name__ == "__main__":
    main()
