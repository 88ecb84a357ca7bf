/* dh-scan.c: `dnshunt scan`, the headless command
 *
 * Needs no display: it links the core and the AWS client, never GTK. Exit
 * status: 0 done, 1 usage, 2 an input could not be read (a file, the network,
 * credentials, an AWS error), 3 alerts at or above --fail-on.
 *
 * With --cloudwatch the events come from CloudWatch Logs: a GMainLoop runs
 * the async fetch, every event's message goes through the same reader as a
 * file's lines, and the report is the same. With --follow, the rules run
 * again after every poll that brought events, and each alert not printed
 * before (by rule, host and first time) is printed as one line.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <glib/gi18n.h>
#include <glib-unix.h>
#include <gio/gio.h>
#include <gio/gunixoutputstream.h>

#include "dh-rule-engine.h"
#include "dh-alert-tracker.h"
#include "dh-aws-credentials.h"
#include "dh-cloudwatch-client.h"
#include "dh-cloudwatch-fetch.h"
#include "dh-desktop.h"
#include "dh-local-follow.h"
#include "dh-notifier.h"
#include "dh-outbox.h"
#include "dh-reader.h"
#include "dh-report.h"
#include "dh-rolling-store.h"
#include "dh-rule-book.h"
#include "dh-time.h"
#include "dh-scan.h"

#define MAX_PRINTED_REJECTS 20

/* --follow reads the last minutes again on every poll: CloudWatch takes
 * events in late across streams, with times before the newest one seen.
 * Each poll re-reads this much, so it is bounded. */
#define DEFAULT_LOOKBACK "5m"
#define MAX_LOOKBACK     (G_GINT64_CONSTANT (3600) * G_USEC_PER_SEC)
/* how much history --follow keeps in memory */
#define DEFAULT_RETENTION "1h"
/* how long a scan waits for its alerts to reach the --notify destinations;
 * what is left goes with the next run */
#define DEFAULT_NOTIFY_WAIT "2m"
/* after --follow ends */
#define FOLLOW_NOTIFY_WAIT (5 * G_USEC_PER_SEC)

typedef struct
{
  char     *format;
  char     *output;
  char     *cloudwatch;
  char     *region;
  char     *profile;
  char     *endpoint_url;
  char     *since;
  char     *start;
  char     *end;
  gboolean  follow;
  int       poll_interval;
  char    **sets;
  char     *fail_on;
  gboolean  progress;
  char     *paper;
  char     *title;
  char    **inputs;
  char     *retention;
  char     *lookback;
  char    **notify;
  char     *notify_min_severity;
  char     *notify_wait;
} ScanOptions;

/* The options once checked: every value parsed, every combination valid.
 * Nothing after scan_plan_init() reports a usage error. */
typedef struct
{
  const ScanOptions *o;          /* the text given (paths, names, title) */
  DhRuleBook        *book;       /* the rules, with --set applied */
  DhReportOptions    report;     /* paper; the rest is filled when written */
  DhReportFormat     format;
  DhSeverity         fail_on;    /* 0: none */
  gint64             start;      /* µs, or G_MININT64 */
  gint64             end;        /* µs, or G_MAXINT64 */
  gint64             retention;  /* µs of history kept by --follow */
  gint64             lookback;   /* µs read again by each --follow poll */
  GPtrArray         *notify;     /* DhDestination *, from --notify and the environment */
  DhSeverity         notify_min;
  gboolean           notify_desktop; /* --notify=desktop */
  gint64             notify_wait; /* µs a scan waits for its alerts to be delivered */
} ScanPlan;

static void
scan_plan_clear (ScanPlan *p)
{
  g_clear_pointer (&p->book, dh_rule_book_unref);
  g_clear_pointer (&p->notify, g_ptr_array_unref);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (ScanPlan, scan_plan_clear)

typedef struct
{
  gint64  last_print;
  gboolean printed;
} ProgressState;

static void
scan_options_clear (ScanOptions *o)
{
  g_free (o->format);
  g_free (o->output);
  g_free (o->cloudwatch);
  g_free (o->region);
  g_free (o->profile);
  g_free (o->endpoint_url);
  g_free (o->since);
  g_free (o->start);
  g_free (o->end);
  g_strfreev (o->sets);
  g_free (o->fail_on);
  g_free (o->paper);
  g_free (o->title);
  g_strfreev (o->inputs);
  g_free (o->retention);
  g_free (o->lookback);
  g_strfreev (o->notify);
  g_free (o->notify_min_severity);
  g_free (o->notify_wait);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (ScanOptions, scan_options_clear)

static void
print_progress (DhReader *reader,
                gpointer  data)
{
  ProgressState *st = data;
  gint64 now = g_get_monotonic_time ();
  guint64 done = dh_reader_get_bytes_done (reader);
  guint64 total = dh_reader_get_bytes_total (reader);
  guint events = dh_reader_get_n_events (reader);
  g_autofree char *done_s = g_format_size (done);

  if (now - st->last_print < G_USEC_PER_SEC / 5)
    return;
  st->last_print = now;
  st->printed = TRUE;
  if (total > 0)
    {
      g_autofree char *total_s = g_format_size (total);
      fprintf (stderr, _("\rReading: %3u%% (%s of %s), %u events   "),
               (guint) MIN (100, done * 100 / total), done_s, total_s, events);
    }
  else
    fprintf (stderr, _("\rReading: %s, %u events   "), done_s, events);
  fflush (stderr);
}

static gboolean
parse_time_option (const char  *name,
                   const char  *value,
                   gint64      *out,
                   GError     **error)
{
  if (!dh_time_parse_iso8601 (value, strlen (value), out))
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   _("--%s=%s is not an ISO 8601 time (such as 2026-01-31T08:00:00Z)"),
                   name, value);
      return FALSE;
    }
  return TRUE;
}

/* A duration option, or a usage error that names it and its value. */
static gboolean
parse_duration_option (const char  *name,
                       const char  *value,
                       gboolean     allow_zero,
                       gint64       max_us,
                       gint64      *out,
                       GError     **error)
{
  g_autoptr(GError) local = NULL;

  if (dh_duration_parse_bounded (value, allow_zero, max_us, out, &local))
    return TRUE;
  g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE, "--%s=%s: %s", name, value,
               local->message);
  return FALSE;
}

/* The time of writing: SOURCE_DATE_EPOCH when set, so a report can be
 * reproduced byte for byte (and tests can compare), otherwise now. */
