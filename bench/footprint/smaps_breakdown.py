#!/usr/bin/env python3
"""bench/footprint/smaps_breakdown.py PID: what a process's resident set consists of, from
/proc/PID/smaps (see bench/README.md, bench/footprint). Prints one "CATEGORY KIB" line per category,
in a fixed order, the resident KiB summed over its mappings:

  binary    the executable's own mappings (code, read-only data, data) and the anonymous bss after it
  libs      other files mapped (libc, libssl, ...)
  gc        anonymous memory inside a reservation of 1 GiB or more (the GC's regions: the managed heap
            and its bookkeeping, committed piece by piece inside one large PROT_NONE range)
  heap      glibc's main arena ([heap], grown with brk)
  arenas    glibc's other arenas (64 MiB-aligned reservations, one per thread that mallocs, up to
            MALLOC_ARENA_MAX)
  stacks    thread stacks (a mapping just above its guard page) and [stack]
  other     every other anonymous mapping: glibc's mmapped chunks (MeshEdge's 256 KiB block-pool slabs
            among them), the runtime's own allocations
  total     the sum, which is VmRSS give or take a page

Mappings are grouped into runs of address-contiguous anonymous mappings first, since the kernel
splits one reservation into several mappings where protections differ.
"""

import re
import sys

HEADER = re.compile(r"^([0-9a-f]+)-([0-9a-f]+) (\S{4}) \S+ \S+ \d+\s*(.*)$")
GIB = 1 << 30
ARENA = 64 << 20
ORDER = ["binary", "libs", "gc", "heap", "arenas", "stacks", "other"]


def read_mappings(pid):
    mappings = []
    with open(f"/proc/{pid}/smaps", encoding="ascii", errors="replace") as smaps:
        current = None
        for line in smaps:
            header = HEADER.match(line)
            if header:
                start, end, perms, path = header.groups()
                current = {"start": int(start, 16), "end": int(end, 16), "perms": perms, "path": path.strip(), "rss": 0}
                mappings.append(current)
            elif line.startswith("Rss:") and current is not None:
                current["rss"] = int(line.split()[1])
    return mappings


def anonymous_runs(mappings):
    """Address-contiguous anonymous mappings (no path) as lists."""
    runs, run = [], []
    for m in mappings:
        if m["path"] == "" and run and run[-1]["end"] == m["start"]:
            run.append(m)
            continue
        if run:
            runs.append(run)
        run = [m] if m["path"] == "" else []
    if run:
        runs.append(run)
    return runs


def classify_run(run, after_binary):
    size = run[-1]["end"] - run[0]["start"]
    if any(m["perms"].startswith("---") and m["end"] - m["start"] >= GIB for m in run):
        return "gc"
    if run[0]["start"] % ARENA == 0 and size == ARENA and run[0]["perms"].startswith("rw"):
        return "arenas"
    if len(run) >= 2 and run[0]["perms"].startswith("---") and run[0]["end"] - run[0]["start"] <= 64 * 1024:
        return "stacks"
    return "binary" if after_binary else "other"


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: smaps_breakdown.py PID")
    pid = sys.argv[1]
    exe = open(f"/proc/{pid}/cmdline", "rb").read().split(b"\0")[0].decode(errors="replace").rsplit("/", 1)[-1]
    mappings = read_mappings(pid)
    kib = dict.fromkeys(ORDER, 0)
    last_binary_end = -1
    for m in mappings:
        path = m["path"]
        if path == "":
            continue
        if path == "[heap]":
            kib["heap"] += m["rss"]
        elif path == "[stack]":
            kib["stacks"] += m["rss"]
        elif path.startswith("["):
            kib["other"] += m["rss"]
        elif path.rsplit("/", 1)[-1] == exe:
            kib["binary"] += m["rss"]
            last_binary_end = max(last_binary_end, m["end"])
        else:
            kib["libs"] += m["rss"]
    for run in anonymous_runs(mappings):
        kib[classify_run(run, run[0]["start"] == last_binary_end)] += sum(m["rss"] for m in run)
    for name in ORDER:
        print(name, kib[name])
    print("total", sum(kib.values()))


if __name__ == "__main__":
    main()
