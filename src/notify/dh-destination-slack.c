/* dh-destination-slack.c: a Slack incoming webhook
 *
 * One Block Kit message per alert (with a plain `text` fallback for
 * notifications), or one digest for a burst. Every string from a log is made
 * inert in Slack's mrkdwn: `&`, `<` and `>` become entities (so `<!channel>`
 * or `<https://x|y>` is shown, never acted on) and it stands in a code span
 * (so `*`, `_` and `~` do not format), whose backticks are replaced. Slack's
 * limits are kept: a header 150 characters, a section 3,000, 50 blocks.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "dh-destination.h"
#include "dh-rule-book.h"

#define HEADER_MAX   150
#define SECTION_MAX  3000
#define SHOWN_MAX     200    /* characters of one name shown */
#define NAMES_SHOWN  5
#define DIGEST_MAX   40     /* alerts in one digest: 4 sections of 10 lines */
#define DIGEST_LINES 10

/* @text as mrkdwn that formats nothing: at most @max characters of it,
 * controls as spaces, entities for & < >; in a code span when @code */
static void
append_inert (GString    *out,
              const char *text,
              guint       max,
              gboolean    code)
{
  g_autofree char *valid = g_utf8_make_valid (text ? text : "", -1);
  guint n = 0;

  if (code)
    g_string_append_c (out, '`');
  for (const char *p = valid; *p; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (n++ == max)
        {
          g_string_append (out, "…");
          break;
        }
      if (c == '&')
        g_string_append (out, "&amp;");
      else if (c == '<')
        g_string_append (out, "&lt;");
      else if (c == '>')
        g_string_append (out, "&gt;");
      else if (c == '`')
        g_string_append_unichar (out, 0x02CB);   /* ˋ: a backtick would end the span */
      else if (g_unichar_iscntrl (c) || c == 0x2028 || c == 0x2029)
        g_string_append_c (out, ' ');
      else
        g_string_append_unichar (out, c);
    }
  if (code)
    g_string_append_c (out, '`');
}

/* the first @max characters of @text */
static char *
clip (const char *text,
      guint       max)
{
  if (g_utf8_strlen (text, -1) <= (glong) max)
    return g_strdup (text);
  g_autofree char *cut = g_utf8_substring (text, 0, max - 1);
  return g_strconcat (cut, "…", NULL);
}

static const char *
severity_mark (DhSeverity severity)
{
  switch (severity)
    {
    case DH_SEVERITY_HIGH:
      return "🔴";
    case DH_SEVERITY_MEDIUM:
      return "🟠";
    case DH_SEVERITY_LOW:
    default:
      return "🟡";
    }
}

static void
add_text_block (JsonBuilder *b,
                const char  *type,
                const char  *text_type,
                const char  *text)
{
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "type");
  json_builder_add_string_value (b, type);
  json_builder_set_member_name (b, "text");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "type");
  json_builder_add_string_value (b, text_type);
  json_builder_set_member_name (b, "text");
  json_builder_add_string_value (b, text);
  if (g_str_equal (text_type, "plain_text"))
    {
      json_builder_set_member_name (b, "emoji");
      json_builder_add_boolean_value (b, TRUE);
    }
  json_builder_end_object (b);
  json_builder_end_object (b);
}

static void
add_context (JsonBuilder *b,
             const char  *mrkdwn)
{
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "type");
  json_builder_add_string_value (b, "context");
  json_builder_set_member_name (b, "elements");
  json_builder_begin_array (b);
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "type");
  json_builder_add_string_value (b, "mrkdwn");
  json_builder_set_member_name (b, "text");
  json_builder_add_string_value (b, mrkdwn);
  json_builder_end_object (b);
  json_builder_end_array (b);
  json_builder_end_object (b);
}

