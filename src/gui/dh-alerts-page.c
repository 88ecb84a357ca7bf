/* dh-alerts-page.c: the alerts, filterable and sortable, with their detail
 *
 * The model chain is GListStore (one DhAlertItem per alert, in the set's
 * order: most severe first) -> GtkFilterListModel (text, severity, rule) ->
 * GtkSortListModel (the column headers) -> GtkSingleSelection. A new
 * analysis replaces the store's items in one splice; the selection follows
 * the same alert (rule, host, first seen) when it still exists.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "dh-alert-detail.h"
#include "dh-alerts-page.h"
#include "dh-columns.h"
#include "dh-notice.h"
#include "dh-pivot.h"
#include "dh-time.h"

enum {
  SEVERITY_ALL,
  SEVERITY_HIGH,
  SEVERITY_MEDIUM_UP,
  SEVERITY_MEDIUM,
  SEVERITY_LOW,
};

struct _DhAlertsPage
{
  DhPage              parent_instance;

  GtkSearchEntry     *search_entry;
  GtkDropDown        *severity_dropdown;
  GtkDropDown        *rule_dropdown;
  GtkStringList      *rule_model;
  GtkLabel           *count_label;
  GtkStack           *list_stack;
  AdwStatusPage      *empty_status;
  GtkColumnView      *alerts_view;
  DhAlertDetail      *detail;

  GListStore         *store;
  GtkFilterListModel *filtered;
  GtkCustomFilter    *filter;
  GtkSortListModel   *sorted;
  GtkSingleSelection *selection;
  char               *search_text;    /* casefolded */
  gboolean            rebuilding;
  guint               detail_id;      /* the detail follows a rebuild's selection */
};

G_DEFINE_FINAL_TYPE (DhAlertsPage, dh_alerts_page, DH_TYPE_PAGE)

/* Filtering --------------------------------------------------------------- */

static gboolean
filter_func (gpointer object,
             gpointer user_data)
{
  DhAlertsPage *self = user_data;
  DhAlertItem *item = object;
  const DhAlert *alert = dh_alert_item_get_alert (item);
  guint sev = gtk_drop_down_get_selected (self->severity_dropdown);
  guint rule = gtk_drop_down_get_selected (self->rule_dropdown);

  switch (sev)
    {
    case SEVERITY_HIGH:
      if (alert->severity != DH_SEVERITY_HIGH)
        return FALSE;
      break;
    case SEVERITY_MEDIUM_UP:
      if (alert->severity < DH_SEVERITY_MEDIUM)
        return FALSE;
      break;
    case SEVERITY_MEDIUM:
      if (alert->severity != DH_SEVERITY_MEDIUM)
        return FALSE;
      break;
    case SEVERITY_LOW:
      if (alert->severity != DH_SEVERITY_LOW)
        return FALSE;
      break;
    default:
      break;
    }
  if (rule > 0 && rule != GTK_INVALID_LIST_POSITION && alert->rule != rule - 1)
    return FALSE;
  return dh_alert_item_matches_text (item, self->search_text);
}

static void
update_count (DhAlertsPage *self)
{
  guint shown = g_list_model_get_n_items (G_LIST_MODEL (self->filtered));
  guint total = g_list_model_get_n_items (G_LIST_MODEL (self->store));
  g_autofree char *text = g_strdup_printf (ngettext ("%u of %u alert", "%u of %u alerts", total),
                                           shown, total);

  gtk_label_set_text (self->count_label, text);
  gtk_stack_set_visible_child_name (self->list_stack, shown > 0 ? "list" : "empty");
  adw_status_page_set_description (self->empty_status,
                                   total > 0 ? _("No alert matches the filter")
                                             : _("The rules found nothing suspicious in these "
                                                 "logs with the current settings"));
}

static void
refilter (DhAlertsPage *self)
{
  gtk_filter_changed (GTK_FILTER (self->filter), GTK_FILTER_CHANGE_DIFFERENT);
}

static void
on_search_changed (DhAlertsPage *self)
{
  g_free (self->search_text);
  self->search_text = g_utf8_casefold (gtk_editable_get_text (GTK_EDITABLE (self->search_entry)),
                                       -1);
  refilter (self);
}

/* Cells --------------------------------------------------------------------- */

typedef enum {
  COL_SEVERITY,
  COL_RULE,
  COL_HOST,
  COL_SRCID,
  COL_COUNT,
  COL_FIRST,
  COL_LAST,
  COL_STATE,
} Column;

