/* test-report.c: the report API as the window uses it: options, selection,
 * triage, writing from a worker thread with progress and cancelling
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <fcntl.h>
#include <string.h>

#include <gio/gunixoutputstream.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "dh-report.h"
#include "dh-test-util.h"

/* Three hosts that each ask one name over TCP: three dns-over-tcp alerts. */
static DhAlertSet *
make_set (void)
{
  g_autoptr(GString) log = g_string_new (NULL);
  const char *hosts[] = { "10.0.0.1", "10.0.0.2", "10.0.0.3" };

  for (guint i = 0; i < G_N_ELEMENTS (hosts); i++)
    {
      g_autofree char *t = test_time_plus ("2026-03-02T10:00:00Z", i * 60);
      g_autofree char *line = test_record_line (&(TestRecord) { .time = t, .host = hosts[i],
                                                                .transport = "TCP" });
      g_string_append (log, line);
    }
  return test_analyze_text (log->str, NULL);
}

static char *
write_to_string (DhAlertSet            *set,
                 const DhReportOptions *opts,
                 DhReportFormat         format,
                 gsize                 *length)
{
  g_autoptr(GOutputStream) out = g_memory_output_stream_new_resizable ();
  g_autoptr(GError) error = NULL;

  g_assert_true (dh_report_write (set, opts, format, out, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (g_output_stream_write_all (out, "", 1, NULL, NULL, NULL));  /* a final NUL */
  g_assert_true (g_output_stream_close (out, NULL, NULL));
  if (length)
    *length = g_memory_output_stream_get_data_size (G_MEMORY_OUTPUT_STREAM (out)) - 1;
  return g_memory_output_stream_steal_data (G_MEMORY_OUTPUT_STREAM (out));
}

static void
test_formats (void)
{
  DhReportFormat f;
  DhTriageState t;

  for (guint i = 0; i < DH_REPORT_N_FORMATS; i++)
    {
      g_assert_true (dh_report_format_from_string (dh_report_format_to_string (i), &f));
      g_assert_cmpint (f, ==, i);
      g_assert_nonnull (dh_report_format_get_extension (i));
      g_assert_nonnull (dh_report_format_get_mime_type (i));
    }
  g_assert_true (dh_report_format_from_string ("markdown", &f));
  g_assert_cmpint (f, ==, DH_REPORT_FORMAT_MARKDOWN);
  g_assert_true (dh_report_format_from_string ("PDF", &f));
  g_assert_cmpint (f, ==, DH_REPORT_FORMAT_PDF);
  g_assert_false (dh_report_format_from_string ("docx", &f));
  g_assert_false (dh_report_format_from_string (NULL, &f));

  for (guint i = 0; i < DH_N_TRIAGE_STATES; i++)
    {
      g_assert_true (dh_triage_state_from_string (dh_triage_state_to_string (i), &t));
      g_assert_cmpint (t, ==, i);
      g_assert_cmpstr (dh_triage_state_get_label (i), !=, "");
    }
  g_assert_cmpstr (dh_triage_state_to_string (DH_TRIAGE_BENIGN), ==, "benign");
  g_assert_false (dh_triage_state_from_string ("closed", &t));
}

/* With no options: the JSON document holds every alert, each as its NDJSON
 * line does, and no triage; the text groups the alerts most severe first. */
static void
test_text_and_json (void)
{
  g_autoptr(DhAlertSet) set = make_set ();
  g_autofree char *json = write_to_string (set, NULL, DH_REPORT_FORMAT_JSON, NULL);
  g_autofree char *text = write_to_string (set, NULL, DH_REPORT_FORMAT_TEXT, NULL);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonObject *root;
  JsonArray *alerts;
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);
  const char *last_heading = NULL;
  int last_severity = DH_SEVERITY_HIGH + 1;

  g_assert_cmpuint (dh_alert_set_get_n_alerts (set), ==, 3);
  g_assert_true (g_str_has_suffix (json, "}\n"));
  g_assert_true (json_parser_load_from_data (parser, json, -1, &error));
  g_assert_no_error (error);
  root = json_node_get_object (json_parser_get_root (parser));
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (root, "tool"),
                                                  "name"), ==, "dnshunt");
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (root, "summary"),
                                               "events"), ==,
                   dh_event_store_get_n_events (dh_alert_set_get_store (set)));
  alerts = json_object_get_array_member (root, "alerts");
  g_assert_cmpuint (json_array_get_length (alerts), ==, 3);
  for (guint i = 0; i < 3; i++)
    {
      g_autofree char *line = dh_report_alert_json_line (set, dh_alert_set_get_alert (set, i));
      g_autoptr(JsonParser) one = json_parser_new ();

      g_assert_true (json_parser_load_from_data (one, line, -1, NULL));
      g_assert_true (json_node_equal (json_parser_get_root (one),
                                      json_array_get_element (alerts, i)));
    }
  g_assert_null (strstr (json, "triage"));

  /* text: one heading per severity, most severe first, each alert under its own */
  g_assert_true (g_str_has_prefix (text, "DNS Hunt "));
  for (char **l = lines; *l; l++)
    {
      if (g_str_has_prefix (*l, "== "))
        {
          int sev = g_str_equal (*l, "== HIGH ==") ? DH_SEVERITY_HIGH
                    : g_str_equal (*l, "== MEDIUM ==") ? DH_SEVERITY_MEDIUM
                    : g_str_equal (*l, "== LOW ==") ? DH_SEVERITY_LOW : -1;
          g_assert_cmpint (sev, >=, 0);
          g_assert_cmpint (sev, <, last_severity);
          last_severity = sev;
          last_heading = *l;
        }
      else if (g_str_has_prefix (*l, "["))
        {
          guint n_under = 0;
          g_assert_nonnull (last_heading);
          for (guint i = 0; i < 3; i++)
            {
              const DhAlert *a = dh_alert_set_get_alert (set, i);
              const DhRule *rule = dh_rule_book_get_rule (dh_alert_set_get_rule_book (set),
                                                          a->rule);
              g_autofree char *head = g_strdup_printf ("[%s] ", rule->id);
              if (g_str_has_prefix (*l, head) && (int) a->severity == last_severity)
                n_under++;
            }
          g_assert_cmpuint (n_under, >=, 1);
        }
    }
  g_assert_nonnull (last_heading);
}

