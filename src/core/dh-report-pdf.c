/* dh-report-pdf.c: the incident report as a PDF, with cairo and Pango
 *
 * Needs no display: a cairo PDF surface and Pango's cairo font map. The report
 * is first turned into a list of blocks that are never split across pages (a
 * line of text, a table row, a chart, …), measured with Pango; pagination
 * then places them, keeping headings with what follows and repeating table
 * headers after a break; only then is anything drawn, so every page can say
 * "Page N of M". Blocks keep their Pango markup, not their layouts: a layout
 * is made when measured and again when drawn, so a report of thousands of
 * alerts stays small in memory.
 *
 * Strings from logs enter markup only through dh_escape_pango(); a cell that
 * would not fit on a page is cut with an ellipsis (the HTML and JSON reports
 * keep it whole).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include <cairo-pdf.h>
#include <glib/gi18n.h>
#include <pango/pangocairo.h>

#include "dh-report-private.h"
#include "dh-time.h"
#include "dh-timeline-render.h"

#define MARGIN_X       48.0
#define MARGIN_TOP     62.0
#define MARGIN_BOTTOM  54.0
#define CHART_HEIGHT   130.0
#define CELL_PAD       3.0
#define CELL_MAX_LINES 12
#define MAX_COLS       8

#define COLOR_TEXT  "#1e1e1e"
#define COLOR_DIM   "#5e5c64"
#define COLOR_LINK  "#1a5fb4"

typedef enum {
  FONT_BODY,
  FONT_SMALL,
  FONT_TABLE,
  FONT_EVIDENCE,
  FONT_H1,
  FONT_H2,
  FONT_H3,
  FONT_TITLE,
  N_FONTS,
} Font;

static const char *font_specs[N_FONTS] = {
  [FONT_BODY] = "Sans 9",
  [FONT_SMALL] = "Sans 7.5",
  [FONT_TABLE] = "Sans 8",
  [FONT_EVIDENCE] = "Sans 7",
  [FONT_H1] = "Sans Bold 15",
  [FONT_H2] = "Sans Bold 11",
  [FONT_H3] = "Sans Bold 8.5",
  [FONT_TITLE] = "Sans Bold 22",
};

/* A paragraph: its lines become blocks of their own, so it may break
 * between lines. */
typedef struct
{
  char   *markup;
  Font    font;
  double  x;          /* from the left margin */
  double  width;
  char   *bullet;     /* markup drawn left of the first line, or NULL */
  char   *link;       /* cairo link attributes ("uri='…'"), or NULL */
  PangoLayout *layout;  /* while measured or drawn */
} Para;

typedef struct _Table Table;

typedef struct
{
  Table    *table;
  char    **cells;      /* markup, one per column */
  gboolean  header;
  guint     index;      /* for the stripes */
  char     *link;       /* cairo link attributes for the whole row, or NULL */
  double    height;
} Row;

struct _Table
{
  guint     n_cols;
  double    widths[MAX_COLS];
  gboolean  right[MAX_COLS];  /* right-aligned (numbers) */
  Font      font;
  gboolean  stripes;
  gboolean  lines;
  Row      *header;
};

typedef enum {
  BLOCK_LINE,
  BLOCK_ROW,
  BLOCK_CHART,
  BLOCK_STATS,
  BLOCK_SPACE,
  BLOCK_PAGE_BREAK,
} BlockKind;

typedef struct
{
  BlockKind   kind;
  double      height;
  double      space_before;   /* dropped at the top of a page */
  gboolean    keep_with_next;
  Para       *para;           /* BLOCK_LINE */
  int         line;
  gboolean    last_line;
  Row        *row;            /* BLOCK_ROW */
  const DhReportHost *chart;  /* BLOCK_CHART: its host, or NULL for every host */
  char       *dest;           /* a named destination here */
  char       *outline;        /* a bookmark to it */
} Block;

typedef struct
{
  Block *block;
  Row   *header;   /* a repeated table header instead of a block */
  guint  page;
  double y;
} Placement;

typedef struct
{
  DhReportContext      *ctx;
  cairo_surface_t      *surface;
  cairo_t              *cr;
  PangoContext         *pango;
  PangoFontDescription *fonts[N_FONTS];
  double                page_w;
  double                page_h;
  double                content_w;
  GPtrArray            *paras;      /* Para *, owned */
  GPtrArray            *tables;     /* Table *, owned */
  GPtrArray            *rows;       /* Row *, owned */
  GArray               *blocks;     /* Block */
  GArray               *placements; /* Placement */
  guint                 n_pages;
  GHashTable           *bins;       /* host id -> DhTimelineBins *, see draw_chart() */
  double                pending_space;
  GError               *write_error;
  gboolean              finished;   /* the surface is */
} Pdf;

/* ---- Markup ------------------------------------------------------------- */

static void
mk (GString    *s,
    const char *ours)
{
  g_autofree char *e = g_markup_escape_text (ours ? ours : "", -1);

  g_string_append (s, e);
}

static void
mk_log (GString    *s,
        const char *from_log)
{
  g_autofree char *e = dh_escape_pango (from_log);

  g_string_append (s, "<span font_family=\"monospace\">");
  g_string_append (s, e);
  g_string_append (s, "</span>");
}

static char *
mk_log_new (const char *from_log)
{
  GString *s = g_string_new (NULL);

  if (from_log && *from_log)
    mk_log (s, from_log);
  return g_string_free (s, FALSE);
}

static char *
mk_new (const char *ours)
{
  return g_markup_escape_text (ours ? ours : "", -1);
}

static const char *
severity_color (DhSeverity severity)
{
  switch (severity)
    {
    case DH_SEVERITY_HIGH:
      return "#a51d2d";
    case DH_SEVERITY_MEDIUM:
      return "#b04a00";
    case DH_SEVERITY_LOW:
    default:
      return "#4a6a8a";
    }
}

static char *
severity_markup (DhSeverity severity,
                 gboolean   badge)
{
  g_autofree char *up = g_ascii_strup (dh_severity_to_string (severity), -1);

  if (badge)
    return g_strdup_printf ("<span background=\"%s\" foreground=\"#ffffff\" weight=\"bold\" "
                            "size=\"75%%\">\u2002%s\u2002</span>", severity_color (severity), up);
  return g_strdup_printf ("<span foreground=\"%s\" weight=\"bold\">%s</span>",
                          severity_color (severity), up);
}

