/* test-ui.c: the window's models, filters and widgets, and what they show
 *
 * Runs under a display (tests/run-ui-test.sh gives it a private session bus
 * and Xvfb). Everything is driven through the same calls the window uses,
 * and loading goes through the real worker.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib/gstdio.h>
#include <adwaita.h>

#include "dh-alert-detail.h"
#include "dh-alerts-page.h"
#include "dh-event-item.h"
#include "dh-event-model.h"
#include "dh-events-page.h"
#include "dh-export-dialog.h"
#include "dh-host-item.h"
#include "dh-hosts-page.h"
#include "dh-investigation.h"
#include "dh-live-bar.h"
#include "dh-live-source.h"
#include "dh-session.h"
#include "dh-paced-model.h"
#include "dh-page.h"
#include "dh-preferences-window.h"
#include "dh-test-session.h"
#include "dh-test-util.h"
#include "dh-timeline-page.h"
#include "dh-timeline-view.h"
#include "dh-time.h"
#include "dh-toast.h"
#include "dh-window.h"

/* Names and ids full of markup: they must show as the very same text. */
#define HOSTILE_NAME "<span foreground=\"red\">pwn</span>&amp;<b>x</b>.pastebin.com."
#define HOSTILE_ID   "i-<i>0bad</i>&lt;"

static void
spin (guint ms)
{
  gint64 until = g_get_monotonic_time () + ms * 1000;

  while (g_get_monotonic_time () < until)
    g_main_context_iteration (NULL, FALSE);
}

/* Pages fill their tables only when shown: give them a window. */
static GtkWidget *
show_in_window (GtkWidget *page)
{
  GtkWidget *window = gtk_window_new ();

  gtk_window_set_child (GTK_WINDOW (window), page);
  gtk_window_set_default_size (GTK_WINDOW (window), 1200, 800);
  gtk_window_present (GTK_WINDOW (window));
  spin (200);
  return window;
}

/* The first widget under @widget (itself included) that @match accepts. */
static GtkWidget *
find_widget (GtkWidget *widget,
             gboolean (*match) (GtkWidget *, gconstpointer),
             gconstpointer data)
{
  if (match (widget, data))
    return widget;
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c; c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *found = find_widget (c, match, data);
      if (found)
        return found;
    }
  return NULL;
}

static gboolean
is_column_view (GtkWidget     *widget,
                gconstpointer  data)
{
  return GTK_IS_COLUMN_VIEW (widget);
}

static gboolean
is_label_saying (GtkWidget     *widget,
                 gconstpointer  text)
{
  return GTK_IS_LABEL (widget) && g_strcmp0 (gtk_label_get_text (GTK_LABEL (widget)), text) == 0;
}

static gboolean
keep_waking (gpointer data)
{
  return G_SOURCE_CONTINUE;
}

/* What the first table in @window shows (its rows come a few a frame). */
static GListModel *
table_rows (GtkWidget *window)
{
  return G_LIST_MODEL (gtk_column_view_get_model (
    GTK_COLUMN_VIEW (find_widget (window, is_column_view, NULL))));
}

typedef struct
{
  GListModel *model;
  guint       n;
} RowsWanted;

static gboolean
has_rows (gpointer data)
{
  RowsWanted *w = data;

  return g_list_model_get_n_items (w->model) == w->n;
}

static void
wait_for_rows (GListModel *model,
               guint       n)
{
  RowsWanted w = { model, n };
  /* wakes the loop, so a table that stops filling fails the test */
  guint wake = g_timeout_add (50, keep_waking, NULL);

  dh_test_run_until (has_rows, &w);
  g_source_remove (wake);
}

/* A log with a hostile query name and instance id that the paste-site rule
 * catches, among ordinary traffic. */
static char *
write_hostile_log (char **dir_out)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) s = g_string_new (NULL);
  char *dir = g_dir_make_tmp ("dnshunt-ui-XXXXXX", &error);
  char *path;

  g_assert_no_error (error);
  for (guint i = 0; i < 30; i++)
    {
      g_autofree char *t = test_time_plus ("2026-03-02T10:00:00Z", i * 10);
      g_autofree char *line = test_record_line (&(TestRecord) {
        .time = t, .host = "10.9.9.9",
        .name = i % 3 == 0 ? HOSTILE_NAME : "www.example.com.",
        .srcids = "{\"instance\":\"" "i-<i>0bad</i>&lt;" "\"}" });
      g_string_append (s, line);
    }
  path = g_build_filename (dir, "hostile.log", NULL);
  g_assert_true (g_file_set_contents (path, s->str, s->len, NULL));
  *dir_out = dir;
  return path;
}

static void
remove_tmp (char *dir,
            char *path)
{
  g_unlink (path);
  g_rmdir (dir);
}

/* The lazy event model --------------------------------------------------- */

typedef struct
{
  guint calls;
  guint removed;    /* in all */
  guint added;
  guint last_position, last_removed, last_added;
} Changes;

static void
on_items_changed (GListModel *model,
                  guint       position,
                  guint       removed,
                  guint       added,
                  Changes    *c)
{
  c->calls++;
  c->removed += removed;
  c->added += added;
  c->last_position = position;
  c->last_removed = removed;
  c->last_added = added;
}

static void
test_event_model (void)
{
  g_autoptr(DhInvestigation) inv = dh_test_load (DH_SOURCE_DEMO_DIR);
  DhEventStore *store = dh_investigation_get_store (inv);
  g_autoptr(DhEventModel) model = dh_event_model_new ();
  g_autoptr(GArray) all = g_array_new (FALSE, FALSE, sizeof (guint32));
  g_autoptr(GArray) some = g_array_new (FALSE, FALSE, sizeof (guint32));
  g_autoptr(GArray) reversed = g_array_new (FALSE, FALSE, sizeof (guint32));
  g_autoptr(DhEventItem) a = NULL;
  g_autoptr(DhEventItem) b = NULL;
  guint n_store = dh_event_store_get_n_events (store);
  Changes c = { 0 };

  g_signal_connect (model, "items-changed", G_CALLBACK (on_items_changed), &c);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, 0);
  g_assert_true (g_list_model_get_item_type (G_LIST_MODEL (model)) == DH_TYPE_EVENT_ITEM);

  /* a million rows: only the index array, no objects, in one change (the
   * view's DhPacedModel paces them) */
  for (guint32 i = 0; i < 1000000; i++)
    {
      guint32 e = i % n_store;
      g_array_append_val (all, e);
    }
  dh_event_model_set_events (model, store, all);
  g_assert_cmpuint (dh_event_model_get_n_events (model), ==, 1000000);
  g_assert_cmpuint (c.added, ==, 1000000);
  g_assert_cmpuint (c.calls, ==, 1);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, 1000000);

  /* items are made on demand */
  a = g_list_model_get_item (G_LIST_MODEL (model), 999999);
  g_assert_cmpuint (dh_event_item_get_index (a), ==, 999999 % n_store);
  g_assert_null (g_list_model_get_item (G_LIST_MODEL (model), 1000000));

  /* an item a row still holds is the same object for its position, pointed
   * at the position's new event (so GTK keeps the row's widgets) */
  for (guint32 i = 0; i < 1000000; i++)
    {
      guint32 e = (999999 - i) % n_store;
      g_array_append_val (reversed, e);
    }
  memset (&c, 0, sizeof c);
  dh_event_model_set_events (model, store, reversed);
  g_assert_cmpuint (c.calls, <=, 3);
  b = g_list_model_get_item (G_LIST_MODEL (model), 999999);
  g_assert_true (a == b);
  g_assert_cmpuint (dh_event_item_get_index (a), ==, 0);
  g_clear_object (&b);

  /* too short to reach it: the held item moves to the top */
  g_array_append_val (some, ((guint32) { 7 }));
  memset (&c, 0, sizeof c);
  dh_event_model_set_events (model, store, some);
  g_assert_cmpuint (c.removed, ==, 1000000);
  g_assert_cmpuint (c.added, ==, 1);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, 1);
  b = g_list_model_get_item (G_LIST_MODEL (model), 0);
  g_assert_true (a == b);
  g_assert_cmpuint (dh_event_item_get_index (b), ==, 7);

  dh_event_model_clear (model);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, 0);
}

/* Pacing the rows of a new list ------------------------------------------- */

static void
fill_strings (GtkStringList *list,
              guint          position,
              guint          removed,
              guint          n,
              const char    *prefix)
{
  g_autoptr(GPtrArray) strings = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; i < n; i++)
    g_ptr_array_add (strings, g_strdup_printf ("%s %u", prefix, i));
  g_ptr_array_add (strings, NULL);
  gtk_string_list_splice (list, position, removed, (const char * const *) strings->pdata);
}

static const char *
string_at (GListModel *model,
           guint       position)
{
  g_autoptr(GtkStringObject) s = g_list_model_get_item (model, position);

  return s ? g_intern_string (gtk_string_object_get_string (s)) : NULL;
}

/* A new list reaches a view a few rows per main loop iteration, then all at
 * once; any other change passes as it is. */
