/* test-rules.c: the ten rules, their thresholds, and the decoys a careless rule flags
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "dh-match.h"
#include "dh-test-util.h"

#define T0 "2026-03-02T10:00:00Z"

/* the series helper takes its name pattern as data */
#pragma GCC diagnostic ignored "-Wformat-nonliteral"

/* count records of one shape from one host, one every @step seconds */
static void
append_series (GString    *s,
               guint       count,
               gint64      step,
               const char *host,
               const char *rcode,
               const char *qtype,
               const char *name_fmt)
{
  for (guint i = 0; i < count; i++)
    {
      g_autofree char *t = test_time_plus (T0, i * step);
      g_autofree char *name = g_strdup_printf (name_fmt, i);
      g_autofree char *line = test_record_line (&(TestRecord) {
        .time = t, .name = name, .host = host, .rcode = rcode, .qtype = qtype });
      g_string_append (s, line);
    }
}

static DhAlertSet *
analyze (GString     *s,
         const char **sets)
{
  return test_analyze_text (s->str, sets);
}

static void
test_nxdomain_threshold (void)
{
  g_autoptr(GString) s = g_string_new (NULL);
  g_autoptr(DhAlertSet) set = NULL;
  const DhAlert *a;

  /* exactly the threshold within 15 minutes (one every 5 s: 495 s) */
  append_series (s, 100, 5, "10.0.0.1", "NXDOMAIN", "A", "q%u-dga.example.com.");
  /* one short of it */
  append_series (s, 99, 5, "10.0.0.2", "NXDOMAIN", "A", "q%u-dga.example.com.");
  /* 200 spread over ten hours: never 100 within 15 minutes */
  append_series (s, 200, 180, "10.0.0.3", "NXDOMAIN", "A", "q%u.example.org.");
  set = analyze (s, NULL);

  g_assert_cmpuint (test_count_rule (set, DH_RULE_NXDOMAIN_BURST), ==, 1);
  a = test_find_alert (set, DH_RULE_NXDOMAIN_BURST, "10.0.0.1");
  g_assert_nonnull (a);
  g_assert_cmpuint (a->count, ==, 100);
  g_assert_cmpuint (a->names->len, ==, 100);
  g_assert_cmpuint (a->events->len, ==, 100);
  g_assert_cmpint (a->last_seen - a->first_seen, ==, 495 * G_USEC_PER_SEC);
  g_assert_cmpint (a->severity, ==, DH_SEVERITY_MEDIUM);
  g_assert_cmpstr (dh_event_store_get_string (dh_alert_set_get_store (set), a->srcid), ==,
                   "i-0123456789abcdef0");
  g_assert_cmpstr (dh_event_store_get_string (dh_alert_set_get_store (set), a->vpc), ==,
                   "vpc-0test");
}

static void
test_nxdomain_exclusions (void)
{
  g_autoptr(GString) s = g_string_new (NULL);
  g_autoptr(DhAlertSet) set = NULL;

  append_series (s, 150, 2, "10.0.1.1", "NXDOMAIN", "PTR", "%u.1.0.10.in-addr.arpa.");
  append_series (s, 150, 2, "10.0.1.2", "NXDOMAIN", "PTR",
                 "%u.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6.arpa");
  append_series (s, 150, 2, "10.0.1.3", "NXDOMAIN", "A", "ip-10-0-0-%u.ec2.internal.");
  append_series (s, 150, 2, "10.0.1.4", "NXDOMAIN", "A", "printer%u.local.");
  append_series (s, 75, 2, "10.0.1.5", "NXDOMAIN", "AAAA", "__cloud_init_expected_not_found__.");
  append_series (s, 75, 2, "10.0.1.5", "NXDOMAIN", "A",
                 "__cloud_init_expected_not_found__.ec2.internal.");
  set = analyze (s, NULL);
  g_assert_cmpuint (dh_alert_set_get_n_alerts (set), ==, 0);
}

