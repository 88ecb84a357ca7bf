#!/usr/bin/env python3
"""Speed benchmark: dnshunt scan against jq and DuckDB on the same 1M-event file.

Not a test: it prints figures. It generates the file once (cached), then, in one
run, times whole processes (best of --runs):
  - dnshunt scan --format=json (all ten rules), with its peak RSS
  - jq computing one rule (NXDOMAIN count per host)
  - DuckDB (npm @duckdb/node-api, installed into the cache when npm is there)
    doing the same GROUP BY
  - the gzip file: dnshunt scan on it (and with the rules off), the reader's
    own decompression alone
    (bench-inflate: the same zlib inflate and libdeflate CRC-32, nothing
    parsed), and `gzip -dc` for reference
  - 1M events as an S3 folder of .log.gz (the generator's s3 shape, same seed)
Usage: bench.py DNSHUNT GENERATOR BENCH_INFLATE [--events N] [--runs N] [--cache DIR]
"""
import argparse
import os
import re
import shutil
import subprocess
import sys
import time

JQ_PROGRAM = ('reduce (inputs | select(.rcode == "NXDOMAIN") | .srcaddr) as $h '
              '({}; .[$h] += 1) | length')
DUCKDB_SCRIPT = """
import { DuckDBInstance } from '@duckdb/node-api';
const inst = await DuckDBInstance.create(':memory:');
const con = await inst.connect();
const file = process.argv[2].replaceAll("'", "''");
const r = await con.runAndReadAll(`SELECT srcaddr, count(*) AS n FROM read_json('${file}',
  format = 'newline_delimited') WHERE rcode = 'NXDOMAIN' GROUP BY srcaddr`);
console.log(r.getRows().length);
"""


