/* dh-rule-book.c: the ten rules, their texts and their settings
 *
 * Every text (title, MITRE mapping, description, impact, mitigation,
 * references) and every default comes from data/rules/rules.json in the
 * GResource; the lists come from the .txt files beside it. The C code knows
 * only the rule ids and the type of each setting key.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>

#include "dh-file.h"
#include "dh-json.h"
#include "dh-rule-book.h"
#include "dh-rules-resources.h"
#include "dh-time.h"

#define RESOURCE_DIR "/io/github/dnshunt/DnsHunt/rules/"

/* The rules' GResource is built with --manual-register: registered here, the
 * first time it is read, by whatever links the core (no constructor to keep
 * alive with link_whole). */
static void
ensure_resources (void)
{
  static gsize registered = 0;

  if (g_once_init_enter (&registered))
    {
      dh_rules_register_resource ();
      g_once_init_leave (&registered, 1);
    }
}

G_DEFINE_QUARK (dh-rule-book-error-quark, dh_rule_book_error)

struct _DhRuleBook
{
  gatomicrefcount  ref_count;
  DhRule           rules[DH_N_RULES];
  GPtrArray       *global;   /* DhSetting * of the pseudo rule "all" */
};

static const char *rule_ids[DH_N_RULES] = {
  "nxdomain-burst", "dns-over-tcp", "refused-burst", "metadata-ip-answer",
  "uncommon-record-types", "suspicious-tld", "paste-site", "monero-pool", "base64-label",
  "k8s-enumeration",
};

static const struct
{
  const char    *key;
  DhSettingType  type;
  const char    *help;
} setting_types[] = {
  { "enabled", DH_SETTING_BOOL, "true or false" },
  { "threshold", DH_SETTING_UINT, "a count of events, at least 1" },
  { "window", DH_SETTING_DURATION, "a duration such as 90s, 15m, 1h" },
  { "min-length", DH_SETTING_UINT, "a number of characters" },
  { "min-printable", DH_SETTING_PERCENT, "a percentage from 0 to 100" },
  { "max-evidence", DH_SETTING_UINT, "a number of events shown per alert" },
  { "allow", DH_SETTING_LIST, "comma-separated domains" },
  { "allow-hosts", DH_SETTING_LIST, "comma-separated addresses or CIDR ranges" },
  { "exclude", DH_SETTING_LIST, "comma-separated domains" },
  { "escalate-types", DH_SETTING_LIST, "comma-separated record types" },
  { "addresses", DH_SETTING_LIST, "comma-separated IP addresses" },
  { "legit-names", DH_SETTING_LIST, "comma-separated names (* for one label)" },
  { "types", DH_SETTING_LIST, "comma-separated record types" },
  { "list", DH_SETTING_LIST, "comma-separated entries (or use list-file=PATH)" },
};

/**
 * dh_rule_kind_to_id:
 *
 * Returns: the rule's id (`nxdomain-burst`, …), without needing a rule book
 */
const char *
dh_rule_kind_to_id (DhRuleKind kind)
{
  g_return_val_if_fail (kind < DH_N_RULES, "unknown");
  return rule_ids[kind];
}

const char *
dh_severity_to_string (DhSeverity severity)
{
  switch (severity)
    {
    case DH_SEVERITY_LOW:
      return "low";
    case DH_SEVERITY_MEDIUM:
      return "medium";
    case DH_SEVERITY_HIGH:
      return "high";
    default:
      return "unknown";
    }
}

/* the severity as the analyst reads it: High, Medium, Low (translated) */
const char *
dh_severity_label (DhSeverity severity)
{
  switch (severity)
    {
    case DH_SEVERITY_HIGH:
      return _("High");
    case DH_SEVERITY_MEDIUM:
      return _("Medium");
    case DH_SEVERITY_LOW:
    default:
      return _("Low");
    }
}

gboolean
dh_severity_from_string (const char *text,
                         DhSeverity *severity)
{
  if (g_ascii_strcasecmp (text, "low") == 0)
    *severity = DH_SEVERITY_LOW;
  else if (g_ascii_strcasecmp (text, "medium") == 0)
    *severity = DH_SEVERITY_MEDIUM;
  else if (g_ascii_strcasecmp (text, "high") == 0)
    *severity = DH_SEVERITY_HIGH;
  else
    return FALSE;
  return TRUE;
}

static int
setting_type_index (const char *key)
{
  for (guint i = 0; i < G_N_ELEMENTS (setting_types); i++)
    if (g_str_equal (setting_types[i].key, key))
      return i;
  return -1;
}