static gint64
time_of_writing (void)
{
  const char *epoch = g_getenv ("SOURCE_DATE_EPOCH");
  guint64 secs;

  if (epoch && g_ascii_string_to_unsigned (epoch, 10, 0, G_MAXINT64 / G_USEC_PER_SEC, &secs,
                                           NULL))
    return (gint64) secs * G_USEC_PER_SEC;
  return g_get_real_time ();
}

/* Writing a report file from a worker, so that ^C or SIGTERM can stop it and
 * the worker remove what it had written. */
typedef struct
{
  GMainLoop    *loop;
  GCancellable *cancellable;
  gboolean      interrupted;
  gboolean      written;
  GError       *error;
} ReportFile;

static void
report_file_done (GObject      *source,
                  GAsyncResult *result,
                  gpointer      data)
{
  ReportFile *rf = data;

  rf->written = dh_report_write_file_finish (result, &rf->error);
  g_main_loop_quit (rf->loop);
}

static gboolean
report_file_interrupt (gpointer data)
{
  ReportFile *rf = data;

  /* the worker stops at its next check and removes its file */
  rf->interrupted = TRUE;
  g_cancellable_cancel (rf->cancellable);
  return G_SOURCE_CONTINUE;
}

static gboolean
write_report (DhAlertSet             *alerts,
              const DhReportOptions  *opts,
              DhReportFormat          format,
              const char             *path,
              GError                **error)
{
  g_autoptr(GOutputStream) out = NULL;
  g_autoptr(GFile) file = NULL;
  g_autoptr(GMainLoop) loop = NULL;
  g_autoptr(GCancellable) cancellable = NULL;
  g_autofree char *name = NULL;
  ReportFile rf = { 0 };
  guint sigint, sigterm;

  if (path == NULL || g_str_equal (path, "-"))
    {
      out = g_unix_output_stream_new (STDOUT_FILENO, FALSE);
      if (!dh_report_write (alerts, opts, format, out, NULL, error) ||
          !g_output_stream_close (out, NULL, error))
        {
          g_prefix_error (error, _("Cannot write to standard output: "));
          return FALSE;
        }
      return TRUE;
    }

  /* Written beside the target and renamed over it when complete, so a
   * failed or interrupted run leaves no half report behind. */
  file = g_file_new_for_commandline_arg (path);
  loop = g_main_loop_new (NULL, FALSE);
  cancellable = g_cancellable_new ();
  rf.loop = loop;
  rf.cancellable = cancellable;
  sigint = g_unix_signal_add (SIGINT, report_file_interrupt, &rf);
  sigterm = g_unix_signal_add (SIGTERM, report_file_interrupt, &rf);
  dh_report_write_file_async (alerts, opts, format, file, cancellable, report_file_done, &rf);
  g_main_loop_run (loop);
  g_source_remove (sigint);
  g_source_remove (sigterm);

  if (rf.written)
    return TRUE;
  if (rf.interrupted)
    {
      g_clear_error (&rf.error);
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_CANCELLED, _("interrupted"));
      return FALSE;
    }
  g_propagate_error (error, rf.error);
  name = g_file_get_parse_name (file);
  g_prefix_error (error, _("Cannot write the report to %s: "), name);
  return FALSE;
}

/* Says why the report was not written. Returns: the exit status */
static int
report_failed (const GError *error)
{
  g_autofree char *msg = dh_text_sanitize (error->message);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      fprintf (stderr, _("dnshunt: interrupted\n"));
      return 130;
    }
  fprintf (stderr, "dnshunt: %s\n", msg);
  return DH_EXIT_INPUT;
}

/* The range asked for, as the report states it; NULL when none was. */
static char *
describe_range (const ScanOptions *o,
                gint64             start,
                gint64             end)
{
  char b1[DH_TIME_FORMAT_SIZE], b2[DH_TIME_FORMAT_SIZE];
  g_autofree char *range = NULL;

  if (!o->since && !o->start && !o->end && !o->cloudwatch)
    return NULL;
  range = g_strdup_printf (_("%s to %s"),
                           start != G_MININT64 ? dh_time_format (start, b1) : _("the beginning"),
                           end != G_MAXINT64 ? dh_time_format (end, b2) : _("the end"));
  if (o->since)
    return g_strdup_printf ("%s (--since=%s)", range, o->since);
  return g_steal_pointer (&range);
}

/* Writes the report in the chosen format, for files and CloudWatch alike. */
static gboolean
emit_report (DhAlertSet          *alerts,
             const ScanPlan      *p,
             const char * const  *inputs,
             GError             **error)
{
  g_autofree char *time_range = describe_range (p->o, p->start, p->end);
  DhReportOptions opts = p->report;

  opts.title = p->o->title;
  opts.time_range = time_range;
  opts.written = time_of_writing ();
  opts.inputs = inputs;
  return write_report (alerts, &opts, p->format, p->o->output, error);
}

/* --notify while a scan runs: the notifier, and what it delivered where */
typedef struct
{
  DhNotifier   *notifier;
  GHashTable   *delivered;   /* destination name -> count */
  gboolean      live;        /* each delivery on standard error (--follow) */
  GApplication *desktop;     /* --notify=desktop: registered on the session bus */
  DhSeverity    min;
  guint         n_desktop;   /* alerts shown on the desktop */
} Notify;

static void
on_notify_delivered (DhNotifier *notifier,
                     const char *name,
                     guint       n,
                     gpointer    data)
{
  Notify *notify = data;
  guint *count = g_hash_table_lookup (notify->delivered, name);

  if (count == NULL)
    {
      count = g_new0 (guint, 1);
      g_hash_table_insert (notify->delivered, g_strdup (name), count);
    }
  *count += n;
  if (notify->live)
    fprintf (stderr, g_dngettext (GETTEXT_PACKAGE, "dnshunt: %s: delivered %u alert\n",
                                  "dnshunt: %s: delivered %u alerts\n", n), name, n);
}

static void
on_notify_failed (DhNotifier *notifier,
                  const char *name,
                  const char *message,
                  gint64      retry_ms,
                  gpointer    data)
{
  g_autofree char *clean = dh_text_sanitize (message);

  if (retry_ms >= 0)
    fprintf (stderr, _("dnshunt: %s: %s; trying again in %.1f s\n"), name, clean,
             retry_ms / 1000.0);
  else
    fprintf (stderr, "dnshunt: %s: %s\n", name, clean);
}

/* The notifier of --notify, with each destination's outbox open (what an
 * earlier run left there starts going at once), or NULL without --notify. */
