/* dh-report.h: writing the alerts out (text, JSON, CSV, Markdown, HTML, PDF)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "dh-rule-engine.h"
#include "dh-escape.h"

G_BEGIN_DECLS

#define DH_REPORT_ERROR (dh_report_error_quark ())

typedef enum {
  DH_REPORT_ERROR_FAILED,
} DhReportError;

typedef enum {
  DH_REPORT_FORMAT_TEXT,
  DH_REPORT_FORMAT_JSON,
  DH_REPORT_FORMAT_CSV,
  DH_REPORT_FORMAT_MARKDOWN,
  DH_REPORT_FORMAT_HTML,
  DH_REPORT_FORMAT_PDF,
  DH_REPORT_N_FORMATS,
} DhReportFormat;

typedef enum {
  DH_REPORT_PAPER_A4,
  DH_REPORT_PAPER_LETTER,
} DhReportPaper;

/* The analyst's verdict on one alert, as the window keeps it. */
typedef struct
{
  DhTriageState  state;
  const char    *note;     /* free text, or NULL */
} DhReportTriage;

/* Called with the share done, from 0 to 1, in the thread that writes (but see
 * dh_report_write_file_async()). */
typedef void (*DhReportProgressFunc) (double   fraction,
                                      gpointer user_data);

/* What a report covers and how. All fields are optional: a zeroed struct (or
 * NULL options) is a report of every alert, written now, on A4. */
typedef struct
{
  const char            *title;          /* NULL: "DNS Hunt incident report" */
  const char * const    *inputs;         /* NULL-terminated descriptions of the inputs (a
                                          * CloudWatch log group and its range, say); NULL:
                                          * the store's sources with their counts */
  const char            *time_range;     /* the range asked for (--start/--end), as text */
  const guint           *selection;      /* indices into the set, in report order */
  guint                  n_selection;    /* (used when selection is not NULL) */
  const DhReportTriage  *triage;         /* NULL, or one per alert of the set (set order) */
  gint64                 written;        /* time of writing, µs since the epoch; 0: now */
  DhReportPaper          paper;          /* PDF only */
  guint                  max_evidence;   /* events listed per alert; 0: all.max-evidence */
  DhReportProgressFunc   progress;
  gpointer               progress_data;
} DhReportOptions;

GQuark       dh_report_error_quark         (void);

gboolean     dh_report_write               (DhAlertSet             *set,
                                            const DhReportOptions  *opts,
                                            DhReportFormat          format,
                                            GOutputStream          *out,
                                            GCancellable           *cancellable,
                                            GError                **error);
gboolean     dh_report_write_file          (DhAlertSet             *set,
                                            const DhReportOptions  *opts,
                                            DhReportFormat          format,
                                            GFile                  *file,
                                            GCancellable           *cancellable,
                                            GError                **error);
void         dh_report_write_file_async    (DhAlertSet             *set,
                                            const DhReportOptions  *opts,
                                            DhReportFormat          format,
                                            GFile                  *file,
                                            GCancellable           *cancellable,
                                            GAsyncReadyCallback     callback,
                                            gpointer                user_data);
gboolean     dh_report_write_file_finish   (GAsyncResult           *result,
                                            GError                **error);

const char  *dh_report_format_to_string    (DhReportFormat          format);
gboolean     dh_report_format_from_string  (const char             *text,
                                            DhReportFormat         *format);
const char  *dh_report_format_get_extension (DhReportFormat         format);
const char  *dh_report_format_get_mime_type (DhReportFormat         format);

const char  *dh_triage_state_to_string     (DhTriageState           state);
gboolean     dh_triage_state_from_string   (const char             *text,
                                            DhTriageState          *state);
const char  *dh_triage_state_get_label     (DhTriageState           state);

/* one alert as a line of NDJSON (`dnshunt scan --follow --format=json`) */
char        *dh_report_alert_json_line     (DhAlertSet             *set,
                                            const DhAlert          *alert);
/* the same alert as a JSON object node (notifications) */
JsonNode    *dh_report_alert_json_node     (DhAlertSet             *set,
                                            const DhAlert          *alert);
guint        dh_report_get_max_evidence    (DhAlertSet             *set);

G_END_DECLS