static char *
time_markup (gint64   t,
             gboolean short_form)
{
  char buf[DH_TIME_FORMAT_SIZE];

  if (short_form)
    {
      dh_time_format (t - t % DH_USEC_PER_SEC, buf);
      buf[10] = ' ';
      buf[19] = 0;
      return g_strdup (buf);
    }
  return g_strdup (dh_time_format (t, buf));
}

/* cairo's attribute strings quote with '…'; our URLs hold no quote or
 * backslash (dh_escape_is_web_url), and destination names are ours. */
static char *
uri_link (const char *url)
{
  return dh_escape_is_web_url (url) ? g_strdup_printf ("uri='%s'", url) : NULL;
}

/* ---- Building ----------------------------------------------------------- */

static PangoLayout *
make_layout (Pdf        *pdf,
             const char *markup,
             Font        font,
             double      width,
             int         max_lines)
{
  PangoLayout *layout = pango_layout_new (pdf->pango);

  pango_layout_set_font_description (layout, pdf->fonts[font]);
  pango_layout_set_width (layout, (int) (width * PANGO_SCALE));
  pango_layout_set_wrap (layout, PANGO_WRAP_WORD_CHAR);
  if (max_lines > 0)
    {
      pango_layout_set_height (layout, -max_lines);
      pango_layout_set_ellipsize (layout, PANGO_ELLIPSIZE_END);
    }
  pango_layout_set_markup (layout, markup, -1);
  return layout;
}

static Block *
add_block (Pdf       *pdf,
           BlockKind  kind,
           double     height)
{
  Block b = { 0 };

  b.kind = kind;
  b.height = height;
  b.space_before = pdf->pending_space;
  pdf->pending_space = 0;
  g_array_append_val (pdf->blocks, b);
  return &g_array_index (pdf->blocks, Block, pdf->blocks->len - 1);
}

static void
space (Pdf    *pdf,
       double  points)
{
  pdf->pending_space = MAX (pdf->pending_space, points);
}

static void
page_break (Pdf *pdf)
{
  add_block (pdf, BLOCK_PAGE_BREAK, 0);
}

/* Adds a paragraph of markup (ours already escaped, logs through mk_log),
 * one block per line. Returns its first block's index. */
static guint
para_full (Pdf        *pdf,
           const char *markup,
           Font        font,
           double      x,
           const char *bullet,
           char       *link,       /* transfer full */
           gboolean    keep_with_next)
{
  Para *p = g_new0 (Para, 1);
  PangoLayoutIter *iter;
  guint first = pdf->blocks->len;
  int n_lines, line = 0;

  p->markup = g_strdup (markup);
  p->font = font;
  p->x = x;
  p->width = pdf->content_w - x;
  p->bullet = g_strdup (bullet);
  p->link = link;
  g_ptr_array_add (pdf->paras, p);

  p->layout = make_layout (pdf, p->markup, font, p->width, 0);
  n_lines = pango_layout_get_line_count (p->layout);
  iter = pango_layout_get_iter (p->layout);
  do
    {
      PangoRectangle logical;
      Block *b;

      pango_layout_iter_get_line_extents (iter, NULL, &logical);
      b = add_block (pdf, BLOCK_LINE, logical.height / (double) PANGO_SCALE);
      b->para = p;
      b->line = line;
      b->last_line = line == n_lines - 1;
      /* no single line left behind at the bottom of a page */
      b->keep_with_next = keep_with_next || (line == 0 && n_lines > 1) ||
                          (line == n_lines - 2);
      line++;
    }
  while (pango_layout_iter_next_line (iter));
  pango_layout_iter_free (iter);
  g_clear_object (&p->layout);
  return first;
}

static guint
para (Pdf        *pdf,
      const char *markup,
      Font        font)
{
  return para_full (pdf, markup, font, 0, NULL, NULL, FALSE);
}

static void
heading (Pdf        *pdf,
         const char *markup,
         Font        font,
         double      before)
{
  guint first;

  space (pdf, before);
  first = para_full (pdf, markup, font, 0, NULL, NULL, TRUE);
  for (guint i = first; i < pdf->blocks->len; i++)
    g_array_index (pdf->blocks, Block, i).keep_with_next = TRUE;
  space (pdf, font == FONT_H3 ? 3 : 5);
}

static Table *
table_new (Pdf          *pdf,
           Font          font,
           const double *fractions,
           guint         n_cols)
{
  Table *t = g_new0 (Table, 1);

  g_assert (n_cols <= MAX_COLS);
  t->n_cols = n_cols;
  t->font = font;
  t->stripes = TRUE;
  t->lines = TRUE;
  for (guint i = 0; i < n_cols; i++)
    t->widths[i] = fractions[i] * pdf->content_w;
  g_ptr_array_add (pdf->tables, t);
  return t;
}

static double
measure_row (Pdf *pdf,
             Row *row)
{
  double h = 0;

  for (guint c = 0; c < row->table->n_cols; c++)
    {
      g_autoptr(PangoLayout) layout = make_layout (pdf, row->cells[c] ? row->cells[c] : "",
                                                   row->table->font,
                                                   row->table->widths[c] - 2 * CELL_PAD,
                                                   CELL_MAX_LINES);
      int lh;
      pango_layout_get_size (layout, NULL, &lh);
      h = MAX (h, lh / (double) PANGO_SCALE);
    }
  return h + 2 * CELL_PAD;
}

/* @cells: markup, n_cols of them; taken over */
static Row *
row_new (Pdf     *pdf,
         Table   *t,
         char   **cells,
         gboolean header)
{
  Row *row = g_new0 (Row, 1);

  row->table = t;
  row->cells = cells;
  row->header = header;
  row->height = measure_row (pdf, row);
  g_ptr_array_add (pdf->rows, row);
  return row;
}

static void
table_header (Pdf        *pdf,
              Table      *t,
              const char *const *labels)
{
  char **cells = g_new0 (char *, t->n_cols + 1);
  Block *b;

  for (guint c = 0; c < t->n_cols; c++)
    cells[c] = g_strdup_printf ("<b>%s</b>", labels[c]);
  t->header = row_new (pdf, t, cells, TRUE);
  b = add_block (pdf, BLOCK_ROW, t->header->height);
  b->row = t->header;
  b->keep_with_next = TRUE;
}

static Block *
table_row (Pdf   *pdf,
           Table *t,
           char **cells,
           char  *link)
{
  Row *row = row_new (pdf, t, cells, FALSE);
  Block *b;

  row->index = pdf->rows->len;
  row->link = link;
  b = add_block (pdf, BLOCK_ROW, row->height);
  b->row = row;
  return b;
}

static void
chart (Pdf                *pdf,
       const DhReportHost *host,
       double              height)
{
  Block *b = add_block (pdf, BLOCK_CHART, height);

  b->chart = host;
}

