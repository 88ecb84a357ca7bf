/* test-differential.c: the fast path and the json-glib path read the same
 * corpus into the same store
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include <glib/gstdio.h>

#include "dh-reader-private.h"
#include "dh-store-compare.h"
#include "dh-test-util.h"

static void
check_same (const char *data,
            gsize       len,
            double      min_fast_share)
{
  g_autoptr(DhEventStore) ref_store = dh_event_store_new ();
  g_autoptr(DhEventStore) fast_store = dh_event_store_new ();
  g_autoptr(DhReader) ref = dh_reader_new (ref_store);
  g_autoptr(DhReader) fast = dh_reader_new (fast_store);
  g_autoptr(GError) e1 = NULL;
  g_autoptr(GError) e2 = NULL;
  g_autofree char *diff = NULL;

  dh_reader_set_reference_only (ref, TRUE);
  dh_reader_set_reference_only (fast, FALSE);
  dh_reader_read_bytes (ref, "corpus", data, len, &e1);
  dh_reader_read_bytes (fast, "corpus", data, len, &e2);
  g_assert_true ((e1 == NULL) == (e2 == NULL));
  g_assert_cmpuint (dh_reader_get_n_fast (ref), ==, 0);
  diff = dh_store_compare (ref, fast);
  if (diff)
    g_error ("fast and reference paths differ: %s", diff);
  g_assert_cmpfloat (dh_reader_get_n_fast (fast), >=,
                     min_fast_share * dh_event_store_get_n_events (fast_store));
  g_test_message ("%u events, %" G_GUINT64_FORMAT " rejected, %" G_GUINT64_FORMAT " fast",
                  dh_event_store_get_n_events (fast_store),
                  dh_event_store_get_n_rejected (fast_store), dh_reader_get_n_fast (fast));
}

static char *
read_file (const char *path,
           gsize      *len)
{
  char *data = NULL;
  g_autoptr(GError) error = NULL;

  g_file_get_contents (path, &data, len, &error);
  g_assert_no_error (error);
  return data;
}

static void
test_samples (void)
{
  g_autofree char *path = test_data_path ("route53-samples/elastic-integrations-test-route53.log");
  gsize len;
  g_autofree char *data = read_file (path, &len);

  check_same (data, len, 1.0);
}

static char *
demo_text (gsize *len)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "..", "data", "demo",
                                                 "route53-demo.log.gz", NULL);
  gsize gz_len;
  g_autofree char *gz = read_file (path, &gz_len);
  g_autoptr(GConverter) z = G_CONVERTER (g_zlib_decompressor_new (G_ZLIB_COMPRESSOR_FORMAT_GZIP));
  g_autoptr(GInputStream) raw = g_memory_input_stream_new_from_data (gz, gz_len, NULL);
  g_autoptr(GInputStream) in = g_converter_input_stream_new (raw, z);
  g_autoptr(GOutputStream) out = g_memory_output_stream_new_resizable ();
  g_autoptr(GError) error = NULL;

  g_output_stream_splice (out, in, G_OUTPUT_STREAM_SPLICE_CLOSE_TARGET, NULL, &error);
  g_assert_no_error (error);
  *len = g_memory_output_stream_get_data_size (G_MEMORY_OUTPUT_STREAM (out));
  return g_memory_output_stream_steal_data (G_MEMORY_OUTPUT_STREAM (out));
}

static void
test_demo (void)
{
  gsize len;
  g_autofree char *data = demo_text (&len);

  check_same (data, len, 1.0);
}

/* Reorders the members of a flat-ish record line by splitting at top-level
 * commas (the demo's lines have no commas inside strings). */
static char *
reorder (const char *line,
         GRand      *rand)
{
  g_autoptr(GPtrArray) parts = g_ptr_array_new_with_free_func (g_free);
  GString *out = g_string_new ("{");
  int depth = 0;
  const char *start = line + 1;

  for (const char *p = line + 1; *p; p++)
    {
      if (*p == '{' || *p == '[')
        depth++;
      else if ((*p == '}' || *p == ']') && depth > 0)
        depth--;
      else if ((*p == ',' && depth == 0) || (*p == '}' && depth == 0))
        {
          g_ptr_array_add (parts, g_strndup (start, p - start));
          start = p + 1;
        }
    }
  for (guint i = parts->len; i > 1; i--)
    {
      guint j = g_rand_int_range (rand, 0, i);
      gpointer t = parts->pdata[i - 1];
      parts->pdata[i - 1] = parts->pdata[j];
      parts->pdata[j] = t;
    }
  for (guint i = 0; i < parts->len; i++)
    g_string_append_printf (out, "%s%s", i ? ", " : "", (char *) parts->pdata[i]);
  g_string_append_c (out, '}');
  return g_string_free (out, FALSE);
}

