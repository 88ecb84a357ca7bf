/* dh-timeline-view.c: one host's queries over time, zoomable, selectable
 *
 * snapshot() calls dh_timeline_view_render(), which calls the core's
 * dh_timeline_render_events() (the same drawing the reports use) and adds
 * the drag selection on top. The view keeps its own copy of the host's
 * event indices, in time order, so a new load can free the old statistics
 * at any time.
 *
 * Mouse: drag to select a range (the page filters the events below by it),
 * Ctrl+scroll or +/- to zoom around the pointer, scroll or arrows to pan,
 * Escape to clear the selection. Tooltips give each bucket's counts by
 * response code and the alerts in it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>

#include <glib/gi18n.h>

#include "dh-alert-item.h"
#include "dh-time.h"
#include "dh-timeline-render.h"
#include "dh-timeline-view.h"

#define MIN_SPAN_US (10 * G_USEC_PER_SEC)

struct _DhTimelineView
{
  GtkWidget     parent_instance;

  DhEventStore *store;
  DhAlertSet   *alerts;
  GPtrArray    *host_alerts;   /* const DhAlert *, of this host */
  GArray       *events;        /* guint32, in time order */
  guint32       host;
  gint64        first;         /* the host's first and last query */
  gint64        last;
  gint64        view_start;
  gint64        view_end;
  gboolean      has_selection;
  gint64        sel_start;
  gint64        sel_end;
  double        drag_x;
  double        pointer_x;     /* -1 when the pointer is elsewhere */
};

G_DEFINE_FINAL_TYPE (DhTimelineView, dh_timeline_view, GTK_TYPE_WIDGET)

enum {
  SELECTION_CHANGED,
  RANGE_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
get_layout (DhTimelineView   *self,
            DhTimelineLayout *layout)
{
  dh_timeline_layout (gtk_widget_get_width (GTK_WIDGET (self)),
                      gtk_widget_get_height (GTK_WIDGET (self)),
                      self->view_start, self->view_end, layout);
}

static void
get_fg (DhTimelineView *self,
        GdkRGBA        *fg)
{
  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  gtk_style_context_get_color (gtk_widget_get_style_context (GTK_WIDGET (self)), fg);
  G_GNUC_END_IGNORE_DEPRECATIONS
}

/**
 * dh_timeline_view_render:
 *
 * Draws the chart and the selection in a @width × @height area.
 */
void
dh_timeline_view_render (DhTimelineView *self,
                         cairo_t        *cr,
                         double          width,
                         double          height)
{
  GdkRGBA fg;

  if (self->store == NULL)
    return;
  get_fg (self, &fg);
  cairo_set_source_rgba (cr, fg.red, fg.green, fg.blue, fg.alpha);
  dh_timeline_render_events (cr, width, height, self->store,
                             (const guint32 *) self->events->data, self->events->len, self->host,
                             self->view_start, self->view_end,
                             (const DhAlert * const *) self->host_alerts->pdata,
                             self->host_alerts->len);

  if (self->has_selection)
    {
      DhTimelineLayout l;
      double x0, x1;

      dh_timeline_layout (width, height, self->view_start, self->view_end, &l);
      x0 = CLAMP (dh_timeline_time_to_x (&l, self->sel_start), l.x, l.x + l.width);
      x1 = CLAMP (dh_timeline_time_to_x (&l, self->sel_end), l.x, l.x + l.width);
      cairo_set_source_rgba (cr, 0x35 / 255., 0x84 / 255., 0xe4 / 255., 0.22);
      cairo_rectangle (cr, x0, l.y, MAX (1.0, x1 - x0), l.height);
      cairo_fill (cr);
      cairo_set_source_rgba (cr, 0x35 / 255., 0x84 / 255., 0xe4 / 255., 0.9);
      cairo_set_line_width (cr, 1.0);
      cairo_rectangle (cr, floor (x0) + 0.5, l.y + 0.5, MAX (1.0, floor (x1 - x0)), l.height - 1);
      cairo_stroke (cr);
    }
}

static void
dh_timeline_view_snapshot (GtkWidget   *widget,
                           GtkSnapshot *snapshot)
{
  DhTimelineView *self = DH_TIMELINE_VIEW (widget);
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  cairo_t *cr;

  if (self->store == NULL || width <= 0 || height <= 0)
    return;
  cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (0, 0, width, height));
  dh_timeline_view_render (self, cr, width, height);
  cairo_destroy (cr);
}

