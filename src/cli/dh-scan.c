/* dh-scan.c: `dnshunt scan`, the headless command
 *
 * Needs no display: it links only the core. Exit status: 0 done, 1 usage,
 * 2 an input could not be read, 3 alerts at or above --fail-on.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <glib/gi18n.h>
#include <gio/gio.h>
#include <gio/gunixoutputstream.h>

#include "dh-analysis.h"
#include "dh-reader.h"
#include "dh-report.h"
#include "dh-rule-book.h"
#include "dh-time.h"
#include "dh-scan.h"

#define MAX_PRINTED_REJECTS 20

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
  char    **sets;
  char     *fail_on;
  gboolean  progress;
  char     *paper;
  char     *title;
  char    **inputs;
} ScanOptions;

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
}

static void
print_progress (DhReader *reader,
                gpointer  data)
{
  ProgressState *st = data;
  gint64 now = g_get_monotonic_time ();
  guint64 done = dh_reader_get_bytes_done (reader);
  guint64 total = dh_reader_get_bytes_total (reader);
  guint events = dh_event_store_get_n_events (dh_reader_get_store (reader));
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

static gboolean
write_report (DhAlertSet             *alerts,
              const DhReportOptions  *opts,
              DhReportFormat          format,
              const char             *path,
              GError                **error)
{
  g_autoptr(GOutputStream) out = NULL;
  g_autoptr(GFile) file = NULL;

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
   * failed run leaves no half report behind. */
  file = g_file_new_for_commandline_arg (path);
  out = G_OUTPUT_STREAM (g_file_replace (file, NULL, FALSE, G_FILE_CREATE_REPLACE_DESTINATION,
                                         NULL, error));
  if (out == NULL || !dh_report_write (alerts, opts, format, out, NULL, error) ||
      !g_output_stream_close (out, NULL, error))
    {
      if (out && !g_output_stream_is_closed (out))
        {
          g_autoptr(GCancellable) abort = g_cancellable_new ();
          g_cancellable_cancel (abort);
          g_output_stream_close (out, abort, NULL);
        }
      g_prefix_error (error, _("Cannot write the report: "));
      return FALSE;
    }
  return TRUE;
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