static void
test_nxdomain_episodes (void)
{
  g_autoptr(GString) s = g_string_new (NULL);
  g_autoptr(DhAlertSet) set = NULL;

  append_series (s, 120, 1, "10.0.2.1", "NXDOMAIN", "A", "a%u.example.net.");
  /* a second burst two hours later is another episode */
  for (guint i = 0; i < 120; i++)
    {
      g_autofree char *t = test_time_plus (T0, 7200 + i);
      g_autofree char *name = g_strdup_printf ("b%u.example.net.", i);
      g_autofree char *line = test_record_line (&(TestRecord) {
        .time = t, .name = name, .host = "10.0.2.1", .rcode = "NXDOMAIN" });
      g_string_append (s, line);
    }
  /* the same burst from another host is another alert */
  append_series (s, 120, 1, "10.0.2.2", "NXDOMAIN", "A", "c%u.example.net.");
  set = analyze (s, NULL);
  g_assert_cmpuint (test_count_rule (set, DH_RULE_NXDOMAIN_BURST), ==, 3);
}

static void
test_nxdomain_settings (void)
{
  g_autoptr(GString) s = g_string_new (NULL);
  g_autoptr(DhAlertSet) lowered = NULL;
  g_autoptr(DhAlertSet) allowed = NULL;
  g_autoptr(DhAlertSet) host_allowed = NULL;
  g_autoptr(DhAlertSet) cidr_allowed = NULL;
  g_autoptr(DhAlertSet) disabled = NULL;
  g_autoptr(DhAlertSet) window = NULL;

  append_series (s, 25, 5, "10.0.3.7", "NXDOMAIN", "A", "x%u.bad.example.");
  lowered = analyze (s, (const char *[]) { "nxdomain-burst.threshold=20", NULL });
  g_assert_cmpuint (test_count_rule (lowered, DH_RULE_NXDOMAIN_BURST), ==, 1);

  allowed = analyze (s, (const char *[]) { "nxdomain-burst.threshold=20",
                                           "nxdomain-burst.allow=BAD.example.", NULL });
  g_assert_cmpuint (test_count_rule (allowed, DH_RULE_NXDOMAIN_BURST), ==, 0);

  host_allowed = analyze (s, (const char *[]) { "nxdomain-burst.threshold=20",
                                                "all.allow-hosts=10.0.3.7", NULL });
  g_assert_cmpuint (dh_alert_set_get_n_alerts (host_allowed), ==, 0);

  cidr_allowed = analyze (s, (const char *[]) { "nxdomain-burst.threshold=20",
                                                "nxdomain-burst.allow-hosts=10.0.3.0/24", NULL });
  g_assert_cmpuint (dh_alert_set_get_n_alerts (cidr_allowed), ==, 0);

  disabled = analyze (s, (const char *[]) { "nxdomain-burst.threshold=20",
                                            "nxdomain-burst.enabled=false", NULL });
  g_assert_cmpuint (dh_alert_set_get_n_alerts (disabled), ==, 0);

  /* 25 events over 120 s: a 60 s window holds only 13 */
  window = analyze (s, (const char *[]) { "nxdomain-burst.threshold=20",
                                          "nxdomain-burst.window=60s", NULL });
  g_assert_cmpuint (dh_alert_set_get_n_alerts (window), ==, 0);
}

static void
test_dns_over_tcp (void)
{
  g_autoptr(GString) s = g_string_new (NULL);
  g_autoptr(DhAlertSet) set = NULL;
  g_autofree char *udp = test_record_line (&(TestRecord) { .host = "10.0.4.1" });
  g_autofree char *tcp = test_record_line (&(TestRecord) { .host = "10.0.4.2",
                                                            .transport = "TCP" });
  g_autofree char *axfr = test_record_line (&(TestRecord) { .host = "10.0.4.3",
                                                             .transport = "TCP",
                                                             .qtype = "AXFR",
                                                             .name = "corp.example." });

  g_string_append (s, udp);
  g_string_append (s, tcp);
  g_string_append (s, axfr);
  set = analyze (s, NULL);
  g_assert_cmpuint (test_count_rule (set, DH_RULE_DNS_OVER_TCP), ==, 2);
  g_assert_cmpint (test_find_alert (set, DH_RULE_DNS_OVER_TCP, "10.0.4.2")->severity, ==,
                   DH_SEVERITY_LOW);
  g_assert_cmpint (test_find_alert (set, DH_RULE_DNS_OVER_TCP, "10.0.4.3")->severity, ==,
                   DH_SEVERITY_HIGH);
  /* most severe first */
  g_assert_cmpint (dh_alert_set_get_alert (set, 0)->severity, ==, DH_SEVERITY_HIGH);
}

