/* test-json.c: the bounded JSON loader (dh-json.c)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "dh-json.h"

/* @n arrays, one in the other, around @inner */
static char *
nested (guint       n,
        const char *inner)
{
  GString *s = g_string_new (NULL);

  for (guint i = 0; i < n; i++)
    g_string_append_c (s, '[');
  g_string_append (s, inner);
  for (guint i = 0; i < n; i++)
    g_string_append_c (s, ']');
  return g_string_free (s, FALSE);
}

static void
assert_depth_ok (const char *text)
{
  g_autoptr(GError) error = NULL;

  if (!dh_json_check_depth (text, -1, DH_JSON_MAX_DEPTH, &error))
    g_error ("refused: %s: %s", error->message, text);
}

static void
assert_too_deep (const char *text)
{
  g_autoptr(GError) error = NULL;

  g_assert_false (dh_json_check_depth (text, -1, DH_JSON_MAX_DEPTH, &error));
  g_assert_error (error, DH_JSON_ERROR, DH_JSON_ERROR_TOO_DEEP);
  g_assert_nonnull (strstr (error->message, "nested too deeply (more than 64 levels)"));
}

static void
assert_invalid (const char *text,
                gsize       len)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  g_assert_false (dh_json_parser_load_bounded (parser, text, len, &error));
  g_assert_error (error, DH_JSON_ERROR, DH_JSON_ERROR_INVALID);
  g_assert_null (json_parser_get_root (parser));
}

static void
test_limit (void)
{
  g_autofree char *at = nested (DH_JSON_MAX_DEPTH, "1");
  g_autofree char *over = nested (DH_JSON_MAX_DEPTH + 1, "1");
  GString *objects = g_string_new (NULL);
  g_autoptr(GError) error = NULL;

  assert_depth_ok (at);
  assert_too_deep (over);

  /* objects count as arrays do, and siblings do not add up */
  for (guint i = 0; i < DH_JSON_MAX_DEPTH - 1; i++)
    g_string_append (objects, "{\"a\": [], \"b\": ");
  g_string_append (objects, "{}");
  for (guint i = 0; i < DH_JSON_MAX_DEPTH - 1; i++)
    g_string_append_c (objects, '}');
  assert_depth_ok (objects->str);
  g_string_insert (objects, 0, "[");
  g_string_append (objects, "]");
  assert_too_deep (objects->str);
  g_string_free (objects, TRUE);
  assert_depth_ok ("[[1], [2], {\"a\": [3]}, [[4]]]");

  /* the limit given, and only the length given */
  g_assert_true (dh_json_check_depth ("[[]]", -1, 2, NULL));
  g_assert_false (dh_json_check_depth ("[[[]]]", -1, 2, &error));
  g_assert_error (error, DH_JSON_ERROR, DH_JSON_ERROR_TOO_DEEP);
  g_assert_nonnull (strstr (error->message, "more than 2 levels"));
  g_assert_true (dh_json_check_depth ("[[[]]]", 2, 2, NULL));
}

static void
test_strings (void)
{
  g_autofree char *brackets = nested (1000, "");
  g_autofree char *in_string = g_strdup_printf ("[\"%s\", \"{{{{\"]", brackets);
  g_autofree char *escaped_quote = g_strdup_printf ("[\"\\\" %s \\\"\"]", brackets);
  g_autofree char *deep = nested (DH_JSON_MAX_DEPTH + 1, "");
  g_autofree char *after_backslash = g_strdup_printf ("[\"\\\\\", %s]", deep);
  g_autofree char *after_unicode = g_strdup_printf ("[\"\\u005c\", %s]", deep);
  g_autofree char *after_pair = g_strdup_printf ("[\"\\ud83d\\ude00\", %s]", deep);

  /* brackets in strings are not levels, and an escaped quote ends no string */
  assert_depth_ok (in_string);
  assert_depth_ok (escaped_quote);
  assert_depth_ok ("{\"[\": \"]]]]\", \"\\\\\": \"[\\\"[\"}");
  /* but an escaped backslash does not hide the quote after it */
  assert_too_deep (after_backslash);
  assert_too_deep (after_unicode);
  assert_too_deep (after_pair);
}

/* The elements json-glib reads in @text, an array */
static guint
json_glib_length (const char *text)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  g_assert_true (json_parser_load_from_data (parser, text, -1, &error));
  g_assert_no_error (error);
  return json_array_get_length (json_node_get_array (json_parser_get_root (parser)));
}

