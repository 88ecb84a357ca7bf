#!/usr/bin/python3
"""dnshunt scan --notify against loopback Slack, PagerDuty and webhook stand-ins.

The stand-ins (tests/notify_server.py) check each request as the service
does. The real dnshunt binary must deliver every alert of the demo once to
each destination, send nothing again on a second scan, survive 429, 5xx,
resets, a receiver that is down, and kill -9 in the middle, keep hostile log
strings inert in Slack, and never show a secret.

Run one group with: test-notify.py ClassName
"""
import glob
import gzip
import json
import os
import shutil
import signal
import stat
import subprocess
import sys
import tempfile
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import notify_server  # noqa: E402

DNSHUNT = os.environ["DNSHUNT"]
PYTHON = os.environ.get("DH_PYTHON", "/usr/bin/python3")
SRCDIR = os.environ["G_TEST_SRCDIR"]
DEMO = os.path.join(os.path.dirname(SRCDIR), "data", "demo", "route53-demo.log.gz")

SLACK_TOKEN = "T0EXAMPLE/B0EXAMPLE/XXXXsecretslackpathXXXX"
ROUTING_KEY = "R0UT1NGK3Y0123456789abcdefABCDEF"      # 32 characters, as PagerDuty's
HMAC_SECRET = "whsec-0f9e8d7c6b5a-example-hmac-key"
SECRETS = [SLACK_TOKEN, "XXXXsecretslackpathXXXX", ROUTING_KEY, HMAC_SECRET]


def demo_alerts():
    out = subprocess.run([DNSHUNT, "scan", "--format=json", DEMO], capture_output=True,
                         check=True).stdout
    return json.loads(out)["alerts"]


def slack_alert_lines(received):
    """How many alerts the Slack messages carried: a digest has a line each."""
    n = 0
    for r in received:
        header = r["body"]["blocks"][0]["text"]["text"]
        if "new DNS Hunt alert" in header:
            n += int(header.split()[0])
        else:
            n += 1
    return n


class Case(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="dh-notify-")
        self.rx = notify_server.Receivers(ROUTING_KEY, HMAC_SECRET)
        self.env = dict(os.environ)
        for k in list(self.env):
            if k.startswith("DNSHUNT_") and k != "DNSHUNT_DEMO_DIR":
                del self.env[k]
        self.env.update({
            "XDG_STATE_HOME": os.path.join(self.tmp, "state"),
            "DNSHUNT_SLACK_WEBHOOK_URL": self.rx.url("/slack/" + SLACK_TOKEN),
            "DNSHUNT_PAGERDUTY_URL": self.rx.url("/pagerduty"),
            "DNSHUNT_PAGERDUTY_ROUTING_KEY": ROUTING_KEY,
            "DNSHUNT_WEBHOOK_URL": self.rx.url("/webhook"),
            "DNSHUNT_WEBHOOK_SECRET": HMAC_SECRET,
            "no_proxy": "127.0.0.1,localhost",
            "NO_PROXY": "127.0.0.1,localhost",
        })

    def tearDown(self):
        self.rx.close()
        shutil.rmtree(self.tmp, ignore_errors=True)

    def scan(self, *args, inputs=(DEMO,), env=None, timeout=180):
        return subprocess.run([DNSHUNT, "scan", *args, *inputs], capture_output=True,
                              env=env or self.env, timeout=timeout)

    def outbox_text(self):
        text = b""
        for path in glob.glob(os.path.join(self.tmp, "state", "**"), recursive=True):
            if os.path.isfile(path):
                with open(path, "rb") as f:
                    text += f.read()
        return text

    def assertNoSecret(self, *blobs):
        for blob in blobs:
            if isinstance(blob, bytes):
                blob = blob.decode("utf-8", "replace")
            for s in SECRETS:
                self.assertNotIn(s, blob)