static void
test_refused_burst (void)
{
  g_autoptr(GString) s = g_string_new (NULL);
  g_autoptr(DhAlertSet) set = NULL;

  append_series (s, 50, 10, "10.0.5.1", "REFUSED", "A", "r%u.example.com.");
  append_series (s, 49, 10, "10.0.5.2", "REFUSED", "A", "r%u.example.com.");
  set = analyze (s, NULL);
  g_assert_cmpuint (test_count_rule (set, DH_RULE_REFUSED_BURST), ==, 1);
  g_assert_nonnull (test_find_alert (set, DH_RULE_REFUSED_BURST, "10.0.5.1"));
  g_assert_cmpint (test_find_alert (set, DH_RULE_REFUSED_BURST, "10.0.5.1")->severity, ==,
                   DH_SEVERITY_LOW);
}

static void
test_metadata_answer (void)
{
  struct { const char *name; const char *answers; const char *host; gboolean alert; } cases[] = {
    { "evil.example.com.", "[{\"Rdata\":\"169.254.169.254\",\"Type\":\"A\",\"Class\":\"IN\"}]",
      "10.0.6.1", TRUE },
    { "redirect.example.net.",
      "[{\"Rdata\":\"meta.attacker.example.\",\"Type\":\"CNAME\",\"Class\":\"IN\"},"
      "{\"Rdata\":\"169.254.169.254\",\"Type\":\"A\",\"Class\":\"IN\"}]", "10.0.6.2", TRUE },
    { "v6.example.org.", "[{\"Rdata\":\"fd00:ec2:0:0:0:0:0:254\",\"Type\":\"AAAA\","
      "\"Class\":\"IN\"}]", "10.0.6.3", TRUE },
    { "instance-data.evil.example.", "[{\"Rdata\":\"169.254.169.254\",\"Type\":\"A\","
      "\"Class\":\"IN\"}]", "10.0.6.4", TRUE },
    { "instance-data.ec2.internal.", "[{\"Rdata\":\"169.254.169.254\",\"Type\":\"A\","
      "\"Class\":\"IN\"}]", "10.0.6.10", FALSE },
    { "instance-data.", "[{\"Rdata\":\"169.254.169.254\",\"Type\":\"A\",\"Class\":\"IN\"}]",
      "10.0.6.11", FALSE },
    { "INSTANCE-DATA.us-east-1.compute.internal", "[{\"Rdata\":\"fd00:ec2::254\","
      "\"Type\":\"AAAA\",\"Class\":\"IN\"}]", "10.0.6.12", FALSE },
    { "ok.example.com.", "[{\"Rdata\":\"169.254.169.253\",\"Type\":\"A\",\"Class\":\"IN\"}]",
      "10.0.6.13", FALSE },
  };
  g_autoptr(GString) s = g_string_new (NULL);
  g_autoptr(DhAlertSet) set = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *line = test_record_line (&(TestRecord) {
        .name = cases[i].name, .answers = cases[i].answers, .host = cases[i].host });
      g_string_append (s, line);
    }
  set = analyze (s, NULL);
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      const DhAlert *a = test_find_alert (set, DH_RULE_METADATA_IP_ANSWER, cases[i].host);
      if (cases[i].alert != (a != NULL))
        g_error ("%s: expected %s", cases[i].name, cases[i].alert ? "an alert" : "no alert");
      if (a)
        g_assert_cmpint (a->severity, ==, DH_SEVERITY_HIGH);
    }
  g_assert_cmpuint (dh_alert_set_get_n_alerts (set), ==, 4);
}