/* "label: value" lines as a two-column table without stripes */
static Table *
facts_table (Pdf *pdf)
{
  static const double fractions[] = { 0.22, 0.78 };
  Table *t = table_new (pdf, FONT_TABLE, fractions, 2);

  t->stripes = FALSE;
  return t;
}

static void
fact (Pdf        *pdf,
      Table      *t,
      const char *label,
      char       *value_markup)
{
  char **cells = g_new0 (char *, 3);

  cells[0] = g_strdup_printf ("<span foreground=\"" COLOR_DIM "\" weight=\"bold\">%s</span>",
                              label);
  cells[1] = value_markup;
  table_row (pdf, t, cells, NULL);
}

static void
build_overview (Pdf *pdf)
{
  DhReportContext *ctx = pdf->ctx;
  g_autoptr(GString) s = g_string_new (NULL);
  char buf[DH_TIME_FORMAT_SIZE];
  guint n_inputs = ctx->inputs->len;
  Table *t;

  g_string_append_printf (s, "<span foreground=\"" COLOR_DIM "\" size=\"small\" "
                             "letter_spacing=\"1024\">DNS HUNT</span>");
  para (pdf, s->str, FONT_SMALL);
  g_string_truncate (s, 0);
  mk (s, ctx->title);
  space (pdf, 2);
  para (pdf, s->str, FONT_TITLE);
  g_string_truncate (s, 0);
  g_string_append_printf (s, "<span foreground=\"" COLOR_DIM "\">");
  {
    g_autofree char *line = g_strdup_printf (_("Written %s by DNS Hunt %s"),
                                             dh_time_format (ctx->written, buf), PACKAGE_VERSION);
    mk (s, line);
  }
  g_string_append (s, "</span>");
  space (pdf, 2);
  para (pdf, s->str, FONT_BODY);

  space (pdf, 12);
  add_block (pdf, BLOCK_STATS, 46);

  space (pdf, 10);
  t = facts_table (pdf);
  if (ctx->has_span)
    {
      g_autofree char *span = dh_report_format_duration (ctx->last_event - ctx->first_event);
      char b2[DH_TIME_FORMAT_SIZE];
      fact (pdf, t, _("Time span"),
            g_strdup_printf ("%s \u2013 %s (%s)", dh_time_format (ctx->first_event, buf),
                             dh_time_format (ctx->last_event, b2), span));
    }
  if (ctx->opts->time_range)
    fact (pdf, t, _("Range asked"), dh_escape_pango (ctx->opts->time_range));
  fact (pdf, t, _("Rejected lines"),
        g_strdup_printf ("%" G_GUINT64_FORMAT, dh_event_store_get_n_rejected (ctx->store)));
  {
    g_autofree char *sev = dh_report_severity_counts (ctx->by_severity);
    g_autofree char *line = g_strdup_printf (_("%u of %u (%s)"), ctx->alerts->len,
                                             dh_alert_set_get_n_alerts (ctx->set), sev);
    fact (pdf, t, _("Alerts in this report"), mk_new (line));
  }

  if (ctx->has_span)
    {
      space (pdf, 12);
      chart (pdf, NULL, CHART_HEIGHT - 15);
      space (pdf, 3);
      g_string_truncate (s, 0);
      g_string_append (s, "<span foreground=\"" COLOR_DIM "\">");
      mk (s, _("All queries in the inputs, stacked by response code; shaded bands are the alerts "
               "of this report."));
      g_string_append (s, "</span>");
      para (pdf, s->str, FONT_SMALL);
    }

  heading (pdf, _("Inputs"), FONT_H3, 14);
  if (n_inputs > 0 && g_array_index (ctx->inputs, DhReportInput, 0).n_events >= 0)
    {
      static const double fractions[] = { 0.7, 0.15, 0.15 };
      const char *labels[] = { _("Input"), _("Events"), _("Rejected lines") };
      t = table_new (pdf, FONT_TABLE, fractions, 3);
      t->right[1] = t->right[2] = TRUE;
      table_header (pdf, t, labels);
      for (guint i = 0; i < n_inputs && i < DH_REPORT_MAX_INPUTS_SHOWN; i++)
        {
          const DhReportInput *in = &g_array_index (ctx->inputs, DhReportInput, i);
          char **cells = g_new0 (char *, 4);
          cells[0] = mk_log_new (in->name);
          cells[1] = g_strdup_printf ("%" G_GINT64_FORMAT, in->n_events);
          cells[2] = g_strdup_printf ("%" G_GINT64_FORMAT, in->n_rejected);
          table_row (pdf, t, cells, NULL);
        }
    }
  else
    for (guint i = 0; i < n_inputs && i < DH_REPORT_MAX_INPUTS_SHOWN; i++)
      {
        g_autofree char *m = mk_log_new (g_array_index (ctx->inputs, DhReportInput, i).name);
        para_full (pdf, m, FONT_TABLE, 12, "\u2022", NULL, FALSE);
      }
  if (n_inputs == 0)
    para (pdf, _("None."), FONT_BODY);
  if (n_inputs > DH_REPORT_MAX_INPUTS_SHOWN)
    {
      g_autofree char *more = g_strdup_printf (_("… and %u more inputs."),
                                               n_inputs - DH_REPORT_MAX_INPUTS_SHOWN);
      g_autofree char *m = mk_new (more);
      space (pdf, 3);
      para (pdf, m, FONT_SMALL);
    }
}

