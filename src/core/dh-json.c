/* dh-json.c: JSON from others, parsed with bounded nesting
 *
 * json-glib's parser recurses once per level of arrays and objects and has no
 * limit: a 240 KB message of brackets overflows any thread's stack. So every
 * text from outside (log records and messages, CloudWatch replies, case
 * files, credential_process output) goes through dh_json_parser_load_bounded(),
 * which counts the levels first in one flat pass and refuses too many before
 * json-glib sees the text.
 *
 * The count must see the text as json-glib's scanner (1.6) does, or a bracket
 * it takes for string content could be a level to json-glib. That scanner
 * reads "double-quoted" strings with backslash escapes, 'single-quoted'
 * strings without escapes, and skips /comments/ from a slash to the next one
 * (its single-line comment pair is "//"); all three are followed here. Where
 * it reads past what JSON allows (a \u with fewer than four hex digits, or a
 * surrogate without a \u after it, makes it swallow the next byte, even a
 * closing quote), or a NUL byte could end the text for it, the text is
 * refused as not JSON; so are a surrogate out of its pair and an array or
 * object after the first value, which it leaks. Every other difference
 * between the two ends json-glib's parse with an error at that point, so
 * nothing after it can nest.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "dh-json.h"

G_DEFINE_QUARK (dh-json-error-quark, dh_json_error)

static const char *
invalid (GError     **error,
         const char  *data,
         const char  *at,
         const char  *what)
{
  g_set_error (error, DH_JSON_ERROR, DH_JSON_ERROR_INVALID,
               _("Not valid JSON: %s at byte %zu"), what, (gsize) (at - data));
  return NULL;
}

static int
hex4 (const char *p,
      const char *end)
{
  int v = 0;

  if (end - p < 4)
    return -1;
  for (int i = 0; i < 4; i++)
    {
      if (!g_ascii_isxdigit (p[i]))
        return -1;
      v = (v << 4) | g_ascii_xdigit_value (p[i]);
    }
  return v;
}

/* From after the opening quote to after the closing one (or the end). */
static const char *
skip_string (const char  *data,
             const char  *p,
             const char  *end,
             GError     **error)
{
  while (p < end)
    {
      char c = *p++;
      int cp;

      if (c == '"')
        return p;
      if (c == '\0')
        return invalid (error, data, p - 1, _("a NUL byte"));
      if (c != '\\' || p == end)
        continue;
      c = *p++;
      if (c == '\0')
        return invalid (error, data, p - 1, _("a NUL byte"));
      /* json-glib reads \u as an escape only when a hex digit follows */
      if (c != 'u' || p == end || !g_ascii_isxdigit (*p))
        continue;
      if ((cp = hex4 (p, end)) < 0)
        return invalid (error, data, p - 2, _("a broken \\u escape"));
      p += 4;
      /* json-glib leaks the string of a broken pair */
      if (cp >= 0xd800 && cp <= 0xdfff)
        {
          int lo = end - p < 6 || p[0] != '\\' || p[1] != 'u' ? -1 : hex4 (p + 2, end);

          if (cp > 0xdbff || lo < 0xdc00 || lo > 0xdfff)
            return invalid (error, data, p - 6, _("a broken surrogate pair"));
          p += 6;
        }
    }
  return p;
}

/* A 'string' or a /comment/: up to after @stop (or the end). */
static const char *
skip_to (const char  *data,
         const char  *p,
         const char  *end,
         char         stop,
         GError     **error)
{
  while (p < end)
    {
      char c = *p++;

      if (c == stop)
        return p;
      if (c == '\0')
        return invalid (error, data, p - 1, _("a NUL byte"));
    }
  return p;
}

/**
 * dh_json_check_depth:
 * @data: JSON text
 * @length: its length, or -1 when nul-terminated
 * @max_depth: the most levels of arrays and objects allowed
 *
 * Counts the nesting of @data without parsing it, in constant stack.
 *
 * Returns: %TRUE when json-glib may parse @data: no more than @max_depth
 *   levels, no NUL byte, no \u escape json-glib would misread, no array or
 *   object after the first value. Other syntax errors are left to json-glib.
 */
gboolean
dh_json_check_depth (const char  *data,
                     gssize       length,
                     guint        max_depth,
                     GError     **error)
{
  const char *p = data;
  const char *end;
  guint depth = 0;
  gboolean begun = FALSE;

  if (length < 0)
    length = strlen (data);
  end = data + length;

  while (p < end)
    {
      char c = *p++;

      if (depth == 0 && !g_ascii_isspace (c) && c != '/')
        {
          /* json-glib 1.6 takes an array or object after the first value for
           * a second document, and leaks it */
          if (begun && (c == '[' || c == '{'))
            {
              invalid (error, data, p - 1, _("a second value"));
              return FALSE;
            }
          begun = TRUE;
        }
      switch (c)
        {
        case '[':
        case '{':
          if (++depth > max_depth)
            {
              g_set_error (error, DH_JSON_ERROR, DH_JSON_ERROR_TOO_DEEP,
                           _("JSON nested too deeply (more than %u levels)"), max_depth);
              return FALSE;
            }
          break;
        case ']':
        case '}':
          /* an unmatched one ends json-glib's parse */
          if (depth > 0)
            depth--;
          break;
        case '"':
          p = skip_string (data, p, end, error);
          break;
        case '\'':
          p = skip_to (data, p, end, '\'', error);
          break;
        case '/':
          p = skip_to (data, p, end, '/', error);
          break;
        case '\0':
          invalid (error, data, p - 1, _("a NUL byte"));
          return FALSE;
        default:
          break;
        }
      if (p == NULL)
        return FALSE;
    }
  return TRUE;
}

/**
 * dh_json_parser_load_bounded:
 * @length: the length of @data, or -1 when nul-terminated
 *
 * json_parser_load_from_data() for text from outside: refuses more than
 * %DH_JSON_MAX_DEPTH levels (%DH_JSON_ERROR_TOO_DEEP) before parsing.
 *
 * Returns: %TRUE when @parser holds the document
 */
gboolean
dh_json_parser_load_bounded (JsonParser  *parser,
                             const char  *data,
                             gssize       length,
                             GError     **error)
{
  return dh_json_check_depth (data, length, DH_JSON_MAX_DEPTH, error) &&
         json_parser_load_from_data (parser, data, length, error);
}

/**
 * dh_json_object_get_string:
 *
 * Returns: (nullable): @member of @object when it is a string; %NULL when
 *   it is absent, null or anything else (JSON from others may hold
 *   anything, and json-glib's getters complain about a wrong type)
 */
const char *
dh_json_object_get_string (JsonObject *object,
                           const char *member)
{
  JsonNode *node = json_object_get_member (object, member);

  if (node == NULL || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}