static void
test_selection_and_triage (void)
{
  g_autoptr(DhAlertSet) set = make_set ();
  const guint selection[] = { 2, 0 };
  const DhReportTriage triage[] = {
    { DH_TRIAGE_ESCALATED, "Pivoted from <script>alert(1)</script>\n=1+1" },
    { DH_TRIAGE_NEW, NULL },
    { DH_TRIAGE_BENIGN, "backup job | known" },
  };
  DhReportOptions opts = {
    .title = "Case <42>",
    .selection = selection,
    .n_selection = G_N_ELEMENTS (selection),
    .triage = triage,
    .written = G_GINT64_CONSTANT (1772698200) * G_USEC_PER_SEC,
  };
  g_autofree char *json = write_to_string (set, &opts, DH_REPORT_FORMAT_JSON, NULL);
  g_autofree char *csv = write_to_string (set, &opts, DH_REPORT_FORMAT_CSV, NULL);
  g_autofree char *md = write_to_string (set, &opts, DH_REPORT_FORMAT_MARKDOWN, NULL);
  g_autofree char *html = write_to_string (set, &opts, DH_REPORT_FORMAT_HTML, NULL);
  g_autofree char *text = write_to_string (set, &opts, DH_REPORT_FORMAT_TEXT, NULL);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonArray *alerts;
  JsonObject *first, *second;

  /* JSON: only the selected alerts, in the selection's order, with triage */
  g_assert_true (json_parser_load_from_data (parser, json, -1, &error));
  g_assert_no_error (error);
  alerts = json_object_get_array_member (json_node_get_object (json_parser_get_root (parser)),
                                         "alerts");
  g_assert_cmpuint (json_array_get_length (alerts), ==, 2);
  first = json_array_get_object_element (alerts, 0);
  second = json_array_get_object_element (alerts, 1);
  g_assert_cmpstr (json_object_get_string_member (first, "host"), ==, "10.0.0.3");
  g_assert_cmpstr (json_object_get_string_member (second, "host"), ==, "10.0.0.1");
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (first, "triage"),
                                                  "state"), ==, "benign");
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (second,
                                                                                 "triage"),
                                                  "note"), ==, triage[0].note);

  /* CSV: two more columns, the note on one line and inert */
  g_assert_true (g_str_has_prefix (csv, "severity,rule,"));
  g_assert_nonnull (strstr (csv, ",triage_state,triage_note\r\n"));
  g_assert_nonnull (strstr (csv, ",benign,backup job | known\r\n"));
  g_assert_nonnull (strstr (csv, ",escalated,Pivoted from <script>alert(1)</script>\\x0a=1+1\r\n"));

  /* Markdown: a triage column, the title escaped */
  g_assert_true (g_str_has_prefix (md, "# Case &lt;42&gt;\n"));
  g_assert_nonnull (strstr (md, "| Triage |"));
  g_assert_nonnull (strstr (md, "**Benign**: `backup job \\| known`"));
  g_assert_nonnull (strstr (md, "Written 2026-03-05T08:10:00Z"));
  g_assert_null (strstr (md, "10.0.0.2"));

  /* HTML: the note keeps its line break as text, nothing else */
  g_assert_nonnull (strstr (html, "<title>Case &lt;42&gt;</title>"));
  g_assert_nonnull (strstr (html, "Pivoted from &lt;script&gt;alert(1)&lt;/script&gt;\n=1+1"));
  g_assert_null (strstr (html, "<script"));
  g_assert_nonnull (strstr (html, "Benign"));
  g_assert_null (strstr (html, "10.0.0.2"));

  g_assert_nonnull (strstr (text, "Triage: Escalated \u2014 Pivoted from"));
  g_assert_nonnull (strstr (text, "Alerts: 2 "));
}

