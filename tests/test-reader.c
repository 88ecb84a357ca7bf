/* test-reader.c: every input shape, the real samples, and hostile input
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "dh-gunzip.h"
#include "dh-reader-private.h"
#include "dh-time.h"
#include "dh-test-util.h"

typedef struct
{
  DhEventStore *store;
  DhReader     *reader;
} Fixture;

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  f->store = dh_event_store_new ();
  f->reader = dh_reader_new (f->store);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  dh_reader_free (f->reader);
  dh_event_store_unref (f->store);
}

static const char *
str (Fixture *f,
     guint32  id)
{
  return dh_event_store_get_string (f->store, id);
}

static const DhEvent *
event (Fixture *f,
       guint    i)
{
  return dh_event_store_get_event (f->store, i);
}

static char *
iso (gint64 t)
{
  char buf[DH_TIME_FORMAT_SIZE];
  return g_strdup (dh_time_format (t, buf));
}

static GBytes *
gzip_bytes (const char *data,
            gsize       len)
{
  g_autoptr(GZlibCompressor) z = g_zlib_compressor_new (G_ZLIB_COMPRESSOR_FORMAT_GZIP, 6);
  g_autoptr(GOutputStream) mem = g_memory_output_stream_new_resizable ();
  g_autoptr(GOutputStream) out = g_converter_output_stream_new (mem, G_CONVERTER (z));
  g_autoptr(GError) error = NULL;

  g_output_stream_write_all (out, data, len, NULL, NULL, &error);
  g_assert_no_error (error);
  g_output_stream_close (out, NULL, &error);
  g_assert_no_error (error);
  return g_memory_output_stream_steal_as_bytes (G_MEMORY_OUTPUT_STREAM (mem));
}

static void
read_text (Fixture    *f,
           const char *text)
{
  g_autoptr(GError) error = NULL;

  dh_reader_read_bytes (f->reader, "input", text, strlen (text), &error);
  g_assert_no_error (error);
}

static void
read_sample (Fixture    *f,
             const char *name)
{
  g_autofree char *path = test_data_path (name);
  g_autoptr(GError) error = NULL;

  g_assert_true (dh_reader_add_path (f->reader, path, &error));
  g_assert_no_error (error);
}

static void
test_elastic_sample (Fixture       *f,
                     gconstpointer  data)
{
  const DhEvent *ev;
  const DhAnswer *ans;
  const DhOrigin *origin;
  g_autofree char *t = NULL;

  read_sample (f, "route53-samples/elastic-integrations-test-route53.log");
  g_assert_true (dh_reader_run (f->reader, NULL, NULL));
  g_assert_cmpuint (dh_reader_get_errors (f->reader)->len, ==, 0);
  g_assert_cmpuint (dh_event_store_get_n_events (f->store), ==, 10);
  g_assert_cmpuint (dh_event_store_get_n_rejected (f->store), ==, 0);

  ev = event (f, 0);
  t = iso (ev->time);
  g_assert_cmpstr (t, ==, "2021-12-11T22:46:23Z");
  g_assert_cmpstr (str (f, ev->name), ==, "does-not-exist.abc.com.");
  g_assert_cmpstr (str (f, ev->host), ==, "172.31.86.159");
  g_assert_cmpint (ev->rcode, ==, DH_RCODE_NXDOMAIN);
  g_assert_cmpint (ev->qtype, ==, DH_QTYPE_A);
  g_assert_cmpint (ev->transport, ==, DH_TRANSPORT_UDP);
  g_assert_cmpint (ev->qclass, ==, DH_QCLASS_IN);
  g_assert_cmpuint (ev->srcport, ==, 48701);
  g_assert_cmpuint (ev->n_answers, ==, 0);
  g_assert_cmpuint (ev->srcid, ==, DH_STR_EMPTY);
  origin = dh_event_store_get_origin (f->store, ev->origin);
  g_assert_cmpstr (str (f, origin->account), ==, "626345947581");
  g_assert_cmpstr (str (f, origin->region), ==, "us-east-1");
  g_assert_cmpstr (str (f, origin->vpc), ==, "vpc-01e31a7c");
  g_assert_cmpstr (str (f, origin->version), ==, "1.100000");

  /* CNAME chain: two answers, in order */
  ev = event (f, 3);
  g_assert_cmpint (ev->qtype, ==, DH_QTYPE_AAAA);
  g_assert_cmpuint (ev->n_answers, ==, 2);
  ans = dh_event_store_get_answers (f->store, ev);
  g_assert_cmpstr (str (f, ans[0].rdata), ==, "s3-r-w.dualstack.us-east-1.amazonaws.com.");
  g_assert_cmpint (ans[0].type, ==, DH_QTYPE_CNAME);
  g_assert_cmpstr (str (f, ans[1].rdata), ==, "2a02:cf40:add:4002:91f2:a9b2:e09a:6fc6");
  g_assert_cmpint (ans[1].type, ==, DH_QTYPE_AAAA);

  /* four A answers */
  g_assert_cmpuint (event (f, 5)->n_answers, ==, 4);

  /* srcids.instance */
  ev = event (f, 6);
  g_assert_cmpstr (str (f, ev->srcid), ==, "i-079c44232510ca8ff");
  g_assert_true (ev->flags & DH_EVENT_SRCID_INSTANCE);

  /* DNS Firewall BLOCK, keys in another order */
  ev = event (f, 8);
  g_assert_true (ev->flags & DH_EVENT_FIREWALL);
  g_assert_cmpstr (str (f, dh_event_store_get_firewall (f->store, 8)->action), ==, "BLOCK");
  g_assert_cmpstr (str (f, dh_event_store_get_firewall (f->store, 8)->group), ==,
                   "rslvr-frg-01234567890abcdef");
  g_assert_null (dh_event_store_get_firewall (f->store, 7));
  g_clear_pointer (&t, g_free);
  t = iso (ev->time);
  g_assert_cmpstr (t, ==, "2021-02-04T17:51:55Z");

  /* a name without the trailing dot is kept as logged */
  ev = event (f, 9);
  g_assert_true (g_str_has_suffix (str (f, ev->name), ".ip6.arpa"));
  g_assert_cmpint (ev->qtype, ==, DH_QTYPE_PTR);
}

