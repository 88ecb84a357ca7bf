/* dh-record-fast.c: a zero-copy scanner for one query-log record
 *
 * The hot path of the reader. It reads one JSON object holding a Route 53
 * Resolver record, with keys in any order, straight from the input buffer:
 * string values become slices of that buffer (or of a small arena when they
 * carry escapes), unknown members are validated and skipped, and nothing is
 * allocated per record.
 *
 * It never rejects anything itself. Whenever the text is not plainly a valid
 * record (a syntax error, an unexpected type, a duplicate key, a control
 * character, invalid UTF-8, deep nesting, a missing field, a bad time) it
 * returns FALSE and the caller hands the text to the json-glib path, which
 * decides and gives the reason. So the fast path can only ever agree with the
 * reference path; the differential test and the fuzz target check that.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "dh-record-fast.h"
#include "dh-str-pool.h"
#include "dh-time.h"

#define MAX_SKIP_DEPTH 32

typedef struct
{
  const char    *p;
  const char    *end;
  DhFastScratch *s;
  gboolean       high_bytes;
  gboolean       newline;     /* white space between tokens held a newline */
} Scan;

enum {
  K_VERSION, K_ACCOUNT, K_REGION, K_VPC, K_TIMESTAMP, K_NAME, K_TYPE, K_CLASS, K_RCODE,
  K_ANSWERS, K_SRCADDR, K_SRCPORT, K_TRANSPORT, K_SRCIDS, K_FW_GROUP, K_FW_ACTION, K_FW_LIST,
  K_UNKNOWN,
};

void
dh_fast_scratch_init (DhFastScratch *s)
{
  memset (s, 0, sizeof *s);
  s->answers_size = 8;
  s->answers = g_new0 (DhRecordAnswer, s->answers_size);
  s->arena_size = 4096;
  s->arena = g_malloc (s->arena_size);
}

void
dh_fast_scratch_clear (DhFastScratch *s)
{
  g_clear_pointer (&s->answers, g_free);
  g_clear_pointer (&s->arena, g_free);
}

static inline void
skip_ws (Scan *sc)
{
  while (sc->p < sc->end && (*sc->p == ' ' || *sc->p == '\t' || *sc->p == '\n' || *sc->p == '\r'))
    {
      if (*sc->p == '\n')
        sc->newline = TRUE;
      sc->p++;
    }
}

static inline gboolean
expect (Scan *sc,
        char  c)
{
  skip_ws (sc);
  if (sc->p < sc->end && *sc->p == c)
    {
      sc->p++;
      return TRUE;
    }
  return FALSE;
}

static int
hex4 (const char *p)
{
  int v = 0;

  for (int i = 0; i < 4; i++)
    {
      char c = p[i];
      v <<= 4;
      if (c >= '0' && c <= '9')
        v |= c - '0';
      else if (c >= 'a' && c <= 'f')
        v |= c - 'a' + 10;
      else if (c >= 'A' && c <= 'F')
        v |= c - 'A' + 10;
      else
        return -1;
    }
  return v;
}

/* Decodes an escaped string whose raw body is [start, stop) into the arena. */
static gboolean
unescape (Scan       *sc,
          const char *start,
          const char *stop,
          DhSlice    *out)
{
  DhFastScratch *s = sc->s;
  gsize need = stop - start;
  char *o;

  if (s->arena_used + need + 1 > s->arena_size)
    {
      /* Slices already handed out point into the arena: never move it
       * within one record. Strings this long take the slow path. */
      return FALSE;
    }
  o = s->arena + s->arena_used;
  out->str = o;
  for (const char *p = start; p < stop; p++)
    {
      if (*p != '\\')
        {
          *o++ = *p;
          continue;
        }
      p++;
      switch (*p)
        {
        case '"': *o++ = '"'; break;
        case '\\': *o++ = '\\'; break;
        case '/': *o++ = '/'; break;
        case 'b': *o++ = '\b'; break;
        case 'f': *o++ = '\f'; break;
        case 'n': *o++ = '\n'; break;
        case 'r': *o++ = '\r'; break;
        case 't': *o++ = '\t'; break;
        case 'u':
          {
            int cp, lo;
            if (stop - p < 5 || (cp = hex4 (p + 1)) < 0)
              return FALSE;
            p += 4;
            if (cp >= 0xd800 && cp <= 0xdbff)
              {
                if (stop - p < 7 || p[1] != '\\' || p[2] != 'u' || (lo = hex4 (p + 3)) < 0 ||
                    lo < 0xdc00 || lo > 0xdfff)
                  return FALSE;
                cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
                p += 6;
              }
            else if (cp >= 0xdc00 && cp <= 0xdfff)
              return FALSE;
            if (cp == 0)
              return FALSE;
            o += g_unichar_to_utf8 (cp, o);
          }
          break;
        default:
          return FALSE;
        }
    }
  out->len = o - out->str;
  s->arena_used += out->len + 1;
  return TRUE;
}