static void
setup_cell (GtkSignalListItemFactory *factory,
            GtkListItem              *list_item,
            gpointer                  user_data)
{
  Column col = GPOINTER_TO_UINT (user_data);
  GtkWidget *cell;

  if (col == COL_SEVERITY)
    {
      cell = gtk_label_new (NULL);
      gtk_widget_add_css_class (cell, "dh-severity");
      gtk_widget_set_halign (cell, GTK_ALIGN_START);
    }
  else
    {
      cell = gtk_inscription_new (NULL);
      gtk_inscription_set_min_chars (GTK_INSCRIPTION (cell), 3);
      if (col == COL_COUNT || col == COL_FIRST || col == COL_LAST || col == COL_HOST)
        gtk_widget_add_css_class (cell, "numeric");
      if (col == COL_COUNT)
        gtk_inscription_set_xalign (GTK_INSCRIPTION (cell), 1.0);
    }
  dh_pivot_mark_cell (cell, list_item, col == COL_HOST || col == COL_SRCID ? DH_PIVOT_HOST
                                                                          : DH_PIVOT_BOTH);
  gtk_list_item_set_child (list_item, cell);
}

static void
on_state_notify (DhAlertItem *item,
                 GParamSpec  *pspec,
                 GtkWidget   *cell)
{
  gtk_inscription_set_text (GTK_INSCRIPTION (cell),
                            dh_triage_state_label (dh_alert_item_get_state (item)));
}

static void
bind_cell (GtkSignalListItemFactory *factory,
           GtkListItem              *list_item,
           gpointer                  user_data)
{
  Column col = GPOINTER_TO_UINT (user_data);
  DhAlertItem *item = gtk_list_item_get_item (list_item);
  GtkWidget *cell = gtk_list_item_get_child (list_item);
  const DhAlert *alert = dh_alert_item_get_alert (item);
  char buf[DH_TIME_FORMAT_SIZE];
  g_autofree char *owned = NULL;
  const char *text = NULL;

  switch (col)
    {
    case COL_SEVERITY:
      {
        const char *classes[] = { "low", "medium", "high" };
        for (guint i = 0; i < G_N_ELEMENTS (classes); i++)
          gtk_widget_remove_css_class (cell, classes[i]);
        gtk_widget_add_css_class (cell, classes[CLAMP (alert->severity, 1, 3) - 1]);
        gtk_label_set_text (GTK_LABEL (cell), dh_severity_label (alert->severity));
        return;
      }
    case COL_RULE:
      /* no per-cell tooltip: in GTK 4.8 each costs an X round trip */
      text = dh_alert_item_get_rule (item)->title;
      break;
    case COL_HOST:
      text = dh_alert_item_get_host (item);
      break;
    case COL_SRCID:
      text = dh_alert_item_get_srcid (item);
      break;
    case COL_COUNT:
      text = owned = g_strdup_printf ("%u", alert->count);
      break;
    case COL_FIRST:
      text = dh_time_format (alert->first_seen, buf);
      break;
    case COL_LAST:
      text = dh_time_format (alert->last_seen, buf);
      break;
    case COL_STATE:
      text = dh_triage_state_label (dh_alert_item_get_state (item));
      g_signal_connect_object (item, "notify::state", G_CALLBACK (on_state_notify), cell, 0);
      break;
    default:
      break;
    }
  gtk_inscription_set_text (GTK_INSCRIPTION (cell), text);
}

static void
unbind_cell (GtkSignalListItemFactory *factory,
             GtkListItem              *list_item,
             gpointer                  user_data)
{
  Column col = GPOINTER_TO_UINT (user_data);
  DhAlertItem *item = gtk_list_item_get_item (list_item);
  GtkWidget *cell = gtk_list_item_get_child (list_item);

  if (col == COL_STATE && item)
    g_signal_handlers_disconnect_by_func (item, on_state_notify, cell);
}

/* Sorting ---------------------------------------------------------------- */