static void
dh_timeline_view_measure (GtkWidget      *widget,
                          GtkOrientation  orientation,
                          int             for_size,
                          int            *minimum,
                          int            *natural,
                          int            *minimum_baseline,
                          int            *natural_baseline)
{
  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      *minimum = 240;
      *natural = 800;
    }
  else
    {
      *minimum = 140;
      *natural = 220;
    }
}

static gboolean
dh_timeline_view_query_tooltip (GtkWidget  *widget,
                                int         x,
                                int         y,
                                gboolean    keyboard,
                                GtkTooltip *tooltip)
{
  DhTimelineView *self = DH_TIMELINE_VIEW (widget);
  DhTimelineLayout l;
  guint counts[DH_TIMELINE_N_CLASSES];
  gint64 from, to;
  g_autoptr(GString) text = g_string_new (NULL);
  char a[DH_TIME_FORMAT_SIZE], b[DH_TIME_FORMAT_SIZE];
  double bucket;
  guint total = 0;

  if (self->store == NULL)
    return FALSE;
  get_layout (self, &l);
  if (x < l.x || x > l.x + l.width)
    return FALSE;
  bucket = floor ((x - l.x) / (l.width / l.n_buckets));
  from = l.start + (gint64) (bucket * l.bucket_us);
  to = l.start + (gint64) ((bucket + 1) * l.bucket_us);
  dh_timeline_count (self->store, (const guint32 *) self->events->data, self->events->len,
                     self->host, from, to, counts);

  g_string_append_printf (text, _("%s to %s"), dh_time_format (from, a), dh_time_format (to, b));
  for (guint c = 0; c < DH_TIMELINE_N_CLASSES; c++)
    {
      total += counts[c];
      if (counts[c])
        g_string_append_printf (text, "\n%s: %u", dh_timeline_class_name (c), counts[c]);
    }
  if (total == 0)
    g_string_append_printf (text, "\n%s", _("No queries"));
  for (guint i = 0; i < self->host_alerts->len; i++)
    {
      const DhAlert *alert = self->host_alerts->pdata[i];
      const DhRule *rule;
      if (alert->last_seen < from || alert->first_seen >= to)
        continue;
      rule = dh_rule_book_get_rule (dh_alert_set_get_rule_book (self->alerts), alert->rule);
      g_string_append_printf (text, "\n%s: %s", dh_severity_label (alert->severity), rule->title);
    }
  gtk_tooltip_set_text (tooltip, text->str);   /* plain text */
  return TRUE;
}

static void
set_selection (DhTimelineView *self,
               gboolean        has,
               gint64          start,
               gint64          end)
{
  if (start > end)
    {
      gint64 t = start;
      start = end;
      end = t;
    }
  if (self->has_selection == has && (!has || (self->sel_start == start && self->sel_end == end)))
    return;
  self->has_selection = has;
  self->sel_start = start;
  self->sel_end = end;
  gtk_widget_queue_draw (GTK_WIDGET (self));
  g_signal_emit (self, signals[SELECTION_CHANGED], 0);
}

static void
drag_begin (GtkGestureDrag *gesture,
            double          x,
            double          y,
            DhTimelineView *self)
{
  if (self->store == NULL)
    {
      gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_DENIED);
      return;
    }
  gtk_widget_grab_focus (GTK_WIDGET (self));
  self->drag_x = x;
}