/* At the opening quote. Leaves sc->p after the closing quote. */
static gboolean
scan_string (Scan    *sc,
             DhSlice *out)
{
  const char *start = ++sc->p;
  gboolean escaped = FALSE;

  for (;;)
    {
      guchar c;

#ifdef __SSE2__
      /* Sixteen bytes at a time while none is a quote, a backslash, a control
       * character or non-ASCII (the signed compare catches both of those). */
      while (sc->end - sc->p >= 16)
        {
          __m128i v = _mm_loadu_si128 ((const __m128i *) sc->p);
          __m128i special = _mm_or_si128 (
            _mm_or_si128 (_mm_cmpeq_epi8 (v, _mm_set1_epi8 ('"')),
                          _mm_cmpeq_epi8 (v, _mm_set1_epi8 ('\\'))),
            _mm_cmplt_epi8 (v, _mm_set1_epi8 (0x20)));
          int mask = _mm_movemask_epi8 (special);
          if (mask != 0)
            {
              sc->p += __builtin_ctz (mask);
              break;
            }
          sc->p += 16;
        }
#endif
      /* Eight bytes at a time while none is a quote, a backslash, a control
       * character or non-ASCII. */
      while (sc->end - sc->p >= 8)
        {
          guint64 w, q, b, ctl;
          memcpy (&w, sc->p, 8);
          q = w ^ 0x2222222222222222ull;
          b = w ^ 0x5c5c5c5c5c5c5c5cull;
          q = (q - 0x0101010101010101ull) & ~q;
          b = (b - 0x0101010101010101ull) & ~b;
          ctl = (w - 0x2020202020202020ull) & ~w;
          if (((q | b | ctl | w) & 0x8080808080808080ull) != 0)
            break;
          sc->p += 8;
        }
      if (sc->p >= sc->end)
        return FALSE;
      c = (guchar) *sc->p;
      if (c == '"')
        break;
      if (c == '\\')
        {
          escaped = TRUE;
          sc->p += 2;
          continue;
        }
      if (c < 0x20)
        return FALSE;
      if (c >= 0x80)
        sc->high_bytes = TRUE;
      sc->p++;
    }
  if (sc->p > sc->end)
    return FALSE;
  if (escaped)
    {
      /* Escapes are checked as json-glib would, also in strings only
       * skipped (an escaped newline would let a record run on into the
       * next line). The decoded text of a skipped string is dropped. */
      DhSlice skipped;
      if (!unescape (sc, start, sc->p, out ? out : &skipped))
        return FALSE;
      if (out == NULL)
        sc->s->arena_used -= skipped.len + 1;
    }
  else if (out != NULL)
    {
      out->str = start;
      out->len = sc->p - start;
    }
  sc->p++;
  return TRUE;
}

static gboolean
scan_number (Scan *sc)
{
  const char *p = sc->p;

  if (p < sc->end && *p == '-')
    p++;
  if (p >= sc->end)
    return FALSE;
  if (*p == '0')
    p++;
  else if (*p >= '1' && *p <= '9')
    while (p < sc->end && *p >= '0' && *p <= '9')
      p++;
  else
    return FALSE;
  if (p < sc->end && *p == '.')
    {
      p++;
      if (p >= sc->end || *p < '0' || *p > '9')
        return FALSE;
      while (p < sc->end && *p >= '0' && *p <= '9')
        p++;
    }
  if (p < sc->end && (*p == 'e' || *p == 'E'))
    {
      /* exponents are rare in these logs; let json-glib judge them */
      return FALSE;
    }
  /* integers that do not fit 64 bits are json-glib's to judge too */
  if (p - sc->p > 18)
    return FALSE;
  sc->p = p;
  return TRUE;
}