static void
test_uncommon_types (void)
{
  g_autoptr(GString) s = g_string_new (NULL);
  g_autoptr(DhAlertSet) set = NULL;
  g_autoptr(DhAlertSet) mx = NULL;

  append_series (s, 50, 1, "10.0.7.1", "NOERROR", "TXT", "c2-%u.example.com.");
  append_series (s, 30, 1, "10.0.7.2", "NOERROR", "TXT", "c2-%u.example.com.");
  append_series (s, 20, 1, "10.0.7.2", "NOERROR", "NULL", "n-%u.example.com.");
  append_series (s, 49, 1, "10.0.7.3", "NOERROR", "TXT", "c2-%u.example.com.");
  /* 100 spread over 10 minutes: 10 a minute */
  append_series (s, 100, 6, "10.0.7.4", "NOERROR", "TXT", "spf%u.example.com.");
  append_series (s, 60, 1, "10.0.7.5", "NOERROR", "MX", "mx%u.example.com.");
  set = analyze (s, NULL);
  g_assert_cmpuint (test_count_rule (set, DH_RULE_UNCOMMON_RECORD_TYPES), ==, 2);
  g_assert_nonnull (test_find_alert (set, DH_RULE_UNCOMMON_RECORD_TYPES, "10.0.7.1"));
  g_assert_nonnull (test_find_alert (set, DH_RULE_UNCOMMON_RECORD_TYPES, "10.0.7.2"));

  mx = analyze (s, (const char *[]) { "uncommon-record-types.types=mx", NULL });
  g_assert_cmpuint (test_count_rule (mx, DH_RULE_UNCOMMON_RECORD_TYPES), ==, 1);
  g_assert_nonnull (test_find_alert (mx, DH_RULE_UNCOMMON_RECORD_TYPES, "10.0.7.5"));
}

typedef struct
{
  const char *name;
  DhRuleKind  rule;   /* DH_N_RULES: no alert expected */
} NameCase;

static void
check_names (const NameCase *cases,
             guint           n)
{
  g_autoptr(GString) s = g_string_new (NULL);
  g_autoptr(DhAlertSet) set = NULL;

  for (guint i = 0; i < n; i++)
    {
      g_autofree char *host = g_strdup_printf ("10.1.%u.%u", i / 200, i % 200 + 1);
      g_autofree char *line = test_record_line (&(TestRecord) { .name = cases[i].name,
                                                                 .host = host });
      g_string_append (s, line);
    }
  set = analyze (s, NULL);
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *host = g_strdup_printf ("10.1.%u.%u", i / 200, i % 200 + 1);
      for (guint r = 0; r < DH_N_RULES; r++)
        {
          gboolean expected = cases[i].rule == r;
          gboolean found = test_find_alert (set, r, host) != NULL;
          if (expected != found)
            g_error ("%s: rule %s %s", cases[i].name,
                     dh_rule_book_get_rule (dh_alert_set_get_rule_book (set), r)->id,
                     expected ? "did not fire" : "fired");
        }
    }
}

