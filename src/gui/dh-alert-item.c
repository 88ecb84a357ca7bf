/* dh-alert-item.c: one alert, with its triage, as a list item
 *
 * The alert itself lives in its DhAlertSet; the item keeps the set alive and
 * passes triage changes to the investigation, which keys them by rule, host
 * and first-seen time so they survive a re-analysis.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "dh-alert-item.h"

struct _DhAlertItem
{
  GObject          parent_instance;
  DhInvestigation *investigation;
  DhAlertSet      *set;
  guint            index;
  DhTriageState    state;
  char            *note;
};

G_DEFINE_FINAL_TYPE (DhAlertItem, dh_alert_item, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_STATE,
  PROP_NOTE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

const char *
dh_triage_state_label (DhTriageState state)
{
  switch (state)
    {
    case DH_TRIAGE_INVESTIGATING:
      return _("Investigating");
    case DH_TRIAGE_BENIGN:
      return _("Benign");
    case DH_TRIAGE_ESCALATED:
      return _("Escalated");
    case DH_TRIAGE_NEW:
    default:
      return _("New");
    }
}

static void
dh_alert_item_finalize (GObject *object)
{
  DhAlertItem *self = DH_ALERT_ITEM (object);

  g_clear_object (&self->investigation);
  dh_alert_set_unref (self->set);
  g_free (self->note);
  G_OBJECT_CLASS (dh_alert_item_parent_class)->finalize (object);
}

static void
dh_alert_item_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  DhAlertItem *self = DH_ALERT_ITEM (object);

  switch (prop_id)
    {
    case PROP_STATE:
      g_value_set_uint (value, self->state);
      break;
    case PROP_NOTE:
      g_value_set_string (value, self->note);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dh_alert_item_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  DhAlertItem *self = DH_ALERT_ITEM (object);

  switch (prop_id)
    {
    case PROP_STATE:
      dh_alert_item_set_state (self, g_value_get_uint (value));
      break;
    case PROP_NOTE:
      dh_alert_item_set_note (self, g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dh_alert_item_class_init (DhAlertItemClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = dh_alert_item_finalize;
  object_class->get_property = dh_alert_item_get_property;
  object_class->set_property = dh_alert_item_set_property;

  properties[PROP_STATE] =
    g_param_spec_uint ("state", NULL, NULL, 0, DH_N_TRIAGE_STATES - 1, DH_TRIAGE_NEW,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_NOTE] =
    g_param_spec_string ("note", NULL, NULL, "",
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
dh_alert_item_init (DhAlertItem *self)
{
  self->note = g_strdup ("");
}

/**
 * dh_alert_item_new:
 * @investigation: (nullable): where triage is kept; %NULL for a read-only item
 */
DhAlertItem *
dh_alert_item_new (DhInvestigation *investigation,
                   DhAlertSet      *set,
                   guint            index)
{
  DhAlertItem *self = g_object_new (DH_TYPE_ALERT_ITEM, NULL);

  self->investigation = investigation ? g_object_ref (investigation) : NULL;
  self->set = dh_alert_set_ref (set);
  self->index = index;
  if (investigation)
    {
      const DhTriage *t = dh_investigation_lookup_triage (investigation,
                                                          dh_alert_item_get_alert (self));
      if (t)
        {
          self->state = t->state;
          g_free (self->note);
          self->note = g_strdup (t->note ? t->note : "");
        }
    }
  return self;
}

/**
 * dh_alert_item_repoint:
 *
 * The same alert (rule, host, first event) in a newer set, grown perhaps: the
 * item, its triage and a view's selection of it stay.
 *
 * Returns: whether what a row shows of it changed (count, last event)
 */