static gboolean
scan_literal (Scan       *sc,
              const char *word,
              gsize       len)
{
  if ((gsize) (sc->end - sc->p) < len || !dh_bytes_equal (sc->p, word, len))
    return FALSE;
  sc->p += len;
  return TRUE;
}

/* A comma after a member or element (skipped): more follow. */
static inline gboolean
comma (Scan *sc)
{
  skip_ws (sc);
  if (sc->p < sc->end && *sc->p == ',')
    {
      sc->p++;
      return TRUE;
    }
  return FALSE;
}

/* Validates and skips any JSON value. */
static gboolean
skip_value (Scan *sc,
            guint depth)
{
  skip_ws (sc);
  if (sc->p >= sc->end || depth > MAX_SKIP_DEPTH)
    return FALSE;
  switch (*sc->p)
    {
    case '"':
      return scan_string (sc, NULL);
    case '{':
      sc->p++;
      skip_ws (sc);
      if (sc->p < sc->end && *sc->p == '}')
        {
          sc->p++;
          return TRUE;
        }
      for (;;)
        {
          skip_ws (sc);
          if (sc->p >= sc->end || *sc->p != '"' || !scan_string (sc, NULL) ||
              !expect (sc, ':') || !skip_value (sc, depth + 1))
            return FALSE;
          if (comma (sc))
            continue;
          return expect (sc, '}');
        }
    case '[':
      sc->p++;
      skip_ws (sc);
      if (sc->p < sc->end && *sc->p == ']')
        {
          sc->p++;
          return TRUE;
        }
      for (;;)
        {
          if (!skip_value (sc, depth + 1))
            return FALSE;
          if (comma (sc))
            continue;
          return expect (sc, ']');
        }
    case 't':
      return scan_literal (sc, "true", 4);
    case 'f':
      return scan_literal (sc, "false", 5);
    case 'n':
      return scan_literal (sc, "null", 4);
    default:
      return scan_number (sc);
    }
}

/* A string member, or null (absent). */
static gboolean
string_value (Scan    *sc,
              DhSlice *out)
{
  skip_ws (sc);
  if (sc->p < sc->end && *sc->p == '"')
    return scan_string (sc, out);
  if (scan_literal (sc, "null", 4))
    {
      out->str = NULL;
      out->len = 0;
      return TRUE;
    }
  return FALSE;
}


/* The key with its quotes and the colon after it. */
#define KEY(name, id) { "\"" name "\":", sizeof (name) + 2, id }

static const struct
{
  const char *quoted;
  gsize       len;
  int         id;
} key_order[] = {
  /* in the order Route 53 writes them, which is also the order of the ids */
  KEY ("version", K_VERSION), KEY ("account_id", K_ACCOUNT), KEY ("region", K_REGION),
  KEY ("vpc_id", K_VPC), KEY ("query_timestamp", K_TIMESTAMP), KEY ("query_name", K_NAME),
  KEY ("query_type", K_TYPE), KEY ("query_class", K_CLASS), KEY ("rcode", K_RCODE),
  KEY ("answers", K_ANSWERS), KEY ("srcaddr", K_SRCADDR), KEY ("srcport", K_SRCPORT),
  KEY ("transport", K_TRANSPORT), KEY ("srcids", K_SRCIDS),
  /* only when a DNS Firewall rule matched */
  KEY ("firewall_rule_group_id", K_FW_GROUP), KEY ("firewall_rule_action", K_FW_ACTION),
  KEY ("firewall_domain_list_id", K_FW_LIST),
};

G_STATIC_ASSERT (G_N_ELEMENTS (key_order) == K_UNKNOWN);

static int
key_id (const char *k,
        gsize       len)
{
  for (guint i = 0; i < G_N_ELEMENTS (key_order); i++)
    if (key_order[i].len == len + 3 && dh_bytes_equal (key_order[i].quoted + 1, k, len))
      return key_order[i].id;
  return K_UNKNOWN;
}

