/* dh-match.c: domain-name tests the rules share
 *
 * Names are compared case-insensitively without their trailing dot, and "X or
 * a subdomain of X" always means on a label boundary: notpastebin.com is not
 * pastebin.com.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "dh-match.h"

struct _DhDomainSet
{
  GHashTable *set;
};

/**
 * dh_name_normalize:
 * @out: room for the lowercase name
 *
 * Lowercases @name (ASCII) and drops one trailing dot. Names longer than
 * DH_NAME_MAX - 1 are cut (DNS names cannot be that long anyway).
 *
 * Returns: the length written to @out
 */
gsize
dh_name_normalize (const char *name,
                   gsize       len,
                   char        out[DH_NAME_MAX])
{
  if (len > 0 && name[len - 1] == '.')
    len--;
  if (len > DH_NAME_MAX - 1)
    len = DH_NAME_MAX - 1;
  for (gsize i = 0; i < len; i++)
    out[i] = g_ascii_tolower (name[i]);
  out[len] = 0;
  return len;
}

DhDomainSet *
dh_domain_set_new (void)
{
  DhDomainSet *set = g_new0 (DhDomainSet, 1);

  set->set = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  return set;
}

void
dh_domain_set_free (DhDomainSet *set)
{
  if (set == NULL)
    return;
  g_hash_table_unref (set->set);
  g_free (set);
}

/**
 * dh_domain_set_add:
 * @domain: a name as a user writes it (any case, optional trailing dot,
 *   optional leading `*.` or `.`)
 */
void
dh_domain_set_add (DhDomainSet *set,
                   const char  *domain)
{
  char buf[DH_NAME_MAX];
  gsize len;

  while (g_ascii_isspace (*domain))
    domain++;
  if (g_str_has_prefix (domain, "*."))
    domain += 2;
  else if (*domain == '.')
    domain++;
  len = strlen (domain);
  while (len > 0 && g_ascii_isspace (domain[len - 1]))
    len--;
  len = dh_name_normalize (domain, len, buf);
  if (len > 0)
    g_hash_table_add (set->set, g_strndup (buf, len));
}

guint
dh_domain_set_get_size (DhDomainSet *set)
{
  return g_hash_table_size (set->set);
}

gboolean
dh_domain_set_contains (DhDomainSet *set,
                        const char  *normalized,
                        gsize        len)
{
  /* normalized is nul-terminated at len by dh_name_normalize */
  return g_hash_table_contains (set->set, normalized);
}

/**
 * dh_domain_set_covers:
 * @normalized: a name from dh_name_normalize()
 *
 * Returns: whether @normalized is an entry of @set or a subdomain of one
 */
gboolean
dh_domain_set_covers (DhDomainSet *set,
                      const char  *normalized,
                      gsize        len)
{
  const char *p = normalized;

  if (g_hash_table_size (set->set) == 0)
    return FALSE;
  for (;;)
    {
      const char *dot;
      if (*p && g_hash_table_contains (set->set, p))
        return TRUE;
      dot = strchr (p, '.');
      if (dot == NULL)
        return FALSE;
      p = dot + 1;
    }
}

/**
 * dh_name_tld:
 *
 * Returns: the last label of @normalized
 */
const char *
dh_name_tld (const char *normalized,
             gsize       len,
             gsize      *tld_len)
{
  const char *dot = memrchr (normalized, '.', len);
  const char *tld = dot ? dot + 1 : normalized;

  *tld_len = len - (tld - normalized);
  return tld;
}

static gint8
b64_value (guchar c)
{
  if (c >= 'A' && c <= 'Z')
    return c - 'A';
  if (c >= 'a' && c <= 'z')
    return c - 'a' + 26;
  if (c >= '0' && c <= '9')
    return c - '0' + 52;
  if (c == '+' || c == '-')
    return 62;
  if (c == '/' || c == '_')
    return 63;
  return -1;
}

/**
 * dh_label_is_base64_text:
 * @min_length: shortest label considered
 * @min_printable_percent: share of decoded bytes that must be text
 *
 * Whether one DNS label is the base64 encoding (standard or URL-safe alphabet,
 * padded or not) of mostly printable text. Hex digests, CDN hash labels and
 * ordinary words are lowercase or digits only and fail the mixed-case test;
 * random mixed-case tokens decode to binary and fail the text test; punycode
 * is skipped by its prefix.
 */