static void
test_paced_model (void)
{
  g_autoptr(GtkStringList) source = gtk_string_list_new (NULL);
  g_autoptr(DhPacedModel) paced = dh_paced_model_new (G_LIST_MODEL (source));
  GListModel *model = G_LIST_MODEL (paced);
  gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
  Changes p = { 0 };
  guint n;

  g_signal_connect (paced, "items-changed", G_CALLBACK (on_items_changed), &p);
  g_assert_true (g_list_model_get_item_type (model) ==
                 g_list_model_get_item_type (G_LIST_MODEL (source)));

  /* a new list: its first rows now, then one step per iteration, each
   * adding at the end, until all are there */
  fill_strings (source, 0, 0, 1000, "a");
  n = g_list_model_get_n_items (model);
  g_assert_cmpuint (n, >, 0);
  g_assert_cmpuint (n, <, 1000);
  g_assert_null (g_list_model_get_item (model, n));
  while (g_list_model_get_n_items (model) < 1000)
    {
      guint calls = p.calls;

      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, FALSE);
      g_assert_cmpuint (p.calls, <=, calls + 1);
      if (p.calls > calls)
        {
          g_assert_cmpuint (p.last_position, ==, n);
          g_assert_cmpuint (p.last_removed, ==, 0);
          n += p.last_added;
        }
      g_assert_cmpuint (g_list_model_get_n_items (model), ==, n);
    }
  g_assert_cmpuint (p.calls, >, 2);
  g_assert_cmpuint (p.calls, <, 20);
  for (guint i = 0; i < 1000; i += 37)
    g_assert_true (string_at (model, i) == string_at (G_LIST_MODEL (source), i));

  /* any other change passes as it is */
  p.calls = 0;
  fill_strings (source, 500, 2, 3, "b");
  g_assert_cmpuint (p.calls, ==, 1);
  g_assert_cmpuint (p.last_position, ==, 500);
  g_assert_cmpuint (p.last_removed, ==, 2);
  g_assert_cmpuint (p.last_added, ==, 3);
  g_assert_cmpstr (string_at (model, 502), ==, "b 2");

  /* a short new list at once */
  p.calls = 0;
  fill_strings (source, 0, 1001, 5, "c");
  g_assert_cmpuint (p.calls, ==, 1);
  g_assert_cmpuint (p.last_removed, ==, 1001);
  g_assert_cmpuint (p.last_added, ==, 5);

  /* a long one paced again; a change among the rows shown shows at once */
  fill_strings (source, 0, 5, 1000, "d");
  n = g_list_model_get_n_items (model);
  g_assert_cmpuint (n, <, 1000);
  fill_strings (source, 1, 1, 1, "e");
  g_assert_cmpstr (string_at (model, 1), ==, "e 0");
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, n);
  /* shrinking below what is shown ends the pacing */
  fill_strings (source, 3, 997, 0, "f");
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 3);
  fill_strings (source, 3, 0, 2, "g");
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 5);
}

/* Loading (the loader itself: test-session.c) ---------------------------- */

/* A hand-over refreshes one view per main loop iteration: GLib runs every
 * ready idle of one priority in the same iteration, so two views refreshing
 * at the same priority blocked the loop for both at once. */
static void
test_handover_one_view_at_a_time (void)
{
  g_autoptr(DhRuleBook) book = dh_rule_book_new (NULL);
  g_autoptr(DhInvestigation) inv = dh_investigation_new (book);
  DhAlertsPage *alerts = g_object_ref_sink (g_object_new (DH_TYPE_ALERTS_PAGE, NULL));
  DhTimelinePage *timeline = g_object_ref_sink (g_object_new (DH_TYPE_TIMELINE_PAGE, NULL));
  DhHostsPage *hosts = g_object_ref_sink (g_object_new (DH_TYPE_HOSTS_PAGE, NULL));
  GtkWidget *window = show_in_window (GTK_WIDGET (hosts));
  const char *paths[] = { DH_SOURCE_DEMO_DIR, NULL };
  DhTestLoad r = { 0 };
  guint refreshed = 0;
  gboolean hosts_first = FALSE;
  gint64 deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;

  dh_page_set_investigation (DH_PAGE (alerts), inv);
  dh_page_set_investigation (DH_PAGE (timeline), inv);
  dh_page_set_investigation (DH_PAGE (hosts), inv);
  dh_investigation_load_async (inv, paths, NULL, dh_test_load_cb, &r);
  dh_test_run_until (dh_test_load_finished, &r);
  g_assert_true (r.ok);
  dh_load_report_free (r.report);

  /* each view, shown or not, is refreshed in an iteration of its own */
  while (refreshed < 3)
    {
      gboolean a, t, h;

      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, TRUE);
      a = g_list_model_get_n_items (dh_alerts_page_get_model (alerts)) > 0;
      t = dh_timeline_page_get_host (timeline) != NULL;
      h = g_list_model_get_n_items (dh_hosts_page_get_model (hosts)) > 0;
      g_assert_cmpuint (a + t + h, <=, refreshed + 1);
      if (refreshed == 0 && a + t + h == 1)
        hosts_first = h;
      refreshed = a + t + h;
    }
  /* the page on screen asked last, and went first */
  g_assert_true (hosts_first);
  gtk_window_destroy (GTK_WINDOW (window));
  g_object_unref (alerts);
  g_object_unref (timeline);
  g_object_unref (hosts);
}

/* Every toast is made from plain text: a log's text shows as it is. */
static void
test_toast_plain (void)
{
  AdwToast *toast = g_object_ref_sink (dh_toast_new_plain ("<b>evil</b> & \"x\""));

  g_assert_cmpstr (adw_toast_get_title (toast), ==, "&lt;b&gt;evil&lt;/b&gt; &amp; &quot;x&quot;");
  g_object_unref (toast);
}

/* The alerts page ------------------------------------------------------------ */

static guint
n_visible (DhAlertsPage *page)
{
  return g_list_model_get_n_items (dh_alerts_page_get_visible_model (page));
}

static void
test_alerts_filter (void)
{
  g_autoptr(DhInvestigation) inv = dh_test_load (DH_SOURCE_DEMO_DIR);
  DhAlertsPage *page = g_object_ref_sink (g_object_new (DH_TYPE_ALERTS_PAGE, NULL));
  g_autoptr(DhAlertItem) first = NULL;

  dh_page_set_investigation (DH_PAGE (page), inv);
  g_assert_cmpuint (n_visible (page), ==, 11);

  /* the most severe first, and selected */
  first = g_list_model_get_item (dh_alerts_page_get_visible_model (page), 0);
  g_assert_cmpint (dh_alert_item_get_alert (first)->severity, ==, DH_SEVERITY_HIGH);
  g_assert_true (dh_alerts_page_get_selected (page) == first);

  dh_alerts_page_set_filter (page, NULL, 1, NULL);            /* high */
  g_assert_cmpuint (n_visible (page), ==, 3);
  dh_alerts_page_set_filter (page, NULL, 2, NULL);            /* medium and higher */
  g_assert_cmpuint (n_visible (page), ==, 9);
  dh_alerts_page_set_filter (page, NULL, 4, NULL);            /* low */
  g_assert_cmpuint (n_visible (page), ==, 2);
  dh_alerts_page_set_filter (page, "10.0.6.152", 0, NULL);    /* a host */
  g_assert_cmpuint (n_visible (page), ==, 1);
  dh_alerts_page_set_filter (page, "I-0FBC9F87AF668A617", 0, NULL);  /* its instance, any case */
  g_assert_cmpuint (n_visible (page), ==, 1);
  dh_alerts_page_set_filter (page, "supportxmr", 0, NULL);    /* a name in the alert */
  g_assert_cmpuint (n_visible (page), ==, 1);
  dh_alerts_page_set_filter (page, NULL, 0, "nxdomain-burst");
  g_assert_cmpuint (n_visible (page), ==, 2);
  dh_alerts_page_set_filter (page, NULL, 1, "nxdomain-burst");
  g_assert_cmpuint (n_visible (page), ==, 0);
  dh_alerts_page_set_filter (page, NULL, 0, NULL);
  g_assert_cmpuint (n_visible (page), ==, 11);

  g_object_unref (page);
}

static void
test_reanalyze_keeps_triage (void)
{
  g_autoptr(DhInvestigation) inv = dh_test_load (DH_SOURCE_DEMO_DIR);
  DhAlertsPage *page = g_object_ref_sink (g_object_new (DH_TYPE_ALERTS_PAGE, NULL));
  g_autoptr(GError) error = NULL;
  GListModel *all;
  DhAlertItem *paste = NULL;

  dh_page_set_investigation (DH_PAGE (page), inv);
  all = dh_alerts_page_get_model (page);
  for (guint i = 0; i < g_list_model_get_n_items (all); i++)
    {
      g_autoptr(DhAlertItem) item = g_list_model_get_item (all, i);
      if (g_str_equal (dh_alert_item_get_rule (item)->id, "paste-site"))
        paste = item;
    }
  g_assert_nonnull (paste);
  dh_alert_item_set_state (paste, DH_TRIAGE_BENIGN);
  dh_alert_item_set_note (paste, "the build farm's pastebin mirror");

  /* a lower threshold, applied at once on the loaded events */
  g_assert_true (dh_investigation_set_setting (inv, "nxdomain-burst", "threshold", "20", &error));
  g_assert_no_error (error);
  g_assert_true (dh_investigation_is_analyzing (inv));
  dh_test_run_until (dh_test_not_analyzing, inv);
  spin (200);   /* the list refreshes in an idle */
  g_assert_cmpuint (g_list_model_get_n_items (all), ==, 13);

  for (guint i = 0; i < g_list_model_get_n_items (all); i++)
    {
      g_autoptr(DhAlertItem) item = g_list_model_get_item (all, i);
      if (g_str_equal (dh_alert_item_get_rule (item)->id, "paste-site"))
        {
          g_assert_cmpint (dh_alert_item_get_state (item), ==, DH_TRIAGE_BENIGN);
          g_assert_cmpstr (dh_alert_item_get_note (item), ==, "the build farm's pastebin mirror");
        }
    }

  /* a bad value is refused and changes nothing */
  g_assert_false (dh_investigation_set_setting (inv, "nxdomain-burst", "window", "soon", &error));
  g_assert_error (error, DH_RULE_BOOK_ERROR, DH_RULE_BOOK_ERROR_BAD_VALUE);
  g_object_unref (page);
}

/* The events page and the timeline --------------------------------------- */

static gboolean
events_idle (gpointer page)
{
  return !dh_events_page_is_filtering (page);
}