/* Reads a key; keys with escapes go to the slow path. */
static gboolean
scan_key (Scan    *sc,
          DhSlice *key)
{
  const char *start;

  skip_ws (sc);
  if (sc->p >= sc->end || *sc->p != '"')
    return FALSE;
  start = ++sc->p;
  while (sc->p < sc->end && *sc->p != '"')
    {
      guchar c = (guchar) *sc->p;
      if (c == '\\' || c < 0x20)
        return FALSE;
      if (c >= 0x80)
        sc->high_bytes = TRUE;
      sc->p++;
    }
  if (sc->p >= sc->end)
    return FALSE;
  key->str = start;
  key->len = sc->p - start;
  sc->p++;
  return expect (sc, ':');
}

typedef struct
{
  const char *key;
  gsize       len;
  DhSlice    *field;
} Member;

/* An object whose members of interest are strings (or null); any other
 * member is validated and skipped. */
static gboolean
scan_string_members (Scan         *sc,
                     const Member *members,
                     guint         n_members,
                     guint         depth)
{
  guint seen = 0;

  if (!expect (sc, '{'))
    return FALSE;
  skip_ws (sc);
  if (sc->p < sc->end && *sc->p == '}')
    {
      sc->p++;
      return TRUE;
    }
  for (;;)
    {
      DhSlice key;
      int hit = -1;

      if (!scan_key (sc, &key))
        return FALSE;
      for (guint i = 0; i < n_members && hit < 0; i++)
        if (key.len == members[i].len && dh_bytes_equal (key.str, members[i].key, key.len))
          hit = i;
      if (hit >= 0)
        {
          if ((seen & (1u << hit)) || !string_value (sc, members[hit].field))
            return FALSE;
          seen |= 1u << hit;
        }
      else if (!skip_value (sc, depth))
        return FALSE;
      if (comma (sc))
        continue;
      return expect (sc, '}');
    }
}

/* A fresh answer slot in the scratch, or NULL past 4096 answers (those
 * records take the slow path). */
static DhRecordAnswer *
next_answer (DhFastScratch *s)
{
  DhRecordAnswer *a;

  if (s->record.n_answers == s->answers_size)
    {
      if (s->answers_size >= 4096)
        return NULL;
      s->answers_size *= 2;
      s->answers = g_renew (DhRecordAnswer, s->answers, s->answers_size);
    }
  a = &s->answers[s->record.n_answers++];
  memset (a, 0, sizeof *a);
  return a;
}

static gboolean
scan_answers (Scan *sc)
{
  DhFastScratch *s = sc->s;

  skip_ws (sc);
  if (scan_literal (sc, "null", 4))
    return TRUE;
  if (!expect (sc, '['))
    return FALSE;
  skip_ws (sc);
  if (sc->p < sc->end && *sc->p == ']')
    {
      sc->p++;
      return TRUE;
    }
  for (;;)
    {
      DhRecordAnswer *a = next_answer (s);

      if (a == NULL)
        return FALSE;
      {
        const Member members[] = {
          { "Rdata", 5, &a->rdata }, { "Type", 4, &a->type }, { "Class", 5, &a->qclass },
        };
        if (!scan_string_members (sc, members, G_N_ELEMENTS (members), 2))
          return FALSE;
      }
      if (comma (sc))
        continue;
      return expect (sc, ']');
    }
}

static gboolean
scan_srcids (Scan *sc)
{
  DhRecord *rec = &sc->s->record;
  const Member members[] = {
    { "instance", 8, &rec->instance },
    { "resolver_endpoint", 17, &rec->resolver_endpoint },
    { "resolver_network_interface", 26, &rec->resolver_interface },
  };

  skip_ws (sc);
  if (scan_literal (sc, "null", 4))
    return TRUE;
  return scan_string_members (sc, members, G_N_ELEMENTS (members), 1);
}

/* A timestamp like the previous record's is not parsed again: a busy log has
 * many records per second. */
static gboolean
parse_time (DhFastScratch *s,
            const DhSlice *ts,
            gint64        *out)
{
  if (ts->len == s->last_ts_len && ts->len > 0 && dh_bytes_equal (ts->str, s->last_ts, ts->len))
    {
      *out = s->last_time;
      return TRUE;
    }
  if (!dh_time_parse_iso8601 (ts->str, ts->len, out))
    return FALSE;
  if (ts->len <= sizeof s->last_ts)
    {
      memcpy (s->last_ts, ts->str, ts->len);
      s->last_ts_len = ts->len;
      s->last_time = *out;
    }
  return TRUE;
}

