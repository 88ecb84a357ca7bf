/* test-sigv4.c: the signer against every vector in tests/data/sigv4/
 *
 * Each vector's raw request (.req) is signed with the suite's parameters; the
 * canonical request (.creq), string to sign (.sts) and Authorization header
 * (.authz) must match byte for byte. A session token shown in the .creq but
 * absent from the .req is added as X-Amz-Security-Token before signing (the
 * token is signed); post-sts-header-after signs without it, as the suite means.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include <gio/gio.h>

#include "dh-sigv4.h"

#define ACCESS_KEY "AKIDEXAMPLE"
#define SECRET_KEY "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
#define REGION     "us-east-1"

typedef struct
{
  char *dir;
  char *name;
} Vector;

static char *
read_text (const char *dir,
           const char *name,
           const char *ext)
{
  g_autofree char *file = g_strconcat (name, ext, NULL);
  g_autofree char *path = g_build_filename (dir, file, NULL);
  g_autoptr(GError) error = NULL;
  char *text = NULL;

  g_file_get_contents (path, &text, NULL, &error);
  g_assert_no_error (error);
  return text;
}

static void
find_vectors (const char *dir,
              GPtrArray  *out)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  const char *entry;

  g_assert_nonnull (d);
  while ((entry = g_dir_read_name (d)))
    {
      g_autofree char *path = g_build_filename (dir, entry, NULL);
      if (g_file_test (path, G_FILE_TEST_IS_DIR))
        find_vectors (path, out);
      else if (g_str_has_suffix (entry, ".req"))
        {
          Vector *v = g_new0 (Vector, 1);
          v->dir = g_strdup (dir);
          v->name = g_strndup (entry, strlen (entry) - 4);
          g_ptr_array_add (out, v);
        }
    }
}

static void
vector_free (gpointer data)
{
  Vector *v = data;

  g_free (v->dir);
  g_free (v->name);
  g_free (v);
}

/* The value of a "name:value" line in a canonical request, or NULL. */
static char *
creq_header (const char *creq,
             const char *name)
{
  g_auto(GStrv) lines = g_strsplit (creq, "\n", -1);
  g_autofree char *prefix = g_strconcat (name, ":", NULL);

  for (guint i = 0; lines[i]; i++)
    if (g_str_has_prefix (lines[i], prefix))
      return g_strdup (lines[i] + strlen (prefix));
  return NULL;
}

static int
compare_vectors (gconstpointer a,
                 gconstpointer b)
{
  const Vector *x = *(Vector * const *) a, *y = *(Vector * const *) b;

  return strcmp (x->name, y->name);
}

static void
test_vector (gconstpointer data)
{
  const Vector *v = data;
  g_autofree char *req = read_text (v->dir, v->name, ".req");
  g_autofree char *creq = read_text (v->dir, v->name, ".creq");
  g_autofree char *sts = read_text (v->dir, v->name, ".sts");
  g_autofree char *authz = read_text (v->dir, v->name, ".authz");
  g_autofree char *token = creq_header (creq, "x-amz-security-token");
  g_autoptr(GArray) headers = g_array_new (FALSE, FALSE, sizeof (DhSigv4Header));
  g_auto(DhSigv4Result) result = { 0 };
  g_auto(GStrv) request_line = NULL;
  g_autofree char *path = NULL;
  const char *query = NULL;
  const char *amz_date = NULL;
  const char *body = "";
  char *head_end, *line, *next, *q;
  gboolean has_token = FALSE;
  DhSigv4Request request = { 0 };
  DhSigv4Params params = { ACCESS_KEY, SECRET_KEY, REGION, NULL, NULL };

  /* .req: request line, "Name:value" headers, a blank line, the body */
  head_end = strstr (req, "\n\n");
  if (head_end)
    {
      *head_end = '\0';
      body = head_end + 2;
    }
  line = req;
  next = strchr (line, '\n');
  if (next)
    *next++ = '\0';
  request_line = g_strsplit (line, " ", 3);
  g_assert_cmpuint (g_strv_length (request_line), ==, 3);
  path = g_strdup (request_line[1]);
  q = strchr (path, '?');
  if (q)
    {
      *q = '\0';
      query = q + 1;
    }

  for (line = next; line && *line; line = next)
    {
      char *colon;
      DhSigv4Header h;

      next = strchr (line, '\n');
      if (next)
        *next++ = '\0';
      colon = strchr (line, ':');
      g_assert_nonnull (colon);
      *colon = '\0';
      h.name = line;
      h.value = colon + 1;
      if (g_ascii_strcasecmp (h.name, "X-Amz-Date") == 0)
        amz_date = g_strstrip ((char *) h.value);
      if (g_ascii_strcasecmp (h.name, "X-Amz-Security-Token") == 0)
        has_token = TRUE;
      g_array_append_val (headers, h);
    }
  if (token && !has_token)
    {
      DhSigv4Header h = { "X-Amz-Security-Token", token };
      g_array_append_val (headers, h);
    }
  g_assert_nonnull (amz_date);

  request.method = request_line[0];
  request.path = path;
  request.query = query;
  request.headers = (const DhSigv4Header *) headers->data;
  request.n_headers = headers->len;
  request.payload = body;
  request.payload_len = strlen (body);
  params.service = g_str_has_prefix (v->name, "logs-") ? "logs" : "service";
  params.amz_date = amz_date;

  dh_sigv4_sign (&request, &params, &result);
  g_assert_cmpstr (result.canonical_request, ==, creq);
  g_assert_cmpstr (result.string_to_sign, ==, sts);
  g_assert_cmpstr (result.authorization, ==, authz);

  /* The secret never reaches anything the signer returns. */
  g_assert_null (strstr (result.canonical_request, SECRET_KEY));
  g_assert_null (strstr (result.string_to_sign, SECRET_KEY));
  g_assert_null (strstr (result.authorization, SECRET_KEY));
}

