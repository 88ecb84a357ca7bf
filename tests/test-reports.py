#!/usr/bin/env python3
"""Incident reports as people and programs read them back.

Each format is written by the real `dnshunt scan` from the demo logs and
from a small log of hostile strings, then read back with what a person's
tools would use: Python's html.parser, csv and json modules, poppler's
pdftotext/pdfinfo, and a GFM table splitter. Then reports of 100,000 alerts,
and of thousands on a few hosts; and -o on a full disk and under SIGTERM.
Only Debian's python3 and poppler-utils are needed.
"""
import csv
import datetime
import html.parser
import io
import json
import os
import re
import resource
import shutil
import signal
import subprocess
import tempfile
import time
import unittest

DNSHUNT = os.environ["DNSHUNT"]
SRCDIR = os.environ["G_TEST_SRCDIR"]
TOP = os.path.dirname(SRCDIR)
DEMO = os.path.join(TOP, "data", "demo")
EPOCH = "1772698200"  # 2026-03-05T08:10:00Z, the time of writing in every report here
WRITTEN = "2026-03-05T08:10:00Z"

# What the HTML writer emits, and nothing else: an element or attribute
# outside these came from somewhere it should not have.
HTML_TAGS = {
    "html", "head", "meta", "title", "style", "body", "main", "header", "footer", "section",
    "h1", "h2", "h3", "p", "div", "span", "time", "table", "thead", "tbody", "tr", "th", "td",
    "a", "code", "ul", "ol", "li", "figure", "figcaption", "br",
    # cairo's SVG
    "svg", "defs", "g", "symbol", "path", "use", "clippath", "rect", "image", "mask",
    "lineargradient", "stop", "pattern", "filter", "fecolormatrix",
    # the charts' words
    "text",
}
HTML_ATTRS = {
    "lang", "charset", "http-equiv", "content", "name", "class", "id", "href", "datetime",
    # cairo's SVG
    "xmlns", "xmlns:xlink", "width", "height", "viewbox", "version", "role", "aria-label",
    "overflow", "style", "d", "x", "y", "xlink:href", "clip-path", "clip-rule", "fill",
    "fill-rule", "fill-opacity", "stroke", "transform", "opacity",
    "font-size", "textlength", "lengthadjust",
}

HOSTILE_NAMES = [
    "<script>alert('x')</script>.evil.",
    "<img src=x onerror=alert(1)>.evil.",
    '=HYPERLINK("http://evil.example","go").',
    "+cmd|' /C calc'!A0.evil.",
    "-2+3.evil.",
    "@SUM(A1).evil.",
    "a|b|c.evil.",
    "`whoami`.evil.",
    "**bold** [x](http://evil.example).",
    "line\nbreak.evil.",
    "tab\there.evil.",
    "\x1b[31mred.evil.",
    "\u202egnp.exe.evil.",
    "</td></tr></table><h1>x.evil.",
    "&lt;b&gt;.evil.",
    "$x$ ~~s~~ # h.evil.",
    "a\\|b.evil.",
]
# Hosts and instance ids from the log are just as hostile: one alert each.
HOSTILE_HOSTS = [
    ("<img src=x onerror=alert(2)>", "<script>alert(3)</script>"),
    ('=HYPERLINK("http://evil.example")', "i-|pipe|`tick`"),
    ("+cmd|' /C calc'!A0", "@i-formula"),
    ("-1+1", "-i-minus"),
    ("10.0.0.9|x|", "i-0123456789abcdef0"),
]


def scan_env():
    return dict(os.environ, DISPLAY="", WAYLAND_DISPLAY="", SOURCE_DATE_EPOCH=EPOCH)


def scan(*args, check=True, preexec_fn=None):
    r = subprocess.run([DNSHUNT, "scan", *args], capture_output=True, timeout=120,
                       env=scan_env(), preexec_fn=preexec_fn)
    if check and r.returncode != 0:
        raise AssertionError(f"dnshunt scan {args}: {r.returncode}\n{r.stderr.decode()}")
    return r


def shown(s):
    """A log string as the readable formats show it: invalid UTF-8 replaced,
    control and invisible characters as \\xNN / \\uNNNN."""
    out = []
    for c in s:
        o = ord(c)
        if o < 0x20 or o == 0x7F or 0x80 <= o < 0xA0:
            out.append("\\x%02x" % o)
        elif 0x2028 <= o <= 0x202E or 0x200B <= o <= 0x200F or 0x2060 <= o <= 0x2069:
            out.append("\\u%04x" % o)
        else:
            out.append(c)
    return "".join(out)


