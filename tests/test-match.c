/* test-match.c: domain-name tests shared by the rules
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "dh-match.h"

static gboolean
covers (DhDomainSet *set,
        const char  *name)
{
  char norm[DH_NAME_MAX];
  gsize len = dh_name_normalize (name, strlen (name), norm);

  return dh_domain_set_covers (set, norm, len);
}

static void
test_domain_set (void)
{
  g_autoptr(DhDomainSet) set = dh_domain_set_new ();

  dh_domain_set_add (set, "PasteBin.com.");
  dh_domain_set_add (set, "*.supportxmr.com");
  dh_domain_set_add (set, " xmr.nanopool.org ");
  g_assert_cmpuint (dh_domain_set_get_size (set), ==, 3);

  g_assert_true (covers (set, "pastebin.com"));
  g_assert_true (covers (set, "PASTEBIN.COM."));
  g_assert_true (covers (set, "a.b.pastebin.com."));
  g_assert_false (covers (set, "notpastebin.com"));
  g_assert_false (covers (set, "pastebin.com.evil.net"));
  g_assert_false (covers (set, "com"));
  g_assert_true (covers (set, "pool.supportxmr.com"));
  g_assert_true (covers (set, "supportxmr.com"));
  g_assert_true (covers (set, "xmr.nanopool.org"));
  g_assert_false (covers (set, "eth.nanopool.org"));
  g_assert_false (covers (set, "nanopool.org"));
  g_assert_false (covers (set, ""));
  g_assert_false (covers (set, "."));
}

static void
test_tld (void)
{
  char norm[DH_NAME_MAX];
  gsize len, tld_len;
  const char *tld;

  len = dh_name_normalize ("www.TopGear.COM.", 16, norm);
  tld = dh_name_tld (norm, len, &tld_len);
  g_assert_cmpuint (tld_len, ==, 3);
  g_assert_cmpint (strncmp (tld, "com", 3), ==, 0);

  len = dh_name_normalize ("localhost", 9, norm);
  tld = dh_name_tld (norm, len, &tld_len);
  g_assert_cmpuint (tld_len, ==, 9);
}

static void
test_base64 (void)
{
  const char *yes[] = {
    "dXNlcj1hZG1pbg",                 /* user=admin, unpadded */
    "dXNlcj1hZG1pbg==",               /* padded */
    "aGVsbG8gd29ybGQgZnJvbSBkbnM",    /* hello world from dns */
    "eyJ1c2VyIjoiYWRtaW4ifQ",         /* {"user":"admin"} */
    "c2VjcmV0P2tleT0x-_",             /* URL-safe alphabet (decodes mostly to text) */
  };
  const char *no[] = {
    "5d41402abc4b2a76b9719d911017c592",           /* md5 */
    "da39a3ee5e6b4b0d3255bfef95601890afd80709",   /* sha1 */
    "DA39A3EE5E6B4B0D3255BFEF95601890AFD80709",
    "d1a2b3c4d5e6f7",                             /* CloudFront */
    "xn--bcher-kva",                              /* punycode */
    "XN--80AK6AA92E",
    "internationalization",
    "supercalifragilisticexpialidocious",
    "MicrosoftUpdateService",
    "Zq8XkP3mW9vR2tYbLq7N",                       /* random mixed case: binary */
    "dXNlcj1h",                                   /* too short */
    "dXNlcj1hZG1pbg=",                            /* bad padding */
    "dXNlc+j1hZG1p_bg",                           /* both alphabets */
    "ip-10-0-1-5",
  };

  for (guint i = 0; i < G_N_ELEMENTS (yes); i++)
    if (!dh_label_is_base64_text (yes[i], strlen (yes[i]), 12, 90))
      g_error ("%s should be base64 text", yes[i]);
  for (guint i = 0; i < G_N_ELEMENTS (no); i++)
    if (dh_label_is_base64_text (no[i], strlen (no[i]), 12, 90))
      g_error ("%s should not be base64 text", no[i]);

  g_assert_true (dh_name_has_base64_label ("dXNlcj1hZG1pbg.exfil.example.com", 33, 12, 90));
  g_assert_false (dh_name_has_base64_label ("www.example.com", 15, 12, 90));
  /* the length setting applies */
  g_assert_false (dh_name_has_base64_label ("dXNlcj1hZG1pbg.exfil.example.com", 33, 20, 90));
}

static void
test_k8s (void)
{
  const char *yes[] = { "any.any.svc.cluster.local", "any.any.any.svc.cluster.local",
                        "any.any.svc.cluster.local.us-east-1.compute.internal" };
  const char *no[] = { "many.any.svc.cluster.local", "any.svc.cluster.local",
                       "any.any.svc.cluster.localhost", "x.any.any.svc.cluster.local",
                       "kubernetes.default.svc.cluster.local" };

  for (guint i = 0; i < G_N_ELEMENTS (yes); i++)
    g_assert_true (dh_name_is_k8s_enumeration (yes[i], strlen (yes[i])));
  for (guint i = 0; i < G_N_ELEMENTS (no); i++)
    g_assert_false (dh_name_is_k8s_enumeration (no[i], strlen (no[i])));
}

static void
test_pattern (void)
{
  g_assert_true (dh_name_matches_pattern ("instance-data.us-east-1.compute.internal", 40,
                                          "instance-data.*.compute.internal"));
  g_assert_false (dh_name_matches_pattern ("instance-data.a.b.compute.internal", 34,
                                           "instance-data.*.compute.internal"));
  g_assert_false (dh_name_matches_pattern ("instance-data..compute.internal", 31,
                                           "instance-data.*.compute.internal"));
  g_assert_true (dh_name_matches_pattern ("instance-data", 13, "instance-data"));
  g_assert_false (dh_name_matches_pattern ("instance-data.evil.com", 22, "instance-data"));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/match/domain-set", test_domain_set);
  g_test_add_func ("/match/tld", test_tld);
  g_test_add_func ("/match/base64", test_base64);
  g_test_add_func ("/match/k8s", test_k8s);
  g_test_add_func ("/match/pattern", test_pattern);
  return g_test_run ();
}