static Notify *
notify_start (const ScanPlan *p,
              gboolean        live)
{
  Notify *notify;

  if ((p->notify == NULL || p->notify->len == 0) && !p->notify_desktop)
    return NULL;
  notify = g_new0 (Notify, 1);
  notify->min = p->notify_min;
  if (p->notify_desktop)
    {
      g_autoptr(GError) error = NULL;

      /* the app's id: the desktop shows its name and icon */
      notify->desktop = g_application_new (APP_ID, G_APPLICATION_NON_UNIQUE);
      /* without a bus a non-unique app registers, but nothing could show */
      if (g_application_register (notify->desktop, NULL, &error) &&
          g_application_get_dbus_connection (notify->desktop) == NULL)
        g_set_error_literal (&error, G_IO_ERROR, G_IO_ERROR_NOT_CONNECTED,
                             _("no session bus (DBUS_SESSION_BUS_ADDRESS)"));
      if (error)
        {
          g_autofree char *clean = dh_text_sanitize (error->message);
          fprintf (stderr, _("dnshunt: --notify=desktop needs a desktop session (a D-Bus session "
                             "bus): %s\n"), clean);
          g_clear_object (&notify->desktop);
        }
    }
  notify->notifier = dh_notifier_new (NULL);
  notify->delivered = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  notify->live = live;
  dh_notifier_set_min_severity (notify->notifier, p->notify_min);
  g_signal_connect (notify->notifier, "delivered", G_CALLBACK (on_notify_delivered), notify);
  g_signal_connect (notify->notifier, "failed", G_CALLBACK (on_notify_failed), notify);
  for (guint i = 0; i < p->notify->len; i++)
    {
      const DhDestination *dest = p->notify->pdata[i];
      g_autoptr(GError) error = NULL;
      DhDestination *copy = dh_destination_new (dest->kind, dest->url, dest->secret, &error);

      /* a delivery problem is reported, never the scan's failure */
      if (copy == NULL || !dh_notifier_add_destination (notify->notifier, copy, &error))
        {
          g_autofree char *clean = dh_text_sanitize (error->message);
          fprintf (stderr, "dnshunt: %s: %s\n", dest->name, clean);
        }
    }
  return notify;
}

static int
compare_alert_time (gconstpointer a,
                    gconstpointer b)
{
  const DhAlert *x = *(DhAlert * const *) a, *y = *(DhAlert * const *) b;

  return x->first_seen < y->first_seen ? -1 : (x->first_seen > y->first_seen);
}

/* @alerts (opened, in order) to the destinations and the desktop */
static void
notify_alerts (Notify         *notify,
               DhAlertSet     *set,
               const DhAlert **alerts,
               guint           n)
{
  dh_notifier_notify_alerts (notify->notifier, set, alerts, n);
  if (notify->desktop)
    {
      g_autoptr(GPtrArray) shown = g_ptr_array_new ();
      for (guint i = 0; i < n; i++)
        if (alerts[i]->severity >= notify->min)
          g_ptr_array_add (shown, (gpointer) alerts[i]);
      notify->n_desktop += dh_desktop_notify_alerts (notify->desktop, set, shown, FALSE);
    }
}

/* A range scan sends what it found, in the order the alerts opened. */
static void
notify_found (Notify     *notify,
              DhAlertSet *alerts)
{
  guint n = dh_alert_set_get_n_alerts (alerts);
  g_autoptr(GPtrArray) sorted = g_ptr_array_sized_new (n);

  if (notify == NULL)
    return;
  for (guint i = 0; i < n; i++)
    g_ptr_array_add (sorted, (gpointer) dh_alert_set_get_alert (alerts, i));
  g_ptr_array_sort (sorted, compare_alert_time);
  notify_alerts (notify, alerts, (const DhAlert **) sorted->pdata, sorted->len);
}

static gboolean
on_drain_signal (gpointer data)
{
  g_cancellable_cancel (data);
  return G_SOURCE_CONTINUE;
}

/* Waits up to @wait_us for the outboxes to empty (^C stops waiting), says
 * what was delivered and what is left, and frees @notify. */
static void
notify_finish (Notify *notify,
               gint64  wait_us)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autofree char *outbox = dh_outbox_default_dir ();
  GHashTableIter iter;
  gpointer name, count;
  guint sigint, sigterm, left;

  if (notify == NULL)
    return;
  sigint = g_unix_signal_add (SIGINT, on_drain_signal, cancellable);
  sigterm = g_unix_signal_add (SIGTERM, on_drain_signal, cancellable);
  if (dh_notifier_get_n_pending (notify->notifier) > 0 && !notify->live)
    fprintf (stderr, _("dnshunt: sending alerts (^C stops waiting; what is left goes with the "
                       "next run)…\n"));
  dh_notifier_drain (notify->notifier, wait_us, cancellable);
  g_source_remove (sigint);
  g_source_remove (sigterm);

  if (!notify->live)
    {
      g_hash_table_iter_init (&iter, notify->delivered);
      while (g_hash_table_iter_next (&iter, &name, &count))
        fprintf (stderr, g_dngettext (GETTEXT_PACKAGE, "dnshunt: %s: delivered %u alert\n",
                                      "dnshunt: %s: delivered %u alerts\n", *(guint *) count),
                 (const char *) name, *(guint *) count);
    }
  left = dh_notifier_get_n_pending (notify->notifier);
  if (left > 0)
    fprintf (stderr, g_dngettext (GETTEXT_PACKAGE,
                                  "dnshunt: %u alert is not delivered yet: it stays in the "
                                  "outbox (%s) and goes with the next --notify run\n",
                                  "dnshunt: %u alerts are not delivered yet: they stay in the "
                                  "outbox (%s) and go with the next --notify run\n", left),
             left, outbox);
  if (notify->desktop)
    {
      /* the notifications are on their way before the process ends */
      GDBusConnection *bus = g_application_get_dbus_connection (notify->desktop);
      while (g_main_context_iteration (NULL, FALSE))
        ;
      if (bus)
        g_dbus_connection_flush_sync (bus, NULL, NULL);
      if (!notify->live && notify->n_desktop > 0)
        fprintf (stderr, g_dngettext (GETTEXT_PACKAGE,
                                      "dnshunt: desktop: shown %u alert\n",
                                      "dnshunt: desktop: shown %u alerts\n", notify->n_desktop),
                 notify->n_desktop);
      g_object_unref (notify->desktop);
    }
  g_signal_handlers_disconnect_by_data (notify->notifier, notify);
  g_object_unref (notify->notifier);
  g_hash_table_unref (notify->delivered);
  g_free (notify);
}

