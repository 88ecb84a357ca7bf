/* dh-notice.c: one alert as it is queued and sent to a destination
 *
 * A notice is one line of the outbox: `{"id": …, "mitigation": …, "alert":
 * {…}}`, where the alert is the object of the JSON report. It holds text
 * only, so it outlives the store the alert came from (--follow drops old
 * events) and reads back the same after a restart.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "dh-json.h"
#include "dh-notice.h"
#include "dh-report.h"
#include "dh-rule-book.h"
#include "dh-time.h"

struct _DhNotice
{
  gatomicrefcount  ref;
  JsonNode        *root;    /* the outbox line */
  JsonObject      *alert;   /* borrowed from root */
  char            *id;
  char            *action;      /* NULL: the alert opened; or "acknowledge", "resolve" */
  char            *alert_id;    /* the alert's id (for an action, not the notice's) */
  char            *mitigation;
  DhSeverity       severity;
};

/**
 * dh_notice_alert_id:
 *
 * The id of an alert across runs: the same rule on the same host from the
 * same first event is the same alert (PagerDuty's `dedup_key`, the outbox's
 * record of what was sent). A digest, so no log string shows through.
 *
 * Returns: (transfer full): 32 hex digits
 */
char *
dh_notice_alert_id (const char *rule,
                    const char *host,
                    const char *first_seen)
{
  g_autoptr(GChecksum) sum = g_checksum_new (G_CHECKSUM_SHA256);
  const char *parts[] = { rule, host, first_seen };

  for (guint i = 0; i < G_N_ELEMENTS (parts); i++)
    {
      /* with the length first, no two tuples hash the same text */
      char len[24];
      g_snprintf (len, sizeof len, "%zu:", parts[i] ? strlen (parts[i]) : 0);
      g_checksum_update (sum, (const guchar *) len, -1);
      if (parts[i])
        g_checksum_update (sum, (const guchar *) parts[i], -1);
    }
  return g_strndup (g_checksum_get_string (sum), 32);
}

static DhNotice *
notice_new (JsonNode  *root,
            GError   **error)
{
  g_autoptr(DhNotice) self = g_new0 (DhNotice, 1);
  JsonObject *obj;
  JsonNode *alert, *id, *mitigation;
  const char *severity;

  g_atomic_ref_count_init (&self->ref);
  self->root = root;
  obj = JSON_NODE_HOLDS_OBJECT (root) ? json_node_get_object (root) : NULL;
  alert = obj ? json_object_get_member (obj, "alert") : NULL;
  id = obj ? json_object_get_member (obj, "id") : NULL;
  if (alert == NULL || !JSON_NODE_HOLDS_OBJECT (alert) || id == NULL ||
      json_node_get_value_type (id) != G_TYPE_STRING)
    {
      g_set_error (error, DH_JSON_ERROR, DH_JSON_ERROR_INVALID,
                   _("not an alert of the outbox (no id or alert)"));
      return NULL;
    }
  self->alert = json_node_get_object (alert);
  self->id = g_strdup (json_node_get_string (id));
  self->action = g_strdup (dh_json_object_get_string (obj, "action"));
  self->alert_id = g_strdup (dh_json_object_get_string (obj, "alert_id")
                              ? dh_json_object_get_string (obj, "alert_id") : self->id);
  mitigation = json_object_get_member (obj, "mitigation");
  if (mitigation && json_node_get_value_type (mitigation) == G_TYPE_STRING)
    self->mitigation = g_strdup (json_node_get_string (mitigation));
  severity = dh_notice_get_string (self, "severity");
  if (severity == NULL || !dh_severity_from_string (severity, &self->severity))
    self->severity = DH_SEVERITY_LOW;
  return g_steal_pointer (&self);
}

/**
 * dh_notice_new_from_alert:
 *
 * Returns: (transfer full): the notice of @alert
 */