static char *
replace (const char *line,
         const char *from,
         const char *to)
{
  const char *hit = strstr (line, from);

  if (hit == NULL)
    return g_strdup (line);
  return g_strdup_printf ("%.*s%s%s", (int) (hit - line), line, to, hit + strlen (from));
}

static void
test_mutations (void)
{
  gsize len;
  g_autofree char *data = demo_text (&len);
  g_auto(GStrv) lines = g_strsplit (data, "\n", -1);
  g_autoptr(GRand) rand = g_rand_new_with_seed (20261127);
  g_autoptr(GString) corpus = g_string_new (NULL);
  static const char *edits[][2] = {
    { "\"query_name\":\"", "\"query_name\":\"\\u00e9\\t\\\"x\\\\" },
    { "\"query_name\":\"", "\"query_name\":\"\\ud83d\\ude00." },
    { "\"query_name\":\"", "\"query_name\":\"\\ud83d." },
    { "\"query_name\":\"", "\"query_name\":\"\\u0000" },
    { "\"query_name\":\"", "\"query_name\":\"\xc3\xa9\xe2\x82\xac" },
    { "\"query_name\":\"", "\"query_name\":\"\xff\xfe" },
    { "\"query_name\":\"", "\"query_name\":\"a\tb" },
    { "\"srcport\":\"", "\"srcport\":12345,\"x\":\"" },
    { "\"srcport\":\"", "\"srcport\":1.5,\"x\":\"" },
    { "\"rcode\":\"", "\"rcode\":null,\"r\":\"" },
    { "\"rcode\":\"", "\"rcode\":7,\"r\":\"" },
    { "\"query_name\":\"", "\"query_name\":\"a\",\"query_name\":\"" },
    { "\"version\":", "\"extra\":{\"a\":[1,-2.5,true,false,null,{\"b\":\"c\"}],\"e\":1e5},\"version\":" },
    { "\"version\":", "\"n\":0123,\"version\":" },
    { "\"version\":", "\"n\":-,\"version\":" },
    { "\"answers\":[", "\"answers\":[{\"Rdata\":null,\"Type\":\"A\",\"Class\":\"IN\",\"TTL\":5}," },
    { "\"answers\":[", "\"answers\":[1," },
    { "\"answers\":[", "\"answers\":{\"a\":[" },
    { "\"srcids\":{", "\"srcids\":{\"other\":\"x\"," },
    { "\"srcids\":{", "\"srcids\":[{" },
    { "\"query_timestamp\":\"", "\"query_timestamp\":\"garbage" },
    { "\"query_timestamp\":\"2026", "\"query_timestamp\":\"2026" },
    { "\"srcaddr\":\"", "\"srcaddr\":\"\",\"s\":\"" },
    { "{", "  {" },
    { "{\"version\"", "{ \"version\" " },
    { "\"transport\":\"UDP\"", "\"transport\" : \"UDP\" " },
    { "}", "} trailing" },
    { "\"region\":\"", "\"region\":\"\\/\\b\\f\\n\\r" },
    { "\"region\":\"", "\"region\":\"\\x" },
    { "\"region\":\"", "\"region\":\"\\u12G4" },
    { "\"vpc_id\"", "\"vpc\\u005fid\"" },
    /* around the reading of the usual layout: its answers and srcids */
    { "\"Type\":\"A\",\"Class\":\"IN\"}", "\"Class\":\"IN\",\"Type\":\"A\"}" },
    { "\"Class\":\"IN\"}", "\"Class\":\"IN\",\"TTL\":\"60\"}" },
    { "\"Rdata\":\"", "\"Rdata\":\"\\u0041\xc3\xa9" },
    { "\"Rdata\":\"", "\"Rdata\":\"\xc3" },
    { "\"instance\":\"", "\"instance\":\"\\\"" },
    { "\"instance\":\"", "\"instance\":\"\xe2\x82\xac" },
    { "\"srcids\":{\"instance\":\"", "\"srcids\":{\"resolver_endpoint\":\"" },
    { "\"srcids\":{", "\"srcids\":{\"instance\":\"a\",\"instance\":\"" },
    { "\"rcode\":\"", "\"rcode\":\"\x01" },
    { "\"answers\":[", "\"answers\":[ " },
    { "\"answers\":[", "\"answers\":[{},{\"Rdata\":\"1.2.3.4\"}," },
    { "}}", "} }" },
    { "}}", "}}}" },
    /* escapes in a member that is only skipped are checked too */
    { "\"version\":", "\"x\":\"a\\q\",\"version\":" },
    { "\"version\":", "\"x\":[\"\\u12\"],\"version\":" },
  };

  for (guint i = 0; lines[i] && *lines[i]; i++)
    {
      g_autofree char *line = NULL;
      guint pick = g_rand_int_range (rand, 0, 8);

      switch (pick)
        {
        case 0:
          line = reorder (lines[i], rand);
          break;
        case 1:
          {
            guint e = g_rand_int_range (rand, 0, G_N_ELEMENTS (edits));
            line = replace (lines[i], edits[e][0], edits[e][1]);
          }
          break;
        case 2:
          /* truncation at any point */
          line = g_strndup (lines[i], g_rand_int_range (rand, 0, strlen (lines[i]) + 1));
          break;
        case 3:
          {
            /* a missing field */
            static const char *drop[] = { "\"query_name\":", "\"srcaddr\":",
                                          "\"query_timestamp\":", "\"rcode\":" };
            line = replace (lines[i], drop[g_rand_int_range (rand, 0, 4)], "\"dropped\":");
          }
          break;
        case 4:
          line = g_strdup_printf ("2026-03-02T10:00:00.000Z %s", lines[i]);
          break;
        case 5:
          line = g_strdup_printf ("%s\r", lines[i]);
          break;
        default:
          line = g_strdup (lines[i]);
          break;
        }
      g_string_append (corpus, line);
      g_string_append_c (corpus, '\n');
    }

  /* well over the chunk size, so several chunks merge */
  while (corpus->len < 10 * 1024 * 1024)
    g_string_append_len (corpus, corpus->str, MIN (corpus->len, 4 * 1024 * 1024));
  check_same (corpus->str, corpus->len, 0.5);
}