/* ---- the record exactly as Route 53 writes it ------------------------------
 *
 * Route 53 writes every record the same way: the same keys in the same order,
 * no white space, string values. Read that shape by matching the fixed text
 * between values whole (`","account_id":"` is one comparison) and finding each
 * value's closing quote. Anything else (another order, other keys, white
 * space, null, escapes) makes it give up, and scan_record() reads the record
 * member by member. It accepts nothing scan_record() would refuse and yields
 * the same fields, so the choice never shows.
 */

/* Finds the closing quote of a string without escapes that starts at @p. */
static inline const char *
plain_string_end (Scan       *sc,
                  const char *p)
{
  const char *end = sc->end;

  for (;;)
    {
#ifdef __SSE2__
      while (end - p >= 16)
        {
          __m128i v = _mm_loadu_si128 ((const __m128i *) p);
          __m128i special = _mm_or_si128 (
            _mm_or_si128 (_mm_cmpeq_epi8 (v, _mm_set1_epi8 ('"')),
                          _mm_cmpeq_epi8 (v, _mm_set1_epi8 ('\\'))),
            _mm_cmplt_epi8 (v, _mm_set1_epi8 (0x20)));
          int mask = _mm_movemask_epi8 (special);
          if (mask != 0)
            {
              p += __builtin_ctz (mask);
              break;
            }
          p += 16;
        }
#endif
      if (p >= end)
        return NULL;
      if (*p == '"')
        return p;
      if ((guchar) *p >= 0x80)
        {
          sc->high_bytes = TRUE;
          p++;
          continue;
        }
      return NULL;  /* a backslash or a control character */
    }
}

/* The fixed text @lit at sc->p: a constant length, so the comparison is a
 * few word compares. */
#define TPL_TEXT(lit) \
  G_STMT_START { \
    if ((gsize) (sc->end - p) < sizeof (lit) - 1 || !dh_bytes_equal (p, lit, sizeof (lit) - 1)) \
      return FALSE; \
    p += sizeof (lit) - 1; \
  } G_STMT_END

/* A string value at p (after its opening quote) into @field. */
#define TPL_VALUE(field) \
  G_STMT_START { \
    const char *q_ = plain_string_end (sc, p); \
    if (q_ == NULL) \
      return FALSE; \
    (field).str = p; \
    (field).len = q_ - p; \
    p = q_; \
  } G_STMT_END

/* The fixed text before a string value, then the value. */
#define TPL_FIELD(lit, field) \
  G_STMT_START { \
    TPL_TEXT (lit); \
    TPL_VALUE (field); \
  } G_STMT_END

static gboolean
scan_record_plain (Scan    *sc,
                   DhSlice *ts)
{
  DhFastScratch *scratch = sc->s;
  DhRecord *rec = &scratch->record;
  const char *p = sc->p;

  memset (rec, 0, sizeof *rec);
  scratch->arena_used = 0;

  TPL_FIELD ("{\"version\":\"", rec->version);
  TPL_FIELD ("\",\"account_id\":\"", rec->account_id);
  TPL_FIELD ("\",\"region\":\"", rec->region);
  TPL_FIELD ("\",\"vpc_id\":\"", rec->vpc_id);
  TPL_FIELD ("\",\"query_timestamp\":\"", *ts);
  TPL_FIELD ("\",\"query_name\":\"", rec->query_name);
  TPL_FIELD ("\",\"query_type\":\"", rec->query_type);
  TPL_FIELD ("\",\"query_class\":\"", rec->query_class);
  TPL_FIELD ("\",\"rcode\":\"", rec->rcode);
  TPL_TEXT ("\",\"answers\":[");
  if (p < sc->end && *p == ']')
    p++;
  else
    for (;;)
      {
        DhRecordAnswer *a = next_answer (scratch);

        if (a == NULL)
          return FALSE;
        TPL_FIELD ("{\"Rdata\":\"", a->rdata);
        TPL_FIELD ("\",\"Type\":\"", a->type);
        TPL_FIELD ("\",\"Class\":\"", a->qclass);
        TPL_TEXT ("\"}");
        if (p < sc->end && *p == ',')
          {
            p++;
            continue;
          }
        TPL_TEXT ("]");
        break;
      }
  TPL_FIELD (",\"srcaddr\":\"", rec->srcaddr);
  TPL_FIELD ("\",\"srcport\":\"", rec->srcport);
  TPL_FIELD ("\",\"transport\":\"", rec->transport);
  TPL_TEXT ("\",\"srcids\":{");
  if (p < sc->end && *p == '}')
    p++;
  else if ((gsize) (sc->end - p) > 12 && dh_bytes_equal (p, "\"instance\":\"", 12))
    {
      p += 12;
      TPL_VALUE (rec->instance);
      TPL_TEXT ("\"}");
    }
  else
    {
      TPL_FIELD ("\"resolver_endpoint\":\"", rec->resolver_endpoint);
      TPL_FIELD ("\",\"resolver_network_interface\":\"", rec->resolver_interface);
      TPL_TEXT ("\"}");
    }
  TPL_TEXT ("}");
  sc->p = p;
  return TRUE;
}