static void
test_pretty_samples (Fixture       *f,
                     gconstpointer  data)
{
  const DhEvent *ev;
  const DhOrigin *origin;

  read_sample (f, "route53-samples/aws-docs-example.json");
  read_sample (f, "route53-samples/opensearch-dns-sample.json");
  g_assert_true (dh_reader_run (f->reader, NULL, NULL));
  g_assert_cmpuint (dh_event_store_get_n_events (f->store), ==, 2);
  g_assert_cmpuint (dh_event_store_get_n_rejected (f->store), ==, 0);

  ev = event (f, 0);
  g_assert_cmpstr (str (f, ev->name), ==, "15.3.4.32.in-addr.arpa.");
  g_assert_cmpstr (str (f, ev->srcid), ==, "i-0d15cd0d3example");
  g_assert_cmpstr (str (f, dh_event_store_get_firewall (f->store, 0)->action), ==, "BLOCK");

  ev = event (f, 1);
  g_assert_cmpstr (str (f, ev->srcid), ==, "rslvr-in-0000000000000000");
  g_assert_true (ev->flags & DH_EVENT_SRCID_RESOLVER);
  origin = dh_event_store_get_origin (f->store, ev->origin);
  g_assert_cmpstr (str (f, origin->interface), ==, "rni-0000000000000000");
  g_assert_cmpstr (str (f, dh_event_store_get_firewall (f->store, 1)->action), ==, "ALERT");
  g_assert_cmpuint (dh_event_store_get_n_sources (f->store), ==, 2);
}

static char *
sample_ndjson (guint n)
{
  GString *s = g_string_new (NULL);

  for (guint i = 0; i < n; i++)
    {
      g_autofree char *name = g_strdup_printf ("host%u.example.com.", i);
      g_autofree char *line = test_record_line (&(TestRecord) { .name = name });
      g_string_append (s, line);
    }
  return g_string_free (s, FALSE);
}