static void
test_shapes (void)
{
  g_autofree char *rec = test_record_line (&(TestRecord) { .name = "shape.example." });
  g_autofree char *quoted = NULL;
  g_autofree char *doc = NULL;
  g_autofree char *fh = NULL;
  g_autofree char *mixed = NULL;

  g_strchomp (rec);
  quoted = g_strescape (rec, NULL);
  doc = g_strdup_printf ("{\n \"events\": [{\"message\": \"%s\"}]\n}\n", quoted);
  check_same (doc, strlen (doc), 0.0);
  fh = g_strdup_printf ("{\"logEvents\":[{\"message\":\"%s\"}]}{\"logEvents\":[]}\n", quoted);
  check_same (fh, strlen (fh), 0.0);
  mixed = g_strdup_printf ("%s\n%s{\"logEvents\":[{\"message\":\"%s\"}]}\n%s", rec, rec, quoted,
                           rec);
  check_same (mixed, strlen (mixed), 0.5);

  /* a line cut after a backslash inside a skipped member, and the rest of
   * it on the next line: two bad lines, not one record */
  {
    g_autofree char *cut = g_strdup_printf (
      "%s\n{\"query_timestamp\":\"2026-03-02T10:00:00Z\",\"query_name\":\"a.\","
      "\"srcaddr\":\"1.2.3.4\",\"x\":\"abc\\\n\"}\n%s\n", rec, rec);
    check_same (cut, strlen (cut), 0.5);
  }
}

static void
write_file (const char *dir,
            const char *name,
            const char *data,
            gsize       len,
            gboolean    gzip)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autoptr(GError) error = NULL;

  if (gzip)
    {
      g_autoptr(GZlibCompressor) z = g_zlib_compressor_new (G_ZLIB_COMPRESSOR_FORMAT_GZIP, 1);
      g_autoptr(GFile) file = g_file_new_for_path (path);
      g_autoptr(GOutputStream) raw = G_OUTPUT_STREAM (g_file_replace (file, NULL, FALSE, 0,
                                                                      NULL, &error));
      g_autoptr(GOutputStream) out = NULL;
      g_assert_no_error (error);
      out = g_converter_output_stream_new (raw, G_CONVERTER (z));
      g_output_stream_write_all (out, data, len, NULL, NULL, &error);
      g_assert_no_error (error);
      g_output_stream_close (out, NULL, &error);
      g_assert_no_error (error);
    }
  else
    {
      g_file_set_contents (path, data, len, &error);
      g_assert_no_error (error);
    }
}

/* A folder of inputs of every kind, read one after the other: the fast
 * reader goes on to the next input while the last chunks of the previous one
 * are still parsed, yet every source, count, line number and event comes
 * out as the reference reader's. */