/* The options come from the window, but a note may hold anything pasted into
 * it: every format stays valid (and Pango warns of nothing, which would be
 * fatal here). */
static void
test_invalid_utf8_options (void)
{
  g_autoptr(DhAlertSet) set = make_set ();
  const DhReportTriage triage[3] = {
    { DH_TRIAGE_INVESTIGATING, "bad \xff\xfe <b>note</b> \x01" },
    { DH_TRIAGE_NEW, "" },
    { DH_TRIAGE_ESCALATED, "\t=tab" },
  };
  const char *inputs[] = { "log group /aws/\xff<route53>", NULL };
  DhReportOptions opts = {
    .title = "Title \xff <i>",
    .inputs = inputs,
    .time_range = "2026-03-02 \xff",
    .triage = triage,
  };

  for (guint f = 0; f < DH_REPORT_N_FORMATS; f++)
    {
      gsize len;
      g_autofree char *data = write_to_string (set, &opts, f, &len);
      if (f != DH_REPORT_FORMAT_PDF)
        g_assert_true (g_utf8_validate (data, len, NULL));
      if (f == DH_REPORT_FORMAT_JSON)
        {
          g_autoptr(JsonParser) parser = json_parser_new ();
          g_assert_true (json_parser_load_from_data (parser, data, len, NULL));
        }
      if (f == DH_REPORT_FORMAT_HTML)
        {
          g_assert_null (strstr (data, "<b>note"));
          g_assert_null (strstr (data, "<route53>"));
          g_assert_nonnull (strstr (data, "&lt;route53&gt;"));
        }
    }
}

