/* dh-event-model.c: a lazy list model over events of a store
 *
 * The model is an array of event indices (guint32, 4 bytes a row); item
 * objects exist only while a row asks for one, so a million rows cost 4 MB
 * and the list view makes objects just for what is on screen. Filtering is
 * done by the caller off the main thread (dh_event_filter_run()), and the
 * result arrives here as one new array.
 *
 * Replacing the rows is where GTK 4.8 would stall: after an items-changed it
 * looks up every added item to find rows whose widgets it can keep, and it
 * destroys and rebuilds the widgets of every row it cannot (a few hundred
 * rows of eight cells). So items are reused by position: while a row holds
 * the item of a position, the model keeps that object, and a new array
 * points it at the position's new event (its "index" notifies and the cells
 * rebind their text). The change is then announced in parts around those
 * rows: GTK finds the same items where they were and keeps their widgets,
 * and the parts without widgets cost it nothing however long they are. When
 * the new array is too short to reach the rows on screen, those items move
 * to the top.
 *
 * A view shows the model through a DhPacedModel, which hands GTK the first
 * rows of a new list in steps.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "dh-event-item.h"
#include "dh-event-model.h"

typedef struct _Live Live;

struct _DhEventModel
{
  GObject       parent_instance;
  DhEventStore *store;
  GArray       *indices;
  guint         n_published;  /* what get_n_items says, while a change is told in parts */
  GHashTable   *live;         /* position -> Live *, the items rows hold */
};

/* Owned by the item (freed when it is): its model and current position. */
struct _Live
{
  DhEventModel *model;        /* weak */
  DhEventItem  *item;
  guint         position;
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
  return DH_EVENT_MODEL (model)->n_published;
}

static void
item_gone (gpointer  data,
           GObject  *where_the_object_was)
{
  Live *live = data;

  if (live->model)
    {
      if (g_hash_table_lookup (live->model->live, GUINT_TO_POINTER (live->position)) == live)
        g_hash_table_remove (live->model->live, GUINT_TO_POINTER (live->position));
      g_object_remove_weak_pointer (G_OBJECT (live->model), (gpointer *) &live->model);
    }
  g_free (live);
}

static gpointer
get_item (GListModel *model,
          guint       position)
{
  DhEventModel *self = DH_EVENT_MODEL (model);
  guint32 index;
  Live *live;

  if (self->indices == NULL || position >= self->n_published)
    return NULL;
  index = g_array_index (self->indices, guint32, position);

  live = g_hash_table_lookup (self->live, GUINT_TO_POINTER (position));
  if (live)
    {
      dh_event_item_set_event (live->item, self->store, index);
      return g_object_ref (live->item);
    }

  live = g_new0 (Live, 1);
  live->model = self;
  live->position = position;
  live->item = dh_event_item_new (self->store, index);
  g_object_add_weak_pointer (G_OBJECT (self), (gpointer *) &live->model);
  g_object_weak_ref (G_OBJECT (live->item), item_gone, live);
  g_hash_table_insert (self->live, GUINT_TO_POINTER (position), live);
  return live->item;
}

static void
list_model_iface_init (GListModelInterface *iface)
{
  iface->get_item_type = get_item_type;
  iface->get_n_items = get_n_items;
  iface->get_item = get_item;
}

static void
forget_live (DhEventModel *self)
{
  GHashTableIter iter;
  gpointer value;

  g_hash_table_iter_init (&iter, self->live);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      Live *live = value;
      g_object_remove_weak_pointer (G_OBJECT (self), (gpointer *) &live->model);
      live->model = NULL;
    }
  g_hash_table_remove_all (self->live);
}

static void
dh_event_model_finalize (GObject *object)
{
  DhEventModel *self = DH_EVENT_MODEL (object);

  forget_live (self);
  g_clear_pointer (&self->live, g_hash_table_unref);
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
  self->live = g_hash_table_new (NULL, NULL);
}

DhEventModel *
dh_event_model_new (void)
{
  return g_object_new (DH_TYPE_EVENT_MODEL, NULL);
}

/* Moves the live items from positions [lo, lo + n) to [to, to + n) and
 * drops the others; points every kept one at its new event. */