static void
setting_free (gpointer data)
{
  DhSetting *s = data;

  g_free (s->key);
  g_clear_pointer (&s->list, g_ptr_array_unref);
  g_free (s);
}

static DhSetting *
setting_copy (const DhSetting *s)
{
  DhSetting *c = g_new0 (DhSetting, 1);

  c->key = g_strdup (s->key);
  c->type = s->type;
  c->number = s->number;
  if (s->list)
    {
      c->list = g_ptr_array_new_with_free_func (g_free);
      for (guint i = 0; i < s->list->len; i++)
        g_ptr_array_add (c->list, g_strdup (s->list->pdata[i]));
    }
  return c;
}

static void
reference_free (gpointer data)
{
  DhReference *r = data;

  g_free (r->title);
  g_free (r->url);
  g_free (r);
}

static void
mitre_clear (DhMitreRef *m)
{
  g_clear_pointer (&m->id, g_free);
  g_clear_pointer (&m->name, g_free);
  g_clear_pointer (&m->url, g_free);
}

static void
mitre_copy (DhMitreRef       *dst,
            const DhMitreRef *src)
{
  dst->id = g_strdup (src->id);
  dst->name = g_strdup (src->name);
  dst->url = g_strdup (src->url);
}

/* Parses list text: one entry per line, `#` comments, blank lines skipped. */
static GPtrArray *
parse_list_text (const char *text,
                 gsize       len)
{
  GPtrArray *list = g_ptr_array_new_with_free_func (g_free);
  g_auto(GStrv) lines = NULL;
  g_autofree char *copy = g_strndup (text, len);

  lines = g_strsplit (copy, "\n", -1);
  for (guint i = 0; lines[i]; i++)
    {
      char *hash = strchr (lines[i], '#');
      if (hash)
        *hash = 0;
      g_strstrip (lines[i]);
      if (*lines[i])
        g_ptr_array_add (list, g_strdup (lines[i]));
    }
  return list;
}

static GPtrArray *
parse_list_value (const char *value)
{
  GPtrArray *list = g_ptr_array_new_with_free_func (g_free);
  g_auto(GStrv) parts = g_strsplit (value, ",", -1);

  for (guint i = 0; parts[i]; i++)
    {
      g_strstrip (parts[i]);
      if (*parts[i])
        g_ptr_array_add (list, g_strdup (parts[i]));
    }
  return list;
}

/**
 * dh_list_file_read:
 * @path: a file the user named for a list
 *
 * Reads a list file: one entry per line, `#` comments. Only a regular file of
 * at most %DH_LIST_FILE_MAX_SIZE bytes is read, as a FIFO would block for
 * ever and /dev/zero never end.
 *
 * Returns: (transfer full): the entries, or %NULL with an error that names
 *   the file
 */
GPtrArray *
dh_list_file_read (const char    *path,
                   GCancellable  *cancellable,
                   GError       **error)
{
  gsize len;
  g_autofree char *data = dh_file_read_regular (path, DH_LIST_FILE_MAX_SIZE, cancellable, &len,
                                                error);

  return data ? parse_list_text (data, len) : NULL;
}

static void
list_file_thread (GTask        *task,
                  gpointer      source,
                  gpointer      path,
                  GCancellable *cancellable)
{
  GError *error = NULL;
  GPtrArray *list = dh_list_file_read (path, cancellable, &error);

  if (list)
    g_task_return_pointer (task, list, (GDestroyNotify) g_ptr_array_unref);
  else
    g_task_return_error (task, error);
}

/**
 * dh_list_file_read_async:
 *
 * dh_list_file_read() in a worker thread, for the window.
 */
void
dh_list_file_read_async (const char          *path,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);

  g_task_set_source_tag (task, dh_list_file_read_async);
  g_task_set_task_data (task, g_strdup (path), g_free);
  g_task_run_in_thread (task, list_file_thread);
}

/**
 * dh_list_file_read_finish:
 *
 * Returns: (transfer full): the entries, or %NULL with an error
 */
