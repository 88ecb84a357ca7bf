/* fuzz-json.c: libFuzzer target for the depth check (dh-json.c) against json-glib
 *
 * The first byte picks a small depth limit, the rest is the text. json-glib's
 * own nesting is measured by its array-start/object-start and -end signals.
 * When the check lets a text through, json-glib must not nest deeper than the
 * limit; when json-glib reads a text whole within the limit, the check must
 * not have called it too deep.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "dh-json.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

typedef struct
{
  int depth;
  int max;
} Nesting;

static void
on_start (JsonParser *parser,
          gpointer    user_data)
{
  Nesting *n = user_data;

  if (++n->depth > n->max)
    n->max = n->depth;
}

static void
on_end (JsonParser *parser,
        gpointer    container,
        gpointer    user_data)
{
  Nesting *n = user_data;

  n->depth--;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(GError) error = NULL;
  Nesting n = { 0, 0 };
  const char *text = (const char *) data + 1;
  guint limit;
  gboolean passed, parsed;

  if (size < 1)
    return 0;
  limit = data[0] % 8;
  size--;

  passed = dh_json_check_depth (text, size, limit, &error);
  /* Texts refused for anything but depth are not given to json-glib (it
   * leaks a second document); run-fuzz.sh keeps them short enough for its
   * recursion. */
  if (!passed && (!g_error_matches (error, DH_JSON_ERROR, DH_JSON_ERROR_TOO_DEEP) ||
                  !dh_json_check_depth (text, size, G_MAXUINT, NULL)))
    return 0;
  parser = json_parser_new ();
  g_signal_connect (parser, "array-start", G_CALLBACK (on_start), &n);
  g_signal_connect (parser, "object-start", G_CALLBACK (on_start), &n);
  g_signal_connect (parser, "array-end", G_CALLBACK (on_end), &n);
  g_signal_connect (parser, "object-end", G_CALLBACK (on_end), &n);
  parsed = json_parser_load_from_data (parser, text, size, NULL);

  if (passed && n.max > (int) limit)
    {
      fprintf (stderr, "passed at %u levels, json-glib went %d deep\n", limit, n.max);
      abort ();
    }
  if (parsed && n.max <= (int) limit &&
      g_error_matches (error, DH_JSON_ERROR, DH_JSON_ERROR_TOO_DEEP))
    {
      fprintf (stderr, "json-glib read it %d deep, the check said more than %u\n", n.max,
               limit);
      abort ();
    }
  return 0;
}
