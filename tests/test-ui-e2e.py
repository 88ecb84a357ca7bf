#!/usr/bin/python3
"""The real DNS Hunt window, driven through accessibility (AT-SPI) with dogtail.

An analyst's path: open the demo logs, select the highest-severity alert and
read its MITRE ids and mitigation, follow its host's timeline, lower a
threshold in Preferences and see the alert list grow, triage an alert, save
the case, close it and reopen it from the recent list.

Run by tests/run-ui-test.sh (own session bus and Xvfb). Uses only AT-SPI
actions, selection and values, never screen coordinates (GTK 4 on X11 does
not report them). Exits 77 (skipped) when dogtail is not installed.
"""
import json
import os
import subprocess
import sys
import tempfile
import time
import unittest

try:
    from dogtail.config import config
except ImportError:
    print("dogtail is not installed (Debian: python3-dogtail); skipping", file=sys.stderr)
    sys.exit(77)

# GTK 4 exposes itself to AT-SPI when GTK_A11Y=atspi (its default with a bus);
# dogtail's start-up check reads GTK 3's toolkit-accessibility setting, which
# GTK 4 ignores, so it is turned off rather than flipping a user setting.
config.checkForA11y = False
config.searchShowingOnly = False
config.defaultDelay = 0.2
config.actionDelay = 0.2
config.searchCutoffCount = 40
config.logDebugToFile = False

from dogtail import tree  # noqa: E402
from dogtail.predicate import GenericPredicate  # noqa: E402

DNSHUNT = os.environ["DNSHUNT"]
RULES = json.load(open(os.environ["DH_RULES_JSON"]))["rules"]
TIMEOUT = 60


def wait_for(what, fn, timeout=TIMEOUT):
    deadline = time.time() + timeout
    last = None
    while time.time() < deadline:
        try:
            value = fn()
            if value:
                return value
        except Exception as e:  # the tree changes under us while loading
            last = e
        time.sleep(0.25)
    raise AssertionError(f"timed out waiting for {what} ({last})")


def matcher(role=None, name=None, prefix=None, suffix=None):
    def pred(n):
        if role and n.roleName != role:
            return False
        text = n.name or ""
        if name is not None and text != name:
            return False
        if prefix is not None and not text.startswith(prefix):
            return False
        if suffix is not None and not text.endswith(suffix):
            return False
        return True
    return pred


def find_all(root, **kw):
    return root.findChildren(matcher(**kw), showingOnly=False)


def find(root, **kw):
    """The first match, depth first: much cheaper than collecting all."""
    return root.findChild(matcher(**kw), retry=False, requireResult=False, showingOnly=False)


