#!/usr/bin/env python3
"""bench/tls/callgrind_split.py FILE UNITS: a callgrind dump's instructions (Ir) per unit of work, by
object, for bench/tls/count.sh: prints "total libcrypto libssl libc own other" (tab-separated, rounded).

"own" is the proxy's executable together with code valgrind could not place in any file (a NativeAOT
binary's managed code shows up so); "other" is every other library (libpcre, libz, the loader...).
Self cost only: each instruction counted once, where it ran.
"""

import re
import sys


def split(path):
    names = {}
    sums = {}
    current = "?"
    after_calls = False
    with open(path, encoding="latin-1") as dump:
        for line in dump:
            if line.startswith("ob="):
                match = re.match(r"\((\d+)\)(?: (.*))?", line[3:].strip())
                if match and match.group(2) is not None:
                    names[match.group(1)] = match.group(2)
                current = names.get(match.group(1), "?") if match else line[3:].strip()
                continue
            if line.startswith("cob="):
                match = re.match(r"\((\d+)\) (.*)", line[4:].strip())
                if match:
                    names[match.group(1)] = match.group(2)
                continue
            if line.startswith("calls="):
                after_calls = True  # the next cost line is the call's inclusive cost: not this object's own
                continue
            if line[:1].isdigit() or line[:1] in "+-*":
                fields = line.split()
                if len(fields) >= 2:
                    if after_calls:
                        after_calls = False
                    else:
                        sums[current] = sums.get(current, 0) + int(fields[1])
    return sums


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: callgrind_split.py FILE UNITS")
    units = float(sys.argv[2])
    parts = {"libcrypto": 0, "libssl": 0, "libc": 0, "own": 0, "other": 0}
    for obj, cost in split(sys.argv[1]).items():
        base = obj.rsplit("/", 1)[-1]
        if base.startswith("libcrypto.so"):
            parts["libcrypto"] += cost
        elif base.startswith("libssl.so"):
            parts["libssl"] += cost
        elif base.startswith("libc.so"):
            parts["libc"] += cost
        elif base in ("???", "meshedge", "nginx", "haproxy"):
            parts["own"] += cost
        else:
            parts["other"] += cost
    total = sum(parts.values())
    print("\t".join(str(round(v / units)) for v in [total, *parts.values()]))


main()
