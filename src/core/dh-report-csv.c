/* dh-report-csv.c: one row per alert, for spreadsheets and scripts
 *
 * RFC 4180: comma-separated, CRLF line ends, fields quoted when needed. A
 * spreadsheet would run a cell starting with = + - @ as a formula, so
 * dh_escape_csv_cell() makes such cells text; log strings are sanitized first
 * so each alert stays on one line. The header names are fixed (not
 * translated) so scripts can rely on them; they follow the JSON members.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "dh-report-private.h"
#include "dh-time.h"

/* Rows are built in a buffer that may hold earlier rows; a cell is the first
 * of its row when the buffer is empty or ends a row. */
static void
cell (GString    *row,
      const char *text)
{
  g_string_append_c (row, ',');
  dh_escape_csv_cell_append (row, text);
}

static void
end_row (GString *buf,
         gsize    row_start)
{
  /* drop the comma before the first cell */
  g_string_erase (buf, row_start, 1);
  g_string_append (buf, "\r\n");
}

/* a string from a log: sanitized, then escaped */
static void
log_cell (GString    *row,
          const char *text)
{
  g_autofree char *clean = dh_text_sanitize (text);

  cell (row, clean);
}

static void
uint_cell (GString *row,
           guint    value)
{
  char buf[16];

  g_snprintf (buf, sizeof buf, "%u", value);
  cell (row, buf);
}

/* the header row */
static gboolean
csv_begin (DhReportContext  *ctx,
           GString          *buf,
           gpointer         *state,
           GError          **error)
{
  const char *header[] = { "severity", "rule", "title", "host", "instance", "vpc_id",
                           "first_seen", "last_seen", "count", "distinct_names", "names",
                           "tactic", "technique", "subtechnique", NULL };
  gsize row_start = buf->len;

  for (guint i = 0; header[i]; i++)
    cell (buf, header[i]);
  if (ctx->opts->triage)
    {
      cell (buf, "triage_state");
      cell (buf, "triage_note");
    }
  end_row (buf, row_start);
  return TRUE;
}

static gboolean
csv_alert (DhReportContext  *ctx,
           gpointer          state,
           GString          *buf,
           guint             i,
           GError          **error)
{
  const DhAlert *a = ctx->alerts->pdata[i];
  const DhRule *rule = dh_rule_book_get_rule (ctx->book, a->rule);
  g_autoptr(GString) names = g_string_new (NULL);
  char t1[DH_TIME_FORMAT_SIZE], t2[DH_TIME_FORMAT_SIZE];
  gsize row_start;

  for (guint k = 0; k < a->names->len && k < ctx->max_evidence; k++)
    {
      if (k)
        g_string_append (names, "; ");
      dh_text_sanitize_append (names,
                               dh_report_context_string (ctx, g_array_index (a->names,
                                                                             guint32, k)));
    }

  row_start = buf->len;
  cell (buf, dh_severity_to_string (a->severity));
  cell (buf, rule->id);
  cell (buf, rule->title);
  log_cell (buf, dh_report_context_string (ctx, a->host));
  log_cell (buf, dh_report_context_string (ctx, a->srcid));
  log_cell (buf, dh_report_context_string (ctx, a->vpc));
  cell (buf, dh_time_format (a->first_seen, t1));
  cell (buf, dh_time_format (a->last_seen, t2));
  uint_cell (buf, a->count);
  uint_cell (buf, a->names->len);
  cell (buf, names->str);
  cell (buf, rule->tactic.id);
  cell (buf, rule->technique.id);
  cell (buf, rule->subtechnique.id);
  if (ctx->opts->triage)
    {
      const DhReportTriage *t = dh_report_context_get_triage (ctx, i);
      cell (buf, dh_triage_state_to_string (t->state));
      log_cell (buf, t->note);
    }
  end_row (buf, row_start);
  return TRUE;
}

const DhReportWriter dh_report_writer_csv = {
  .begin = csv_begin,
  .alert = csv_alert,
};