static void
test_bad_selection (void)
{
  g_autoptr(DhAlertSet) set = make_set ();
  g_autoptr(GOutputStream) out = g_memory_output_stream_new_resizable ();
  g_autoptr(GError) error = NULL;
  const guint selection[] = { 0, 7 };
  DhReportOptions opts = { .selection = selection, .n_selection = 2 };

  g_assert_false (dh_report_write (set, &opts, DH_REPORT_FORMAT_HTML, out, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_assert_cmpuint (g_memory_output_stream_get_data_size (G_MEMORY_OUTPUT_STREAM (out)), ==, 0);
}

static void
test_no_alerts (void)
{
  g_autoptr(DhAlertSet) set = test_analyze_text ("", NULL);

  for (guint f = 0; f < DH_REPORT_N_FORMATS; f++)
    {
      gsize len;
      g_autofree char *data = write_to_string (set, NULL, f, &len);
      g_assert_cmpuint (len, >, 0);
      if (f == DH_REPORT_FORMAT_PDF)
        g_assert_true (g_str_has_prefix (data, "%PDF-"));
    }
}

typedef struct
{
  GMainLoop *loop;
  GThread   *main_thread;
  guint      n_progress;
  double     last;
  gboolean   in_main_thread;
  gboolean   after_done;
  gboolean   done;
  GError    *error;
} AsyncState;

static void
on_progress (double   fraction,
             gpointer data)
{
  AsyncState *st = data;

  st->n_progress++;
  g_assert_cmpfloat (fraction, >=, st->last);
  st->last = fraction;
  st->in_main_thread &= g_thread_self () == st->main_thread;
  st->after_done |= st->done;
}

static void
on_written (GObject      *source,
            GAsyncResult *result,
            gpointer      data)
{
  AsyncState *st = data;

  dh_report_write_file_finish (result, &st->error);
  st->done = TRUE;
  g_main_loop_quit (st->loop);
}

static char *
read_file (const char *path)
{
  char *data = NULL;

  g_assert_true (g_file_get_contents (path, &data, NULL, NULL));
  return data;
}

static guint
count_files (const char *dir)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  guint n = 0;

  while (g_dir_read_name (d))
    n++;
  return n;
}

static void
test_async (void)
{
  g_autoptr(DhAlertSet) set = make_set ();
  g_autofree char *dir = g_dir_make_tmp ("dnshunt-report-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "report.pdf", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autofree char *data = NULL;
  AsyncState st = { g_main_loop_new (NULL, FALSE), g_thread_self (), 0, 0, TRUE, FALSE };
  const DhReportTriage triage[3] = { { DH_TRIAGE_ESCALATED, "done" } };
  DhReportOptions *opts = g_new0 (DhReportOptions, 1);
  char *title = g_strdup ("Freed before the worker runs");

  opts->title = title;
  opts->triage = triage;
  opts->progress = on_progress;
  opts->progress_data = &st;
  dh_report_write_file_async (set, opts, DH_REPORT_FORMAT_PDF, file, NULL, on_written, &st);
  /* the options are copied: the caller may let go of them at once */
  g_free (title);
  g_free (opts);
  g_main_loop_run (st.loop);

  g_assert_no_error (st.error);
  g_assert_true (st.in_main_thread);
  g_assert_false (st.after_done);
  g_assert_cmpuint (st.n_progress, >=, 1);
  g_assert_cmpfloat (st.last, ==, 1.0);
  data = read_file (path);
  g_assert_true (g_str_has_prefix (data, "%PDF-"));
  g_assert_cmpuint (count_files (dir), ==, 1);

  g_unlink (path);
  g_rmdir (dir);
  g_main_loop_unref (st.loop);
}

static void
test_cancel_keeps_old_file (void)
{
  g_autoptr(DhAlertSet) set = make_set ();
  g_autofree char *dir = g_dir_make_tmp ("dnshunt-report-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "report.html", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autofree char *data = NULL;
  AsyncState st = { g_main_loop_new (NULL, FALSE), g_thread_self (), 0, 0, TRUE, FALSE };

  g_assert_true (g_file_set_contents (path, "the old report", -1, NULL));
  g_cancellable_cancel (cancellable);
  dh_report_write_file_async (set, NULL, DH_REPORT_FORMAT_HTML, file, cancellable, on_written,
                              &st);
  g_main_loop_run (st.loop);

  g_assert_error (st.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  data = read_file (path);
  g_assert_cmpstr (data, ==, "the old report");
  g_assert_cmpuint (count_files (dir), ==, 1);

  g_clear_error (&st.error);
  g_unlink (path);
  g_rmdir (dir);
  g_main_loop_unref (st.loop);
}

/* A report that fails once its file was opened leaves no file, empty or
 * partial. */
static void
test_failure_leaves_no_new_file (void)
{
  g_autoptr(DhAlertSet) set = make_set ();
  g_autofree char *dir = g_dir_make_tmp ("dnshunt-report-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "report.html", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  AsyncState st = { g_main_loop_new (NULL, FALSE), g_thread_self (), 0, 0, TRUE, FALSE };
  const guint selection[] = { 0, 7 };
  DhReportOptions opts = { .selection = selection, .n_selection = 2 };

  dh_report_write_file_async (set, &opts, DH_REPORT_FORMAT_HTML, file, NULL, on_written, &st);
  g_main_loop_run (st.loop);

  g_assert_error (st.error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
  g_assert_cmpuint (count_files (dir), ==, 0);

  g_clear_error (&st.error);
  g_rmdir (dir);
  g_main_loop_unref (st.loop);
}

typedef struct
{
  const char *dir;
  const char *path;
  const char *old;        /* what the target held before, or NULL */
  guint       n_checked;
} Midway;

static void
check_midway (double   fraction,
              gpointer data)
{
  Midway *m = data;
  g_autoptr(GDir) d = NULL;
  const char *name;
  guint n = 0, hidden = 0;

  if (fraction <= 0 || fraction >= 1)
    return;
  /* the target is as it was; the report grows in a hidden file beside it */
  if (m->old)
    {
      g_autofree char *data_now = read_file (m->path);
      g_assert_cmpstr (data_now, ==, m->old);
    }
  else
    g_assert_false (g_file_test (m->path, G_FILE_TEST_EXISTS));
  d = g_dir_open (m->dir, 0, NULL);
  while ((name = g_dir_read_name (d)))
    {
      n++;
      hidden += g_str_has_prefix (name, ".report.md.");
    }
  g_assert_cmpuint (hidden, ==, 1);
  g_assert_cmpuint (n, ==, m->old ? 2 : 1);
  m->n_checked++;
}

/* The file is written beside the target and renamed over it once whole: a
 * crash or a kill halfway leaves the target as it was (the window writes
 * through dh_report_write_file_async(), which runs this). */
static void
test_write_file_beside (void)
{
  g_autoptr(DhAlertSet) set = make_set ();
  g_autofree char *dir = g_dir_make_tmp ("dnshunt-report-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "report.md", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);

  for (guint round = 0; round < 2; round++)
    {
      Midway m = { dir, path, round ? "the old report" : NULL, 0 };
      DhReportOptions opts = { .progress = check_midway, .progress_data = &m };
      g_autoptr(GError) error = NULL;
      g_autofree char *data = NULL;

      if (m.old)
        g_assert_true (g_file_set_contents (path, m.old, -1, NULL));
      g_assert_true (dh_report_write_file (set, &opts, DH_REPORT_FORMAT_MARKDOWN, file, NULL,
                                           &error));
      g_assert_no_error (error);
      g_assert_cmpuint (m.n_checked, >, 0);
      data = read_file (path);
      g_assert_true (g_str_has_prefix (data, "# DNS Hunt incident report\n"));
      g_assert_cmpuint (count_files (dir), ==, 1);
    }
  g_unlink (path);
  g_rmdir (dir);
}

/* A stream that fails after some bytes, as a full disk would. */
static void
test_write_error (void)
{
  g_autoptr(DhAlertSet) set = make_set ();
  g_autofree char *dir = g_dir_make_tmp ("dnshunt-report-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "report.pdf", NULL);
  g_autoptr(GOutputStream) out = NULL;
  g_autoptr(GError) error = NULL;
  int fd;

  /* a read-only descriptor: every write fails */
  g_assert_true (g_file_set_contents (path, "", 0, NULL));
  fd = g_open (path, O_RDONLY, 0);
  g_assert_cmpint (fd, >=, 0);
  out = g_unix_output_stream_new (fd, TRUE);
  for (guint f = DH_REPORT_FORMAT_CSV; f < DH_REPORT_N_FORMATS; f++)
    {
      g_assert_false (dh_report_write (set, NULL, f, out, NULL, &error));
      g_assert_nonnull (error);
      g_clear_error (&error);
    }
  g_unlink (path);
  g_rmdir (dir);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/report/formats", test_formats);
  g_test_add_func ("/report/text-and-json", test_text_and_json);
  g_test_add_func ("/report/selection-and-triage", test_selection_and_triage);
  g_test_add_func ("/report/invalid-utf8-options", test_invalid_utf8_options);
  g_test_add_func ("/report/bad-selection", test_bad_selection);
  g_test_add_func ("/report/no-alerts", test_no_alerts);
  g_test_add_func ("/report/async", test_async);
  g_test_add_func ("/report/cancel-keeps-old-file", test_cancel_keeps_old_file);
  g_test_add_func ("/report/failure-leaves-no-new-file", test_failure_leaves_no_new_file);
  g_test_add_func ("/report/write-file-beside", test_write_file_beside);
  g_test_add_func ("/report/write-error", test_write_error);
  return g_test_run ();
}
