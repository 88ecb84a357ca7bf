/* dh-events-page.c: every event, filtered
 *
 * The table is a DhEventModel (a lazy model over an index array). A filter
 * change is debounced, then dh_event_filter_run() runs in a worker over the
 * events in time order, and the result replaces the model's array in one
 * items-changed: a million rows never pass through the main loop one by one.
 * A newer filter cancels an older run. With no filter, the rows are the
 * investigation's time order itself, shared, with no worker.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "dh-event-columns.h"
#include "dh-event-model.h"
#include "dh-events-page.h"
#include "dh-paced-model.h"
#include "dh-time.h"

#define DEBOUNCE_MS 200

struct _DhEventsPage
{
  DhPage           parent_instance;

  GtkEntry        *host_entry;
  GtkSearchEntry  *name_entry;
  GtkDropDown     *qtype_dropdown;
  GtkStringList   *qtype_model;
  GtkDropDown     *rcode_dropdown;
  GtkStringList   *rcode_model;
  GtkEntry        *from_entry;
  GtkEntry        *to_entry;
  GtkButton       *clear_button;
  GtkLabel        *count_label;
  GtkSpinner      *spinner;
  GtkColumnView   *events_view;

  DhEventModel    *model;
  GArray          *order;        /* guint32, every event in time order (shared) */
  DhEventStore    *store;
  GCancellable    *cancellable;
  guint            debounce_id;
  gboolean         setting;
  GArray          *pending;      /* a result that waits for the page to be shown */
};

G_DEFINE_FINAL_TYPE (DhEventsPage, dh_events_page, DH_TYPE_PAGE)

typedef struct
{
  DhEventFilter *filter;
  DhEventStore  *store;
  GArray        *order;
} FilterData;

static void
filter_data_free (gpointer data)
{
  FilterData *d = data;

  dh_event_filter_free (d->filter);
  dh_event_store_unref (d->store);
  g_array_unref (d->order);
  g_free (d);
}

static void
filter_thread (GTask        *task,
               gpointer      source,
               gpointer      task_data,
               GCancellable *cancellable)
{
  FilterData *d = task_data;
  GArray *out = dh_event_filter_run (d->filter, d->store, (const guint32 *) d->order->data,
                                     d->order->len, cancellable);

  if (out == NULL)
    g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED, "cancelled");
  else
    g_task_return_pointer (task, out, (GDestroyNotify) g_array_unref);
}

static void
update_count (DhEventsPage *self)
{
  guint shown = self->pending ? self->pending->len : dh_event_model_get_n_events (self->model);
  guint total = self->order ? self->order->len : 0;
  g_autofree char *text = g_strdup_printf (ngettext ("%u of %u event", "%u of %u events", total),
                                           shown, total);

  gtk_label_set_text (self->count_label, text);
}

static void
show_result (DhEventsPage *self,
             GArray       *out)
{
  g_clear_pointer (&self->pending, g_array_unref);
  /* filling the table costs the main loop: not for a page nobody sees */
  if (gtk_widget_get_mapped (GTK_WIDGET (self)))
    dh_event_model_set_events (self->model, self->store, out);
  else
    self->pending = g_array_ref (out);
  update_count (self);
}

static void
filter_done (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  DhEventsPage *self = DH_EVENTS_PAGE (source);
  FilterData *d = g_task_get_task_data (G_TASK (result));
  g_autoptr(GArray) out = g_task_propagate_pointer (G_TASK (result), NULL);

  if (g_task_get_cancellable (G_TASK (result)) != self->cancellable)
    return;   /* a newer run took over */
  g_clear_object (&self->cancellable);
  gtk_spinner_stop (self->spinner);
  if (out == NULL || d->store != self->store)
    return;
  show_result (self, out);
}

static void
on_map (DhEventsPage *self)
{
  if (self->pending && self->store)
    {
      g_autoptr(GArray) pending = g_steal_pointer (&self->pending);
      dh_event_model_set_events (self->model, self->store, pending);
      update_count (self);
    }
}

