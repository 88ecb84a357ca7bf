#!/usr/bin/env python3
"""dnshunt scan as a user and a script see it: formats, exit codes, inputs.

Runs the real binary. The generator writes logs with known attacks; the scan
must find exactly those, in every input shape.
"""
import gzip
import json
import os
import shutil
import subprocess
import sys
import tempfile
import unittest

DNSHUNT = os.environ["DNSHUNT"]
GENERATOR = os.environ["DH_GENERATOR"]
SRCDIR = os.environ["G_TEST_SRCDIR"]
TOP = os.path.dirname(SRCDIR)
DEMO = os.path.join(TOP, "data", "demo")

RULES = {
    "nxdomain-burst": ("medium", "TA0011", "T1568", "T1568.002"),
    "dns-over-tcp": (None, "TA0010", "T1048", None),
    "refused-burst": ("low", "TA0011", "T1071", "T1071.004"),
    "metadata-ip-answer": ("high", "TA0006", "T1552", "T1552.005"),
    "uncommon-record-types": ("medium", "TA0011", "T1071", "T1071.004"),
    "suspicious-tld": ("low", "TA0011", "T1071", "T1071.004"),
    "paste-site": ("medium", "TA0010", "T1567", "T1567.003"),
    "monero-pool": ("high", "TA0040", "T1496", None),
    "base64-label": ("medium", "TA0010", "T1048", "T1048.003"),
    "k8s-enumeration": ("medium", "TA0043", "T1590", "T1590.002"),
}


def scan(*args, stdin=None):
    return subprocess.run([DNSHUNT, "scan", *args], input=stdin, capture_output=True,
                          timeout=300, env=dict(os.environ, DISPLAY="", WAYLAND_DISPLAY=""))


def scan_json(*args, stdin=None):
    r = scan("--format=json", *args, stdin=stdin)
    doc = json.loads(r.stdout.decode("utf-8"))
    return r, doc


def generate(out, *args):
    subprocess.run([sys.executable, GENERATOR, "-o", out, *args], check=True, timeout=300)


def alert_keys(doc):
    return sorted((a["rule"], a["host"]) for a in doc["alerts"])


class Common(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="dnshunt-cli-")

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp)


class JsonSchema(Common):
    def test_demo_json_matches_spec(self):
        r, doc = scan_json(DEMO)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(set(doc), {"tool", "summary", "alerts"})
        self.assertEqual(doc["tool"]["name"], "dnshunt")
        self.assertRegex(doc["tool"]["version"], r"^\d+\.\d+\.\d+")
        s = doc["summary"]
        self.assertEqual(set(s), {"events", "rejected", "hosts", "first_event", "last_event"})
        self.assertEqual(s["events"], 5000)
        self.assertEqual(s["rejected"], 0)
        self.assertEqual(s["hosts"], 33)
        self.assertRegex(s["first_event"], r"^2026-03-02T08:\d\d:\d\d(\.\d{3})?Z$")
        self.assertRegex(s["last_event"], r"^2026-03-02T13:\d\d:\d\d(\.\d{3})?Z$")
        self.assertGreaterEqual(len(doc["alerts"]), 10)
        order = {"high": 3, "medium": 2, "low": 1}
        sevs = [order[a["severity"]] for a in doc["alerts"]]
        self.assertEqual(sevs, sorted(sevs, reverse=True), "most severe first")
        for a in doc["alerts"]:
            self.assertEqual(set(a), {"rule", "title", "severity", "mitre", "host", "instance",
                                      "vpc_id", "first_seen", "last_seen", "count", "names",
                                      "evidence"})
            sev, tactic, tech, sub = RULES[a["rule"]]
            if sev:
                self.assertEqual(a["severity"], sev)
            self.assertEqual(a["mitre"], {"tactic": tactic, "technique": tech,
                                          "subtechnique": sub})
            self.assertTrue(a["title"])
            self.assertRegex(a["instance"], r"^(i-[0-9a-f]{17}|rslvr-in-.*)$")
            self.assertRegex(a["vpc_id"], r"^vpc-")
            self.assertLessEqual(a["first_seen"], a["last_seen"])
            self.assertGreaterEqual(a["count"], 1)
            self.assertEqual(len(a["names"]), len(set(a["names"])))
            self.assertEqual(len(a["evidence"]), min(a["count"], 100))
            for e in a["evidence"]:
                self.assertEqual(set(e), {"query_timestamp", "query_name", "query_type",
                                          "rcode", "transport"})
                self.assertIn(e["query_name"], a["names"])
            self.assertEqual(a["evidence"][0]["query_timestamp"], a["first_seen"])
            if a["count"] <= 100:
                self.assertEqual(a["evidence"][-1]["query_timestamp"], a["last_seen"])
        tcp = [a for a in doc["alerts"] if a["rule"] == "dns-over-tcp"]
        self.assertTrue(tcp and all(e["transport"] == "TCP" for e in tcp[0]["evidence"]))
        self.assertEqual(tcp[0]["severity"], "high", "the demo's TCP host asks for AXFR")
        nx = [a for a in doc["alerts"] if a["rule"] == "nxdomain-burst"]
        self.assertTrue(all(e["rcode"] == "NXDOMAIN" for a in nx for e in a["evidence"]))

    def test_text_format(self):
        r = scan(DEMO)
        self.assertEqual(r.returncode, 0)
        out = r.stdout.decode()
        self.assertIn("5000 events", out)
        self.assertLess(out.index("== HIGH =="), out.index("== MEDIUM =="))
        self.assertLess(out.index("== MEDIUM =="), out.index("== LOW =="))
        self.assertIn("T1552.005", out)
        self.assertIn("[monero-pool]", out)

    def test_output_file(self):
        path = os.path.join(self.tmp, "report.json")
        r = scan("-f", "json", "-o", path, DEMO)
        self.assertEqual(r.returncode, 0)
        self.assertEqual(r.stdout, b"")
        with open(path, encoding="utf-8") as f:
            self.assertEqual(json.load(f)["summary"]["events"], 5000)


