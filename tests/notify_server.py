#!/usr/bin/python3
"""Loopback stand-ins for Slack, PagerDuty and a signed webhook.

Each checks a request the way its service documents it and answers as it
does; a test sets failures on demand and reads what arrived.

- POST /slack/<token>: an incoming webhook. A JSON object with `text` and/or
  `blocks`; at most 50 blocks; a header's plain_text at most 150 characters;
  a section's text at most 3,000; known block and text types. Answers `ok`,
  or 400 `invalid_payload` / `invalid_blocks`, and 429 with Retry-After when
  two messages come within a second (Slack: one message a second per
  webhook). Slack's mrkdwn is parsed as Slack does for `<...>` so that a test
  can see any mention or link that the sender did not mean.
- POST /pagerduty: Events API v2 `enqueue`. routing_key 32 characters and
  equal to the expected one, event_action trigger/acknowledge/resolve,
  dedup_key at most 255, for trigger: payload.summary (at most 1,024),
  payload.source, payload.severity in critical/error/warning/info. Answers
  202 `{"status": "success", ...}` or 400 `{"status": "invalid event", ...}`.
- POST /webhook: checks X-DnsHunt-Timestamp (within 5 minutes) and
  X-DnsHunt-Signature (HMAC-SHA256 of "<timestamp>.<body>"); 401 when wrong.

Failures on demand (Receivers.fail): a list of modes taken one per request:
"500", "429:<seconds>", "400", "404", "reset" (connection closed without an
answer), "hang:<seconds>" (answers after that long), "garbage" (200 with a
body that is not what the service sends); or Receivers.down_until (a time
before which every connection is reset).

Python standard library only.
"""
import hashlib
import hmac
import json
import re
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

SLACK_BLOCK_TYPES = {"header", "section", "context", "divider", "actions", "image"}
PD_SEVERITIES = {"critical", "error", "warning", "info"}
MRKDWN_CONTROL = re.compile(r"<([^>]*)>")


def slack_check(body):
    """The problem Slack would answer 400 for, or None."""
    if not isinstance(body, dict) or not ("text" in body or "blocks" in body):
        return "invalid_payload"
    if "text" in body and not isinstance(body["text"], str):
        return "invalid_payload"
    blocks = body.get("blocks", [])
    if not isinstance(blocks, list) or len(blocks) > 50:
        return "invalid_blocks"
    for b in blocks:
        if not isinstance(b, dict) or b.get("type") not in SLACK_BLOCK_TYPES:
            return "invalid_blocks"
        if b["type"] == "header":
            t = b.get("text", {})
            if t.get("type") != "plain_text" or not 0 < len(t.get("text", "")) <= 150:
                return "invalid_blocks"
        if b["type"] == "section":
            t = b.get("text", {})
            if t.get("type") not in ("mrkdwn", "plain_text") or not 0 < len(t.get("text", "")) <= 3000:
                return "invalid_blocks"
        if b["type"] == "context":
            els = b.get("elements", [])
            if not 0 < len(els) <= 10 or any(len(e.get("text", "")) > 3000 for e in els):
                return "invalid_blocks"
    return None


def slack_controls(text):
    """What Slack would act on in mrkdwn: <!channel>, <@U…>, <#C…>, links."""
    return MRKDWN_CONTROL.findall(text)


def slack_texts(body):
    """Every mrkdwn text of a message (the fallback included)."""
    out = [body.get("text", "")]
    for b in body.get("blocks", []):
        t = b.get("text")
        if isinstance(t, dict) and t.get("type") == "mrkdwn":
            out.append(t["text"])
        for e in b.get("elements", []):
            if e.get("type") == "mrkdwn":
                out.append(e["text"])
    return out


def pagerduty_check(body, routing_key):
    if not isinstance(body, dict):
        return "Event object is invalid"
    if body.get("routing_key") != routing_key or len(body.get("routing_key", "")) != 32:
        return "Invalid routing key"
    action = body.get("event_action")
    if action not in ("trigger", "acknowledge", "resolve"):
        return "Event object is invalid: 'event_action' is invalid"
    if len(body.get("dedup_key", "")) > 255:
        return "'dedup_key' is too long"
    if action == "trigger":
        p = body.get("payload")
        if not isinstance(p, dict):
            return "'payload' is missing"
        if not 0 < len(p.get("summary", "")) <= 1024:
            return "'payload.summary' is missing or too long"
        if not p.get("source"):
            return "'payload.source' is missing"
        if p.get("severity") not in PD_SEVERITIES:
            return "'payload.severity' is invalid"
    return None