static void
test_events_filter (void)
{
  g_autoptr(DhInvestigation) inv = dh_test_load (DH_SOURCE_DEMO_DIR);
  DhEventsPage *page = g_object_ref_sink (g_object_new (DH_TYPE_EVENTS_PAGE, NULL));
  GListModel *model = dh_events_page_get_model (page);
  GtkWidget *window = show_in_window (GTK_WIDGET (page));
  GListModel *rows = table_rows (window);
  const DhEvent *prev = NULL;

  dh_page_set_investigation (DH_PAGE (page), inv);
  dh_test_run_until (events_idle, page);
  wait_for_rows (rows, g_list_model_get_n_items (model));
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 5000);
  for (guint i = 0; i < 5000; i += 97)   /* in time order */
    {
      g_autoptr(DhEventItem) item = g_list_model_get_item (model, i);
      if (prev)
        g_assert_cmpint (prev->time, <=, dh_event_item_get_event (item)->time);
      prev = dh_event_item_get_event (item);
    }

  dh_events_page_set_filter (page, "10.0.137.29", NULL);
  dh_test_run_until (events_idle, page);
  wait_for_rows (rows, g_list_model_get_n_items (model));
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 34);
  g_assert_cmpuint (dh_events_page_get_n_shown (page), ==, 34);

  dh_events_page_set_filter (page, "i-0b9c037aa3289f58b", "TCP-TUNNEL");
  dh_test_run_until (events_idle, page);
  wait_for_rows (rows, g_list_model_get_n_items (model));
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 2);

  dh_events_page_set_filter (page, NULL, "pastebin.com");
  dh_test_run_until (events_idle, page);
  wait_for_rows (rows, g_list_model_get_n_items (model));
  g_assert_cmpuint (g_list_model_get_n_items (model), >=, 2);
  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(DhEventItem) item = g_list_model_get_item (model, i);
      g_assert_nonnull (strstr (dh_event_item_get_name (item), "pastebin.com"));
    }
  gtk_window_destroy (GTK_WINDOW (window));
  g_object_unref (page);
}

/* Every event is what a load shows first: the table is the investigation's
 * time order itself, there at once, with no filter pass over the events (at
 * ten million events that pass and its copy ran right at the hand-over). */
static void
test_events_unfiltered (void)
{
  g_autoptr(DhInvestigation) inv = dh_test_load (DH_SOURCE_DEMO_DIR);
  DhEventsPage *page = g_object_ref_sink (g_object_new (DH_TYPE_EVENTS_PAGE, NULL));
  DhEventModel *model = DH_EVENT_MODEL (dh_events_page_get_model (page));
  GtkWidget *window = show_in_window (GTK_WIDGET (page));
  GArray *order = dh_investigation_get_time_order (inv);

  dh_page_set_investigation (DH_PAGE (page), inv);
  g_assert_false (dh_events_page_is_filtering (page));
  g_assert_cmpuint (dh_events_page_get_n_shown (page), ==, 5000);
  g_assert_cmpuint (dh_event_model_get_n_events (model), ==, 5000);
  for (guint i = 0; i < 5000; i += 97)
    g_assert_cmpuint (dh_event_model_get_event_index (model, i), ==,
                      g_array_index (order, guint32, i));

  /* a filter needs a pass; clearing it does not */
  dh_events_page_set_filter (page, "10.0.137.29", NULL);
  g_assert_true (dh_events_page_is_filtering (page));
  dh_test_run_until (events_idle, page);
  g_assert_cmpuint (dh_events_page_get_n_shown (page), ==, 34);
  dh_events_page_set_filter (page, NULL, NULL);
  g_assert_false (dh_events_page_is_filtering (page));
  g_assert_cmpuint (dh_events_page_get_n_shown (page), ==, 5000);

  /* a new load hands over the same way */
  {
    DhTestLoad r = { 0 };
    dh_investigation_load_async (inv, NULL, NULL, dh_test_load_cb, &r);
    dh_test_run_until (dh_test_load_finished, &r);
    g_assert_true (r.ok);
    dh_load_report_free (r.report);
  }
  g_assert_false (dh_events_page_is_filtering (page));
  g_assert_cmpuint (dh_events_page_get_n_shown (page), ==, 5000);
  g_assert_cmpuint (dh_event_model_get_event_index (model, 4999), ==,
                    g_array_index (dh_investigation_get_time_order (inv), guint32, 4999));
  gtk_window_destroy (GTK_WINDOW (window));
  g_object_unref (page);
}

static void
test_timeline (void)
{
  g_autoptr(DhInvestigation) inv = dh_test_load (DH_SOURCE_DEMO_DIR);
  DhTimelinePage *page = g_object_ref_sink (g_object_new (DH_TYPE_TIMELINE_PAGE, NULL));
  GListModel *events = dh_timeline_page_get_events_model (page);
  GtkWidget *window = show_in_window (GTK_WIDGET (page));
  DhTimelineView *view = (DhTimelineView *) dh_timeline_page_get_view (page);
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, 800, 220);
  cairo_t *cr = cairo_create (surface);
  gint64 start, end;

  dh_page_set_investigation (DH_PAGE (page), inv);
  /* starts on the host of the most severe alert */
  g_assert_cmpstr (dh_timeline_page_get_host (page), ==, "10.0.137.29");
  g_assert_false (dh_timeline_page_show_host (page, "192.0.2.99"));
  g_assert_true (dh_timeline_page_show_host (page, "10.0.137.29"));
  wait_for_rows (table_rows (window), 34);
  g_assert_cmpuint (g_list_model_get_n_items (events), ==, 34);

  /* a selected range lists that range's events */
  g_assert_true (dh_time_parse_iso8601 ("2026-03-02T09:20:21Z", 20, &start));
  g_assert_true (dh_time_parse_iso8601 ("2026-03-02T09:21:16Z", 20, &end));
  dh_timeline_view_set_selection (view, start, end);
  g_assert_cmpuint (g_list_model_get_n_items (events), ==, 4);
  dh_timeline_view_zoom (view, 0.5, 0.5);
  dh_timeline_view_clear_selection (view);
  wait_for_rows (table_rows (window), 34);
  g_assert_cmpuint (g_list_model_get_n_items (events), ==, 34);

  /* the one render function draws */
  cairo_set_source_rgb (cr, 0, 0, 0);
  dh_timeline_view_render (view, cr, 800, 220);
  g_assert_cmpint (cairo_status (cr), ==, CAIRO_STATUS_SUCCESS);
  cairo_destroy (cr);
  cairo_surface_destroy (surface);
  gtk_window_destroy (GTK_WINDOW (window));
  g_object_unref (page);
}

static void
test_hosts (void)
{
  g_autoptr(DhInvestigation) inv = dh_test_load (DH_SOURCE_DEMO_DIR);
  DhHostsPage *page = g_object_ref_sink (g_object_new (DH_TYPE_HOSTS_PAGE, NULL));
  GListModel *model;
  g_autoptr(DhHostItem) top = NULL;

  dh_page_set_investigation (DH_PAGE (page), inv);
  model = dh_hosts_page_get_model (page);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 33);
  /* hosts with the worst alerts come first */
  top = g_list_model_get_item (model, 0);
  g_assert_cmpuint (dh_host_item_get_n_alerts (top, DH_SEVERITY_HIGH), ==, 1);
  g_object_unref (page);
}

/* More hosts than the page hands its table in one frame: all of them reach
 * the table, in order (the busiest first when none has an alert). */
static void
test_hosts_many (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) s = g_string_new (NULL);
  g_autofree char *dir = g_dir_make_tmp ("dnshunt-ui-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "many.log", NULL);
  g_autoptr(DhInvestigation) inv = NULL;
  DhHostsPage *page;
  GtkWidget *window;
  GListModel *shown;
  GtkWidget *count;

  g_assert_no_error (error);
  for (guint h = 0; h < 150; h++)
    for (guint i = 0; i <= h % 5; i++)
      {
        g_autofree char *host = g_strdup_printf ("10.1.%u.%u", h / 100, h % 100);
        g_autofree char *line = test_record_line (&(TestRecord) { .host = host });
        g_string_append (s, line);
      }
  g_assert_true (g_file_set_contents (path, s->str, s->len, NULL));
  inv = dh_test_load (path);

  page = g_object_new (DH_TYPE_HOSTS_PAGE, NULL);
  dh_page_set_investigation (DH_PAGE (page), inv);
  window = show_in_window (GTK_WIDGET (page));
  shown = table_rows (window);
  wait_for_rows (shown, 150);
  for (guint i = 0; i < 150; i++)
    {
      g_autoptr(DhHostItem) item = g_list_model_get_item (shown, i);
      /* 30 hosts have 5 queries, 30 have 4, ... */
      g_assert_cmpuint (dh_host_item_get_stats (item)->n_events, ==, 5 - i / 30);
    }
  count = find_widget (window, is_label_saying, "150 of 150 hosts");
  g_assert_nonnull (count);

  gtk_window_destroy (GTK_WINDOW (window));
  g_unlink (path);
  g_rmdir (dir);
}

/* Pages ----------------------------------------------------------------------- */

static gboolean
is_search_entry (GtkWidget     *widget,
                 gconstpointer  data)
{
  return GTK_IS_SEARCH_ENTRY (widget);
}

/* A page follows one investigation: given another, it shows that one and no
 * longer hears from the first. */
static void
test_page_follows_one (void)
{
  g_autofree char *dir = NULL;
  g_autofree char *path = write_hostile_log (&dir);
  g_autoptr(DhInvestigation) demo = dh_test_load (DH_SOURCE_DEMO_DIR);
  g_autoptr(DhInvestigation) hostile = dh_test_load (path);
  g_autoptr(GError) error = NULL;
  DhAlertsPage *page = g_object_ref_sink (g_object_new (DH_TYPE_ALERTS_PAGE, NULL));
  GListModel *all = dh_alerts_page_get_model (page);

  g_assert_null (dh_page_get_investigation (DH_PAGE (page)));
  g_object_set (page, "investigation", demo, NULL);
  g_assert_true (dh_page_get_investigation (DH_PAGE (page)) == demo);
  g_assert_cmpuint (g_list_model_get_n_items (all), ==, 11);

  dh_page_set_investigation (DH_PAGE (page), hostile);
  g_assert_cmpuint (g_list_model_get_n_items (all), ==, 1);

  /* the demo's new alerts are not this page's any more */
  g_assert_true (dh_investigation_set_setting (demo, "nxdomain-burst", "threshold", "20", &error));
  g_assert_no_error (error);
  dh_test_run_until (dh_test_not_analyzing, demo);
  spin (200);
  g_assert_cmpuint (g_list_model_get_n_items (all), ==, 1);

  /* the hostile log's are */
  g_assert_true (dh_investigation_set_setting (hostile, "paste-site", "enabled", "false", &error));
  g_assert_no_error (error);
  dh_test_run_until (dh_test_not_analyzing, hostile);
  spin (200);
  g_assert_cmpuint (g_list_model_get_n_items (all), ==, 0);

  g_object_unref (page);
  remove_tmp (dir, path);
}

/* Markup safety --------------------------------------------------------------- */