static void
test_gzip (Fixture       *f,
           gconstpointer  data)
{
  g_autofree char *text = sample_ndjson (500);
  g_autoptr(GBytes) gz = gzip_bytes (text, strlen (text));
  g_autoptr(GBytes) gz2 = gzip_bytes (text, 100);
  g_autoptr(GByteArray) multi = g_byte_array_new ();
  g_autoptr(GError) error = NULL;
  gsize len;
  const guint8 *p;

  p = g_bytes_get_data (gz, &len);
  g_assert_true (dh_reader_read_bytes (f->reader, "a.log.gz", (const char *) p, len, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (dh_event_store_get_n_events (f->store), ==, 500);

  /* several gzip members in one object, as S3 and Firehose write them */
  g_byte_array_append (multi, p, len);
  p = g_bytes_get_data (gz2, &len);
  g_byte_array_append (multi, p, len);
  g_assert_true (dh_reader_read_bytes (f->reader, "b.log.gz", (const char *) multi->data,
                                       multi->len, &error));
  g_assert_no_error (error);
  /* the second member holds the first 100 bytes: no complete record, one reject */
  g_assert_cmpuint (dh_event_store_get_source (f->store, 1)->n_events, ==, 500);
  g_assert_cmpuint (dh_event_store_get_source (f->store, 1)->n_rejected, ==, 1);
}

/* DhGunzip alone goes from one member to the next and over zero padding, as
 * gzip -d does: through a GConverterInputStream (one read loop, no reader) a
 * stream of two members and padding gives both members' bytes; fed a few
 * bytes at a time, the same; anything else after a member is an error. */
static void
test_gunzip_members (Fixture       *f,
                     gconstpointer  data)
{
  const char *a = "first member\n", *b = "second member, after the first\n";
  g_autoptr(GBytes) gz_a = gzip_bytes (a, strlen (a));
  g_autoptr(GBytes) gz_b = gzip_bytes (b, strlen (b));
  g_autoptr(GByteArray) stream = g_byte_array_new ();
  g_autofree char *expected = g_strconcat (a, b, NULL);
  static const guint8 zeros[64] = { 0 };

  g_byte_array_append (stream, g_bytes_get_data (gz_a, NULL), g_bytes_get_size (gz_a));
  g_byte_array_append (stream, zeros, 17);
  g_byte_array_append (stream, g_bytes_get_data (gz_b, NULL), g_bytes_get_size (gz_b));
  g_byte_array_append (stream, zeros, sizeof zeros);

  {
    g_autoptr(GInputStream) raw = g_memory_input_stream_new_from_data (stream->data,
                                                                         stream->len, NULL);
    g_autoptr(GConverter) z = G_CONVERTER (dh_gunzip_new ());
    g_autoptr(GInputStream) in = g_converter_input_stream_new (raw, z);
    char buf[256];
    gsize n = 0;
    g_autoptr(GError) error = NULL;

    g_assert_true (g_input_stream_read_all (in, buf, sizeof buf, &n, NULL, &error));
    g_assert_no_error (error);
    g_assert_cmpmem (buf, n, expected, strlen (expected));
  }

  for (gsize step = 1; step <= 9; step += 2)
    {
      g_autoptr(GConverter) z = G_CONVERTER (dh_gunzip_new ());
      g_autoptr(GByteArray) out = g_byte_array_new ();
      GConverterResult res = G_CONVERTER_CONVERTED;
      gsize pos = 0, want = step;
      guint8 buf[7];

      while (res != G_CONVERTER_FINISHED)
        {
          gsize n = MIN (want, stream->len - pos), r = 0, w = 0;
          g_autoptr(GError) error = NULL;

          res = g_converter_convert (z, stream->data + pos, n, buf, sizeof buf,
                                     pos + n == stream->len ? G_CONVERTER_INPUT_AT_END : 0,
                                     &r, &w, &error);
          if (res == G_CONVERTER_ERROR)
            {
              g_assert_error (error, G_IO_ERROR, G_IO_ERROR_PARTIAL_INPUT);
              g_assert_cmpuint (pos + n, <, stream->len);
              want++;
              continue;
            }
          want = step;
          pos += r;
          g_byte_array_append (out, buf, w);
        }
      g_assert_cmpuint (pos, ==, stream->len);
      g_assert_cmpmem (out->data, out->len, expected, strlen (expected));
    }

  /* a member, then something that is not gzip */
  {
    g_autoptr(GConverter) z = G_CONVERTER (dh_gunzip_new ());
    g_autoptr(GError) error = NULL;
    g_autoptr(GByteArray) bad = g_byte_array_new ();
    guint8 buf[256];
    gsize pos = 0, r = 0, w = 0;
    GConverterResult res;

    g_byte_array_append (bad, g_bytes_get_data (gz_a, NULL), g_bytes_get_size (gz_a));
    g_byte_array_append (bad, (const guint8 *) "PK\3\4", 4);
    do
      {
        res = g_converter_convert (z, bad->data + pos, bad->len - pos, buf, sizeof buf,
                                   G_CONVERTER_INPUT_AT_END, &r, &w, &error);
        pos += r;
      }
    while (res == G_CONVERTER_CONVERTED);
    g_assert_cmpint (res, ==, G_CONVERTER_ERROR);
    g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
    g_assert_cmpuint (pos, ==, g_bytes_get_size (gz_a));
  }
}

static void
test_truncated_gzip (Fixture       *f,
                     gconstpointer  data)
{
  g_autofree char *text = sample_ndjson (5000);
  g_autoptr(GBytes) gz = gzip_bytes (text, strlen (text));
  g_autoptr(GError) error = NULL;
  gsize len;
  const char *p = g_bytes_get_data (gz, &len);
  guint n;

  g_assert_false (dh_reader_read_bytes (f->reader, "cut.log.gz", p, len / 2, &error));
  g_assert_error (error, DH_READER_ERROR, DH_READER_ERROR_TRUNCATED);
  g_assert_nonnull (strstr (error->message, "cut.log.gz"));
  n = dh_event_store_get_n_events (f->store);
  g_assert_cmpuint (n, >, 100);
  g_assert_cmpuint (n, <, 5000);
  /* the record cut in half is rejected, not half-read */
  g_assert_cmpuint (dh_event_store_get_n_rejected (f->store), <=, 1);

  /* garbage after a gzip member */
  g_clear_error (&error);
  {
    g_autoptr(GByteArray) bad = g_byte_array_new ();
    g_byte_array_append (bad, (const guint8 *) p, len);
    g_byte_array_append (bad, (const guint8 *) "JUNKJUNK", 8);
    g_assert_false (dh_reader_read_bytes (f->reader, "junk.gz", (const char *) bad->data,
                                          bad->len, &error));
    g_assert_error (error, DH_READER_ERROR, DH_READER_ERROR_UNREADABLE);
    g_assert_cmpuint (dh_event_store_get_n_events (f->store), ==, n + 5000);
  }

  /* a corrupt gzip header is a clear error, not a crash */
  g_clear_error (&error);
  g_assert_false (dh_reader_read_bytes (f->reader, "bad.gz", "\x1f\x8b\x08\xff\xff\xff", 6,
                                        &error));
  g_assert_nonnull (error);
}

/* The gzip trailer is checked: a wrong CRC-32 or length is a clear error,
 * the records before the end kept; and the decompressor gives the same bytes
 * however its input is cut. */
static void
test_gzip_checks (Fixture       *f,
                  gconstpointer  data)
{
  g_autofree char *text = sample_ndjson (2000);
  g_autoptr(GBytes) gz = gzip_bytes (text, strlen (text));
  gsize len;
  const guint8 *p = g_bytes_get_data (gz, &len);
  struct { gsize at; const char *says; } flips[] = {
    { len - 8, "CRC-32" },  /* the trailer's CRC-32 */
    { len - 3, "length" },  /* its length */
  };

  for (guint i = 0; i < G_N_ELEMENTS (flips); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree guint8 *bad = g_memdup2 (p, len);
      guint before = dh_event_store_get_n_events (f->store);

      bad[flips[i].at] ^= 0x01;
      g_assert_false (dh_reader_read_bytes (f->reader, "flip.log.gz", (const char *) bad, len,
                                            &error));
      g_assert_error (error, DH_READER_ERROR, DH_READER_ERROR_UNREADABLE);
      g_assert_nonnull (strstr (error->message, "flip.log.gz"));
      g_assert_nonnull (strstr (error->message, flips[i].says));
      /* every record was inflated before the trailer said it was wrong */
      g_assert_cmpuint (dh_event_store_get_n_events (f->store) - before, ==, 2000);
    }

  /* fed a few bytes at a time, the trailer spans many calls */
  for (gsize step = 1; step <= 13; step += 4)
    {
      g_autoptr(GConverter) z = G_CONVERTER (dh_gunzip_new ());
      g_autoptr(GByteArray) out = g_byte_array_new ();
      GConverterResult res = G_CONVERTER_CONVERTED;
      gsize pos = 0;
      guint8 buf[100];

      while (res != G_CONVERTER_FINISHED)
        {
          gsize n = MIN (step, len - pos), r = 0, w = 0;
          g_autoptr(GError) error = NULL;
          res = g_converter_convert (z, p + pos, n, buf, sizeof buf,
                                     pos + n == len ? G_CONVERTER_INPUT_AT_END : 0, &r, &w,
                                     &error);
          if (res == G_CONVERTER_ERROR)
            {
              g_assert_error (error, G_IO_ERROR, G_IO_ERROR_PARTIAL_INPUT);
              g_assert_cmpuint (pos + n, <, len);
              /* not enough input yet: offer more next time */
              step++;
              continue;
            }
          pos += r;
          g_byte_array_append (out, buf, w);
        }
      g_assert_cmpuint (pos, ==, len);
      g_assert_cmpmem (out->data, out->len, text, strlen (text));
    }
}

/* gzip holding a line of 300 MiB between two records: memory stays bounded
 * (the line is handed over in pieces of at most 256 MiB) and it is still one
 * line, rejected once with the serial scanner's reason, the records around
 * it read. */
static void
endless_line (const char *start,
              const char *reason)
{
  g_autoptr(DhEventStore) store = dh_event_store_new ();
  g_autoptr(DhReader) reader = dh_reader_new (store);
  g_autofree char *rec = test_record_line (&(TestRecord) { .name = "around.example." });
  g_autoptr(GZlibCompressor) z = g_zlib_compressor_new (G_ZLIB_COMPRESSOR_FORMAT_GZIP, 1);
  g_autoptr(GOutputStream) mem = g_memory_output_stream_new_resizable ();
  g_autoptr(GOutputStream) out = g_converter_output_stream_new (mem, G_CONVERTER (z));
  g_autofree char *junk = g_malloc (1024 * 1024);
  g_autoptr(GBytes) gz = NULL;
  g_autoptr(GError) error = NULL;
  const DhReject *rejects;
  guint n_rejects;

  memset (junk, 'x', 1024 * 1024);
  g_output_stream_write_all (out, rec, strlen (rec), NULL, NULL, &error);
  g_output_stream_write_all (out, start, strlen (start), NULL, NULL, &error);
  for (guint i = 0; i < 300 && error == NULL; i++)
    g_output_stream_write_all (out, junk, 1024 * 1024, NULL, NULL, &error);
  g_output_stream_write_all (out, "\n", 1, NULL, NULL, &error);
  g_output_stream_write_all (out, rec, strlen (rec), NULL, NULL, &error);
  g_output_stream_close (out, NULL, &error);
  g_assert_no_error (error);
  gz = g_memory_output_stream_steal_as_bytes (G_MEMORY_OUTPUT_STREAM (mem));

  g_assert_true (dh_reader_read_bytes (reader, "endless.log.gz", g_bytes_get_data (gz, NULL),
                                       g_bytes_get_size (gz), &error));
  g_assert_no_error (error);
  g_assert_cmpuint (dh_event_store_get_n_events (store), ==, 2);
  rejects = dh_reader_get_rejects (reader, &n_rejects);
  g_assert_cmpuint (n_rejects, ==, 1);
  g_assert_cmpuint (rejects[0].line, ==, 2);
  g_assert_cmpstr (rejects[0].reason, ==, reason);
}

static void
test_gzip_endless_line (Fixture       *f,
                        gconstpointer  data)
{
  endless_line ("", "not a JSON record");
  /* a JSON value that never ends within the limit */
  endless_line ("{\"k\":\"", "record larger than 256 MiB");
}

static void
test_cloudwatch_shapes (Fixture       *f,
                        gconstpointer  data)
{
  g_autofree char *rec = test_record_line (&(TestRecord) { .name = "cw.example.com." });
  g_autofree char *rec2 = test_record_line (&(TestRecord) { .name = "cw2.example.com." });
  g_autofree char *quoted = NULL;
  g_autofree char *quoted2 = NULL;
  g_autofree char *export = NULL;
  g_autofree char *filter = NULL;
  g_autofree char *firehose = NULL;
  g_autoptr(GBytes) firehose_gz = NULL;
  g_autoptr(GError) error = NULL;
  gsize len;
  const char *p;

  g_strchomp (rec);
  g_strchomp (rec2);
  quoted = g_strescape (rec, NULL);
  quoted2 = g_strescape (rec2, NULL);

  /* CloudWatch export to S3: "<timestamp> <json>" lines */
  export = g_strdup_printf ("2026-03-02T10:00:00.123Z %s\n2026-03-02T10:00:01.000Z %s\n", rec,
                            rec2);
  read_text (f, export);
  g_assert_cmpuint (dh_event_store_get_n_events (f->store), ==, 2);

  /* aws logs filter-log-events output, pretty-printed */
  filter = g_strdup_printf ("{\n  \"events\": [\n    {\n      \"logStreamName\": \"s\",\n"
                            "      \"timestamp\": 1772445600000,\n      \"message\": \"%s\",\n"
                            "      \"eventId\": \"1\"\n    },\n    {\n      \"message\": \"%s\"\n"
                            "    }\n  ],\n  \"searchedLogStreams\": []\n}\n", quoted, quoted2);
  read_text (f, filter);
  g_assert_cmpuint (dh_event_store_get_n_events (f->store), ==, 4);

  /* Firehose payloads concatenated with no separator, gzip */
  firehose = g_strdup_printf ("{\"messageType\":\"CONTROL_MESSAGE\",\"logEvents\":[]}"
                              "{\"messageType\":\"DATA_MESSAGE\",\"owner\":\"111122223333\","
                              "\"logGroup\":\"g\",\"logStream\":\"s\",\"logEvents\":["
                              "{\"id\":\"1\",\"timestamp\":1,\"message\":\"%s\"}]}"
                              "{\"messageType\":\"DATA_MESSAGE\",\"logEvents\":["
                              "{\"id\":\"2\",\"timestamp\":2,\"message\":\"%s\"},"
                              "{\"id\":\"3\",\"timestamp\":3,\"message\":\"not json\"}]}",
                              quoted, quoted2);
  firehose_gz = gzip_bytes (firehose, strlen (firehose));
  p = g_bytes_get_data (firehose_gz, &len);
  g_assert_true (dh_reader_read_bytes (f->reader, "firehose.gz", p, len, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (dh_event_store_get_n_events (f->store), ==, 6);
  g_assert_cmpuint (dh_event_store_get_n_rejected (f->store), ==, 1);
  g_assert_cmpstr (str (f, event (f, 5)->name), ==, "cw2.example.com.");
}

static void
test_other_shapes (Fixture       *f,
                   gconstpointer  data)
{
  g_autofree char *rec = test_record_line (&(TestRecord) { .time = "2026-03-02T10:00:00.5Z" });
  g_autofree char *array = NULL;
  g_autofree char *crlf = NULL;
  g_autofree char *bom = NULL;
  g_autofree char *t = NULL;

  g_strchomp (rec);
  array = g_strdup_printf ("[%s,\n %s]\n", rec, rec);
  read_text (f, array);
  g_assert_cmpuint (dh_event_store_get_n_events (f->store), ==, 2);

  crlf = g_strdup_printf ("%s\r\n\r\n%s\r\n", rec, rec);
  read_text (f, crlf);
  g_assert_cmpuint (dh_event_store_get_n_events (f->store), ==, 4);

  bom = g_strdup_printf ("\xef\xbb\xbf%s\n", rec);
  read_text (f, bom);
  g_assert_cmpuint (dh_event_store_get_n_events (f->store), ==, 5);
  g_assert_cmpuint (dh_event_store_get_n_rejected (f->store), ==, 0);

  t = iso (event (f, 0)->time);
  g_assert_cmpstr (t, ==, "2026-03-02T10:00:00.500Z");
}

static void
test_bad_lines (Fixture       *f,
                gconstpointer  data)
{
  g_autofree char *good = test_record_line (&(TestRecord) { .name = "good.example.com." });
  g_autoptr(GString) s = g_string_new (NULL);
  guint n_rejects;
  const DhReject *rejects;
  const guint expected_lines[] = { 2, 3, 5, 6, 7, 8, 9, 10, 11, 12 };

  g_string_append (s, good);                                           /* 1 */
  g_string_append (s, "hello world\n");                                /* 2 */
  g_string_append (s, "{\"version\":\"1.100000\",\"query_na\n");     /* 3 truncated */
  g_string_append (s, good);                                           /* 4 */
  g_string_append (s, "{\"query_name\":5,\"query_timestamp\":\"2026-03-02T10:00:00Z\","
                      "\"srcaddr\":\"10.0.0.1\"}\n");                  /* 5 wrong type */
  g_string_append (s, "{\"query_name\":\"a.example.\",\"srcaddr\":\"10.0.0.1\"}\n"); /* 6 */
  g_string_append (s, "{\"query_name\":\"a.example.\",\"srcaddr\":\"10.0.0.1\","
                      "\"query_timestamp\":\"yesterday\"}\n");          /* 7 bad time */
  g_string_append (s, "{\"unrelated\":true}\n");                       /* 8 */
  g_string_append (s, "[1,2,3]\n");                                    /* 9 */
  g_string_append (s, "{\"query_name\":\"a.\",\"srcaddr\":\"10.0.0.1\",\"query_timestamp\":"
                      "\"2026-03-02T10:00:00Z\",\"answers\":\"none\"}\n"); /* 10 */
  g_string_append (s, "\x01\x02\xff\xfe{{{]]\n");                      /* 11 binary junk */
  g_string_append (s, "{\"a\":1}}\n");                                 /* 12 stray brace */
  g_string_append (s, good);                                           /* 13 */
  g_string_append (s, "{\"query_name\":\"a.\"");                       /* 14 cut at EOF */

  read_text (f, s->str);
  g_assert_cmpuint (dh_event_store_get_n_events (f->store), ==, 3);
  rejects = dh_reader_get_rejects (f->reader, &n_rejects);
  g_assert_cmpuint (n_rejects, ==, G_N_ELEMENTS (expected_lines) + 1);
  g_assert_cmpuint (dh_event_store_get_n_rejected (f->store), ==, n_rejects);
  for (guint i = 0; i < G_N_ELEMENTS (expected_lines); i++)
    {
      g_assert_cmpuint (rejects[i].line, ==, expected_lines[i]);
      g_assert_nonnull (rejects[i].reason);
    }
  g_assert_cmpuint (rejects[n_rejects - 1].line, ==, 14);
  g_assert_cmpstr (rejects[2].reason, ==, "query_name is not a string");
  g_assert_cmpstr (rejects[3].reason, ==, "missing query_timestamp");
}

static void
test_first_line_truncated (Fixture       *f,
                           gconstpointer  data)
{
  g_autofree char *text = sample_ndjson (50);
  g_autofree char *bad = g_strconcat ("{\"version\":\"1.100000\",\"quer\n", text, NULL);
  guint n;
  const DhReject *rejects;

  /* A bad first line must not swallow the good ones after it. */
  read_text (f, bad);
  g_assert_cmpuint (dh_event_store_get_n_events (f->store), ==, 50);
  rejects = dh_reader_get_rejects (f->reader, &n);
  g_assert_cmpuint (n, ==, 1);
  g_assert_cmpuint (rejects[0].line, ==, 1);
}

static void
test_hostile (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(GString) s = g_string_new (NULL);
  g_autofree char *good = test_record_line (&(TestRecord) { .name = "ok.example.com." });
  g_autofree char *bad_utf8 = test_record_line (&(TestRecord) { .name = "x\xff\xfey.example." });
  const char *name;

  /* deep nesting */
  for (guint i = 0; i < 100000; i++)
    g_string_append_c (s, '[');
  g_string_append_c (s, '\n');
  /* a huge line of junk */
  for (guint i = 0; i < 4 * 1024 * 1024; i++)
    g_string_append_c (s, 'A');
  g_string_append_c (s, '\n');
  g_string_append (s, bad_utf8);
  g_string_append (s, good);
  /* NUL bytes */
  g_string_append_len (s, "\0\0\0{\"\0\"}\n", 9);
  g_string_append (s, good);

  {
    g_autoptr(GError) error = NULL;
    dh_reader_read_bytes (f->reader, "hostile", s->str, s->len, &error);
    g_assert_no_error (error);
  }
  g_assert_cmpuint (dh_event_store_get_n_events (f->store), ==, 3);
  g_assert_cmpuint (dh_event_store_get_n_rejected (f->store), ==, 3);
  name = str (f, event (f, 0)->name);
  g_assert_true (g_utf8_validate (name, -1, NULL));
  g_assert_cmpstr (name, ==, "x\xef\xbf\xbd\xef\xbf\xbdy.example.");
}

static void
test_unusual_values (Fixture       *f,
                     gconstpointer  data)
{
  read_text (f, "{\"srcids\":null,\"unknown\":{\"deep\":[1,2,{\"x\":null}]},\"rcode\":\"BADCOOKIE\","
                "\"query_type\":\"TYPE65534\",\"srcport\":12345,\"query_timestamp\":"
                "\"2026-03-02T10:00:00+02:00\",\"query_name\":\"odd.example.\",\"srcaddr\":"
                "\"2600:1f18:abcd::5\",\"transport\":\"QUIC\",\"answers\":null}\n");
  g_assert_cmpuint (dh_event_store_get_n_events (f->store), ==, 1);
  g_assert_cmpstr (dh_event_store_get_atom (f->store, DH_ATOMS_RCODE, event (f, 0)->rcode), ==,
                   "BADCOOKIE");
  g_assert_cmpstr (dh_event_store_get_atom (f->store, DH_ATOMS_QTYPE, event (f, 0)->qtype), ==,
                   "TYPE65534");
  g_assert_cmpstr (dh_event_store_get_atom (f->store, DH_ATOMS_TRANSPORT,
                                            event (f, 0)->transport), ==, "QUIC");
  g_assert_cmpstr (dh_event_store_get_atom (f->store, DH_ATOMS_QCLASS, event (f, 0)->qclass), ==,
                   "");
  g_assert_cmpuint (event (f, 0)->srcport, ==, 12345);
  {
    g_autofree char *t = iso (event (f, 0)->time);
    g_assert_cmpstr (t, ==, "2026-03-02T08:00:00Z");
  }
}

static void
write_gz (const char *path,
          const char *text)
{
  g_autoptr(GBytes) gz = gzip_bytes (text, strlen (text));
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_path_get_dirname (path);

  g_mkdir_with_parents (dir, 0700);
  g_file_set_contents (path, g_bytes_get_data (gz, NULL), g_bytes_get_size (gz), &error);
  g_assert_no_error (error);
}

static void
rm_rf (const char *path)
{
  g_autofree char *cmd = g_strdup_printf ("rm -rf '%s'", path);
  g_assert_cmpint (system (cmd), ==, 0);
}

static void
test_directory_tree (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *tmp = g_dir_make_tmp ("dnshunt-tree-XXXXXX", &error);
  g_autofree char *base = g_build_filename (tmp, "AWSLogs", "111122223333", "vpcdnsquerylogs",
                                            "vpc-0abc", "2026", "03", "02", NULL);
  g_autofree char *a = g_build_filename (base, "vpc-0abc_vpcdnsquerylogs_111122223333_"
                                         "20260302T1000Z_0a1b2c3d.log.gz", NULL);
  g_autofree char *b = g_build_filename (base, "vpc-0abc_vpcdnsquerylogs_111122223333_"
                                         "20260302T1005Z_4e5f6a7b.log.gz", NULL);
  g_autofree char *other = g_build_filename (tmp, "notes.txt", NULL);
  g_autofree char *text = sample_ndjson (30);

  g_assert_no_error (error);
  write_gz (a, text);
  write_gz (b, text);
  g_file_set_contents (other, "not a log", -1, NULL);

  g_assert_true (dh_reader_add_path (f->reader, tmp, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (dh_reader_get_n_inputs (f->reader), ==, 2);
  g_assert_true (dh_reader_run (f->reader, NULL, NULL));
  g_assert_cmpuint (dh_event_store_get_n_events (f->store), ==, 60);
  g_assert_cmpuint (dh_reader_get_bytes_done (f->reader), ==,
                    dh_reader_get_bytes_total (f->reader));

  /* a missing file is an error naming it; the rest is still read */
  g_assert_false (dh_reader_add_path (f->reader, "/nonexistent/x.log", &error));
  g_assert_nonnull (strstr (error->message, "/nonexistent/x.log"));
  rm_rf (tmp);
}

static void
test_cancel (Fixture       *f,
             gconstpointer  data)
{
  g_autofree char *text = sample_ndjson (20000);
  g_autoptr(GInputStream) in = g_memory_input_stream_new_from_data (text, strlen (text), NULL);
  g_autoptr(GCancellable) cancel = g_cancellable_new ();
  g_autoptr(GError) error = NULL;

  g_cancellable_cancel (cancel);
  g_assert_false (dh_reader_read_stream (f->reader, "big", in, cancel, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpuint (dh_event_store_get_n_events (f->store), <, 20000);
}

typedef struct
{
  const char *path;
  goffset     cut;
  guint       calls;
} CutAt;

static void
cut_on_first_progress (DhReader *reader,
                       gpointer  user_data)
{
  CutAt *cut = user_data;

  if (cut->calls++ == 0)
    g_assert_cmpint (truncate (cut->path, cut->cut), ==, 0);
}

/* logrotate's copytruncate: the file shrinks while it is read. Mapped, this
 * was SIGBUS; now an error naming the file, the records before the cut kept. */
static void
test_truncated_while_read (Fixture       *f,
                           gconstpointer  data)
{
  const guint n = 60000;  /* ~20 MB: several chunks */
  g_autofree char *text = sample_ndjson (n);
  g_autofree char *dir = g_dir_make_tmp ("dh-cut-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "rotating.log", NULL);
  const char *third = text;
  g_autoptr(GError) error = NULL;
  CutAt cut = { path, 0, 0 };
  GPtrArray *errors;

  for (guint i = 0; i < 3; i++)
    third = strchr (third, '\n') + 1;
  cut.cut = third - text + 40;  /* three records and a piece of the fourth */
  g_assert_true (g_file_set_contents (path, text, -1, NULL));
  g_assert_true (dh_reader_add_path (f->reader, path, &error));
  dh_reader_set_progress_func (f->reader, cut_on_first_progress, &cut);
  g_assert_true (dh_reader_run (f->reader, NULL, &error));
  g_assert_no_error (error);

  g_assert_cmpuint (cut.calls, >, 0);
  g_assert_cmpuint (dh_event_store_get_n_events (f->store), >=, 3);
  g_assert_cmpuint (dh_event_store_get_n_events (f->store), <, n);
  g_assert_cmpstr (str (f, event (f, 0)->name), ==, "host0.example.com.");
  errors = dh_reader_get_errors (f->reader);
  g_assert_cmpuint (errors->len, ==, 1);
  g_assert_error ((GError *) errors->pdata[0], DH_READER_ERROR, DH_READER_ERROR_TRUNCATED);
  g_assert_nonnull (strstr (((GError *) errors->pdata[0])->message, "rotating.log"));
  g_unlink (path);
  g_rmdir (dir);
}

/* Blank lines cost nothing each: a run of them was once scanned again for
 * every line of it (a 1 MB file took hours). */
static void
test_blank_lines (Fixture       *f,
                  gconstpointer  data)
{
  g_autofree char *good = test_record_line (&(TestRecord) { .name = "ok.example.com." });
  g_autoptr(GString) s = g_string_new (good);
  g_autofree char *dir = g_dir_make_tmp ("dh-blank-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "blank.log", NULL);
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < 1000000; i++)
    g_string_append (s, i % 2 ? "\n" : " \r\n");
  g_string_append (s, good);
  /* mapped (the parallel path) and as a stream (the serial one) */
  g_assert_true (g_file_set_contents (path, s->str, s->len, NULL));
  g_assert_true (dh_reader_add_path (f->reader, path, &error));
  g_assert_true (dh_reader_run (f->reader, NULL, &error));
  g_assert_no_error (error);
  dh_reader_read_bytes (f->reader, "blank", s->str, s->len, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (dh_event_store_get_n_events (f->store), ==, 4);
  g_assert_cmpuint (dh_event_store_get_n_rejected (f->store), ==, 0);
  g_unlink (path);
  g_rmdir (dir);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("/reader/samples/elastic", test_elastic_sample);
  ADD ("/reader/samples/pretty", test_pretty_samples);
  ADD ("/reader/gzip", test_gzip);
  ADD ("/reader/gzip-truncated", test_truncated_gzip);
  ADD ("/reader/gunzip-members", test_gunzip_members);
  ADD ("/reader/gzip-checks", test_gzip_checks);
  ADD ("/reader/gzip-endless-line", test_gzip_endless_line);
  ADD ("/reader/cloudwatch-shapes", test_cloudwatch_shapes);
  ADD ("/reader/other-shapes", test_other_shapes);
  ADD ("/reader/bad-lines", test_bad_lines);
  ADD ("/reader/first-line-truncated", test_first_line_truncated);
  ADD ("/reader/hostile", test_hostile);
  ADD ("/reader/unusual-values", test_unusual_values);
  ADD ("/reader/directory-tree", test_directory_tree);
  ADD ("/reader/cancel", test_cancel);
  ADD ("/reader/truncated-while-read", test_truncated_while_read);
  ADD ("/reader/blank-lines", test_blank_lines);
  return g_test_run ();
}
