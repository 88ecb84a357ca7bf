/* dh-case.c: an investigation saved to a file (inputs, settings, triage)
 *
 * A case file is JSON:
 *
 *   {"dnshunt_case": 1, "tool": {...},
 *    "inputs": ["/abs/path", ...],
 *    "settings": {"nxdomain-burst.threshold": "50", ...},
 *    "triage": [{"rule": "...", "host": "...", "first_seen": "ISO 8601",
 *                "first_seen_us": 0, "state": "benign", "note": "..."}],
 *    "live": {"kind": "folder"}
 *         | {"kind": "cloudwatch", "log_group": "...", "region": "...", "profile": "..."}}
 *
 * "live" says the investigation followed its inputs, or a log group, when it
 * was saved; reopened, the window offers to follow it again. It names no
 * endpoint and no credentials: a case from someone else can make DNS Hunt
 * ask AWS's own endpoint of a region for a log group, nothing more.
 *
 * Triage is keyed by rule, host and first-seen time, so it finds its alert
 * again after the logs are re-read or the settings change (as long as the
 * episode still starts at the same event).
 *
 * A case file may come from someone else: its settings are values, never
 * names of files to read (`RULE.list-file`), or opening it in a home
 * folder could copy ~/.aws/credentials into a list and into every case
 * saved after. Such settings are left out, and the reader can ask which.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>

#include "dh-case.h"
#include "dh-file.h"
#include "dh-json.h"
#include "dh-report.h"
#include "dh-rule-book.h"
#include "dh-time.h"

#define CASE_FORMAT 1
#define CASE_MAX_SIZE (64 * 1024 * 1024)

G_DEFINE_QUARK (dh-case-error-quark, dh_case_error)

typedef struct
{
  char          *rule;
  char          *host;
  gint64         first_seen;
  DhTriage       triage;
} Entry;

struct _DhCase
{
  GPtrArray  *inputs;    /* char * */
  GHashTable *input_set; /* the same paths, so adding one is not a scan of all */
  GHashTable *settings;  /* "rule.key" -> value */
  GPtrArray  *refused;   /* "rule.key" of settings that named a file */
  GHashTable *triage;    /* key -> Entry * */
  GPtrArray  *order;     /* keys, in insertion order, so files diff well */
  char       *live_kind;       /* NULL, "folder" or "cloudwatch" */
  char       *live_log_group;
  char       *live_region;
  char       *live_profile;
};



/**
 * dh_triage_key:
 *
 * Returns: (transfer full): the key that identifies one alert across runs
 */
char *
dh_triage_key (const char *rule_id,
               const char *host,
               gint64      first_seen)
{
  return g_strdup_printf ("%s|%s|%" G_GINT64_FORMAT, rule_id, host, first_seen);
}

static void
entry_free (gpointer data)
{
  Entry *e = data;

  g_free (e->rule);
  g_free (e->host);
  g_free (e->triage.note);
  g_free (e);
}

DhCase *
dh_case_new (void)
{
  DhCase *self = g_new0 (DhCase, 1);

  self->inputs = g_ptr_array_new_with_free_func (g_free);
  self->input_set = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->settings = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->refused = g_ptr_array_new_with_free_func (g_free);
  self->triage = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, entry_free);
  self->order = g_ptr_array_new_with_free_func (g_free);
  return self;
}

void
dh_case_free (DhCase *self)
{
  if (self == NULL)
    return;
  g_ptr_array_unref (self->inputs);
  g_hash_table_unref (self->input_set);
  g_hash_table_unref (self->settings);
  g_ptr_array_unref (self->refused);
  g_hash_table_unref (self->triage);
  g_ptr_array_unref (self->order);
  g_free (self->live_kind);
  g_free (self->live_log_group);
  g_free (self->live_region);
  g_free (self->live_profile);
  g_free (self);
}