static void
print_rejects (DhReader *reader)
{
  DhEventStore *store = dh_reader_get_store (reader);
  guint n;
  const DhReject *rejects = dh_reader_get_rejects (reader, &n);
  guint64 total = dh_event_store_get_n_rejected (store);

  for (guint i = 0; i < n && i < MAX_PRINTED_REJECTS; i++)
    {
      const DhSource *src = dh_event_store_get_source (store, rejects[i].source);
      g_autofree char *name = dh_text_sanitize (src->name);
      fprintf (stderr, _("%s:%" G_GUINT64_FORMAT ": rejected: %s\n"), name, rejects[i].line,
               rejects[i].reason);
    }
  if (total > MAX_PRINTED_REJECTS)
    fprintf (stderr, _("… and %" G_GUINT64_FORMAT " more rejected lines (%" G_GUINT64_FORMAT
                       " in all)\n"), total - MAX_PRINTED_REJECTS, total);
}

/* ---- CloudWatch Logs ---------------------------------------------------- */

typedef struct
{
  const ScanOptions *o;
  DhRuleBook        *book;
  DhRollingStore    *rolling;
  DhCloudWatchFetch *fetch;
  DhLocalFollow     *local;       /* or following files and folders */
  GMainLoop         *loop;
  GCancellable      *cancellable;
  GError            *error;
  FILE              *out;
  DhAlertTracker    *tracker;     /* which alerts are new (follow) */
  DhSeverity         fail_on;
  Notify            *notify;
  gboolean           failed_on;   /* an alert at or above --fail-on was printed (follow) */
  gboolean           interrupted;
  gint64             last_progress;
  gboolean           progress_shown;
} LiveScan;

static void
cloudwatch_progress (LiveScan *scan,
                     gboolean        force)
{
  gint64 now = g_get_monotonic_time ();
  DhCloudWatchClient *client = scan->fetch ? dh_cloudwatch_fetch_get_client (scan->fetch) : NULL;

  if (!scan->o->progress || (!force && now - scan->last_progress < G_USEC_PER_SEC / 5))
    return;
  scan->last_progress = now;
  scan->progress_shown = TRUE;
  if (scan->local)
    fprintf (stderr, _("\rFollowing: %u files, %" G_GUINT64_FORMAT " lines   "),
             dh_local_follow_get_n_files (scan->local), dh_local_follow_get_n_lines (scan->local));
  else if (dh_cloudwatch_fetch_get_state (scan->fetch) == DH_CLOUDWATCH_FETCH_FOLLOWING)
    fprintf (stderr, _("\rCloudWatch: following, %" G_GUINT64_FORMAT " events, %u requests   "),
             dh_cloudwatch_fetch_get_n_events (scan->fetch),
             dh_cloudwatch_client_get_n_requests (client));
  else
    fprintf (stderr, _("\rCloudWatch: %3u%%, %" G_GUINT64_FORMAT " events, %u requests   "),
             (guint) (dh_cloudwatch_fetch_get_progress (scan->fetch) * 100),
             dh_cloudwatch_fetch_get_n_events (scan->fetch),
             dh_cloudwatch_client_get_n_requests (client));
  fflush (stderr);
}

static void
end_progress_line (LiveScan *scan)
{
  if (scan->progress_shown)
    fprintf (stderr, "\n");
  scan->progress_shown = FALSE;
}

static void
on_events (DhCloudWatchFetch *fetch,
           DhLogEventPage    *batch,
           gpointer           data)
{
  LiveScan *scan = data;

  dh_rolling_store_add_page (scan->rolling, batch);
  cloudwatch_progress (scan, FALSE);
}

/* One alert as one line of text, for --follow. */
static char *
alert_text_line (DhAlertSet    *set,
                 const DhAlert *alert)
{
  DhEventStore *store = dh_alert_set_get_store (set);
  const DhRule *rule = dh_rule_book_get_rule (dh_alert_set_get_rule_book (set), alert->rule);
  g_autofree char *host = dh_text_sanitize (dh_event_store_get_string (store, alert->host));
  g_autofree char *srcid = dh_text_sanitize (dh_event_store_get_string (store, alert->srcid));
  g_autofree char *up = g_ascii_strup (dh_severity_to_string (alert->severity), -1);
  char first[DH_TIME_FORMAT_SIZE];
  GString *s = g_string_new (NULL);

  g_string_append_printf (s, "%s  %-6s  %s  %s", dh_time_format (alert->first_seen, first), up,
                          rule->id, host);
  if (*srcid)
    g_string_append_printf (s, " (%s)", srcid);
  g_string_append_printf (s, _("  %u events:"), alert->count);
  for (guint i = 0; i < alert->names->len && i < 3; i++)
    {
      g_autofree char *name = dh_text_sanitize (
        dh_event_store_get_string (store, g_array_index (alert->names, guint32, i)));
      g_string_append_printf (s, "%s %s", i ? "," : "", name);
    }
  if (alert->names->len > 3)
    g_string_append_printf (s, _(" (+%u more)"), alert->names->len - 3);
  g_string_append_c (s, '\n');
  return g_string_free (s, FALSE);
}

/* --follow: runs the rules on the last --retention (a snapshot, as the
 * window's), prints the alerts that opened since the last time. */
static void
print_new_alerts (LiveScan *scan)
{
  g_autoptr(DhSnapshot) snapshot = dh_rolling_store_snapshot (scan->rolling, g_get_real_time (),
                                                              scan->book, 0, NULL, NULL);
  DhAlertSet *alerts = snapshot ? dh_snapshot_get_alerts (snapshot) : NULL;
  gboolean json = g_strcmp0 (scan->o->format, "json") == 0;
  g_autoptr(GPtrArray) fresh = NULL;

  if (alerts == NULL)
    return;
  fresh = dh_alert_tracker_fresh (scan->tracker, alerts);
  if (scan->notify)
    notify_alerts (scan->notify, alerts, (const DhAlert **) fresh->pdata, fresh->len);
  for (guint i = 0; i < fresh->len; i++)
    {
      const DhAlert *a = fresh->pdata[i];
      g_autofree char *line = json ? dh_report_alert_json_line (alerts, a)
                                   : alert_text_line (alerts, a);
      end_progress_line (scan);
      fputs (line, scan->out);
      if (scan->fail_on && a->severity >= scan->fail_on)
        scan->failed_on = TRUE;
    }
  fflush (scan->out);
}

static void
retire_reader (DhReader *reader,
               gpointer  data)
{
  print_rejects (reader);
}