static void
build_summary (Pdf *pdf)
{
  DhReportContext *ctx = pdf->ctx;
  gboolean triage = ctx->opts->triage != NULL;
  static const double plain[] = { 0.04, 0.085, 0.265, 0.205, 0.075, 0.165, 0.165 };
  static const double with_triage[] = { 0.04, 0.085, 0.2, 0.19, 0.075, 0.15, 0.15, 0.11 };
  const char *labels[] = { "#", _("Severity"), _("Rule"), _("Host"), _("Events"),
                           _("First seen (UTC)"), _("Last seen (UTC)"), _("Triage") };
  Table *t;

  heading (pdf, _("Alerts"), FONT_H2, 16);
  if (ctx->alerts->len == 0)
    {
      para (pdf, _("No alerts."), FONT_BODY);
      return;
    }
  t = table_new (pdf, FONT_SMALL, triage ? with_triage : plain, triage ? 8 : 7);
  t->right[0] = t->right[4] = TRUE;
  table_header (pdf, t, labels);
  for (guint i = 0; i < ctx->alerts->len; i++)
    {
      const DhAlert *a = ctx->alerts->pdata[i];
      const DhRule *rule = dh_rule_book_get_rule (ctx->book, a->rule);
      char **cells = g_new0 (char *, t->n_cols + 1);
      g_autoptr(GString) host = g_string_new (NULL);

      mk_log (host, dh_report_context_string (ctx, a->host));
      if (*dh_report_context_string (ctx, a->srcid))
        {
          g_string_append (host, "\n<span size=\"90%\" foreground=\"" COLOR_DIM "\">");
          mk_log (host, dh_report_context_string (ctx, a->srcid));
          g_string_append (host, "</span>");
        }
      cells[0] = g_strdup_printf ("<span foreground=\"" COLOR_LINK "\">%u</span>", i + 1);
      cells[1] = severity_markup (a->severity, FALSE);
      cells[2] = mk_new (rule->title);
      cells[3] = g_strdup (host->str);
      cells[4] = g_strdup_printf ("%u", a->count);
      cells[5] = time_markup (a->first_seen, TRUE);
      cells[6] = time_markup (a->last_seen, TRUE);
      if (triage)
        cells[7] = mk_new (dh_triage_state_get_label (dh_report_context_get_triage (ctx,
                                                                                   i)->state));
      table_row (pdf, t, cells, g_strdup_printf ("dest='alert-%u'", i + 1));
    }
}

static void
mitre_line (Pdf              *pdf,
            const char       *kind,
            const DhMitreRef *ref)
{
  g_autoptr(GString) s = g_string_new (NULL);
  g_autofree char *label = g_strdup_printf ("%s %s", ref->id, ref->name);
  char *link = uri_link (ref->url);

  g_string_append (s, "<span foreground=\"" COLOR_DIM "\">");
  mk (s, kind);
  g_string_append (s, ":</span>  ");
  if (link)
    g_string_append (s, "<span foreground=\"" COLOR_LINK "\" underline=\"single\">");
  mk (s, label);
  if (link)
    g_string_append (s, "</span>");
  para_full (pdf, s->str, FONT_BODY, 0, NULL, link, FALSE);
}

