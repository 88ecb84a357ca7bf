/* dh-report-private.h: what the report writers share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "dh-report.h"
#include "dh-rule-book.h"

G_BEGIN_DECLS

typedef struct
{
  char   *name;
  gint64  n_events;    /* -1 when the caller described the input itself */
  gint64  n_rejected;
} DhReportInput;

/* One host of a report: its alerts in the report and its events in the store,
 * so a writer never looks through every alert or every event for one host. */
typedef struct
{
  guint32        host;
  GPtrArray     *alerts;      /* const DhAlert *, in report order */
  guint          first;       /* the report index of its first alert */
  const guint32 *events;      /* indices into the store, in store order */
  guint          n_events;
} DhReportHost;

/* One report being written: the options resolved, the alerts chosen. */
typedef struct
{
  DhAlertSet            *set;
  DhEventStore          *store;
  DhRuleBook            *book;
  const DhReportOptions *opts;          /* never NULL */
  GPtrArray             *alerts;        /* const DhAlert *, in report order */
  GArray                *indices;       /* guint: each one's index in the set */
  char                  *title;
  gint64                 written;
  gboolean               has_span;
  gint64                 first_event;
  gint64                 last_event;
  GArray                *inputs;        /* DhReportInput */
  guint                  max_evidence;
  guint                  by_severity[DH_SEVERITY_HIGH + 1];
  GOutputStream         *out;
  GCancellable          *cancellable;
  GHashTable            *hosts;         /* host id -> DhReportHost *, made on first use */
  guint32               *host_events;   /* what the hosts' events point into */
} DhReportContext;

#define DH_REPORT_MAX_INPUTS_SHOWN 50

/* A format: a table of what it writes before the alerts, for each alert, and
 * after them, run by dh_report_context_run(). Each appends to @out; the
 * loop writes it out. */
typedef struct
{
  /* the overview and summary; may set *state, for the other three */
  gboolean (*begin)      (DhReportContext  *ctx,
                          GString          *out,
                          gpointer         *state,
                          GError          **error);
  /* the report's i-th alert (ctx->alerts->pdata[i]) */
  gboolean (*alert)      (DhReportContext  *ctx,
                          gpointer          state,
                          GString          *out,
                          guint             i,
                          GError          **error);
  gboolean (*end)        (DhReportContext  *ctx,
                          gpointer          state,
                          GString          *out,
                          GError          **error);
  /* @written: whether the whole report was written */
  void     (*free_state) (gpointer          state,
                          gboolean          written);
  gboolean by_severity;   /* alerts most severe first (text), else in report order */
  double   alerts_share;  /* of the progress, the alerts' (0: all of it) */
} DhReportWriter;

gboolean              dh_report_context_init        (DhReportContext       *ctx,
                                                     DhAlertSet            *set,
                                                     const DhReportOptions *opts,
                                                     GOutputStream         *out,
                                                     GCancellable          *cancellable,
                                                     GError               **error);
void                  dh_report_context_clear       (DhReportContext       *ctx);
const DhReportTriage *dh_report_context_get_triage  (DhReportContext       *ctx,
                                                     guint                  i);
const char           *dh_report_context_string      (DhReportContext       *ctx,
                                                     guint32                id);
gboolean              dh_report_context_flush       (DhReportContext       *ctx,
                                                     GString               *buf,
                                                     GError               **error);
void                  dh_report_context_progress    (DhReportContext       *ctx,
                                                     double                 fraction);
const DhReportHost   *dh_report_context_get_host    (DhReportContext       *ctx,
                                                     guint32                host);
char                 *dh_report_context_answers     (DhReportContext       *ctx,
                                                     const DhEvent         *event);
void                  dh_report_context_chart_range (DhReportContext       *ctx,
                                                     gint64                *start,
                                                     gint64                *end);
char                 *dh_report_context_evidence_count (DhReportContext    *ctx,
                                                        const DhAlert      *alert,
                                                        guint              *shown);
gboolean              dh_report_context_run         (DhReportContext       *ctx,
                                                     const DhReportWriter  *writer,
                                                     GError               **error);

const char           *dh_report_srcid_label         (const DhAlert         *alert);
char                 *dh_report_format_duration     (gint64                 us);
char                 *dh_report_severity_counts     (const guint           *by_severity);

extern const DhReportWriter dh_report_writer_text;
extern const DhReportWriter dh_report_writer_json;
extern const DhReportWriter dh_report_writer_csv;
extern const DhReportWriter dh_report_writer_markdown;
extern const DhReportWriter dh_report_writer_html;
extern const DhReportWriter dh_report_writer_pdf;

G_END_DECLS
