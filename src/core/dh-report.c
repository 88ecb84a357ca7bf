/* dh-report.c: writing the alerts out: the entry point, the formats, the
 * triage states, and writing a file (in place, or from a worker thread)
 *
 * Every string from a log is attacker-controlled. Each format is a writer
 * (dh-report-{text,json,csv,md,html,pdf}.c): a table of what it writes
 * before, for and after each alert, run by the one loop in
 * dh-report-context.c; each escapes for its format through dh-escape.c or
 * JsonGenerator.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <errno.h>
#include <string.h>
#include <unistd.h>

#include <gio/gfiledescriptorbased.h>
#include <glib/gi18n.h>
#include <json-glib/json-glib.h>

#include "dh-progress-relay.h"
#include "dh-report-private.h"
#include "dh-time.h"

guint
dh_report_get_max_evidence (DhAlertSet *set)
{
  g_autofree char *v = dh_rule_book_get_value_string (dh_alert_set_get_rule_book (set), "all",
                                                      "max-evidence");
  return v ? (guint) g_ascii_strtoull (v, NULL, 10) : 100;
}

/* ---- The entry point ---------------------------------------------------- */

G_DEFINE_QUARK (dh-report-error-quark, dh_report_error)

static const struct
{
  const char *name;
  const char *extension;
  const char *mime_type;
} formats[DH_REPORT_N_FORMATS] = {
  [DH_REPORT_FORMAT_TEXT] = { "text", "txt", "text/plain" },
  [DH_REPORT_FORMAT_JSON] = { "json", "json", "application/json" },
  [DH_REPORT_FORMAT_CSV] = { "csv", "csv", "text/csv" },
  [DH_REPORT_FORMAT_MARKDOWN] = { "md", "md", "text/markdown" },
  [DH_REPORT_FORMAT_HTML] = { "html", "html", "text/html" },
  [DH_REPORT_FORMAT_PDF] = { "pdf", "pdf", "application/pdf" },
};

/**
 * dh_report_format_to_string:
 *
 * Returns: the format's name on the command line: `text`, `json`, `csv`,
 *   `md`, `html`, `pdf`
 */
const char *
dh_report_format_to_string (DhReportFormat format)
{
  g_return_val_if_fail (format < DH_REPORT_N_FORMATS, NULL);
  return formats[format].name;
}

/**
 * dh_report_format_from_string:
 * @text: a name as dh_report_format_to_string() gives, or `markdown`
 *
 * Returns: whether @text names a format
 */
gboolean
dh_report_format_from_string (const char     *text,
                              DhReportFormat *format)
{
  if (text && g_ascii_strcasecmp (text, "markdown") == 0)
    text = "md";
  for (guint i = 0; text && i < DH_REPORT_N_FORMATS; i++)
    if (g_ascii_strcasecmp (text, formats[i].name) == 0)
      {
        *format = i;
        return TRUE;
      }
  return FALSE;
}

const char *
dh_report_format_get_extension (DhReportFormat format)
{
  g_return_val_if_fail (format < DH_REPORT_N_FORMATS, NULL);
  return formats[format].extension;
}

const char *
dh_report_format_get_mime_type (DhReportFormat format)
{
  g_return_val_if_fail (format < DH_REPORT_N_FORMATS, NULL);
  return formats[format].mime_type;
}

static const struct
{
  const char *id;
  const char *label;
} triage_states[DH_N_TRIAGE_STATES] = {
  [DH_TRIAGE_NEW] = { "new", N_("New") },
  [DH_TRIAGE_INVESTIGATING] = { "investigating", N_("Investigating") },
  [DH_TRIAGE_BENIGN] = { "benign", N_("Benign") },
  [DH_TRIAGE_ESCALATED] = { "escalated", N_("Escalated") },
};

/**
 * dh_triage_state_to_string:
 *
 * Returns: the state's stable id, as JSON reports carry it (`new`,
 *   `investigating`, `benign`, `escalated`)
 */
const char *
dh_triage_state_to_string (DhTriageState state)
{
  g_return_val_if_fail (state < DH_N_TRIAGE_STATES, "new");
  return triage_states[state].id;
}

gboolean
dh_triage_state_from_string (const char    *text,
                             DhTriageState *state)
{
  for (guint i = 0; text && i < DH_N_TRIAGE_STATES; i++)
    if (g_str_equal (text, triage_states[i].id))
      {
        *state = i;
        return TRUE;
      }
  return FALSE;
}

