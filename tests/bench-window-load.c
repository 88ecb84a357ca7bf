/* bench-window-load.c: how long the window takes to open a big log, and how
 * long its main loop ever stalls meanwhile
 *
 *   build-aux/dh-generate.py --events 1000000 -o /tmp/1m.log
 *   dbus-run-session -- xvfb-run -a -s "-screen 0 1400x900x24" \
 *     env GSETTINGS_BACKEND=memory GSETTINGS_SCHEMA_DIR=_build/data \
 *     _build/tests/bench-window-load /tmp/1m.log
 *
 * Opens the file through the window's own path (dh_window_open_paths: the
 * worker reads, indexes and analyses; the window installs the result), then
 * visits every view, scrolls the million-row event table, and reads the file
 * again (as adding logs does: a new store replaces the old one). A 5 ms timer
 * measures its own lateness the whole time: its worst lateness is the
 * longest the main loop was blocked (on a busy machine it also counts the
 * time the main thread waited for a CPU). The main thread's own CPU time
 * between two ticks is measured too: the "CPU burst" is what the code costs
 * however busy the machine is, so compare that on a shared machine. Not a
 * test: numbers to watch (goal: no stall over 50 ms). Use GSK_RENDERER=cairo
 * under Xvfb: the GL renderer falls back to software there and dominates
 * every frame. BENCH_TRACE=1 prints each stall with its monotonic time, to
 * line it up with `perf record -k CLOCK_MONOTONIC`.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <stdio.h>
#include <time.h>

#include <adwaita.h>

#include "dh-window.h"

#define TICK_MS 5

typedef struct
{
  gint64 late;   /* worst lateness (µs) */
  gint64 busy;   /* worst main-thread CPU time between two ticks (µs) */
} Worst;

typedef struct
{
  gint64      last;
  gint64      last_cpu;
  gint64      worst;
  const char *worst_phase;
  gint64      worst_busy;
  const char *worst_busy_phase;
  const char *phase;
  guint       ticks;
  guint       over_50ms;
  gboolean    trace;
  GHashTable *per_phase;   /* phase -> Worst */
  GPtrArray  *phases;      /* in order */
  GArray     *all;         /* gint64 lateness of every tick */
} Stalls;

static Stalls stalls;

/* The main thread's own CPU time: unlike lateness, it does not count the
 * time the thread waited for a CPU, so it shows what the code costs even on
 * a busy machine (but not the time it blocked in a system call). */
static gint64
thread_cpu_time (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_THREAD_CPUTIME_ID, &ts);
  return ts.tv_sec * G_USEC_PER_SEC + ts.tv_nsec / 1000;
}

static gboolean
tick (gpointer data)
{
  gint64 now = g_get_monotonic_time ();
  gint64 cpu = thread_cpu_time ();
  gint64 late = now - stalls.last - TICK_MS * 1000;
  gint64 busy = cpu - stalls.last_cpu;
  Worst *w;

  if (stalls.last)
    {
      if (late > stalls.worst)
        {
          stalls.worst = late;
          stalls.worst_phase = stalls.phase;
        }
      if (busy > stalls.worst_busy)
        {
          stalls.worst_busy = busy;
          stalls.worst_busy_phase = stalls.phase;
        }
      if (late > 50000)
        stalls.over_50ms++;
      if (stalls.trace && (late > 30000 || busy > 20000))
        fprintf (stderr, "stall: %.1f ms late, %.1f ms busy, at %.6f s monotonic (%s)\n",
                 late / 1000.0, busy / 1000.0, now / 1e6, stalls.phase);
      g_array_append_val (stalls.all, late);
      w = g_hash_table_lookup (stalls.per_phase, stalls.phase);
      if (w == NULL)
        {
          w = g_new0 (Worst, 1);
          g_hash_table_insert (stalls.per_phase, (gpointer) stalls.phase, w);
          g_ptr_array_add (stalls.phases, (gpointer) stalls.phase);
        }
      w->late = MAX (w->late, late);
      w->busy = MAX (w->busy, busy);
    }
  stalls.last = now;
  stalls.last_cpu = cpu;
  stalls.ticks++;
  return G_SOURCE_CONTINUE;
}

static int
compare_gint64 (gconstpointer a,
                gconstpointer b)
{
  gint64 x = *(const gint64 *) a, y = *(const gint64 *) b;

  return x < y ? -1 : x > y;
}

static void
run_for (guint ms)
{
  gint64 until = g_get_monotonic_time () + ms * 1000;

  while (g_get_monotonic_time () < until)
    g_main_context_iteration (NULL, TRUE);
}

static gboolean
settled (DhWindow *window)
{
  DhInvestigation *inv = dh_window_get_investigation (window);

  return dh_investigation_has_data (inv) && !dh_investigation_is_loading (inv) &&
         !dh_investigation_is_analyzing (inv);
}