/* a log group's name as CloudWatch Logs allows it: 1-512 of [.-_/#A-Za-z0-9] */
static gboolean
is_log_group_name (const char *name)
{
  gsize n = name ? strlen (name) : 0;

  return n > 0 && n <= 512 &&
         strspn (name, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-/#") == n;
}

/* a profile's or a region's name: letters, digits and -_. , at most 128 */
static gboolean
is_plain_name (const char *name)
{
  gsize n = name ? strlen (name) : 0;

  return n > 0 && n <= 128 &&
         strspn (name, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-") == n;
}

/**
 * dh_case_set_live:
 * @kind: (nullable): "folder" (the inputs were followed), "cloudwatch", or
 *   %NULL for none
 * @log_group: (nullable): for "cloudwatch"
 * @region: (nullable): for "cloudwatch"
 * @profile: (nullable): for "cloudwatch", the profile used, or %NULL
 *
 * Returns: whether the values are acceptable (else nothing is set)
 */
gboolean
dh_case_set_live (DhCase     *self,
                  const char *kind,
                  const char *log_group,
                  const char *region,
                  const char *profile)
{
  if (kind && !g_str_equal (kind, "folder") &&
      !(g_str_equal (kind, "cloudwatch") && is_log_group_name (log_group) &&
        is_plain_name (region) && (profile == NULL || is_plain_name (profile))))
    return FALSE;
  g_free (self->live_kind);
  g_free (self->live_log_group);
  g_free (self->live_region);
  g_free (self->live_profile);
  self->live_kind = g_strdup (kind);
  self->live_log_group = kind && g_str_equal (kind, "cloudwatch") ? g_strdup (log_group) : NULL;
  self->live_region = kind && g_str_equal (kind, "cloudwatch") ? g_strdup (region) : NULL;
  self->live_profile = kind && g_str_equal (kind, "cloudwatch") ? g_strdup (profile) : NULL;
  return TRUE;
}

/**
 * dh_case_get_live:
 *
 * Returns: (nullable): "folder", "cloudwatch", or %NULL when the case
 *   followed nothing; the other values are set for "cloudwatch"
 */
const char *
dh_case_get_live (DhCase      *self,
                  const char **log_group,
                  const char **region,
                  const char **profile)
{
  if (log_group)
    *log_group = self->live_log_group;
  if (region)
    *region = self->live_region;
  if (profile)
    *profile = self->live_profile;
  return self->live_kind;
}

void
dh_case_add_input (DhCase     *self,
                   const char *path)
{
  if (g_hash_table_add (self->input_set, g_strdup (path)))
    g_ptr_array_add (self->inputs, g_strdup (path));
}

void
dh_case_clear_inputs (DhCase *self)
{
  g_ptr_array_set_size (self->inputs, 0);
  g_hash_table_remove_all (self->input_set);
}

/**
 * dh_case_get_inputs:
 *
 * Returns: (transfer none) (element-type utf8): the log paths, to read (add
 *   and clear with dh_case_add_input() and dh_case_clear_inputs())
 */
GPtrArray *
dh_case_get_inputs (DhCase *self)
{
  return self->inputs;
}

/* Whether `RULE.KEY` names a file, split as dh_rule_book_set() splits it. */
static gboolean
names_file (const char *rule_key)
{
  const char *dot = strchr (rule_key, '.');

  return dot != NULL && dh_rule_book_key_is_path (dot + 1);
}

/**
 * dh_case_set_setting:
 * @rule_key: `RULE.KEY`, as dh_rule_book_set() takes it before the `=`; not
 *   one whose value names a file
 */
void
dh_case_set_setting (DhCase     *self,
                     const char *rule_key,
                     const char *value)
{
  g_return_if_fail (!names_file (rule_key));
  g_hash_table_insert (self->settings, g_strdup (rule_key), g_strdup (value));
}

/**
 * dh_case_get_settings:
 *
 * Returns: (transfer none): "rule.key" -> value text
 */
GHashTable *
dh_case_get_settings (DhCase *self)
{
  return self->settings;
}

/**
 * dh_case_get_refused_settings:
 *
 * Returns: (transfer none) (element-type utf8): the `RULE.KEY` of each
 *   setting the case file held that names a file, and that was left out
 */
GPtrArray *
dh_case_get_refused_settings (DhCase *self)
{
  return self->refused;
}

/**
 * dh_case_set_triage:
 *
 * Records the state and note of one alert. An alert left new with no note
 * is dropped, so the file holds only what the analyst did.
 */
void
dh_case_set_triage (DhCase        *self,
                    const char    *rule_id,
                    const char    *host,
                    gint64         first_seen,
                    DhTriageState  state,
                    const char    *note)
{
  g_autofree char *key = dh_triage_key (rule_id, host, first_seen);
  Entry *e;

  if (state == DH_TRIAGE_NEW && (note == NULL || *note == 0))
    {
      if (g_hash_table_remove (self->triage, key))
        for (guint i = 0; i < self->order->len; i++)
          if (g_str_equal (self->order->pdata[i], key))
            {
              g_ptr_array_remove_index (self->order, i);
              break;
            }
      return;
    }

  e = g_hash_table_lookup (self->triage, key);
  if (e == NULL)
    {
      e = g_new0 (Entry, 1);
      e->rule = g_strdup (rule_id);
      e->host = g_strdup (host);
      e->first_seen = first_seen;
      g_hash_table_insert (self->triage, g_strdup (key), e);
      g_ptr_array_add (self->order, g_strdup (key));
    }
  e->triage.state = state;
  g_free (e->triage.note);
  e->triage.note = g_strdup (note ? note : "");
}

/**
 * dh_case_lookup_triage:
 *
 * Returns: (nullable): the triage of that alert, if any was recorded
 */
const DhTriage *
dh_case_lookup_triage (DhCase     *self,
                       const char *rule_id,
                       const char *host,
                       gint64      first_seen)
{
  g_autofree char *key = dh_triage_key (rule_id, host, first_seen);
  Entry *e = g_hash_table_lookup (self->triage, key);

  return e ? &e->triage : NULL;
}

guint
dh_case_get_n_triage (DhCase *self)
{
  return g_hash_table_size (self->triage);
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return strcmp (*(char * const *) a, *(char * const *) b);
}

char *
dh_case_to_json (DhCase *self,
                 gsize  *length)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonGenerator) gen = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GPtrArray) keys = g_ptr_array_new ();
  GHashTableIter iter;
  gpointer key;

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "dnshunt_case");
  json_builder_add_int_value (b, CASE_FORMAT);
  json_builder_set_member_name (b, "tool");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "name");
  json_builder_add_string_value (b, "dnshunt");
  json_builder_set_member_name (b, "version");
  json_builder_add_string_value (b, PACKAGE_VERSION);
  json_builder_end_object (b);

  json_builder_set_member_name (b, "inputs");
  json_builder_begin_array (b);
  for (guint i = 0; i < self->inputs->len; i++)
    json_builder_add_string_value (b, self->inputs->pdata[i]);
  json_builder_end_array (b);

  json_builder_set_member_name (b, "settings");
  json_builder_begin_object (b);
  g_hash_table_iter_init (&iter, self->settings);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    g_ptr_array_add (keys, key);
  g_ptr_array_sort (keys, compare_strings);
  for (guint i = 0; i < keys->len; i++)
    {
      json_builder_set_member_name (b, keys->pdata[i]);
      json_builder_add_string_value (b, g_hash_table_lookup (self->settings, keys->pdata[i]));
    }
  json_builder_end_object (b);

  json_builder_set_member_name (b, "triage");
  json_builder_begin_array (b);
  for (guint i = 0; i < self->order->len; i++)
    {
      Entry *e = g_hash_table_lookup (self->triage, self->order->pdata[i]);
      char buf[DH_TIME_FORMAT_SIZE];

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "rule");
      json_builder_add_string_value (b, e->rule);
      json_builder_set_member_name (b, "host");
      json_builder_add_string_value (b, e->host);
      json_builder_set_member_name (b, "first_seen");
      json_builder_add_string_value (b, dh_time_format (e->first_seen, buf));
      json_builder_set_member_name (b, "first_seen_us");
      json_builder_add_int_value (b, e->first_seen);
      json_builder_set_member_name (b, "state");
      json_builder_add_string_value (b, dh_triage_state_to_string (e->triage.state));
      json_builder_set_member_name (b, "note");
      json_builder_add_string_value (b, e->triage.note);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);

  if (self->live_kind)
    {
      json_builder_set_member_name (b, "live");
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "kind");
      json_builder_add_string_value (b, self->live_kind);
      if (self->live_log_group)
        {
          json_builder_set_member_name (b, "log_group");
          json_builder_add_string_value (b, self->live_log_group);
          json_builder_set_member_name (b, "region");
          json_builder_add_string_value (b, self->live_region);
        }
      if (self->live_profile)
        {
          json_builder_set_member_name (b, "profile");
          json_builder_add_string_value (b, self->live_profile);
        }
      json_builder_end_object (b);
    }
  json_builder_end_object (b);

  root = json_builder_get_root (b);
  json_generator_set_root (gen, root);
  json_generator_set_pretty (gen, TRUE);
  return json_generator_to_data (gen, length);
}