/**
 * dh_triage_state_get_label:
 *
 * Returns: the state's name for people, translated
 */
const char *
dh_triage_state_get_label (DhTriageState state)
{
  g_return_val_if_fail (state < DH_N_TRIAGE_STATES, "");
  return _(triage_states[state].label);
}

static const DhReportWriter *const writers[DH_REPORT_N_FORMATS] = {
  [DH_REPORT_FORMAT_TEXT] = &dh_report_writer_text,
  [DH_REPORT_FORMAT_JSON] = &dh_report_writer_json,
  [DH_REPORT_FORMAT_CSV] = &dh_report_writer_csv,
  [DH_REPORT_FORMAT_MARKDOWN] = &dh_report_writer_markdown,
  [DH_REPORT_FORMAT_HTML] = &dh_report_writer_html,
  [DH_REPORT_FORMAT_PDF] = &dh_report_writer_pdf,
};

/**
 * dh_report_write:
 * @set: the alerts and the store they came from; only read, so a worker
 *   thread may write while the window shows the same set
 * @opts: (nullable): what to cover and how; see #DhReportOptions
 * @format: the format
 * @out: where to write; not closed
 * @cancellable: (nullable): checked between alerts
 * @error: where to put an error
 *
 * Writes an incident report of the selected alerts (or all): the inputs and
 * their counts, a summary table, then each alert with its rule text, MITRE
 * ATT&CK mapping, impact, mitigation, references, names, evidence, triage and
 * the host's timeline. Text and JSON are what `dnshunt scan` prints (JSON
 * gains a `triage` member per alert when @opts carries triage).
 *
 * Blocks: call it from a worker thread (see dh_report_write_file_async()).
 *
 * Returns: %TRUE when the whole report was written
 */
gboolean
dh_report_write (DhAlertSet             *set,
                 const DhReportOptions  *opts,
                 DhReportFormat          format,
                 GOutputStream          *out,
                 GCancellable           *cancellable,
                 GError                **error)
{
  DhReportContext ctx;
  gboolean ok = FALSE;

  g_return_val_if_fail (set != NULL, FALSE);
  g_return_val_if_fail (G_IS_OUTPUT_STREAM (out), FALSE);
  g_return_val_if_fail (format < DH_REPORT_N_FORMATS, FALSE);

  if (!dh_report_context_init (&ctx, set, opts, out, cancellable, error))
    {
      dh_report_context_clear (&ctx);
      return FALSE;
    }
  ok = dh_report_context_run (&ctx, writers[format], error);
  dh_report_context_clear (&ctx);
  return ok;
}

/* ---- Writing a file ----------------------------------------------------- */

/* Only a regular file (or a link, which is replaced as before) may be
 * replaced: a device or a pipe is not renamed over. */
static gboolean
check_target (GFile   *file,
              GError **error)
{
  g_autoptr(GFileInfo) info = NULL;
  g_autoptr(GError) local = NULL;

  info = g_file_query_info (file, G_FILE_ATTRIBUTE_STANDARD_TYPE,
                            G_FILE_QUERY_INFO_NOFOLLOW_SYMLINKS, NULL, &local);
  if (info == NULL)
    {
      if (g_error_matches (local, G_IO_ERROR, G_IO_ERROR_NOT_FOUND))
        return TRUE;
      g_propagate_error (error, g_steal_pointer (&local));
      return FALSE;
    }
  switch (g_file_info_get_file_type (info))
    {
    case G_FILE_TYPE_REGULAR:
    case G_FILE_TYPE_SYMBOLIC_LINK:
      return TRUE;
    case G_FILE_TYPE_DIRECTORY:
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_IS_DIRECTORY, _("It is a folder"));
      return FALSE;
    case G_FILE_TYPE_UNKNOWN:
    case G_FILE_TYPE_SPECIAL:
    case G_FILE_TYPE_SHORTCUT:
    case G_FILE_TYPE_MOUNTABLE:
    default:
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_REGULAR_FILE,
                           _("It is not a regular file"));
      return FALSE;
    }
}

/* On disk before it is renamed, so that a crash cannot leave an empty file
 * where the old one was (as g_file_replace() does for an old file). */