GPtrArray *
dh_list_file_read_finish (GAsyncResult  *result,
                          GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * dh_rule_book_key_is_path:
 * @key: a setting key, as after the dot of `RULE.KEY`
 *
 * Returns: whether the value of @key names a file (`list-file`) rather than
 *   being the setting itself; such a value is for the user to give, never
 *   for a case file from someone else
 */
gboolean
dh_rule_book_key_is_path (const char *key)
{
  return g_strcmp0 (key, "list-file") == 0;
}

static GPtrArray *
load_resource_list (const char  *name,
                    GError     **error)
{
  g_autofree char *path = g_strconcat (RESOURCE_DIR, name, NULL);
  g_autoptr(GBytes) bytes = NULL;
  gsize len;
  const char *data;

  ensure_resources ();
  bytes = g_resources_lookup_data (path, 0, error);
  if (bytes == NULL)
    return NULL;
  data = g_bytes_get_data (bytes, &len);
  return parse_list_text (data, len);
}

/* Why @entry is not an address (or, with @allow_range, a CIDR range whose
 * prefix fits its family and leaves no host bits set), or %NULL when it is.
 * GInetAddressMask alone would take `0.0.0.0/-1` with a warning and make
 * the analysis match every host, or nothing for `10.0.0.0/33`. */
static char *
address_problem (const char *entry,
                 gboolean    allow_range)
{
  const char *slash = strchr (entry, '/');
  g_autofree char *text = g_strndup (entry, slash ? (gsize) (slash - entry) : strlen (entry));
  g_autoptr(GInetAddress) addr = g_inet_address_new_from_string (text);
  g_autoptr(GInetAddress) network = NULL;
  g_autofree char *network_text = NULL;
  guint8 bytes[16];
  guint bits;
  guint64 prefix;
  gboolean host_bits = FALSE;

  if (addr == NULL || (slash && !allow_range))
    return g_strdup (allow_range ? _("expected an IPv4 or IPv6 address, or a CIDR range "
                                     "such as 10.0.0.0/24")
                                 : _("expected an IPv4 or IPv6 address"));
  if (slash == NULL)
    return NULL;
  bits = g_inet_address_get_native_size (addr) * 8;
  if (!g_ascii_string_to_unsigned (slash + 1, 10, 0, bits, &prefix, NULL))
    return g_strdup_printf (_("the prefix length after the / must be a number from 0 to %u"),
                            bits);
  memcpy (bytes, g_inet_address_to_bytes (addr), bits / 8);
  for (guint i = prefix; i < bits; i++)
    if (bytes[i / 8] & (0x80 >> (i % 8)))
      {
        host_bits = TRUE;
        bytes[i / 8] &= ~(0x80 >> (i % 8));
      }
  if (!host_bits)
    return NULL;
  network = g_inet_address_new_from_bytes (bytes, g_inet_address_get_family (addr));
  network_text = g_inet_address_to_string (network);
  return g_strdup_printf (_("bits are set after the first %u; the range is %s/%u"),
                          (guint) prefix, network_text, (guint) prefix);
}

/* Lists of addresses are checked entry by entry, so a typo is an error that
 * names it rather than an allowlist that silently does something else. */
static gboolean
check_list (const DhSetting  *setting,
            GPtrArray        *list,
            GError          **error)
{
  gboolean hosts = g_str_equal (setting->key, "allow-hosts");

  if (!hosts && !g_str_equal (setting->key, "addresses"))
    return TRUE;
  for (guint i = 0; i < list->len; i++)
    {
      g_autofree char *problem = address_problem (list->pdata[i], hosts);
      if (problem != NULL)
        {
          g_set_error (error, DH_RULE_BOOK_ERROR, DH_RULE_BOOK_ERROR_BAD_VALUE,
                       _("“%s” is not a valid entry for %s: %s"),
                       (const char *) list->pdata[i], setting->key, problem);
          return FALSE;
        }
    }
  return TRUE;
}

static gboolean
parse_setting_value (DhSetting   *setting,
                     const char  *value,
                     GError     **error)
{
  int idx = setting_type_index (setting->key);
  const char *help = idx >= 0 ? setting_types[idx].help : "";
  guint64 n;

  switch (setting->type)
    {
    case DH_SETTING_BOOL:
      if (g_ascii_strcasecmp (value, "true") == 0 || g_str_equal (value, "1") ||
          g_ascii_strcasecmp (value, "yes") == 0 || g_ascii_strcasecmp (value, "on") == 0)
        setting->number = TRUE;
      else if (g_ascii_strcasecmp (value, "false") == 0 || g_str_equal (value, "0") ||
               g_ascii_strcasecmp (value, "no") == 0 || g_ascii_strcasecmp (value, "off") == 0)
        setting->number = FALSE;
      else
        goto bad;
      return TRUE;

    case DH_SETTING_UINT:
    case DH_SETTING_PERCENT:
      if (!g_ascii_string_to_unsigned (value, 10, setting->type == DH_SETTING_UINT ? 1 : 0,
                                       setting->type == DH_SETTING_UINT ? G_MAXUINT32 : 100,
                                       &n, NULL))
        goto bad;
      setting->number = n;
      return TRUE;

    case DH_SETTING_DURATION:
      if (!dh_duration_parse (value, &setting->number))
        goto bad;
      return TRUE;

    case DH_SETTING_LIST:
      {
        GPtrArray *list = parse_list_value (value);
        if (!check_list (setting, list, error))
          {
            g_ptr_array_unref (list);
            return FALSE;
          }
        g_clear_pointer (&setting->list, g_ptr_array_unref);
        setting->list = list;
        return TRUE;
      }

    default:
      g_assert_not_reached ();
    }

bad:
  g_set_error (error, DH_RULE_BOOK_ERROR, DH_RULE_BOOK_ERROR_BAD_VALUE,
               _("“%s” is not a valid value for %s: expected %s"), value, setting->key, help);
  return FALSE;
}

static DhSetting *
setting_from_json (const char  *rule_id,
                   const char  *key,
                   JsonNode    *node,
                   GError     **error)
{
  g_autoptr(GError) local = NULL;
  DhSetting *s;
  int idx = setting_type_index (key);

  if (idx < 0)
    {
      g_set_error (error, DH_RULE_BOOK_ERROR, DH_RULE_BOOK_ERROR_DATA,
                   "rules.json: %s has an unknown setting %s", rule_id, key);
      return NULL;
    }

  s = g_new0 (DhSetting, 1);
  s->key = g_strdup (key);
  s->type = setting_types[idx].type;

  if (s->type == DH_SETTING_LIST && JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *a = json_node_get_array (node);
      s->list = g_ptr_array_new_with_free_func (g_free);
      for (guint i = 0; i < json_array_get_length (a); i++)
        g_ptr_array_add (s->list, g_strdup (json_array_get_string_element (a, i)));
    }
  else if (s->type == DH_SETTING_LIST && JSON_NODE_HOLDS_VALUE (node))
    {
      /* A file name: the bundled list of that name. */
      s->list = load_resource_list (json_node_get_string (node), &local);
      if (s->list == NULL)
        {
          g_set_error (error, DH_RULE_BOOK_ERROR, DH_RULE_BOOK_ERROR_DATA,
                       "rules.json: %s.%s: %s", rule_id, key, local->message);
          setting_free (s);
          return NULL;
        }
    }
  else if (s->type == DH_SETTING_BOOL && JSON_NODE_HOLDS_VALUE (node))
    s->number = json_node_get_boolean (node);
  else if ((s->type == DH_SETTING_UINT || s->type == DH_SETTING_PERCENT) &&
           JSON_NODE_HOLDS_VALUE (node))
    s->number = json_node_get_int (node);
  else if (s->type == DH_SETTING_DURATION && JSON_NODE_HOLDS_VALUE (node) &&
           dh_duration_parse (json_node_get_string (node), &s->number))
    ;
  else
    {
      g_set_error (error, DH_RULE_BOOK_ERROR, DH_RULE_BOOK_ERROR_DATA,
                   "rules.json: %s.%s has a value of the wrong type", rule_id, key);
      setting_free (s);
      return NULL;
    }
  return s;
}

static gboolean
mitre_from_json (JsonObject  *mitre,
                 const char  *member,
                 DhMitreRef  *out)
{
  JsonNode *node = json_object_get_member (mitre, member);
  JsonObject *o;

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;
  if (!JSON_NODE_HOLDS_OBJECT (node))
    return FALSE;
  o = json_node_get_object (node);
  out->id = g_strdup (json_object_get_string_member_with_default (o, "id", NULL));
  out->name = g_strdup (json_object_get_string_member_with_default (o, "name", ""));
  out->url = g_strdup (json_object_get_string_member_with_default (o, "url", ""));
  return out->id != NULL;
}

static gboolean
rule_from_json (DhRule      *rule,
                DhRuleKind   kind,
                JsonObject  *o,
                GError     **error)
{
  JsonObject *mitre, *defaults;
  JsonArray *array;
  const char *sev;
  g_autoptr(GList) keys = NULL;

  rule->kind = kind;
  rule->id = g_strdup (json_object_get_string_member_with_default (o, "id", ""));
  if (!g_str_equal (rule->id, rule_ids[kind]))
    {
      g_set_error (error, DH_RULE_BOOK_ERROR, DH_RULE_BOOK_ERROR_DATA,
                   "rules.json: rule %d is %s, expected %s", kind, rule->id, rule_ids[kind]);
      return FALSE;
    }
  rule->title = g_strdup (json_object_get_string_member_with_default (o, "title", rule->id));
  sev = json_object_get_string_member_with_default (o, "severity", "");
  rule->description = g_strdup (json_object_get_string_member_with_default (o, "description", ""));
  rule->impact = g_strdup (json_object_get_string_member_with_default (o, "impact", ""));
  rule->mitigation = g_ptr_array_new_with_free_func (g_free);
  rule->references = g_ptr_array_new_with_free_func (reference_free);
  rule->settings = g_ptr_array_new_with_free_func (setting_free);

  if (!dh_severity_from_string (sev, &rule->severity) ||
      !json_object_has_member (o, "mitre") ||
      !JSON_NODE_HOLDS_OBJECT (json_object_get_member (o, "mitre")) ||
      !json_object_has_member (o, "defaults") ||
      !JSON_NODE_HOLDS_OBJECT (json_object_get_member (o, "defaults")))
    {
      g_set_error (error, DH_RULE_BOOK_ERROR, DH_RULE_BOOK_ERROR_DATA,
                   "rules.json: %s lacks a severity, mitre or defaults", rule->id);
      return FALSE;
    }

  mitre = json_object_get_object_member (o, "mitre");
  if (!mitre_from_json (mitre, "tactic", &rule->tactic) ||
      !mitre_from_json (mitre, "technique", &rule->technique) ||
      !mitre_from_json (mitre, "subtechnique", &rule->subtechnique) ||
      rule->tactic.id == NULL || rule->technique.id == NULL)
    {
      g_set_error (error, DH_RULE_BOOK_ERROR, DH_RULE_BOOK_ERROR_DATA,
                   "rules.json: %s has an incomplete MITRE mapping", rule->id);
      return FALSE;
    }

  if (json_object_has_member (o, "mitigation") &&
      JSON_NODE_HOLDS_ARRAY (json_object_get_member (o, "mitigation")))
    {
      array = json_object_get_array_member (o, "mitigation");
      for (guint i = 0; i < json_array_get_length (array); i++)
        g_ptr_array_add (rule->mitigation, g_strdup (json_array_get_string_element (array, i)));
    }
  if (json_object_has_member (o, "references") &&
      JSON_NODE_HOLDS_ARRAY (json_object_get_member (o, "references")))
    {
      array = json_object_get_array_member (o, "references");
      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          JsonObject *r = json_array_get_object_element (array, i);
          DhReference *ref = g_new0 (DhReference, 1);
          ref->title = g_strdup (json_object_get_string_member_with_default (r, "title", ""));
          ref->url = g_strdup (json_object_get_string_member_with_default (r, "url", ""));
          g_ptr_array_add (rule->references, ref);
        }
    }

  defaults = json_object_get_object_member (o, "defaults");
  keys = json_object_get_members (defaults);
  for (GList *l = keys; l; l = l->next)
    {
      DhSetting *s = setting_from_json (rule->id, l->data,
                                        json_object_get_member (defaults, l->data), error);
      if (s == NULL)
        return FALSE;
      g_ptr_array_add (rule->settings, s);
    }
  if (dh_rule_get_setting (rule, "enabled") == NULL ||
      dh_rule_get_setting (rule, "threshold") == NULL ||
      dh_rule_get_setting (rule, "window") == NULL)
    {
      g_set_error (error, DH_RULE_BOOK_ERROR, DH_RULE_BOOK_ERROR_DATA,
                   "rules.json: %s needs enabled, threshold and window defaults", rule->id);
      return FALSE;
    }
  return TRUE;
}