static void
build_alert (Pdf   *pdf,
             guint  i)
{
  DhReportContext *ctx = pdf->ctx;
  const DhAlert *a = ctx->alerts->pdata[i];
  const DhRule *rule = dh_rule_book_get_rule (ctx->book, a->rule);
  const DhReportTriage *triage = dh_report_context_get_triage (ctx, i);
  g_autofree char *duration = dh_report_format_duration (a->last_seen - a->first_seen);
  g_autofree char *badge = severity_markup (a->severity, TRUE);
  g_autoptr(GString) s = g_string_new (NULL);
  g_autofree char *host_text = dh_text_sanitize (dh_report_context_string (ctx, a->host));
  Block *first;
  guint shown;
  Table *t;

  page_break (pdf);
  g_string_append_printf (s, "<span foreground=\"" COLOR_DIM "\">%u.</span> ", i + 1);
  mk (s, rule->title);
  g_string_append_printf (s, "  %s", badge);
  if (triage)
    {
      g_string_append (s, "  <span size=\"75%\" weight=\"bold\" foreground=\"" COLOR_TEXT
                          "\" background=\"#deddda\">\u2002");
      mk (s, dh_triage_state_get_label (triage->state));
      g_string_append (s, "\u2002</span>");
    }
  heading (pdf, s->str, FONT_H1, 0);
  /* the heading's first line is where the summary and the bookmarks point */
  for (guint k = pdf->blocks->len; k > 0; k--)
    {
      first = &g_array_index (pdf->blocks, Block, k - 1);
      if (first->kind == BLOCK_LINE && first->line == 0)
        {
          first->dest = g_strdup_printf ("alert-%u", i + 1);
          first->outline = g_strdup_printf ("%u. %s (%s)", i + 1, rule->title, host_text);
          break;
        }
    }

  {
    g_autoptr(GPtrArray) facts = g_ptr_array_new ();  /* label, markup (owned) pairs */
    static const double fractions[] = { 0.14, 0.36, 0.14, 0.36 };
    g_autofree char *last = time_markup (a->last_seen, FALSE);

#define FACT(label, markup) G_STMT_START { g_ptr_array_add (facts, (gpointer) (label)); \
                                           g_ptr_array_add (facts, (markup)); } G_STMT_END
    FACT (_("Rule"), g_strdup_printf ("<span font_family=\"monospace\">%s</span>", rule->id));
    FACT (_("Host"), mk_log_new (dh_report_context_string (ctx, a->host)));
    FACT (_("First seen"), time_markup (a->first_seen, FALSE));
    FACT (_("Last seen"), g_strdup_printf ("%s (%s)", last, duration));
    FACT (_("Events"), g_strdup_printf ("%u", a->count));
    FACT (_("Distinct names"), g_strdup_printf ("%u", a->names->len));
    if (*dh_report_context_string (ctx, a->srcid))
      FACT (dh_report_srcid_label (a), mk_log_new (dh_report_context_string (ctx, a->srcid)));
    if (*dh_report_context_string (ctx, a->vpc))
      FACT ("VPC", mk_log_new (dh_report_context_string (ctx, a->vpc)));
#undef FACT

    t = table_new (pdf, FONT_TABLE, fractions, 4);
    t->stripes = FALSE;
    for (guint k = 0; k < facts->len; k += 4)
      {
        char **cells = g_new0 (char *, 5);
        for (guint c = 0; c < 4; c += 2)
          {
            if (k + c >= facts->len)
              {
                cells[c] = g_strdup ("");
                cells[c + 1] = g_strdup ("");
                continue;
              }
            cells[c] = g_strdup_printf ("<span foreground=\"" COLOR_DIM "\" weight=\"bold\">"
                                        "%s</span>", (const char *) facts->pdata[k + c]);
            cells[c + 1] = facts->pdata[k + c + 1];
          }
        table_row (pdf, t, cells, NULL);
      }
  }
  if (triage)
    {
      g_autoptr(GString) v = g_string_new ("<b>");
      mk (v, dh_triage_state_get_label (triage->state));
      g_string_append (v, "</b>");
      if (triage->note && *triage->note)
        {
          g_autofree char *note = dh_escape_pango (triage->note);
          g_string_append_printf (v, "\n%s", note);
        }
      t = facts_table (pdf);
      fact (pdf, t, _("Triage"), g_strdup (v->str));
    }

  heading (pdf, _("Timeline of the host"), FONT_H3, 10);
  chart (pdf, dh_report_context_get_host (ctx, a->host), CHART_HEIGHT);
  space (pdf, 3);
  g_string_truncate (s, 0);
  g_string_append (s, "<span foreground=\"" COLOR_DIM "\">");
  mk (s, _("Every query of the host in the inputs, stacked by response code; shaded bands are "
           "its alerts in this report."));
  g_string_append (s, "</span>");
  para (pdf, s->str, FONT_SMALL);

  heading (pdf, "MITRE ATT&amp;CK", FONT_H3, 10);
  mitre_line (pdf, _("Tactic"), &rule->tactic);
  mitre_line (pdf, _("Technique"), &rule->technique);
  if (rule->subtechnique.id)
    mitre_line (pdf, _("Sub-technique"), &rule->subtechnique);

  heading (pdf, _("Description"), FONT_H3, 10);
  g_string_truncate (s, 0);
  mk (s, rule->description);
  para (pdf, s->str, FONT_BODY);

  heading (pdf, _("Impact"), FONT_H3, 10);
  g_string_truncate (s, 0);
  mk (s, rule->impact);
  para (pdf, s->str, FONT_BODY);

  heading (pdf, _("Mitigation"), FONT_H3, 10);
  for (guint k = 0; k < rule->mitigation->len; k++)
    {
      g_autofree char *number = g_strdup_printf ("%u.", k + 1);
      g_string_truncate (s, 0);
      mk (s, rule->mitigation->pdata[k]);
      space (pdf, 2);
      para_full (pdf, s->str, FONT_BODY, 14, number, NULL, FALSE);
    }

  heading (pdf, _("References"), FONT_H3, 10);
  for (guint k = 0; k < rule->references->len; k++)
    {
      const DhReference *ref = rule->references->pdata[k];
      char *link = uri_link (ref->url);
      g_string_truncate (s, 0);
      if (link)
        g_string_append (s, "<span foreground=\"" COLOR_LINK "\" underline=\"single\">");
      mk (s, ref->title);
      if (link)
        g_string_append (s, "</span>");
      space (pdf, 1);
      para_full (pdf, s->str, FONT_BODY, 14, "\u2022", link, FALSE);
    }

  shown = MIN (a->names->len, ctx->max_evidence);
  {
    g_autofree char *title = g_strdup_printf ("%s (%u)", _("Distinct names"), a->names->len);
    g_autofree char *m = mk_new (title);
    static const double fractions[] = { 0.5, 0.5 };
    heading (pdf, m, FONT_H3, 10);
    t = table_new (pdf, FONT_TABLE, fractions, 2);
    t->stripes = FALSE;
    t->lines = FALSE;
    for (guint k = 0; k < shown; k += 2)
      {
        char **cells = g_new0 (char *, 3);
        cells[0] = mk_log_new (dh_report_context_string (ctx, g_array_index (a->names,
                                                                             guint32, k)));
        cells[1] = k + 1 < shown
                   ? mk_log_new (dh_report_context_string (ctx, g_array_index (a->names, guint32,
                                                                               k + 1)))
                   : g_strdup ("");
        table_row (pdf, t, cells, NULL);
      }
    if (shown < a->names->len)
      {
        g_autofree char *more = g_strdup_printf (_("… and %u more."), a->names->len - shown);
        g_autofree char *mm = mk_new (more);
        para (pdf, mm, FONT_SMALL);
      }
  }

  {
    static const double fractions[] = { 0.205, 0.315, 0.07, 0.11, 0.095, 0.205 };
    const char *labels[] = { _("Time"), _("Name"), _("Type"), _("Rcode"), _("Transport"),
                             _("Answers") };
    g_autofree char *count = dh_report_context_evidence_count (pdf->ctx, a, &shown);
    g_autofree char *title = g_strdup_printf ("%s (%s)", _("Evidence"), count);
    g_autofree char *m = mk_new (title);

    heading (pdf, m, FONT_H3, 10);
    t = table_new (pdf, FONT_EVIDENCE, fractions, 6);
    table_header (pdf, t, labels);
    for (guint k = 0; k < shown; k++)
      {
        const DhEvent *ev = dh_event_store_get_event (ctx->store,
                                                      g_array_index (a->events, guint32, k));
        g_autofree char *answers = dh_report_context_answers (ctx, ev);
        char **cells = g_new0 (char *, 7);

        cells[0] = time_markup (ev->time, FALSE);
        cells[1] = mk_log_new (dh_report_context_string (ctx, ev->name));
        cells[2] = mk_new (dh_event_store_get_atom (ctx->store, DH_ATOMS_QTYPE, ev->qtype));
        cells[3] = mk_new (dh_event_store_get_atom (ctx->store, DH_ATOMS_RCODE, ev->rcode));
        cells[4] = mk_new (dh_event_store_get_atom (ctx->store, DH_ATOMS_TRANSPORT,
                                                    ev->transport));
        cells[5] = mk_log_new (answers);
        table_row (pdf, t, cells, NULL);
      }
  }
}

/* ---- Pagination --------------------------------------------------------- */

static void
paginate (Pdf *pdf)
{
  double top = MARGIN_TOP, bottom = pdf->page_h - MARGIN_BOTTOM;
  double y = top;
  guint page = 0;

  for (guint i = 0; i < pdf->blocks->len; i++)
    {
      Block *b = &g_array_index (pdf->blocks, Block, i);
      double before = y > top ? b->space_before : 0;
      double chain = before + b->height;
      Placement p = { 0 };

      if (b->kind == BLOCK_PAGE_BREAK)
        {
          if (y > top)
            {
              page++;
              y = top;
            }
          continue;
        }
      for (guint j = i; j + 1 < pdf->blocks->len; j++)
        {
          Block *cur = &g_array_index (pdf->blocks, Block, j);
          Block *next = &g_array_index (pdf->blocks, Block, j + 1);
          if (!cur->keep_with_next || next->kind == BLOCK_PAGE_BREAK || chain > bottom - top)
            break;
          chain += next->space_before + next->height;
        }

      if (y + chain > bottom && y > top)
        {
          page++;
          y = top;
          before = 0;
          if (b->kind == BLOCK_ROW && !b->row->header && b->row->table->header)
            {
              Placement h = { NULL, b->row->table->header, page, y };
              g_array_append_val (pdf->placements, h);
              y += b->row->table->header->height;
            }
        }
      p.block = b;
      p.page = page;
      p.y = y + before;
      g_array_append_val (pdf->placements, p);
      y += before + b->height;
    }
  pdf->n_pages = page + 1;
}

/* ---- Drawing ------------------------------------------------------------ */