int
dh_scan_main (int    argc,
              char **argv)
{
  ScanOptions o = { 0 };
  ProgressState progress = { 0 };
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(DhRuleBook) book = NULL;
  g_autoptr(DhEventStore) store = NULL;
  g_autoptr(DhReader) reader = NULL;
  g_autoptr(DhAlertSet) alerts = NULL;
  g_autofree char *keys = NULL;
  g_autofree char *description = NULL;
  g_autofree char *time_range = NULL;
  DhReportOptions report = { 0 };
  DhReportFormat format = DH_REPORT_FORMAT_TEXT;
  DhSeverity fail_on = 0;
  gint64 start = G_MININT64, end = G_MAXINT64;
  int status = DH_EXIT_OK;
  const GOptionEntry entries[] = {
    { "format", 'f', 0, G_OPTION_ARG_STRING, &o.format,
      N_("Output format: text, json, csv, md, html, pdf (default text)"), "FORMAT" },
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &o.output,
      N_("Write there instead of standard output"), "PATH" },
    { "title", 0, 0, G_OPTION_ARG_STRING, &o.title,
      N_("Title of the report (md, html, pdf)"), "TEXT" },
    { "paper", 0, 0, G_OPTION_ARG_STRING, &o.paper,
      N_("Paper size of a PDF report: a4, letter (default a4)"), "SIZE" },
    { "cloudwatch", 0, 0, G_OPTION_ARG_STRING, &o.cloudwatch,
      N_("Read from CloudWatch Logs instead of files"), "LOG_GROUP" },
    { "region", 0, 0, G_OPTION_ARG_STRING, &o.region, N_("AWS region"), "REGION" },
    { "profile", 0, 0, G_OPTION_ARG_STRING, &o.profile, N_("AWS profile"), "NAME" },
    { "endpoint-url", 0, 0, G_OPTION_ARG_STRING, &o.endpoint_url,
      N_("CloudWatch Logs endpoint"), "URL" },
    { "since", 0, 0, G_OPTION_ARG_STRING, &o.since,
      N_("Only events of the last DURATION (30m, 6h, 2d)"), "DURATION" },
    { "start", 0, 0, G_OPTION_ARG_STRING, &o.start, N_("Only events from TIME on"), "TIME" },
    { "end", 0, 0, G_OPTION_ARG_STRING, &o.end, N_("Only events until TIME"), "TIME" },
    { "follow", 0, 0, G_OPTION_ARG_NONE, &o.follow,
      N_("Keep reading new events; emit alerts as they open"), NULL },
    { "set", 0, 0, G_OPTION_ARG_STRING_ARRAY, &o.sets,
      N_("Change a setting for this run"), "RULE.KEY=VALUE" },
    { "fail-on", 0, 0, G_OPTION_ARG_STRING, &o.fail_on,
      N_("Exit 3 when an alert at or above SEVERITY exists (low, medium, high)"), "SEVERITY" },
    { "progress", 0, 0, G_OPTION_ARG_NONE, &o.progress, N_("Progress on standard error"), NULL },
    { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &o.inputs, NULL,
      N_("[FILE|DIR|- …]") },
    { NULL }
  };

  book = dh_rule_book_new (&error);
  if (book == NULL)
    {
      fprintf (stderr, "dnshunt: %s\n", error->message);
      return DH_EXIT_INPUT;
    }

  keys = dh_rule_book_describe_keys (book);
  description = g_strdup_printf (_("Reads Route 53 Resolver query logs (NDJSON, gzip, folders, "
                                   "CloudWatch exports), runs the detection rules and reports "
                                   "the alerts.\n\nSettings for --set (RULE.KEY=VALUE):\n%s\n"
                                   "Exit status: 0 done, 1 usage error, 2 input not readable, "
                                   "3 alerts at or above --fail-on."), keys);
  g_set_prgname ("dnshunt scan");
  context = g_option_context_new (NULL);
  g_option_context_set_summary (context, _("Scan logs for suspicious DNS activity."));
  g_option_context_set_description (context, description);
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);

  if (!g_option_context_parse (context, &argc, &argv, &error))
    goto usage;

  if (o.format && !dh_report_format_from_string (o.format, &format))
    {
      g_set_error (&error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   _("Unknown format “%s”; formats: text, json, csv, md, html, pdf"), o.format);
      goto usage;
    }
  if (o.paper && g_ascii_strcasecmp (o.paper, "a4") == 0)
    report.paper = DH_REPORT_PAPER_A4;
  else if (o.paper && g_ascii_strcasecmp (o.paper, "letter") == 0)
    report.paper = DH_REPORT_PAPER_LETTER;
  else if (o.paper)
    {
      g_set_error (&error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   _("--paper takes a4 or letter, not “%s”"), o.paper);
      goto usage;
    }
  if (format == DH_REPORT_FORMAT_PDF && (o.output == NULL || g_str_equal (o.output, "-")) &&
      isatty (STDOUT_FILENO))
    {
      g_set_error (&error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   _("Not writing a PDF to a terminal; use -o FILE (or a pipe)"));
      goto usage;
    }
  if (o.cloudwatch || o.follow || o.region || o.profile || o.endpoint_url)
    {
      g_set_error (&error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   _("Reading from CloudWatch Logs (--cloudwatch, --follow, --region, --profile, "
                     "--endpoint-url) is not available yet in this version"));
      goto usage;
    }
  if (o.fail_on && !dh_severity_from_string (o.fail_on, &fail_on))
    {
      g_set_error (&error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   _("--fail-on takes low, medium or high, not “%s”"), o.fail_on);
      goto usage;
    }
  if (o.since)
    {
      gint64 d;
      if (o.start)
        {
          g_set_error (&error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                       _("--since and --start cannot be used together"));
          goto usage;
        }
      if (!dh_duration_parse (o.since, &d))
        {
          g_set_error (&error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                       _("--since=%s is not a duration (such as 30m, 6h, 2d)"), o.since);
          goto usage;
        }
      start = g_get_real_time () - d;
    }
  if (o.start && !parse_time_option ("start", o.start, &start, &error))
    goto usage;
  if (o.end && !parse_time_option ("end", o.end, &end, &error))
    goto usage;
  for (guint i = 0; o.sets && o.sets[i]; i++)
    if (!dh_rule_book_set (book, o.sets[i], &error))
      {
        g_prefix_error (&error, "--set: ");
        goto usage;
      }
  if (o.inputs == NULL || o.inputs[0] == NULL)
    {
      g_set_error (&error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   _("No input: give log files, folders, or - for standard input"));
      goto usage;
    }

  store = dh_event_store_new ();
  reader = dh_reader_new (store);
  dh_reader_set_time_range (reader, start, end);
  if (o.progress)
    dh_reader_set_progress_func (reader, print_progress, &progress);
  for (guint i = 0; o.inputs[i]; i++)
    dh_reader_add_path (reader, o.inputs[i], NULL);
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

  alerts = dh_analyze (store, book, NULL, &error);

  if (o.since || o.start || o.end)
    {
      char b1[DH_TIME_FORMAT_SIZE], b2[DH_TIME_FORMAT_SIZE];
      time_range = g_strdup_printf (_("%s to %s"),
                                    start != G_MININT64 ? dh_time_format (start, b1)
                                                        : _("the beginning"),
                                    end != G_MAXINT64 ? dh_time_format (end, b2) : _("the end"));
      if (o.since)
        {
          char *with = g_strdup_printf ("%s (--since=%s)", time_range, o.since);
          g_free (time_range);
          time_range = with;
        }
    }
  report.title = o.title;
  report.time_range = time_range;
  report.written = time_of_writing ();
  if (!write_report (alerts, &report, format, o.output, &error))
    {
      fprintf (stderr, "dnshunt: %s\n", error->message);
      scan_options_clear (&o);
      return DH_EXIT_INPUT;
    }

  if (status == DH_EXIT_OK && fail_on && dh_alert_set_count_at_least (alerts, fail_on) > 0)
    status = DH_EXIT_ALERTS;
  scan_options_clear (&o);
  return status;

usage:
  {
    g_autofree char *clean = dh_text_sanitize (error->message);
    fprintf (stderr, "dnshunt scan: %s\n", clean);
    fprintf (stderr, _("Try “dnshunt scan --help”.\n"));
  }
  scan_options_clear (&o);
  return DH_EXIT_USAGE;
}