class Parsed(html.parser.HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags = []
        self.attrs = []
        self.ids = []
        self.hrefs = []
        self.text = []
        self.decl = None
        self.stack = []
        self.in_style = False
        self.classes = []

    def handle_decl(self, decl):
        self.decl = decl

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        for k, v in attrs:
            self.attrs.append((tag, k, v))
            if k == "id":
                self.ids.append(v)
            if k in ("href", "xlink:href"):
                self.hrefs.append(v)
            if k == "class":
                self.classes.append((tag, v))
        self.in_style = tag == "style"

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag):
        self.in_style = False

    def handle_data(self, data):
        if not self.in_style:
            self.text.append(data)


def parse_html(text):
    p = Parsed()
    p.feed(text)
    p.close()
    p.all_text = "".join(p.text)
    return p


def gfm_cells(line):
    """Splits a GFM table row the way GitHub does: on pipes not escaped by a
    backslash (a backslash escapes the character after it)."""
    cells, cur, i = [], "", 0
    line = line.strip()
    if line.startswith("|"):
        line = line[1:]
    if line.endswith("|") and not line.endswith("\\|"):
        line = line[:-1]
    while i < len(line):
        c = line[i]
        if c == "\\" and i + 1 < len(line):
            cur += line[i:i + 2]
            i += 2
            continue
        if c == "|":
            cells.append(cur)
            cur = ""
        else:
            cur += c
        i += 1
    cells.append(cur)
    return cells


def md_tables(text):
    tables, cur = [], []
    for line in text.split("\n"):
        if line.startswith("|"):
            cur.append(line)
        elif cur:
            tables.append(cur)
            cur = []
    if cur:
        tables.append(cur)
    return tables


def pdf_text(path):
    return subprocess.run(["pdftotext", "-enc", "UTF-8", path, "-"], capture_output=True,
                          check=True, timeout=60).stdout.decode("utf-8")


def pdf_info(path):
    out = subprocess.run(["pdfinfo", path], capture_output=True, check=True,
                         timeout=60).stdout.decode()
    return dict(line.split(":", 1) for line in out.splitlines() if ":" in line)


class Base(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="dnshunt-reports-")

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp)

    def write(self, fmt, *inputs, extra=()):
        path = os.path.join(self.tmp, f"report-{len(os.listdir(self.tmp))}.{fmt}")
        r = scan("-f", fmt, "-o", path, *extra, *inputs)
        self.assertEqual(r.stdout, b"")
        return path