static void
on_caught_up (DhCloudWatchFetch *fetch,
              guint64            n_new,
              gpointer           data)
{
  LiveScan *scan = data;

  cloudwatch_progress (scan, TRUE);
  if (scan->o->follow && n_new > 0)
    {
      print_new_alerts (scan);
      /* --follow runs for hours: memory keeps only the last --retention */
      dh_rolling_store_trim (scan->rolling, g_get_real_time (), retire_reader, NULL);
    }
}

static void
on_poll_failed (DhCloudWatchFetch *fetch,
                const GError      *error,
                gpointer           data)
{
  LiveScan *scan = data;
  g_autofree char *msg = dh_text_sanitize (error->message);

  end_progress_line (scan);
  fprintf (stderr, _("dnshunt: %s (still following; next poll as usual)\n"), msg);
}

static void
on_notify_progress (GObject    *object,
                    GParamSpec *pspec,
                    gpointer    data)
{
  cloudwatch_progress (data, FALSE);
}

static void
fetch_done (GObject      *source,
            GAsyncResult *result,
            gpointer      data)
{
  LiveScan *scan = data;

  dh_cloudwatch_fetch_run_finish (DH_CLOUDWATCH_FETCH (source), result, &scan->error);
  g_main_loop_quit (scan->loop);
}

static gboolean
on_signal (gpointer data)
{
  LiveScan *scan = data;

  if (scan->interrupted)
    g_main_loop_quit (scan->loop);   /* a second ^C: do not wait any more */
  scan->interrupted = TRUE;
  g_cancellable_cancel (scan->cancellable);
  return G_SOURCE_CONTINUE;
}

/* With --follow the alerts are lines written as they open: to -o's file,
 * opened now, or standard output (a range's report is written at its end). */
static gboolean
open_follow_output (const ScanOptions  *o,
                    FILE              **out)
{
  *out = stdout;
  if (!o->follow || o->output == NULL || g_str_equal (o->output, "-"))
    return TRUE;
  *out = fopen (o->output, "w");
  if (*out == NULL)
    {
      fprintf (stderr, _("dnshunt: Cannot write the report: %s: %s\n"), o->output,
               g_strerror (errno));
      return FALSE;
    }
  return TRUE;
}

static int
scan_cloudwatch (const ScanPlan *p)
{
  const ScanOptions *o = p->o;
  LiveScan scan = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(DhAwsCredentials) credentials = NULL;
  g_autoptr(DhCloudWatchClient) client = NULL;
  g_autoptr(DhCloudWatchFetch) fetch = NULL;
  g_autoptr(GMainLoop) loop = NULL;
  g_autoptr(GCancellable) cancellable = NULL;
  g_autofree char *region = NULL;
  g_autofree char *source_name = NULL;
  guint sigint, sigterm;
  int status = DH_EXIT_OK;

  credentials = dh_aws_credentials_new (o->profile, &error);
  if (credentials)
    region = dh_aws_credentials_get_region (credentials, o->region, &error);
  if (region == NULL)
    {
      g_autofree char *msg = dh_text_sanitize (error->message);
      fprintf (stderr, "dnshunt: %s\n", msg);
      return DH_EXIT_INPUT;
    }
  client = dh_cloudwatch_client_new (credentials, region, o->endpoint_url, &error);
  if (client == NULL)
    {
      g_autofree char *msg = dh_text_sanitize (error->message);
      fprintf (stderr, "dnshunt scan: %s\n", msg);
      return DH_EXIT_USAGE;
    }

  if (!open_follow_output (o, &scan.out))
    return DH_EXIT_INPUT;

  /* CloudWatch filters on the event time in whole ms; the reader then keeps
   * exactly the records in range, as it does for files. */
  source_name = g_strdup_printf ("cloudwatch:%s", o->cloudwatch);
  scan.rolling = dh_rolling_store_new (source_name, p->start, p->end, p->retention);
  fetch = dh_cloudwatch_fetch_new (client, o->cloudwatch,
                                   p->start == G_MININT64 ? 0 : p->start / 1000,
                                   p->end == G_MAXINT64 ? -1 : (p->end + 999) / 1000);
  dh_cloudwatch_fetch_set_follow (fetch, o->follow);
  dh_cloudwatch_fetch_set_lookback (fetch, (guint) (p->lookback / 1000));
  if (o->poll_interval > 0)
    dh_cloudwatch_fetch_set_poll_interval (fetch, o->poll_interval);

  loop = g_main_loop_new (NULL, FALSE);
  cancellable = g_cancellable_new ();
  scan.o = o;
  scan.book = p->book;
  scan.fetch = fetch;
  scan.loop = loop;
  scan.cancellable = cancellable;
  scan.fail_on = p->fail_on;
  scan.tracker = dh_alert_tracker_new ();
  scan.notify = notify_start (p, o->follow);

  g_signal_connect (fetch, "events", G_CALLBACK (on_events), &scan);
  g_signal_connect (fetch, "caught-up", G_CALLBACK (on_caught_up), &scan);
  g_signal_connect (fetch, "poll-failed", G_CALLBACK (on_poll_failed), &scan);
  g_signal_connect (fetch, "notify::progress", G_CALLBACK (on_notify_progress), &scan);
  sigint = g_unix_signal_add (SIGINT, on_signal, &scan);
  sigterm = g_unix_signal_add (SIGTERM, on_signal, &scan);

  dh_cloudwatch_fetch_run_async (fetch, cancellable, fetch_done, &scan);
  g_main_loop_run (loop);

  g_source_remove (sigint);
  g_source_remove (sigterm);
  g_signal_handlers_disconnect_by_data (fetch, &scan);
  dh_rolling_store_finish (scan.rolling);
  end_progress_line (&scan);
  print_rejects (dh_rolling_store_get_reader (scan.rolling));
  if (o->follow)
    fprintf (stderr, _("dnshunt: followed %" G_GUINT64_FORMAT " events; %u of them were in "
                       "memory at the end\n"),
             dh_rolling_store_get_n_received (scan.rolling),
             dh_event_store_get_n_events (dh_rolling_store_get_store (scan.rolling)));

  if (scan.error && !g_error_matches (scan.error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_autofree char *msg = dh_text_sanitize (scan.error->message);
      fprintf (stderr, "dnshunt: %s\n", msg);
      status = DH_EXIT_INPUT;   /* credentials, network, AWS: the input could not be read */
    }
  else if (o->follow)
    {
      /* ^C or SIGTERM ends following: the normal way out */
      status = scan.failed_on ? DH_EXIT_ALERTS : DH_EXIT_OK;
    }
  else if (scan.interrupted || scan.error)
    {
      fprintf (stderr, _("dnshunt: interrupted\n"));
      status = 130;
    }
  else
    {
      g_autoptr(DhAlertSet) alerts = dh_analyze (dh_rolling_store_get_store (scan.rolling),
                                                 p->book, NULL, NULL);
      g_autofree char *input = g_strdup_printf (_("CloudWatch Logs log group %s (%s)"),
                                                o->cloudwatch, region);
      const char *inputs[] = { input, NULL };

      if (!emit_report (alerts, p, inputs, &error))
        status = report_failed (error);
      else if (p->fail_on && dh_alert_set_count_at_least (alerts, p->fail_on) > 0)
        status = DH_EXIT_ALERTS;
      if (status != DH_EXIT_USAGE && status != DH_EXIT_INPUT)
        notify_found (scan.notify, alerts);
    }
  notify_finish (scan.notify, o->follow ? MIN (FOLLOW_NOTIFY_WAIT, p->notify_wait)
                                        : p->notify_wait);

  if (scan.out != stdout)
    fclose (scan.out);
  dh_alert_tracker_free (scan.tracker);
  dh_rolling_store_free (scan.rolling);
  g_clear_error (&scan.error);
  return status;
}

/* --notify: each destination as the environment sets it up (SPEC,
 * Notifications), checked before anything is read. */
static gboolean
notify_plan_init (ScanPlan           *p,
                  const ScanOptions  *o,
                  GError            **error)
{
  p->notify_min = DH_SEVERITY_MEDIUM;
  if (o->notify_min_severity && !dh_severity_from_string (o->notify_min_severity, &p->notify_min))
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   _("--notify-min-severity takes low, medium or high, not “%s”"),
                   o->notify_min_severity);
      return FALSE;
    }
  if ((o->notify_min_severity || o->notify_wait) && (o->notify == NULL || o->notify[0] == NULL))
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   _("--notify-min-severity and --notify-wait go with --notify"));
      return FALSE;
    }
  if (!parse_duration_option ("notify-wait", o->notify_wait ? o->notify_wait : DEFAULT_NOTIFY_WAIT,
                              TRUE, DH_DURATION_MAX, &p->notify_wait, error))
    return FALSE;
  p->notify = g_ptr_array_new_with_free_func ((GDestroyNotify) dh_destination_free);
  for (guint i = 0; o->notify && o->notify[i]; i++)
    {
      const DhDestinationKind *kind = dh_destination_kind_find (o->notify[i]);
      DhDestination *dest;

      if (g_str_equal (o->notify[i], "desktop"))
        {
          p->notify_desktop = TRUE;
          continue;
        }
      if (kind == NULL)
        {
          g_autofree char *kinds = dh_destination_kind_list ();
          g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                       _("--notify takes %s or desktop, not “%s”"), kinds, o->notify[i]);
          return FALSE;
        }
      for (guint j = 0; j < p->notify->len; j++)
        if (((DhDestination *) p->notify->pdata[j])->kind == kind)
          kind = NULL;
      if (kind == NULL)
        continue;   /* --notify=slack twice is one Slack */
      dest = dh_destination_new_from_env (kind, error);
      if (dest == NULL)
        return FALSE;
      g_ptr_array_add (p->notify, dest);
    }
  return TRUE;
}