class Delivery(Case):
    def test_each_alert_once_then_never_again(self):
        alerts = demo_alerts()
        self.assertGreater(len(alerts), 5)
        r = self.scan("--notify=slack", "--notify=pagerduty", "--notify=webhook",
                      "--notify-min-severity=low", "--format=json")
        self.assertEqual(r.returncode, 0, r.stderr)
        # the report is the same as without --notify
        self.assertEqual(json.loads(r.stdout)["alerts"], alerts)

        pd = self.rx.of("pagerduty", 202)
        self.assertEqual(len(pd), len(alerts))
        self.assertEqual(len({p["body"]["dedup_key"] for p in pd}), len(alerts))
        self.assertTrue(all(p["body"]["event_action"] == "trigger" for p in pd))
        sev = {"high": "error", "medium": "warning", "low": "info"}
        by_rule_host = {(a["rule"], a["host"], a["first_seen"]): a for a in alerts}
        for p in pd:
            pl = p["body"]["payload"]
            a = by_rule_host[(pl["component"], pl["source"], pl["timestamp"])]
            self.assertEqual(pl["severity"], sev[a["severity"]])
            self.assertEqual(pl["custom_details"]["count"], a["count"])
            self.assertTrue(p["body"]["links"][0]["href"].startswith("https://attack.mitre.org/"))
        # in the order the alerts opened
        times = [p["body"]["payload"]["timestamp"] for p in pd]
        self.assertEqual(times, sorted(times))

        hooks = self.rx.of("webhook", 200)
        self.assertEqual(len(hooks), len(alerts))
        self.assertEqual(sorted(json.dumps(h["body"]["alert"], sort_keys=True) for h in hooks),
                         sorted(json.dumps(a, sort_keys=True) for a in alerts))
        self.assertEqual({h["body"]["id"] for h in hooks}, {p["body"]["dedup_key"] for p in pd})

        slack = self.rx.of("slack", 200)
        self.assertEqual(self.rx.of("slack", 429), [])      # paced at one a second
        self.assertEqual(slack_alert_lines(slack), len(alerts))
        self.assertIn("delivered", r.stderr.decode())

        # a second scan of the same logs sends nothing
        before = len(self.rx.received)
        r = self.scan("--notify=slack", "--notify=pagerduty", "--notify=webhook",
                      "--notify-min-severity=low")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(len(self.rx.received), before)

    def test_min_severity_default_medium(self):
        alerts = demo_alerts()
        r = self.scan("--notify=pagerduty")
        self.assertEqual(r.returncode, 0, r.stderr)
        want = sum(1 for a in alerts if a["severity"] in ("medium", "high"))
        self.assertLess(want, len(alerts))
        self.assertEqual(len(self.rx.of("pagerduty", 202)), want)
        r = self.scan("--notify=pagerduty", "--notify-min-severity=high")
        self.assertEqual(len(self.rx.of("pagerduty", 202)), want)   # nothing new above high

    def test_slack_single_message_shape(self):
        # below the burst limit each alert is its own Block Kit message
        r = self.scan("--notify=slack", "--notify-min-severity=high")
        self.assertEqual(r.returncode, 0, r.stderr)
        slack = self.rx.of("slack", 200)
        highs = [a for a in demo_alerts() if a["severity"] == "high"]
        self.assertEqual(len(slack), len(highs))
        for msg in slack:
            blocks = msg["body"]["blocks"]
            self.assertEqual(blocks[0]["type"], "header")
            self.assertIn("High", blocks[0]["text"]["text"])
            section = blocks[1]["text"]["text"]
            self.assertIn("*Host*", section)
            self.assertRegex(section, r"<https://attack\.mitre\.org/techniques/T\d+/(\d+/)?\|T")
            self.assertIn("*First step*", blocks[2]["text"]["text"])
            self.assertTrue(msg["body"]["text"])
        # consecutive messages at least a second apart
        gaps = [b["time"] - a["time"] for a, b in zip(slack, slack[1:])]
        self.assertTrue(all(g >= 0.95 for g in gaps), gaps)