static void
test_name_rules (void)
{
  const NameCase cases[] = {
    /* suspicious TLDs */
    { "login-update.top.", DH_RULE_SUSPICIOUS_TLD },
    { "CDN.Example.XYZ.", DH_RULE_SUSPICIOUS_TLD },
    { "free-prizes.tk", DH_RULE_SUSPICIOUS_TLD },
    { "www.topgear.com.", DH_N_RULES },
    { "top.example.com.", DH_N_RULES },
    { "xyz.amazonaws.com.", DH_N_RULES },
    /* paste sites */
    { "pastebin.com.", DH_RULE_PASTE_SITE },
    { "RAW.PASTEBIN.COM.", DH_RULE_PASTE_SITE },
    { "paste.ee", DH_RULE_PASTE_SITE },
    { "notpastebin.com.", DH_N_RULES },
    { "pastebin.com.evil-cdn.net.", DH_N_RULES },
    { "mypaste.ee.example.com.", DH_N_RULES },
    /* Monero pools */
    { "pool.supportxmr.com.", DH_RULE_MONERO_POOL },
    { "xmr.nanopool.org.", DH_RULE_MONERO_POOL },
    { "de.minexmr.com.", DH_RULE_MONERO_POOL },
    { "notsupportxmr.com.", DH_N_RULES },
    { "eth.nanopool.org.", DH_N_RULES },
    /* base64 labels */
    { "dXNlcj1hZG1pbjtwYXNzd29yZD1odW50ZXIy.exfil.example.com.", DH_RULE_BASE64_LABEL },
    { "aG9zdD1pcC0xMC0wLTMtNztrZXk9QUtJQUVYQU1QTEU.c2.example.net.", DH_RULE_BASE64_LABEL },
    { "U2VjcmV0UGFzc3dvcmQ=.example.com.", DH_RULE_BASE64_LABEL },
    { "c2Vzc2lvbj0xMjM0NTY3OA==.example.org.", DH_RULE_BASE64_LABEL },
    { "d1a2b3c4d5e6f7.cloudfront.net.", DH_N_RULES },
    { "e1234.a.akamaiedge.net.", DH_N_RULES },
    { "5d41402abc4b2a76b9719d911017c592.example.com.", DH_N_RULES },
    { "da39a3ee5e6b4b0d3255bfef95601890afd80709.example.com.", DH_N_RULES },
    { "DA39A3EE5E6B4B0D3255BFEF95601890AFD80709.example.com.", DH_N_RULES },
    { "xn--bcher-kva.example.", DH_N_RULES },
    { "xn--80ak6aa92e.com.", DH_N_RULES },
    { "internationalization.example.com.", DH_N_RULES },
    { "supercalifragilisticexpialidocious.com.", DH_N_RULES },
    { "ec2messages.us-east-1.amazonaws.com.", DH_N_RULES },
    { "ip-10-0-1-5.ec2.internal.", DH_N_RULES },
    { "MicrosoftUpdateService.example.com.", DH_N_RULES },
    { "Zq8XkP3mW9vR2tYbLq7N.example.com.", DH_N_RULES },
    { "_dmarc.example.com.", DH_N_RULES },
    /* Kubernetes enumeration */
    { "any.any.svc.cluster.local.", DH_RULE_K8S_ENUMERATION },
    { "ANY.ANY.ANY.svc.cluster.local", DH_RULE_K8S_ENUMERATION },
    { "any.any.svc.cluster.local.us-east-1.compute.internal.", DH_RULE_K8S_ENUMERATION },
    { "many.any.svc.cluster.local.", DH_N_RULES },
    { "any.svc.cluster.local.", DH_N_RULES },
    { "kubernetes.default.svc.cluster.local.", DH_N_RULES },
    { "any.any.svc.cluster.localhost.", DH_N_RULES },
    /* ordinary traffic */
    { "sts.us-east-1.amazonaws.com.", DH_N_RULES },
    { "github.com.", DH_N_RULES },
  };

  check_names (cases, G_N_ELEMENTS (cases));
}

static void
test_name_rule_settings (void)
{
  g_autoptr(GString) s = g_string_new (NULL);
  g_autoptr(DhAlertSet) def = NULL;
  g_autoptr(DhAlertSet) custom = NULL;
  g_autoptr(DhAlertSet) from_file = NULL;
  g_autofree char *path = NULL;
  g_autofree char *line1 = test_record_line (&(TestRecord) { .name = "drop.example.com.",
                                                              .host = "10.2.0.1" });
  g_autofree char *line2 = test_record_line (&(TestRecord) { .name = "pastebin.com.",
                                                              .host = "10.2.0.2" });
  g_autoptr(GError) error = NULL;
  int fd;

  g_string_append (s, line1);
  g_string_append (s, line2);
  def = analyze (s, NULL);
  g_assert_cmpuint (test_count_rule (def, DH_RULE_PASTE_SITE), ==, 1);

  custom = analyze (s, (const char *[]) { "paste-site.list=example.com", NULL });
  g_assert_cmpuint (test_count_rule (custom, DH_RULE_PASTE_SITE), ==, 1);
  g_assert_nonnull (test_find_alert (custom, DH_RULE_PASTE_SITE, "10.2.0.1"));

  fd = g_file_open_tmp ("dnshunt-list-XXXXXX", &path, &error);
  g_assert_no_error (error);
  close (fd);
  g_file_set_contents (path, "# our own list\ndrop.example.com\npastebin.com # classic\n", -1,
                       &error);
  g_assert_no_error (error);
  {
    g_autofree char *set_file = g_strdup_printf ("paste-site.list-file=%s", path);
    from_file = analyze (s, (const char *[]) { set_file, NULL });
  }
  g_assert_cmpuint (test_count_rule (from_file, DH_RULE_PASTE_SITE), ==, 2);
  g_unlink (path);
}

