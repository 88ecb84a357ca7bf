/* dh-event-model.c: a lazy list model over events of a store
 *
 * The model is an array of event indices (guint32, 4 bytes a row); item
 * objects exist only while a row asks for one, so a million rows cost 4 MB
 * and the list view makes objects just for what is on screen. Filtering is
 * done by the caller off the main thread (dh_event_filter_run()), and the
 * result arrives here as one new array and one items-changed.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "dh-event-item.h"
#include "dh-event-model.h"

struct _DhEventModel
{
  GObject       parent_instance;
  DhEventStore *store;
  GArray       *indices;
};

static void list_model_iface_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (DhEventModel, dh_event_model, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, list_model_iface_init))

enum {
  PROP_0,
  PROP_N_ITEMS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static GType
get_item_type (GListModel *model)
{
  return DH_TYPE_EVENT_ITEM;
}

static guint
get_n_items (GListModel *model)
{
  DhEventModel *self = DH_EVENT_MODEL (model);

  return self->indices ? self->indices->len : 0;
}

static gpointer
get_item (GListModel *model,
          guint       position)
{
  DhEventModel *self = DH_EVENT_MODEL (model);

  if (self->indices == NULL || position >= self->indices->len)
    return NULL;
  return dh_event_item_new (self->store, g_array_index (self->indices, guint32, position));
}

static void
list_model_iface_init (GListModelInterface *iface)
{
  iface->get_item_type = get_item_type;
  iface->get_n_items = get_n_items;
  iface->get_item = get_item;
}

static void
dh_event_model_finalize (GObject *object)
{
  DhEventModel *self = DH_EVENT_MODEL (object);

  g_clear_pointer (&self->indices, g_array_unref);
  g_clear_pointer (&self->store, dh_event_store_unref);
  G_OBJECT_CLASS (dh_event_model_parent_class)->finalize (object);
}

static void
dh_event_model_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  switch (prop_id)
    {
    case PROP_N_ITEMS:
      g_value_set_uint (value, get_n_items (G_LIST_MODEL (object)));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dh_event_model_class_init (DhEventModelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = dh_event_model_finalize;
  object_class->get_property = dh_event_model_get_property;

  properties[PROP_N_ITEMS] =
    g_param_spec_uint ("n-items", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
dh_event_model_init (DhEventModel *self)
{
}

DhEventModel *
dh_event_model_new (void)
{
  return g_object_new (DH_TYPE_EVENT_MODEL, NULL);
}

/**
 * dh_event_model_set_events:
 * @indices: (transfer none): guint32 event indices, in display order; the
 *   model keeps a reference and the caller must not change it afterwards
 *
 * Replaces every row at once.
 */
void
dh_event_model_set_events (DhEventModel *self,
                           DhEventStore *store,
                           GArray       *indices)
{
  guint old = get_n_items (G_LIST_MODEL (self));
  guint new;

  g_return_if_fail (DH_IS_EVENT_MODEL (self));

  if (store)
    dh_event_store_ref (store);
  g_clear_pointer (&self->store, dh_event_store_unref);
  self->store = store;
  if (indices)
    g_array_ref (indices);
  g_clear_pointer (&self->indices, g_array_unref);
  self->indices = indices;
  new = get_n_items (G_LIST_MODEL (self));

  if (old || new)
    g_list_model_items_changed (G_LIST_MODEL (self), 0, old, new);
  if (old != new)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_ITEMS]);
}

void
dh_event_model_clear (DhEventModel *self)
{
  dh_event_model_set_events (self, NULL, NULL);
}

DhEventStore *
dh_event_model_get_store (DhEventModel *self)
{
  return self->store;
}

guint32
dh_event_model_get_event_index (DhEventModel *self,
                                guint         position)
{
  g_return_val_if_fail (self->indices && position < self->indices->len, 0);
  return g_array_index (self->indices, guint32, position);
}