class Demo(Base):
    """Every format from the demo logs reads like an incident report."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.doc = json.loads(scan("-f", "json", DEMO).stdout)
        cls.alerts = cls.doc["alerts"]
        cls.n = len(cls.alerts)

    def test_json_unchanged(self):
        path = self.write("json", DEMO)
        with open(path, "rb") as f:
            self.assertEqual(f.read(), scan("-f", "json", DEMO).stdout)
        self.assertEqual(set(self.doc), {"tool", "summary", "alerts"})
        for a in self.alerts:
            self.assertNotIn("triage", a)
        self.assertGreaterEqual(self.n, 10)

    def test_html_structure(self):
        path = self.write("html", DEMO)
        with open(path, encoding="utf-8") as f:
            text = f.read()
        p = parse_html(text)
        self.assertEqual(p.decl.lower(), "doctype html")
        self.assertLessEqual(set(p.tags), HTML_TAGS)
        self.assertLessEqual({k for _, k, _ in p.attrs}, HTML_ATTRS)
        self.assertEqual(p.tags.count("h1"), 1)
        self.assertNotIn("script", p.tags)
        self.assertNotIn("img", p.tags)
        self.assertNotIn("link", p.tags)
        self.assertNotIn("iframe", p.tags)
        # self-contained: no src anywhere, links are in-page or to the rule book's sites
        self.assertFalse([a for a in p.attrs if a[1] == "src"])
        for href in p.hrefs:
            self.assertRegex(href, r"^(#[\w-]+|https://\S+)$")
            if href.startswith("#"):
                self.assertIn(href[1:], p.ids, "an in-page link has its target")
        self.assertEqual(len(p.ids), len(set(p.ids)), "ids are unique")
        csp = [v for t, k, v in p.attrs if t == "meta" and k == "content" and "default-src" in v]
        self.assertEqual(csp, ["default-src 'none'; style-src 'unsafe-inline'; img-src data:"])
        # one section per alert, one summary row per alert, a chart each plus the overview
        sections = [v for t, v in p.classes if t == "section" and v == "alert"]
        self.assertEqual(len(sections), self.n)
        self.assertEqual(p.tags.count("svg"), self.n + 1)
        self.assertEqual(text.count('<a href="#alert-'), 2 * self.n)
        for a in self.alerts:
            self.assertIn(a["title"], p.all_text)
            self.assertIn(a["host"], p.all_text)
            self.assertIn(a["instance"], p.all_text)
        for needle in ("Mitigation", "References", "Impact", "Description", "Evidence",
                       "Distinct names", "MITRE ATT&CK", "T1552.005", "route53-demo.log.gz",
                       WRITTEN, "DNS Hunt incident report", "5000"):
            self.assertIn(needle, p.all_text)
        self.assertIn("https://attack.mitre.org/techniques/T1568/002/", p.hrefs)
        self.assertLess(len(text), 1_500_000)

    def test_pdf(self):
        path = self.write("pdf", DEMO)
        with open(path, "rb") as f:
            self.assertEqual(f.read(5), b"%PDF-")
        info = pdf_info(path)
        pages = int(info["Pages"])
        self.assertGreaterEqual(pages, self.n + 1, "each alert starts a page")
        self.assertLess(pages, 80)
        self.assertIn("595.276 x 841.89", info["Page size"])
        self.assertEqual(info["Title"].strip(), "DNS Hunt incident report")
        text = pdf_text(path)
        self.assertIn(f"Page 1 of {pages}", text)
        self.assertIn(f"Page {pages} of {pages}", text)
        for a in self.alerts:
            self.assertIn(a["title"], text)
            self.assertIn(a["host"], text)
            self.assertIn(a["mitre"]["technique"], text)
        for needle in ("Mitigation", "References", "Evidence", "Distinct names", WRITTEN,
                       "pool.supportxmr.com.", "169.254.169.254"):
            self.assertIn(needle, text)
        # pages: the text is split by form feeds, one per page
        self.assertEqual(text.count("\f"), pages)

    def test_pdf_letter_and_title(self):
        path = self.write("pdf", DEMO, extra=("--paper=letter", "--title=Case 4711: <b>VPC</b>"))
        info = pdf_info(path)
        self.assertIn("612 x 792", info["Page size"])
        self.assertEqual(info["Title"].strip(), "Case 4711: <b>VPC</b>")
        self.assertIn("Case 4711: <b>VPC</b>", pdf_text(path))

    def test_pdf_to_a_pipe(self):
        r = scan("-f", "pdf", DEMO)
        self.assertTrue(r.stdout.startswith(b"%PDF-"))
        self.assertTrue(r.stdout.rstrip().endswith(b"%%EOF"))

    def test_csv(self):
        path = self.write("csv", DEMO)
        with open(path, newline="", encoding="utf-8") as f:
            raw = f.read()
        self.assertIn("\r\n", raw)
        rows = list(csv.reader(io.StringIO(raw)))
        header = rows[0]
        self.assertEqual(header, ["severity", "rule", "title", "host", "instance", "vpc_id",
                                  "first_seen", "last_seen", "count", "distinct_names", "names",
                                  "tactic", "technique", "subtechnique"])
        self.assertEqual(len(rows) - 1, self.n, "one row per alert")
        for row, a in zip(rows[1:], self.alerts):
            self.assertEqual(len(row), len(header))
            rec = dict(zip(header, row))
            self.assertEqual(rec["rule"], a["rule"])
            self.assertEqual(rec["host"], a["host"])
            self.assertEqual(rec["instance"], a["instance"])
            self.assertEqual(int(rec["count"]), a["count"])
            self.assertEqual(int(rec["distinct_names"]), len(a["names"]))
            self.assertEqual(rec["first_seen"], a["first_seen"])
            self.assertEqual(rec["names"].split("; ")[0], a["names"][0])
            self.assertEqual(rec["subtechnique"], a["mitre"]["subtechnique"] or "")

    def test_markdown(self):
        path = self.write("md", DEMO)
        with open(path, encoding="utf-8") as f:
            text = f.read()
        self.assertTrue(text.startswith("# DNS Hunt incident report\n"))
        self.assertEqual(len(re.findall(r"^## \d+\. ", text, re.M)), self.n)
        tables = md_tables(text)
        self.assertGreaterEqual(len(tables), 2 * self.n)
        for t in tables:
            width = len(gfm_cells(t[0]))
            self.assertRegex(t[1], r"^\|( -+:? \|)+$")
            for line in t:
                self.assertEqual(len(gfm_cells(line)), width, line)
        for a in self.alerts:
            self.assertIn(f"`{a['host']}`", text)
        self.assertIn("[T1568.002 Domain Generation Algorithms]"
                      "(https://attack.mitre.org/techniques/T1568/002/)", text)
        self.assertNotIn("\t", text)

    def test_formats_listed_and_checked(self):
        r = scan("--help", check=False)
        self.assertIn(b"text, json, csv, md, html, pdf", r.stdout)
        r = scan("-f", "docx", DEMO, check=False)
        self.assertEqual(r.returncode, 1)
        self.assertIn(b"text, json, csv, md, html, pdf", r.stderr)
        r = scan("-f", "pdf", "--paper=a5", DEMO, check=False)
        self.assertEqual(r.returncode, 1)

    def test_unwritable_output(self):
        r = scan("-f", "html", "-o", "/nonexistent/dir/report.html", DEMO, check=False)
        self.assertEqual(r.returncode, 2)
        self.assertIn(b"report.html", r.stderr)


class Hostile(Base):
    """Every string from a log is inert in every format."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        base = {"version": "1.100000", "account_id": "111122223333", "region": "us-east-1",
                "vpc_id": "vpc-0test", "query_type": "A", "query_class": "IN",
                "rcode": "NOERROR", "srcport": "53000", "transport": "TCP"}
        lines = []
        sec = 0
        # hostile names, from one plain host (one dns-over-tcp alert with all of them)
        for name in HOSTILE_NAMES:
            rec = dict(base, query_timestamp=f"2026-03-02T10:00:{sec:02d}Z", query_name=name,
                       srcaddr="10.0.0.5", srcids={"instance": "i-0aaaaaaaaaaaaaaaa"},
                       answers=[{"Rdata": "<b>" + name, "Type": "A", "Class": "IN"}])
            lines.append(json.dumps(rec).encode())
            sec += 1
        # invalid UTF-8 in a name
        rec = dict(base, query_timestamp=f"2026-03-02T10:00:{sec:02d}Z", query_name="PLACEHOLDER",
                   srcaddr="10.0.0.5", srcids={"instance": "i-0aaaaaaaaaaaaaaaa"}, answers=[])
        lines.append(json.dumps(rec).encode().replace(b"PLACEHOLDER", b"bad\xff\xfe.evil."))
        # hostile hosts and instance ids, one alert each
        for i, (host, instance) in enumerate(HOSTILE_HOSTS):
            rec = dict(base, query_timestamp=f"2026-03-02T10:01:{i:02d}Z",
                       query_name="www.example.com.", srcaddr=host,
                       srcids={"instance": instance}, answers=[])
            lines.append(json.dumps(rec).encode())
        cls.log = os.path.join(cls.tmp, "hostile<b>.log")
        with open(cls.log, "wb") as f:
            f.write(b"\n".join(lines) + b"\n")
        cls.doc = json.loads(scan("-f", "json", cls.log).stdout)
        cls.names = HOSTILE_NAMES + ["bad\ufffd\ufffd.evil."]

    def test_json_keeps_them_as_logged(self):
        self.assertEqual(len(self.doc["alerts"]), 1 + len(HOSTILE_HOSTS))
        names = {n for a in self.doc["alerts"] for n in a["names"]}
        self.assertLessEqual(set(self.names), names)
        hosts = {a["host"] for a in self.doc["alerts"]}
        self.assertLessEqual({h for h, _ in HOSTILE_HOSTS}, hosts)

    def test_html_has_no_markup_from_the_log(self):
        path = self.write("html", self.log)
        with open(path, encoding="utf-8") as f:
            text = f.read()
        p = parse_html(text)
        self.assertLessEqual(set(p.tags), HTML_TAGS)
        self.assertLessEqual({k for _, k, _ in p.attrs}, HTML_ATTRS)
        self.assertNotIn("script", p.tags)
        self.assertNotIn("img", p.tags)
        self.assertEqual(p.tags.count("h1"), 1)
        for tag, key, value in p.attrs:
            self.assertNotIn("onerror", key)
            if key in ("href", "xlink:href"):
                self.assertRegex(value, r"^(#[\w-]+|https://\S+)$")
            self.assertNotIn("evil", value or "", (tag, key))
        # the strings are there, as text, made visible
        for name in self.names:
            self.assertIn(shown(name), p.all_text)
        for host, instance in HOSTILE_HOSTS:
            self.assertIn(shown(host), p.all_text)
            self.assertIn(shown(instance), p.all_text)
        self.assertIn("hostile<b>.log", p.all_text)
        self.assertNotIn("\x1b", text)
        self.assertNotIn("\u202e", text)
        # the same structure as any report: one section per alert
        sections = [v for t, v in p.classes if t == "section" and v == "alert"]
        self.assertEqual(len(sections), len(self.doc["alerts"]))

    def test_csv_neutralises_formulas(self):
        path = self.write("csv", self.log)
        with open(path, newline="", encoding="utf-8") as f:
            raw = f.read()
        rows = list(csv.reader(io.StringIO(raw)))
        header = rows[0]
        self.assertEqual(len(rows) - 1, len(self.doc["alerts"]))
        self.assertEqual(raw.count("\r\n"), len(rows), "one line per row")
        for row in rows:
            self.assertEqual(len(row), len(header))
            for cell in row:
                self.assertFalse(cell[:1] in ("=", "+", "-", "@", "\t", "\r"), cell)
        by_host = {dict(zip(header, r))["host"]: dict(zip(header, r)) for r in rows[1:]}
        self.assertIn("'=HYPERLINK(\"http://evil.example\")", by_host)
        self.assertIn("'+cmd|' /C calc'!A0", by_host)
        self.assertIn("'-1+1", by_host)
        self.assertEqual(by_host["'-1+1"]["instance"], "'-i-minus")
        self.assertEqual(by_host["'+cmd|' /C calc'!A0"]["instance"], "'@i-formula")
        self.assertIn("<img src=x onerror=alert(2)>", by_host)
        plain = by_host["10.0.0.5"]
        names = plain["names"].split("; ")
        for name in self.names:
            self.assertIn(shown(name), names)

    def test_markdown_tables_keep_their_shape(self):
        path = self.write("md", self.log)
        with open(path, encoding="utf-8") as f:
            text = f.read()
        for t in md_tables(text):
            width = len(gfm_cells(t[0]))
            for line in t:
                self.assertEqual(len(gfm_cells(line)), width, line)
        # outside code spans there is no raw HTML and nothing from the log
        for line in text.split("\n"):
            if line.startswith("```") or not line.strip():
                continue
            bare = re.sub(r"(`+)(?:(?!\1).)+?\1", "", line)
            self.assertNotIn("<", bare.replace("](<", ""), line)
            self.assertNotIn("evil", bare, line)
            self.assertNotIn("onerror", bare, line)
        self.assertIn("`` `whoami`.evil. ``", text)
        self.assertIn("`a\\|b\\|c.evil.`", text)
        self.assertNotIn("\x1b", text)

    def test_markdown_as_github_renders_it(self):
        """cmark-gfm is GitHub's own Markdown parser: the rendered report has
        only the elements the writer meant, and every log string comes out
        as the text of a <code> element."""
        path = self.write("md", self.log)
        r = subprocess.run(["cmark-gfm", "--extension", "table", "--extension", "autolink",
                            "--extension", "strikethrough", "--extension", "tagfilter", path],
                           capture_output=True, check=True, timeout=60)
        p = parse_html(r.stdout.decode("utf-8"))
        self.assertLessEqual(set(p.tags), {"h1", "h2", "h3", "p", "table", "thead", "tbody",
                                           "tr", "th", "td", "code", "a", "strong", "ol", "ul",
                                           "li", "pre"})
        self.assertLessEqual({k for _, k, _ in p.attrs}, {"href", "align", "class"})
        for href in p.hrefs:
            self.assertRegex(href, r"^(#[\w-]+|https://(attack\.mitre\.org|docs\.aws\.amazon"
                                   r"\.com|www\.rfc-editor\.org|[\w.-]+)/\S*)$")
            self.assertNotIn("evil", href)

        class Codes(html.parser.HTMLParser):
            def __init__(self):
                super().__init__()
                self.codes, self.depth, self.rows = [], 0, []

            def handle_starttag(self, tag, attrs):
                if tag == "code":
                    self.depth += 1
                    self.codes.append("")
                if tag == "tr":
                    self.rows.append(0)
                if tag in ("td", "th"):
                    self.rows[-1] += 1

            def handle_endtag(self, tag):
                if tag == "code":
                    self.depth -= 1

            def handle_data(self, data):
                if self.depth:
                    self.codes[-1] += data

        c = Codes()
        c.feed(r.stdout.decode("utf-8"))
        for name in self.names:
            self.assertIn(shown(name), c.codes, name)
        for host, instance in HOSTILE_HOSTS:
            self.assertIn(shown(host), c.codes)
            self.assertIn(shown(instance), c.codes)
        # (the table rows all keep the width of their table: cmark pads or
        # drops cells otherwise, so compare with the source's header)
        for t in md_tables(open(path, encoding="utf-8").read()):
            self.assertTrue(all(len(gfm_cells(line)) == len(gfm_cells(t[0])) for line in t))

    def test_pdf_shows_them_as_text(self):
        path = self.write("pdf", self.log)
        text = pdf_text(path)
        for name in self.names:
            self.assertIn(shown(name), text, name)
        for host, instance in HOSTILE_HOSTS:
            self.assertIn(shown(host), text)

    def test_text_stays_on_its_lines(self):
        out = scan(self.log).stdout.decode("utf-8")
        self.assertNotIn("\x1b", out)
        self.assertNotIn("\u202e", out)
        self.assertIn("<script>alert('x')</script>.evil.", out)