static gboolean
sync_to_disk (GFileOutputStream  *stream,
              GError            **error)
{
  int fd;

  if (!G_IS_FILE_DESCRIPTOR_BASED (stream))
    return TRUE;
  fd = g_file_descriptor_based_get_fd (G_FILE_DESCRIPTOR_BASED (stream));
  if (fsync (fd) != 0 && errno != EINVAL && errno != EROFS)
    {
      int saved = errno;
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved), _("Error writing to file: %s"),
                   g_strerror (saved));
      return FALSE;
    }
  return TRUE;
}

/* A new hidden file beside @file, for the report until it is complete. */
static GFileOutputStream *
create_beside (GFile   *file,
               GFile  **temp,
               GError **error)
{
  g_autoptr(GFile) parent = g_file_get_parent (file);
  g_autofree char *base = g_file_get_basename (file);

  if (parent == NULL || base == NULL)
    {
      g_autofree char *name = g_file_get_parse_name (file);
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_FILENAME, _("%s is not a file name"),
                   name);
      return NULL;
    }
  /* short enough that the name stays under the usual 255 bytes */
  if (strlen (base) > 200)
    base[200] = '\0';
  for (guint tries = 0;; tries++)
    {
      g_autofree char *name = g_strdup_printf (".%s.%08x.part", base, g_random_int ());
      g_autoptr(GFile) candidate = g_file_get_child (parent, name);
      g_autoptr(GError) local = NULL;
      GFileOutputStream *stream = g_file_create (candidate, G_FILE_CREATE_NONE, NULL, &local);

      if (stream)
        {
          *temp = g_steal_pointer (&candidate);
          return stream;
        }
      if (!g_error_matches (local, G_IO_ERROR, G_IO_ERROR_EXISTS) || tries >= 100)
        {
          g_propagate_error (error, g_steal_pointer (&local));
          return NULL;
        }
    }
}

/**
 * dh_report_write_file:
 * @set: the alerts
 * @opts: (nullable): as for dh_report_write()
 * @format: the format
 * @file: where to write
 * @cancellable: (nullable): to stop writing
 * @error: where to put an error
 *
 * Writes the report into a new hidden file in @file's folder and renames it
 * to @file once it is whole, so @file never holds part of a report: after a
 * failure, a cancel or the end of the process it is as it was (absent, or
 * the old file). The hidden file is removed on failure and on cancel. A
 * cancel that comes after the report was written does not undo it.
 *
 * Blocks: call it from a worker thread (see dh_report_write_file_async()).
 *
 * Returns: %TRUE when @file holds the whole report
 */
gboolean
dh_report_write_file (DhAlertSet             *set,
                      const DhReportOptions  *opts,
                      DhReportFormat          format,
                      GFile                  *file,
                      GCancellable           *cancellable,
                      GError                **error)
{
  g_autoptr(GFileOutputStream) stream = NULL;
  g_autoptr(GFile) temp = NULL;
  GOutputStream *out;

  g_return_val_if_fail (set != NULL, FALSE);
  g_return_val_if_fail (G_IS_FILE (file), FALSE);

  if (g_cancellable_set_error_if_cancelled (cancellable, error) || !check_target (file, error))
    return FALSE;
  stream = create_beside (file, &temp, error);
  if (stream == NULL)
    return FALSE;
  out = G_OUTPUT_STREAM (stream);
  if (dh_report_write (set, opts, format, out, cancellable, error) &&
      g_output_stream_flush (out, NULL, error) &&
      sync_to_disk (stream, error) &&
      g_output_stream_close (out, NULL, error) &&
      g_file_move (temp, file, G_FILE_COPY_OVERWRITE, NULL, NULL, NULL, error))
    return TRUE;

  if (!g_output_stream_is_closed (out))
    g_output_stream_close (out, NULL, NULL);
  g_file_delete (temp, NULL, NULL);
  return FALSE;
}

/* ---- Writing from a worker thread --------------------------------------- */

/* The caller's progress function, called on its main context through a
 * relay (dh-progress-relay.c): the latest fraction wins. */
typedef struct
{
  DhReportProgressFunc func;
  gpointer             data;
} ProgressTarget;

static void
forward_progress (const DhProgress *progress,
                  gpointer          data)
{
  ProgressTarget *target = data;

  target->func (progress->fraction, target->data);
}

/* the worker's progress function */
static void
post_progress (double   fraction,
               gpointer relay)
{
  dh_progress_relay_post (relay, &(DhProgress) { .fraction = fraction }, FALSE);
}