static int
compare (gconstpointer a,
         gconstpointer b,
         gpointer      user_data)
{
  DhAlertItem *x = (DhAlertItem *) a, *y = (DhAlertItem *) b;
  const DhAlert *ax = dh_alert_item_get_alert (x), *ay = dh_alert_item_get_alert (y);
  int r = 0;

  switch ((Column) GPOINTER_TO_UINT (user_data))
    {
    case COL_SEVERITY:
      r = (int) ax->severity - (int) ay->severity;
      break;
    case COL_RULE:
      r = g_utf8_collate (dh_alert_item_get_rule (x)->title, dh_alert_item_get_rule (y)->title);
      break;
    case COL_HOST:
      r = g_strcmp0 (dh_alert_item_get_host (x), dh_alert_item_get_host (y));
      break;
    case COL_SRCID:
      r = g_strcmp0 (dh_alert_item_get_srcid (x), dh_alert_item_get_srcid (y));
      break;
    case COL_COUNT:
      r = ax->count < ay->count ? -1 : ax->count > ay->count;
      break;
    case COL_FIRST:
      r = ax->first_seen < ay->first_seen ? -1 : ax->first_seen > ay->first_seen;
      break;
    case COL_LAST:
      r = ax->last_seen < ay->last_seen ? -1 : ax->last_seen > ay->last_seen;
      break;
    case COL_STATE:
      r = (int) dh_alert_item_get_state (x) - (int) dh_alert_item_get_state (y);
      break;
    default:
      break;
    }
  if (r == 0)   /* ties keep the analysis order */
    r = (int) dh_alert_item_get_position (x) - (int) dh_alert_item_get_position (y);
  return r < 0 ? GTK_ORDERING_SMALLER : r > 0 ? GTK_ORDERING_LARGER : GTK_ORDERING_EQUAL;
}

static void
add_column (DhAlertsPage *self,
            Column        col,
            const char   *title,
            gboolean      expand,
            int           width)
{
  dh_columns_append (self->alerts_view, title, G_CALLBACK (setup_cell), G_CALLBACK (bind_cell),
                     G_CALLBACK (unbind_cell), compare, GUINT_TO_POINTER (col), expand, width);
}

/* Data -------------------------------------------------------------------- */

/* Between a rebuild (dh-page.c) and the paced rows' steps (dh-paced-model.c):
 * an iteration of its own. */
#define DETAIL_PRIORITY (G_PRIORITY_DEFAULT_IDLE + 5)

static gboolean
show_selected (gpointer data)
{
  DhAlertsPage *self = data;

  self->detail_id = 0;
  dh_alert_detail_set_item (self->detail, gtk_single_selection_get_selected_item (self->selection));
  return G_SOURCE_REMOVE;
}

/* A click shows the alert at once; after a rebuild, the detail is filled in
 * the next main loop iteration: building the list's first rows and the
 * detail's widgets in one would block the main loop twice as long. */
static void
on_selection_changed (DhAlertsPage *self)
{
  if (self->rebuilding)
    {
      if (self->detail_id == 0)
        self->detail_id = g_idle_add_full (DETAIL_PRIORITY, show_selected, self, NULL);
      return;
    }
  g_clear_handle_id (&self->detail_id, g_source_remove);
  show_selected (self);
}

static gboolean
same_alert (DhAlertItem *a,
            DhAlertItem *b)
{
  const DhAlert *x = dh_alert_item_get_alert (a), *y = dh_alert_item_get_alert (b);

  return x->rule == y->rule && x->first_seen == y->first_seen &&
         g_strcmp0 (dh_alert_item_get_host (a), dh_alert_item_get_host (b)) == 0;
}

/* "rule\thost\tfirst seen": an alert across re-analyses and snapshots */
static char *
key_of (DhRuleKind  rule,
        const char *host,
        gint64      first_seen)
{
  return g_strdup_printf ("%d\t%s\t%" G_GINT64_FORMAT, rule, host ? host : "", first_seen);
}

/* The alerts of @set where most of them are the ones shown (a followed
 * source's next snapshot, a re-analysis): the items of alerts still there
 * stay and are repointed, a row whose alert grew is changed in place, the
 * alerts gone are removed and the new ones added; GTK's rows, selection and
 * scroll position follow those changes instead of a new list.
 *
 * Returns: FALSE (nothing done) when most of the list would change */
