/* dh-page.c: a view of the window, following one investigation
 *
 * The window binds each page's "investigation" to its own in dh-window.ui;
 * a page follows the investigation's signals through a GSignalGroup, so a
 * new one (or none) takes them over in one step, and disposing the page
 * lets them go.
 *
 * A page's costly refresh (building hundreds of rows) is deferred with
 * dh_page_queue_rebuild(). Every waiting page shares one idle (at
 * G_PRIORITY_DEFAULT_IDLE; a DhPacedModel's steps wait below it) that
 * rebuilds one page per main loop iteration, the page on screen first:
 * after a load several pages ask at once, and GLib dispatches every ready
 * source of one priority in the same iteration, so separate idles would
 * block the loop for all of them together.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "dh-page.h"

typedef struct
{
  DhInvestigation *investigation;
  GSignalGroup    *signals;
  GList           *queued;        /* its link in rebuild_queue, or NULL */
} DhPagePrivate;

G_DEFINE_TYPE_WITH_PRIVATE (DhPage, dh_page, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_INVESTIGATION,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* The pages waiting for their rebuild, in the order they asked. */
static GQueue rebuild_queue = G_QUEUE_INIT;
static guint rebuild_id;

static void
unlink_queued (DhPage *self)
{
  DhPagePrivate *priv = dh_page_get_instance_private (self);

  g_queue_delete_link (&rebuild_queue, g_steal_pointer (&priv->queued));
}

static void
unqueue (DhPage *self)
{
  DhPagePrivate *priv = dh_page_get_instance_private (self);

  if (priv->queued == NULL)
    return;
  unlink_queued (self);
  if (g_queue_is_empty (&rebuild_queue))
    g_clear_handle_id (&rebuild_id, g_source_remove);
}

static gboolean
rebuild_next (gpointer data)
{
  DhPage *next = rebuild_queue.head->data;
  g_autoptr(DhPage) page = NULL;

  for (GList *l = rebuild_queue.head; l; l = l->next)
    if (gtk_widget_get_mapped (l->data))
      {
        next = l->data;
        break;
      }
  page = g_object_ref (next);
  unlink_queued (page);
  DH_PAGE_GET_CLASS (page)->rebuild (page);
  if (!g_queue_is_empty (&rebuild_queue))
    return G_SOURCE_CONTINUE;
  rebuild_id = 0;
  return G_SOURCE_REMOVE;
}

/**
 * dh_page_queue_rebuild:
 *
 * Rebuilds the page (#DhPageClass.rebuild) in a later main loop iteration of
 * its own, below redrawing; asking again before then changes nothing.
 */
void
dh_page_queue_rebuild (DhPage *self)
{
  DhPagePrivate *priv = dh_page_get_instance_private (self);

  g_return_if_fail (DH_IS_PAGE (self));
  g_return_if_fail (DH_PAGE_GET_CLASS (self)->rebuild != NULL);

  if (priv->queued)
    return;
  g_queue_push_tail (&rebuild_queue, self);
  priv->queued = rebuild_queue.tail;
  if (rebuild_id == 0)
    rebuild_id = g_idle_add_full (G_PRIORITY_DEFAULT_IDLE, rebuild_next, NULL, NULL);
}

static void
on_data_changed (DhPage *self)
{
  if (DH_PAGE_GET_CLASS (self)->data_changed)
    DH_PAGE_GET_CLASS (self)->data_changed (self);
}

static void
on_alerts_changed (DhPage *self)
{
  if (DH_PAGE_GET_CLASS (self)->alerts_changed)
    DH_PAGE_GET_CLASS (self)->alerts_changed (self);
}

static void
dh_page_real_investigation_changed (DhPage *self)
{
  if (DH_PAGE_GET_CLASS (self)->rebuild)
    DH_PAGE_GET_CLASS (self)->rebuild (self);
}

static void
dh_page_dispose (GObject *object)
{
  DhPage *self = DH_PAGE (object);
  DhPagePrivate *priv = dh_page_get_instance_private (self);

  unqueue (self);
  g_signal_group_set_target (priv->signals, NULL);
  g_clear_object (&priv->investigation);
  /* The page's template (a page is a final type with one) goes here, for
   * every page. The bin lets go of its child first: the template would
   * unparent it behind the bin's back when it is a bound child. */
  adw_bin_set_child (ADW_BIN (self), NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), G_OBJECT_TYPE (self));
  G_OBJECT_CLASS (dh_page_parent_class)->dispose (object);
}

