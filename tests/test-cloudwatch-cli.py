#!/usr/bin/python3
"""dnshunt scan --cloudwatch against the loopback CloudWatch Logs server.

The server (tests/cloudwatch-server.py) checks every request's signature with
botocore. First the server itself is checked against the real AWS SDK (boto3's
paginator reads every event through it); then the real dnshunt binary must
give the same report as a scan of the served file, follow new events, and fail
with clear messages and exit status 2, never printing a secret.

Run one group with: test-cloudwatch-cli.py ClassName
"""
import gzip
import json
import os
import queue
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import unittest
from datetime import datetime, timedelta, timezone

DNSHUNT = os.environ["DNSHUNT"]
GENERATOR = os.environ["DH_GENERATOR"]
SERVER = os.environ["DH_CLOUDWATCH_SERVER"]
PYTHON = os.environ.get("DH_PYTHON", "/usr/bin/python3")
SRCDIR = os.environ["G_TEST_SRCDIR"]
DEMO = os.path.join(os.path.dirname(SRCDIR), "data", "demo", "route53-demo.log.gz")

GROUP = "/aws/route53/resolver"
AKID = "AKIDEXAMPLE"
SECRET = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
TOKEN = "FwoGZXIvYXdzEXAMPLEsEsSiOnToKeN//////////wEaDDXKJ8mZeJEXAMPLE+tOkEn=="
DEMO_RANGE = ["--start=2026-03-02T00:00:00Z", "--end=2026-03-03T00:00:00Z"]
SECRETS = [SECRET, TOKEN, SECRET.split("/")[1], TOKEN[10:40]]


class Server:
    def __init__(self, log, *args):
        self.proc = subprocess.Popen([PYTHON, SERVER, "--log", log, *args],
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE)
        self.port = int(self.proc.stdout.readline())
        self.url = "http://127.0.0.1:%d" % self.port

    def _http(self, method, path, body=None):
        import http.client
        c = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        c.request(method, path, body=json.dumps(body) if body is not None else None)
        r = c.getresponse()
        data = json.loads(r.read())
        c.close()
        return data

    def control(self, **cmd):
        return self._http("POST", "/_control", cmd)

    def stats(self):
        return self._http("GET", "/_stats")

    def stop(self):
        self.proc.stdin.close()
        self.proc.wait(timeout=10)
        self.proc.stdout.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.stop()


class Common(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="dnshunt-cw-")
        cls.home = os.path.join(cls.tmp, "home")
        os.makedirs(os.path.join(cls.home, ".aws"))
        cls.demo_log = os.path.join(cls.tmp, "demo.log")
        with gzip.open(DEMO, "rt") as f, open(cls.demo_log, "w") as out:
            shutil.copyfileobj(f, out)
        cls.outputs = []

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp)

    def env(self, **extra):
        env = {k: v for k, v in os.environ.items()
               if not k.startswith("AWS_") and "proxy" not in k.lower()}
        env.update(HOME=self.home, AWS_ACCESS_KEY_ID=AKID, AWS_SECRET_ACCESS_KEY=SECRET,
                   AWS_REGION="us-east-1", no_proxy="127.0.0.1", DISPLAY="",
                   WAYLAND_DISPLAY="", G_MESSAGES_DEBUG="all")
        for k, v in extra.items():
            if v is None:
                env.pop(k, None)
            else:
                env[k] = v
        return env

    def scan(self, *args, env=None, timeout=120):
        r = subprocess.run([DNSHUNT, "scan", *args], capture_output=True, timeout=timeout,
                           env=env or self.env())
        self.assert_no_secret(r.stdout, r.stderr)
        return r

    def assert_no_secret(self, *outputs):
        for out in outputs:
            text = out.decode("utf-8", "replace") if isinstance(out, bytes) else out
            for secret in SECRETS:
                self.assertNotIn(secret, text)
            self.assertNotIn("Signature=", text)

    def file_scan(self, path, *args):
        r = subprocess.run([DNSHUNT, "scan", "--format=json", *args, path], capture_output=True,
                           timeout=120, env=self.env())
        self.assertEqual(r.returncode, 0, r.stderr)
        return json.loads(r.stdout)

    def cw_scan(self, server, *args, env=None):
        r = self.scan("--cloudwatch=" + GROUP, "--endpoint-url=" + server.url, "--format=json",
                      *args, env=env)
        self.assertEqual(r.returncode, 0, r.stderr.decode())
        return json.loads(r.stdout)