static void
rule_clear (DhRule *rule)
{
  g_clear_pointer (&rule->id, g_free);
  g_clear_pointer (&rule->title, g_free);
  g_clear_pointer (&rule->description, g_free);
  g_clear_pointer (&rule->impact, g_free);
  mitre_clear (&rule->tactic);
  mitre_clear (&rule->technique);
  mitre_clear (&rule->subtechnique);
  g_clear_pointer (&rule->mitigation, g_ptr_array_unref);
  g_clear_pointer (&rule->references, g_ptr_array_unref);
  g_clear_pointer (&rule->settings, g_ptr_array_unref);
}

static GPtrArray *
global_defaults (void)
{
  GPtrArray *g = g_ptr_array_new_with_free_func (setting_free);
  DhSetting *s;

  s = g_new0 (DhSetting, 1);
  s->key = g_strdup ("allow");
  s->type = DH_SETTING_LIST;
  s->list = g_ptr_array_new_with_free_func (g_free);
  g_ptr_array_add (g, s);

  s = g_new0 (DhSetting, 1);
  s->key = g_strdup ("allow-hosts");
  s->type = DH_SETTING_LIST;
  s->list = g_ptr_array_new_with_free_func (g_free);
  g_ptr_array_add (g, s);

  s = g_new0 (DhSetting, 1);
  s->key = g_strdup ("max-evidence");
  s->type = DH_SETTING_UINT;
  s->number = 100;
  g_ptr_array_add (g, s);
  return g;
}