class Receivers:
    def __init__(self, routing_key="", webhook_secret=""):
        self.routing_key = routing_key
        self.webhook_secret = webhook_secret
        self.lock = threading.Lock()
        self.received = []      # dicts: kind, time, body, headers, status
        self.fail = {"slack": [], "pagerduty": [], "webhook": []}
        self.down_until = 0.0
        self.last_slack = {}
        self.echo_path = False  # put the request path in error answers
        receivers = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def do_POST(self):
                receivers.handle(self)

            def do_GET(self):
                with receivers.lock:
                    data = json.dumps([{"kind": r["kind"], "status": r["status"],
                                        "body": r["body"], "time": r["time"]}
                                       for r in receivers.received]).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        class Server(ThreadingHTTPServer):
            def handle_error(self, request, client_address):
                pass    # a client that hangs up (a reset on demand, a killed dnshunt)

        self.server = Server(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def url(self, path):
        return "http://127.0.0.1:%d%s" % (self.port, path)

    def close(self):
        self.server.shutdown()
        self.server.server_close()

    def of(self, kind, status=None):
        with self.lock:
            return [r for r in self.received if r["kind"] == kind and
                    (status is None or r["status"] == status)]

    def _answer(self, h, status, body, ctype="text/plain", headers=()):
        data = body.encode() if isinstance(body, str) else body
        h.send_response(status)
        h.send_header("Content-Type", ctype)
        h.send_header("Content-Length", str(len(data)))
        for k, v in headers:
            h.send_header(k, v)
        h.end_headers()
        h.wfile.write(data)

    def _reset(self, h):
        h.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")
        h.close_connection = True
        h.connection.close()

    def handle(self, h):
        length = int(h.headers.get("Content-Length", "0"))
        raw = h.rfile.read(length) if length else b""
        path = h.path
        kind = ("slack" if path.startswith("/slack/") else "pagerduty" if path == "/pagerduty"
                else "webhook" if path == "/webhook" else None)
        if time.time() < self.down_until:
            return self._reset(h)
        with self.lock:
            mode = self.fail[kind].pop(0) if kind and self.fail[kind] else None
        rec = {"kind": kind, "time": time.time(), "raw": raw, "headers": dict(h.headers),
               "path": path, "status": None, "body": None}
        if mode == "reset":
            rec["status"] = "reset"
            with self.lock:
                self.received.append(rec)
            return self._reset(h)
        if mode and mode.startswith("hang:"):
            time.sleep(float(mode[5:]))
            mode = None
        try:
            body = json.loads(raw)
            rec["body"] = body
        except ValueError:
            body = None
        status, answer, ctype, headers = self.judge(kind, h, raw, body, mode)
        rec["status"] = status
        with self.lock:
            self.received.append(rec)
        if self.echo_path and status >= 400:
            answer = answer + " (at " + path + ")"
        self._answer(h, status, answer, ctype, headers)

    def judge(self, kind, h, raw, body, mode):
        if kind is None:
            return 404, "no_service", "text/plain", ()
        if mode == "500":
            return 500, "internal_error", "text/plain", ()
        if mode and mode.startswith("429"):
            return 429, "rate_limited", "text/plain", [("Retry-After", mode.split(":")[1])]
        if mode == "400":
            return 400, "invalid_payload", "text/plain", ()
        if mode == "404":
            return 404, "no_service", "text/plain", ()
        if mode == "garbage":
            return 200, "\x00\xff<html>not json", "text/html", ()
        if kind == "slack":
            now = time.time()
            last = self.last_slack.get(h.path, 0)
            self.last_slack[h.path] = now
            if now - last < 0.95:
                return 429, "rate_limited", "text/plain", [("Retry-After", "1")]
            problem = slack_check(body)
            if problem:
                return 400, problem, "text/plain", ()
            return 200, "ok", "text/plain", ()
        if kind == "pagerduty":
            problem = pagerduty_check(body, self.routing_key)
            if problem:
                return 400, json.dumps({"status": "invalid event", "message": "Event object is invalid",
                                        "errors": [problem]}), "application/json", ()
            return 202, json.dumps({"status": "success", "message": "Event processed",
                                    "dedup_key": body.get("dedup_key")}), "application/json", ()
        ts = h.headers.get("X-DnsHunt-Timestamp", "")
        sig = h.headers.get("X-DnsHunt-Signature", "")
        if not ts.isdigit() or abs(time.time() - int(ts)) > 300:
            return 401, "stale or missing timestamp", "text/plain", ()
        want = "sha256=" + hmac.new(self.webhook_secret.encode(), ts.encode() + b"." + raw,
                                    hashlib.sha256).hexdigest()
        if not hmac.compare_digest(want, sig):
            return 401, "bad signature", "text/plain", ()
        if not isinstance(body, dict) or body.get("type") != "alert.opened" or "alert" not in body:
            return 400, "not an alert", "text/plain", ()
        return 200, "", "text/plain", ()


def main():
    """Run as a program (for the C tests): prints the port, then serves
    until standard input closes; GET /_received answers what arrived."""
    import argparse
    import sys
    ap = argparse.ArgumentParser()
    ap.add_argument("--routing-key", default="")
    ap.add_argument("--webhook-secret", default="")
    args = ap.parse_args()
    rx = Receivers(args.routing_key, args.webhook_secret)
    print(rx.port, flush=True)
    sys.stdin.read()
    rx.close()


if __name__ == "__main__":
    main()
