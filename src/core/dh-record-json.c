/* dh-record-json.c: a query-log record from a json-glib object
 *
 * This is the reference reading of a record: every field checked for its
 * type, unknown keys ignored. Faster readers must agree with it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "dh-record-json.h"
#include "dh-time.h"

void
dh_record_scratch_init (DhRecordScratch *scratch)
{
  memset (scratch, 0, sizeof *scratch);
  scratch->answers = g_array_new (FALSE, TRUE, sizeof (DhRecordAnswer));
}

void
dh_record_scratch_clear (DhRecordScratch *scratch)
{
  g_clear_pointer (&scratch->answers, g_array_unref);
}

/* Returns FALSE (with @why) when the member exists but is not a string.
 * A missing or null member leaves @out empty. */
static gboolean
get_string (JsonObject  *object,
            const char  *key,
            DhSlice     *out,
            const char **why,
            const char  *why_not_string)
{
  JsonNode *node = json_object_get_member (object, key);

  out->str = NULL;
  out->len = 0;
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    {
      *why = why_not_string;
      return FALSE;
    }
  out->str = json_node_get_string (node);
  out->len = strlen (out->str);
  return TRUE;
}

#define GET_STRING(obj, key, field) \
  get_string (obj, key, &rec->field, why, key " is not a string")

/**
 * dh_record_is_candidate:
 *
 * Returns: whether @object looks like a query-log record at all (as opposed to
 *   a wrapper such as a CloudWatch payload)
 */
gboolean
dh_record_is_candidate (JsonObject *object)
{
  return json_object_has_member (object, "query_name") ||
         json_object_has_member (object, "query_timestamp") ||
         json_object_has_member (object, "srcaddr");
}

/**
 * dh_record_from_json:
 * @object: a JSON object
 * @scratch: where the record is built; its slices point into @object
 * @why: (out): a short reason, without any text of the log, when it fails
 *
 * Returns: %TRUE when @object is a valid Route 53 Resolver query-log record
 */
gboolean
dh_record_from_json (JsonObject       *object,
                     DhRecordScratch  *scratch,
                     const char      **why)
{
  DhRecord *rec = &scratch->record;
  JsonNode *node;
  DhSlice ts;

  memset (rec, 0, sizeof *rec);
  g_array_set_size (scratch->answers, 0);

  if (!dh_record_is_candidate (object))
    {
      *why = "not a Route 53 Resolver query log record";
      return FALSE;
    }

  if (!get_string (object, "query_timestamp", &ts, why, "query_timestamp is not a string") ||
      !GET_STRING (object, "query_name", query_name) ||
      !GET_STRING (object, "srcaddr", srcaddr) ||
      !GET_STRING (object, "version", version) ||
      !GET_STRING (object, "account_id", account_id) ||
      !GET_STRING (object, "region", region) ||
      !GET_STRING (object, "vpc_id", vpc_id) ||
      !GET_STRING (object, "query_type", query_type) ||
      !GET_STRING (object, "query_class", query_class) ||
      !GET_STRING (object, "rcode", rcode) ||
      !GET_STRING (object, "transport", transport) ||
      !GET_STRING (object, "firewall_rule_group_id", firewall_group) ||
      !GET_STRING (object, "firewall_rule_action", firewall_action) ||
      !GET_STRING (object, "firewall_domain_list_id", firewall_domain_list))
    return FALSE;

  if (ts.len == 0)
    {
      *why = "missing query_timestamp";
      return FALSE;
    }
  if (!dh_time_parse_iso8601 (ts.str, ts.len, &rec->time))
    {
      *why = "query_timestamp is not an ISO 8601 time";
      return FALSE;
    }
  if (rec->query_name.len == 0)
    {
      *why = "missing query_name";
      return FALSE;
    }
  if (rec->srcaddr.len == 0)
    {
      *why = "missing srcaddr";
      return FALSE;
    }

  /* srcport is a string in real logs; accept a number too. */
  node = json_object_get_member (object, "srcport");
  if (node != NULL && JSON_NODE_HOLDS_VALUE (node) &&
      json_node_get_value_type (node) == G_TYPE_INT64)
    {
      g_snprintf (scratch->srcport, sizeof scratch->srcport, "%" G_GINT64_FORMAT,
                  json_node_get_int (node));
      rec->srcport.str = scratch->srcport;
      rec->srcport.len = strlen (scratch->srcport);
    }
  else if (!GET_STRING (object, "srcport", srcport))
    return FALSE;

  node = json_object_get_member (object, "srcids");
  if (node != NULL && JSON_NODE_HOLDS_OBJECT (node))
    {
      JsonObject *ids = json_node_get_object (node);
      if (!get_string (ids, "instance", &rec->instance, why, "srcids.instance is not a string") ||
          !get_string (ids, "resolver_endpoint", &rec->resolver_endpoint, why,
                       "srcids.resolver_endpoint is not a string") ||
          !get_string (ids, "resolver_network_interface", &rec->resolver_interface, why,
                       "srcids.resolver_network_interface is not a string"))
        return FALSE;
    }
  else if (node != NULL && !JSON_NODE_HOLDS_NULL (node))
    {
      *why = "srcids is not an object";
      return FALSE;
    }

  node = json_object_get_member (object, "answers");
  if (node != NULL && JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *answers = json_node_get_array (node);
      guint n = json_array_get_length (answers);

      for (guint i = 0; i < n; i++)
        {
          JsonNode *el = json_array_get_element (answers, i);
          DhRecordAnswer a;
          JsonObject *ao;

          if (!JSON_NODE_HOLDS_OBJECT (el))
            {
              *why = "an entry of answers is not an object";
              return FALSE;
            }
          ao = json_node_get_object (el);
          if (!get_string (ao, "Rdata", &a.rdata, why, "answers[].Rdata is not a string") ||
              !get_string (ao, "Type", &a.type, why, "answers[].Type is not a string") ||
              !get_string (ao, "Class", &a.qclass, why, "answers[].Class is not a string"))
            return FALSE;
          g_array_append_val (scratch->answers, a);
        }
    }
  else if (node != NULL && !JSON_NODE_HOLDS_NULL (node))
    {
      *why = "answers is not an array";
      return FALSE;
    }

  rec->n_answers = scratch->answers->len;
  rec->answers = (DhRecordAnswer *) scratch->answers->data;
  return TRUE;
}