/**
 * dh_rule_book_new:
 *
 * Loads the rules and their defaults from the bundled data.
 *
 * Returns: (transfer full): a new rule book, or %NULL when the data is broken
 */
DhRuleBook *
dh_rule_book_new (GError **error)
{
  g_autoptr(DhRuleBook) self = g_new0 (DhRuleBook, 1);
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonNode *root;
  JsonArray *rules;
  gsize len;
  const char *data;

  g_atomic_ref_count_init (&self->ref_count);
  self->global = global_defaults ();

  ensure_resources ();
  bytes = g_resources_lookup_data (RESOURCE_DIR "rules.json", 0, error);
  if (bytes == NULL)
    return NULL;
  data = g_bytes_get_data (bytes, &len);
  if (!dh_json_parser_load_bounded (parser, data, len, error))
    return NULL;
  root = json_parser_get_root (parser);
  if (!JSON_NODE_HOLDS_OBJECT (root) ||
      !json_object_has_member (json_node_get_object (root), "rules") ||
      json_array_get_length (json_object_get_array_member (json_node_get_object (root),
                                                           "rules")) != DH_N_RULES)
    {
      g_set_error (error, DH_RULE_BOOK_ERROR, DH_RULE_BOOK_ERROR_DATA,
                   "rules.json must hold the %d rules", DH_N_RULES);
      return NULL;
    }
  rules = json_object_get_array_member (json_node_get_object (root), "rules");
  for (guint i = 0; i < DH_N_RULES; i++)
    {
      JsonNode *el = json_array_get_element (rules, i);
      if (!JSON_NODE_HOLDS_OBJECT (el))
        {
          g_set_error (error, DH_RULE_BOOK_ERROR, DH_RULE_BOOK_ERROR_DATA,
                       "rules.json: rule %u is not an object", i);
          return NULL;
        }
      if (!rule_from_json (&self->rules[i], i, json_node_get_object (el), error))
        return NULL;
    }
  return g_steal_pointer (&self);
}