static void
set_hex (cairo_t    *cr,
         const char *hex)
{
  guint v = (guint) g_ascii_strtoull (hex + 1, NULL, 16);

  cairo_set_source_rgb (cr, (v >> 16) / 255.0, ((v >> 8) & 0xff) / 255.0, (v & 0xff) / 255.0);
}

static void
show_markup (Pdf        *pdf,
             const char *markup,
             Font        font,
             double      x,
             double      y,
             double      width,
             gboolean    right)
{
  g_autoptr(PangoLayout) layout = make_layout (pdf, markup, font, width, CELL_MAX_LINES);

  if (right)
    pango_layout_set_alignment (layout, PANGO_ALIGN_RIGHT);
  cairo_move_to (pdf->cr, x, y);
  pango_cairo_show_layout (pdf->cr, layout);
}

static void
draw_line (Pdf   *pdf,
           Block *b,
           double y)
{
  Para *p = b->para;
  PangoLayoutIter *iter;
  PangoLayoutLine *line;
  int baseline;
  double x = MARGIN_X + p->x;

  if (p->layout == NULL)
    p->layout = make_layout (pdf, p->markup, p->font, p->width, 0);
  iter = pango_layout_get_iter (p->layout);
  for (int k = 0; k < b->line; k++)
    pango_layout_iter_next_line (iter);
  {
    PangoRectangle logical;
    pango_layout_iter_get_line_extents (iter, NULL, &logical);
    baseline = pango_layout_iter_get_baseline (iter) - logical.y;
    x += logical.x / (double) PANGO_SCALE;
  }
  line = pango_layout_iter_get_line_readonly (iter);
  pango_layout_iter_free (iter);

  if (b->dest)
    {
      g_autofree char *attrs = g_strdup_printf ("name='%s'", b->dest);
      cairo_tag_begin (pdf->cr, CAIRO_TAG_DEST, attrs);
    }
  if (p->link)
    cairo_tag_begin (pdf->cr, CAIRO_TAG_LINK, p->link);
  set_hex (pdf->cr, COLOR_TEXT);
  cairo_move_to (pdf->cr, x, y + baseline / (double) PANGO_SCALE);
  pango_cairo_show_layout_line (pdf->cr, line);
  if (p->link)
    cairo_tag_end (pdf->cr, CAIRO_TAG_LINK);
  if (b->dest)
    cairo_tag_end (pdf->cr, CAIRO_TAG_DEST);

  if (b->line == 0 && p->bullet)
    {
      g_autoptr(PangoLayout) bullet = make_layout (pdf, p->bullet, p->font, p->x, 0);
      pango_layout_set_alignment (bullet, PANGO_ALIGN_RIGHT);
      pango_layout_set_width (bullet, (int) ((p->x - 4) * PANGO_SCALE));
      set_hex (pdf->cr, COLOR_DIM);
      cairo_move_to (pdf->cr, MARGIN_X, y);
      pango_cairo_show_layout (pdf->cr, bullet);
    }
  if (b->outline)
    {
      g_autofree char *attrs = g_strdup_printf ("dest='%s'", b->dest);
      cairo_pdf_surface_add_outline (pdf->surface, CAIRO_PDF_OUTLINE_ROOT, b->outline, attrs, 0);
    }
  if (b->last_line)
    g_clear_object (&p->layout);
}

static void
draw_row (Pdf *pdf,
          Row *row,
          double y)
{
  Table *t = row->table;
  cairo_t *cr = pdf->cr;
  double x = MARGIN_X, w = 0;

  for (guint c = 0; c < t->n_cols; c++)
    w += t->widths[c];
  if (row->header)
    {
      cairo_set_source_rgb (cr, 0.92, 0.92, 0.91);
      cairo_rectangle (cr, x, y, w, row->height);
      cairo_fill (cr);
    }
  else if (t->stripes && row->index % 2 == 0)
    {
      cairo_set_source_rgb (cr, 0.975, 0.975, 0.97);
      cairo_rectangle (cr, x, y, w, row->height);
      cairo_fill (cr);
    }
  if (t->lines)
    {
      cairo_set_source_rgb (cr, 0.80, 0.80, 0.79);
      cairo_set_line_width (cr, row->header ? 0.8 : 0.4);
      cairo_move_to (cr, x, y + row->height);
      cairo_line_to (cr, x + w, y + row->height);
      cairo_stroke (cr);
    }

  if (row->link)
    cairo_tag_begin (cr, CAIRO_TAG_LINK, row->link);
  for (guint c = 0; c < t->n_cols; c++)
    {
      set_hex (cr, COLOR_TEXT);
      if (row->cells[c] && *row->cells[c])
        show_markup (pdf, row->cells[c], t->font, x + CELL_PAD, y + CELL_PAD,
                     t->widths[c] - 2 * CELL_PAD, t->right[c]);
      x += t->widths[c];
    }
  if (row->link)
    cairo_tag_end (cr, CAIRO_TAG_LINK);
}

static void
draw_stats (Pdf   *pdf,
            double y)
{
  DhReportContext *ctx = pdf->ctx;
  const struct { const char *color; guint n; const char *label; } stats[] = {
    { COLOR_TEXT, dh_event_store_get_n_events (ctx->store), _("events") },
    { COLOR_TEXT, dh_alert_set_get_n_hosts (ctx->set), _("hosts") },
    { "#a51d2d", ctx->by_severity[DH_SEVERITY_HIGH], _("high alerts") },
    { "#b04a00", ctx->by_severity[DH_SEVERITY_MEDIUM], _("medium alerts") },
    { "#4a6a8a", ctx->by_severity[DH_SEVERITY_LOW], _("low alerts") },
  };
  double gap = 8, w = (pdf->content_w - gap * (G_N_ELEMENTS (stats) - 1)) / G_N_ELEMENTS (stats);
  cairo_t *cr = pdf->cr;

  for (guint i = 0; i < G_N_ELEMENTS (stats); i++)
    {
      double x = MARGIN_X + i * (w + gap);
      g_autofree char *number = g_strdup_printf ("<span foreground=\"%s\" weight=\"bold\" "
                                                 "size=\"170%%\">%u</span>", stats[i].color,
                                                 stats[i].n);
      g_autofree char *label = g_strdup_printf ("<span foreground=\"" COLOR_DIM "\">%s</span>",
                                                stats[i].label);
      cairo_set_source_rgb (cr, 0.80, 0.80, 0.79);
      cairo_set_line_width (cr, 0.6);
      cairo_rectangle (cr, x + 0.3, y + 0.3, w - 0.6, 46 - 0.6);
      cairo_stroke (cr);
      show_markup (pdf, number, FONT_BODY, x + 7, y + 4, w - 14, FALSE);
      show_markup (pdf, label, FONT_SMALL, x + 7, y + 29, w - 14, FALSE);
    }
}