/* "*MITRE ATT&CK* <url|T1568.002> · <url|TA0011>": ids from the rule book */
static void
append_mitre (GString  *s,
              DhNotice *notice)
{
  const char *members[] = { "subtechnique", "technique", "tactic" };
  gboolean any = FALSE;

  for (guint i = 0; i < G_N_ELEMENTS (members); i++)
    {
      const char *id = dh_notice_get_mitre (notice, members[i]);
      g_autofree char *url = dh_notice_mitre_url (id);

      /* the technique when there is no sub-technique, and the tactic */
      if (url == NULL || (i == 1 && dh_notice_get_mitre (notice, "subtechnique")))
        continue;
      g_string_append_printf (s, "%s<%s|%s>", any ? " · " : _("*MITRE ATT&amp;CK* "), url, id);
      any = TRUE;
    }
}

/* the host line: `10.0.0.5` (`i-0abc`, `vpc-1`) */
static void
append_host (GString  *s,
             DhNotice *notice)
{
  const char *instance = dh_notice_get_string (notice, "instance");
  const char *vpc = dh_notice_get_string (notice, "vpc_id");

  append_inert (s, dh_notice_get_string (notice, "host"), SHOWN_MAX, TRUE);
  if (instance || vpc)
    {
      g_string_append (s, " (");
      if (instance)
        append_inert (s, instance, SHOWN_MAX, TRUE);
      if (instance && vpc)
        g_string_append (s, ", ");
      if (vpc)
        append_inert (s, vpc, SHOWN_MAX, TRUE);
      g_string_append_c (s, ')');
    }
}

static char *
alert_section (DhNotice *notice)
{
  GString *s = g_string_new (NULL);
  JsonNode *names = json_object_get_member (dh_notice_get_alert (notice), "names");
  JsonArray *array = names && JSON_NODE_HOLDS_ARRAY (names) ? json_node_get_array (names) : NULL;
  guint n_names = array ? json_array_get_length (array) : 0;

  g_string_append (s, _("*Host* "));
  append_host (s, notice);
  g_string_append_printf (s, _("\n*Count* %" G_GINT64_FORMAT " queries, "), dh_notice_get_count (notice));
  append_inert (s, dh_notice_get_string (notice, "first_seen"), 40, FALSE);
  g_string_append (s, " – ");
  append_inert (s, dh_notice_get_string (notice, "last_seen"), 40, FALSE);
  g_string_append_c (s, '\n');
  append_mitre (s, notice);
  if (n_names > 0)
    {
      g_string_append (s, _("\n*Names* "));
      for (guint i = 0; i < n_names && i < NAMES_SHOWN; i++)
        {
          JsonNode *name = json_array_get_element (array, i);
          if (i)
            g_string_append (s, ", ");
          append_inert (s, json_node_get_value_type (name) == G_TYPE_STRING
                             ? json_node_get_string (name) : "", SHOWN_MAX, TRUE);
        }
      if (n_names > NAMES_SHOWN)
        g_string_append_printf (s, _(" and %u more"), n_names - NAMES_SHOWN);
    }
  /* with 200-character names the text stays near 1,700 characters; the
   * limit holds whatever the entities add */
  if (g_utf8_strlen (s->str, -1) > SECTION_MAX)
    {
      g_autofree char *cut = clip (s->str, SECTION_MAX);
      g_string_assign (s, cut);
    }
  return g_string_free (s, FALSE);
}