DhNotice *
dh_notice_new_from_alert (DhAlertSet    *set,
                          const DhAlert *alert)
{
  const DhRule *rule = dh_rule_book_get_rule (dh_alert_set_get_rule_book (set), alert->rule);
  JsonNode *node = dh_report_alert_json_node (set, alert);
  JsonObject *obj = json_node_get_object (node);
  g_autoptr(JsonObject) line = json_object_new ();
  g_autofree char *id = dh_notice_alert_id (rule->id, json_object_get_string_member_with_default (obj, "host", ""),
                                            json_object_get_string_member_with_default (obj, "first_seen", ""));
  JsonNode *root;

  json_object_set_string_member (line, "id", id);
  if (rule->mitigation->len > 0)
    json_object_set_string_member (line, "mitigation", rule->mitigation->pdata[0]);
  json_object_set_member (line, "alert", node);
  root = json_node_init_object (json_node_alloc (), line);
  return notice_new (root, NULL);
}

/**
 * dh_notice_new_from_line:
 * @line: a line of the outbox
 *
 * Returns: (transfer full) (nullable): the notice, or %NULL when @line is not
 *   one (a line cut short by a crash)
 */
DhNotice *
dh_notice_new_from_line (const char  *line,
                         GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();

  if (!dh_json_parser_load_bounded (parser, line, -1, error))
    return NULL;
  return notice_new (json_node_copy (json_parser_get_root (parser)), error);
}

/**
 * dh_notice_new_action:
 * @alert_id: the alert's id
 * @action: "acknowledge" or "resolve": what the analyst's triage says
 *
 * Returns: (transfer full): a notice that follows up an alert sent before
 *   (PagerDuty); its id is the alert's and the action's, so it is sent once
 */
DhNotice *
dh_notice_new_action (const char *alert_id,
                      const char *action)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *id = g_strdup_printf ("%s/%s", alert_id, action);
  g_autofree char *line = NULL;

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "id");
  json_builder_add_string_value (b, id);
  json_builder_set_member_name (b, "alert_id");
  json_builder_add_string_value (b, alert_id);
  json_builder_set_member_name (b, "action");
  json_builder_add_string_value (b, action);
  json_builder_set_member_name (b, "alert");
  json_builder_begin_object (b);
  json_builder_end_object (b);
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  line = json_to_string (root, FALSE);
  return dh_notice_new_from_line (line, NULL);
}

/**
 * dh_notice_new_test:
 *
 * Returns: (transfer full): a made-up low alert that says it is a test
 */
DhNotice *
dh_notice_new_test (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *when = g_date_time_format_iso8601 (now);
  g_autofree char *id = dh_notice_alert_id ("test", "dnshunt", when);
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *line = NULL;

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "id");
  json_builder_add_string_value (b, id);
  json_builder_set_member_name (b, "mitigation");
  json_builder_add_string_value (b, _("Nothing to do: DNS Hunt reaches this destination."));
  json_builder_set_member_name (b, "alert");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "rule");
  json_builder_add_string_value (b, "test");
  json_builder_set_member_name (b, "title");
  json_builder_add_string_value (b, _("Test message from DNS Hunt"));
  json_builder_set_member_name (b, "severity");
  json_builder_add_string_value (b, "low");
  json_builder_set_member_name (b, "host");
  json_builder_add_string_value (b, "dnshunt-test");
  json_builder_set_member_name (b, "first_seen");
  json_builder_add_string_value (b, when);
  json_builder_set_member_name (b, "last_seen");
  json_builder_add_string_value (b, when);
  json_builder_set_member_name (b, "count");
  json_builder_add_int_value (b, 0);
  json_builder_end_object (b);
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  line = json_to_string (root, FALSE);
  return dh_notice_new_from_line (line, NULL);
}

DhNotice *
dh_notice_ref (DhNotice *notice)
{
  g_atomic_ref_count_inc (&notice->ref);
  return notice;
}

