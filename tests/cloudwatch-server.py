#!/usr/bin/python3
"""A loopback CloudWatch Logs endpoint for tests, strict about signatures.

Serves FilterLogEvents and DescribeLogGroups over the JSON protocol on
127.0.0.1 (port 0: the kernel picks; the port is printed as the first line of
standard output). Every request's AWS Signature Version 4 is recomputed with
botocore's SigV4Auth from the known test credentials, and refused the way AWS
refuses it (InvalidSignatureException, UnrecognizedClientException, a wrong
region scope, a stale X-Amz-Date).

The events are the lines of a log file (NDJSON, optionally gzip): each line is
one event's `message`, its `timestamp` is the record's query_timestamp in ms,
and its `ingestionTime` the moment the server first read the line, as AWS's is
the moment it took the event in. So a line appended with an older time is an
event that arrives late, and one dated ahead is a future-dated event.
The file is read again whenever it grows, so a test can append events while a
client follows. Pages hold --page-size events; --empty-every K puts an empty
page (with a token) after every K pages, as AWS does while it scans streams.

Unsigned control endpoints for the test that runs it:
  POST /_control {"throttle": N}            the next N FilterLogEvents: ThrottlingException
                 {"fail": "Type", "count": N, "status": 400}  the next N: that AWS error
                 {"delay": seconds}          wait this long before every reply
                 {"raw": 502, "count": N}    the next N: that status, an empty body (a proxy)
                 {"raw": 200, "body": "..."}  ... or that body, as it is
                 {"append": ["<json>", ...]} add events (as if appended to the file)
                 {"redirect": "URL", "status": 301, "count": N}  the next N API requests:
                                             that redirect, before any signature check
                 {"huge": MiB, "length": true}  the next FilterLogEvents: a valid page of
                                             that many MiB of events, made as it is sent
                                             (length false: no Content-Length, read to EOF)
                 {"cycle": ["A", "B"], "count": N}  the next N FilterLogEvents and
                                             DescribeLogGroups: empty pages whose nextToken
                                             goes round these tokens (each is accepted)
                 {"trickle": seconds, "count": N}  the next N FilterLogEvents: the headers
                                             at once, then the body one byte per interval
                 {"reset_stats": true}
  GET  /_stats                               every request seen, and the counters
  any  /_sink                                recorded in /_stats as "sink" (method, whether
                                             it carried a token or a signature); answers {}

Standard library and Debian's python3-botocore only. Exits when its standard
input closes (so it never outlives the test) or on SIGTERM.
"""
import argparse
import datetime
import gzip
import hashlib
import json
import os
import re
import sys
import threading
import time
from bisect import bisect_left, bisect_right
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

AUTH_RE = re.compile(
    r"^AWS4-HMAC-SHA256 Credential=([^/]+)/(\d{8})/([^/]+)/([^/]+)/aws4_request, "
    r"SignedHeaders=([a-z0-9;-]+), Signature=([0-9a-f]{64})$")
TARGET_PREFIX = "Logs_20140328."


def parse_time_ms(text):
    if not isinstance(text, str):
        return None
    t = text.strip()
    if t.endswith("Z") or t.endswith("z"):
        t = t[:-1] + "+00:00"
    # fromisoformat in 3.11 handles fractions of any length; be kind to 3.9+
    m = re.match(r"^(.*T\d\d:\d\d:\d\d)(\.\d+)?(.*)$", t)
    if not m:
        return None
    frac = (m.group(2) or ".0")[1:]
    try:
        base = datetime.datetime.fromisoformat(m.group(1) + m.group(3))
    except ValueError:
        return None
    if base.tzinfo is None:
        base = base.replace(tzinfo=datetime.timezone.utc)
    ms = int((frac + "000")[:3])
    return int(base.timestamp()) * 1000 + ms