static void
collect_texts (GtkWidget *widget,
               GPtrArray *labels)
{
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c; c = gtk_widget_get_next_sibling (c))
    {
      if (GTK_IS_LABEL (c) || GTK_IS_INSCRIPTION (c))
        g_ptr_array_add (labels, c);
      collect_texts (c, labels);
    }
}

static void
test_markup_is_text (void)
{
  g_autofree char *dir = NULL;
  g_autofree char *path = write_hostile_log (&dir);
  g_autoptr(DhInvestigation) inv = dh_test_load (path);
  DhAlertsPage *page = g_object_ref_sink (g_object_new (DH_TYPE_ALERTS_PAGE, NULL));
  GtkWidget *window = gtk_window_new ();
  g_autoptr(GPtrArray) labels = g_ptr_array_new ();
  DhAlertItem *item;
  gboolean saw_name = FALSE, saw_host = FALSE;

  dh_page_set_investigation (DH_PAGE (page), inv);
  g_assert_cmpuint (g_list_model_get_n_items (dh_alerts_page_get_model (page)), ==, 1);
  item = dh_alerts_page_get_selected (page);
  g_assert_nonnull (item);
  g_assert_cmpstr (dh_alert_item_get_rule (item)->id, ==, "paste-site");

  gtk_window_set_child (GTK_WINDOW (window), GTK_WIDGET (page));
  gtk_window_set_default_size (GTK_WINDOW (window), 1200, 800);
  gtk_window_present (GTK_WINDOW (window));
  spin (500);

  collect_texts (GTK_WIDGET (page), labels);
  for (guint i = 0; i < labels->len; i++)
    {
      GtkWidget *w = labels->pdata[i];
      const char *text;

      if (GTK_IS_LABEL (w))
        {
          text = gtk_label_get_text (GTK_LABEL (w));
          if (strstr (text, "pwn") || strstr (text, "0bad"))
            {
              /* shown exactly as logged: not parsed, not escaped twice */
              g_assert_false (gtk_label_get_use_markup (GTK_LABEL (w)));
              g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (w)), ==, text);
              g_assert_nonnull (strstr (pango_layout_get_text (gtk_label_get_layout (GTK_LABEL (w))),
                                        strstr (text, "pwn") ? HOSTILE_NAME : HOSTILE_ID));
              saw_name |= g_str_equal (text, HOSTILE_NAME);
              saw_host |= strstr (text, HOSTILE_ID) != NULL;
            }
        }
      else
        {
          text = gtk_inscription_get_text (GTK_INSCRIPTION (w));
          if (text && strstr (text, "pwn"))
            {
              g_assert_cmpstr (text, ==, HOSTILE_NAME);
              g_assert_null (gtk_inscription_get_attributes (GTK_INSCRIPTION (w)));
              saw_name = TRUE;
            }
        }
    }
  g_assert_true (saw_name);
  g_assert_true (saw_host);

  gtk_window_destroy (GTK_WINDOW (window));
  g_object_unref (page);
  remove_tmp (dir, path);
}

/* The window: cases ---------------------------------------------------------- */

static gboolean
window_loaded (gpointer data)
{
  DhInvestigation *inv = dh_window_get_investigation (data);

  return dh_investigation_has_data (inv) && !dh_investigation_is_loading (inv) &&
         !dh_investigation_is_analyzing (inv);
}

static void
test_case_roundtrip (void)
{
  g_autoptr(DhApplication) app = dh_application_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("dnshunt-case-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "case.json", NULL);
  const char *paths[] = { DH_SOURCE_DEMO_DIR, NULL };
  DhWindow *window, *other;
  DhAlertsPage *page;
  const DhTriage *t;
  const DhAlert *alert;
  DhAlertSet *set;

  g_application_set_flags (G_APPLICATION (app),
                           G_APPLICATION_NON_UNIQUE | G_APPLICATION_HANDLES_OPEN);
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, &error));
  g_assert_no_error (error);

  window = dh_window_new (app);
  dh_window_open_paths (window, paths, FALSE);
  dh_test_run_until (window_loaded, window);

  /* opening more logs adds them to the investigation, and to the recent list */
  {
    g_autofree char *hostile_dir = NULL;
    g_autofree char *hostile = write_hostile_log (&hostile_dir);
    const char *more[] = { hostile, NULL };
    g_auto(GStrv) recent = NULL;
    DhInvestigation *inv = dh_window_get_investigation (window);

    dh_window_open_paths (window, more, FALSE);
    g_assert_true (dh_investigation_is_loading (inv));
    g_assert_true (dh_investigation_has_data (inv));   /* the old data stays meanwhile */
    dh_test_run_until (window_loaded, window);
    g_assert_cmpuint (dh_investigation_get_inputs (inv)->len, ==, 2);
    g_assert_cmpuint (dh_event_store_get_n_events (dh_investigation_get_store (inv)), ==, 5030);
    recent = g_settings_get_strv (dh_application_get_settings (app), "recent-inputs");
    g_assert_cmpuint (g_strv_length (recent), ==, 2);
    g_assert_true (g_strv_contains ((const char * const *) recent, hostile));

    /* back to the demo alone for the rest */
    dh_investigation_clear (inv);
    dh_window_open_paths (window, paths, FALSE);
    dh_test_run_until (window_loaded, window);
    remove_tmp (hostile_dir, hostile);
  }
  g_assert_true (dh_window_set_setting (window, "nxdomain-burst", "threshold", "20", &error));
  dh_test_run_until (window_loaded, window);
  set = dh_investigation_get_alerts (dh_window_get_investigation (window));
  g_assert_cmpuint (dh_alert_set_get_n_alerts (set), ==, 13);
  alert = dh_alert_set_get_alert (set, 0);
  dh_investigation_set_triage (dh_window_get_investigation (window), alert, DH_TRIAGE_ESCALATED,
                               "isolate <now> & rebuild");
  g_assert_true (dh_window_save_case (window, path, &error));
  g_assert_no_error (error);

  /* the settings were kept in GSettings too */
  {
    g_autoptr(GVariant) v = g_settings_get_value (dh_application_get_settings (app), "rule-settings");
    const char *threshold = NULL;
    g_assert_true (g_variant_lookup (v, "nxdomain-burst.threshold", "&s", &threshold));
    g_assert_cmpstr (threshold, ==, "20");
  }

  /* a fresh window with default settings reopens the case as it was */
  g_assert_true (dh_window_set_setting (window, "nxdomain-burst", "threshold", "100", &error));
  other = dh_window_new (app);
  g_assert_true (dh_window_open_case (other, path, &error));
  g_assert_no_error (error);
  dh_test_run_until (window_loaded, other);
  set = dh_investigation_get_alerts (dh_window_get_investigation (other));
  g_assert_cmpuint (dh_alert_set_get_n_alerts (set), ==, 13);
  t = dh_investigation_lookup_triage (dh_window_get_investigation (other),
                                      dh_alert_set_get_alert (set, 0));
  g_assert_nonnull (t);
  g_assert_cmpint (t->state, ==, DH_TRIAGE_ESCALATED);
  g_assert_cmpstr (t->note, ==, "isolate <now> & rebuild");

  /* and the alert list shows it */
  spin (300);
  page = DH_ALERTS_PAGE (gtk_widget_get_template_child (GTK_WIDGET (other), DH_TYPE_WINDOW,
                                                        "alerts_page"));
  g_assert_cmpint (dh_alert_item_get_state (dh_alerts_page_get_selected (page)), ==,
                   DH_TRIAGE_ESCALATED);

  gtk_window_destroy (GTK_WINDOW (window));
  gtk_window_destroy (GTK_WINDOW (other));
  g_unlink (path);
  g_rmdir (dir);
}

/* The window: settings ------------------------------------------------------ */

static DhApplication *settings_app;

/* One application for the settings tests, under its own id, with the
 * default rule settings (GSettings outlive each test in this process). */
static DhApplication *
get_settings_app (void)
{
  g_autoptr(GError) error = NULL;

  if (settings_app == NULL)
    {
      settings_app = dh_application_new ();
      g_application_set_application_id (G_APPLICATION (settings_app),
                                        "io.github.dnshunt.DnsHunt.SettingsTest");
      g_application_set_flags (G_APPLICATION (settings_app),
                               G_APPLICATION_NON_UNIQUE | G_APPLICATION_HANDLES_OPEN);
      g_assert_true (g_application_register (G_APPLICATION (settings_app), NULL, &error));
      g_assert_no_error (error);
    }
  g_settings_reset (dh_application_get_settings (settings_app), "rule-settings");
  return settings_app;
}

static gboolean
focus_within (GtkWidget *window,
              GtkWidget *widget)
{
  GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (window));

  return focus && (focus == widget || gtk_widget_is_ancestor (focus, widget));
}

/* The window's pages show the window's investigation (bound in
 * dh-window.ui), and Find focuses the search of the view shown, or the
 * alerts' where the view has none. */
static void
test_window_pages (void)
{
  const char *paths[] = { DH_SOURCE_DEMO_DIR, NULL };
  const char *names[] = { "overview_page", "alerts_page", "hosts_page", "timeline_page",
                          "events_page" };
  const struct { const char *view, *shown, *page; } finds[] = {
    { "hosts", "hosts", "hosts_page" },
    { "events", "events", "events_page" },
    { "overview", "alerts", "alerts_page" },
    { "timeline", "alerts", "alerts_page" },
  };
  DhWindow *window;
  AdwViewStack *stack;

  window = dh_window_new (get_settings_app ());
  g_assert_nonnull (dh_window_get_investigation (window));
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      GObject *page = gtk_widget_get_template_child (GTK_WIDGET (window), DH_TYPE_WINDOW,
                                                     names[i]);
      g_assert_true (dh_page_get_investigation (DH_PAGE (page)) ==
                     dh_window_get_investigation (window));
    }

  gtk_window_present (GTK_WINDOW (window));
  dh_window_open_paths (window, paths, FALSE);
  dh_test_run_until (window_loaded, window);
  stack = ADW_VIEW_STACK (gtk_widget_get_template_child (GTK_WIDGET (window), DH_TYPE_WINDOW,
                                                         "view_stack"));
  for (guint i = 0; i < G_N_ELEMENTS (finds); i++)
    {
      GtkWidget *page = GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (window),
                                                                   DH_TYPE_WINDOW,
                                                                   finds[i].page));
      GtkWidget *entry = find_widget (page, is_search_entry, NULL);

      g_action_group_activate_action (G_ACTION_GROUP (window), "show-view",
                                      g_variant_new_string (finds[i].view));
      spin (50);
      g_assert_false (focus_within (GTK_WIDGET (window), entry));
      g_action_group_activate_action (G_ACTION_GROUP (window), "find", NULL);
      g_assert_cmpstr (adw_view_stack_get_visible_child_name (stack), ==, finds[i].shown);
      g_assert_true (focus_within (GTK_WIDGET (window), entry));
    }
  g_object_add_weak_pointer (G_OBJECT (window), (gpointer *) &window);
  gtk_window_destroy (GTK_WINDOW (window));
  spin (100);
  g_assert_null (window);
}