static void
test_rule_data (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DhRuleBook) book = dh_rule_book_new (&error);
  static const struct { const char *id, *title, *sev, *tactic, *tech, *sub; } spec[] = {
    { "nxdomain-burst", "High Number of NXDOMAIN Responses Returned", "medium", "TA0011",
      "T1568", "T1568.002" },
    { "dns-over-tcp", "DNS Activity on TCP Detected", "low", "TA0010", "T1048", NULL },
    { "refused-burst", "Excessive REFUSED Response Code Returned", "low", "TA0011", "T1071",
      "T1071.004" },
    { "metadata-ip-answer", "Suspicious AWS metadata query", "high", "TA0006", "T1552",
      "T1552.005" },
    { "uncommon-record-types", "Anomalous Uncommon DNS Record Types Observed", "medium",
      "TA0011", "T1071", "T1071.004" },
    { "suspicious-tld", "Suspicious Top Level Domain (TLD) Queried", "low", "TA0011", "T1071",
      "T1071.004" },
    { "paste-site", "Paste Sites Queried", "medium", "TA0010", "T1567", "T1567.003" },
    { "monero-pool", "Suspicious DNS queries to Monero mining pools", "high", "TA0040",
      "T1496", NULL },
    { "base64-label", "Suspicious Query with Base64 Encoded String", "medium", "TA0010",
      "T1048", "T1048.003" },
    { "k8s-enumeration", "Kubernetes DNS Enumeration", "medium", "TA0043", "T1590",
      "T1590.002" },
  };

  g_assert_no_error (error);
  for (guint i = 0; i < DH_N_RULES; i++)
    {
      const DhRule *r = dh_rule_book_get_rule (book, i);
      g_assert_cmpstr (r->id, ==, spec[i].id);
      g_assert_cmpstr (r->title, ==, spec[i].title);
      g_assert_cmpstr (dh_severity_to_string (r->severity), ==, spec[i].sev);
      g_assert_cmpstr (r->tactic.id, ==, spec[i].tactic);
      g_assert_cmpstr (r->technique.id, ==, spec[i].tech);
      g_assert_cmpstr (r->subtechnique.id, ==, spec[i].sub);
      g_assert_true (g_str_has_prefix (r->technique.url, "https://attack.mitre.org/"));
      g_assert_cmpuint (strlen (r->tactic.name), >, 3);
      g_assert_cmpuint (strlen (r->description), >, 40);
      g_assert_cmpuint (strlen (r->impact), >, 40);
      g_assert_cmpuint (r->mitigation->len, >=, 2);
      g_assert_cmpuint (r->references->len, >=, 1);
    }

  /* SPEC's defaults */
  g_assert_cmpint (dh_rule_get_number (dh_rule_book_get_rule (book, DH_RULE_NXDOMAIN_BURST),
                                       "threshold"), ==, 100);
  g_assert_cmpint (dh_rule_get_number (dh_rule_book_get_rule (book, DH_RULE_NXDOMAIN_BURST),
                                       "window"), ==, 15 * 60 * G_USEC_PER_SEC);
  g_assert_cmpint (dh_rule_get_number (dh_rule_book_get_rule (book, DH_RULE_REFUSED_BURST),
                                       "threshold"), ==, 50);
  g_assert_cmpint (dh_rule_get_number (dh_rule_book_get_rule (book,
                                                              DH_RULE_UNCOMMON_RECORD_TYPES),
                                       "window"), ==, 60 * G_USEC_PER_SEC);
  g_assert_cmpuint (dh_rule_get_list (dh_rule_book_get_rule (book, DH_RULE_MONERO_POOL),
                                      "list")->len, >=, 50);
}

static void
test_set_errors (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DhRuleBook) book = dh_rule_book_new (&error);
  g_autofree char *value = NULL;

  g_assert_false (dh_rule_book_set (book, "nxdomain-burst.treshold=5", &error));
  g_assert_error (error, DH_RULE_BOOK_ERROR, DH_RULE_BOOK_ERROR_UNKNOWN_KEY);
  g_assert_nonnull (strstr (error->message, "threshold"));
  g_assert_nonnull (strstr (error->message, "window"));
  g_clear_error (&error);

  g_assert_false (dh_rule_book_set (book, "nxdomian-burst.threshold=5", &error));
  g_assert_nonnull (strstr (error->message, "nxdomain-burst"));
  g_clear_error (&error);

  g_assert_false (dh_rule_book_set (book, "nxdomain-burst.threshold=lots", &error));
  g_assert_error (error, DH_RULE_BOOK_ERROR, DH_RULE_BOOK_ERROR_BAD_VALUE);
  g_clear_error (&error);

  g_assert_false (dh_rule_book_set (book, "nxdomain-burst.window=soon", &error));
  g_clear_error (&error);

  g_assert_false (dh_rule_book_set (book, "threshold=5", &error));
  g_clear_error (&error);

  g_assert_true (dh_rule_book_set (book, "refused-burst.window=2h", &error));
  g_assert_no_error (error);
  value = dh_rule_book_get_value_string (book, "refused-burst", "window");
  g_assert_cmpstr (value, ==, "2h");
}