static gboolean
invalid (GError     **error,
         const char  *what)
{
  g_set_error (error, DH_CASE_ERROR, DH_CASE_ERROR_INVALID,
               _("This is not a DNS Hunt case file: %s"), what);
  return FALSE;
}

static gboolean
read_triage (DhCase      *self,
             JsonArray   *array,
             GError     **error)
{
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *node = json_array_get_element (array, i);
      JsonObject *o;
      const char *rule, *host, *state_text, *note, *seen;
      DhTriageState state;
      gint64 first_seen = 0;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        return invalid (error, _("a triage entry is not an object"));
      o = json_node_get_object (node);
      rule = json_object_get_string_member_with_default (o, "rule", NULL);
      host = json_object_get_string_member_with_default (o, "host", NULL);
      state_text = json_object_get_string_member_with_default (o, "state", "new");
      note = json_object_get_string_member_with_default (o, "note", "");
      seen = json_object_get_string_member_with_default (o, "first_seen", NULL);
      if (rule == NULL || host == NULL)
        return invalid (error, _("a triage entry lacks its rule or host"));
      if (!dh_triage_state_from_string (state_text, &state))
        return invalid (error, _("a triage entry has an unknown state"));
      if (json_object_has_member (o, "first_seen_us"))
        first_seen = json_object_get_int_member (o, "first_seen_us");
      else if (seen == NULL || !dh_time_parse_iso8601 (seen, strlen (seen), &first_seen))
        return invalid (error, _("a triage entry lacks its first-seen time"));
      dh_case_set_triage (self, rule, host, first_seen, state, note);
    }
  return TRUE;
}