# ---- Many alerts --------------------------------------------------------

T0 = datetime.datetime(2026, 3, 1, tzinfo=datetime.timezone.utc)
# The bars' colours in cairo's SVG, by stack
STACK_FILLS = {"rgb(26.66%,46.66%,66.66%)": "NOERROR", "rgb(93.33%,46.66%,20%)": "NXDOMAIN",
               "rgb(66.66%,20%,46.66%)": "other"}


def tcp_query(when, host, rcode="NOERROR"):
    """One DNS query over TCP: one dns-over-tcp alert unless another of the
    host's comes within the rule's 15 minutes."""
    ts = when.strftime("%Y-%m-%dT%H:%M:%S.") + "%03dZ" % (when.microsecond // 1000)
    return json.dumps({"version": "1.100000", "account_id": "111122223333",
                       "region": "us-east-1", "vpc_id": "vpc-0test", "query_timestamp": ts,
                       "query_name": "www.example.com.", "query_type": "A",
                       "query_class": "IN", "rcode": rcode, "answers": [], "srcaddr": host,
                       "srcport": "53000", "transport": "TCP",
                       "srcids": {"instance": "i-0aaaaaaaaaaaaaaaa"}})


def write_log(path, records):
    with open(path, "w") as f:
        for _, line in sorted(records):
            f.write(line + "\n")


# Three hosts with thousands of alerts each, in turns, each with responses of
# its own kind: A answered NOERROR in the first half of the time, B NXDOMAIN
# in the second half, C SERVFAIL all along. A query every 20 minutes is an
# alert of its own.
FEW_HOSTS = {"10.1.0.1": "NOERROR", "10.1.0.2": "NXDOMAIN", "10.1.0.3": "other"}


def few_hosts_log(path, n):
    step = datetime.timedelta(minutes=20)
    records = []
    for k in range(n):
        records.append((k, tcp_query(T0 + k * step, "10.1.0.1")))
        records.append((n + k, tcp_query(T0 + (n + k) * step, "10.1.0.2", "NXDOMAIN")))
    for k in range(2 * n):
        when = T0 + k * step + step / 2
        records.append((k + 0.5, tcp_query(when, "10.1.0.3", "SERVFAIL")))
    write_log(path, records)
    return 4 * n


class ManyAlerts(Base):
    """Reports of tens of thousands of alerts take seconds in every format, and
    each alert's timeline is its own host's. The timeouts are safety nets:
    before, each alert looked through every alert and every event, and a host
    with thousands of alerts drew thousands of bands on each of its charts."""

    MANY = 100_000

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.few = os.path.join(cls.tmp, "few-hosts.log")
        cls.n_few = few_hosts_log(cls.few, 1500)
        # one alert on each of 100,000 hosts, a second apart
        cls.many = os.path.join(cls.tmp, "many-hosts.log")
        write_log(cls.many, ((i, tcp_query(T0 + datetime.timedelta(seconds=i),
                                            "10.%d.%d.%d" % (i >> 16, (i >> 8) & 255, i & 255)))
                             for i in range(cls.MANY)))

    def sections(self, text, pattern):
        parts = re.split(pattern, text)
        return list(zip((int(n) for n in parts[1::2]), parts[2::2]))

    def test_html_few_hosts(self):
        path = self.write("html", self.few)
        with open(path, encoding="utf-8") as f:
            text = f.read()
        sections = self.sections(text, r'<section class="alert" id="alert-(\d+)">')
        self.assertEqual(len(sections), self.n_few)
        hosts, drawn = {}, {}
        for n, body in sections:
            hosts[n] = re.search(r"<th>Host</th><td><code>([^<]*)</code>", body).group(1)
            own = re.search(r'<g id="c(\d+)-chart">(.*?)</svg>', body, re.S)
            if own:
                self.assertEqual(int(own.group(1)), n)
                drawn[n] = own.group(2)
        # a host's chart is drawn once, with its first alert, and shown again
        self.assertEqual(sorted(hosts[n] for n in drawn), sorted(FEW_HOSTS))
        for n, body in sections:
            if n in drawn:
                continue
            ref = int(re.search(r'<use xlink:href="#c(\d+)-chart"/>', body).group(1))
            self.assertIn(ref, drawn)
            self.assertLess(ref, n)
            self.assertEqual(hosts[ref], hosts[n], f"alert {n} shows the chart of alert {ref}")
        # each chart's bars are its own host's queries, and only those
        for n, svg in drawn.items():
            bars = {STACK_FILLS[c] for g in re.findall(r"<g clip-path=[^>]*>(.*?)</g>", svg, re.S)
                    for c in re.findall(r"fill:(rgb\([^)]*\))", g) if c in STACK_FILLS}
            self.assertEqual(bars, {FEW_HOSTS[hosts[n]]}, hosts[n])
        # thousands of bands cost no more drawing than a few
        for svg in drawn.values():
            self.assertLess(len(svg), 100_000)
        self.assertLess(os.path.getsize(path), 8_000 * self.n_few)

    def test_markdown_few_hosts(self):
        path = self.write("md", self.few)
        with open(path, encoding="utf-8") as f:
            text = f.read()
        sections = self.sections(text, r"(?m)^## (\d+)\. ")
        self.assertEqual(len(sections), self.n_few)
        lines = {}
        for n, body in sections:
            host = re.search(r"^\| Host \| `([^`]*)` \|$", body, re.M).group(1)
            bars, marks = re.search(r"```text\n(.*)\n(.*)\n```", body).groups()
            lines.setdefault(host, set()).add((bars, marks))
        self.assertEqual(set(lines), set(FEW_HOSTS))
        spans = {}
        for host, seen in lines.items():
            self.assertEqual(len(seen), 1, f"{host}: one timeline for all its alerts")
            bars, marks = seen.pop()
            busy = [i for i, c in enumerate(bars) if c != "\u00b7"]
            # every query here is an alert of its own: a bar wherever a mark is
            self.assertEqual(busy, [i for i, c in enumerate(marks) if c == "^"], host)
            spans[host] = (busy[0], busy[-1], len(bars))
        a, b, c = (spans[h] for h in sorted(FEW_HOSTS))
        # A's queries end where B's begin (in one bucket, or the next)
        self.assertLess(a[0], b[0])
        self.assertIn(b[0] - a[1], (0, 1))
        self.assertLessEqual(c[0], a[0])
        self.assertGreaterEqual(c[1], b[1])

    def test_other_formats_few_hosts(self):
        with open(self.write("json", self.few)) as f:
            self.assertEqual(len(json.load(f)["alerts"]), self.n_few)
        with open(self.write("csv", self.few), newline="") as f:
            self.assertEqual(len(list(csv.reader(f))), self.n_few + 1)
        with open(self.write("text", self.few)) as f:
            self.assertIn(f"Alerts: {self.n_few} ", f.read())

    def test_pdf_few_hosts(self):
        # a PDF lays out every line of every alert: a smaller set will do
        log = os.path.join(self.tmp, "few-hosts-pdf.log")
        n = few_hosts_log(log, 60)
        path = self.write("pdf", log)
        self.assertGreater(int(pdf_info(path)["Pages"]), n)
        text = pdf_text(path)
        for host in FEW_HOSTS:
            self.assertIn(host, text)

    def test_many_hosts(self):
        for fmt in ("text", "json", "csv", "md"):
            with self.subTest(fmt=fmt):
                path = self.write(fmt, self.many)
                with open(path, encoding="utf-8", newline="") as f:
                    text = f.read()
                if fmt == "text":
                    self.assertIn(f"Alerts: {self.MANY} ", text)
                elif fmt == "json":
                    self.assertEqual(len(json.loads(text)["alerts"]), self.MANY)
                elif fmt == "csv":
                    self.assertEqual(text.count("\r\n"), self.MANY + 1)
                else:
                    self.check_many_markdown(text)
                os.unlink(path)

    def check_many_markdown(self, text):
        sections = self.sections(text, r"(?m)^## (\d+)\. ")
        self.assertEqual(len(sections), self.MANY)
        last, width = -1, 0
        for n, body in sections:
            host = re.search(r"^\| Host \| `([^`]*)` \|$", body, re.M).group(1)
            bars, marks = re.search(r"```text\n(.*)\n(.*)\n```", body).groups()
            busy = [i for i, c in enumerate(bars) if c != "\u00b7"]
            # the host's one query, where its one alert is; later hosts later
            self.assertEqual(len(busy), 1, host)
            self.assertEqual(marks, " " * busy[0] + "^", host)
            self.assertGreaterEqual(busy[0], last, host)
            last, width = busy[0], len(bars)
        self.assertEqual(last, width - 1)


# ---- Writing the file ---------------------------------------------------

def small_file_limit():
    """In the child: files may not grow past 1000 bytes, and a write past
    that fails (EFBIG) rather than killing the process, as on a full disk."""
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (1000, 1000))