/* ---- Following files and folders -------------------------------------- */

static void
on_local_line (const char *path,
               guint64     line,
               const char *text,
               gsize       length,
               gpointer    data)
{
  LiveScan *scan = data;

  dh_rolling_store_add_line (scan->rolling, path, line, text, length);
}

static void
on_local_caught_up (DhLocalFollow *follow,
                    guint64        n_lines,
                    gpointer       data)
{
  LiveScan *scan = data;

  cloudwatch_progress (scan, TRUE);
  print_new_alerts (scan);
  dh_rolling_store_trim (scan->rolling, g_get_real_time (), retire_reader, NULL);
}

static void
on_local_problem (DhLocalFollow *follow,
                  const char    *message,
                  gpointer       data)
{
  g_autofree char *clean = dh_text_sanitize (message);

  end_progress_line (data);
  fprintf (stderr, _("dnshunt: %s (still following)\n"), clean);
}

static gboolean
on_local_signal (gpointer data)
{
  LiveScan *scan = data;

  scan->interrupted = TRUE;
  g_main_loop_quit (scan->loop);
  return G_SOURCE_CONTINUE;
}

/* --follow FILE|DIR: what the files hold, then what is added, alert by alert
 * as they open (and to --notify), until ^C. */
static int
scan_local_follow (const ScanPlan *p)
{
  const ScanOptions *o = p->o;
  LiveScan scan = { 0 };
  g_autoptr(DhLocalFollow) follow = NULL;
  g_autoptr(GMainLoop) loop = NULL;
  guint sigint, sigterm;
  int status;

  if (!open_follow_output (o, &scan.out))
    return DH_EXIT_INPUT;

  loop = g_main_loop_new (NULL, FALSE);
  scan.o = o;
  scan.book = p->book;
  scan.loop = loop;
  scan.fail_on = p->fail_on;
  scan.tracker = dh_alert_tracker_new ();
  scan.rolling = dh_rolling_store_new (o->inputs[0], p->start, p->end, p->retention);
  scan.notify = notify_start (p, TRUE);
  follow = dh_local_follow_new ((const char * const *) o->inputs, on_local_line, &scan);
  scan.local = follow;
  if (o->poll_interval > 0)
    dh_local_follow_set_poll_interval (follow, o->poll_interval);
  g_signal_connect (follow, "caught-up", G_CALLBACK (on_local_caught_up), &scan);
  g_signal_connect (follow, "problem", G_CALLBACK (on_local_problem), &scan);
  sigint = g_unix_signal_add (SIGINT, on_local_signal, &scan);
  sigterm = g_unix_signal_add (SIGTERM, on_local_signal, &scan);

  dh_local_follow_start (follow);
  g_main_loop_run (loop);

  g_source_remove (sigint);
  g_source_remove (sigterm);
  g_signal_handlers_disconnect_by_data (follow, &scan);
  dh_rolling_store_finish (scan.rolling);
  end_progress_line (&scan);
  print_rejects (dh_rolling_store_get_reader (scan.rolling));
  fprintf (stderr, g_dngettext (GETTEXT_PACKAGE,
                                "dnshunt: followed %" G_GUINT64_FORMAT " lines of %u file; %u "
                                "events were in memory at the end\n",
                                "dnshunt: followed %" G_GUINT64_FORMAT " lines of %u files; %u "
                                "events were in memory at the end\n",
                                dh_local_follow_get_n_files (follow)),
           dh_local_follow_get_n_lines (follow), dh_local_follow_get_n_files (follow),
           dh_event_store_get_n_events (dh_rolling_store_get_store (scan.rolling)));
  notify_finish (scan.notify, MIN (FOLLOW_NOTIFY_WAIT, p->notify_wait));
  status = scan.failed_on ? DH_EXIT_ALERTS : DH_EXIT_OK;
  if (scan.out != stdout)
    fclose (scan.out);
  dh_alert_tracker_free (scan.tracker);
  dh_rolling_store_free (scan.rolling);
  return status;
}