class Generated(Common):
    """Every attack the generator injects is found, and nothing else, in every shape."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.manifest_path = os.path.join(cls.tmp, "manifest.json")
        cls.s3 = os.path.join(cls.tmp, "s3")
        generate(cls.s3, "--shape", "s3", "--seed", "7", "--events", "30000", "--hosts", "20",
                 "--hours", "8", "--manifest", cls.manifest_path)
        with open(cls.manifest_path) as f:
            cls.manifest = json.load(f)
        cls.expected = sorted((a["rule"], a["host"]) for a in cls.manifest["attacks"])

    def test_s3_tree(self):
        files = []
        for root, _, names in os.walk(self.s3):
            files += [os.path.join(root, n) for n in names]
        self.assertGreater(len(files), 2)
        self.assertTrue(all(f.endswith(".log.gz") and "/AWSLogs/" in f for f in files))
        r, doc = scan_json(self.s3)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(doc["summary"]["rejected"], 0)
        self.assertEqual(doc["summary"]["events"], self.manifest["events"])
        self.assertEqual(alert_keys(doc), self.expected)
        self.assertEqual(set(r for r, _ in self.expected), set(RULES), "all ten rules injected")
        quiet = set(self.manifest["decoy_hosts"]) | set(self.manifest["benign_hosts"])
        self.assertFalse(quiet & {a["host"] for a in doc["alerts"]})
        by_key = {(a["rule"], a["host"]): a for a in doc["alerts"]}
        for attack in self.manifest["attacks"]:
            got = by_key[(attack["rule"], attack["host"])]
            self.assertEqual(got["count"], attack["count"], attack)
            self.assertEqual(got["instance"], attack["instance"])

    def same_alerts(self, path):
        r, doc = scan_json(path)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(doc["summary"]["rejected"], 0)
        self.assertEqual(alert_keys(doc), self.expected)
        return doc

    def test_every_shape(self):
        args = ("--seed", "7", "--events", "30000", "--hosts", "20", "--hours", "8")
        for shape, gz in (("ndjson", False), ("ndjson", True), ("cw-export", True),
                          ("filter-log-events", False), ("firehose", True)):
            with self.subTest(shape=shape, gzip=gz):
                path = os.path.join(self.tmp, f"{shape}{'.gz' if gz else ''}")
                generate(path, "--shape", shape, *args, *(["--gzip"] if gz else []))
                self.same_alerts(path)

    def test_stdin(self):
        path = os.path.join(self.tmp, "stdin.log.gz")
        generate(path, "--seed", "7", "--events", "30000", "--hosts", "20", "--hours", "8",
                 "--gzip")
        with open(path, "rb") as f:
            r, doc = scan_json("-", stdin=f.read())
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(alert_keys(doc), self.expected)

    def test_no_attacks_no_alerts(self):
        path = os.path.join(self.tmp, "benign.log")
        generate(path, "--seed", "11", "--events", "20000", "--no-attacks")
        r, doc = scan_json(path, "--fail-on=low")
        self.assertEqual(doc["alerts"], [])
        self.assertEqual(r.returncode, 0)


class ExitCodes(Common):
    def test_usage_errors(self):
        for args in ([], ["--format=yaml", DEMO], ["--fail-on=urgent", DEMO],
                     ["--set", "nxdomain-burst.treshold=5", DEMO],
                     ["--set", "nope.threshold=5", DEMO], ["--since=soon", DEMO],
                     ["--start=yesterday", DEMO], ["--bogus-option", DEMO]):
            with self.subTest(args=args):
                r = scan(*args)
                self.assertEqual(r.returncode, 1, r.stderr)
                self.assertEqual(r.stdout, b"")
                self.assertIn(b"dnshunt scan:", r.stderr)

    def test_durations_too_long(self):
        # 106751991 days fit a gint64 in µs, but a quarter more (the retention's
        # slack) or a timestamp added to them does not: a usage error naming
        # the value, for every duration option and setting
        cw = ["--cloudwatch=/aws/route53/resolver", "--endpoint-url=http://127.0.0.1:9"]
        for args, shown in [
            (cw + ["--follow", "--retention=106751991d"], b"--retention=106751991d"),
            (cw + ["--follow", "--retention=99999999999999999999999w"],
             b"--retention=99999999999999999999999w"),
            (cw + ["--follow", "--lookback=2h"], b"--lookback=2h"),
            (["--since=106751991d", DEMO], b"--since=106751991d"),
            (["--set", "nxdomain-burst.window=106751991d", DEMO], b"106751991d"),
        ]:
            with self.subTest(args=args):
                r = scan(*args)
                self.assertEqual(r.returncode, 1, r.stderr)
                self.assertEqual(r.stdout, b"")
                self.assertIn(shown, r.stderr)
                self.assertIn(b"dnshunt scan:", r.stderr)
        r = scan("--since=3652500d", "--format=json", DEMO)
        self.assertEqual(r.returncode, 0, r.stderr)
        for args, why in [(cw + ["--follow", "--lookback=soon"], b"not a duration"),
                          (cw + ["--lookback=1m"], b"--lookback goes with --follow")]:
            with self.subTest(args=args):
                r = scan(*args)
                self.assertEqual(r.returncode, 1, r.stderr)
                self.assertIn(why, r.stderr)

    def test_set_error_names_valid_keys(self):
        r = scan("--set", "nxdomain-burst.treshold=5", DEMO)
        self.assertIn(b"threshold", r.stderr)
        self.assertIn(b"window", r.stderr)
        r = scan("--set", "nope.threshold=5", DEMO)
        self.assertIn(b"k8s-enumeration", r.stderr)

    def test_allow_hosts_entries(self):
        # Each would otherwise allow every host, or none, without a word.
        for entry in ("0.0.0.0/-1", "10.0.0.0/33", "::/129", "10.0.0.0/", "not-an-ip",
                      "10.0.0.5/24"):
            for key in ("all.allow-hosts", "paste-site.allow-hosts"):
                with self.subTest(entry=entry, key=key):
                    r = scan("--set", f"{key}=10.9.0.0/16,{entry}", DEMO)
                    self.assertEqual(r.returncode, 1, r.stderr)
                    self.assertEqual(r.stdout, b"")
                    self.assertIn(f"“{entry}”".encode(), r.stderr)
                    self.assertIn(b"allow-hosts", r.stderr)
        r = scan("--set", "all.allow-hosts=10.0.0.0/8,fd00::/8,0.0.0.0/32,::1", DEMO)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertNotIn(b"dnshunt scan:", r.stderr)

    def test_list_file_kinds(self):
        # A list file is a regular file of at most 16 MiB: a FIFO would block
        # the scan, /dev/zero would fill the memory.
        fifo = os.path.join(self.tmp, "list.fifo")
        os.mkfifo(fifo)
        big = os.path.join(self.tmp, "big-list.txt")
        with open(big, "wb") as f:
            f.truncate(16 * 1024 * 1024 + 1)
        for path, why in ((fifo, b"not a regular file"), ("/dev/zero", b"not a regular file"),
                          (self.tmp, b"not a regular file"), (big, b"16 MiB")):
            with self.subTest(path=path):
                r = subprocess.run([DNSHUNT, "scan", "--set", f"paste-site.list-file={path}", DEMO],
                                   capture_output=True, timeout=60)
                self.assertEqual(r.returncode, 1, r.stderr)
                self.assertEqual(r.stdout, b"")
                self.assertIn(path.encode(), r.stderr)
                self.assertIn(why, r.stderr)
        good = os.path.join(self.tmp, "good-list.txt")
        with open(good, "w") as f:
            f.write("# ours\nexample.org\n")
        r = scan("--set", f"paste-site.list-file={good}", DEMO)
        self.assertEqual(r.returncode, 0, r.stderr)

    def test_unreadable_input(self):
        r, doc = scan_json("/nonexistent/route53.log", DEMO)
        self.assertEqual(r.returncode, 2)
        self.assertIn(b"/nonexistent/route53.log", r.stderr)
        self.assertEqual(doc["summary"]["events"], 5000, "the readable input is still read")

    def test_truncated_gzip(self):
        with gzip.open(os.path.join(DEMO, "route53-demo.log.gz"), "rb") as f:
            data = gzip.compress(f.read(), mtime=0)
        path = os.path.join(self.tmp, "cut.log.gz")
        with open(path, "wb") as f:
            f.write(data[: len(data) // 2])
        r, doc = scan_json(path)
        self.assertEqual(r.returncode, 2)
        self.assertIn(b"cut.log.gz", r.stderr)
        self.assertIn(b"truncated", r.stderr)
        self.assertGreater(doc["summary"]["events"], 1000)
        self.assertLess(doc["summary"]["events"], 5000)

    def test_fail_on(self):
        self.assertEqual(scan("--fail-on=high", DEMO).returncode, 3)
        self.assertEqual(scan("--fail-on=low", DEMO).returncode, 3)
        # Only low alerts remain once the others are switched off.
        r = scan("--fail-on=medium", "--set", "all.enabled=false",
                 "--set", "suspicious-tld.enabled=true", DEMO)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(scan("--set", "all.enabled=false", "--fail-on=low", DEMO).returncode, 0)

    def test_set_changes_results(self):
        _, base = scan_json(DEMO)
        _, lowered = scan_json("--set", "nxdomain-burst.threshold=20", DEMO)
        n = lambda d: sum(a["rule"] == "nxdomain-burst" for a in d["alerts"])
        self.assertGreater(n(lowered), n(base))
        host = base["alerts"][0]["host"]
        _, allowed = scan_json("--set", f"all.allow-hosts={host}", DEMO)
        self.assertNotIn(host, {a["host"] for a in allowed["alerts"]})

    def test_time_range(self):
        _, doc = scan_json("--start=2026-03-02T09:00:00Z", "--end=2026-03-02T10:00:00Z", DEMO)
        self.assertGreater(doc["summary"]["events"], 0)
        self.assertLess(doc["summary"]["events"], 5000)
        self.assertGreaterEqual(doc["summary"]["first_event"], "2026-03-02T09:00:00")
        self.assertLessEqual(doc["summary"]["last_event"], "2026-03-02T10:00:00Z")

    def test_progress(self):
        r = scan("--progress", DEMO)
        self.assertEqual(r.returncode, 0)
        self.assertIn(b"Reading:", r.stderr)


class Hostile(Common):
    def test_hostile_strings(self):
        base = {"version": "1.100000", "account_id": "1", "region": "us-east-1",
                "vpc_id": "vpc-1", "query_type": "A", "query_class": "IN",
                "rcode": "NOERROR", "answers": [], "srcport": "1", "transport": "TCP",
                "srcids": {"instance": "i-0123456789abcdef0"}}
        names = ["\x1b[31mred\x1b[0m.example.com.", "line\nbreak.example.", "<script>x</script>.",
                 "=HYPERLINK(\"http://x\").example."]
        lines = []
        for i, n in enumerate(names):
            rec = dict(base, query_timestamp=f"2026-03-02T10:00:0{i}Z", query_name=n,
                       srcaddr="10.9.9.9")
            lines.append(json.dumps(rec).encode())
        bad = dict(base, query_timestamp="2026-03-02T10:00:09Z", query_name="PLACEHOLDER",
                   srcaddr="10.9.9.8")
        lines.append(json.dumps(bad).encode().replace(b"PLACEHOLDER", b"bad\xff\xfe.example."))
        lines.append(b"\x00\x01 binary junk \xff")
        path = os.path.join(self.tmp, "hostile.log")
        with open(path, "wb") as f:
            f.write(b"\n".join(lines) + b"\n")

        r = scan(path)
        self.assertEqual(r.returncode, 0)
        self.assertNotIn(b"\x1b", r.stdout)
        self.assertIn(b"\\x1b[31mred", r.stdout)
        self.assertIn(b"hostile.log:6: rejected", r.stderr)

        r = scan("-f", "json", path)
        text = r.stdout.decode("utf-8")  # must be valid UTF-8
        doc = json.loads(text)
        self.assertEqual(doc["summary"]["rejected"], 1)
        names_out = {n for a in doc["alerts"] for n in a["names"]}
        self.assertIn("\x1b[31mred\x1b[0m.example.com.", names_out)
        self.assertIn("bad\ufffd\ufffd.example.", names_out)


class Nesting(Common):
    """JSON nested deeper than any stack holds is one rejected event, never a crash."""

    DEEP = "[" * 120000 + "]" * 120000   # 240 KB: under CloudWatch's 256 KB event limit

    @staticmethod
    def record(i):
        return json.dumps({
            "version": "1.100000", "account_id": "1", "region": "us-east-1",
            "vpc_id": "vpc-1", "query_timestamp": "2026-03-02T10:00:%02dZ" % (i % 60),
            "query_name": "host%d.example.com." % i, "query_type": "A", "query_class": "IN",
            "rcode": "NOERROR", "answers": [], "srcaddr": "10.9.9.%d" % (i % 250),
            "srcport": "1", "transport": "UDP", "srcids": {"instance": "i-1"}})

    def scan_file(self, name, data, events, rejects):
        path = os.path.join(self.tmp, name)
        with open(path, "w") as f:
            f.write(data)
        r, doc = scan_json(path)
        self.assertEqual(r.returncode, 0, r.stderr[-2000:])
        self.assertEqual(doc["summary"]["events"], events)
        self.assertEqual(doc["summary"]["rejected"], len(rejects))
        for line, reason in rejects:
            self.assertIn(f"{name}:{line}: rejected: {reason}\n".encode(), r.stderr)

    def test_filter_log_events_message(self):
        # as `aws logs filter-log-events` prints it
        events = [{"logStreamName": "s", "timestamp": 1, "message": m, "eventId": str(i)}
                  for i, m in enumerate([self.record(0), self.DEEP, self.record(1)])]
        self.scan_file("filter.json", json.dumps({"events": events}, indent=4), 2,
                       [(1, "log event message nested too deeply")])

    def test_firehose_message_among_ndjson(self):
        # far enough into an NDJSON file to be read by the parallel parsers
        lines = [self.record(i) for i in range(30000)]
        payload = {"messageType": "DATA_MESSAGE", "logGroup": "g", "logStream": "s",
                   "logEvents": [{"id": str(i), "timestamp": 1, "message": m}
                                 for i, m in enumerate([self.record(1), self.DEEP,
                                                        "[" + self.DEEP + "]"])]}
        lines.insert(20000, json.dumps(payload))
        self.scan_file("firehose.log", "\n".join(lines) + "\n", 30001,
                       [(20001, "log event message nested too deeply")] * 2)

    def test_records_json_glib_would_nest(self):
        # json-glib also reads 'strings' and /comments/: a quote in them hides
        # no brackets from the depth check
        lines = [self.record(0),
                 "['\"', %s, '\"']" % self.DEEP,
                 self.record(1),
                 "2026-03-02T10:00:00.000Z [/ \" / %s / \" /]" % self.DEEP,
                 self.DEEP,
                 self.record(2)]
        self.scan_file("tricks.log", "\n".join(lines) + "\n", 3,
                       [(2, "JSON nested too deeply"), (4, "JSON nested too deeply"),
                        (5, "JSON nested too deeply")])


if __name__ == "__main__":
    unittest.main(verbosity=2)