static gboolean
parse_time_entry (GtkEntry *entry,
                  gint64   *out,
                  gint64    fallback)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (entry));
  g_autofree char *clean = g_strstrip (g_strdup (text));

  *out = fallback;
  gtk_widget_remove_css_class (GTK_WIDGET (entry), "error");
  if (*clean == 0)
    return TRUE;
  if (dh_time_parse_iso8601 (clean, strlen (clean), out))
    return TRUE;
  gtk_widget_add_css_class (GTK_WIDGET (entry), "error");
  return FALSE;
}

static const char *
dropdown_value (GtkDropDown *dropdown)
{
  guint i = gtk_drop_down_get_selected (dropdown);
  GtkStringObject *obj;

  if (i == 0 || i == GTK_INVALID_LIST_POSITION)
    return NULL;
  obj = gtk_drop_down_get_selected_item (dropdown);
  return obj ? gtk_string_object_get_string (obj) : NULL;
}

static void
run_filter (DhEventsPage *self)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(DhEventFilter) filter = NULL;
  FilterData *d;
  gint64 start, end;

  g_clear_handle_id (&self->debounce_id, g_source_remove);
  if (self->cancellable)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  gtk_spinner_stop (self->spinner);
  if (self->store == NULL || self->order == NULL)
    {
      dh_event_model_clear (self->model);
      update_count (self);
      return;
    }

  filter = dh_event_filter_new ();
  dh_event_filter_set_host (filter, gtk_editable_get_text (GTK_EDITABLE (self->host_entry)));
  dh_event_filter_set_name (filter, gtk_editable_get_text (GTK_EDITABLE (self->name_entry)));
  dh_event_filter_set_qtype (filter, dropdown_value (self->qtype_dropdown));
  dh_event_filter_set_rcode (filter, dropdown_value (self->rcode_dropdown));
  parse_time_entry (self->from_entry, &start, G_MININT64);
  parse_time_entry (self->to_entry, &end, G_MAXINT64);
  dh_event_filter_set_range (filter, start, end);
  if (dh_event_filter_is_empty (filter))
    {
      /* Every event in time order is the investigation's own array: no pass
       * over millions of events and no copy of them, which would run right
       * when a load hands over. */
      show_result (self, self->order);
      return;
    }

  d = g_new0 (FilterData, 1);
  d->filter = g_steal_pointer (&filter);
  d->store = dh_event_store_ref (self->store);
  d->order = g_array_ref (self->order);
  self->cancellable = g_cancellable_new ();
  task = g_task_new (self, self->cancellable, filter_done, NULL);
  g_task_set_source_tag (task, run_filter);
  g_task_set_task_data (task, d, filter_data_free);
  gtk_spinner_start (self->spinner);
  g_task_run_in_thread (task, filter_thread);
}

static gboolean
debounced (gpointer data)
{
  DhEventsPage *self = data;

  self->debounce_id = 0;
  run_filter (self);
  return G_SOURCE_REMOVE;
}

static void
schedule_filter (DhEventsPage *self)
{
  if (self->setting)
    return;
  g_clear_handle_id (&self->debounce_id, g_source_remove);
  self->debounce_id = g_timeout_add (DEBOUNCE_MS, debounced, self);
}

static void
fill_dropdown (GtkStringList *model,
               const char    *any,
               DhEventStore  *store,
               DhAtomKind     kind,
               const DhCount *counts,
               guint          n)
{
  g_autoptr(GPtrArray) items = g_ptr_array_new ();

  g_ptr_array_add (items, (gpointer) any);
  for (guint i = 0; i < n; i++)
    {
      const char *text = dh_event_store_get_atom (store, kind, counts[i].id);
      if (*text)
        g_ptr_array_add (items, (gpointer) text);
    }
  g_ptr_array_add (items, NULL);
  gtk_string_list_splice (model, 0, g_list_model_get_n_items (G_LIST_MODEL (model)),
                          (const char * const *) items->pdata);
}

/* Cheap enough to run at once: with no filter, the rows are the
 * investigation's own time order (see the top of the file). */