/* Every entry of an address list is an address (or, for allow-hosts, a CIDR
 * range that fits its family); the error names the entry, and the list in
 * effect stays as it was. */
static void
test_address_lists (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DhRuleBook) book = dh_rule_book_new (&error);
  const char *bad_hosts[] = { "0.0.0.0/-1", "10.0.0.0/33", "::/129", "10.0.0.0/", "not-an-ip",
                              "10.0.0.0/8x", "10.0.0.0/+8", "10.0.0.0/ 8", "10.0.0.5/24",
                              "fd00::1/64", "10.0.0.0/8/8", "/8", "10.0.0" };
  const char *good_hosts[] = { "10.0.0.1", "10.0.0.0/8", "0.0.0.0/0", "10.0.0.7/32", "::/0",
                               "fd00::/8", "fd00:ec2::254", "2001:db8::1/128" };

  g_assert_no_error (error);
  g_assert_true (dh_rule_book_set (book, "all.allow-hosts=10.1.0.0/16", &error));
  g_assert_no_error (error);
  for (guint i = 0; i < G_N_ELEMENTS (bad_hosts); i++)
    {
      g_autofree char *set = g_strdup_printf ("all.allow-hosts=10.2.0.1, %s", bad_hosts[i]);
      g_autofree char *quoted = g_strdup_printf ("“%s”", bad_hosts[i]);
      g_autofree char *now = NULL;

      g_test_message ("%s", set);
      g_assert_false (dh_rule_book_set (book, set, &error));
      g_assert_error (error, DH_RULE_BOOK_ERROR, DH_RULE_BOOK_ERROR_BAD_VALUE);
      g_assert_nonnull (strstr (error->message, quoted));
      g_assert_nonnull (strstr (error->message, "allow-hosts"));
      g_clear_error (&error);
      now = dh_rule_book_get_value_string (book, "all", "allow-hosts");
      g_assert_cmpstr (now, ==, "10.1.0.0/16");

      g_clear_pointer (&set, g_free);
      set = g_strdup_printf ("paste-site.allow-hosts=%s", bad_hosts[i]);
      g_assert_false (dh_rule_book_set (book, set, &error));
      g_assert_nonnull (strstr (error->message, quoted));
      g_clear_error (&error);
    }
  g_assert_false (dh_rule_book_set (book, "all.allow-hosts=10.0.0.5/24", &error));
  g_assert_nonnull (strstr (error->message, "10.0.0.0/24"));   /* what was meant */
  g_clear_error (&error);
  g_assert_false (dh_rule_book_set (book, "all.allow-hosts=::/129", &error));
  g_assert_nonnull (strstr (error->message, "128"));
  g_clear_error (&error);

  for (guint i = 0; i < G_N_ELEMENTS (good_hosts); i++)
    {
      g_autofree char *set = g_strdup_printf ("all.allow-hosts=%s", good_hosts[i]);
      g_autofree char *now = NULL;

      g_assert_true (dh_rule_book_set (book, set, &error));
      g_assert_no_error (error);
      now = dh_rule_book_get_value_string (book, "all", "allow-hosts");
      g_assert_cmpstr (now, ==, good_hosts[i]);
    }

  /* the metadata rule's addresses are addresses, not ranges */
  g_assert_false (dh_rule_book_set (book, "metadata-ip-answer.addresses=169.254.169.254,"
                                    "169.254.0.0/16", &error));
  g_assert_nonnull (strstr (error->message, "“169.254.0.0/16”"));
  g_clear_error (&error);
  g_assert_false (dh_rule_book_set (book, "metadata-ip-answer.addresses=metadata", &error));
  g_assert_nonnull (strstr (error->message, "“metadata”"));
  g_clear_error (&error);
  g_assert_true (dh_rule_book_set (book, "metadata-ip-answer.addresses=169.254.169.254", &error));
  g_assert_no_error (error);
}