static char *
saved_setting (const char *key)
{
  GSettings *settings = dh_application_get_settings (settings_app);
  g_autoptr(GVariant) v = g_settings_get_value (settings, "rule-settings");
  const char *value = NULL;

  return g_variant_lookup (v, key, "&s", &value) ? g_strdup (value) : NULL;
}

static void
find_entry_rows (GtkWidget  *widget,
                 const char *title,
                 GPtrArray  *found)
{
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c; c = gtk_widget_get_next_sibling (c))
    {
      if (ADW_IS_ENTRY_ROW (c) &&
          g_strcmp0 (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (c)), title) == 0)
        g_ptr_array_add (found, c);
      find_entry_rows (c, title, found);
    }
}

/* A host allowlist entry that is not an address or range is an error in
 * Preferences, shown on the row, and neither applied nor kept. */
static void
test_preferences_allow_hosts (void)
{
  DhApplication *app = get_settings_app ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) rows = g_ptr_array_new ();
  DhWindow *window = dh_window_new (app);
  DhRuleBook *book = dh_investigation_get_rule_book (dh_window_get_investigation (window));
  DhPreferencesWindow *prefs;
  const char *bad[] = { "0.0.0.0/-1", "10.0.0.0/33", "::/129", "10.0.0.0/", "not-an-ip" };

  g_assert_true (dh_window_set_setting (window, "all", "allow-hosts", "10.1.0.0/16", &error));
  g_assert_no_error (error);
  prefs = dh_preferences_window_new (GTK_WINDOW (window), dh_window_get_session (window));
  gtk_window_present (GTK_WINDOW (prefs));
  find_entry_rows (GTK_WIDGET (prefs), "Allowed hosts", rows);
  g_assert_cmpuint (rows->len, ==, DH_N_RULES + 1);   /* each rule's, and every rule's */

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    for (guint r = 0; r < rows->len; r++)
      {
        GtkWidget *row = rows->pdata[r];
        g_autofree char *kept = NULL;
        g_autofree char *all = NULL;

        gtk_editable_set_text (GTK_EDITABLE (row), bad[i]);
        g_signal_emit_by_name (row, "apply");
        g_assert_true (gtk_widget_has_css_class (row, "error"));
        all = dh_rule_book_get_value_string (book, "all", "allow-hosts");
        g_assert_cmpstr (all, ==, "10.1.0.0/16");
        for (guint k = 0; k < DH_N_RULES; k++)
          g_assert_cmpuint (dh_rule_get_list (dh_rule_book_get_rule (book, k),
                                              "allow-hosts")->len, ==, 0);
        kept = saved_setting ("all.allow-hosts");
        g_assert_cmpstr (kept, ==, "10.1.0.0/16");
      }

  /* a valid range then applies, and the error goes */
  for (guint r = 0; r < rows->len; r++)
    {
      GtkWidget *row = rows->pdata[r];

      gtk_editable_set_text (GTK_EDITABLE (row), "10.0.0.0/8, fd00::/8");
      g_signal_emit_by_name (row, "apply");
      g_assert_false (gtk_widget_has_css_class (row, "error"));
    }
  {
    g_autofree char *all = dh_rule_book_get_value_string (book, "all", "allow-hosts");
    g_assert_cmpstr (all, ==, "10.0.0.0/8,fd00::/8");
  }

  gtk_window_destroy (GTK_WINDOW (prefs));
  gtk_window_destroy (GTK_WINDOW (window));
  spin (50);
}

#define FAKE_SECRET "aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYFAKESECRET"

static void
remove_dir (const char *dir)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;

  while (d && (name = g_dir_read_name (d)))
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);
      g_unlink (path);
    }
  g_rmdir (dir);
}

static char *
value_of (DhWindow   *window,
          const char *rule_id,
          const char *key)
{
  return dh_rule_book_get_value_string (
    dh_investigation_get_rule_book (dh_window_get_investigation (window)), rule_id, key);
}

/* A case file is someone else's data: a setting in it that names a file is
 * left out (the rest of the case opens), and its settings apply to that
 * investigation only; neither reaches GSettings nor a case saved after. */