static gboolean
update_in_place (DhAlertsPage    *self,
                 DhInvestigation *investigation,
                 DhAlertSet      *set,
                 gboolean        *detail_grew)
{
  guint n_old = g_list_model_get_n_items (G_LIST_MODEL (self->store));
  guint n_new = dh_alert_set_get_n_alerts (set);
  DhEventStore *store = dh_alert_set_get_store (set);
  g_autoptr(GHashTable) shown = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GHashTable) state = g_hash_table_new (NULL, NULL);  /* item -> 1 kept, 2 grew */
  g_autoptr(GArray) found = g_array_sized_new (FALSE, FALSE, sizeof (gpointer), n_new);
  g_autoptr(GPtrArray) added = g_ptr_array_new_with_free_func (g_object_unref);
  guint n_kept = 0;

  if (n_old == 0 || n_new == 0)
    return FALSE;
  for (guint i = 0; i < n_old; i++)
    {
      g_autoptr(DhAlertItem) item = g_list_model_get_item (G_LIST_MODEL (self->store), i);
      const DhAlert *a = dh_alert_item_get_alert (item);
      g_hash_table_insert (shown, key_of (a->rule, dh_alert_item_get_host (item), a->first_seen),
                           item);
    }
  for (guint i = 0; i < n_new; i++)
    {
      const DhAlert *a = dh_alert_set_get_alert (set, i);
      g_autofree char *key = key_of (a->rule, dh_event_store_get_string (store, a->host),
                                     a->first_seen);
      gpointer item = g_hash_table_lookup (shown, key);

      if (item && g_hash_table_contains (state, item))
        item = NULL;   /* two alerts alike: the second is new */
      if (item)
        {
          g_hash_table_insert (state, item, GINT_TO_POINTER (1));
          n_kept++;
        }
      g_array_append_val (found, item);
    }
  /* a new list, mostly: one splice is cheaper than many changes */
  if (n_kept * 2 < n_old || n_old - n_kept > 1000 || n_new - n_kept > 1000)
    return FALSE;

  for (guint i = 0; i < n_new; i++)
    {
      DhAlertItem *item = g_array_index (found, gpointer, i);
      if (item == NULL)
        g_ptr_array_add (added, dh_alert_item_new (investigation, set, i));
      else if (dh_alert_item_repoint (item, set, i))
        {
          g_hash_table_insert (state, item, GINT_TO_POINTER (2));
          if (item == dh_alert_detail_get_item (self->detail))
            *detail_grew = TRUE;
        }
    }
  for (guint pos = n_old; pos-- > 0;)
    {
      g_autoptr(DhAlertItem) item = g_list_model_get_item (G_LIST_MODEL (self->store), pos);
      int what = GPOINTER_TO_INT (g_hash_table_lookup (state, item));

      if (what == 0)
        g_list_store_remove (self->store, pos);
      else if (what == 2)
        {
          gpointer one[] = { item };
          g_list_store_splice (self->store, pos, 1, one, 1);   /* its row shows the growth */
        }
    }
  g_list_store_splice (self->store, g_list_model_get_n_items (G_LIST_MODEL (self->store)), 0,
                       added->pdata, added->len);
  return TRUE;
}

/* Keeps the selection on the same alert when a re-analysis still finds it. */
static void
rebuild (DhPage *page)
{
  DhAlertsPage *self = DH_ALERTS_PAGE (page);
  DhInvestigation *investigation = dh_page_get_investigation (page);
  DhAlertSet *set = dh_investigation_get_alerts (investigation);
  g_autoptr(DhAlertItem) previous = NULL;
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func (g_object_unref);
  gboolean detail_grew = FALSE;
  guint n;

  if (gtk_single_selection_get_selected_item (self->selection))
    previous = g_object_ref (gtk_single_selection_get_selected_item (self->selection));

  self->rebuilding = TRUE;
  if (set == NULL || !update_in_place (self, investigation, set, &detail_grew))
    {
      if (set)
        for (guint i = 0; i < dh_alert_set_get_n_alerts (set); i++)
          g_ptr_array_add (items, dh_alert_item_new (investigation, set, i));
      g_list_store_splice (self->store, 0, g_list_model_get_n_items (G_LIST_MODEL (self->store)),
                           items->pdata, items->len);
    }

  n = g_list_model_get_n_items (G_LIST_MODEL (self->selection));
  if (previous)
    for (guint i = 0; i < n; i++)
      {
        g_autoptr(DhAlertItem) item = g_list_model_get_item (G_LIST_MODEL (self->selection), i);
        if (same_alert (item, previous))
          {
            gtk_single_selection_set_selected (self->selection, i);
            break;
          }
      }
  on_selection_changed (self);
  if (detail_grew && dh_alert_detail_get_item (self->detail) == previous)
    dh_alert_detail_refresh (self->detail);
  self->rebuilding = FALSE;
  update_count (self);
}