def timed(cmd, runs):
    """Best wall time of `runs` runs, and the peak RSS of that run (KiB)."""
    best = None
    for _ in range(runs):
        time_cmd = ["/usr/bin/time", "-v"] if os.path.exists("/usr/bin/time") else []
        t0 = time.perf_counter()
        r = subprocess.run(time_cmd + cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        dt = time.perf_counter() - t0
        if r.returncode not in (0, 3):
            sys.exit(f"bench: {cmd[0]} failed ({r.returncode}): {r.stderr.decode()[-500:]}")
        m = re.search(rb"Maximum resident set size \(kbytes\): (\d+)", r.stderr)
        rss = int(m.group(1)) if m else 0
        if best is None or dt < best[0]:
            best = (dt, rss)
    return best


def duckdb_setup(cache):
    if shutil.which("npm") is None or shutil.which("node") is None:
        return None
    d = os.path.join(cache, "duckdb")
    os.makedirs(d, exist_ok=True)
    if not os.path.isdir(os.path.join(d, "node_modules", "@duckdb", "node-api")):
        r = subprocess.run(["npm", "install", "--silent", "--no-audit", "--no-fund",
                            "@duckdb/node-api"], cwd=d, stdin=subprocess.DEVNULL,
                           capture_output=True, timeout=600)
        if r.returncode != 0:
            print("bench: could not install @duckdb/node-api; DuckDB left out", file=sys.stderr)
            return None
    script = os.path.join(d, "nxdomain-per-host.mjs")
    with open(script, "w") as f:
        f.write(DUCKDB_SCRIPT)
    return script


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("dnshunt")
    ap.add_argument("generator")
    ap.add_argument("inflate")
    ap.add_argument("--events", type=int, default=1_000_000)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--cache", default=os.path.join(
        os.environ.get("XDG_CACHE_HOME", os.path.expanduser("~/.cache")), "dnshunt-bench"))
    a = ap.parse_args()

    os.makedirs(a.cache, exist_ok=True)
    log = os.path.join(a.cache, f"route53-{a.events}.log")
    gz = log + ".gz"
    if not os.path.exists(log):
        print(f"generating {a.events} events into {log} …", flush=True)
        subprocess.run([sys.executable, a.generator, "--events", str(a.events), "--hosts", "200",
                        "--hours", "24", "--seed", "1", "-o", log], check=True)
    if not os.path.exists(gz):
        subprocess.run([sys.executable, a.generator, "--events", str(a.events), "--hosts", "200",
                        "--hours", "24", "--seed", "1", "--gzip", "-o", gz], check=True)
    # 1M events as an S3 folder of .log.gz, as Route 53 delivers them
    tree = os.path.join(a.cache, f"route53-{a.events}-s3")
    if not os.path.isdir(tree):
        subprocess.run([sys.executable, a.generator, "--events", str(a.events), "--hosts", "200",
                        "--hours", "24", "--seed", "1", "--shape", "s3", "-o", tree + ".tmp"],
                       check=True, stdout=subprocess.DEVNULL)
        os.rename(tree + ".tmp", tree)
    n_tree = sum(len(files) for _, _, files in os.walk(tree))
    size = os.path.getsize(log)
    gz_size = os.path.getsize(gz)

    cpu = "unknown CPU"
    try:
        with open("/proc/cpuinfo") as f:
            cpu = re.search(r"model name\s*:\s*(.*)", f.read()).group(1)
    except (OSError, AttributeError):
        pass
    print(f"machine: {os.cpu_count()} cores, {cpu}")
    print(f"file: {a.events:,} events, NDJSON {size / 1e6:.0f} MB, gzip {gz_size / 1e6:.0f} MB; "
          f"best of {a.runs} runs, whole processes, page cache warm\n")

    rows = []
    scan = timed([a.dnshunt, "scan", "--format=json", "-o", os.devnull, log], a.runs)
    rows.append(("dnshunt scan, all ten rules", scan))
    jq = None
    if shutil.which("jq"):
        jq = timed(["jq", "-n", JQ_PROGRAM, log], max(1, a.runs - 2))
        rows.append(("jq, NXDOMAIN count per host", jq))
    duck = None
    script = duckdb_setup(a.cache)
    if script:
        duck = timed(["node", script, log], a.runs)
        rows.append(("DuckDB read_json, same GROUP BY", duck))

    gz_scan = timed([a.dnshunt, "scan", "--format=json", "-o", os.devnull, gz], a.runs)
    rows.append(("dnshunt scan, the gzip file", gz_scan))
    # the same with every rule off: reading, parsing and storing only
    gz_read = timed([a.dnshunt, "scan", "--set", "all.enabled=false", "--format=json", "-o",
                     os.devnull, gz], a.runs)
    rows.append(("  the same, rules off (read only)", gz_read))
    s3 = timed([a.dnshunt, "scan", "--format=json", "-o", os.devnull, tree], a.runs)
    rows.append((f"dnshunt scan, {n_tree} .log.gz (S3 folder)", s3))
    inflate = timed([a.inflate, gz], a.runs)[0]
    zcat = None
    if shutil.which("gzip"):
        zcat = timed(["gzip", "-dc", gz], a.runs)[0]

    print(f"{'':36} {'seconds':>8} {'events/s':>12} {'peak RSS':>10}")
    for name, (dt, rss) in rows:
        print(f"{name:36} {dt:8.2f} {a.events / dt:12,.0f} {rss / 1024:8.0f} MB")
    print(f"{'its decompression alone, no parsing':36} {inflate:8.2f} {a.events / inflate:12,.0f}")
    if zcat:
        print(f"{'gzip -dc, for reference':36} {zcat:8.2f} {a.events / zcat:12,.0f}")
    print()
    if jq:
        print(f"dnshunt vs jq:      {jq[0] / scan[0]:5.1f}x faster (target: at least 12x)")
    if duck:
        print(f"dnshunt vs DuckDB:  {duck[0] / scan[0]:5.2f}x (target: at least 1.0)")
    print(f"peak RSS / NDJSON size: {scan[1] * 1024 / size:.2f} (target: at most 0.40)")
    print(f"gzip scan / its decompression alone: {gz_scan[0] / inflate:.2f}; "
          f"reading only: {gz_read[0] / inflate:.2f} (near 1: limited by decompression, "
          f"not parsing)")


if __name__ == "__main__":
    main()