static void
test_case_settings_stay (void)
{
  DhApplication *app = get_settings_app ();
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("dnshunt-case-XXXXXX", NULL);
  g_autofree char *secret = g_build_filename (dir, "credentials", NULL);
  g_autofree char *path = g_build_filename (dir, "case.json", NULL);
  g_autofree char *saved = g_build_filename (dir, "saved.json", NULL);
  g_autofree char *json = NULL;
  g_autofree char *text = NULL;
  g_autofree char *list = NULL;
  g_autofree char *def = NULL;
  g_autofree char *allow = NULL;
  g_autofree char *threshold = NULL;
  g_autofree char *hosts = NULL;
  g_autoptr(GVariant) kept = NULL;
  DhWindow *window, *next;

  g_assert_true (g_file_set_contents (secret, "[default]\n" FAKE_SECRET "\n", -1, &error));
  json = g_strdup_printf ("{\"dnshunt_case\": 1, \"inputs\": [\"%s\"], \"settings\": {"
                          "\"paste-site.list-file\": \"%s\", "
                          "\"paste-site.allow\": \"case-only.example\", "
                          "\"nxdomain-burst.threshold\": \"20\", "
                          "\"all.allow-hosts\": \"10.0.0.0/33\"}}",
                          DH_SOURCE_DEMO_DIR, secret);
  g_assert_true (g_file_set_contents (path, json, -1, &error));

  window = dh_window_new (app);
  g_assert_true (dh_window_open_case (window, path, &error));
  g_assert_no_error (error);
  dh_test_run_until (window_loaded, window);

  /* the case's values are in effect; the file it named was not read */
  list = value_of (window, "paste-site", "list");
  def = dh_rule_book_get_value_string (dh_window_get_default_rules (window), "paste-site", "list");
  g_assert_cmpstr (list, ==, def);
  g_assert_null (strstr (list, "FAKESECRET"));
  allow = value_of (window, "paste-site", "allow");
  g_assert_cmpstr (allow, ==, "case-only.example");
  threshold = value_of (window, "nxdomain-burst", "threshold");
  g_assert_cmpstr (threshold, ==, "20");
  hosts = value_of (window, "all", "allow-hosts");
  g_assert_cmpstr (hosts, ==, "");   /* not valid: left out */

  /* nothing of the case was kept for next time */
  kept = g_settings_get_value (dh_application_get_settings (app), "rule-settings");
  g_assert_cmpuint (g_variant_n_children (kept), ==, 0);

  /* a case saved now holds the case's values, and nothing of the file */
  g_assert_true (dh_window_save_case (window, saved, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (saved, &text, NULL, &error));
  g_assert_null (strstr (text, "FAKESECRET"));
  g_assert_null (strstr (text, "list-file"));
  g_assert_nonnull (strstr (text, "case-only.example"));

  /* a change the user makes is kept, that one alone */
  g_assert_true (dh_window_set_setting (window, "refused-burst", "threshold", "7", &error));
  g_clear_pointer (&kept, g_variant_unref);
  kept = g_settings_get_value (dh_application_get_settings (app), "rule-settings");
  g_assert_cmpuint (g_variant_n_children (kept), ==, 1);
  g_clear_pointer (&threshold, g_free);
  threshold = saved_setting ("refused-burst.threshold");
  g_assert_cmpstr (threshold, ==, "7");

  /* and a new window starts from the user's settings, not the case's */
  next = dh_window_new (app);
  g_clear_pointer (&allow, g_free);
  allow = value_of (next, "paste-site", "allow");
  g_assert_cmpstr (allow, ==, "");
  g_clear_pointer (&threshold, g_free);
  threshold = value_of (next, "refused-burst", "threshold");
  g_assert_cmpstr (threshold, ==, "7");

  gtk_window_destroy (GTK_WINDOW (window));
  gtk_window_destroy (GTK_WINDOW (next));
  spin (50);
  remove_dir (dir);
}

/* A case whose list file is a FIFO opens at once (the setting is left out),
 * and a FIFO as the case file itself is an error, not a frozen window. */
static void
test_case_fifo (void)
{
  DhApplication *app = get_settings_app ();
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("dnshunt-case-XXXXXX", NULL);
  g_autofree char *fifo = g_build_filename (dir, "fifo", NULL);
  g_autofree char *path = g_build_filename (dir, "case.json", NULL);
  g_autofree char *json = NULL;
  g_autofree char *list = NULL;
  g_autofree char *def = NULL;
  DhWindow *window = dh_window_new (app);

  g_assert_cmpint (mkfifo (fifo, 0600), ==, 0);
  json = g_strdup_printf ("{\"dnshunt_case\": 1, \"settings\": "
                          "{\"monero-pool.list-file\": \"%s\"}}", fifo);
  g_assert_true (g_file_set_contents (path, json, -1, &error));

  alarm (60);   /* a safety net: a blocked open fails the test rather than hang */
  g_assert_true (dh_window_open_case (window, path, &error));
  g_assert_no_error (error);
  g_assert_false (dh_window_open_case (window, fifo, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_REGULAR_FILE);
  alarm (0);

  list = value_of (window, "monero-pool", "list");
  def = dh_rule_book_get_value_string (dh_window_get_default_rules (window), "monero-pool",
                                       "list");
  g_assert_cmpstr (list, ==, def);

  gtk_window_destroy (GTK_WINDOW (window));
  spin (50);
  remove_dir (dir);
}

/* A case of 100,000 inputs opens in the window (the demo, and logs that are
 * gone), and the inputs are all there once it is read. */
static void
test_case_many_inputs (void)
{
  DhApplication *app = get_settings_app ();
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("dnshunt-case-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "case.json", NULL);
  g_autofree char *saved = g_build_filename (dir, "saved.json", NULL);
  g_autoptr(GString) json = g_string_new ("{\"dnshunt_case\": 1, \"inputs\": [");
  g_autoptr(DhCase) back = NULL;
  const guint n = 100000;
  DhWindow *window = dh_window_new (app);
  DhInvestigation *inv = dh_window_get_investigation (window);

  g_string_append_printf (json, "\"%s\"", DH_SOURCE_DEMO_DIR);
  for (guint i = 1; i < n; i++)
    g_string_append_printf (json, ",\"%s/gone/part-%06u.log.gz\"", dir, i);
  g_string_append (json, "]}");
  g_assert_true (g_file_set_contents (path, json->str, json->len, &error));

  alarm (120);   /* a safety net only */
  g_assert_true (dh_window_open_case (window, path, &error));
  g_assert_no_error (error);
  dh_test_run_until (window_loaded, window);
  g_assert_cmpuint (dh_investigation_get_inputs (inv)->len, ==, n);
  g_assert_cmpuint (dh_event_store_get_n_events (dh_investigation_get_store (inv)), ==, 5000);

  g_assert_true (dh_window_save_case (window, saved, &error));
  back = dh_case_load (saved, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (dh_case_get_inputs (back)->len, ==, n);
  alarm (0);

  gtk_window_destroy (GTK_WINDOW (window));
  spin (50);
  remove_dir (dir);
}

static gboolean
list_is_ours (gpointer data)
{
  g_autofree char *list = value_of (data, "paste-site", "list");

  return g_strcmp0 (list, "ours.example,theirs.example") == 0;
}

/* A list file the user named in GSettings is read in a worker: a FIFO there
 * does not freeze the window. Its contents are not written back into
 * GSettings; a case saved after holds the list, which the user chose. */
static void
test_saved_list_file (void)
{
  DhApplication *app = get_settings_app ();
  GSettings *settings = dh_application_get_settings (app);
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("dnshunt-list-XXXXXX", NULL);
  g_autofree char *fifo = g_build_filename (dir, "fifo", NULL);
  g_autofree char *ours = g_build_filename (dir, "ours.txt", NULL);
  g_autofree char *saved = g_build_filename (dir, "saved.json", NULL);
  g_autofree char *text = NULL;
  g_autofree char *kept = NULL;
  g_autofree char *list = NULL;
  g_autofree char *def = NULL;
  GVariantBuilder builder;
  DhWindow *window;

  g_assert_cmpint (mkfifo (fifo, 0600), ==, 0);
  g_assert_true (g_file_set_contents (ours, "# ours\nours.example\ntheirs.example\n", -1,
                                      &error));
  g_variant_builder_init (&builder, G_VARIANT_TYPE ("a{ss}"));
  g_variant_builder_add (&builder, "{ss}", "paste-site.list-file", ours);
  g_variant_builder_add (&builder, "{ss}", "monero-pool.list-file", fifo);
  g_settings_set_value (settings, "rule-settings", g_variant_builder_end (&builder));

  alarm (60);   /* a safety net, as above */
  window = dh_window_new (app);
  g_assert_false (dh_window_set_setting (window, "paste-site", "list-file", fifo, &error));
  g_assert_nonnull (error);
  g_clear_error (&error);
  alarm (0);
  dh_test_run_until (list_is_ours, window);
  spin (100);
  list = value_of (window, "monero-pool", "list");
  def = dh_rule_book_get_value_string (dh_window_get_default_rules (window), "monero-pool",
                                       "list");
  g_assert_cmpstr (list, ==, def);

  /* another change leaves the file named as it was, not its contents */
  g_assert_true (dh_window_set_setting (window, "refused-burst", "threshold", "7", &error));
  kept = saved_setting ("paste-site.list-file");
  g_assert_cmpstr (kept, ==, ours);
  g_assert_null (saved_setting ("paste-site.list"));

  g_assert_true (dh_window_save_case (window, saved, &error));
  g_assert_true (g_file_get_contents (saved, &text, NULL, &error));
  g_assert_nonnull (strstr (text, "ours.example,theirs.example"));
  g_assert_null (strstr (text, "list-file"));

  /* a list typed in Preferences replaces the file */
  g_assert_true (dh_window_set_setting (window, "paste-site", "list", "typed.example", &error));
  g_assert_null (saved_setting ("paste-site.list-file"));
  g_clear_pointer (&kept, g_free);
  kept = saved_setting ("paste-site.list");
  g_assert_cmpstr (kept, ==, "typed.example");

  gtk_window_destroy (GTK_WINDOW (window));
  spin (50);
  remove_dir (dir);
}

/* Export ------------------------------------------------------------------- */

/* A strict enough reading of the report's HTML: every element closed in order
 * (void elements aside), nothing left open, text in <style> skipped. Fills
 * @sections with the id of each <section class="alert">. */
static gboolean
html_is_balanced (const char *html,
                  GPtrArray  *sections)
{
  static const char *void_tags[] = { "meta", "br", "hr", "img", "link", "input", "col", "wbr",
                                     "source", NULL };
  g_autoptr(GPtrArray) stack = g_ptr_array_new_with_free_func (g_free);
  const char *p = html;

  while ((p = strchr (p, '<')) != NULL)
    {
      gboolean closing;
      const char *start, *end;
      g_autofree char *name = NULL;

      if (g_str_has_prefix (p, "<!--"))
        {
          if (!(p = strstr (p, "-->")))
            return FALSE;
          continue;
        }
      if (g_str_has_prefix (p, "<!"))
        {
          p = strchr (p, '>');
          if (!p)
            return FALSE;
          continue;
        }
      closing = p[1] == '/';
      start = p + (closing ? 2 : 1);
      for (end = start; g_ascii_isalnum (*end); end++)
        ;
      if (end == start)
        return FALSE;   /* a bare '<' in text: the escaping failed */
      name = g_ascii_strdown (start, end - start);
      if (!(p = strchr (end, '>')))
        return FALSE;
      if (closing)
        {
          if (stack->len == 0 || !g_str_equal (stack->pdata[stack->len - 1], name))
            return FALSE;
          g_ptr_array_set_size (stack, stack->len - 1);
          continue;
        }
      if (g_str_equal (name, "section") && sections)
        {
          g_autofree char *tag = g_strndup (start, p - start);
          const char *id = strstr (tag, "id=\"");
          if (strstr (tag, "class=\"alert\"") && id)
            g_ptr_array_add (sections, g_strndup (id + 4, strchr (id + 4, '"') - (id + 4)));
        }
      if (g_strv_contains (void_tags, name) || p[-1] == '/')
        continue;
      if (g_str_equal (name, "style") || g_str_equal (name, "script"))
        {
          g_autofree char *close = g_strdup_printf ("</%s>", name);
          if (!(p = strstr (p, close)))
            return FALSE;
          p += strlen (close);
          continue;
        }
      g_ptr_array_add (stack, g_steal_pointer (&name));
    }
  return stack->len == 0;
}

static DhExportDialog *
find_export_dialog (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();   /* (transfer none) */
  guint n = g_list_model_get_n_items (toplevels);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GObject) w = g_list_model_get_item (toplevels, i);
      if (DH_IS_EXPORT_DIALOG (w))
        return DH_EXPORT_DIALOG (w);
    }
  return NULL;
}

static gboolean
export_idle (gpointer data)
{
  return !dh_export_dialog_is_busy (data);
}

static DhApplication *export_app;

typedef struct
{
  DhApplication *app;
  DhWindow      *window;
  char          *dir;
} ExportFixture;

static void
export_setup (ExportFixture *f,
              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  const char *paths[] = { DH_SOURCE_DEMO_DIR, NULL };
  GAction *action;

  /* One application for these tests, registered once, under its own id (the
   * case test's may still be exported while its windows finish closing). */
  if (export_app == NULL)
    {
      export_app = dh_application_new ();
      g_application_set_application_id (G_APPLICATION (export_app),
                                        "io.github.dnshunt.DnsHunt.ExportTest");
      g_application_set_flags (G_APPLICATION (export_app),
                               G_APPLICATION_NON_UNIQUE | G_APPLICATION_HANDLES_OPEN);
      g_assert_true (g_application_register (G_APPLICATION (export_app), NULL, &error));
      g_assert_no_error (error);
    }
  f->app = g_object_ref (export_app);
  /* the default rule settings (GSettings outlive each test in this process) */
  g_settings_reset (dh_application_get_settings (f->app), "rule-settings");
  f->window = dh_window_new (f->app);
  gtk_window_present (GTK_WINDOW (f->window));

  /* nothing to export before logs are read */
  action = g_action_map_lookup_action (G_ACTION_MAP (f->window), "export");
  g_assert_nonnull (action);
  g_assert_false (g_action_get_enabled (action));

  dh_window_open_paths (f->window, paths, FALSE);
  dh_test_run_until (window_loaded, f->window);
  g_assert_true (g_action_get_enabled (action));
  {
    g_auto(GStrv) accels = gtk_application_get_accels_for_action (GTK_APPLICATION (f->app),
                                                                  "win.export");
    g_assert_true (g_strv_contains ((const char * const *) accels, "<Control>e"));
  }
  f->dir = g_dir_make_tmp ("dnshunt-export-XXXXXX", NULL);
  g_assert_nonnull (f->dir);
}

static void
export_teardown (ExportFixture *f,
                 gconstpointer  data)
{
  g_autoptr(GDir) dir = g_dir_open (f->dir, 0, NULL);
  const char *name;

  while (dir && (name = g_dir_read_name (dir)))
    {
      g_autofree char *path = g_build_filename (f->dir, name, NULL);
      g_unlink (path);
    }
  g_rmdir (f->dir);
  g_free (f->dir);
  gtk_window_destroy (GTK_WINDOW (f->window));
  spin (50);
  g_clear_object (&f->app);
}

/* Opens the dialog through win.export, as Ctrl+E does. */
static DhExportDialog *
open_export_dialog (ExportFixture *f)
{
  DhExportDialog *dialog;

  g_assert_null (find_export_dialog ());
  g_action_group_activate_action (G_ACTION_GROUP (f->window), "export", NULL);
  dialog = find_export_dialog ();
  g_assert_nonnull (dialog);
  g_assert_true (gtk_window_get_transient_for (GTK_WINDOW (dialog)) == GTK_WINDOW (f->window));
  g_assert_true (gtk_window_get_modal (GTK_WINDOW (dialog)));
  spin (100);
  return g_object_ref (dialog);
}

/* Writes @dialog's report to @name in the fixture's folder; returns its text. */
static char *
export_and_read (ExportFixture  *f,
                 DhExportDialog *dialog,
                 const char     *name)
{
  g_autofree char *path = g_build_filename (f->dir, name, NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;
  char *text = NULL;

  dh_export_dialog_export_to_file (dialog, file);
  g_assert_true (dh_export_dialog_is_busy (dialog));
  dh_test_run_until (export_idle, dialog);
  g_assert_null (dh_export_dialog_get_error (dialog));
  g_assert_true (g_file_get_contents (path, &text, NULL, &error));
  g_assert_no_error (error);
  /* done: the dialog closed and the window said so */
  spin (100);
  g_assert_null (find_export_dialog ());
  return text;
}

static gboolean
alert_selected (gpointer page)
{
  return dh_alerts_page_get_selected (page) != NULL;
}

/* Sets a note on the first high alert; returns it. */
static const char *
set_note_on_high (ExportFixture *f)
{
  DhInvestigation *inv = dh_window_get_investigation (f->window);
  DhAlertSet *set = dh_investigation_get_alerts (inv);

  for (guint i = 0; i < dh_alert_set_get_n_alerts (set); i++)
    if (dh_alert_set_get_alert (set, i)->severity == DH_SEVERITY_HIGH)
      {
        dh_investigation_set_triage (inv, dh_alert_set_get_alert (set, i), DH_TRIAGE_ESCALATED,
                                     "Isolated <i-0b9c> & re-imaged");
        return "Isolated &lt;i-0b9c&gt; &amp; re-imaged";
      }
  g_assert_not_reached ();
}

static void
test_export_html (ExportFixture *f,
                  gconstpointer  data)
{
  g_autoptr(DhExportDialog) dialog = NULL;
  g_autoptr(GPtrArray) sections = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GDateTime) when = g_date_time_new_local (2026, 3, 2, 9, 5, 0);
  g_autofree char *suggested = NULL;
  g_autofree char *html = NULL;
  const char *note = set_note_on_high (f);

  /* the alert list selects its first alert once shown */
  g_action_group_activate_action (G_ACTION_GROUP (f->window), "show-view",
                                  g_variant_new_string ("alerts"));
  dh_test_run_until (alert_selected, gtk_widget_get_template_child (GTK_WIDGET (f->window), DH_TYPE_WINDOW,
                                                            "alerts_page"));
  dialog = open_export_dialog (f);
  g_assert_cmpuint (dh_export_dialog_get_n_selected (dialog), ==, 11);   /* all, by default */
  dh_export_dialog_set_scope (dialog, DH_EXPORT_SCOPE_SELECTED);
  g_assert_cmpuint (dh_export_dialog_get_n_selected (dialog), ==, 1);
  dh_export_dialog_set_format (dialog, DH_REPORT_FORMAT_HTML);
  dh_export_dialog_set_scope (dialog, DH_EXPORT_SCOPE_HIGH);
  g_assert_cmpuint (dh_export_dialog_get_n_selected (dialog), ==, 3);
  dh_export_dialog_set_title (dialog, "Case 7 <draft>");
  suggested = dh_export_dialog_suggest_name (dialog, when);
  g_assert_cmpstr (suggested, ==, "dnshunt-report-20260302-0905.html");

  html = export_and_read (f, dialog, suggested);
  g_assert_true (g_str_has_prefix (html, "<!DOCTYPE html>") ||
                 g_str_has_prefix (html, "<!doctype html>"));
  g_assert_true (html_is_balanced (html, sections));
  g_assert_cmpuint (sections->len, ==, 3);
  g_assert_nonnull (strstr (html, "<title>Case 7 &lt;draft&gt;</title>"));
  g_assert_nonnull (strstr (html, note));
  g_assert_nonnull (strstr (html, "Escalated"));
  g_assert_null (strstr (html, "class=\"sev medium\""));
  g_assert_null (strstr (html, "class=\"sev low\""));
  g_assert_nonnull (strstr (html, DH_SOURCE_DEMO_DIR));   /* the investigation's inputs */
}

static void
test_export_csv (ExportFixture *f,
                 gconstpointer  data)
{
  g_autoptr(DhExportDialog) dialog = NULL;
  g_autofree char *csv = NULL;
  g_auto(GStrv) lines = NULL;
  const char *note = "Isolated <i-0b9c> & re-imaged";
  guint rows = 0;

  set_note_on_high (f);
  dialog = open_export_dialog (f);
  dh_export_dialog_set_format (dialog, DH_REPORT_FORMAT_CSV);
  dh_export_dialog_set_scope (dialog, DH_EXPORT_SCOPE_MEDIUM);
  g_assert_cmpuint (dh_export_dialog_get_n_selected (dialog), ==, 9);
  csv = export_and_read (f, dialog, "report.csv");
  lines = g_strsplit (csv, "\n", -1);
  g_assert_true (g_str_has_prefix (lines[0], "severity,"));
  g_assert_nonnull (strstr (lines[0], "triage_state,triage_note"));
  for (guint i = 1; lines[i]; i++)
    if (*lines[i] && !g_str_equal (lines[i], "\r"))
      {
        rows++;
        g_assert_false (g_str_has_prefix (lines[i], "low,"));
      }
  g_assert_cmpuint (rows, ==, 9);
  g_assert_nonnull (strstr (csv, note));

  /* and everything */
  g_clear_object (&dialog);
  g_clear_pointer (&csv, g_free);
  g_clear_pointer (&lines, g_strfreev);
  dialog = open_export_dialog (f);
  dh_export_dialog_set_format (dialog, DH_REPORT_FORMAT_CSV);
  dh_export_dialog_set_scope (dialog, DH_EXPORT_SCOPE_ALL);
  csv = export_and_read (f, dialog, "all.csv");
  lines = g_strsplit (csv, "\n", -1);
  rows = 0;
  for (guint i = 1; lines[i]; i++)
    if (*lines[i] && !g_str_equal (lines[i], "\r"))
      rows++;
  g_assert_cmpuint (rows, ==, 11);
}

/* A file that cannot be written: the dialog stays, says why, writes nothing. */
static void
test_export_error (ExportFixture *f,
                   gconstpointer  data)
{
  g_autoptr(DhExportDialog) dialog = open_export_dialog (f);
  g_autofree char *path = g_build_filename (f->dir, "no-such-folder", "report.md", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);

  dh_export_dialog_set_format (dialog, DH_REPORT_FORMAT_MARKDOWN);
  dh_export_dialog_export_to_file (dialog, file);
  dh_test_run_until (export_idle, dialog);
  g_assert_nonnull (dh_export_dialog_get_error (dialog));
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
  g_assert_true (find_export_dialog () == dialog);
  gtk_window_destroy (GTK_WINDOW (dialog));
}

/* Export follows the alerts, re-analysis included: nothing to export, no action. */
static void
test_export_action_follows_alerts (ExportFixture *f,
                                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  GAction *action = g_action_map_lookup_action (G_ACTION_MAP (f->window), "export");
  DhInvestigation *inv = dh_window_get_investigation (f->window);

  g_assert_true (dh_window_set_setting (f->window, "all", "enabled", "false", &error));
  g_assert_no_error (error);
  dh_test_run_until (window_loaded, f->window);
  g_assert_cmpuint (dh_alert_set_get_n_alerts (dh_investigation_get_alerts (inv)), ==, 0);
  g_assert_false (g_action_get_enabled (action));

  g_assert_true (dh_window_set_setting (f->window, "all", "enabled", "true", &error));
  dh_test_run_until (window_loaded, f->window);
  g_assert_cmpuint (dh_alert_set_get_n_alerts (dh_investigation_get_alerts (inv)), ==, 11);
  g_assert_true (g_action_get_enabled (action));
}

/* Cancel while writing, and closing while writing: no file, no warnings. */
static void
test_export_cancel (ExportFixture *f,
                    gconstpointer  data)
{
  g_autoptr(DhExportDialog) dialog = open_export_dialog (f);
  g_autofree char *path = g_build_filename (f->dir, "report.pdf", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  GObject *cancel = gtk_widget_get_template_child (GTK_WIDGET (dialog), DH_TYPE_EXPORT_DIALOG,
                                                   "cancel_button");
  const GError *error;

  dh_export_dialog_set_format (dialog, DH_REPORT_FORMAT_PDF);
  dh_export_dialog_set_paper (dialog, DH_REPORT_PAPER_LETTER);
  dh_export_dialog_export_to_file (dialog, file);
  g_assert_true (dh_export_dialog_is_busy (dialog));
  g_signal_emit_by_name (cancel, "clicked");
  dh_test_run_until (export_idle, dialog);
  error = dh_export_dialog_get_error (dialog);
  g_assert_nonnull (error);
  g_assert_true (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED));
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
  g_assert_true (find_export_dialog () == dialog);   /* still there, to try again */

  dh_export_dialog_export_to_file (dialog, file);
  gtk_window_destroy (GTK_WINDOW (dialog));
  dh_test_run_until (export_idle, dialog);
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
  g_assert_null (find_export_dialog ());
}


/* A record of now from @host asking @name, as one line */
static char *
record_now (const char *host,
            const char *name)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *stamp = g_date_time_format_iso8601 (now);

  return g_strdup_printf ("{\"version\":\"1.100000\",\"account_id\":\"111122223333\","
                          "\"region\":\"us-east-1\",\"vpc_id\":\"vpc-0feed\","
                          "\"query_timestamp\":\"%s\",\"query_name\":\"%s\",\"query_type\":\"A\","
                          "\"query_class\":\"IN\",\"rcode\":\"NOERROR\",\"answers\":[],"
                          "\"srcaddr\":\"%s\",\"srcport\":\"4444\",\"transport\":\"UDP\","
                          "\"srcids\":{\"instance\":\"i-0feed\"}}\n", stamp, name, host);
}

typedef struct
{
  DhAlertsPage *page;
  const char   *host;
} PageHost;

static gboolean
page_lists_host (gpointer data)
{
  PageHost *ph = data;
  GListModel *model = dh_alerts_page_get_model (ph->page);

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(DhAlertItem) item = g_list_model_get_item (model, i);
      if (g_strcmp0 (dh_alert_item_get_host (item), ph->host) == 0)
        return TRUE;
    }
  return FALSE;
}