static void
dh_page_finalize (GObject *object)
{
  DhPage *self = DH_PAGE (object);
  DhPagePrivate *priv = dh_page_get_instance_private (self);

  g_clear_object (&priv->signals);
  G_OBJECT_CLASS (dh_page_parent_class)->finalize (object);
}

static void
dh_page_get_property (GObject    *object,
                      guint       prop_id,
                      GValue     *value,
                      GParamSpec *pspec)
{
  switch (prop_id)
    {
    case PROP_INVESTIGATION:
      g_value_set_object (value, dh_page_get_investigation (DH_PAGE (object)));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dh_page_set_property (GObject      *object,
                      guint         prop_id,
                      const GValue *value,
                      GParamSpec   *pspec)
{
  switch (prop_id)
    {
    case PROP_INVESTIGATION:
      dh_page_set_investigation (DH_PAGE (object), g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dh_page_class_init (DhPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = dh_page_dispose;
  object_class->finalize = dh_page_finalize;
  object_class->get_property = dh_page_get_property;
  object_class->set_property = dh_page_set_property;
  klass->investigation_changed = dh_page_real_investigation_changed;

  /**
   * DhPage:investigation:
   *
   * What the page shows; the window binds it to its own.
   */
  properties[PROP_INVESTIGATION] =
    g_param_spec_object ("investigation", NULL, NULL, DH_TYPE_INVESTIGATION,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
dh_page_init (DhPage *self)
{
  DhPagePrivate *priv = dh_page_get_instance_private (self);

  priv->signals = g_signal_group_new (DH_TYPE_INVESTIGATION);
  g_signal_group_connect_swapped (priv->signals, "data-changed",
                                  G_CALLBACK (on_data_changed), self);
  g_signal_group_connect_swapped (priv->signals, "alerts-changed",
                                  G_CALLBACK (on_alerts_changed), self);
}

/**
 * dh_page_get_investigation:
 *
 * Returns: (transfer none) (nullable): what the page shows
 */
DhInvestigation *
dh_page_get_investigation (DhPage *self)
{
  DhPagePrivate *priv = dh_page_get_instance_private (self);

  g_return_val_if_fail (DH_IS_PAGE (self), NULL);
  return priv->investigation;
}

/**
 * dh_page_set_investigation:
 * @investigation: (nullable): what to show from now on
 *
 * Follows @investigation and shows it at once (#DhPageClass.investigation_changed).
 * Without one the page stops following and keeps what it showed.
 */
void
dh_page_set_investigation (DhPage          *self,
                           DhInvestigation *investigation)
{
  DhPagePrivate *priv = dh_page_get_instance_private (self);

  g_return_if_fail (DH_IS_PAGE (self));
  g_return_if_fail (investigation == NULL || DH_IS_INVESTIGATION (investigation));

  if (!g_set_object (&priv->investigation, investigation))
    return;
  g_signal_group_set_target (priv->signals, investigation);
  unqueue (self);   /* what it waited for is shown now, or moot */
  if (investigation)
    DH_PAGE_GET_CLASS (self)->investigation_changed (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_INVESTIGATION]);
}

/**
 * dh_page_focus_search:
 *
 * Returns: whether the page has a search, now focused
 */
gboolean
dh_page_focus_search (DhPage *self)
{
  g_return_val_if_fail (DH_IS_PAGE (self), FALSE);

  return DH_PAGE_GET_CLASS (self)->focus_search && DH_PAGE_GET_CLASS (self)->focus_search (self);
}
