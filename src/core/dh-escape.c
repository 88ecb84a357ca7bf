/* dh-escape.c: making strings from logs inert in every output format
 *
 * Every query name, host, instance id and file name comes from a log an
 * attacker may have written. Each writer passes them through one of these
 * functions, and each function is safe on its own for any input: invalid
 * UTF-8 is replaced, and characters that move the cursor, break lines, or
 * reorder or hide text (C0, DEL, C1, bidi controls, zero-width marks) are
 * shown as `\xNN` / `\uNNNN`, so the analyst sees what was logged and nothing
 * can change the layout or meaning of the report around it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "dh-escape.h"

static gboolean
is_hidden (gunichar c)
{
  return c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0) ||
         c == 0x061c ||                     /* Arabic letter mark */
         (c >= 0x200b && c <= 0x200f) ||    /* zero-width, LRM, RLM */
         (c >= 0x2028 && c <= 0x202e) ||    /* line/paragraph separators, bidi embeddings */
         (c >= 0x2060 && c <= 0x2069) ||    /* word joiner, invisible operators, isolates */
         c == 0xfeff ||                     /* zero-width no-break space */
         (c >= 0xfdd0 && c <= 0xfdef) || (c & 0xfffe) == 0xfffe;  /* noncharacters */
}

/* Calls @func for each character of @text made valid, with hidden
 * characters already written out as escapes. */
typedef void (*CharFunc) (GString    *out,
                          const char *p,
                          gsize       len,
                          gpointer    data);

static void
each_visible (GString    *out,
              const char *text,
              CharFunc    func,
              gpointer    data)
{
  g_autofree char *valid = NULL;

  if (text == NULL)
    return;
  if (!g_utf8_validate (text, -1, NULL))
    text = valid = g_utf8_make_valid (text, -1);

  for (const char *p = text; *p; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);
      if (is_hidden (c))
        {
          char esc[16];
          g_snprintf (esc, sizeof esc, c <= 0xff ? "\\x%02x" : "\\u%04x", c);
          func (out, esc, strlen (esc), data);
        }
      else
        func (out, p, g_utf8_next_char (p) - p, data);
    }
}

static void
copy_char (GString    *out,
           const char *p,
           gsize       len,
           gpointer    data)
{
  g_string_append_len (out, p, len);
}

/**
 * dh_text_sanitize_append:
 * @out: where to append
 * @text: (nullable): any bytes
 *
 * Appends @text as valid UTF-8 with hidden characters (C0, DEL, C1, bidi
 * controls, zero-width marks, noncharacters) written as `\xNN` or `\uNNNN`.
 */
void
dh_text_sanitize_append (GString    *out,
                         const char *text)
{
  each_visible (out, text, copy_char, NULL);
}

/**
 * dh_text_sanitize:
 * @text: (nullable): any bytes
 *
 * Returns: (transfer full): @text safe for a terminal or a single line of
 *   any document; see dh_text_sanitize_append()
 */
char *
dh_text_sanitize (const char *text)
{
  GString *s = g_string_sized_new (text ? strlen (text) : 0);

  dh_text_sanitize_append (s, text);
  return g_string_free (s, FALSE);
}

static void
html_char (GString    *out,
           const char *p,
           gsize       len,
           gpointer    data)
{
  switch (*p)
    {
    case '&': g_string_append (out, "&amp;"); break;
    case '<': g_string_append (out, "&lt;"); break;
    case '>': g_string_append (out, "&gt;"); break;
    case '"': g_string_append (out, "&quot;"); break;
    case '\'': g_string_append (out, "&#39;"); break;
    default: g_string_append_len (out, p, len); break;
    }
}

/**
 * dh_escape_html_append:
 * @out: where to append
 * @text: (nullable): any bytes
 *
 * Appends @text sanitized and with `& < > " '` as character references: safe
 * in HTML text and in quoted attribute values.
 */
void
dh_escape_html_append (GString    *out,
                       const char *text)
{
  each_visible (out, text, html_char, NULL);
}

char *
dh_escape_html (const char *text)
{
  GString *s = g_string_new (NULL);

  dh_escape_html_append (s, text);
  return g_string_free (s, FALSE);
}