class Store:
    """The events, sorted by timestamp (file order among equals)."""

    def __init__(self, path):
        self.path = path
        self.lock = threading.Lock()
        self.events = []        # (ts, seq, id, stream, message, ingestion time)
        self.times = []
        self.seq = 0
        self.offset = 0
        self.last_ts = 0
        self.reload()

    def _add(self, line):
        line = line.rstrip("\r\n")
        if not line.strip():
            return
        ts = None
        try:
            rec = json.loads(line)
            if isinstance(rec, dict):
                ts = parse_time_ms(rec.get("query_timestamp"))
                stream = "%s_%s" % (rec.get("vpc_id", "vpc"), rec.get("region", "region"))
            else:
                stream = "unknown"
        except (ValueError, RecursionError):
            stream = "unknown"
        if ts is None:
            ts = self.last_ts       # a bad line travels with its neighbour
        self.last_ts = ts
        self.seq += 1
        eid = "%020d%020d" % (ts, self.seq)
        ev = (ts, self.seq, eid, stream, line, int(time.time() * 1000))
        i = bisect_right(self.times, ts)
        self.events.insert(i, ev)
        self.times.insert(i, ts)

    def reload(self):
        """Reads what was appended to the file since the last look."""
        if not self.path:
            return
        with self.lock:
            if self.path.endswith(".gz"):
                if self.offset:
                    return
                with gzip.open(self.path, "rt", encoding="utf-8", errors="surrogateescape") as f:
                    for line in f:
                        self._add(line)
                self.offset = 1
                return
            size = os.path.getsize(self.path)
            if size <= self.offset:
                return
            with open(self.path, "rb") as f:
                f.seek(self.offset)
                data = f.read(size - self.offset)
            # only whole lines: a writer may be half-way through one
            end = data.rfind(b"\n")
            if end < 0:
                return
            self.offset += end + 1
            for line in data[:end + 1].decode("utf-8", "replace").splitlines():
                self._add(line)

    def append(self, lines):
        with self.lock:
            for line in lines:
                self._add(line)

    def select(self, start, end):
        """Events with start <= ts <= end (None: open)."""
        with self.lock:
            lo = 0 if start is None else bisect_left(self.times, start)
            hi = len(self.times) if end is None else bisect_right(self.times, end)
            return self.events[lo:hi]


class State:
    def __init__(self, args):
        self.args = args
        self.lock = threading.Lock()
        self.store = Store(args.log)
        self.tokens = {}
        self.token_seq = 0
        self.throttle = 0
        self.fail = []          # [type, status, count]
        self.raw = [0, 0, ""]   # [status, count, body]
        self.delay = 0.0
        self.redirect = None    # [url, status, count]
        self.huge = None        # [MiB, with Content-Length]
        self.cycle = [[], 0, 0]   # [tokens, count, served]
        self.trickle = [0.0, 0]   # [seconds, count]
        self.sink = []
        self.huge_sent = 0
        self.requests = []
        self.in_flight = 0
        self.max_in_flight = 0
        self.bad_signatures = 0
        self.groups = args.group

    def new_token(self, data):
        with self.lock:
            self.token_seq += 1
            tok = hashlib.sha256(("%d/%s" % (self.token_seq, os.urandom(8).hex())).encode()
                                 ).hexdigest()
            tok = "tok%d-%s" % (self.token_seq, tok[:40])
            self.tokens[tok] = data
            return tok


class AwsError(Exception):
    def __init__(self, type_, message, status=400):
        super().__init__(message)
        self.type = type_
        self.message = message
        self.status = status