def iso(dt):
    return dt.strftime("%Y-%m-%dT%H:%M:%S.") + "%03dZ" % (dt.microsecond // 1000)


def ms(dt):
    """The time in whole ms, as iso() writes it and the server reads it."""
    return (dt - datetime(1970, 1, 1, tzinfo=timezone.utc)) // timedelta(milliseconds=1)


def record(when, name, host="10.0.0.5", qtype="A", rcode="NOERROR", instance="i-0abc"):
    return json.dumps({
        "version": "1.100000", "account_id": "111122223333", "region": "us-east-1",
        "vpc_id": "vpc-0abc", "query_timestamp": iso(when), "query_name": name,
        "query_type": qtype, "query_class": "IN", "rcode": rcode, "answers": [],
        "srcaddr": host, "srcport": "5353", "transport": "UDP",
        "srcids": {"instance": instance}}, separators=(",", ":"))


class SdkAgainstServer(Common):
    """The test server speaks CloudWatch Logs as the AWS SDK expects it."""

    def client(self, server):
        import boto3
        from botocore.config import Config
        return boto3.client("logs", endpoint_url=server.url, region_name="us-east-1",
                            aws_access_key_id=AKID, aws_secret_access_key=SECRET,
                            config=Config(retries={"max_attempts": 8, "mode": "standard"}))

    def test_boto3_paginator_reads_every_event(self):
        with open(self.demo_log) as f:
            lines = [line.rstrip("\n") for line in f if line.strip()]
        with Server(self.demo_log, "--page-size", "300", "--empty-every", "2",
                    "--empty-at-end") as server:
            server.control(throttle=3)
            pages = self.client(server).get_paginator("filter_log_events").paginate(
                logGroupName=GROUP)
            messages, ids, empty_with_token = [], set(), 0
            for page in pages:
                if not page["events"] and page.get("nextToken"):
                    empty_with_token += 1
                for e in page["events"]:
                    messages.append(e["message"])
                    ids.add(e["eventId"])
            stats = server.stats()
        self.assertEqual(sorted(messages), sorted(lines))
        self.assertEqual(len(ids), len(lines))
        self.assertGreater(empty_with_token, 3)
        self.assertEqual(stats["bad_signatures"], 0)
        self.assertEqual(sum(r.get("error") == "ThrottlingException"
                             for r in stats["requests"]), 3)

    def test_boto3_time_range_and_groups(self):
        with Server(self.demo_log, "--group", GROUP, "--group", "/aws/route53/other",
                    "--group", "/other", "--groups-page-size", "1") as server:
            c = self.client(server)
            start = int(datetime(2026, 3, 2, 9, tzinfo=timezone.utc).timestamp() * 1000)
            end = int(datetime(2026, 3, 2, 10, tzinfo=timezone.utc).timestamp() * 1000)
            events = [e for p in c.get_paginator("filter_log_events").paginate(
                logGroupName=GROUP, startTime=start, endTime=end) for e in p["events"]]
            self.assertTrue(events)
            self.assertTrue(all(start <= e["timestamp"] <= end for e in events))
            groups = [g["logGroupName"] for p in c.get_paginator("describe_log_groups").paginate(
                logGroupNamePrefix="/aws/route53/") for g in p["logGroups"]]
            self.assertEqual(groups, ["/aws/route53/other", GROUP])
            from botocore.exceptions import ClientError
            with self.assertRaises(ClientError) as cm:
                c.filter_log_events(logGroupName="/missing")
            self.assertEqual(cm.exception.response["Error"]["Code"],
                             "ResourceNotFoundException")
            self.assertEqual(server.stats()["bad_signatures"], 0)

    def test_server_refuses_a_wrong_secret(self):
        import boto3
        from botocore.exceptions import ClientError
        with Server(self.demo_log) as server:
            c = boto3.client("logs", endpoint_url=server.url, region_name="us-east-1",
                             aws_access_key_id=AKID, aws_secret_access_key="x" + SECRET[1:])
            with self.assertRaises(ClientError) as cm:
                c.filter_log_events(logGroupName=GROUP)
            self.assertEqual(cm.exception.response["Error"]["Code"],
                             "InvalidSignatureException")


class SameAsFile(Common):
    """scan --cloudwatch reports exactly what a scan of the served file does."""

    def test_demo_through_pages_empty_pages_and_throttles(self):
        expected = self.file_scan(self.demo_log, *DEMO_RANGE)
        with Server(self.demo_log, "--page-size", "400", "--empty-every", "2",
                    "--empty-at-end") as server:
            server.control(throttle=3)
            doc = self.cw_scan(server, *DEMO_RANGE)
            stats = server.stats()
        self.assertEqual(doc, expected)
        self.assertEqual(doc["summary"]["events"], 5000)
        self.assertGreaterEqual(len(doc["alerts"]), 10)
        # every event was served once, every request was signed right
        ids = [i for r in stats["requests"] for i in r.get("ids", [])]
        self.assertEqual(len(ids), 5000)
        self.assertEqual(len(set(ids)), 5000)
        self.assertEqual(stats["bad_signatures"], 0)
        self.assertEqual(sum(r.get("error") == "ThrottlingException"
                             for r in stats["requests"]), 3)
        self.assertTrue(any(r.get("events") == 0 and r.get("status") == 200
                            for r in stats["requests"]))

    def test_part_of_a_generated_log(self):
        log = os.path.join(self.tmp, "gen.log")
        subprocess.run([PYTHON, GENERATOR, "-o", log, "--events", "20000", "--hours", "3",
                        "--seed", "11", "--start", "2026-04-01T00:00:00Z"], check=True,
                       timeout=300)
        window = ["--start=2026-04-01T00:40:00.5Z", "--end=2026-04-01T02:10:00Z"]
        expected = self.file_scan(log, *window)
        with Server(log, "--page-size", "2000") as server:
            doc = self.cw_scan(server, *window)
            starts = [r["startTime"] for r in server.stats()["requests"]]
        self.assertEqual(doc, expected)
        self.assertLess(doc["summary"]["events"], 20000)
        self.assertGreater(doc["summary"]["events"], 5000)
        # concurrent time slices, the first starting at the window's first ms
        self.assertIn(int(datetime(2026, 4, 1, 0, 40, 0, 500000,
                                   tzinfo=timezone.utc).timestamp() * 1000), starts)
        self.assertGreater(len(set(starts)), 1)

    def test_text_report_and_fail_on(self):
        with Server(self.demo_log) as server:
            r = self.scan("--cloudwatch=" + GROUP, "--endpoint-url=" + server.url,
                          *DEMO_RANGE, "--fail-on=high")
        f = subprocess.run([DNSHUNT, "scan", *DEMO_RANGE, "--fail-on=high", self.demo_log],
                           capture_output=True, env=self.env())
        self.assertEqual(r.returncode, 3)
        self.assertEqual(r.stdout, f.stdout)

    def test_credential_process_with_session_token(self):
        script = os.path.join(self.tmp, "creds.sh")
        with open(script, "w") as f:
            f.write("#!/bin/sh\nprintf '%s'\n" % json.dumps({
                "Version": 1, "AccessKeyId": AKID, "SecretAccessKey": SECRET,
                "SessionToken": TOKEN, "Expiration": "2099-01-01T00:00:00Z"}))
        config = os.path.join(self.tmp, "config")
        with open(config, "w") as f:
            f.write("[profile analyst]\nregion = us-east-1\ncredential_process = sh %s\n"
                    % script)
        env = self.env(AWS_ACCESS_KEY_ID=None, AWS_SECRET_ACCESS_KEY=None, AWS_REGION=None,
                       AWS_CONFIG_FILE=config)
        expected = self.file_scan(self.demo_log, *DEMO_RANGE)
        with Server(self.demo_log, "--session-token", TOKEN) as server:
            doc = self.cw_scan(server, "--profile=analyst", *DEMO_RANGE, env=env)
            stats = server.stats()
        self.assertEqual(doc, expected)
        self.assertTrue(all(r["token_sent"] for r in stats["requests"]))
        self.assertEqual(stats["bad_signatures"], 0)

    def test_deep_message_is_one_rejected_event(self):
        # 240 KB of brackets, under CloudWatch's 256 KB event limit
        t = datetime(2026, 3, 2, 10, tzinfo=timezone.utc)
        log = os.path.join(self.tmp, "deep.log")
        with open(log, "w") as f:
            f.write("\n".join([record(t, "a.example."), "[" * 120000 + "]" * 120000,
                               record(t + timedelta(seconds=1), "b.example.")]) + "\n")
        with Server(log) as server:
            r = self.scan("--cloudwatch=" + GROUP, "--endpoint-url=" + server.url,
                          "--format=json", *DEMO_RANGE)
        self.assertEqual(r.returncode, 0, r.stderr[-2000:])
        doc = json.loads(r.stdout)
        self.assertEqual(doc["summary"]["events"], 2)
        self.assertEqual(doc["summary"]["rejected"], 1)
        self.assertIn(b"rejected: log event message nested too deeply", r.stderr)

    def test_default_range_is_the_last_hour(self):
        with Server(self.demo_log) as server:
            before = time.time() * 1000
            doc = self.cw_scan(server)
            after = time.time() * 1000
            reqs = server.stats()["requests"]
        self.assertEqual(doc["summary"]["events"], 0)   # the demo is months old
        first = min(r["startTime"] for r in reqs)
        last = max(r["endTime"] for r in reqs)
        self.assertLessEqual(abs(first - (before - 3600 * 1000)), 5000)
        self.assertTrue(before - 1000 <= last <= after + 1000)


class Follow(Common):
    """--follow prints each new alert once, as it opens, and stops cleanly."""

    def start(self, log, *args):
        proc = subprocess.Popen([DNSHUNT, "scan", "--cloudwatch=" + GROUP,
                                 "--endpoint-url=" + self.server.url, "--follow",
                                 "--poll-interval=150", "--since=10m", *args],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                env=self.env(G_MESSAGES_DEBUG=None))
        lines = queue.Queue()

        def pump():
            for line in proc.stdout:
                lines.put(line.decode("utf-8"))
            lines.put(None)

        threading.Thread(target=pump, daemon=True).start()
        return proc, lines

    def append(self, log, *records):
        with open(log, "a") as f:
            for r in records:
                f.write(r + "\n")

    def expect_lines(self, lines, n, timeout=20):
        got = []
        deadline = time.time() + timeout
        while len(got) < n:
            try:
                line = lines.get(timeout=max(0.1, deadline - time.time()))
            except queue.Empty:
                break
            if line is None:
                break
            got.append(line)
        self.assertEqual(len(got), n, got)
        return got

    def expect_quiet(self, lines, seconds):
        try:
            line = lines.get(timeout=seconds)
        except queue.Empty:
            return
        self.fail("unexpected output: %r" % line)

    def stop(self, proc, sig=signal.SIGINT):
        t0 = time.time()
        proc.send_signal(sig)
        rc = proc.wait(timeout=10)
        stderr = proc.stderr.read()
        proc.stderr.close()
        self.assert_no_secret(stderr)
        self.assertLess(time.time() - t0, 5)
        return rc, stderr

    def test_json_alerts_as_they_open(self):
        now = datetime.now(timezone.utc)
        log = os.path.join(self.tmp, "follow.log")
        with open(log, "w") as f:
            for i in range(50):
                f.write(record(now - timedelta(seconds=120 - i), "www%d.example.com." % i)
                        + "\n")
            # one alert already in the backlog
            f.write(record(now - timedelta(seconds=60), "pastebin.com.", host="10.0.0.20")
                    + "\n")
        with Server(log, "--page-size", "20") as self.server:
            proc, lines = self.start(log, "--format=json")
            first = json.loads(self.expect_lines(lines, 1)[0])
            self.assertEqual((first["rule"], first["host"]), ("paste-site", "10.0.0.20"))

            t = datetime.now(timezone.utc)
            self.append(log, record(t, "supportxmr.com.", host="10.0.0.9"),
                        record(t, "www.example.org.", host="10.0.0.9"))
            second = json.loads(self.expect_lines(lines, 1)[0])
            self.assertEqual((second["rule"], second["host"]), ("monero-pool", "10.0.0.9"))
            self.assertEqual(second["names"], ["supportxmr.com."])

            # the same episode goes on: nothing new to print
            self.append(log, record(t + timedelta(seconds=1), "pool.supportxmr.com.",
                                    host="10.0.0.9"))
            self.expect_quiet(lines, 1.5)

            # an event at the very newest millisecond still counts
            newest = t + timedelta(seconds=1)
            self.append(log, record(newest, "paste.ee.", host="10.0.0.30"))
            third = json.loads(self.expect_lines(lines, 1)[0])
            self.assertEqual((third["rule"], third["host"]), ("paste-site", "10.0.0.30"))
            self.expect_quiet(lines, 1)

            rc, stderr = self.stop(proc)
            self.assertEqual(rc, 0, stderr)
            reqs = self.server.stats()["requests"]
        # every poll after the first starts at the newest timestamp seen
        self.assertGreater(len(reqs), 5)
        self.assertTrue(all(r["endTime"] is None for r in reqs[-3:]))

    def test_notify_each_alert_as_it_opens(self):
        """--follow --notify: each new alert reaches the webhook within seconds."""
        sys.path.insert(0, SRCDIR)
        import notify_server
        secret = "whsec-follow-example-key-0123456789"
        rx = notify_server.Receivers("", secret)
        state = os.path.join(self.tmp, "state-follow")
        now = datetime.now(timezone.utc)
        log = os.path.join(self.tmp, "follow-notify.log")
        with open(log, "w") as f:
            for i in range(20):
                f.write(record(now - timedelta(seconds=60 - i), "www%d.example.com." % i) + "\n")
        try:
            with Server(log) as self.server:
                proc = subprocess.Popen(
                    [DNSHUNT, "scan", "--cloudwatch=" + GROUP, "--endpoint-url=" + self.server.url,
                     "--follow", "--poll-interval=500", "--since=10m", "--notify=webhook",
                     "--notify-min-severity=low"],
                    stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                    env=self.env(G_MESSAGES_DEBUG=None, XDG_STATE_HOME=state,
                                 DNSHUNT_WEBHOOK_URL=rx.url("/webhook"),
                                 DNSHUNT_WEBHOOK_SECRET=secret))
                latencies = []
                for i in range(5):
                    written = time.time()
                    self.append(log, record(datetime.now(timezone.utc), "pastebin.com.",
                                            host="10.0.1.%d" % i))
                    deadline = written + 10
                    while len(rx.of("webhook", 200)) < i + 1 and time.time() < deadline:
                        time.sleep(0.02)
                    got = rx.of("webhook", 200)
                    self.assertEqual(len(got), i + 1, "alert %d not delivered within 10 s" % i)
                    latencies.append(got[-1]["time"] - written)
                    self.assertEqual(got[-1]["body"]["alert"]["host"], "10.0.1.%d" % i)
                rc, stderr = self.stop(proc)
                self.assertEqual(rc, 0, stderr)
                self.assertIn(b"delivered 1 alert", stderr)
            latencies.sort()
            print("follow --notify latency: p50 %.2f s, max %.2f s (poll 0.5 s)"
                  % (latencies[len(latencies) // 2], latencies[-1]), file=sys.stderr)
        finally:
            rx.close()

    def test_retention_bounds_memory(self):
        now = datetime.now(timezone.utc)
        log = os.path.join(self.tmp, "follow-retention.log")
        with open(log, "w") as f:
            for i in range(200):
                f.write(record(now - timedelta(seconds=120 - i * 0.25), "www%d.example.com." % i)
                        + "\n")
            f.write(record(now - timedelta(seconds=60), "pastebin.com.", host="10.0.0.20") + "\n")
        with Server(log) as self.server:
            proc, lines = self.start(log, "--format=json", "--retention=5s")
            first = json.loads(self.expect_lines(lines, 1)[0])
            self.assertEqual((first["rule"], first["host"]), ("paste-site", "10.0.0.20"))

            t = datetime.now(timezone.utc)
            fresh = [record(t, "new%d.example.org." % i) for i in range(20)]
            fresh.append(record(t, "pastebin.com.", host="10.0.0.20"))
            fresh.append(record(t, "supportxmr.com.", host="10.0.0.9"))
            self.append(log, *fresh)
            second = json.loads(self.expect_lines(lines, 1)[0])
            self.assertEqual((second["rule"], second["host"]), ("monero-pool", "10.0.0.9"))
            # the paste-site episode goes on, though its start left memory: not new
            self.expect_quiet(lines, 1.5)
            rc, stderr = self.stop(proc)
        self.assertEqual(rc, 0, stderr)
        m = re.search(rb"followed (\d+) events; (\d+) of them were in memory", stderr)
        self.assertIsNotNone(m, stderr)
        self.assertEqual(int(m.group(1)), 201 + 22)
        self.assertLessEqual(int(m.group(2)), 22, "the backlog older than 5 s was dropped")

    def test_late_events(self):
        # CloudWatch takes events in across streams: one may come in after
        # others with later times. Every poll reads the lookback (default
        # 5 min) before the newest event again, and skips the ids it has seen.
        now = datetime.now(timezone.utc)
        log = os.path.join(self.tmp, "follow-late.log")
        with open(log, "w") as f:
            for i in range(30):
                f.write(record(now - timedelta(seconds=90 - i), "www%d.example.com." % i) + "\n")
        with Server(log, "--page-size", "7") as self.server:
            proc, lines = self.start(log, "--format=json")
            t = datetime.now(timezone.utc)
            self.append(log, record(t, "pastebin.com.", host="10.0.0.20"))
            first = json.loads(self.expect_lines(lines, 1)[0])
            self.assertEqual((first["rule"], first["host"]), ("paste-site", "10.0.0.20"))

            # the newest seen is t; this one, 30 s older, comes in now
            self.append(log, record(t - timedelta(seconds=30), "supportxmr.com.",
                                    host="10.0.0.9"))
            late = json.loads(self.expect_lines(lines, 1)[0])
            self.assertEqual((late["rule"], late["host"]), ("monero-pool", "10.0.0.9"))
            self.assertEqual(late["first_seen"], iso(t - timedelta(seconds=30)))
            self.expect_quiet(lines, 1)
            rc, stderr = self.stop(proc)
            reqs = self.server.stats()["requests"]
        self.assertEqual(rc, 0, stderr)
        # every event once, though the polls read the backlog again and again
        m = re.search(rb"followed (\d+) events", stderr)
        self.assertEqual(int(m.group(1)), 32, stderr)
        # the polls start 5 minutes before the newest event
        self.assertEqual(reqs[-1]["startTime"], ms(t) - 5 * 60 * 1000)

    def test_lookback_option(self):
        # --lookback=0 reads from the newest event on, as `aws logs tail`
        now = datetime.now(timezone.utc)
        log = os.path.join(self.tmp, "follow-nolookback.log")
        with open(log, "w") as f:
            f.write(record(now - timedelta(seconds=10), "hastebin.com.") + "\n")
        with Server(log) as self.server:
            proc, lines = self.start(log, "--format=json", "--lookback=0")
            self.expect_lines(lines, 1)
            self.append(log, record(now - timedelta(seconds=20), "supportxmr.com.",
                                    host="10.0.0.9"))
            self.expect_quiet(lines, 1.5)
            rc, stderr = self.stop(proc)
            reqs = self.server.stats()["requests"]
        self.assertEqual(rc, 0, stderr)
        self.assertEqual(reqs[-1]["startTime"], ms(now - timedelta(seconds=10)))

    def test_future_dated_record(self):
        # One record dated next year (a wrong clock, or planted) must neither
        # move the polls past all that follows nor make --retention drop
        # everything else: both count it for no later than it came in.
        now = datetime.now(timezone.utc)
        log = os.path.join(self.tmp, "follow-future.log")
        with open(log, "w") as f:
            for i in range(10):
                f.write(record(now - timedelta(seconds=60 - i), "www%d.example.com." % i) + "\n")
            f.write(record(now - timedelta(seconds=30), "pastebin.com.", host="10.0.0.20")
                    + "\n")
        with Server(log) as self.server:
            proc, lines = self.start(log, "--format=json", "--lookback=0")
            self.expect_lines(lines, 1)
            self.append(log, record(now + timedelta(days=365), "paste.ee.", host="10.0.0.66"))
            future = json.loads(self.expect_lines(lines, 1)[0])
            self.assertEqual(future["host"], "10.0.0.66")

            self.append(log, record(datetime.now(timezone.utc), "supportxmr.com.",
                                    host="10.0.0.9"))
            after = json.loads(self.expect_lines(lines, 1)[0])
            self.assertEqual((after["rule"], after["host"]), ("monero-pool", "10.0.0.9"))
            rc, stderr = self.stop(proc)
        self.assertEqual(rc, 0, stderr)
        m = re.search(rb"followed (\d+) events; (\d+) of them were in memory", stderr)
        self.assertIsNotNone(m, stderr)
        # the last hour (the default --retention) is all of them
        self.assertEqual((int(m.group(1)), int(m.group(2))), (13, 13))

    def test_text_lines_sigterm_and_fail_on(self):
        now = datetime.now(timezone.utc)
        log = os.path.join(self.tmp, "follow-text.log")
        with open(log, "w") as f:
            f.write(record(now - timedelta(seconds=30), "www.example.com.") + "\n")
        with Server(log) as self.server:
            proc, lines = self.start(log, "--fail-on=high")
            self.expect_quiet(lines, 1)
            self.append(log, record(datetime.now(timezone.utc), "minexmr.com.",
                                    host="10.0.0.44", instance="i-0feed"))
            line = self.expect_lines(lines, 1)[0]
            self.assertRegex(line, r"^\d{4}-\d\d-\d\dT\S+Z\s+HIGH\s+monero-pool\s+10\.0\.0\.44 "
                                   r"\(i-0feed\)\s+1 events: minexmr\.com\.$")
            rc, _ = self.stop(proc, signal.SIGTERM)
        self.assertEqual(rc, 3)

    def test_output_file(self):
        log = os.path.join(self.tmp, "follow-out.log")
        out = os.path.join(self.tmp, "alerts.ndjson")
        with open(log, "w") as f:
            f.write(record(datetime.now(timezone.utc), "hastebin.com.") + "\n")
        with Server(log) as self.server:
            proc, lines = self.start(log, "--format=json", "-o", out)
            deadline = time.time() + 20
            while time.time() < deadline:
                if os.path.exists(out) and os.path.getsize(out) > 0:
                    break
                time.sleep(0.1)
            rc, _ = self.stop(proc)
        self.assertEqual(rc, 0)
        with open(out) as f:
            alerts = [json.loads(line) for line in f]
        self.assertEqual([a["rule"] for a in alerts], ["paste-site"])


class Failures(Common):
    """Credential, network and AWS failures: a clear message and exit status 2."""

    def expect(self, args, pattern, env=None, status=2):
        r = self.scan(*args, env=env)
        err = r.stderr.decode("utf-8")
        self.assertEqual(r.returncode, status, err)
        self.assertRegex(err, pattern)
        self.assertEqual(r.stdout, b"")
        return err

    def test_aws_errors(self):
        with Server(self.demo_log) as server:
            base = ["--cloudwatch=" + GROUP, "--endpoint-url=" + server.url, *DEMO_RANGE]
            self.expect(base, r"signature.*secret access key",
                        env=self.env(AWS_SECRET_ACCESS_KEY="y" + SECRET[1:]))
            # (for as long as it takes: requests the last scan left behind
            # when it stopped may still reach the server and use up a count)
            server.control(fail="ExpiredTokenException", count=1000)
            self.expect(base, r"session token has expired")
            server.control(fail="AccessDeniedException", count=1000)
            self.expect(base, r"Access denied.*logs:FilterLogEvents")
            server.control(fail="none", count=0)
            self.expect(["--cloudwatch=/missing", "--endpoint-url=" + server.url],
                        r"log group “/missing” does not exist in region us-east-1")
            self.expect(base + ["--region=eu-west-1"], r"does not serve region eu-west-1")
            self.expect(base, r"does not know the access key",
                        env=self.env(AWS_ACCESS_KEY_ID="AKIDUNKNOWN"))
            self.expect(base, r"does not know the access key",
                        env=self.env(AWS_SESSION_TOKEN=TOKEN))
            server.control(throttle=100)
            self.expect(base, r"still throttling FilterLogEvents after 8 attempts")
            server.control(throttle=0)

    def test_network_and_tls(self):
        with Server(self.demo_log) as server:
            port = server.port
            self.expect(["--cloudwatch=" + GROUP, "--endpoint-url=https://127.0.0.1:%d" % port],
                        r"TLS failed with 127\.0\.0\.1")
        # the server is gone: nothing listens on its port any more
        self.expect(["--cloudwatch=" + GROUP, "--endpoint-url=http://127.0.0.1:%d" % port],
                    r"Cannot reach 127\.0\.0\.1:%d" % port)

    def test_credentials_and_region(self):
        base = ["--cloudwatch=" + GROUP, "--endpoint-url=http://127.0.0.1:9"]
        self.expect(base, r"No AWS credentials: set AWS_ACCESS_KEY_ID",
                    env=self.env(AWS_ACCESS_KEY_ID=None, AWS_SECRET_ACCESS_KEY=None))
        self.expect(base, r"Incomplete AWS credentials in the environment: "
                          r"AWS_SECRET_ACCESS_KEY is missing",
                    env=self.env(AWS_SECRET_ACCESS_KEY=None))
        self.expect(base + ["--profile=ghost"], r"profile “ghost” \(--profile\) is not in")
        self.expect(base, r"No AWS region: use --region, set AWS_REGION",
                    env=self.env(AWS_REGION=None))
        broken = os.path.join(self.tmp, "broken-credentials")
        with open(broken, "w") as f:
            f.write("[default]\naws_access_key_id = %s\n%s\n" % (AKID, SECRET))
        self.expect(base, r"broken-credentials, line 3: cannot parse",
                    env=self.env(AWS_ACCESS_KEY_ID=None, AWS_SECRET_ACCESS_KEY=None,
                                 AWS_SHARED_CREDENTIALS_FILE=broken))
        failing = os.path.join(self.tmp, "failing.sh")
        with open(failing, "w") as f:
            f.write("#!/bin/sh\necho '{\"SecretAccessKey\": \"%s\"}'\n"
                    "echo 'Token for corp does not exist' >&2\nexit 255\n" % SECRET)
        config = os.path.join(self.tmp, "config-failing")
        with open(config, "w") as f:
            f.write("[profile corp]\ncredential_process = sh %s\n" % failing)
        self.expect(base + ["--profile=corp"],
                    r"credential_process of profile “corp” .*exit status 255.*Token for corp",
                    env=self.env(AWS_CONFIG_FILE=config))
        # a helper that prints without end (`yes`): stopped at the cap
        with open(config, "w") as f:
            f.write("[profile chatty]\ncredential_process = yes '{\"SecretAccessKey\": \"%s\"}'\n"
                    % SECRET)
        self.expect(base + ["--profile=chatty"],
                    r"credential_process of profile “chatty” .*\(yes\) printed more than 64 KiB",
                    env=self.env(AWS_CONFIG_FILE=config))

    WINDOW = ["--start=2026-03-02T10:00:00Z", "--end=2026-03-02T10:00:30Z"]   # one slice

    def test_redirect_not_followed(self):
        with Server(self.demo_log) as server, Server(self.demo_log) as other:
            base = ["--cloudwatch=" + GROUP, "--endpoint-url=" + server.url, *self.WINDOW]
            for status in (301, 302, 303, 307):
                server.control(redirect="%s/_sink?X-Amz-Security-Token=%s" % (other.url, TOKEN),
                               status=status, count=1)
                err = self.expect(base, r"a redirect \(HTTP %d [^)]*\) to 127\.0\.0\.1:%d\b"
                                  % (status, other.port), env=self.env(AWS_SESSION_TOKEN=TOKEN))
                self.assertNotIn("_sink", err)
            # nothing reached the other host, the token least of all
            self.assertEqual(other.stats()["sink"], [])

    def test_reply_too_large(self):
        with Server(self.demo_log) as server:
            base = ["--cloudwatch=" + GROUP, "--endpoint-url=" + server.url, *self.WINDOW]
            for length in (True, False):
                server.control(huge=48, length=length)
                self.expect(base, r"FilterLogEvents is too large \(more than 8 MiB\)")
                self.assertLess(server.stats()["huge_sent"], 32 << 20)

    def test_page_tokens_in_a_circle(self):
        with Server(self.demo_log) as server:
            # (after 200 pages the server stops: a scan that misses the circle ends)
            server.control(cycle=["A", "B"], count=200)
            self.expect(["--cloudwatch=" + GROUP, "--endpoint-url=" + server.url, *self.WINDOW],
                        r"FilterLogEvents returned a page token it had given before")
            self.assertLessEqual(len(server.stats()["requests"]), 4)

    def test_usage(self):
        for args, pattern in [
            (["--follow", "-"], r"--follow follows files and folders, not standard input"),
            (["--follow", "--end=2026-01-01T00:00:00Z", self.demo_log], r"takes no --end"),
            (["--region=us-east-1", self.demo_log], r"go with --cloudwatch"),
            (["--cloudwatch=" + GROUP, self.demo_log], r"give no files"),
            (["--cloudwatch=" + GROUP, "--follow", "--end=2026-01-01T00:00:00Z"],
             r"takes no --end"),
            (["--cloudwatch=" + GROUP, "--endpoint-url=ftp://x"], r"not an http"),
        ]:
            self.expect(args, pattern, status=1)


class Secrets(Common):
    """No output of any run, debug messages included, carries a secret."""

    def test_no_secret_anywhere(self):
        # every scan() above and here greps stdout and stderr; this one runs
        # the noisiest paths once more with every debug domain on
        with Server(self.demo_log, "--session-token", TOKEN) as server:
            env = self.env(AWS_SESSION_TOKEN=TOKEN, G_MESSAGES_DEBUG="all")
            ok = self.scan("--cloudwatch=" + GROUP, "--endpoint-url=" + server.url,
                           *DEMO_RANGE, "--progress", env=env)
            self.assertEqual(ok.returncode, 0, ok.stderr)
            self.assertIn(b"dh-aws", ok.stderr)    # the debug output was on
            server.control(throttle=2)
            ok = self.scan("--cloudwatch=" + GROUP, "--endpoint-url=" + server.url,
                           *DEMO_RANGE, env=env)
            self.assertEqual(ok.returncode, 0)
            bad = self.scan("--cloudwatch=" + GROUP, "--endpoint-url=" + server.url,
                            *DEMO_RANGE, env=self.env(AWS_SESSION_TOKEN=TOKEN,
                                                      AWS_SECRET_ACCESS_KEY=SECRET[::-1]))
            self.assertEqual(bad.returncode, 2)


if __name__ == "__main__":
    unittest.main(verbosity=2)