static void
drag_update (GtkGestureDrag *gesture,
             double          dx,
             double          dy,
             DhTimelineView *self)
{
  DhTimelineLayout l;

  if (fabs (dx) < 3)
    return;
  get_layout (self, &l);
  set_selection (self, TRUE, dh_timeline_x_to_time (&l, self->drag_x),
                 dh_timeline_x_to_time (&l, self->drag_x + dx));
}

static void
drag_end (GtkGestureDrag *gesture,
          double          dx,
          double          dy,
          DhTimelineView *self)
{
  /* a click without a drag clears the selection */
  if (fabs (dx) < 3)
    set_selection (self, FALSE, 0, 0);
}

static void
pan (DhTimelineView *self,
     double          fraction)
{
  gint64 span = self->view_end - self->view_start;
  gint64 shift = (gint64) (fraction * span);
  gint64 lo = self->first - span / 2, hi = self->last + span / 2;

  if (self->view_start + shift < lo)
    shift = lo - self->view_start;
  if (self->view_end + shift > hi)
    shift = hi - self->view_end;
  dh_timeline_view_set_range (self, self->view_start + shift, self->view_end + shift);
}

static gboolean
on_scroll (GtkEventControllerScroll *controller,
           double                    dx,
           double                    dy,
           DhTimelineView           *self)
{
  GdkModifierType mods = gtk_event_controller_get_current_event_state (GTK_EVENT_CONTROLLER (controller));

  if (self->store == NULL)
    return FALSE;
  if (mods & GDK_CONTROL_MASK)
    {
      DhTimelineLayout l;
      double anchor;

      get_layout (self, &l);
      anchor = self->pointer_x < 0 ? 0.5 : CLAMP ((self->pointer_x - l.x) / l.width, 0.0, 1.0);
      dh_timeline_view_zoom (self, dy > 0 ? 1.25 : 0.8, anchor);
      return TRUE;
    }
  if (dx != 0 || dy != 0)
    {
      pan (self, (dx != 0 ? dx : dy) * 0.1);
      return TRUE;
    }
  return FALSE;
}

static void
on_motion (GtkEventControllerMotion *motion,
           double                    x,
           double                    y,
           DhTimelineView           *self)
{
  self->pointer_x = x;
}

static void
on_leave (GtkEventControllerMotion *motion,
          DhTimelineView           *self)
{
  self->pointer_x = -1;
}

static gboolean
on_key (GtkEventControllerKey *controller,
        guint                  keyval,
        guint                  keycode,
        GdkModifierType        state,
        DhTimelineView        *self)
{
  switch (keyval)
    {
    case GDK_KEY_plus:
    case GDK_KEY_KP_Add:
    case GDK_KEY_equal:
      dh_timeline_view_zoom (self, 0.5, 0.5);
      return TRUE;
    case GDK_KEY_minus:
    case GDK_KEY_KP_Subtract:
      dh_timeline_view_zoom (self, 2.0, 0.5);
      return TRUE;
    case GDK_KEY_0:
    case GDK_KEY_Home:
      dh_timeline_view_zoom_to_fit (self);
      return TRUE;
    case GDK_KEY_Left:
      pan (self, -0.2);
      return TRUE;
    case GDK_KEY_Right:
      pan (self, 0.2);
      return TRUE;
    case GDK_KEY_Escape:
      if (!self->has_selection)
        return FALSE;
      set_selection (self, FALSE, 0, 0);
      return TRUE;
    default:
      return FALSE;
    }
}

static void
dh_timeline_view_finalize (GObject *object)
{
  DhTimelineView *self = DH_TIMELINE_VIEW (object);

  g_clear_pointer (&self->store, dh_event_store_unref);
  g_clear_pointer (&self->alerts, dh_alert_set_unref);
  g_ptr_array_unref (self->host_alerts);
  g_array_unref (self->events);
  G_OBJECT_CLASS (dh_timeline_view_parent_class)->finalize (object);
}