static gboolean
first_item_grew (gpointer data)
{
  return dh_alert_item_get_alert (data)->count == 2;
}

static gboolean
page_has_selection (gpointer data)
{
  return dh_alerts_page_get_selected (data) != NULL;
}

static gboolean
live_running (gpointer data)
{
  DhLiveSource *live = dh_session_get_live_source (dh_window_get_session (data));

  return live && dh_live_source_is_running (live) && dh_live_source_get_n_snapshots (live) > 0;
}

/* Follow These Logs on a folder: a new .log.gz object and lines appended to
 * a plain file add their alerts while the alert selected stays selected. */
static void
test_follow_folder (void)
{
  DhApplication *app = get_settings_app ();
  GSettings *settings = dh_application_get_settings (app);
  g_autofree char *dir = g_dir_make_tmp ("dnshunt-follow-XXXXXX", NULL);
  g_autofree char *plain = g_build_filename (dir, "resolver.log", NULL);
  g_autofree char *first = record_now ("10.7.0.1", "pastebin.com.");
  const char *paths[] = { dir, NULL };
  PageHost one = { NULL, "10.7.0.1" }, second = { NULL, "10.7.0.2" },
           third = { NULL, "10.7.0.3" };
  DhWindow *window;
  DhAlertsPage *page;
  DhAlertItem *selected, *first_item;
  DhLiveSource *live;

  g_settings_set_boolean (settings, "notify-desktop", FALSE);
  g_assert_true (g_file_set_contents (plain, first, -1, NULL));
  window = dh_window_new (app);
  gtk_window_present (GTK_WINDOW (window));
  dh_window_open_paths (window, paths, TRUE);
  dh_test_run_until (window_loaded, window);
  page = DH_ALERTS_PAGE (gtk_widget_get_template_child (GTK_WIDGET (window), DH_TYPE_WINDOW,
                                                         "alerts_page"));
  one.page = second.page = third.page = page;

  g_action_group_activate_action (G_ACTION_GROUP (window), "follow-files", NULL);
  dh_test_run_until (live_running, window);
  live = dh_session_get_live_source (dh_window_get_session (window));
  g_assert_true (dh_live_source_is_local (live));
  g_assert_false (g_action_group_get_action_enabled (G_ACTION_GROUP (window), "follow-files"));
  dh_test_run_until (window_loaded, window);
  dh_test_run_until (page_lists_host, &one);
  dh_test_run_until (page_has_selection, page);
  selected = dh_alerts_page_get_selected (page);
  g_assert_cmpstr (dh_alert_item_get_host (selected), ==, "10.7.0.1");
  first_item = g_object_ref (selected);

  /* a new object in the folder, as aws s3 sync leaves it */
  {
    g_autofree char *line = record_now ("10.7.0.2", "paste.ee.");
    g_autofree char *tmp = g_build_filename (dir, "obj.log.gz.part", NULL);
    g_autofree char *obj = g_build_filename (dir, "obj.log.gz", NULL);
    g_autoptr(GFile) file = g_file_new_for_path (tmp);
    g_autoptr(GFileOutputStream) os = g_file_replace (file, NULL, FALSE, G_FILE_CREATE_NONE,
                                                      NULL, NULL);
    g_autoptr(GConverter) z = G_CONVERTER (g_zlib_compressor_new (G_ZLIB_COMPRESSOR_FORMAT_GZIP,
                                                                  -1));
    g_autoptr(GOutputStream) out = g_converter_output_stream_new (G_OUTPUT_STREAM (os), z);

    g_assert_true (g_output_stream_write_all (out, line, strlen (line), NULL, NULL, NULL));
    g_assert_true (g_output_stream_close (out, NULL, NULL));
    g_assert_cmpint (g_rename (tmp, obj), ==, 0);
  }
  dh_test_run_until (page_lists_host, &second);
  /* lines appended to the plain file */
  {
    g_autofree char *line = record_now ("10.7.0.3", "pool.supportxmr.com.");
    FILE *f = fopen (plain, "a");
    fputs (line, f);
    fclose (f);
  }
  dh_test_run_until (page_lists_host, &third);
  dh_test_run_until (window_loaded, window);

  /* the analyst's place is kept: the very row object, not a new list */
  selected = dh_alerts_page_get_selected (page);
  g_assert_nonnull (selected);
  g_assert_cmpstr (dh_alert_item_get_host (selected), ==, "10.7.0.1");
  g_assert_true (selected == first_item);

  /* the selected alert grows: the same item, with the new count */
  {
    g_autofree char *line = record_now ("10.7.0.1", "paste.ee.");
    FILE *f = fopen (plain, "a");
    fputs (line, f);
    fclose (f);
  }
  dh_test_run_until (first_item_grew, first_item);
  g_assert_true (dh_alerts_page_get_selected (page) == first_item);
  g_object_unref (first_item);
  g_assert_nonnull (strstr (dh_live_source_get_status (live), "Following"));

  dh_live_bar_disconnect (dh_window_get_live_bar (window));
  g_assert_false (dh_live_source_is_running (live));
  /* the followed folder is still what is shown: a case names it, and it can
   * be followed again */
  g_assert_cmpuint (dh_investigation_get_inputs (dh_window_get_investigation (window))->len, ==, 1);
  g_assert_cmpstr (dh_investigation_get_inputs (dh_window_get_investigation (window))->pdata[0],
                   ==, dir);
  g_assert_true (g_action_group_get_action_enabled (G_ACTION_GROUP (window), "follow-files"));

  /* a case saved while following says so; reopened, it follows again when
   * asked (Follow Again) */
  g_action_group_activate_action (G_ACTION_GROUP (window), "follow-files", NULL);
  dh_test_run_until (live_running, window);
  {
    g_autofree char *case_path = g_build_filename (dir, "followed.dnshunt.json", NULL);
    g_autofree char *json = NULL;
    g_autoptr(GError) error = NULL;
    g_autoptr(DhLiveSource) saved_live = g_object_ref (
      dh_session_get_live_source (dh_window_get_session (window)));
    DhLiveSource *again;

    g_assert_true (dh_window_save_case (window, case_path, &error));
    g_assert_no_error (error);
    g_assert_true (g_file_get_contents (case_path, &json, NULL, NULL));
    g_assert_nonnull (strstr (json, "\"live\""));
    g_assert_nonnull (strstr (json, "\"folder\""));
    dh_live_bar_disconnect (dh_window_get_live_bar (window));
    g_action_group_activate_action (G_ACTION_GROUP (window), "close-investigation", NULL);
    g_assert_true (dh_window_open_case (window, case_path, &error));
    g_assert_no_error (error);
    dh_test_run_until (window_loaded, window);
    g_action_group_activate_action (G_ACTION_GROUP (window), "follow-case-live", NULL);
    dh_test_run_until (live_running, window);
    again = dh_session_get_live_source (dh_window_get_session (window));
    g_assert_true (again != saved_live);
    g_assert_false (dh_live_source_is_running (saved_live));
    g_assert_true (dh_live_source_is_local (again));
    dh_live_bar_disconnect (dh_window_get_live_bar (window));
    g_unlink (case_path);
  }
  gtk_window_destroy (GTK_WINDOW (window));
  g_settings_reset (settings, "notify-desktop");
  {
    g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
    const char *name;
    while (d && (name = g_dir_read_name (d)))
      {
        g_autofree char *path = g_build_filename (dir, name, NULL);
        g_unlink (path);
      }
    g_rmdir (dir);
  }
}