static JsonNode *
build_alert (DhNotice *notice)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  DhSeverity severity = dh_notice_get_severity (notice);
  const char *title = dh_notice_get_string (notice, "title");
  g_autofree char *header = NULL;
  g_autofree char *header_clipped = NULL;
  g_autofree char *section = alert_section (notice);
  GString *fallback = g_string_new (NULL);
  GString *mitigation = g_string_new (_("*First step* "));
  g_autofree char *context = NULL;

  header = g_strdup_printf ("%s %s: %s", severity_mark (severity), dh_severity_label (severity),
                            title ? title : "");
  header_clipped = clip (header, HEADER_MAX);
  g_string_append_printf (fallback, "%s: ", dh_severity_label (severity));
  append_inert (fallback, title, HEADER_MAX, FALSE);
  g_string_append (fallback, _(" on "));
  append_inert (fallback, dh_notice_get_string (notice, "host"), SHOWN_MAX, FALSE);
  append_inert (mitigation, dh_notice_get_mitigation (notice), SECTION_MAX - 20, FALSE);
  context = g_strdup_printf (_("DNS Hunt · rule `%s` · alert `%s`"),
                             dh_notice_get_string (notice, "rule"), dh_notice_get_id (notice));

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "text");
  json_builder_add_string_value (b, fallback->str);
  json_builder_set_member_name (b, "blocks");
  json_builder_begin_array (b);
  add_text_block (b, "header", "plain_text", header_clipped);
  add_text_block (b, "section", "mrkdwn", section);
  if (dh_notice_get_mitigation (notice))
    add_text_block (b, "section", "mrkdwn", mitigation->str);
  add_context (b, context);
  json_builder_end_array (b);
  json_builder_end_object (b);
  g_string_free (fallback, TRUE);
  g_string_free (mitigation, TRUE);
  return json_builder_get_root (b);
}

/* one line per alert: severity, title, host */
static JsonNode *
build_digest (DhNotice **notices,
              guint      n)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autofree char *header = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u new DNS Hunt alert",
                                                          "%u new DNS Hunt alerts", n), n);
  GString *fallback = g_string_new (header);
  guint counts[DH_SEVERITY_HIGH + 1] = { 0 };

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "blocks");
  json_builder_begin_array (b);
  add_text_block (b, "header", "plain_text", header);
  for (guint i = 0; i < n; i += DIGEST_LINES)
    {
      GString *s = g_string_new (NULL);
      for (guint j = i; j < n && j < i + DIGEST_LINES; j++)
        {
          DhSeverity severity = dh_notice_get_severity (notices[j]);
          counts[MIN (severity, DH_SEVERITY_HIGH)]++;
          g_string_append_printf (s, "%s%s *%s* ", j > i ? "\n" : "", severity_mark (severity),
                                  dh_severity_label (severity));
          append_inert (s, dh_notice_get_string (notices[j], "title"), HEADER_MAX, FALSE);
          g_string_append (s, " — ");
          append_inert (s, dh_notice_get_string (notices[j], "host"), SHOWN_MAX, TRUE);
        }
      add_text_block (b, "section", "mrkdwn", s->str);
      g_string_free (s, TRUE);
    }
  add_context (b, _("DNS Hunt · a burst of alerts becomes one message; each alert is in the "
                    "report and the window"));
  json_builder_end_array (b);
  g_string_append_printf (fallback, _(": %u high, %u medium, %u low"), counts[DH_SEVERITY_HIGH],
                          counts[DH_SEVERITY_MEDIUM], counts[DH_SEVERITY_LOW]);
  json_builder_set_member_name (b, "text");
  json_builder_add_string_value (b, fallback->str);
  json_builder_end_object (b);
  g_string_free (fallback, TRUE);
  return json_builder_get_root (b);
}

static SoupMessage *
slack_build (DhDestination  *dest,
             DhNotice      **notices,
             guint           n,
             GError        **error)
{
  g_autoptr(JsonNode) body = n == 1 ? build_alert (notices[0])
                                    : build_digest (notices, MIN (n, DIGEST_MAX));

  return dh_destination_json_message (dest, body);
}

const DhDestinationKind dh_destination_slack = {
  .id = "slack",
  .label = N_("Slack"),
  .url_env = "DNSHUNT_SLACK_WEBHOOK_URL",
  .url_is_secret = TRUE,
  .min_interval_ms = 1000,    /* Slack: one message a second per webhook */
  .max_digest = DIGEST_MAX,
  .build = slack_build,
};