/* Checks every option and their combinations, and parses the values into
 * @p (whose book the caller made). */
static gboolean
scan_plan_init (ScanPlan           *p,
                const ScanOptions  *o,
                GError            **error)
{
  gint64 d;

  p->o = o;
  p->start = G_MININT64;
  p->end = G_MAXINT64;
  p->format = DH_REPORT_FORMAT_TEXT;
  if (o->format && !dh_report_format_from_string (o->format, &p->format))
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   _("Unknown format “%s”; formats: text, json, csv, md, html, pdf"), o->format);
      return FALSE;
    }
  if (o->paper && g_ascii_strcasecmp (o->paper, "a4") == 0)
    p->report.paper = DH_REPORT_PAPER_A4;
  else if (o->paper && g_ascii_strcasecmp (o->paper, "letter") == 0)
    p->report.paper = DH_REPORT_PAPER_LETTER;
  else if (o->paper)
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   _("--paper takes a4 or letter, not “%s”"), o->paper);
      return FALSE;
    }
  if (p->format == DH_REPORT_FORMAT_PDF && (o->output == NULL || g_str_equal (o->output, "-")) &&
      isatty (STDOUT_FILENO))
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   _("Not writing a PDF to a terminal; use -o FILE (or a pipe)"));
      return FALSE;
    }
  if (o->cloudwatch == NULL && (o->region || o->profile || o->endpoint_url))
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   _("--region, --profile and --endpoint-url go with --cloudwatch=LOG_GROUP"));
      return FALSE;
    }
  for (guint i = 0; o->follow && o->inputs && o->inputs[i]; i++)
    if (g_str_equal (o->inputs[i], "-"))
      {
        g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                     _("--follow follows files and folders, not standard input"));
        return FALSE;
      }
  if (o->cloudwatch && *o->cloudwatch == '\0')
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   _("--cloudwatch needs a log group name"));
      return FALSE;
    }
  if (o->cloudwatch && o->inputs && o->inputs[0])
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   _("--cloudwatch reads from CloudWatch Logs: give no files with it"));
      return FALSE;
    }
  if (o->follow && p->format != DH_REPORT_FORMAT_TEXT && p->format != DH_REPORT_FORMAT_JSON)
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   _("--follow prints alerts as they open: use --format=text or json"));
      return FALSE;
    }
  if ((o->retention || o->lookback) && !o->follow)
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE, _("--%s goes with --follow"),
                   o->retention ? "retention" : "lookback");
      return FALSE;
    }
  if (o->follow &&
      !parse_duration_option ("retention", o->retention ? o->retention : DEFAULT_RETENTION, FALSE,
                              DH_DURATION_MAX, &p->retention, error))
    return FALSE;
  if (o->follow &&
      !parse_duration_option ("lookback", o->lookback ? o->lookback : DEFAULT_LOOKBACK, TRUE,
                              MAX_LOOKBACK, &p->lookback, error))
    return FALSE;
  if (o->follow && o->end)
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   _("--follow reads until interrupted: it takes no --end"));
      return FALSE;
    }
  if (o->fail_on && !dh_severity_from_string (o->fail_on, &p->fail_on))
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   _("--fail-on takes low, medium or high, not “%s”"), o->fail_on);
      return FALSE;
    }
  if (o->since)
    {
      if (o->start)
        {
          g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                       _("--since and --start cannot be used together"));
          return FALSE;
        }
      if (!parse_duration_option ("since", o->since, FALSE, DH_DURATION_MAX, &d, error))
        return FALSE;
      p->start = g_get_real_time () - d;
    }
  if (o->start && !parse_time_option ("start", o->start, &p->start, error))
    return FALSE;
  if (o->end && !parse_time_option ("end", o->end, &p->end, error))
    return FALSE;
  if (!notify_plan_init (p, o, error))
    return FALSE;
  for (guint i = 0; o->sets && o->sets[i]; i++)
    if (!dh_rule_book_set (p->book, o->sets[i], error))
      {
        g_prefix_error (error, "--set: ");
        return FALSE;
      }
  if (o->cloudwatch)
    {
      /* A live source needs a bound: the last hour unless told otherwise. */
      if (o->since == NULL && o->start == NULL)
        p->start = g_get_real_time () - G_GINT64_CONSTANT (3600) * G_USEC_PER_SEC;
      if (p->end < p->start)
        {
          g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                       _("--end is before the start of the range"));
          return FALSE;
        }
    }
  else if (o->inputs == NULL || o->inputs[0] == NULL)
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   _("No input: give log files, folders, or - for standard input"));
      return FALSE;
    }
  return TRUE;
}

/* Files, folders and standard input: one report. */
static int
scan_files (const ScanPlan *p)
{
  const ScanOptions *o = p->o;
  ProgressState progress = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(DhEventStore) store = dh_event_store_new ();
  g_autoptr(DhReader) reader = dh_reader_new (store);
  g_autoptr(DhAlertSet) alerts = NULL;
  Notify *notify;
  int status = DH_EXIT_OK;

  dh_reader_set_time_range (reader, p->start, p->end);
  if (o->progress)
    dh_reader_set_progress_func (reader, print_progress, &progress);
  for (guint i = 0; o->inputs[i]; i++)
    dh_reader_add_path (reader, o->inputs[i], NULL);
  dh_reader_run (reader, NULL, NULL);
  if (progress.printed)
    fprintf (stderr, "\n");

  print_rejects (reader);
  if (dh_reader_get_errors (reader)->len > 0)
    {
      GPtrArray *errors = dh_reader_get_errors (reader);
      for (guint i = 0; i < errors->len; i++)
        {
          g_autofree char *msg = dh_text_sanitize (((GError *) errors->pdata[i])->message);
          fprintf (stderr, "dnshunt: %s\n", msg);
        }
      status = DH_EXIT_INPUT;
    }

  alerts = dh_analyze (store, p->book, NULL, &error);
  if (!emit_report (alerts, p, NULL, &error))
    return report_failed (error);
  if (status == DH_EXIT_OK && p->fail_on && dh_alert_set_count_at_least (alerts, p->fail_on) > 0)
    status = DH_EXIT_ALERTS;
  /* the report is out first: a receiver that is down delays only this */
  notify = notify_start (p, FALSE);
  notify_found (notify, alerts);
  notify_finish (notify, p->notify_wait);
  return status;
}