/* json-glib's scanner also reads 'single-quoted' strings and /comments/ from a
 * slash to the next: a quote inside them must not hide the levels after. */
static void
test_json_glib_lexing (void)
{
  g_autofree char *deep = nested (DH_JSON_MAX_DEPTH + 1, "");
  g_autofree char *single = g_strdup_printf ("['\"', %s, '\"']", deep);
  g_autofree char *comment = g_strdup_printf ("[/ \" / %s / \" /]", deep);
  g_autofree char *brackets_in_single = g_strdup_printf ("['%s']", deep);
  g_autofree char *brackets_in_comment = g_strdup_printf ("[1 /* %s */]", deep);

  /* what json-glib makes of them */
  g_assert_cmpuint (json_glib_length ("['\"', [1], '\"']"), ==, 3);
  g_assert_cmpuint (json_glib_length ("[/ \" / [1] / \" /]"), ==, 1);

  assert_too_deep (single);
  assert_too_deep (comment);
  assert_depth_ok (brackets_in_single);
  assert_depth_ok (brackets_in_comment);
}

/* Text json-glib 1.6 would misread (reading on past a closing quote) or leak
 * on is refused. */
static void
test_invalid (void)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autofree char *deep = nested (DH_JSON_MAX_DEPTH + 1, "");
  g_autofree char *short_escape = g_strdup_printf ("[\"\\u12\", \" %s \"]", deep);
  g_autofree char *lone = g_strdup_printf ("[\"\\ud800\", \" %s \"]", deep);

  assert_invalid ("[\"a\\u12\"]", -1);
  assert_invalid ("[\"\\ud800\"]", -1);
  assert_invalid ("[\"\\udc00\"]", -1);
  assert_invalid ("[\"\\ud800\\u12\"]", -1);
  assert_invalid ("[\"\\ud800\\u0041\"]", -1);
  assert_invalid ("[\"\\udfff\\udfff\"]", -1);
  assert_invalid (short_escape, strlen (short_escape));
  assert_invalid (lone, strlen (lone));
  assert_invalid ("[1]\0[[", 6);
  assert_invalid ("[\"a\0\"]", 6);
  assert_invalid ("[\"\\\0\"]", 6);
  assert_invalid ("['\0']", 5);
  assert_invalid ("[1 /\0/]", 7);
  /* json-glib 1.6 would read the first and leak the second */
  assert_invalid ("[1] [2]", -1);
  assert_invalid ("{\"a\": 1}\n{\"b\": 2}", -1);
  assert_invalid ("true {}", -1);
  assert_depth_ok (" [1] \r\n");
  assert_depth_ok ("[1] /* after */");

  /* JSON's own escapes load as before */
  g_assert_true (dh_json_parser_load_bounded (parser, "[\"\\u00e9\\ud83d\\ude00\\n\\/\", "
                                              "\"\\u\"]", -1, NULL));
  g_assert_cmpstr (json_array_get_string_element (
                     json_node_get_array (json_parser_get_root (parser)), 0),
                   ==, "é😀\n/");
}

/* A depth no thread's stack holds in json-glib: refused, quickly. */
static void
test_parser_load (void)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autofree char *huge = nested (200000, "");
  g_autofree char *ok = nested (DH_JSON_MAX_DEPTH, "\"x\"");
  g_autoptr(GError) error = NULL;

  g_assert_false (dh_json_parser_load_bounded (parser, huge, -1, &error));
  g_assert_error (error, DH_JSON_ERROR, DH_JSON_ERROR_TOO_DEEP);
  g_assert_null (json_parser_get_root (parser));
  g_clear_error (&error);

  g_assert_true (dh_json_parser_load_bounded (parser, ok, -1, &error));
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_ARRAY (json_parser_get_root (parser)));

  /* json-glib's own errors come through */
  g_assert_false (dh_json_parser_load_bounded (parser, "[1,", -1, &error));
  g_assert_error (error, JSON_PARSER_ERROR, JSON_PARSER_ERROR_PARSE);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/json/limit", test_limit);
  g_test_add_func ("/json/strings", test_strings);
  g_test_add_func ("/json/json-glib-lexing", test_json_glib_lexing);
  g_test_add_func ("/json/invalid", test_invalid);
  g_test_add_func ("/json/parser-load", test_parser_load);
  return g_test_run ();
}