static void
draw_chart (Pdf   *pdf,
            Block *b,
            double y)
{
  DhReportContext *ctx = pdf->ctx;
  const DhReportHost *host = b->chart;
  guint max_buckets = dh_timeline_buckets_for_width (pdf->content_w);
  g_autoptr(DhTimelineBins) own = NULL;
  const DhTimelineBins *bins;
  GPtrArray *alerts = host ? host->alerts : ctx->alerts;
  gint64 start, end;

  dh_report_context_chart_range (ctx, &start, &end);
  bins = host ? g_hash_table_lookup (pdf->bins, GUINT_TO_POINTER (host->host)) : NULL;
  if (bins == NULL)
    {
      own = dh_timeline_bins_new_for_events (ctx->store, host ? host->events : NULL,
                                             host ? host->n_events : 0,
                                             host ? host->host : DH_TIMELINE_ALL_HOSTS, start,
                                             end, max_buckets);
      bins = own;
      /* Each of a host's alerts shows the same chart: count once when
       * counting costs more than keeping the counts. */
      if (host && host->alerts->len > 1 && host->n_events > max_buckets)
        g_hash_table_insert (pdf->bins, GUINT_TO_POINTER (host->host), g_steal_pointer (&own));
    }
  cairo_save (pdf->cr);
  cairo_translate (pdf->cr, MARGIN_X, y);
  dh_timeline_render_bins (pdf->cr, pdf->content_w, b->height, bins,
                           (const DhAlert * const *) alerts->pdata, alerts->len);
  cairo_restore (pdf->cr);
  cairo_set_source_rgb (pdf->cr, 0.80, 0.80, 0.79);
  cairo_set_line_width (pdf->cr, 0.5);
  cairo_rectangle (pdf->cr, MARGIN_X, y, pdf->content_w, b->height);
  cairo_stroke (pdf->cr);
}

static void
draw_page_frame (Pdf   *pdf,
                 guint  page)
{
  cairo_t *cr = pdf->cr;
  g_autofree char *title = mk_new (pdf->ctx->title);
  g_autofree char *number = NULL;
  g_autofree char *left = NULL;
  g_autofree char *head = NULL;
  char buf[DH_TIME_FORMAT_SIZE];
  double rule_y = MARGIN_TOP - 14, foot_y = pdf->page_h - MARGIN_BOTTOM + 18;

  if (page > 0)
    {
      g_autoptr(PangoLayout) layout = NULL;
      head = g_strdup_printf ("<span foreground=\"" COLOR_DIM "\">%s</span>", title);
      layout = make_layout (pdf, head, FONT_SMALL, pdf->content_w * 0.65, 0);
      pango_layout_set_ellipsize (layout, PANGO_ELLIPSIZE_END);
      pango_layout_set_height (layout, -1);
      cairo_move_to (cr, MARGIN_X, rule_y - 12);
      pango_cairo_show_layout (cr, layout);
      {
        g_autofree char *when = g_strdup_printf ("<span foreground=\"" COLOR_DIM "\">%s</span>",
                                                 dh_time_format (pdf->ctx->written, buf));
        show_markup (pdf, when, FONT_SMALL, MARGIN_X, rule_y - 12, pdf->content_w, TRUE);
      }
      cairo_set_source_rgb (cr, 0.75, 0.75, 0.74);
      cairo_set_line_width (cr, 0.5);
      cairo_move_to (cr, MARGIN_X, rule_y);
      cairo_line_to (cr, MARGIN_X + pdf->content_w, rule_y);
      cairo_stroke (cr);
    }

  cairo_set_source_rgb (cr, 0.75, 0.75, 0.74);
  cairo_set_line_width (cr, 0.5);
  cairo_move_to (cr, MARGIN_X, foot_y - 4);
  cairo_line_to (cr, MARGIN_X + pdf->content_w, foot_y - 4);
  cairo_stroke (cr);
  left = g_strdup_printf ("<span foreground=\"" COLOR_DIM "\">DNS Hunt %s</span>",
                          PACKAGE_VERSION);
  show_markup (pdf, left, FONT_SMALL, MARGIN_X, foot_y, pdf->content_w, FALSE);
  {
    g_autofree char *text = g_strdup_printf (_("Page %u of %u"), page + 1, pdf->n_pages);
    number = g_strdup_printf ("<span foreground=\"" COLOR_DIM "\">%s</span>", text);
  }
  show_markup (pdf, number, FONT_SMALL, MARGIN_X, foot_y, pdf->content_w, TRUE);
}

static gboolean
draw (Pdf     *pdf,
      GError **error)
{
  guint page = 0;

  draw_page_frame (pdf, 0);
  for (guint i = 0; i < pdf->placements->len; i++)
    {
      Placement *p = &g_array_index (pdf->placements, Placement, i);

      if (p->page != page)
        {
          cairo_show_page (pdf->cr);
          page = p->page;
          draw_page_frame (pdf, page);
          dh_report_context_progress (pdf->ctx, 0.5 + 0.5 * page / pdf->n_pages);
          if (g_cancellable_set_error_if_cancelled (pdf->ctx->cancellable, error))
            return FALSE;
        }
      if (p->header)
        {
          draw_row (pdf, p->header, p->y);
          continue;
        }
      switch (p->block->kind)
        {
        case BLOCK_LINE:
          draw_line (pdf, p->block, p->y);
          break;
        case BLOCK_ROW:
          draw_row (pdf, p->block->row, p->y);
          break;
        case BLOCK_CHART:
          draw_chart (pdf, p->block, p->y);
          break;
        case BLOCK_STATS:
          draw_stats (pdf, p->y);
          break;
        case BLOCK_SPACE:
        case BLOCK_PAGE_BREAK:
        default:
          break;
        }
    }
  cairo_show_page (pdf->cr);
  return TRUE;
}

/* ---- Output ------------------------------------------------------------- */

static cairo_status_t
write_to_stream (void                *closure,
                 const unsigned char *data,
                 unsigned int         length)
{
  Pdf *pdf = closure;

  /* after a failure or a cancel, cairo still finishes the file: drop it */
  if (pdf->write_error)
    return CAIRO_STATUS_WRITE_ERROR;
  if (!g_output_stream_write_all (pdf->ctx->out, data, length, NULL, pdf->ctx->cancellable,
                                  &pdf->write_error))
    return CAIRO_STATUS_WRITE_ERROR;
  return CAIRO_STATUS_SUCCESS;
}