/**
 * dh_case_new_from_json:
 *
 * Returns: (transfer full) (nullable): the case, or %NULL with an error
 */
DhCase *
dh_case_new_from_json (const char  *data,
                       gssize       length,
                       GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(DhCase) self = dh_case_new ();
  JsonObject *root;
  JsonNode *node;

  if (!dh_json_parser_load_bounded (parser, data, length, error))
    return NULL;
  node = json_parser_get_root (parser);
  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    {
      invalid (error, _("the top level is not an object"));
      return NULL;
    }
  root = json_node_get_object (node);
  if (!json_object_has_member (root, "dnshunt_case"))
    {
      invalid (error, _("the “dnshunt_case” member is missing"));
      return NULL;
    }
  if (json_object_get_int_member (root, "dnshunt_case") > CASE_FORMAT)
    {
      g_set_error (error, DH_CASE_ERROR, DH_CASE_ERROR_INVALID,
                   _("This case file was written by a newer version of DNS Hunt"));
      return NULL;
    }

  node = json_object_get_member (root, "inputs");
  if (node && JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *a = json_node_get_array (node);
      for (guint i = 0; i < json_array_get_length (a); i++)
        {
          JsonNode *el = json_array_get_element (a, i);
          if (JSON_NODE_HOLDS_VALUE (el) && json_node_get_value_type (el) == G_TYPE_STRING)
            dh_case_add_input (self, json_node_get_string (el));
        }
    }

  node = json_object_get_member (root, "settings");
  if (node && JSON_NODE_HOLDS_OBJECT (node))
    {
      JsonObject *o = json_node_get_object (node);
      g_autoptr(GList) members = json_object_get_members (o);
      for (GList *l = members; l; l = l->next)
        {
          JsonNode *v = json_object_get_member (o, l->data);
          if (names_file (l->data))
            g_ptr_array_add (self->refused, g_strdup (l->data));
          else if (JSON_NODE_HOLDS_VALUE (v) && json_node_get_value_type (v) == G_TYPE_STRING)
            dh_case_set_setting (self, l->data, json_node_get_string (v));
        }
    }

  node = json_object_get_member (root, "triage");
  if (node && JSON_NODE_HOLDS_ARRAY (node) &&
      !read_triage (self, json_node_get_array (node), error))
    return NULL;

  /* a live source that does not look right is left out, not an error */
  node = json_object_get_member (root, "live");
  if (node && JSON_NODE_HOLDS_OBJECT (node))
    {
      JsonObject *live = json_node_get_object (node);
      dh_case_set_live (self, dh_json_object_get_string (live, "kind"),
                        dh_json_object_get_string (live, "log_group"),
                        dh_json_object_get_string (live, "region"),
                        dh_json_object_get_string (live, "profile"));
    }
  return g_steal_pointer (&self);
}

gboolean
dh_case_save (DhCase      *self,
              const char  *path,
              GError     **error)
{
  gsize len;
  g_autofree char *data = dh_case_to_json (self, &len);

  return g_file_set_contents (path, data, len, error);
}

/**
 * dh_case_load:
 *
 * Reads a case file: a regular file of at most 64 MiB (a FIFO would block
 * the caller).
 *
 * Returns: (transfer full) (nullable): the case, or %NULL with an error
 */
DhCase *
dh_case_load (const char  *path,
              GError     **error)
{
  g_autofree char *data = NULL;
  gsize len;

  data = dh_file_read_regular (path, CASE_MAX_SIZE, NULL, &len, error);
  if (data == NULL)
    return NULL;
  return dh_case_new_from_json (data, len, error);
}