typedef struct
{
  gboolean at_start;
  gboolean in_digits;
} MarkdownState;

static void
markdown_char (GString    *out,
               const char *p,
               gsize       len,
               gpointer    data)
{
  MarkdownState *st = data;
  char c = *p;

  /* Block syntax only counts at the start of a line: the text may be put
   * after "- " or "| ", so its own start is such a place. */
  if (st->at_start && c != ' ')
    {
      st->at_start = FALSE;
      if (strchr ("#+-=", c))
        {
          g_string_append_c (out, '\\');
          g_string_append_len (out, p, len);
          return;
        }
      st->in_digits = g_ascii_isdigit (c);
    }
  else if (st->in_digits)
    {
      st->in_digits = g_ascii_isdigit (c);
      if (c == '.' || c == ')')
        {
          g_string_append_c (out, '\\');
          g_string_append_c (out, c);
          return;
        }
    }

  switch (c)
    {
    case '&':
      /* only where it would start a character reference (&amp; &#60;), so
       * "ATT&CK" stays readable in the source */
      {
        const char *q = p + 1;
        if (*q == '#')
          q++;
        while (g_ascii_isalnum (*q))
          q++;
        g_string_append (out, *q == ';' && q > p + 1 ? "&amp;" : "&");
      }
      break;
    case '<': g_string_append (out, "&lt;"); break;
    case '>': g_string_append (out, "&gt;"); break;
    case '\\': case '`': case '*': case '_': case '[': case ']': case '|': case '~': case '$':
      /* (a backslash may start a whole escape such as \x0a: keep it all) */
      g_string_append_c (out, '\\');
      g_string_append_len (out, p, len);
      break;
    default:
      g_string_append_len (out, p, len);
      break;
    }
}

/**
 * dh_escape_markdown_text_append:
 * @out: where to append
 * @text: (nullable): any bytes
 *
 * Appends @text as literal GitHub-flavoured Markdown prose: emphasis, links,
 * code, strike-through, math, raw HTML and table pipes are escaped, and so is
 * block syntax at its start. Safe in a table cell. Log strings should rather
 * go through dh_escape_markdown_code(), which also stops autolinking.
 */
void
dh_escape_markdown_text_append (GString    *out,
                                const char *text)
{
  MarkdownState st = { TRUE, FALSE };

  each_visible (out, text, markdown_char, &st);
}

char *
dh_escape_markdown_text (const char *text)
{
  GString *s = g_string_new (NULL);

  dh_escape_markdown_text_append (s, text);
  return g_string_free (s, FALSE);
}

/**
 * dh_escape_markdown_code_append:
 * @out: where to append
 * @text: (nullable): any bytes
 * @in_table: whether the span goes into a table cell
 *
 * Appends @text, sanitized, as a code span: Markdown inside it is literal,
 * raw HTML is not interpreted and nothing is autolinked. The fence is one
 * backtick longer than the longest run of backticks in @text. In a table
 * cell a pipe would end the cell even inside a code span, so it is written
 * `\|` (GFM removes the backslash); a backslash just before a pipe would
 * cancel that, so it is written `\x5c` like other characters that cannot be
 * shown as they are. Nothing is appended for an empty @text.
 */
void
dh_escape_markdown_code_append (GString    *out,
                                const char *text,
                                gboolean    in_table)
{
  g_autoptr(GString) body = g_string_new (NULL);
  GString *fence = g_string_new ("`");
  guint run = 0, longest = 0;
  gboolean pad;

  dh_text_sanitize_append (body, text);
  if (body->len == 0)
    {
      g_string_free (fence, TRUE);
      return;
    }

  for (gsize i = 0; i < body->len; i++)
    {
      run = body->str[i] == '`' ? run + 1 : 0;
      longest = MAX (longest, run);
    }
  for (guint i = 0; i < longest; i++)
    g_string_append_c (fence, '`');

  /* A space on each side is stripped again by the parser; it keeps a
   * backtick at either end from joining the fence. */
  pad = body->str[0] == '`' || body->str[0] == ' ' || body->str[body->len - 1] == '`' ||
        body->str[body->len - 1] == ' ';

  g_string_append (out, fence->str);
  if (pad)
    g_string_append_c (out, ' ');
  for (gsize i = 0; i < body->len; i++)
    {
      char c = body->str[i];
      if (in_table && c == '\\' && body->str[i + 1] == '|')
        g_string_append (out, "\\x5c");
      else if (in_table && c == '|')
        g_string_append (out, "\\|");
      else
        g_string_append_c (out, c);
    }
  if (pad)
    g_string_append_c (out, ' ');
  g_string_append (out, fence->str);
  g_string_free (fence, TRUE);
}