typedef struct
{
  DhAlertSet      *set;
  DhReportOptions  opts;
  DhReportFormat   format;
  GFile           *file;
  DhProgressRelay *relay;
  /* the copies opts points into */
  char            *title;
  char           **inputs;
  char            *time_range;
  guint           *selection;
  DhReportTriage  *triage;
  char           **notes;
} WriteFileData;

static void
write_file_data_free (gpointer data)
{
  WriteFileData *d = data;

  dh_alert_set_unref (d->set);
  g_object_unref (d->file);
  g_clear_pointer (&d->relay, dh_progress_relay_unref);
  g_free (d->title);
  g_strfreev (d->inputs);
  g_free (d->time_range);
  g_free (d->selection);
  g_free (d->triage);
  g_strfreev (d->notes);
  g_free (d);
}

static void
write_file_thread (GTask        *task,
                   gpointer      source_object,
                   gpointer      task_data,
                   GCancellable *cancellable)
{
  WriteFileData *d = task_data;
  GError *error = NULL;

  if (dh_report_write_file (d->set, &d->opts, d->format, d->file, cancellable, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

/**
 * dh_report_write_file_async:
 * @set: the alerts
 * @opts: (nullable): as for dh_report_write(); copied, so the caller may
 *   free it (and the strings and arrays it points to) at once
 * @format: the format
 * @file: where to write; replaced only when the whole report is written
 * @cancellable: (nullable): to stop writing
 * @callback: called in the caller's thread-default main context when done
 * @user_data: for @callback
 *
 * dh_report_write_file() in a worker thread. The progress function of @opts, if any, is
 * called in the caller's thread-default main context, coalesced, never
 * after @callback; its data must stay valid until @callback runs.
 */
void
dh_report_write_file_async (DhAlertSet             *set,
                            const DhReportOptions  *opts,
                            DhReportFormat          format,
                            GFile                  *file,
                            GCancellable           *cancellable,
                            GAsyncReadyCallback     callback,
                            gpointer                user_data)
{
  g_autoptr(GTask) task = NULL;
  WriteFileData *d;
  guint n_alerts = dh_alert_set_get_n_alerts (set);

  g_return_if_fail (set != NULL);
  g_return_if_fail (G_IS_FILE (file));

  d = g_new0 (WriteFileData, 1);
  d->set = dh_alert_set_ref (set);
  d->file = g_object_ref (file);
  d->format = format;
  if (opts)
    {
      d->opts = *opts;
      d->opts.title = d->title = g_strdup (opts->title);
      d->opts.inputs = (const char * const *) (d->inputs = g_strdupv ((char **) opts->inputs));
      d->opts.time_range = d->time_range = g_strdup (opts->time_range);
      if (opts->selection)
        {
          d->selection = g_new0 (guint, MAX (opts->n_selection, 1));
          memcpy (d->selection, opts->selection, sizeof (guint) * opts->n_selection);
          d->opts.selection = d->selection;
        }
      if (opts->triage)
        {
          d->triage = g_new0 (DhReportTriage, MAX (n_alerts, 1));
          memcpy (d->triage, opts->triage, sizeof (DhReportTriage) * n_alerts);
          d->notes = g_new0 (char *, n_alerts + 1);
          for (guint i = 0; i < n_alerts; i++)
            {
              /* keep the array NULL-terminated for g_strfreev: an empty note
               * stands in for a missing one */
              d->notes[i] = g_strdup (opts->triage[i].note ? opts->triage[i].note : "");
              d->triage[i].note = opts->triage[i].note ? d->notes[i] : NULL;
            }
          d->opts.triage = d->triage;
        }
      if (opts->progress)
        {
          ProgressTarget *target = g_new (ProgressTarget, 1);

          target->func = opts->progress;
          target->data = opts->progress_data;
          /* every figure, coalesced: no interval */
          d->relay = dh_progress_relay_new_full (forward_progress, target, g_free, 0);
          d->opts.progress = post_progress;
          d->opts.progress_data = d->relay;
        }
    }

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, dh_report_write_file_async);
  g_task_set_name (task, "[dnshunt] write report");
  g_task_set_task_data (task, d, write_file_data_free);
  /* A cancel that comes after the file was written must not report it as
   * not written: the result says what happened on disk. */
  g_task_set_check_cancellable (task, FALSE);
  g_task_run_in_thread (task, write_file_thread);
}

gboolean
dh_report_write_file_finish (GAsyncResult  *result,
                             GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == dh_report_write_file_async,
                        FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}