static void
rebuild (DhPage *page)
{
  DhEventsPage *self = DH_EVENTS_PAGE (page);
  DhInvestigation *investigation = dh_page_get_investigation (page);
  DhEventStore *store = dh_investigation_get_store (investigation);
  DhStoreStats *stats = dh_investigation_get_stats (investigation);
  const DhCount *counts;
  guint n;

  if (self->cancellable)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->order, g_array_unref);
  g_clear_pointer (&self->store, dh_event_store_unref);
  g_clear_pointer (&self->pending, g_array_unref);
  dh_event_model_clear (self->model);

  self->setting = TRUE;
  if (store && stats)
    {
      self->store = dh_event_store_ref (store);
      self->order = g_array_ref (dh_investigation_get_time_order (investigation));
      counts = dh_store_stats_get_qtypes (stats, &n);
      fill_dropdown (self->qtype_model, _("Any Type"), store, DH_ATOMS_QTYPE, counts, n);
      counts = dh_store_stats_get_rcodes (stats, &n);
      fill_dropdown (self->rcode_model, _("Any Response"), store, DH_ATOMS_RCODE, counts, n);
    }
  else
    {
      fill_dropdown (self->qtype_model, _("Any Type"), NULL, DH_ATOMS_QTYPE, NULL, 0);
      fill_dropdown (self->rcode_model, _("Any Response"), NULL, DH_ATOMS_RCODE, NULL, 0);
    }
  gtk_drop_down_set_selected (self->qtype_dropdown, 0);
  gtk_drop_down_set_selected (self->rcode_dropdown, 0);
  self->setting = FALSE;

  run_filter (self);
}

static void
clear_filters (DhEventsPage *self)
{
  self->setting = TRUE;
  gtk_editable_set_text (GTK_EDITABLE (self->host_entry), "");
  gtk_editable_set_text (GTK_EDITABLE (self->name_entry), "");
  gtk_drop_down_set_selected (self->qtype_dropdown, 0);
  gtk_drop_down_set_selected (self->rcode_dropdown, 0);
  gtk_editable_set_text (GTK_EDITABLE (self->from_entry), "");
  gtk_editable_set_text (GTK_EDITABLE (self->to_entry), "");
  self->setting = FALSE;
}

static void
on_clear_clicked (DhEventsPage *self)
{
  clear_filters (self);
  run_filter (self);
}

static void
on_host_icon (GtkEntry             *entry,
              GtkEntryIconPosition  pos,
              DhEventsPage         *self)
{
  gtk_editable_set_text (GTK_EDITABLE (entry), "");
}

static void
dh_events_page_dispose (GObject *object)
{
  DhEventsPage *self = DH_EVENTS_PAGE (object);

  g_clear_handle_id (&self->debounce_id, g_source_remove);
  if (self->cancellable)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  G_OBJECT_CLASS (dh_events_page_parent_class)->dispose (object);
}

static void
dh_events_page_finalize (GObject *object)
{
  DhEventsPage *self = DH_EVENTS_PAGE (object);

  g_clear_object (&self->model);
  g_clear_pointer (&self->pending, g_array_unref);
  g_clear_pointer (&self->order, g_array_unref);
  g_clear_pointer (&self->store, dh_event_store_unref);
  G_OBJECT_CLASS (dh_events_page_parent_class)->finalize (object);
}

static gboolean
focus_search (DhPage *page)
{
  return gtk_widget_grab_focus (GTK_WIDGET (DH_EVENTS_PAGE (page)->name_entry));
}