int
main (int    argc,
      char **argv)
{
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();
  dh_application_register_resources ();

  g_test_add_func ("/ui/toast-plain", test_toast_plain);
  g_test_add_func ("/ui/event-model/lazy", test_event_model);
  g_test_add_func ("/ui/paced-model", test_paced_model);
  g_test_add_func ("/ui/load/one-view-at-a-time", test_handover_one_view_at_a_time);
  g_test_add_func ("/ui/page/follows-one", test_page_follows_one);
  g_test_add_func ("/ui/window/pages", test_window_pages);
  g_test_add_func ("/ui/alerts/filter", test_alerts_filter);
  g_test_add_func ("/ui/alerts/reanalyze-keeps-triage", test_reanalyze_keeps_triage);
  g_test_add_func ("/ui/events/filter", test_events_filter);
  g_test_add_func ("/ui/events/unfiltered", test_events_unfiltered);
  g_test_add_func ("/ui/timeline", test_timeline);
  g_test_add_func ("/ui/hosts", test_hosts);
  g_test_add_func ("/ui/hosts-many", test_hosts_many);
  g_test_add_func ("/ui/markup-is-text", test_markup_is_text);
  g_test_add_func ("/ui/window/case-roundtrip", test_case_roundtrip);
  g_test_add_func ("/ui/preferences/allow-hosts", test_preferences_allow_hosts);
  g_test_add_func ("/ui/window/case-settings-stay", test_case_settings_stay);
  g_test_add_func ("/ui/window/case-fifo", test_case_fifo);
  g_test_add_func ("/ui/window/saved-list-file", test_saved_list_file);
  g_test_add_func ("/ui/window/case-many-inputs", test_case_many_inputs);
  g_test_add_func ("/ui/window/follow-folder", test_follow_folder);
  g_test_add ("/ui/export/html-high", ExportFixture, NULL, export_setup, test_export_html,
              export_teardown);
  g_test_add ("/ui/export/csv", ExportFixture, NULL, export_setup, test_export_csv,
              export_teardown);
  g_test_add ("/ui/export/action-follows-alerts", ExportFixture, NULL, export_setup,
              test_export_action_follows_alerts, export_teardown);
  g_test_add ("/ui/export/cancel", ExportFixture, NULL, export_setup, test_export_cancel,
              export_teardown);
  g_test_add ("/ui/export/error", ExportFixture, NULL, export_setup, test_export_error,
              export_teardown);
  return g_test_run ();
}