DhRuleBook *
dh_rule_book_ref (DhRuleBook *self)
{
  g_atomic_ref_count_inc (&self->ref_count);
  return self;
}

void
dh_rule_book_unref (DhRuleBook *self)
{
  if (self == NULL || !g_atomic_ref_count_dec (&self->ref_count))
    return;
  for (guint i = 0; i < DH_N_RULES; i++)
    rule_clear (&self->rules[i]);
  g_clear_pointer (&self->global, g_ptr_array_unref);
  g_free (self);
}

static GPtrArray *
copy_settings (GPtrArray *settings)
{
  GPtrArray *c = g_ptr_array_new_with_free_func (setting_free);

  for (guint i = 0; i < settings->len; i++)
    g_ptr_array_add (c, setting_copy (settings->pdata[i]));
  return c;
}

/**
 * dh_rule_book_copy:
 *
 * A deep copy, so a worker can analyse with one set of settings while the
 * user edits another.
 */
DhRuleBook *
dh_rule_book_copy (DhRuleBook *book)
{
  DhRuleBook *self = g_new0 (DhRuleBook, 1);

  g_atomic_ref_count_init (&self->ref_count);
  self->global = copy_settings (book->global);
  for (guint i = 0; i < DH_N_RULES; i++)
    {
      const DhRule *src = &book->rules[i];
      DhRule *dst = &self->rules[i];

      dst->kind = src->kind;
      dst->id = g_strdup (src->id);
      dst->title = g_strdup (src->title);
      dst->severity = src->severity;
      mitre_copy (&dst->tactic, &src->tactic);
      mitre_copy (&dst->technique, &src->technique);
      mitre_copy (&dst->subtechnique, &src->subtechnique);
      dst->description = g_strdup (src->description);
      dst->impact = g_strdup (src->impact);
      dst->mitigation = g_ptr_array_new_with_free_func (g_free);
      for (guint j = 0; j < src->mitigation->len; j++)
        g_ptr_array_add (dst->mitigation, g_strdup (src->mitigation->pdata[j]));
      dst->references = g_ptr_array_new_with_free_func (reference_free);
      for (guint j = 0; j < src->references->len; j++)
        {
          const DhReference *r = src->references->pdata[j];
          DhReference *c = g_new0 (DhReference, 1);
          c->title = g_strdup (r->title);
          c->url = g_strdup (r->url);
          g_ptr_array_add (dst->references, c);
        }
      dst->settings = copy_settings (src->settings);
    }
  return self;
}