#undef TPL_TEXT
#undef TPL_VALUE
#undef TPL_FIELD

/* Reads one record object from sc->p and leaves sc->p after its closing
 * brace; the caller checks what follows and calls finish_record(). */
static gboolean
scan_record (Scan    *sc,
             DhSlice *ts)
{
  DhFastScratch *scratch = sc->s;
  DhRecord *rec = &scratch->record;
  guint32 seen = 0;
  guint expected = 0;

  memset (rec, 0, sizeof *rec);
  scratch->arena_used = 0;

  if (!expect (sc, '{'))
    return FALSE;
  skip_ws (sc);
  if (sc->p < sc->end && *sc->p == '}')
    return FALSE;

  for (;;)
    {
      DhSlice key;
      int id;
      gboolean ok;

      skip_ws (sc);
      /* Route 53 writes its keys in one order: try the one expected next
       * with a single comparison before reading the key byte by byte. */
      if (expected < G_N_ELEMENTS (key_order) &&
          (gsize) (sc->end - sc->p) > key_order[expected].len &&
          dh_bytes_equal (sc->p, key_order[expected].quoted, key_order[expected].len))
        {
          id = key_order[expected].id;
          sc->p += key_order[expected].len;
        }
      else
        {
          if (!scan_key (sc, &key))
            return FALSE;
          id = key_id (key.str, key.len);
        }
      if (id != K_UNKNOWN)
        {
          if (seen & (1u << id))
            return FALSE;
          seen |= 1u << id;
          expected = id + 1;
        }
      switch (id)
        {
        case K_VERSION: ok = string_value (sc, &rec->version); break;
        case K_ACCOUNT: ok = string_value (sc, &rec->account_id); break;
        case K_REGION: ok = string_value (sc, &rec->region); break;
        case K_VPC: ok = string_value (sc, &rec->vpc_id); break;
        case K_TIMESTAMP: ok = string_value (sc, ts); break;
        case K_NAME: ok = string_value (sc, &rec->query_name); break;
        case K_TYPE: ok = string_value (sc, &rec->query_type); break;
        case K_CLASS: ok = string_value (sc, &rec->query_class); break;
        case K_RCODE: ok = string_value (sc, &rec->rcode); break;
        case K_SRCADDR: ok = string_value (sc, &rec->srcaddr); break;
        case K_SRCPORT: ok = string_value (sc, &rec->srcport); break;
        case K_TRANSPORT: ok = string_value (sc, &rec->transport); break;
        case K_FW_GROUP: ok = string_value (sc, &rec->firewall_group); break;
        case K_FW_ACTION: ok = string_value (sc, &rec->firewall_action); break;
        case K_FW_LIST: ok = string_value (sc, &rec->firewall_domain_list); break;
        case K_ANSWERS: ok = scan_answers (sc); break;
        case K_SRCIDS: ok = scan_srcids (sc); break;
        default: ok = skip_value (sc, 1); break;
        }
      if (!ok)
        return FALSE;
      if (comma (sc))
        continue;
      return expect (sc, '}');
    }
}