char *
dh_escape_markdown_code (const char *text,
                         gboolean    in_table)
{
  GString *s = g_string_new (NULL);

  dh_escape_markdown_code_append (s, text, in_table);
  return g_string_free (s, FALSE);
}

static gboolean
starts_formula (const char *text)
{
  gunichar c;

  /* Some spreadsheets skip leading spaces before reading a formula. */
  while (*text == ' ')
    text++;
  c = g_utf8_get_char (text);
  return c == '=' || c == '+' || c == '-' || c == '@' || c == '\t' || c == '\r' ||
         c == 0xff1d || c == 0xff0b || c == 0xff0d || c == 0xff20;  /* full-width forms */
}

/**
 * dh_escape_csv_cell_append:
 * @out: where to append
 * @text: (nullable): any bytes
 *
 * Appends @text as one RFC 4180 field, made valid UTF-8. A cell that a
 * spreadsheet would read as a formula (starting with `=`, `+`, `-`, `@`, tab
 * or CR, after any spaces, or their full-width forms) gets a leading `'`, so
 * it stays text. The field is quoted when it holds a comma, a quote, a line
 * break, a leading or trailing space, or was neutralised; quotes are doubled.
 * Line breaks are kept (RFC 4180 allows them in quoted fields); writers pass
 * log strings through dh_text_sanitize() first to keep one row per line.
 */
void
dh_escape_csv_cell_append (GString    *out,
                           const char *text)
{
  g_autofree char *valid = NULL;
  gboolean neutralise, quote;
  gsize len;

  if (text == NULL)
    return;
  if (!g_utf8_validate (text, -1, NULL))
    text = valid = g_utf8_make_valid (text, -1);
  len = strlen (text);
  neutralise = starts_formula (text);
  quote = neutralise || strpbrk (text, ",\"\r\n") != NULL ||
          (len > 0 && (text[0] == ' ' || text[len - 1] == ' '));

  if (quote)
    g_string_append_c (out, '"');
  if (neutralise)
    g_string_append_c (out, '\'');
  for (const char *p = text; *p; p++)
    {
      if (*p == '"')
        g_string_append_c (out, '"');
      g_string_append_c (out, *p);
    }
  if (quote)
    g_string_append_c (out, '"');
}

char *
dh_escape_csv_cell (const char *text)
{
  GString *s = g_string_new (NULL);

  dh_escape_csv_cell_append (s, text);
  return g_string_free (s, FALSE);
}

/**
 * dh_escape_pango:
 * @text: (nullable): any bytes
 *
 * Returns: (transfer full): @text sanitized and escaped for Pango markup
 */
char *
dh_escape_pango (const char *text)
{
  g_autofree char *clean = dh_text_sanitize (text);

  return g_markup_escape_text (clean, -1);
}

/**
 * dh_escape_is_web_url:
 * @url: (nullable): a link target
 *
 * Returns: whether @url is a plain http(s) URL that may become a link: no
 *   other scheme (`javascript:`, `data:`), no spaces, quotes or controls
 */
gboolean
dh_escape_is_web_url (const char *url)
{
  if (url == NULL || !g_utf8_validate (url, -1, NULL))
    return FALSE;
  if (!g_str_has_prefix (url, "https://") && !g_str_has_prefix (url, "http://"))
    return FALSE;
  for (const char *p = url; *p; p++)
    if ((guchar) *p <= 0x20 || *p == 0x7f || strchr ("\"'<>\\`", *p))
      return FALSE;
  return TRUE;
}