const DhRule *
dh_rule_book_get_rule (DhRuleBook *self,
                       DhRuleKind  kind)
{
  g_return_val_if_fail (kind < DH_N_RULES, NULL);
  return &self->rules[kind];
}

const DhRule *
dh_rule_book_find_rule (DhRuleBook *self,
                        const char *id)
{
  for (guint i = 0; i < DH_N_RULES; i++)
    if (g_str_equal (self->rules[i].id, id))
      return &self->rules[i];
  return NULL;
}

static DhSetting *
find_setting (GPtrArray  *settings,
              const char *key)
{
  for (guint i = 0; i < settings->len; i++)
    {
      DhSetting *s = settings->pdata[i];
      if (g_str_equal (s->key, key))
        return s;
    }
  return NULL;
}

const DhSetting *
dh_rule_get_setting (const DhRule *rule,
                     const char   *key)
{
  return find_setting (rule->settings, key);
}

/**
 * dh_rule_get_number:
 *
 * Returns: a bool, count, percent or duration (µs) setting, or 0 when the rule
 *   has no such key
 */
gint64
dh_rule_get_number (const DhRule *rule,
                    const char   *key)
{
  const DhSetting *s = find_setting (rule->settings, key);

  return s ? s->number : 0;
}

/**
 * dh_rule_get_list:
 *
 * Returns: (transfer none) (nullable): the entries of a list setting
 */
GPtrArray *
dh_rule_get_list (const DhRule *rule,
                  const char   *key)
{
  const DhSetting *s = find_setting (rule->settings, key);

  return s ? s->list : NULL;
}

/**
 * dh_rule_book_get_global_list:
 * @key: `allow` or `allow-hosts`
 *
 * Returns: (transfer none): the entries that apply to every rule
 */
GPtrArray *
dh_rule_book_get_global_list (DhRuleBook *self,
                              const char *key)
{
  DhSetting *s = find_setting (self->global, key);

  return s ? s->list : NULL;
}

static GPtrArray *
settings_for (DhRuleBook *self,
              const char *rule_id)
{
  const DhRule *rule;

  if (g_str_equal (rule_id, "all"))
    return self->global;
  rule = dh_rule_book_find_rule (self, rule_id);
  return rule ? rule->settings : NULL;
}

static char *
keys_of (GPtrArray *settings,
         gboolean   with_list_file)
{
  GString *s = g_string_new (NULL);

  for (guint i = 0; i < settings->len; i++)
    {
      DhSetting *set = settings->pdata[i];
      if (s->len)
        g_string_append (s, ", ");
      g_string_append (s, set->key);
      if (with_list_file && g_str_equal (set->key, "list"))
        g_string_append (s, ", list-file");
    }
  return g_string_free (s, FALSE);
}

/**
 * dh_rule_book_describe_keys:
 *
 * Returns: (transfer full): every valid `RULE.KEY`, a line per rule
 */
char *
dh_rule_book_describe_keys (DhRuleBook *self)
{
  GString *s = g_string_new (NULL);
  g_autofree char *global = keys_of (self->global, FALSE);

  g_string_append_printf (s, "  %-22s %s, enabled\n", "all", global);
  for (guint i = 0; i < DH_N_RULES; i++)
    {
      g_autofree char *keys = keys_of (self->rules[i].settings, TRUE);
      g_string_append_printf (s, "  %-22s %s\n", self->rules[i].id, keys);
    }
  return g_string_free (s, FALSE);
}

/**
 * dh_rule_book_set_value:
 * @rule_id: a rule id, or `all`
 * @key: a setting key of that rule; `list-file` reads the list from a file;
 *   `all.enabled` switches every rule
 * @value: the value as text (lists comma-separated)
 *
 * Returns: %FALSE with an error that names the valid rules or keys
 */