def make_handler(state):
    args = state.args

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        server_version = "cloudwatch-test-server"

        def log_message(self, fmt, *a):
            if args.verbose:
                sys.stderr.write("cloudwatch-server: " + (fmt % a) + "\n")

        def reply(self, status, obj, extra=None):
            body = json.dumps(obj, separators=(",", ":")).encode("utf-8")
            self.send_response(status)
            self.send_header("Content-Type", "application/x-amz-json-1.1")
            self.send_header("Content-Length", str(len(body)))
            self.send_header("x-amzn-RequestId", os.urandom(16).hex())
            for k, v in (extra or {}).items():
                self.send_header(k, v)
            self.end_headers()
            self.wfile.write(body)

        def sink(self):
            """A second host a redirect may lead to: what reached it?"""
            self.read_body()
            with state.lock:
                state.sink.append({"method": self.command,
                                   "token_sent": "X-Amz-Security-Token" in self.headers,
                                   "signed": "Authorization" in self.headers})
            self.reply(200, {})

        def do_GET(self):
            if self.path.startswith("/_sink"):
                self.sink()
                return
            if self.path == "/_stats":
                with state.lock:
                    stats = {
                        "requests": list(state.requests),
                        "max_in_flight": state.max_in_flight,
                        "in_flight": state.in_flight,
                        "bad_signatures": state.bad_signatures,
                        "events": len(state.store.events),
                        "sink": list(state.sink),
                        "huge_sent": state.huge_sent,
                    }
                self.reply(200, stats)
                return
            self.reply(404, {"message": "not found"})

        def read_body(self):
            n = int(self.headers.get("Content-Length") or 0)
            return self.rfile.read(n) if n else b""

        def do_POST(self):
            if self.path.startswith("/_sink"):
                self.sink()
                return
            body = self.read_body()
            if self.path == "/_control":
                self.control(json.loads(body or b"{}"))
                return
            with state.lock:
                state.in_flight += 1
                state.max_in_flight = max(state.max_in_flight, state.in_flight)
            try:
                self.api(body)
            finally:
                with state.lock:
                    state.in_flight -= 1

        def control(self, cmd):
            with state.lock:
                if "throttle" in cmd:
                    state.throttle = int(cmd["throttle"])
                if "fail" in cmd:
                    state.fail = [cmd["fail"], int(cmd.get("status", 400)),
                                  int(cmd.get("count", 1)), cmd.get("message", "")]
                if "delay" in cmd:
                    state.delay = float(cmd["delay"])
                if "raw" in cmd:
                    state.raw = [int(cmd["raw"]), int(cmd.get("count", 1)), cmd.get("body", "")]
                if "redirect" in cmd:
                    state.redirect = [cmd["redirect"], int(cmd.get("status", 301)),
                                      int(cmd.get("count", 1))]
                if "huge" in cmd:
                    state.huge = [float(cmd["huge"]), bool(cmd.get("length", True))]
                    state.huge_sent = 0
                if "cycle" in cmd:
                    state.cycle = [list(cmd["cycle"]), int(cmd.get("count", 1)), 0]
                if "trickle" in cmd:
                    state.trickle = [float(cmd["trickle"]), int(cmd.get("count", 1))]
                if cmd.get("reset_stats"):
                    state.requests = []
                    state.max_in_flight = 0
                    state.bad_signatures = 0
                    state.sink = []
            if "append" in cmd:
                state.store.append(cmd["append"])
            self.reply(200, {"ok": True})

        # ---- the API -------------------------------------------------------

        def verify_signature(self, body):
            h = self.headers
            auth = h.get("Authorization")
            if not auth:
                raise AwsError("MissingAuthenticationTokenException",
                               "Missing Authentication Token")
            m = AUTH_RE.match(auth)
            if not m:
                raise AwsError("IncompleteSignatureException",
                               "Authorization header requires 'Credential', 'Signature' and "
                               "'SignedHeaders' parameters.")
            akid, date, region, service, signed, signature = m.groups()
            if akid != args.access_key:
                raise AwsError("UnrecognizedClientException",
                               "The security token included in the request is invalid.")
            if region != args.region:
                raise AwsError("InvalidSignatureException",
                               "Credential should be scoped to a valid region. ")
            if service != "logs":
                raise AwsError("InvalidSignatureException",
                               "Credential should be scoped to correct service: 'logs'. ")
            amz_date = h.get("X-Amz-Date", "")
            if not amz_date.startswith(date):
                raise AwsError("InvalidSignatureException",
                               "Date in Credential scope does not match YYYYMMDD from ISO-8601 "
                               "version of date from HTTP.")
            try:
                when = datetime.datetime.strptime(amz_date, "%Y%m%dT%H%M%SZ").replace(
                    tzinfo=datetime.timezone.utc)
            except ValueError:
                raise AwsError("IncompleteSignatureException", "X-Amz-Date is not valid.")
            now = datetime.datetime.now(datetime.timezone.utc)
            if abs((now - when).total_seconds()) > 300:
                raise AwsError("InvalidSignatureException",
                               "Signature expired: %s is now earlier than %s (%s - 5 min.)"
                               % (amz_date, (now - datetime.timedelta(minutes=5)).strftime(
                                   "%Y%m%dT%H%M%SZ"), now.strftime("%Y%m%dT%H%M%SZ")))
            names = signed.split(";")
            for need in ("host", "x-amz-date", "x-amz-target", "content-type"):
                if need not in names:
                    raise AwsError("InvalidSignatureException",
                                   "Header %s must be signed." % need)
            token = h.get("X-Amz-Security-Token")
            if token is not None and "x-amz-security-token" not in names:
                raise AwsError("InvalidSignatureException",
                               "Header x-amz-security-token must be signed.")
            if len(h.get_all("Host") or []) != 1:
                raise AwsError("InvalidSignatureException", "Exactly one Host header, please.")
            if token is not None and token in (args.expired_token or []):
                raise AwsError("ExpiredTokenException",
                               "The security token included in the request is expired")
            if args.session_token and token != args.session_token:
                raise AwsError("UnrecognizedClientException",
                               "The security token included in the request is invalid.")
            if not args.session_token and token is not None:
                raise AwsError("UnrecognizedClientException",
                               "The security token included in the request is invalid.")

            headers = {}
            for name in names:
                values = h.get_all(name)
                if not values:
                    raise AwsError("InvalidSignatureException",
                                   "Signed header %s is missing." % name)
                headers[name] = ",".join(values)
            request = AWSRequest(method=self.command, url="http://%s%s" % (h["Host"], self.path),
                                 data=body, headers=headers)
            request.context["timestamp"] = amz_date
            signer = SigV4Auth(Credentials(args.access_key, args.secret_key, token),
                               "logs", region)
            canonical = signer.canonical_request(request)
            expected = signer.signature(signer.string_to_sign(request, canonical), request)
            if expected != signature:
                with state.lock:
                    state.bad_signatures += 1
                raise AwsError("InvalidSignatureException",
                               "The request signature we calculated does not match the "
                               "signature you provided. Check your AWS Secret Access Key and "
                               "signing method. Consult the service documentation for "
                               "details.")

        def api(self, body):
            with state.lock:
                raw = state.raw[1] > 0
                if raw:
                    state.raw[1] -= 1
                    status = state.raw[0]
                    raw_body = state.raw[2].encode("utf-8")
                    state.requests.append({"op": "raw", "t": time.time(), "status": status})
            if raw:
                self.send_response(status)
                self.send_header("Content-Length", str(len(raw_body)))
                self.end_headers()
                self.wfile.write(raw_body)
                return
            with state.lock:
                redirect = state.redirect
                if redirect and redirect[2] > 0:
                    redirect[2] -= 1
                    state.requests.append({"op": "redirect", "t": time.time(),
                                           "status": redirect[1]})
                else:
                    redirect = None
            if redirect:
                self.send_response(redirect[1])
                self.send_header("Location", redirect[0])
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            target = self.headers.get("X-Amz-Target", "")
            op = target[len(TARGET_PREFIX):] if target.startswith(TARGET_PREFIX) else target
            record = {"op": op, "t": time.time(), "status": 200,
                      "date": self.headers.get("X-Amz-Date"),
                      "signature": (self.headers.get("Authorization") or "")[-64:]}
            try:
                record["token_sent"] = "X-Amz-Security-Token" in self.headers
                self.verify_signature(body)
                if self.headers.get("Content-Type") != "application/x-amz-json-1.1":
                    raise AwsError("SerializationException", "Bad Content-Type")
                try:
                    params = json.loads(body or b"{}")
                except ValueError:
                    raise AwsError("SerializationException", "Body is not JSON")
                record.update({k: params.get(k) for k in ("startTime", "endTime", "limit")})
                record["nextToken"] = params.get("nextToken")
                with state.lock:
                    delay = state.delay
                if delay:
                    time.sleep(delay)
                with state.lock:
                    if state.fail and state.fail[2] > 0:
                        state.fail[2] -= 1
                        type_, status, _, message = state.fail
                        raise AwsError(type_, message or self.default_message(type_), status)
                    if op == "FilterLogEvents" and state.throttle > 0:
                        state.throttle -= 1
                        raise AwsError("ThrottlingException", "Rate exceeded")
                with state.lock:
                    cycling = state.cycle[1] > 0 and op in ("FilterLogEvents",
                                                            "DescribeLogGroups")
                    huge = state.huge if op == "FilterLogEvents" else None
                    if huge:
                        state.huge = None
                    trickle = op == "FilterLogEvents" and state.trickle[1] > 0
                    if trickle:
                        state.trickle[1] -= 1
                        interval = state.trickle[0]
                if cycling:
                    result = self.cycle_page(op, params)
                elif huge:
                    with state.lock:
                        state.requests.append(record)
                    self.send_huge(*huge)
                    return
                elif op == "FilterLogEvents":
                    result = self.filter_log_events(params)
                    record["events"] = len(result["events"])
                    record["ids"] = [e["eventId"] for e in result["events"]]
                elif op == "DescribeLogGroups":
                    result = self.describe_log_groups(params)
                else:
                    raise AwsError("UnknownOperationException", "Unknown operation %s" % target)
                with state.lock:
                    state.requests.append(record)
                if trickle:
                    self.send_trickle(result, interval)
                    return
                self.reply(200, result)
            except AwsError as e:
                record["status"] = e.status
                record["error"] = e.type
                with state.lock:
                    state.requests.append(record)
                self.reply(e.status, {"__type": e.type, "message": e.message})

        def cycle_page(self, op, p):
            """An empty page whose token goes round the ring: A, B, A, B..."""
            with state.lock:
                tokens, count, served = state.cycle
                tok = p.get("nextToken")
                if tok is not None and tok not in tokens:
                    raise AwsError("InvalidParameterException",
                                   "The specified nextToken is invalid.")
                state.cycle[1] = count - 1
                state.cycle[2] = served + 1
                result = {"events": []} if op == "FilterLogEvents" else {"logGroups": []}
                if count > 1:
                    result["nextToken"] = tokens[served % len(tokens)]
                return result

        def send_huge(self, mib, with_length):
            """A page of @mib MiB of events, made as it goes out (never held)."""
            total = int(mib * 1048576)
            head = b'{"events":['
            tail = b'],"searchedLogStreams":[]}'
            one = json.dumps({"logStreamName": "s", "timestamp": 1772438400000,
                              "message": "x" * 900, "ingestionTime": 1772438401000,
                              "eventId": "0"}, separators=(",", ":")).encode() + b","
            last = one[:-1]
            n = max(1, (total - len(head) - len(tail)) // len(one))
            size = len(head) + len(one) * (n - 1) + len(last) + len(tail)
            self.send_response(200)
            self.send_header("Content-Type", "application/x-amz-json-1.1")
            if with_length:
                self.send_header("Content-Length", str(size))
            else:
                self.send_header("Connection", "close")
                self.close_connection = True
            self.end_headers()
            block = one * 64
            try:
                self.wfile.write(head)
                sent = len(head)
                left = n - 1
                while left > 0:
                    k = min(left, 64)
                    self.wfile.write(block if k == 64 else one * k)
                    sent += len(one) * k
                    left -= k
                    with state.lock:
                        state.huge_sent = sent
                self.wfile.write(last + tail)
                with state.lock:
                    state.huge_sent = size
            except (BrokenPipeError, ConnectionResetError):
                self.close_connection = True

        def send_trickle(self, obj, interval):
            """The reply's body one byte per @interval seconds."""
            body = json.dumps(obj, separators=(",", ":")).encode("utf-8")
            self.send_response(200)
            self.send_header("Content-Type", "application/x-amz-json-1.1")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.flush()
            try:
                for i in range(len(body)):
                    time.sleep(interval)
                    self.wfile.write(body[i:i + 1])
                    self.wfile.flush()
            except (BrokenPipeError, ConnectionResetError):
                self.close_connection = True

        @staticmethod
        def default_message(type_):
            return {
                "ExpiredTokenException": "The security token included in the request is "
                                         "expired",
                "AccessDeniedException": "User: arn:aws:iam::111122223333:user/analyst is not "
                                         "authorized to perform: logs:FilterLogEvents on "
                                         "resource: arn:aws:logs:us-east-1:111122223333:"
                                         "log-group:/aws/route53/resolver:log-stream: because "
                                         "no identity-based policy allows the "
                                         "logs:FilterLogEvents action",
                "ServiceUnavailableException": "The service is unavailable",
                "InternalFailure": "Internal failure",
            }.get(type_, type_)

        def filter_log_events(self, p):
            group = p.get("logGroupName") or p.get("logGroupIdentifier")
            if not group:
                raise AwsError("InvalidParameterException",
                               "1 validation error detected: logGroupName is required")
            if group not in state.groups and not any(
                    group.endswith(":log-group:" + g) for g in state.groups):
                raise AwsError("ResourceNotFoundException",
                               "The specified log group does not exist.")
            start, end = p.get("startTime"), p.get("endTime")
            for v in (start, end):
                if v is not None and (not isinstance(v, int) or v < 0):
                    raise AwsError("InvalidParameterException", "startTime/endTime must be "
                                                                "non-negative integers (ms)")
            limit = p.get("limit") or 10000
            if not isinstance(limit, int) or not 1 <= limit <= 10000:
                raise AwsError("InvalidParameterException", "limit must be 1 to 10000")
            pattern = p.get("filterPattern") or ""
            key = [group, start, end, pattern]
            tok = p.get("nextToken")
            if tok is not None:
                data = state.tokens.get(tok)
                if data is None or data["key"] != key:
                    raise AwsError("InvalidParameterException",
                                   "The specified nextToken is invalid.")
                if data.get("used") and not args.reusable_tokens:
                    raise AwsError("InvalidParameterException",
                                   "The specified nextToken was already used.")
                data["used"] = True
                pos, pages = data["pos"], data["pages"]
            else:
                pos, pages = 0, 0
            state.store.reload()
            selected = state.store.select(start, end)
            if pattern:
                terms = pattern.strip('"').split()
                selected = [e for e in selected if all(t in e[4] for t in terms)]

            size = min(limit, args.page_size)
            final = tok is not None and state.tokens[tok].get("final")
            empty = final or (args.empty_every > 0 and
                              pages % (args.empty_every + 1) == args.empty_every)
            chunk = [] if empty else selected[pos:pos + size]
            # at most 1 MB of events a page, as AWS counts it (message + 26 bytes)
            total = 0
            for i, e in enumerate(chunk):
                total += len(e[4].encode("utf-8")) + 26
                if total > args.max_bytes and i > 0:
                    chunk = chunk[:i]
                    break
            pos += len(chunk)
            events = [{"logStreamName": e[3], "timestamp": e[0], "message": e[4],
                       "ingestionTime": e[5], "eventId": e[2]} for e in chunk]
            result = {"events": events, "searchedLogStreams": []}
            if not final and pos < len(selected):
                result["nextToken"] = state.new_token({"key": key, "pos": pos,
                                                       "pages": pages + 1})
            elif not final and args.empty_at_end:
                # the data is all out, but one more (empty) page says so
                result["nextToken"] = state.new_token({"key": key, "pos": pos,
                                                       "pages": pages + 1, "final": True})
            return result

        def describe_log_groups(self, p):
            prefix = p.get("logGroupNamePrefix") or ""
            names = sorted(g for g in state.groups if g.startswith(prefix))
            pos = 0
            tok = p.get("nextToken")
            if tok is not None:
                data = state.tokens.get(tok)
                if data is None or data.get("key") != ["groups", prefix]:
                    raise AwsError("InvalidParameterException",
                                   "The specified nextToken is invalid.")
                pos = data["pos"]
            limit = min(p.get("limit") or 50, args.groups_page_size)
            chunk = names[pos:pos + limit]
            result = {"logGroups": [
                {"logGroupName": g, "creationTime": 1700000000000, "storedBytes": 1234,
                 "metricFilterCount": 0,
                 "arn": "arn:aws:logs:%s:111122223333:log-group:%s:*" % (args.region, g)}
                for g in chunk]}
            if pos + limit < len(names):
                result["nextToken"] = state.new_token({"key": ["groups", prefix],
                                                       "pos": pos + limit})
            return result

    return Handler


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--log", help="NDJSON log file (.gz ok) whose lines are the events")
    ap.add_argument("--group", action="append", default=None,
                    help="log group name served (repeatable; default /aws/route53/resolver)")
    ap.add_argument("--region", default="us-east-1")
    ap.add_argument("--access-key", default="AKIDEXAMPLE")
    ap.add_argument("--secret-key", default="wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY")
    ap.add_argument("--session-token", default=None,
                    help="require this X-Amz-Security-Token (and refuse requests without)")
    ap.add_argument("--expired-token", action="append",
                    help="answer requests with this session token ExpiredTokenException")
    ap.add_argument("--page-size", type=int, default=1000)
    ap.add_argument("--max-bytes", type=int, default=1048576,
                    help="bytes of events a page may hold (AWS: 1 MB)")
    ap.add_argument("--groups-page-size", type=int, default=50)
    ap.add_argument("--empty-every", type=int, default=0,
                    help="after every K pages, an empty page that carries a token")
    ap.add_argument("--empty-at-end", action="store_true",
                    help="end every listing with an empty page: the last events come with a "
                         "token")
    ap.add_argument("--reusable-tokens", action="store_true")
    ap.add_argument("--verbose", action="store_true")
    args = ap.parse_args()
    if not args.group:
        args.group = ["/aws/route53/resolver"]

    state = State(args)
    server = ThreadingHTTPServer(("127.0.0.1", 0), make_handler(state))
    server.daemon_threads = True
    print(server.server_address[1], flush=True)

    def watch_stdin():
        try:
            while sys.stdin.read(4096):
                pass
        except Exception:
            pass
        os._exit(0)

    threading.Thread(target=watch_stdin, daemon=True).start()
    try:
        server.serve_forever(poll_interval=0.2)
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