static void
test_all_found (gconstpointer data)
{
  const GPtrArray *vectors = data;

  /* Every vector shipped is run; a vector lost from the tree fails here. */
  g_assert_cmpuint (vectors->len, ==, 10);
}

static void
test_date_format (void)
{
  char buf[DH_SIGV4_DATE_SIZE];

  dh_sigv4_format_date (G_GINT64_CONSTANT (1440938160) * G_USEC_PER_SEC + 999999, buf);
  g_assert_cmpstr (buf, ==, "20150830T123600Z");
}

static void
test_signature_depends_on_date (void)
{
  DhSigv4Header h[] = { { "Host", "logs.us-east-1.amazonaws.com" },
                        { "X-Amz-Date", "20150830T123600Z" } };
  DhSigv4Request request = { "POST", "/", NULL, h, G_N_ELEMENTS (h), "{}", 2 };
  DhSigv4Params params = { ACCESS_KEY, SECRET_KEY, REGION, "logs", "20150830T123600Z" };
  g_auto(DhSigv4Result) a = { 0 };
  g_auto(DhSigv4Result) b = { 0 };

  dh_sigv4_sign (&request, &params, &a);
  h[1].value = params.amz_date = "20150830T123601Z";
  dh_sigv4_sign (&request, &params, &b);
  g_assert_cmpstr (a.signature, !=, b.signature);
  g_assert_cmpstr (a.signed_headers, ==, "host;x-amz-date");
}

static void
test_canonical_forms (void)
{
  DhSigv4Header h[] = { { "Host", "example.amazonaws.com" },
                        { "X-Amz-Date", "20150830T123600Z" },
                        { "My-Header", "  b  " },
                        { "my-header", "a" } };
  DhSigv4Request request = { "GET", "/a//b/./c/../d e/", "b=2&a=x%2By&a=1&c", h,
                             G_N_ELEMENTS (h), NULL, 0 };
  DhSigv4Params params = { ACCESS_KEY, SECRET_KEY, REGION, "service", "20150830T123600Z" };
  g_auto(DhSigv4Result) r = { 0 };

  dh_sigv4_sign (&request, &params, &r);
  g_assert_true (g_str_has_prefix (r.canonical_request,
                                   "GET\n/a/b/d%20e/\na=1&a=x%2By&b=2&c=\n"
                                   "host:example.amazonaws.com\nmy-header:b,a\n"));
  g_assert_cmpstr (r.signed_headers, ==, "host;my-header;x-amz-date");
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GPtrArray) vectors = g_ptr_array_new_with_free_func (vector_free);
  g_autofree char *dir = NULL;

  g_test_init (&argc, &argv, NULL);
  dir = g_test_build_filename (G_TEST_DIST, "data", "sigv4", NULL);
  find_vectors (dir, vectors);
  g_ptr_array_sort (vectors, compare_vectors);

  g_test_add_data_func ("/sigv4/all-vectors-found", vectors, test_all_found);
  for (guint i = 0; i < vectors->len; i++)
    {
      Vector *v = vectors->pdata[i];
      g_autofree char *name = g_strconcat ("/sigv4/vector/", v->name, NULL);
      g_test_add_data_func (name, v, test_vector);
    }
  g_test_add_func ("/sigv4/date-format", test_date_format);
  g_test_add_func ("/sigv4/signature-depends-on-date", test_signature_depends_on_date);
  g_test_add_func ("/sigv4/canonical-forms", test_canonical_forms);
  return g_test_run ();
}
