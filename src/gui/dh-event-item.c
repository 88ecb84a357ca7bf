/* dh-event-item.c: one event of a store, as a list item
 *
 * Made on demand by DhEventModel for the rows on screen: it holds only the
 * store and an index, and reads everything from the store when asked.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "dh-event-item.h"
#include "dh-time.h"

struct _DhEventItem
{
  GObject       parent_instance;
  DhEventStore *store;
  guint32       index;
};

G_DEFINE_FINAL_TYPE (DhEventItem, dh_event_item, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_INDEX,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
dh_event_item_finalize (GObject *object)
{
  DhEventItem *self = DH_EVENT_ITEM (object);

  dh_event_store_unref (self->store);
  G_OBJECT_CLASS (dh_event_item_parent_class)->finalize (object);
}

static void
dh_event_item_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  switch (prop_id)
    {
    case PROP_INDEX:
      g_value_set_uint (value, DH_EVENT_ITEM (object)->index);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dh_event_item_class_init (DhEventItemClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = dh_event_item_finalize;
  object_class->get_property = dh_event_item_get_property;

  properties[PROP_INDEX] =
    g_param_spec_uint ("index", NULL, NULL, 0, G_MAXUINT32, 0,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
dh_event_item_init (DhEventItem *self)
{
}

DhEventItem *
dh_event_item_new (DhEventStore *store,
                   guint32       index)
{
  DhEventItem *self = g_object_new (DH_TYPE_EVENT_ITEM, NULL);

  self->store = dh_event_store_ref (store);
  self->index = index;
  return self;
}

guint32
dh_event_item_get_index (DhEventItem *self)
{
  return self->index;
}

/**
 * dh_event_item_set_event:
 *
 * Points the item at another event (DhEventModel reuses the items of rows on
 * screen, see there); notifies #DhEventItem:index.
 */
void
dh_event_item_set_event (DhEventItem  *self,
                         DhEventStore *store,
                         guint32       index)
{
  if (self->store == store && self->index == index)
    return;
  if (self->store != store)
    {
      dh_event_store_ref (store);
      dh_event_store_unref (self->store);
      self->store = store;
    }
  self->index = index;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_INDEX]);
}

const DhEvent *
dh_event_item_get_event (DhEventItem *self)
{
  return dh_event_store_get_event (self->store, self->index);
}

DhEventStore *
dh_event_item_get_store (DhEventItem *self)
{
  return self->store;
}

const char *
dh_event_item_get_name (DhEventItem *self)
{
  return dh_event_store_get_string (self->store, dh_event_item_get_event (self)->name);
}

const char *
dh_event_item_get_host (DhEventItem *self)
{
  return dh_event_store_get_string (self->store, dh_event_item_get_event (self)->host);
}

const char *
dh_event_item_get_srcid (DhEventItem *self)
{
  return dh_event_store_get_string (self->store, dh_event_item_get_event (self)->srcid);
}

const char *
dh_event_item_get_qtype (DhEventItem *self)
{
  return dh_event_store_get_atom (self->store, DH_ATOMS_QTYPE, dh_event_item_get_event (self)->qtype);
}

const char *
dh_event_item_get_rcode (DhEventItem *self)
{
  return dh_event_store_get_atom (self->store, DH_ATOMS_RCODE, dh_event_item_get_event (self)->rcode);
}

const char *
dh_event_item_get_transport (DhEventItem *self)
{
  return dh_event_store_get_atom (self->store, DH_ATOMS_TRANSPORT,
                                  dh_event_item_get_event (self)->transport);
}

char *
dh_event_item_format_time (DhEventItem *self)
{
  char buf[DH_TIME_FORMAT_SIZE];

  return g_strdup (dh_time_format (dh_event_item_get_event (self)->time, buf));
}

/**
 * dh_event_item_format_answers:
 *
 * Returns: (transfer full): the answers' Rdata, comma-separated (plain text)
 */
char *
dh_event_item_format_answers (DhEventItem *self)
{
  const DhEvent *ev = dh_event_item_get_event (self);
  const DhAnswer *answers = dh_event_store_get_answers (self->store, ev);
  GString *s = g_string_new (NULL);

  for (guint i = 0; i < ev->n_answers; i++)
    {
      if (i)
        g_string_append (s, ", ");
      g_string_append (s, dh_event_store_get_string (self->store, answers[i].rdata));
    }
  return g_string_free (s, FALSE);
}