class Window(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="dnshunt-e2e-")
        env = dict(os.environ,
                   GTK_A11Y="atspi",
                   GSETTINGS_BACKEND="memory",
                   GSK_RENDERER="cairo",
                   G_DEBUG="fatal-warnings",
                   XDG_DATA_HOME=os.path.join(cls.tmp, "data"),
                   XDG_CONFIG_HOME=os.path.join(cls.tmp, "config"))
        cls.log = open(os.path.join(cls.tmp, "dnshunt.log"), "w")
        # The case is saved in the working directory (the save dialog's default).
        cls.proc = subprocess.Popen([DNSHUNT], cwd=cls.tmp, env=env, stdout=cls.log,
                                    stderr=subprocess.STDOUT)
        cls.app = wait_for("the app on the accessibility bus",
                           lambda: tree.root.application("dnshunt"))
        cls.win = wait_for("the window", lambda: find(cls.app, role="frame", name="DNS Hunt"))
        cls.views = {}

    def view(self, name):
        """A view's subtree, found once: searches stay inside it."""
        if name not in self.views:
            self.views[name] = wait_for(f"the {name} view",
                                        lambda: find(self.win, name=f"{name} view"))
        return self.views[name]

    @classmethod
    def tearDownClass(cls):
        status = cls.proc.poll()
        if status is None:
            cls.proc.terminate()
            cls.proc.wait(10)
        cls.log.close()
        with open(cls.log.name) as f:
            output = f.read()
        if output or status is not None:
            print(f"--- dnshunt (exit status {status}):\n{output}", file=sys.stderr)

    def assertAlive(self):
        with open(self.log.name) as f:
            self.assertIsNone(self.proc.poll(), f.read())

    # helpers -------------------------------------------------------------

    def click(self, node):
        self.assertIsNotNone(node)
        node.doActionNamed("click")

    def menu(self, label):
        # A menu's accessible items can be replaced while it opens; if the
        # item we found went away, open the menu again and take the new one.
        for attempt in range(3):
            button = find(self.win, role="push button", name="Main Menu")
            self.click(button.children[0] if button.children else button)
            item = wait_for(f"menu item {label}",
                            lambda: find(button, role="menu item", prefix=label))
            try:
                item.doActionNamed("click")
                return
            except Exception as e:
                self.assertAlive()
                print(f"menu item {label}: {e}; again", file=sys.stderr)
                time.sleep(1)
        self.fail(f"could not activate {label}")

    def show(self, tab):
        self.click(wait_for(f"the {tab} tab", lambda: find(self.win, role="page tab", name=tab)))

    def alert_rows(self):
        table = find(self.view("Alerts"), role="tree table", name="Alerts")
        body = [c for c in table.children if c.roleName == "list"][0]
        return body, [r for r in body.children if r.roleName == "table row"]

    def row_texts(self, row):
        return [find(cell, role="label").name if find(cell, role="label") else ""
                for cell in row.children]

    def alert_count(self, n):
        return find(self.view("Alerts"), role="label", name=f"{n} of {n} alerts")

    def loaded(self):
        return self.alert_rows()[1]

    # the path ------------------------------------------------------------

    def test_investigation(self):
        self.click(wait_for("Open Demo Logs", lambda: find(self.win, role="push button",
                                                           name="Open Demo Logs")))
        self.show_when_loaded()
        self.pick_highest_alert()
        self.follow_timeline()
        self.lower_threshold()
        self.triage_save_reopen()
        self.export_report()
        self.about_and_shortcuts()
        self.assertAlive()

    def about_and_shortcuts(self):
        # both read their texts as markup in places: they must open cleanly
        self.menu("About DNS Hunt")
        about = wait_for("the about window", lambda: find(self.app, name="About DNS Hunt")
                         or find(self.app, role="label", name="0.1.0"))
        self.assertIsNotNone(about)
        self.menu("Keyboard Shortcuts")
        wait_for("the shortcuts window", lambda: find(self.app, name="Shortcuts"))
        self.assertAlive()

    def show_when_loaded(self):
        wait_for("the demo to load", lambda: find(self.view("Overview"), role="label",
                                                  name="5000"))
        self.show("Alerts")
        wait_for("alert rows", self.loaded)
        wait_for("11 alerts", lambda: self.alert_count(11))

    def pick_highest_alert(self):
        body, rows = self.alert_rows()
        self.assertEqual(len(rows), 11)
        severities = [self.row_texts(r)[0] for r in rows]
        self.assertEqual(severities[:3], ["High"] * 3, severities)
        # select another alert first, then the most severe one, through AT-SPI
        detail = find(self.view("Alerts"), name="Alert detail")
        rows[-1].select()
        wait_for("a low alert's detail", lambda: find(detail, role="label", name="Low"))
        rows[0].select()
        rule_id = self.row_rule_id(rows[0])
        wait_for("the rule id", lambda: find(detail, role="label", name=rule_id))
        rule = next(r for r in RULES if r["id"] == rule_id)
        # the detail shows the alert's severity (dns-over-tcp is raised to high by AXFR)
        self.assertIsNotNone(find(detail, role="label", name="High"))

        labels = {n.name for n in find_all(detail, role="label")}
        mitre = rule["mitre"]
        for kind in ("tactic", "technique", "subtechnique"):
            if mitre.get(kind):
                expected = f'{mitre[kind]["id"]} {mitre[kind]["name"]}'
                self.assertIn(expected, labels, f"{kind} not shown")
        for i, step in enumerate(rule["mitigation"], 1):
            self.assertIn(f"{i}. {step}", labels, "mitigation step not shown")
        self.assertIn(rule["title"], labels)
        self.rule = rule

        host_line = next(n for n in labels if n.startswith(self.row_texts(rows[0])[2] + "  ·"))
        self.host = host_line.split("  ·")[0]

    def row_rule_id(self, row):
        # the rule column's title maps back to its id
        title = self.row_texts(row)[1]
        return next(r["id"] for r in RULES if r["title"] == title)

    def follow_timeline(self):
        self.click(find(self.view("Alerts"), role="push button", name="Host Timeline"))
        timeline = self.view("Timeline")
        chart = wait_for("the chart", lambda: find(timeline, name="Host timeline"))
        wait_for("the host's chart", lambda: chart.description == f"Timeline of {self.host}")
        wait_for("the host's queries",
                 lambda: find(timeline, role="label", prefix="All ", suffix="of this host"))
        # the alert's chip zooms to it and lists the queries of its time range
        chip = find(timeline, role="push button", prefix="High · " + self.rule["title"])
        self.click(chip)
        wait_for("the alert's range", lambda: find(timeline, role="label", prefix="4 of "))

    def lower_threshold(self):
        self.menu("Preferences")
        prefs = wait_for("Preferences", lambda: find(self.app, role="frame", name="Preferences"))
        spin = wait_for("the NXDOMAIN threshold", lambda: find(
            prefs, role="spin button", name="High Number of NXDOMAIN Responses Returned: Threshold"))
        self.assertEqual(spin.queryValue().currentValue, 100)
        spin.queryValue().currentValue = 20
        self.show("Alerts")
        wait_for("13 alerts", lambda: self.alert_count(13))
        close = find(prefs, role="push button", name="Close")
        if close is not None:
            self.click(close)

    def triage_save_reopen(self):
        body, rows = self.alert_rows()
        rows[0].select()
        first_rule = self.row_texts(rows[0])[1]
        detail = find(self.view("Alerts"), name="Alert detail")
        triage = find(detail, name="Triage state")
        self.click(wait_for("Escalated", lambda: find(triage, role="toggle button", name="Escalated")
                            or find(triage, role="push button", name="Escalated")))
        wait_for("the state column", lambda: self.row_texts(self.alert_rows()[1][0])[
            [i for i, t in enumerate(self.row_texts(self.alert_rows()[1][0])) if t in
             ("New", "Escalated")][0]] == "Escalated")

        self.menu("Save Case")
        dialog = wait_for("the save dialog", lambda: find(self.app, name="Save Case"))
        self.click(wait_for("Save", lambda: next((b for b in find_all(dialog, role="push button")
                                                  if b.name.endswith("Save")), None)))
        path = os.path.join(self.tmp, "investigation.dnshunt.json")
        wait_for("the case file", lambda: os.path.exists(path) and os.path.getsize(path) > 0)
        with open(path) as f:
            case = json.load(f)
        self.assertEqual(case["settings"], {"nxdomain-burst.threshold": "20"})
        self.assertEqual([t["state"] for t in case["triage"]], ["escalated"])
        self.assertEqual(len(case["inputs"]), 1)

        self.menu("Close Investigation")
        reopen = wait_for("the recent case", lambda: find(self.win, role="push button",
                                                          name="Open case investigation.dnshunt.json"))
        self.click(reopen)
        wait_for("the case's logs", lambda: self.alert_count(13))
        self.show("Alerts")
        row = wait_for("alert rows", lambda: self.alert_rows()[1][0])
        texts = self.row_texts(row)
        self.assertEqual(texts[1], first_rule)
        self.assertIn("Escalated", texts)

    def export_report(self):
        # the reopened case as an HTML report of all alerts, with its escalated one
        self.menu("Export Report")
        dialog = wait_for("the export dialog",
                          lambda: find(self.app, role="frame", name="Export Report"))
        for name in ("Alerts", "Format", "Title", "Cancel", "Export…"):
            self.assertIsNotNone(find(dialog, name=name), f"{name} has no accessible name")
        self.click(find(dialog, role="push button", name="Export…"))

        def accept_button():
            # the save dialog: another window of that title, with an "Export" button
            for d in find_all(self.app, name="Export Report"):
                if d.roleName in ("label", "push button") or d == dialog:
                    continue
                for b in find_all(d, role="push button"):
                    if b.name.endswith("Export"):
                        return b
            return None
        self.click(wait_for("the save dialog", accept_button))
        report = wait_for("the report", lambda: next(
            (os.path.join(self.tmp, f) for f in os.listdir(self.tmp)
             if f.startswith("dnshunt-report-") and f.endswith(".html")), None))
        wait_for("the toast", lambda: find(self.win, role="label", name="Report saved"))
        with open(report) as f:
            html = f.read()
        self.assertIn("Escalated", html)
        self.assertEqual(html.count('<section class="alert"'), 13)
        self.assertAlive()


if __name__ == "__main__":
    unittest.main(verbosity=2)