static void
pivot_target (gpointer       item,
              DhPivotKinds   kinds,
              DhPivotTarget *target)
{
  target->host = dh_alert_item_get_host (item);
  target->rule_id = dh_alert_item_get_rule (item)->id;
}

static void
dh_alerts_page_dispose (GObject *object)
{
  g_clear_handle_id (&DH_ALERTS_PAGE (object)->detail_id, g_source_remove);
  G_OBJECT_CLASS (dh_alerts_page_parent_class)->dispose (object);
}

static void
dh_alerts_page_finalize (GObject *object)
{
  DhAlertsPage *self = DH_ALERTS_PAGE (object);

  g_clear_object (&self->selection);
  g_clear_object (&self->store);
  g_free (self->search_text);
  G_OBJECT_CLASS (dh_alerts_page_parent_class)->finalize (object);
}

/* The rule filter lists the investigation's rules; then the alerts. */
static void
investigation_changed (DhPage *page)
{
  DhAlertsPage *self = DH_ALERTS_PAGE (page);
  DhRuleBook *book = dh_investigation_get_rule_book (dh_page_get_investigation (page));
  g_autoptr(GPtrArray) titles = g_ptr_array_new ();

  g_ptr_array_add (titles, (gpointer) _("All Rules"));
  for (guint r = 0; r < DH_N_RULES; r++)
    g_ptr_array_add (titles, (gpointer) dh_rule_book_get_rule (book, r)->title);
  g_ptr_array_add (titles, NULL);
  gtk_string_list_splice (self->rule_model, 0,
                          g_list_model_get_n_items (G_LIST_MODEL (self->rule_model)),
                          (const char * const *) titles->pdata);
  rebuild (page);
}

static gboolean
focus_search (DhPage *page)
{
  return gtk_widget_grab_focus (GTK_WIDGET (DH_ALERTS_PAGE (page)->search_entry));
}

static void
dh_alerts_page_class_init (DhAlertsPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  DhPageClass *page_class = DH_PAGE_CLASS (klass);

  object_class->dispose = dh_alerts_page_dispose;
  object_class->finalize = dh_alerts_page_finalize;
  page_class->investigation_changed = investigation_changed;
  page_class->rebuild = rebuild;
  /* a new load or analysis: in an iteration of its own (see dh-page.c) */
  page_class->alerts_changed = dh_page_queue_rebuild;
  page_class->focus_search = focus_search;
  g_type_ensure (DH_TYPE_ALERT_DETAIL);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/dnshunt/DnsHunt/dh-alerts-page.ui");
  gtk_widget_class_bind_template_child (widget_class, DhAlertsPage, search_entry);
  gtk_widget_class_bind_template_child (widget_class, DhAlertsPage, severity_dropdown);
  gtk_widget_class_bind_template_child (widget_class, DhAlertsPage, rule_dropdown);
  gtk_widget_class_bind_template_child (widget_class, DhAlertsPage, rule_model);
  gtk_widget_class_bind_template_child (widget_class, DhAlertsPage, count_label);
  gtk_widget_class_bind_template_child (widget_class, DhAlertsPage, list_stack);
  gtk_widget_class_bind_template_child (widget_class, DhAlertsPage, empty_status);
  gtk_widget_class_bind_template_child (widget_class, DhAlertsPage, alerts_view);
  gtk_widget_class_bind_template_child (widget_class, DhAlertsPage, detail);
}