class Failures(Case):
    def test_429_and_5xx_are_retried_in_order(self):
        self.rx.fail["pagerduty"] = ["500", "reset", "429:2", "500"]
        self.rx.fail["webhook"] = ["garbage"]            # a 2xx with junk: delivered
        alerts = demo_alerts()
        started = time.time()
        r = self.scan("--notify=pagerduty", "--notify=webhook", "--notify-min-severity=low")
        self.assertEqual(r.returncode, 0, r.stderr)
        err = r.stderr.decode()
        self.assertIn("HTTP 500", err)
        self.assertIn("HTTP 429", err)
        self.assertIn("trying again", err)
        pd = self.rx.of("pagerduty")
        ok = [p for p in pd if p["status"] == 202]
        self.assertEqual(len(ok), len(alerts))
        # Retry-After: 2 was honoured
        i = next(i for i, p in enumerate(pd) if p["status"] == 429)
        self.assertGreaterEqual(pd[i + 1]["time"] - pd[i]["time"], 1.9)
        # the failed alert went again first: order kept
        times = [p["body"]["payload"]["timestamp"] for p in ok]
        self.assertEqual(times, sorted(times))
        self.assertEqual(len(self.rx.of("webhook")), len(alerts))
        self.assertLess(time.time() - started, 60)

    def test_receiver_down_then_up(self):
        self.rx.down_until = time.time() + 6
        alerts = demo_alerts()
        r = self.scan("--notify=webhook", "--notify-min-severity=low")
        self.assertEqual(r.returncode, 0, r.stderr)
        hooks = self.rx.of("webhook", 200)
        self.assertEqual(len(hooks), len(alerts))
        self.assertGreaterEqual(hooks[0]["time"], self.rx.down_until)
        firsts = [h["body"]["alert"]["first_seen"] for h in hooks]
        self.assertEqual(firsts, sorted(firsts))

    def test_refused_message_does_not_block_the_rest(self):
        self.rx.fail["pagerduty"] = ["400"]
        alerts = demo_alerts()
        r = self.scan("--notify=pagerduty", "--notify-min-severity=low")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("for good", r.stderr.decode())
        self.assertEqual(len(self.rx.of("pagerduty", 202)), len(alerts) - 1)
        # refused for good: not sent again by the next run
        before = len(self.rx.received)
        self.scan("--notify=pagerduty", "--notify-min-severity=low")
        self.assertEqual(len(self.rx.received), before)

    def test_revoked_webhook_keeps_the_outbox(self):
        self.rx.fail["slack"] = ["404"]
        self.rx.echo_path = True          # an answer that repeats the secret path
        r = self.scan("--notify=slack", "--notify-min-severity=low")
        self.assertEqual(r.returncode, 0, r.stderr)
        err = r.stderr.decode()
        self.assertIn("HTTP 404", err)
        self.assertIn("stay in the outbox", err)
        self.assertNoSecret(err, r.stdout)
        self.assertEqual(len(self.rx.of("slack")), 1)
        # the next run sends what was left
        r = self.scan("--notify=slack", "--notify-min-severity=low")
        self.assertEqual(slack_alert_lines(self.rx.of("slack", 200)), len(demo_alerts()))

    def test_hanging_receiver_does_not_hold_the_scan(self):
        self.rx.fail["webhook"] = ["hang:20"] * 3
        plain = self.scan()
        started = time.time()
        r = self.scan("--notify=webhook", "--notify=pagerduty", "--notify-wait=3s",
                      "--notify-min-severity=low")
        took = time.time() - started
        self.assertEqual(r.returncode, plain.returncode)
        self.assertEqual(r.stdout, plain.stdout)               # the report is whole
        self.assertLess(took, 15)
        # the other receiver got everything meanwhile
        self.assertEqual(len(self.rx.of("pagerduty", 202)), len(demo_alerts()))
        self.assertIn("not delivered yet", r.stderr.decode())

    def test_kill_9_while_delivering(self):
        alerts = demo_alerts()
        self.rx.fail["webhook"] = ["hang:0.4"] * 100
        env = self.env
        p = subprocess.Popen([DNSHUNT, "scan", "--notify=webhook", "--notify-min-severity=low",
                              DEMO], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        deadline = time.time() + 30
        while len(self.rx.of("webhook")) < 3 and time.time() < deadline:
            time.sleep(0.05)
        p.kill()
        p.wait()
        got = len(self.rx.of("webhook"))
        self.assertLess(got, len(alerts))
        self.rx.fail["webhook"] = []
        r = self.scan("--notify=webhook", "--notify-min-severity=low")
        self.assertEqual(r.returncode, 0, r.stderr)
        ids = [h["body"]["id"] for h in self.rx.of("webhook") if h["body"]]
        self.assertEqual(len(set(ids)), len(alerts))
        # at most the one request in flight went twice
        self.assertLessEqual(len(ids) - len(set(ids)), 1)


def hostile_log(path):
    names = ["<!channel>.evil.example.", "<https://evil.example|click here>.", "*bold*_it_~s~.",
             "`code`.example.", "line\nbreak\r\u2028.example.", "x" * 5000 + ".example.",
             "<@U12345>.example.", "&amp;<b>.example."]
    with open(path, "wb") as f:
        for i in range(60):
            rec = {"version": "1.100000", "account_id": "111122223333", "region": "us-east-1",
                   "vpc_id": "vpc-<!here>", "query_timestamp": "2026-03-02T08:%02d:%02dZ" % (i // 60, i % 60),
                   "query_name": names[i % len(names)], "query_type": "A", "query_class": "IN",
                   "rcode": "NOERROR", "answers": [], "srcaddr": "10.9.9.9", "srcport": "5353",
                   "transport": "TCP", "srcids": {"instance": "i-`<!everyone>`*x*"}}
            f.write(json.dumps(rec).encode() + b"\n")
        # invalid UTF-8 in a name
        f.write(b'{"version":"1.100000","account_id":"1","region":"us-east-1","vpc_id":"vpc-1",'
                b'"query_timestamp":"2026-03-02T08:01:01Z","query_name":"bad\xff\xfe.example.",'
                b'"query_type":"A","query_class":"IN","rcode":"NOERROR","answers":[],'
                b'"srcaddr":"10.9.9.9","srcport":"1","transport":"TCP","srcids":{}}\n')


class Hostile(Case):
    def test_log_strings_are_inert_in_slack(self):
        log = os.path.join(self.tmp, "hostile.log")
        hostile_log(log)
        r = self.scan("--notify=slack", "--notify=pagerduty", "--notify-min-severity=low",
                      "--format=json", inputs=(log,))
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertTrue(json.loads(r.stdout)["alerts"], "the hostile log must raise an alert")
        slack = self.rx.of("slack")
        self.assertTrue(slack)
        self.assertTrue(all(m["status"] == 200 for m in slack), [m["status"] for m in slack])
        for m in slack:
            for text in notify_server.slack_texts(m["body"]):
                # the only <…> are the links to MITRE that DNS Hunt wrote
                for ctl in notify_server.slack_controls(text):
                    self.assertRegex(ctl, r"^https://attack\.mitre\.org/[a-z]+/[A-Z0-9/]+\|T[A0-9.]+$")
                self.assertNotIn("\n\n", text)
                self.assertNotIn("\r", text)
            raw = m["raw"].decode("utf-8")
            self.assertNotIn("<!channel>", raw)
            self.assertNotIn("<!here>", raw)
            self.assertNotIn("<!everyone>", raw)
            self.assertIn("&lt;!channel&gt;", raw)
            # each log string stands in a code span of its own: no backtick from the log
            for text in notify_server.slack_texts(m["body"])[1:]:
                for line in text.split("\n"):
                    self.assertEqual(line.count("`") % 2, 0, line)
        for p in self.rx.of("pagerduty"):
            self.assertEqual(p["status"], 202)
            self.assertLessEqual(len(p["body"]["payload"]["summary"]), 1024)
            self.assertLessEqual(len(p["body"]["payload"]["source"]), 255)


class Secrets(Case):
    def test_no_secret_anywhere(self):
        self.rx.fail["slack"] = ["500", "404"]
        self.rx.echo_path = True
        env = dict(self.env, G_MESSAGES_DEBUG="all")
        r = self.scan("--notify=slack", "--notify=pagerduty", "--notify=webhook", env=env)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertNoSecret(r.stdout, r.stderr, self.outbox_text())
        names = " ".join(glob.glob(os.path.join(self.tmp, "state", "**"), recursive=True))
        self.assertNoSecret(names)
        # the outbox is private
        outbox = os.path.join(self.tmp, "state", "dnshunt", "outbox")
        for d in os.listdir(outbox):
            self.assertEqual(stat.S_IMODE(os.stat(os.path.join(outbox, d)).st_mode), 0o700)
            for f in os.listdir(os.path.join(outbox, d)):
                mode = stat.S_IMODE(os.stat(os.path.join(outbox, d, f)).st_mode)
                self.assertEqual(mode & 0o077, 0, f)

    def test_secret_files(self):
        path = os.path.join(self.tmp, "slack-url")
        with open(path, "w") as f:
            f.write(self.env["DNSHUNT_SLACK_WEBHOOK_URL"] + "\n")
        os.chmod(path, 0o644)
        env = dict(self.env)
        del env["DNSHUNT_SLACK_WEBHOOK_URL"]
        env["DNSHUNT_SLACK_WEBHOOK_URL_FILE"] = path
        r = self.scan("--notify=slack", env=env)
        self.assertEqual(r.returncode, 1)
        err = r.stderr.decode()
        self.assertIn("chmod 600", err)
        self.assertNoSecret(err)
        self.assertEqual(self.rx.received, [])
        os.chmod(path, 0o600)
        r = self.scan("--notify=slack", "--notify-min-severity=high", env=env)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertTrue(self.rx.of("slack", 200))

    def test_configuration_errors(self):
        env = dict(self.env)
        del env["DNSHUNT_WEBHOOK_SECRET"]
        r = self.scan("--notify=webhook", env=env)
        self.assertEqual(r.returncode, 1)
        self.assertIn("DNSHUNT_WEBHOOK_SECRET", r.stderr.decode())
        r = self.scan("--notify=teams")
        self.assertEqual(r.returncode, 1)
        self.assertIn("slack, pagerduty, webhook or desktop", r.stderr.decode())
        # a secret never crosses a network in clear
        env = dict(self.env, DNSHUNT_SLACK_WEBHOOK_URL="http://hooks.example.com/services/" + SLACK_TOKEN)
        r = self.scan("--notify=slack", env=env)
        self.assertEqual(r.returncode, 1)
        self.assertIn("https://", r.stderr.decode())
        self.assertNoSecret(r.stderr)
        self.assertEqual(self.rx.received, [])


def record(when, name, host="10.0.0.5", transport="UDP"):
    return json.dumps({
        "version": "1.100000", "account_id": "111122223333", "region": "us-east-1",
        "vpc_id": "vpc-0abc", "query_timestamp": when.strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z",
        "query_name": name, "query_type": "A", "query_class": "IN", "rcode": "NOERROR",
        "answers": [], "srcaddr": host, "srcport": "5353", "transport": transport,
        "srcids": {"instance": "i-0abc"}})


class Follow(Case):
    """scan --follow DIR|FILE: new objects and appended lines, alert by alert."""

    def start(self, *args):
        p = subprocess.Popen([DNSHUNT, "scan", "--follow", "--poll-interval=500",
                              "--format=json", *args], env=self.env,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        lines = []

        def pump():
            for line in p.stdout:
                lines.append((time.time(), json.loads(line)))

        import threading
        threading.Thread(target=pump, daemon=True).start()
        return p, lines

    def stop(self, p):
        p.send_signal(signal.SIGINT)
        p.wait(timeout=20)
        err = p.stderr.read().decode()
        p.stderr.close()
        return p.returncode, err

    def wait_for(self, cond, timeout=10):
        deadline = time.time() + timeout
        while time.time() < deadline:
            if cond():
                return True
            time.sleep(0.02)
        return cond()

    def test_folder_to_slack_within_seconds(self):
        from datetime import datetime, timedelta, timezone
        folder = os.path.join(self.tmp, "sync")
        day = os.path.join(folder, "AWSLogs", "111122223333", "vpcdnsquerylogs", "vpc-0abc",
                           "2026", "03", "02")
        os.makedirs(day)
        p, lines = self.start("--notify=slack", "--notify-min-severity=low", folder)
        latencies = []
        for i in range(6):
            now = datetime.now(timezone.utc)
            recs = [record(now - timedelta(seconds=5 - k), "www%d.example.com." % k,
                           host="10.1.0.%d" % i) for k in range(5)]
            recs.append(record(now, "pastebin.com.", host="10.1.0.%d" % i))
            # as `aws s3 sync` writes an object: a temporary name, then renamed
            tmp = os.path.join(day, "obj%02d.log.gz.1a2b3c4d" % i)
            with gzip.open(tmp, "wt") as f:
                f.write("\n".join(recs) + "\n")
            written = time.time()
            os.rename(tmp, os.path.join(day, "obj%02d.log.gz" % i))
            host = "10.1.0.%d" % i
            ok = self.wait_for(lambda: any(host in json.dumps(m["body"])
                                           for m in self.rx.of("slack", 200)))
            self.assertTrue(ok, "alert %d not in Slack within 10 s" % i)
            arrived = next(m["time"] for m in self.rx.of("slack", 200)
                           if host in json.dumps(m["body"]))
            latencies.append(arrived - written)
        rc, err = self.stop(p)
        self.assertEqual(rc, 0, err)
        self.assertIn("followed 36 lines of 6 files", err)
        printed = [a for _, a in lines]
        self.assertEqual(sorted(a["host"] for a in printed), ["10.1.0.%d" % i for i in range(6)])
        self.assertEqual(slack_alert_lines(self.rx.of("slack", 200)), 6)
        latencies.sort()
        print("folder --follow --notify=slack latency: p50 %.2f s, max %.2f s (poll 0.5 s; "
              "Slack paced at 1/s)" % (latencies[len(latencies) // 2], latencies[-1]),
              file=sys.stderr)

    def test_growing_file_rotation_and_truncation(self):
        from datetime import datetime, timezone
        log = os.path.join(self.tmp, "query.log")
        with open(log, "w") as f:
            f.write(record(datetime.now(timezone.utc), "www.example.com.") + "\n")
        p, lines = self.start(log)

        def add(host, name="pastebin.com.", mode="a", partial=False):
            with open(log, mode) as f:
                text = record(datetime.now(timezone.utc), name, host=host)
                if partial:
                    f.write(text[:40])
                    f.flush()
                    time.sleep(1.2)        # a poll sees half a line: it waits for the rest
                    f.write(text[40:] + "\n")
                else:
                    f.write(text + "\n")

        add("10.2.0.1", partial=True)
        self.assertTrue(self.wait_for(lambda: len(lines) == 1), lines)
        # logrotate: the file moves away, a new one takes its place
        os.rename(log, log + ".1")
        add("10.2.0.2", mode="w")
        self.assertTrue(self.wait_for(lambda: len(lines) == 2), lines)
        # copytruncate: the same file cut to nothing, then written again
        with open(log, "r+") as f:
            f.truncate(0)
        add("10.2.0.3")
        self.assertTrue(self.wait_for(lambda: len(lines) == 3), lines)
        # a bad line is reported with its file and line, never fatal
        with open(log, "a") as f:
            f.write("not json at all\n")
        add("10.2.0.4")
        self.assertTrue(self.wait_for(lambda: len(lines) == 4), lines)
        rc, err = self.stop(p)
        self.assertEqual(rc, 0, err)
        self.assertEqual([a["host"] for _, a in lines], ["10.2.0.%d" % i for i in range(1, 5)])
        self.assertEqual({a["rule"] for _, a in lines}, {"paste-site"})
        self.assertIn(log + ":2: rejected", err)     # the second line since the cut

    def test_follow_usage(self):
        r = self.scan("--follow", inputs=("-",))
        self.assertEqual(r.returncode, 1)
        self.assertIn("standard input", r.stderr.decode())


class Desktop(Case):
    """--notify=desktop: GNotification through the session bus's
    org.freedesktop.Notifications (a stand-in on a bus of the test's own)."""

    def setUp(self):
        super().setUp()
        self.bus = subprocess.Popen(["dbus-daemon", "--session", "--nofork", "--print-address=1"],
                                    stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        address = self.bus.stdout.readline().decode().strip()
        self.env.update(DBUS_SESSION_BUS_ADDRESS=address, GNOTIFICATION_BACKEND="freedesktop")
        self.notifyd = subprocess.Popen([PYTHON, os.path.join(os.path.dirname(
            os.path.abspath(__file__)), "notifyd_standin.py")], env=self.env,
            stdin=subprocess.PIPE, stdout=subprocess.PIPE)
        self.assertEqual(self.notifyd.stdout.readline().strip(), b"ready")
        self.shown = []
        import threading

        def pump():
            for line in self.notifyd.stdout:
                self.shown.append(json.loads(line))

        threading.Thread(target=pump, daemon=True).start()

    def tearDown(self):
        self.notifyd.stdin.close()
        self.notifyd.wait(10)
        self.bus.terminate()
        self.bus.wait(10)
        super().tearDown()

    def wait_shown(self, n):
        deadline = time.time() + 10
        while len(self.shown) < n and time.time() < deadline:
            time.sleep(0.05)

    def test_each_high_alert_then_a_summary(self):
        alerts = demo_alerts()
        highs = [a for a in alerts if a["severity"] == "high"]
        self.assertLessEqual(len(highs), 3)
        r = self.scan("--notify=desktop", "--notify-min-severity=high")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.wait_shown(len(highs))
        self.assertEqual(len(self.shown), len(highs), self.shown)
        self.assertEqual(sorted(n["summary"] for n in self.shown),
                         sorted("High: " + a["title"] for a in highs))
        for n in self.shown:
            self.assertTrue(any(a["host"] in n["body"] for a in highs), n)
        # many at once: one summary
        r = self.scan("--notify=desktop", "--notify-min-severity=low")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.wait_shown(len(highs) + 1)
        time.sleep(0.5)
        self.assertEqual(len(self.shown), len(highs) + 1, self.shown)
        self.assertEqual(self.shown[-1]["summary"], "%d new alerts" % len(alerts))

    def test_no_desktop_session(self):
        env = dict(self.env, DBUS_SESSION_BUS_ADDRESS="unix:path=/nonexistent/dnshunt-bus")
        r = self.scan("--notify=desktop", env=env)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("needs a desktop session", r.stderr.decode())


if __name__ == "__main__":
    unittest.main()