static void
dh_timeline_view_class_init (DhTimelineViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->finalize = dh_timeline_view_finalize;
  widget_class->snapshot = dh_timeline_view_snapshot;
  widget_class->measure = dh_timeline_view_measure;
  widget_class->query_tooltip = dh_timeline_view_query_tooltip;

  /**
   * DhTimelineView::selection-changed:
   *
   * The user selected a range, or cleared it.
   */
  signals[SELECTION_CHANGED] =
    g_signal_new ("selection-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 0);
  signals[RANGE_CHANGED] =
    g_signal_new ("range-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_css_name (widget_class, "dh-timeline");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
dh_timeline_view_init (DhTimelineView *self)
{
  GtkGesture *drag = gtk_gesture_drag_new ();
  GtkEventController *scroll =
    gtk_event_controller_scroll_new (GTK_EVENT_CONTROLLER_SCROLL_BOTH_AXES |
                                     GTK_EVENT_CONTROLLER_SCROLL_DISCRETE);
  GtkEventController *keys = gtk_event_controller_key_new ();
  GtkEventController *motion = gtk_event_controller_motion_new ();

  self->pointer_x = -1;
  self->events = g_array_new (FALSE, FALSE, sizeof (guint32));
  self->host_alerts = g_ptr_array_new ();

  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (drag), GDK_BUTTON_PRIMARY);
  g_signal_connect (drag, "drag-begin", G_CALLBACK (drag_begin), self);
  g_signal_connect (drag, "drag-update", G_CALLBACK (drag_update), self);
  g_signal_connect (drag, "drag-end", G_CALLBACK (drag_end), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (drag));
  g_signal_connect (scroll, "scroll", G_CALLBACK (on_scroll), self);
  gtk_widget_add_controller (GTK_WIDGET (self), scroll);
  g_signal_connect (keys, "key-pressed", G_CALLBACK (on_key), self);
  gtk_widget_add_controller (GTK_WIDGET (self), keys);
  g_signal_connect (motion, "motion", G_CALLBACK (on_motion), self);
  g_signal_connect (motion, "leave", G_CALLBACK (on_leave), self);
  gtk_widget_add_controller (GTK_WIDGET (self), motion);

  gtk_widget_set_focusable (GTK_WIDGET (self), TRUE);
  gtk_widget_set_has_tooltip (GTK_WIDGET (self), TRUE);
}

GtkWidget *
dh_timeline_view_new (void)
{
  return g_object_new (DH_TYPE_TIMELINE_VIEW, NULL);
}

/**
 * dh_timeline_view_set_host:
 * @events: (array length=n_events): the host's event indices in time order;
 *   copied
 * @alerts: (nullable): the alerts; those of @host are drawn as bands
 *
 * Shows @host, zoomed to fit, with no selection.
 */
void
dh_timeline_view_set_host (DhTimelineView *self,
                           DhEventStore   *store,
                           guint32         host,
                           const guint32  *events,
                           guint           n_events,
                           DhAlertSet     *alerts)
{
  const DhEvent *all = dh_event_store_get_events (store);

  dh_event_store_ref (store);
  g_clear_pointer (&self->store, dh_event_store_unref);
  self->store = store;
  if (alerts)
    dh_alert_set_ref (alerts);
  g_clear_pointer (&self->alerts, dh_alert_set_unref);
  self->alerts = alerts;
  self->host = host;
  g_array_set_size (self->events, 0);
  g_array_append_vals (self->events, events, n_events);
  g_ptr_array_set_size (self->host_alerts, 0);
  for (guint i = 0; alerts && i < dh_alert_set_get_n_alerts (alerts); i++)
    {
      const DhAlert *a = dh_alert_set_get_alert (alerts, i);
      if (a->host == host)
        g_ptr_array_add (self->host_alerts, (gpointer) a);
    }
  self->first = n_events ? all[events[0]].time : 0;
  self->last = n_events ? all[events[n_events - 1]].time : 0;
  self->has_selection = FALSE;
  dh_timeline_view_zoom_to_fit (self);
  /* no selection-changed: the caller is showing a new host anyway */
}

/**
 * dh_timeline_view_set_alerts:
 * @alerts: (nullable): a new analysis of the same store
 *
 * Redraws the alert bands, keeping the host, the zoom and the selection.
 */
void
dh_timeline_view_set_alerts (DhTimelineView *self,
                             DhAlertSet     *alerts)
{
  if (alerts)
    dh_alert_set_ref (alerts);
  g_clear_pointer (&self->alerts, dh_alert_set_unref);
  self->alerts = alerts;
  g_ptr_array_set_size (self->host_alerts, 0);
  for (guint i = 0; alerts && i < dh_alert_set_get_n_alerts (alerts); i++)
    {
      const DhAlert *a = dh_alert_set_get_alert (alerts, i);
      if (a->host == self->host)
        g_ptr_array_add (self->host_alerts, (gpointer) a);
    }
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

/**
 * dh_timeline_view_clear:
 *
 * Shows nothing.
 */
void
dh_timeline_view_clear (DhTimelineView *self)
{
  g_clear_pointer (&self->store, dh_event_store_unref);
  g_clear_pointer (&self->alerts, dh_alert_set_unref);
  g_array_set_size (self->events, 0);
  g_ptr_array_set_size (self->host_alerts, 0);
  self->has_selection = FALSE;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
dh_timeline_view_set_range (DhTimelineView *self,
                            gint64          start,
                            gint64          end)
{
  if (end - start < MIN_SPAN_US)
    {
      gint64 mid = start / 2 + end / 2;
      start = mid - MIN_SPAN_US / 2;
      end = mid + MIN_SPAN_US / 2;
    }
  if (self->view_start == start && self->view_end == end)
    return;
  self->view_start = start;
  self->view_end = end;
  gtk_widget_queue_draw (GTK_WIDGET (self));
  g_signal_emit (self, signals[RANGE_CHANGED], 0);
}

void
dh_timeline_view_get_range (DhTimelineView *self,
                            gint64         *start,
                            gint64         *end)
{
  *start = self->view_start;
  *end = self->view_end;
}

/**
 * dh_timeline_view_zoom:
 * @factor: below 1 zooms in, above 1 zooms out
 * @anchor: the point that stays put, 0 (left) to 1 (right)
 */
void
dh_timeline_view_zoom (DhTimelineView *self,
                       double          factor,
                       double          anchor)
{
  gint64 span = self->view_end - self->view_start;
  gint64 full = MAX (MIN_SPAN_US, (self->last - self->first) * 21 / 20);
  gint64 new_span = CLAMP ((gint64) (span * factor), MIN_SPAN_US, full * 2);
  gint64 pivot = self->view_start + (gint64) (anchor * span);

  dh_timeline_view_set_range (self, pivot - (gint64) (anchor * new_span),
                              pivot - (gint64) (anchor * new_span) + new_span);
}

void
dh_timeline_view_zoom_to_fit (DhTimelineView *self)
{
  gint64 pad = MAX ((self->last - self->first) / 40, G_USEC_PER_SEC);

  dh_timeline_view_set_range (self, self->first - pad, self->last + pad);
}

/**
 * dh_timeline_view_get_selection:
 *
 * Returns: whether a range is selected
 */
gboolean
dh_timeline_view_get_selection (DhTimelineView *self,
                                gint64         *start,
                                gint64         *end)
{
  *start = self->sel_start;
  *end = self->sel_end;
  return self->has_selection;
}

void
dh_timeline_view_set_selection (DhTimelineView *self,
                                gint64          start,
                                gint64          end)
{
  set_selection (self, TRUE, start, end);
}

void
dh_timeline_view_clear_selection (DhTimelineView *self)
{
  set_selection (self, FALSE, 0, 0);
}