static void
dh_alerts_page_init (DhAlertsPage *self)
{
  GtkSorter *sorter;

  gtk_widget_init_template (GTK_WIDGET (self));

  self->store = g_list_store_new (DH_TYPE_ALERT_ITEM);
  self->filter = gtk_custom_filter_new (filter_func, self, NULL);
  self->filtered = gtk_filter_list_model_new (G_LIST_MODEL (g_object_ref (self->store)),
                                              GTK_FILTER (self->filter));
  sorter = gtk_column_view_get_sorter (self->alerts_view);
  self->sorted = gtk_sort_list_model_new (G_LIST_MODEL (self->filtered),
                                          g_object_ref (sorter));
  self->selection = gtk_single_selection_new (G_LIST_MODEL (self->sorted));
  gtk_single_selection_set_autoselect (self->selection, TRUE);
  gtk_column_view_set_model (self->alerts_view, GTK_SELECTION_MODEL (self->selection));

  /* what triage needs first, then the rest to scroll to */
  add_column (self, COL_SEVERITY, _("Severity"), FALSE, 84);
  add_column (self, COL_RULE, _("Rule"), TRUE, 230);
  add_column (self, COL_HOST, _("Host"), FALSE, 110);
  add_column (self, COL_COUNT, _("Count"), FALSE, 60);
  add_column (self, COL_STATE, _("State"), FALSE, 104);
  add_column (self, COL_FIRST, _("First Seen"), FALSE, 190);
  add_column (self, COL_LAST, _("Last Seen"), FALSE, 190);
  add_column (self, COL_SRCID, _("Instance / Endpoint"), FALSE, 170);

  g_signal_connect_swapped (self->selection, "notify::selected-item",
                            G_CALLBACK (on_selection_changed), self);
  g_signal_connect_swapped (self->filtered, "items-changed", G_CALLBACK (update_count), self);
  g_signal_connect_swapped (self->search_entry, "search-changed",
                            G_CALLBACK (on_search_changed), self);
  g_signal_connect_swapped (self->severity_dropdown, "notify::selected",
                            G_CALLBACK (refilter), self);
  g_signal_connect_swapped (self->rule_dropdown, "notify::selected", G_CALLBACK (refilter), self);
  dh_pivot_attach (GTK_WIDGET (self->alerts_view), self->selection, pivot_target);
  update_count (self);
}

/**
 * dh_alerts_page_get_model:
 *
 * Returns: (transfer none): every alert, as DhAlertItems
 */
GListModel *
dh_alerts_page_get_model (DhAlertsPage *self)
{
  return G_LIST_MODEL (self->store);
}

/**
 * dh_alerts_page_get_visible_model:
 *
 * Returns: (transfer none): the alerts shown, filtered and sorted
 */
GListModel *
dh_alerts_page_get_visible_model (DhAlertsPage *self)
{
  return G_LIST_MODEL (self->selection);
}

DhAlertItem *
dh_alerts_page_get_selected (DhAlertsPage *self)
{
  return gtk_single_selection_get_selected_item (self->selection);
}

/**
 * dh_alerts_page_set_filter:
 * @text: (nullable): text to look for
 * @severity_choice: 0 all, 1 high, 2 medium and higher, 3 medium, 4 low
 * @rule_id: (nullable): only this rule
 */
/**
 * dh_alerts_page_select_id:
 * @id: an alert's id (dh_notice_id_for_alert())
 *
 * Shows every alert and selects that one (a desktop notification was
 * clicked).
 *
 * Returns: whether the alert is there
 */
gboolean
dh_alerts_page_select_id (DhAlertsPage *self,
                          const char   *id)
{
  guint n;

  dh_alerts_page_set_filter (self, NULL, 0, NULL);
  n = g_list_model_get_n_items (G_LIST_MODEL (self->selection));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(DhAlertItem) item = g_list_model_get_item (G_LIST_MODEL (self->selection), i);
      const char *host = dh_alert_item_get_host (item);
      char buf[DH_TIME_FORMAT_SIZE];
      g_autofree char *item_id = dh_notice_alert_id (
        dh_alert_item_get_rule (item)->id, host ? host : "",
        dh_time_format (dh_alert_item_get_alert (item)->first_seen, buf));

      if (g_str_equal (item_id, id))
        {
          gtk_single_selection_set_selected (self->selection, i);
          return TRUE;
        }
    }
  return FALSE;
}

void
dh_alerts_page_set_filter (DhAlertsPage *self,
                           const char   *text,
                           guint         severity_choice,
                           const char   *rule_id)
{
  guint rule = 0;
  DhRuleBook *book = dh_investigation_get_rule_book (dh_page_get_investigation (DH_PAGE (self)));

  if (rule_id)
    for (guint r = 0; r < DH_N_RULES; r++)
      if (g_str_equal (dh_rule_book_get_rule (book, r)->id, rule_id))
        rule = r + 1;
  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), text ? text : "");
  on_search_changed (self);   /* now, not after the entry's delay */
  gtk_drop_down_set_selected (self->severity_dropdown, severity_choice);
  gtk_drop_down_set_selected (self->rule_dropdown, rule);
}