void
dh_notice_unref (DhNotice *notice)
{
  if (notice == NULL || !g_atomic_ref_count_dec (&notice->ref))
    return;
  g_clear_pointer (&notice->root, json_node_unref);
  g_free (notice->id);
  g_free (notice->action);
  g_free (notice->alert_id);
  g_free (notice->mitigation);
  g_free (notice);
}

/**
 * dh_notice_to_line:
 *
 * Returns: (transfer full): the notice as one line of JSON, without newline
 */
char *
dh_notice_to_line (DhNotice *notice)
{
  return json_to_string (notice->root, FALSE);
}

const char *
dh_notice_get_id (DhNotice *notice)
{
  return notice->id;
}

/* (nullable): "acknowledge" or "resolve" for a follow-up, NULL when the
 * alert opened */
const char *
dh_notice_get_action (DhNotice *notice)
{
  return notice->action;
}

/* the id of the alert the notice is about */
const char *
dh_notice_get_alert_id (DhNotice *notice)
{
  return notice->alert_id;
}

JsonObject *
dh_notice_get_alert (DhNotice *notice)
{
  return notice->alert;
}

DhSeverity
dh_notice_get_severity (DhNotice *notice)
{
  return notice->severity;
}

/* a string member of the alert object, or %NULL (absent, null, not a string) */
const char *
dh_notice_get_string (DhNotice   *notice,
                      const char *member)
{
  JsonNode *node = json_object_get_member (notice->alert, member);

  if (node == NULL || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

/* "tactic", "technique" or "subtechnique" of the alert's MITRE mapping */
const char *
dh_notice_get_mitre (DhNotice   *notice,
                     const char *member)
{
  JsonNode *mitre = json_object_get_member (notice->alert, "mitre");
  JsonNode *node;

  if (mitre == NULL || !JSON_NODE_HOLDS_OBJECT (mitre))
    return NULL;
  node = json_object_get_member (json_node_get_object (mitre), member);
  if (node == NULL || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

const char *
dh_notice_get_mitigation (DhNotice *notice)
{
  return notice->mitigation;
}

gint64
dh_notice_get_count (DhNotice *notice)
{
  JsonNode *node = json_object_get_member (notice->alert, "count");

  if (node == NULL || json_node_get_value_type (node) != G_TYPE_INT64)
    return 0;
  return json_node_get_int (node);
}

/**
 * dh_notice_id_for_alert:
 *
 * Returns: (transfer full): the id that @alert's notice has (a desktop
 *   notification's action finds its alert by it)
 */
char *
dh_notice_id_for_alert (DhAlertSet    *set,
                        const DhAlert *alert)
{
  const DhRule *rule = dh_rule_book_get_rule (dh_alert_set_get_rule_book (set), alert->rule);
  DhEventStore *store = dh_alert_set_get_store (set);
  const char *host = dh_event_store_get_string (store, alert->host);
  char buf[DH_TIME_FORMAT_SIZE];

  return dh_notice_alert_id (rule->id, host && *host ? host : "",
                             dh_time_format (alert->first_seen, buf));
}

/**
 * dh_notice_mitre_url:
 * @id: a MITRE ATT&CK id: TA0011, T1568 or T1568.002
 *
 * Returns: (transfer full) (nullable): its page on attack.mitre.org, or %NULL
 *   when @id is not such an id
 */
char *
dh_notice_mitre_url (const char *id)
{
  g_autofree char *copy = NULL;
  char *dot;

  if (id == NULL || id[0] != 'T' || strspn (id + 1, "A0123456789.") != strlen (id + 1) ||
      strlen (id) > 16)
    return NULL;
  if (g_str_has_prefix (id, "TA"))
    return g_strdup_printf ("https://attack.mitre.org/tactics/%s/", id);
  copy = g_strdup (id);
  dot = strchr (copy, '.');
  if (dot)
    {
      *dot = '\0';
      return g_strdup_printf ("https://attack.mitre.org/techniques/%s/%s/", copy, dot + 1);
    }
  return g_strdup_printf ("https://attack.mitre.org/techniques/%s/", copy);
}