gboolean
dh_label_is_base64_text (const char *label,
                         gsize       len,
                         guint       min_length,
                         guint       min_printable_percent)
{
  guint upper = 0, lower = 0, std = 0, url = 0;
  gsize data_len = len;
  guint32 acc = 0;
  guint bits = 0, printable = 0, total = 0;

  if (len < MAX (min_length, 8))
    return FALSE;
  if (len >= 4 && g_ascii_strncasecmp (label, "xn--", 4) == 0)
    return FALSE;

  while (data_len > 0 && label[data_len - 1] == '=')
    data_len--;
  if (len - data_len > 2 || data_len % 4 == 1)
    return FALSE;
  if (len != data_len && len % 4 != 0)
    return FALSE;

  for (gsize i = 0; i < data_len; i++)
    {
      guchar c = label[i];
      gint8 v = b64_value (c);
      if (v < 0)
        return FALSE;
      if (c >= 'A' && c <= 'Z')
        upper++;
      else if (c >= 'a' && c <= 'z')
        lower++;
      else if (c == '+' || c == '/')
        std++;
      else if (c == '-' || c == '_')
        url++;
      acc = (acc << 6) | (guint32) v;
      bits += 6;
      if (bits >= 8)
        {
          guchar byte = (acc >> (bits - 8)) & 0xff;
          bits -= 8;
          total++;
          if ((byte >= 0x20 && byte < 0x7f) || byte == '\t' || byte == '\n' || byte == '\r')
            printable++;
        }
    }

  /* One alphabet, not both */
  if (std > 0 && url > 0)
    return FALSE;
  if (upper == 0 || lower == 0)
    return FALSE;
  if (total < 6)
    return FALSE;
  return printable * 100 >= total * min_printable_percent;
}

/**
 * dh_name_has_base64_label:
 *
 * Whether any label of @name passes dh_label_is_base64_text(). Case is kept:
 * base64 is case-sensitive.
 */
gboolean
dh_name_has_base64_label (const char *name,
                          gsize       len,
                          guint       min_length,
                          guint       min_printable_percent)
{
  gsize start = 0;

  for (gsize i = 0; i <= len; i++)
    {
      if (i == len || name[i] == '.')
        {
          if (dh_label_is_base64_text (name + start, i - start, min_length,
                                       min_printable_percent))
            return TRUE;
          start = i + 1;
        }
    }
  return FALSE;
}

/**
 * dh_name_is_k8s_enumeration:
 *
 * `any.any.svc.cluster.local` or `any.any.any.svc.cluster.local`, bare or
 * followed by a search-domain suffix.
 */
gboolean
dh_name_is_k8s_enumeration (const char *normalized,
                            gsize       len)
{
  static const char *probes[] = { "any.any.svc.cluster.local", "any.any.any.svc.cluster.local" };

  for (guint i = 0; i < G_N_ELEMENTS (probes); i++)
    {
      gsize plen = strlen (probes[i]);
      if (len >= plen && memcmp (normalized, probes[i], plen) == 0 &&
          (len == plen || normalized[plen] == '.'))
        return TRUE;
    }
  return FALSE;
}

/**
 * dh_name_matches_pattern:
 * @pattern: a lowercase name where a `*` label stands for exactly one label
 *
 * Returns: whether @normalized matches @pattern label by label
 */
gboolean
dh_name_matches_pattern (const char *normalized,
                         gsize       len,
                         const char *pattern)
{
  const char *n = normalized, *n_end = normalized + len;
  const char *p = pattern;

  for (;;)
    {
      const char *nd = memchr (n, '.', n_end - n);
      const char *pd = strchr (p, '.');
      gsize nl = (nd ? nd : n_end) - n;
      gsize pl = pd ? (gsize) (pd - p) : strlen (p);

      if (!(pl == 1 && p[0] == '*' && nl > 0) &&
          (nl != pl || g_ascii_strncasecmp (n, p, nl) != 0))
        return FALSE;
      if (nd == NULL || pd == NULL)
        return nd == NULL && pd == NULL;
      n = nd + 1;
      p = pd + 1;
    }
}