static GtkWidget *
find_type (GtkWidget *root,
           GType      type)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (root, type))
    return root;
  for (GtkWidget *c = gtk_widget_get_first_child (root); c; c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *found = find_type (c, type);
      if (found)
        return found;
    }
  return NULL;
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(DhApplication) app = NULL;
  g_autoptr(GError) error = NULL;
  DhWindow *window;
  const char *paths[2] = { NULL, NULL };
  gint64 start, loaded, reload_start, reloaded;
  guint n_events;
  const char *views[] = { "alerts", "hosts", "timeline", "events", "overview" };

  if (argc != 2)
    {
      fprintf (stderr, "usage: %s LOGFILE\n", argv[0]);
      return 1;
    }
  paths[0] = argv[1];

  g_set_prgname ("dnshunt");
  g_set_application_name ("DNS Hunt");
  gtk_init ();
  adw_init ();
  app = dh_application_new ();
  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  if (!g_application_register (G_APPLICATION (app), NULL, &error))
    {
      fprintf (stderr, "%s\n", error->message);
      return 1;
    }
  window = dh_window_new (app);
  gtk_window_set_default_size (GTK_WINDOW (window), 1400, 900);
  gtk_window_present (GTK_WINDOW (window));
  run_for (500);

  stalls.per_phase = g_hash_table_new_full (NULL, NULL, NULL, g_free);
  stalls.trace = g_getenv ("BENCH_TRACE") != NULL;
  stalls.all = g_array_new (FALSE, FALSE, sizeof (gint64));
  stalls.phases = g_ptr_array_new ();
  g_timeout_add (TICK_MS, tick, NULL);
  stalls.phase = "loading";
  start = g_get_monotonic_time ();
  if (stalls.trace)
    fprintf (stderr, "open: %.6f s monotonic\n", start / 1e6);
  dh_window_open_paths (window, paths, FALSE);
  while (!settled (window))
    g_main_context_iteration (NULL, TRUE);
  loaded = g_get_monotonic_time ();
  if (stalls.trace)
    fprintf (stderr, "loaded: %.6f s monotonic\n", loaded / 1e6);
  n_events = dh_event_store_get_n_events (dh_investigation_get_store (dh_window_get_investigation (window)));

  stalls.phase = "after loading";
  run_for (1500);

  /* every view, drawn at least once */
  for (guint i = 0; i < G_N_ELEMENTS (views); i++)
    {
      g_autofree char *phase = g_strdup_printf ("showing %s", views[i]);
      stalls.phase = g_intern_string (phase);
      g_action_group_activate_action (G_ACTION_GROUP (window), "show-view",
                                      g_variant_new_string (views[i]));
      run_for (1500);
      if (g_str_equal (views[i], "events"))
        {
          /* scroll the million rows: jumps and a steady scroll */
          GtkWidget *events = (GtkWidget *) gtk_widget_get_template_child (GTK_WIDGET (window), DH_TYPE_WINDOW,
                                                             "events_page");
          GtkWidget *view = find_type (events, GTK_TYPE_COLUMN_VIEW);
          GtkWidget *scrolled = gtk_widget_get_ancestor (view, GTK_TYPE_SCROLLED_WINDOW);
          GtkAdjustment *adj = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (scrolled));

          stalls.phase = "scrolling events";
          for (guint j = 0; j <= 20; j++)
            {
              gtk_adjustment_set_value (adj, gtk_adjustment_get_upper (adj) * j / 20.0);
              run_for (60);
            }
          for (guint j = 0; j < 100; j++)
            {
              gtk_adjustment_set_value (adj, gtk_adjustment_get_value (adj) - 200);
              run_for (16);
            }
          g_action_group_activate_action (G_ACTION_GROUP (window), "pivot-host-events",
                                          g_variant_new_string ("10.0.6.152"));
          stalls.phase = "filtering events";
          run_for (2000);
        }
    }

  /* the same logs again, as when more are added: a new store replaces the
   * one shown, and the old one is given back */
  stalls.phase = "reloading";
  reload_start = g_get_monotonic_time ();
  dh_window_open_paths (window, paths, FALSE);
  while (!settled (window))
    g_main_context_iteration (NULL, TRUE);
  reloaded = g_get_monotonic_time ();
  stalls.phase = "after reloading";
  run_for (1500);

  printf ("file: %s\n", argv[1]);
  printf ("events: %u\n", n_events);
  printf ("load time (open to alerts shown): %.2f s\n", (loaded - start) / 1e6);
  printf ("reload time: %.2f s\n", (reloaded - reload_start) / 1e6);
  printf ("longest main-loop stall: %.1f ms (%s)\n", stalls.worst / 1000.0,
          stalls.worst_phase ? stalls.worst_phase : "-");
  printf ("longest main-thread CPU burst: %.1f ms (%s)\n", stalls.worst_busy / 1000.0,
          stalls.worst_busy_phase ? stalls.worst_busy_phase : "-");
  printf ("stalls over 50 ms: %u of %u ticks of %d ms\n", stalls.over_50ms, stalls.ticks, TICK_MS);
  if (stalls.all->len > 0)
    {
      g_array_sort (stalls.all, compare_gint64);
      printf ("lateness: median %.1f ms, 99th percentile %.1f ms\n",
              g_array_index (stalls.all, gint64, stalls.all->len / 2) / 1000.0,
              g_array_index (stalls.all, gint64, stalls.all->len * 99 / 100) / 1000.0);
    }
  for (guint i = 0; i < stalls.phases->len; i++)
    {
      Worst *w = g_hash_table_lookup (stalls.per_phase, stalls.phases->pdata[i]);
      printf ("  %-20s longest stall %6.1f ms, CPU burst %6.1f ms\n",
              (const char *) stalls.phases->pdata[i], w->late / 1000.0, w->busy / 1000.0);
    }

  gtk_window_destroy (GTK_WINDOW (window));
  return stalls.worst > 50000 ? 2 : 0;
}