class OutputFile(Base):
    """-o never leaves part of a report: the file is written beside the target
    and renamed over it once whole."""

    FORMATS = ("text", "json", "csv", "md", "html", "pdf")

    def setUp(self):
        self.dir = tempfile.mkdtemp(dir=self.tmp)

    def test_full_disk(self):
        for fmt in self.FORMATS:
            for old in (None, b"the old report\n"):
                with self.subTest(fmt=fmt, old=old):
                    target = os.path.join(self.dir, f"report-{fmt}.out")
                    if old:
                        with open(target, "wb") as f:
                            f.write(old)
                    r = scan("-f", fmt, "-o", target, DEMO, check=False,
                             preexec_fn=small_file_limit)
                    self.assertEqual(r.returncode, 2, r.stderr)
                    self.assertIn(target.encode(), r.stderr, "the message names the file")
                    self.assertIn(b"File too large", r.stderr)
                    self.assertEqual(os.listdir(self.dir), [os.path.basename(target)] if old
                                     else [], "no partial or temporary file")
                    if old:
                        with open(target, "rb") as f:
                            self.assertEqual(f.read(), old)
                        os.unlink(target)

    def test_interrupted(self):
        log = os.path.join(self.tmp, "interrupted.log")
        few_hosts_log(log, 1500)
        for sig in (signal.SIGTERM, signal.SIGINT):
            for old in (None, b"the old report\n"):
                with self.subTest(sig=sig, old=old):
                    target = os.path.join(self.dir, "report.html")
                    if old:
                        with open(target, "wb") as f:
                            f.write(old)
                    before = set(os.listdir(self.dir))
                    p = subprocess.Popen([DNSHUNT, "scan", "-f", "html", "-o", target, log],
                                         stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                                         env=scan_env())
                    # stop it once it has started writing
                    deadline = time.monotonic() + 60
                    while set(os.listdir(self.dir)) == before and p.poll() is None:
                        self.assertLess(time.monotonic(), deadline)
                        time.sleep(0.001)
                    p.send_signal(sig)
                    _, err = p.communicate(timeout=60)
                    self.assertEqual(p.returncode, 130, err)
                    self.assertIn(b"interrupted", err)
                    self.assertEqual(set(os.listdir(self.dir)), before,
                                     "no partial or temporary file")
                    if old:
                        with open(target, "rb") as f:
                            self.assertEqual(f.read(), old)
                        os.unlink(target)

    def test_not_a_regular_file(self):
        fifo = os.path.join(self.dir, "fifo")
        os.mkfifo(fifo)
        r = scan("-f", "csv", "-o", fifo, DEMO, check=False)
        self.assertEqual(r.returncode, 2)
        self.assertIn(b"fifo", r.stderr)
        r = scan("-f", "csv", "-o", self.dir, DEMO, check=False)
        self.assertEqual(r.returncode, 2)
        self.assertEqual(sorted(os.listdir(self.dir)), ["fifo"])


if __name__ == "__main__":
    unittest.main(verbosity=2)