int
dh_scan_main (int    argc,
              char **argv)
{
  g_auto(ScanOptions) o = { 0 };
  g_auto(ScanPlan) plan = { 0 };
  ScanOptions *op = &o;
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *keys = NULL;
  g_autofree char *description = NULL;
  const GOptionEntry entries[] = {
    { "format", 'f', 0, G_OPTION_ARG_STRING, &op->format,
      N_("Output format: text, json, csv, md, html, pdf (default text)"), "FORMAT" },
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &op->output,
      N_("Write there instead of standard output"), "PATH" },
    { "title", 0, 0, G_OPTION_ARG_STRING, &op->title,
      N_("Title of the report (md, html, pdf)"), "TEXT" },
    { "paper", 0, 0, G_OPTION_ARG_STRING, &op->paper,
      N_("Paper size of a PDF report: a4, letter (default a4)"), "SIZE" },
    { "cloudwatch", 0, 0, G_OPTION_ARG_STRING, &op->cloudwatch,
      N_("Read from CloudWatch Logs instead of files"), "LOG_GROUP" },
    { "region", 0, 0, G_OPTION_ARG_STRING, &op->region, N_("AWS region"), "REGION" },
    { "profile", 0, 0, G_OPTION_ARG_STRING, &op->profile, N_("AWS profile"), "NAME" },
    { "endpoint-url", 0, 0, G_OPTION_ARG_STRING, &op->endpoint_url,
      N_("CloudWatch Logs endpoint"), "URL" },
    { "since", 0, 0, G_OPTION_ARG_STRING, &op->since,
      N_("Only events of the last DURATION (30m, 6h, 2d)"), "DURATION" },
    { "start", 0, 0, G_OPTION_ARG_STRING, &op->start, N_("Only events from TIME on"), "TIME" },
    { "end", 0, 0, G_OPTION_ARG_STRING, &op->end, N_("Only events until TIME"), "TIME" },
    { "follow", 0, 0, G_OPTION_ARG_NONE, &op->follow,
      N_("Keep reading new events; emit alerts as they open"), NULL },
    { "retention", 0, 0, G_OPTION_ARG_STRING, &op->retention,
      N_("With --follow, keep this much history in memory (default 1h)"), "DURATION" },
    { "lookback", 0, 0, G_OPTION_ARG_STRING, &op->lookback,
      N_("With --follow, read again this far before the newest event, for events that "
         "arrive late (default 5m, at most 1h, 0 for none)"), "DURATION" },
    { "poll-interval", 0, G_OPTION_FLAG_HIDDEN, G_OPTION_ARG_INT, &op->poll_interval,
      N_("Milliseconds between --follow polls (default 5000)"), "MSEC" },
    { "set", 0, 0, G_OPTION_ARG_STRING_ARRAY, &op->sets,
      N_("Change a setting for this run"), "RULE.KEY=VALUE" },
    { "fail-on", 0, 0, G_OPTION_ARG_STRING, &op->fail_on,
      N_("Exit 3 when an alert at or above SEVERITY exists (low, medium, high)"), "SEVERITY" },
    { "progress", 0, 0, G_OPTION_ARG_NONE, &op->progress, N_("Progress on standard error"), NULL },
    { "notify", 0, 0, G_OPTION_ARG_STRING_ARRAY, &op->notify,
      N_("Send each alert there: slack, pagerduty, webhook (set up in the environment) or "
         "desktop; repeatable"), "DESTINATION" },
    { "notify-min-severity", 0, 0, G_OPTION_ARG_STRING, &op->notify_min_severity,
      N_("Send alerts at or above SEVERITY only (low, medium, high; default medium)"),
      "SEVERITY" },
    { "notify-wait", 0, 0, G_OPTION_ARG_STRING, &op->notify_wait,
      N_("How long a scan waits for destinations to take its alerts (default 2m); what is "
         "left goes with the next run"), "DURATION" },
    { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &op->inputs, NULL,
      N_("[FILE|DIR|- …]") },
    { NULL }
  };

  /* Standard output is the report: debug messages (G_MESSAGES_DEBUG) must
   * not land in it. */
  g_log_writer_default_set_use_stderr (TRUE);

  plan.book = dh_rule_book_new (&error);
  if (plan.book == NULL)
    {
      fprintf (stderr, "dnshunt: %s\n", error->message);
      return DH_EXIT_INPUT;
    }

  keys = dh_rule_book_describe_keys (plan.book);
  description = g_strdup_printf (_("Reads Route 53 Resolver query logs (NDJSON, gzip, folders, "
                                   "CloudWatch exports), runs the detection rules and reports "
                                   "the alerts.\n\nSettings for --set (RULE.KEY=VALUE):\n%s\n"
                                   "--notify takes its destinations from the environment (each "
                                   "variable X may be X_FILE, a file only you can read): "
                                   "DNSHUNT_SLACK_WEBHOOK_URL; DNSHUNT_PAGERDUTY_ROUTING_KEY "
                                   "(and DNSHUNT_PAGERDUTY_URL); DNSHUNT_WEBHOOK_URL and "
                                   "DNSHUNT_WEBHOOK_SECRET.\n\n"
                                   "Exit status: 0 done, 1 usage error, 2 input not readable, "
                                   "3 alerts at or above --fail-on."), keys);
  g_set_prgname ("dnshunt scan");
  context = g_option_context_new (NULL);
  g_option_context_set_summary (context, _("Scan logs for suspicious DNS activity."));
  g_option_context_set_description (context, description);
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);

  if (!g_option_context_parse (context, &argc, &argv, &error) ||
      !scan_plan_init (&plan, &o, &error))
    {
      g_autofree char *clean = dh_text_sanitize (error->message);
      fprintf (stderr, "dnshunt scan: %s\n", clean);
      fprintf (stderr, _("Try “dnshunt scan --help”.\n"));
      return DH_EXIT_USAGE;
    }
  if (o.cloudwatch)
    return scan_cloudwatch (&plan);
  return o.follow ? scan_local_follow (&plan) : scan_files (&plan);
}