/* The checks after the text of [@text, @text + @len) was read as a record. */
static gboolean
finish_record (Scan          *sc,
               const char    *text,
               gsize          len,
               const DhSlice *ts)
{
  DhFastScratch *scratch = sc->s;
  DhRecord *rec = &scratch->record;

  if (sc->high_bytes && !g_utf8_validate (text, len, NULL))
    return FALSE;
  if (ts->len == 0 || rec->query_name.len == 0 || rec->srcaddr.len == 0 ||
      !parse_time (scratch, ts, &rec->time))
    return FALSE;
  rec->answers = scratch->answers;
  return TRUE;
}

/**
 * dh_record_fast_parse:
 * @text: one JSON value, possibly with surrounding white space
 * @scratch: where the record is built; slices point into @text or @scratch
 *
 * Returns: %TRUE when @text is exactly one valid record that the reference
 *   path would accept with the same fields; %FALSE means "ask json-glib"
 */
gboolean
dh_record_fast_parse (const char    *text,
                      gsize          len,
                      DhFastScratch *scratch)
{
  Scan sc = { text, text + len, scratch, FALSE, FALSE };
  DhSlice ts = { NULL, 0 };

  if (!scan_record_plain (&sc, &ts))
    {
      sc = (Scan) { text, text + len, scratch, FALSE, FALSE };
      ts = (DhSlice) { NULL, 0 };
      if (!scan_record (&sc, &ts))
        return FALSE;
    }
  skip_ws (&sc);
  if (sc.p != sc.end)
    return FALSE;
  return finish_record (&sc, text, len, &ts);
}

/**
 * dh_fast_line_parse_next:
 * @text: the start of a line
 * @avail: bytes available from @text (the line and any after it)
 * @line_len: (out): the length of the line, without its newline
 *
 * As dh_fast_line_parse() on the line that starts at @text, without looking
 * for its end first: the record is read up to its closing brace, and only
 * blanks may follow before the newline (or @avail). On %FALSE nothing is
 * known about the line's end.
 */
gboolean
dh_fast_line_parse_next (const char    *text,
                         gsize          avail,
                         DhFastScratch *scratch,
                         gsize         *line_len)
{
  const char *line = text;
  Scan sc;
  DhSlice ts = { NULL, 0 };

  if (avail > 0 && text[0] >= '0' && text[0] <= '9')
    {
      const char *sp = memchr (text, ' ', MIN (avail, 48));
      gint64 t;
      if (sp == NULL || memchr (text, '\n', sp - text) != NULL ||
          !dh_time_parse_iso8601 (text, sp - text, &t))
        return FALSE;
      text = sp + 1;
      avail -= text - line;
    }
  /* A record starts on its line: without this, the scanner would skip a run
   * of blank lines looking for '{' once for every one of them (quadratic). */
  for (const char *q = text; q < text + avail && *q != '{'; q++)
    if (*q != ' ' && *q != '\t' && *q != '\r')
      return FALSE;
  sc = (Scan) { text, text + avail, scratch, FALSE, FALSE };
  if (!scan_record_plain (&sc, &ts))
    {
      sc = (Scan) { text, text + avail, scratch, FALSE, FALSE };
      ts = (DhSlice) { NULL, 0 };
      if (!scan_record (&sc, &ts) || sc.newline)
        return FALSE;
    }
  while (sc.p < sc.end && (*sc.p == ' ' || *sc.p == '\t' || *sc.p == '\r'))
    sc.p++;
  if (sc.p < sc.end && *sc.p != '\n')
    return FALSE;
  if (!finish_record (&sc, text, sc.p - text, &ts))
    return FALSE;
  *line_len = sc.p - line;
  return TRUE;
}

/**
 * dh_fast_line_parse:
 * @line: one line without its newline
 *
 * As dh_record_fast_parse(), and also accepts the CloudWatch export shape
 * `<timestamp> <json>`.
 */
gboolean
dh_fast_line_parse (const char    *line,
                    gsize          len,
                    DhFastScratch *scratch)
{
  gsize line_len;

  if (memchr (line, '\n', len) != NULL)
    return FALSE;
  return dh_fast_line_parse_next (line, len, scratch, &line_len) && line_len == len;
}