static void
list_read_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      data)
{
  GError *error = NULL;
  GPtrArray *list = dh_list_file_read_finish (result, &error);

  g_assert_null (list);
  *(GError **) data = error;
}

/* list-file reads a regular file of at most 16 MiB and nothing else: a FIFO
 * would block, /dev/zero never end. The error names the file, and the list
 * in effect stays. */
static void
test_list_file_kinds (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DhRuleBook) book = dh_rule_book_new (&error);
  g_autofree char *dir = g_dir_make_tmp ("dnshunt-list-XXXXXX", NULL);
  g_autofree char *fifo = g_build_filename (dir, "fifo", NULL);
  g_autofree char *big = g_build_filename (dir, "big.txt", NULL);
  g_autofree char *empty = g_build_filename (dir, "empty.txt", NULL);
  g_autofree char *missing = g_build_filename (dir, "missing.txt", NULL);
  const char *refused[] = { fifo, "/dev/zero", dir, big, missing };
  GError *async_error = NULL;
  GPtrArray *list;
  FILE *f;

  g_assert_no_error (error);
  g_assert_cmpint (mkfifo (fifo, 0600), ==, 0);
  f = fopen (big, "w");
  g_assert_nonnull (f);
  g_assert_cmpint (ftruncate (fileno (f), DH_LIST_FILE_MAX_SIZE + 1), ==, 0);   /* sparse */
  fclose (f);
  g_assert_true (g_file_set_contents (empty, "", 0, &error));
  g_assert_true (dh_rule_book_set (book, "paste-site.list=kept.example", &error));

  alarm (60);   /* a safety net: a read that blocks fails the test rather than hang */
  for (guint i = 0; i < G_N_ELEMENTS (refused); i++)
    {
      g_autofree char *set = g_strdup_printf ("paste-site.list-file=%s", refused[i]);
      g_autofree char *now = NULL;

      g_test_message ("%s", set);
      g_assert_false (dh_rule_book_set (book, set, &error));
      g_assert_error (error, DH_RULE_BOOK_ERROR, DH_RULE_BOOK_ERROR_BAD_VALUE);
      g_assert_nonnull (strstr (error->message, refused[i]));
      g_assert_nonnull (strstr (error->message, "paste-site"));
      if (refused[i] == big)
        g_assert_nonnull (strstr (error->message, "16 MiB"));
      else if (refused[i] != missing)
        g_assert_nonnull (strstr (error->message, "not a regular file"));
      g_clear_error (&error);
      now = dh_rule_book_get_value_string (book, "paste-site", "list");
      g_assert_cmpstr (now, ==, "kept.example");

      dh_list_file_read_async (refused[i], NULL, list_read_cb, &async_error);
      while (async_error == NULL)
        g_main_context_iteration (NULL, TRUE);
      g_assert_nonnull (strstr (async_error->message, refused[i]));
      g_clear_error (&async_error);
    }
  alarm (0);

  list = dh_list_file_read (empty, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, 0);
  g_ptr_array_unref (list);

  g_unlink (fifo);
  g_unlink (big);
  g_unlink (empty);
  g_rmdir (dir);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/rules/data", test_rule_data);
  g_test_add_func ("/rules/set-errors", test_set_errors);
  g_test_add_func ("/rules/address-lists", test_address_lists);
  g_test_add_func ("/rules/list-file-kinds", test_list_file_kinds);
  g_test_add_func ("/rules/nxdomain/threshold", test_nxdomain_threshold);
  g_test_add_func ("/rules/nxdomain/exclusions", test_nxdomain_exclusions);
  g_test_add_func ("/rules/nxdomain/episodes", test_nxdomain_episodes);
  g_test_add_func ("/rules/nxdomain/settings", test_nxdomain_settings);
  g_test_add_func ("/rules/dns-over-tcp", test_dns_over_tcp);
  g_test_add_func ("/rules/refused-burst", test_refused_burst);
  g_test_add_func ("/rules/metadata-ip-answer", test_metadata_answer);
  g_test_add_func ("/rules/uncommon-record-types", test_uncommon_types);
  g_test_add_func ("/rules/names", test_name_rules);
  g_test_add_func ("/rules/name-settings", test_name_rule_settings);
  return g_test_run ();
}