static void
pdf_clear (Pdf *pdf)
{
  for (guint i = 0; pdf->paras && i < pdf->paras->len; i++)
    {
      Para *p = pdf->paras->pdata[i];
      g_free (p->markup);
      g_free (p->bullet);
      g_free (p->link);
      g_clear_object (&p->layout);
      g_free (p);
    }
  for (guint i = 0; pdf->rows && i < pdf->rows->len; i++)
    {
      Row *row = pdf->rows->pdata[i];
      g_strfreev (row->cells);
      g_free (row->link);
      g_free (row);
    }
  for (guint i = 0; pdf->blocks && i < pdf->blocks->len; i++)
    {
      Block *b = &g_array_index (pdf->blocks, Block, i);
      g_free (b->dest);
      g_free (b->outline);
    }
  g_clear_pointer (&pdf->paras, g_ptr_array_unref);
  g_clear_pointer (&pdf->rows, g_ptr_array_unref);
  g_clear_pointer (&pdf->tables, g_ptr_array_unref);
  g_clear_pointer (&pdf->blocks, g_array_unref);
  g_clear_pointer (&pdf->placements, g_array_unref);
  g_clear_pointer (&pdf->bins, g_hash_table_unref);
  for (guint i = 0; i < N_FONTS; i++)
    g_clear_pointer (&pdf->fonts[i], pango_font_description_free);
  g_clear_object (&pdf->pango);
  g_clear_pointer (&pdf->cr, cairo_destroy);
  g_clear_pointer (&pdf->surface, cairo_surface_destroy);
  g_clear_error (&pdf->write_error);
}

static gboolean
pdf_begin (DhReportContext  *ctx,
           GString          *out,
           gpointer         *state,
           GError          **error)
{
  Pdf *pdf = g_new0 (Pdf, 1);
  cairo_font_options_t *options;
  char date[DH_TIME_FORMAT_SIZE];
  g_autofree char *creator = g_strdup_printf ("DNS Hunt %s", PACKAGE_VERSION);

  *state = pdf;
  pdf->ctx = ctx;
  if (ctx->opts->paper == DH_REPORT_PAPER_LETTER)
    {
      pdf->page_w = 612;
      pdf->page_h = 792;
    }
  else
    {
      pdf->page_w = 210 / 25.4 * 72;
      pdf->page_h = 297 / 25.4 * 72;
    }
  pdf->content_w = pdf->page_w - 2 * MARGIN_X;
  pdf->paras = g_ptr_array_new ();
  pdf->tables = g_ptr_array_new_with_free_func (g_free);
  pdf->rows = g_ptr_array_new ();
  pdf->blocks = g_array_new (FALSE, TRUE, sizeof (Block));
  pdf->placements = g_array_new (FALSE, TRUE, sizeof (Placement));
  pdf->bins = g_hash_table_new_full (NULL, NULL, NULL, (GDestroyNotify) dh_timeline_bins_free);

  pdf->surface = cairo_pdf_surface_create_for_stream (write_to_stream, pdf, pdf->page_w,
                                                     pdf->page_h);
  cairo_pdf_surface_set_metadata (pdf->surface, CAIRO_PDF_METADATA_TITLE, ctx->title);
  cairo_pdf_surface_set_metadata (pdf->surface, CAIRO_PDF_METADATA_CREATOR, creator);
  /* the time of writing, so the same inputs give the same file */
  dh_time_format (ctx->written, date);
  date[19] = 0;
  cairo_pdf_surface_set_metadata (pdf->surface, CAIRO_PDF_METADATA_CREATE_DATE, date);
  pdf->cr = cairo_create (pdf->surface);

  pdf->pango = pango_cairo_create_context (pdf->cr);
  pango_cairo_context_set_resolution (pdf->pango, 72);  /* one unit is one point */
  options = cairo_font_options_create ();
  cairo_font_options_set_hint_metrics (options, CAIRO_HINT_METRICS_OFF);
  cairo_font_options_set_hint_style (options, CAIRO_HINT_STYLE_NONE);
  pango_cairo_context_set_font_options (pdf->pango, options);
  cairo_font_options_destroy (options);
  for (guint i = 0; i < N_FONTS; i++)
    pdf->fonts[i] = pango_font_description_from_string (font_specs[i]);

  build_overview (pdf);
  build_summary (pdf);
  return TRUE;
}

/* Lays the alert out; the pages are drawn at the end, once every block's
 * place is known. */
static gboolean
pdf_alert (DhReportContext  *ctx,
           gpointer          pdf,
           GString          *out,
           guint             i,
           GError          **error)
{
  build_alert (pdf, i);
  return TRUE;
}

static gboolean
pdf_end (DhReportContext  *ctx,
         gpointer          data,
         GString          *out,
         GError          **error)
{
  Pdf *pdf = data;
  gboolean ok;

  paginate (pdf);
  ok = draw (pdf, error);
  if (!ok && pdf->write_error == NULL)
    g_set_error_literal (&pdf->write_error, G_IO_ERROR, G_IO_ERROR_CANCELLED, "cancelled");
  cairo_surface_finish (pdf->surface);
  pdf->finished = TRUE;
  if (ok && pdf->write_error)
    {
      g_propagate_error (error, g_steal_pointer (&pdf->write_error));
      ok = FALSE;
    }
  else if (ok && cairo_surface_status (pdf->surface) != CAIRO_STATUS_SUCCESS)
    {
      g_set_error (error, DH_REPORT_ERROR, DH_REPORT_ERROR_FAILED, "PDF: %s",
                   cairo_status_to_string (cairo_surface_status (pdf->surface)));
      ok = FALSE;
    }
  return ok;
}

static void
pdf_free (gpointer data,
          gboolean written)
{
  Pdf *pdf = data;

  if (pdf == NULL)
    return;
  if (!pdf->finished)
    {
      /* cancelled among the alerts: cairo still finishes the file, into nothing */
      if (pdf->write_error == NULL)
        g_set_error_literal (&pdf->write_error, G_IO_ERROR, G_IO_ERROR_CANCELLED, "cancelled");
      cairo_surface_finish (pdf->surface);
    }
  pdf_clear (pdf);
  g_free (pdf);
}

const DhReportWriter dh_report_writer_pdf = {
  .begin = pdf_begin,
  .alert = pdf_alert,
  .end = pdf_end,
  .free_state = pdf_free,
  /* half the progress lays the alerts out, the other half draws the pages */
  .alerts_share = 0.5,
};
