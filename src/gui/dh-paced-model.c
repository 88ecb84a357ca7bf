/* dh-paced-model.c: a list model that hands a view a new list's first rows in steps
 *
 * GTK 4.8's list and column views make the widgets of up to two hundred
 * rows as soon as the rows arrive: a table of eight or nine cells a row
 * then blocks the main loop for tens of milliseconds. Between a view and
 * its model, this model passes every change through, except when a change
 * replaces every row it shows (a new list): then it shows the new list's
 * first rows a step at a time, one step per main loop iteration, so GTK
 * builds their widgets in short steps with drawing and input in between.
 * Past the few hundred rows GTK ever builds at once, the rest arrives in one
 * change, however long it is.
 *
 * A step per iteration rather than per frame: a frame clock tick adds the
 * rows in the very frame that lays them out and draws them, one longer
 * burst; the window benchmark stalled more that way.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "dh-paced-model.h"

/* a few milliseconds of row widgets in an eight- or nine-column table */
#define STEP 24
#define LIMIT 240
/* below the pages' rebuilds (dh-page.c), so that a step never runs in the
 * same main loop iteration as one */
#define PRIORITY (G_PRIORITY_DEFAULT_IDLE + 10)

struct _DhPacedModel
{
  GObject     parent_instance;
  GListModel *model;
  guint       n_items;     /* the model's first rows, the ones shown */
  guint       allowance;   /* how many may be shown now; G_MAXUINT: all */
  guint       step_id;
};

static void list_model_iface_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (DhPacedModel, dh_paced_model, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, list_model_iface_init))

static GType
get_item_type (GListModel *model)
{
  return g_list_model_get_item_type (DH_PACED_MODEL (model)->model);
}

static guint
get_n_items (GListModel *model)
{
  return DH_PACED_MODEL (model)->n_items;
}

static gpointer
get_item (GListModel *model,
          guint       position)
{
  DhPacedModel *self = DH_PACED_MODEL (model);

  if (position >= self->n_items)
    return NULL;
  return g_list_model_get_item (self->model, position);
}

static void
list_model_iface_init (GListModelInterface *iface)
{
  iface->get_item_type = get_item_type;
  iface->get_n_items = get_n_items;
  iface->get_item = get_item;
}

/* Shows as much of the model as the allowance lets: @old rows were shown,
 * and those from @from on may have changed. */
static void
publish (DhPacedModel *self,
         guint         from,
         guint         old)
{
  guint n = g_list_model_get_n_items (self->model);

  self->n_items = MIN (n, self->allowance);
  if (self->n_items == n)
    {
      self->allowance = G_MAXUINT;
      g_clear_handle_id (&self->step_id, g_source_remove);
    }
  from = MIN (from, old);
  if (from < old || from < self->n_items)
    g_list_model_items_changed (G_LIST_MODEL (self), from, old - from, self->n_items - from);
}

static gboolean
step (gpointer data)
{
  DhPacedModel *self = data;
  guint old = self->n_items;
  guint n = g_list_model_get_n_items (self->model);

  self->allowance = self->allowance >= LIMIT - STEP ? G_MAXUINT : self->allowance + STEP;
  self->n_items = MIN (n, self->allowance);
  if (self->n_items < n)
    {
      g_list_model_items_changed (G_LIST_MODEL (self), old, 0, self->n_items - old);
      return G_SOURCE_CONTINUE;
    }
  self->allowance = G_MAXUINT;
  self->step_id = 0;
  if (self->n_items > old)
    g_list_model_items_changed (G_LIST_MODEL (self), old, 0, self->n_items - old);
  return G_SOURCE_REMOVE;
}

static void
on_items_changed (GListModel   *model,
                  guint         position,
                  guint         removed,
                  guint         added,
                  DhPacedModel *self)
{
  guint old = self->n_items;

  if (position == 0 && removed >= old && added > STEP)
    {
      /* a new list: its first rows a step at a time */
      self->allowance = STEP;
      if (self->step_id == 0)
        self->step_id = g_idle_add_full (PRIORITY, step, self, NULL);
    }
  if (self->allowance == G_MAXUINT)
    {
      self->n_items = g_list_model_get_n_items (model);
      g_list_model_items_changed (G_LIST_MODEL (self), position, removed, added);
      return;
    }
  publish (self, position, old);
}

static void
dh_paced_model_finalize (GObject *object)
{
  DhPacedModel *self = DH_PACED_MODEL (object);

  g_clear_handle_id (&self->step_id, g_source_remove);
  g_signal_handlers_disconnect_by_func (self->model, on_items_changed, self);
  g_clear_object (&self->model);
  G_OBJECT_CLASS (dh_paced_model_parent_class)->finalize (object);
}

static void
dh_paced_model_class_init (DhPacedModelClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = dh_paced_model_finalize;
}

static void
dh_paced_model_init (DhPacedModel *self)
{
  self->allowance = G_MAXUINT;
}

/**
 * dh_paced_model_new:
 * @model: (transfer none): the rows, for a list or column view
 *
 * Returns: (transfer full): a model with @model's rows
 */
DhPacedModel *
dh_paced_model_new (GListModel *model)
{
  DhPacedModel *self;

  g_return_val_if_fail (G_IS_LIST_MODEL (model), NULL);

  self = g_object_new (DH_TYPE_PACED_MODEL, NULL);
  self->model = g_object_ref (model);
  self->n_items = g_list_model_get_n_items (model);
  g_signal_connect (model, "items-changed", G_CALLBACK (on_items_changed), self);
  return self;
}