static void
rekey_live (DhEventModel *self,
            guint         lo,
            guint         to,
            guint         n)
{
  g_autoptr(GPtrArray) all = g_ptr_array_new ();
  GHashTableIter iter;
  gpointer value;

  g_hash_table_iter_init (&iter, self->live);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    g_ptr_array_add (all, value);
  g_hash_table_remove_all (self->live);

  for (guint i = 0; i < all->len; i++)
    {
      Live *live = all->pdata[i];

      if (live->position >= lo && live->position - lo < n)
        {
          live->position = to + (live->position - lo);
          g_hash_table_insert (self->live, GUINT_TO_POINTER (live->position), live);
          dh_event_item_set_event (live->item, self->store,
                                   g_array_index (self->indices, guint32, live->position));
        }
      else
        {
          /* its row goes away with this change; the item is on its own */
          g_object_remove_weak_pointer (G_OBJECT (self), (gpointer *) &live->model);
          live->model = NULL;
        }
    }
}

static int
compare_uint (gconstpointer a,
              gconstpointer b)
{
  guint x = *(const guint *) a, y = *(const guint *) b;

  return x < y ? -1 : x > y;
}

/* The rows on screen: the biggest run of live positions. A list view also
 * keeps a lone item or two elsewhere (the focus row, say), which must not
 * stretch the range. */
static void
find_live_range (DhEventModel *self,
                 guint        *lo,
                 guint        *hi)
{
  g_autoptr(GArray) keys = g_array_new (FALSE, FALSE, sizeof (guint));
  GHashTableIter iter;
  gpointer key;
  guint best_start = 0, best_len = 0, start = 0;

  *lo = G_MAXUINT;
  *hi = 0;
  g_hash_table_iter_init (&iter, self->live);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    {
      guint k = GPOINTER_TO_UINT (key);
      g_array_append_val (keys, k);
    }
  if (keys->len == 0)
    return;
  g_array_sort (keys, compare_uint);
  for (guint i = 1; i <= keys->len; i++)
    if (i == keys->len ||
        g_array_index (keys, guint, i) - g_array_index (keys, guint, i - 1) > 16)
      {
        if (i - start > best_len)
          {
            best_start = start;
            best_len = i - start;
          }
        start = i;
      }
  *lo = g_array_index (keys, guint, best_start);
  *hi = g_array_index (keys, guint, best_start + best_len - 1);
}

/* Announces that every row changed (see the top of the file). */
static void
emit_changes (DhEventModel *self,
              guint         old,
              guint         new)
{
  guint lo, hi;

  find_live_range (self, &lo, &hi);

  if (lo == G_MAXUINT || new == 0 || hi >= old)
    {
      forget_live (self);
      self->n_published = new;
      if (old || new)
        g_list_model_items_changed (G_LIST_MODEL (self), 0, old, new);
      return;
    }

  if (lo < new)
    {
      /* the rows on screen keep their positions */
      guint end = MIN (hi + 1, new);

      rekey_live (self, lo, lo, end - lo);
      self->n_published = new;
      if (old > end || new > end)
        g_list_model_items_changed (G_LIST_MODEL (self), end, old - end, new - end);
      g_list_model_items_changed (G_LIST_MODEL (self), lo, end - lo, end - lo);
      if (lo > 0)
        g_list_model_items_changed (G_LIST_MODEL (self), 0, lo, lo);
    }
  else
    {
      /* too short to reach them: the rows' items become the first ones */
      guint n = MIN (hi - lo + 1, new);

      rekey_live (self, lo, 0, n);
      self->n_published = n;
      g_list_model_items_changed (G_LIST_MODEL (self), 0, old, n);
      self->n_published = new;
      if (new > n)
        g_list_model_items_changed (G_LIST_MODEL (self), n, 0, new - n);
    }
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
  guint old = self->n_published;
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
  new = indices && store ? indices->len : 0;

  emit_changes (self, old, new);
  if (old != self->n_published)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_ITEMS]);
}

/**
 * dh_event_model_get_n_events:
 *
 * Returns: how many events the model holds
 */
guint
dh_event_model_get_n_events (DhEventModel *self)
{
  return self->indices && self->store ? self->indices->len : 0;
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