static void
dh_events_page_class_init (DhEventsPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  DhPageClass *page_class = DH_PAGE_CLASS (klass);

  object_class->dispose = dh_events_page_dispose;
  object_class->finalize = dh_events_page_finalize;
  page_class->rebuild = rebuild;
  page_class->data_changed = rebuild;
  page_class->focus_search = focus_search;
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/dnshunt/DnsHunt/dh-events-page.ui");
  gtk_widget_class_bind_template_child (widget_class, DhEventsPage, host_entry);
  gtk_widget_class_bind_template_child (widget_class, DhEventsPage, name_entry);
  gtk_widget_class_bind_template_child (widget_class, DhEventsPage, qtype_dropdown);
  gtk_widget_class_bind_template_child (widget_class, DhEventsPage, qtype_model);
  gtk_widget_class_bind_template_child (widget_class, DhEventsPage, rcode_dropdown);
  gtk_widget_class_bind_template_child (widget_class, DhEventsPage, rcode_model);
  gtk_widget_class_bind_template_child (widget_class, DhEventsPage, from_entry);
  gtk_widget_class_bind_template_child (widget_class, DhEventsPage, to_entry);
  gtk_widget_class_bind_template_child (widget_class, DhEventsPage, clear_button);
  gtk_widget_class_bind_template_child (widget_class, DhEventsPage, count_label);
  gtk_widget_class_bind_template_child (widget_class, DhEventsPage, spinner);
  gtk_widget_class_bind_template_child (widget_class, DhEventsPage, events_view);
}

static void
dh_events_page_init (DhEventsPage *self)
{
  GtkSingleSelection *selection;

  gtk_widget_init_template (GTK_WIDGET (self));

  self->model = dh_event_model_new ();
  selection = gtk_single_selection_new (
    G_LIST_MODEL (dh_paced_model_new (G_LIST_MODEL (self->model))));
  gtk_single_selection_set_autoselect (selection, FALSE);
  gtk_single_selection_set_can_unselect (selection, TRUE);
  gtk_column_view_set_model (self->events_view, GTK_SELECTION_MODEL (selection));
  dh_event_columns_add (self->events_view, DH_EVENT_COLUMN_ALL);
  dh_pivot_attach (GTK_WIDGET (self->events_view), selection, dh_event_columns_pivot_target);
  g_object_unref (selection);

  g_signal_connect (self, "map", G_CALLBACK (on_map), NULL);
  g_signal_connect_swapped (self->host_entry, "changed", G_CALLBACK (schedule_filter), self);
  g_signal_connect (self->host_entry, "icon-release", G_CALLBACK (on_host_icon), self);
  g_signal_connect_swapped (self->name_entry, "search-changed", G_CALLBACK (schedule_filter),
                            self);
  g_signal_connect_swapped (self->from_entry, "changed", G_CALLBACK (schedule_filter), self);
  g_signal_connect_swapped (self->to_entry, "changed", G_CALLBACK (schedule_filter), self);
  g_signal_connect_swapped (self->qtype_dropdown, "notify::selected", G_CALLBACK (schedule_filter),
                            self);
  g_signal_connect_swapped (self->rcode_dropdown, "notify::selected", G_CALLBACK (schedule_filter),
                            self);
  g_signal_connect_swapped (self->clear_button, "clicked", G_CALLBACK (on_clear_clicked), self);
  update_count (self);
}

/**
 * dh_events_page_set_filter:
 * @host: (nullable): show only this host's events
 * @name: (nullable): show only names containing this
 *
 * Replaces every filter (a pivot starts afresh) and filters at once.
 */
void
dh_events_page_set_filter (DhEventsPage *self,
                           const char   *host,
                           const char   *name)
{
  clear_filters (self);
  self->setting = TRUE;
  gtk_editable_set_text (GTK_EDITABLE (self->host_entry), host ? host : "");
  gtk_editable_set_text (GTK_EDITABLE (self->name_entry), name ? name : "");
  self->setting = FALSE;
  run_filter (self);
}

/**
 * dh_events_page_get_model:
 *
 * Returns: (transfer none): the events shown
 */
GListModel *
dh_events_page_get_model (DhEventsPage *self)
{
  return G_LIST_MODEL (self->model);
}

/**
 * dh_events_page_get_n_shown:
 *
 * Returns: how many events pass the filters (shown, or to be shown when the
 *   page is next visible)
 */
guint
dh_events_page_get_n_shown (DhEventsPage *self)
{
  return self->pending ? self->pending->len : dh_event_model_get_n_events (self->model);
}

gboolean
dh_events_page_is_filtering (DhEventsPage *self)
{
  return self->cancellable != NULL || self->debounce_id != 0;
}