gboolean
dh_alert_item_repoint (DhAlertItem *self,
                       DhAlertSet  *set,
                       guint        index)
{
  const DhAlert *before = dh_alert_item_get_alert (self);
  const DhAlert *after = dh_alert_set_get_alert (set, index);
  gboolean changed = before->count != after->count || before->last_seen != after->last_seen ||
                     before->severity != after->severity ||
                     before->names->len != after->names->len;

  dh_alert_set_ref (set);
  dh_alert_set_unref (self->set);
  self->set = set;
  self->index = index;
  return changed;
}

const DhAlert *
dh_alert_item_get_alert (DhAlertItem *self)
{
  return dh_alert_set_get_alert (self->set, self->index);
}

DhAlertSet *
dh_alert_item_get_set (DhAlertItem *self)
{
  return self->set;
}

/**
 * dh_alert_item_get_position:
 *
 * Returns: the alert's index in its set (most severe first)
 */
guint
dh_alert_item_get_position (DhAlertItem *self)
{
  return self->index;
}

const DhRule *
dh_alert_item_get_rule (DhAlertItem *self)
{
  return dh_rule_book_get_rule (dh_alert_set_get_rule_book (self->set),
                                dh_alert_item_get_alert (self)->rule);
}

DhEventStore *
dh_alert_item_get_store (DhAlertItem *self)
{
  return dh_alert_set_get_store (self->set);
}

const char *
dh_alert_item_get_host (DhAlertItem *self)
{
  return dh_event_store_get_string (dh_alert_set_get_store (self->set),
                                    dh_alert_item_get_alert (self)->host);
}

const char *
dh_alert_item_get_srcid (DhAlertItem *self)
{
  return dh_event_store_get_string (dh_alert_set_get_store (self->set),
                                    dh_alert_item_get_alert (self)->srcid);
}

const char *
dh_alert_item_get_vpc (DhAlertItem *self)
{
  return dh_event_store_get_string (dh_alert_set_get_store (self->set),
                                    dh_alert_item_get_alert (self)->vpc);
}

DhTriageState
dh_alert_item_get_state (DhAlertItem *self)
{
  return self->state;
}

void
dh_alert_item_set_state (DhAlertItem   *self,
                         DhTriageState  state)
{
  g_return_if_fail (state < DH_N_TRIAGE_STATES);
  if (self->state == state)
    return;
  self->state = state;
  if (self->investigation)
    dh_investigation_set_triage (self->investigation, dh_alert_item_get_alert (self),
                                 self->state, self->note);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
}

const char *
dh_alert_item_get_note (DhAlertItem *self)
{
  return self->note;
}

void
dh_alert_item_set_note (DhAlertItem *self,
                        const char  *note)
{
  if (note == NULL)
    note = "";
  if (g_strcmp0 (self->note, note) == 0)
    return;
  g_free (self->note);
  self->note = g_strdup (note);
  if (self->investigation)
    dh_investigation_set_triage (self->investigation, dh_alert_item_get_alert (self),
                                 self->state, self->note);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_NOTE]);
}

static gboolean
has (const char *haystack,
     const char *needle)
{
  g_autofree char *h = g_utf8_casefold (haystack, -1);

  return strstr (h, needle) != NULL;
}

/**
 * dh_alert_item_matches_text:
 * @text: casefolded text
 *
 * Whether the rule (id or title), the host, its instance or endpoint id, or
 * one of the names contains @text.
 */
gboolean
dh_alert_item_matches_text (DhAlertItem *self,
                            const char  *text)
{
  const DhAlert *a = dh_alert_item_get_alert (self);
  const DhRule *rule = dh_alert_item_get_rule (self);
  DhEventStore *store = dh_alert_item_get_store (self);

  if (text == NULL || *text == 0)
    return TRUE;
  if (has (rule->id, text) || has (rule->title, text) || has (dh_alert_item_get_host (self), text) ||
      has (dh_alert_item_get_srcid (self), text) || has (self->note, text))
    return TRUE;
  for (guint i = 0; i < a->names->len; i++)
    if (has (dh_event_store_get_string (store, g_array_index (a->names, guint32, i)), text))
      return TRUE;
  return FALSE;
}