static void
test_mixed_inputs (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("dnshunt-diff-XXXXXX", &error);
  gsize len;
  g_autofree char *demo = demo_text (&len);
  g_autoptr(GString) big = g_string_new (NULL);
  g_autofree char *rec = test_record_line (&(TestRecord) { .name = "pretty.example." });
  g_autofree char *quoted = NULL;
  g_autofree char *pretty = NULL;
  g_autoptr(GBytes) truncated = NULL;
  g_autoptr(DhEventStore) ref_store = dh_event_store_new ();
  g_autoptr(DhEventStore) fast_store = dh_event_store_new ();
  g_autoptr(DhReader) ref = dh_reader_new (ref_store);
  g_autoptr(DhReader) fast = dh_reader_new (fast_store);
  g_autofree char *diff = NULL;

  g_assert_no_error (error);
  /* several chunks, with bad lines among them and a last line without newline */
  while (big->len < 9 * 1024 * 1024)
    {
      g_string_append_len (big, demo, len);
      g_string_append (big, "{\"version\":\"1.1\",\"broken\n[1,2]\n");
    }
  g_string_append (big, "{\"query_timestamp\":\"2026-03-02T10:00:00Z\",\"query_name\":"
                   "\"last.example.\",\"srcaddr\":\"10.0.0.1\"}");
  write_file (dir, "a-big.log.gz", big->str, big->len, TRUE);
  write_file (dir, "b-small.log.gz", demo, 3000, TRUE);
  g_strchomp (rec);
  quoted = g_strescape (rec, NULL);
  pretty = g_strdup_printf ("{\n \"events\": [{\"message\": \"%s\"},\n  {\"message\": 5}]\n}\n",
                            quoted);
  write_file (dir, "c-pretty.json", pretty, strlen (pretty), FALSE);
  write_file (dir, "d-plain.log", demo, len / 3, FALSE);
  write_file (dir, "e-empty.log", "", 0, FALSE);
  write_file (dir, "f-more.log.gz", demo, len, TRUE);
  {
    /* cut short: an error for this input, the others read */
    g_autofree char *path = g_build_filename (dir, "f-more.log.gz", NULL);
    g_autofree char *gz = NULL;
    gsize gz_len;
    g_file_get_contents (path, &gz, &gz_len, &error);
    g_assert_no_error (error);
    write_file (dir, "g-cut.log", gz, gz_len / 2, FALSE);
  }
  write_file (dir, "h-export.log", "2026-03-02T10:00:00.000Z ", 25, FALSE);
  {
    /* a line longer than a chunk, between two records, in a mapped file */
    g_autoptr(GString) longl = g_string_new (NULL);
    g_autofree char *r = test_record_line (&(TestRecord) { .name = "around.example." });
    g_string_append (longl, r);
    g_string_append_c (longl, '{');
    while (longl->len < 5 * 1024 * 1024)
      g_string_append (longl, "\"k\":1,");
    g_string_append (longl, "\"k\":1}\n");
    g_string_append (longl, r);
    write_file (dir, "i-long.log", longl->str, longl->len, FALSE);
  }

  dh_reader_set_reference_only (ref, TRUE);
  dh_reader_set_reference_only (fast, FALSE);
  g_assert_true (dh_reader_add_path (ref, dir, &error));
  g_assert_true (dh_reader_add_path (fast, dir, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (dh_reader_get_n_inputs (fast), ==, 9);
  g_assert_true (dh_reader_run (ref, NULL, NULL));
  g_assert_true (dh_reader_run (fast, NULL, NULL));
  diff = dh_store_compare (ref, fast);
  if (diff)
    g_error ("fast and reference paths differ: %s", diff);
  g_assert_cmpuint (dh_reader_get_errors (fast)->len, ==, 1);
  g_assert_cmpuint (dh_reader_get_errors (ref)->len, ==, 1);
  g_assert_cmpuint (dh_event_store_get_n_sources (fast_store), ==, 9);
  g_assert_cmpuint (dh_reader_get_n_fast (fast), >, dh_event_store_get_n_events (fast_store) / 2);
  g_test_message ("%u events in %u sources, %" G_GUINT64_FORMAT " rejected",
                  dh_event_store_get_n_events (fast_store),
                  dh_event_store_get_n_sources (fast_store),
                  dh_event_store_get_n_rejected (fast_store));

  {
    g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
    const char *name;
    while ((name = g_dir_read_name (d)))
      {
        g_autofree char *path = g_build_filename (dir, name, NULL);
        g_unlink (path);
      }
    g_rmdir (dir);
  }
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/differential/samples", test_samples);
  g_test_add_func ("/differential/demo", test_demo);
  g_test_add_func ("/differential/mutations", test_mutations);
  g_test_add_func ("/differential/shapes", test_shapes);
  g_test_add_func ("/differential/mixed-inputs", test_mixed_inputs);
  return g_test_run ();
}