gboolean
dh_rule_book_set_value (DhRuleBook  *self,
                        const char  *rule_id,
                        const char  *key,
                        const char  *value,
                        GError     **error)
{
  GPtrArray *settings = settings_for (self, rule_id);
  DhSetting *setting;

  if (settings == NULL)
    {
      g_autofree char *ids = g_strjoinv (", ", (char **) rule_ids);
      g_set_error (error, DH_RULE_BOOK_ERROR, DH_RULE_BOOK_ERROR_UNKNOWN_KEY,
                   _("Unknown rule “%s”. Rules: all, %s"), rule_id, ids);
      return FALSE;
    }

  if (g_str_equal (rule_id, "all") && g_str_equal (key, "enabled"))
    {
      for (guint i = 0; i < DH_N_RULES; i++)
        if (!parse_setting_value (find_setting (self->rules[i].settings, "enabled"), value, error))
          return FALSE;
      return TRUE;
    }

  if (g_str_equal (key, "list-file") && find_setting (settings, "list") != NULL)
    {
      g_autoptr(GError) local = NULL;
      GPtrArray *list = dh_list_file_read (value, NULL, &local);

      if (list == NULL)
        {
          g_set_error (error, DH_RULE_BOOK_ERROR, DH_RULE_BOOK_ERROR_BAD_VALUE,
                       _("Cannot read the list for %s: %s"), rule_id, local->message);
          return FALSE;
        }
      setting = find_setting (settings, "list");
      g_clear_pointer (&setting->list, g_ptr_array_unref);
      setting->list = list;
      return TRUE;
    }

  setting = find_setting (settings, key);
  if (setting == NULL)
    {
      g_autofree char *keys = keys_of (settings, TRUE);
      g_set_error (error, DH_RULE_BOOK_ERROR, DH_RULE_BOOK_ERROR_UNKNOWN_KEY,
                   _("Unknown setting “%s” for %s. Valid keys: %s%s"), key, rule_id, keys,
                   g_str_equal (rule_id, "all") ? ", enabled" : "");
      return FALSE;
    }
  return parse_setting_value (setting, value, error);
}

/**
 * dh_rule_book_set:
 * @assignment: `RULE.KEY=VALUE`, as `--set` takes it
 */
gboolean
dh_rule_book_set (DhRuleBook  *self,
                  const char  *assignment,
                  GError     **error)
{
  const char *eq = strchr (assignment, '=');
  const char *dot;
  g_autofree char *rule_id = NULL;
  g_autofree char *key = NULL;

  dot = eq ? memchr (assignment, '.', eq - assignment) : NULL;
  if (eq == NULL || dot == NULL || dot == assignment || dot + 1 == eq)
    {
      g_set_error (error, DH_RULE_BOOK_ERROR, DH_RULE_BOOK_ERROR_UNKNOWN_KEY,
                   _("“%s” is not of the form RULE.KEY=VALUE"), assignment);
      return FALSE;
    }
  rule_id = g_strndup (assignment, dot - assignment);
  key = g_strndup (dot + 1, eq - dot - 1);
  return dh_rule_book_set_value (self, rule_id, key, eq + 1, error);
}

/**
 * dh_rule_book_get_value_string:
 *
 * Returns: (transfer full) (nullable): the value of `RULE.KEY` in the form
 *   dh_rule_book_set_value() takes
 */
char *
dh_rule_book_get_value_string (DhRuleBook *self,
                               const char *rule_id,
                               const char *key)
{
  GPtrArray *settings = settings_for (self, rule_id);
  DhSetting *s = settings ? find_setting (settings, key) : NULL;

  if (s == NULL)
    return NULL;
  switch (s->type)
    {
    case DH_SETTING_BOOL:
      return g_strdup (s->number ? "true" : "false");
    case DH_SETTING_UINT:
    case DH_SETTING_PERCENT:
      return g_strdup_printf ("%" G_GINT64_FORMAT, s->number);
    case DH_SETTING_DURATION:
      return dh_duration_format (s->number);
    case DH_SETTING_LIST:
      {
        GString *str = g_string_new (NULL);
        for (guint i = 0; i < s->list->len; i++)
          {
            if (i)
              g_string_append_c (str, ',');
            g_string_append (str, s->list->pdata[i]);
          }
        return g_string_free (str, FALSE);
      }
    default:
      return NULL;
    }
}
