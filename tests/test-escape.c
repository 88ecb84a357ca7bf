/* test-escape.c: strings from logs made inert for terminals, HTML, Markdown,
 * CSV and Pango markup
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include <pango/pango.h>

#include "dh-escape.h"

#define CHECK(func, in, expected)                 \
  G_STMT_START {                                  \
    g_autofree char *got_ = func (in);            \
    g_assert_cmpstr (got_, ==, expected);         \
  } G_STMT_END

static void
test_sanitize (void)
{
  CHECK (dh_text_sanitize, "www.example.com.", "www.example.com.");
  CHECK (dh_text_sanitize, "\x1b[31mred", "\\x1b[31mred");
  CHECK (dh_text_sanitize, "line\nbreak\r\t", "line\\x0abreak\\x0d\\x09");
  CHECK (dh_text_sanitize, "bad\xff\xfe.", "bad\xef\xbf\xbd\xef\xbf\xbd.");
  CHECK (dh_text_sanitize, "\xc2\x85" "c1", "\\x85c1");
  /* right-to-left override, zero-width space, isolates, BOM */
  CHECK (dh_text_sanitize, "exe.\xe2\x80\xaegpj", "exe.\\u202egpj");
  CHECK (dh_text_sanitize, "a\xe2\x80\x8b" "b\xe2\x81\xa6" "c\xef\xbb\xbf",
         "a\\u200bb\\u2066c\\ufeff");
  CHECK (dh_text_sanitize, "caf\xc3\xa9 \xe6\x97\xa5\xe6\x9c\xac", "caf\xc3\xa9 \xe6\x97\xa5\xe6\x9c\xac");
  CHECK (dh_text_sanitize, NULL, "");
}

static void
test_html (void)
{
  CHECK (dh_escape_html, "<script>alert(1)</script>", "&lt;script&gt;alert(1)&lt;/script&gt;");
  CHECK (dh_escape_html, "<img src=x onerror=\"alert('x')\">",
         "&lt;img src=x onerror=&quot;alert(&#39;x&#39;)&quot;&gt;");
  CHECK (dh_escape_html, "a&amp;b", "a&amp;amp;b");
  CHECK (dh_escape_html, "x\ny\x00", "x\\x0ay");
  CHECK (dh_escape_html, "\xff<", "\xef\xbf\xbd&lt;");
  CHECK (dh_escape_html, "`=HYPERLINK(\"http://x\")`", "`=HYPERLINK(&quot;http://x&quot;)`");
  CHECK (dh_escape_html, NULL, "");

  /* nothing that could open markup survives */
  {
    const char *hostile[] = { "<svg/onload=alert(1)>", "\"><b>", "'><i x='", "</textarea>",
                              "<!--", "]]>", "&#60;script&#62;", NULL };
    for (guint i = 0; hostile[i]; i++)
      {
        g_autofree char *out = dh_escape_html (hostile[i]);
        g_assert_null (strpbrk (out, "<>\"'"));
      }
  }
}

static void
test_markdown_text (void)
{
  CHECK (dh_escape_markdown_text, "plain words, here.", "plain words, here.");
  CHECK (dh_escape_markdown_text, "a|b", "a\\|b");
  CHECK (dh_escape_markdown_text, "*bold* _it_ `code` ~~s~~ $x$",
         "\\*bold\\* \\_it\\_ \\`code\\` \\~\\~s\\~\\~ \\$x\\$");
  CHECK (dh_escape_markdown_text, "[link](http://x)", "\\[link\\](http://x)");
  CHECK (dh_escape_markdown_text, "<script>&", "&lt;script&gt;&");
  CHECK (dh_escape_markdown_text, "ATT&CK &amp; &#60; &#x3c;", "ATT&CK &amp;amp; &amp;#60; &amp;#x3c;");
  CHECK (dh_escape_markdown_text, "back\\slash", "back\\\\slash");
  CHECK (dh_escape_markdown_text, "# heading", "\\# heading");
  CHECK (dh_escape_markdown_text, "  - item", "  \\- item");
  CHECK (dh_escape_markdown_text, "+ item", "\\+ item");
  CHECK (dh_escape_markdown_text, "=== ", "\\=== ");
  CHECK (dh_escape_markdown_text, "12. item", "12\\. item");
  CHECK (dh_escape_markdown_text, "3) item", "3\\) item");
  CHECK (dh_escape_markdown_text, "2026-03-02 to 1.5", "2026-03-02 to 1.5");
  CHECK (dh_escape_markdown_text, "a # b - c", "a # b - c");
  CHECK (dh_escape_markdown_text, "x\ny", "x\\\\x0ay");
}

static void
test_markdown_code (void)
{
  g_autofree char *s = NULL;

#define CODE(in, table, expected)                                \
  G_STMT_START {                                                 \
    g_autofree char *got_ = dh_escape_markdown_code (in, table); \
    g_assert_cmpstr (got_, ==, expected);                        \
  } G_STMT_END

  CODE ("pastebin.com.", FALSE, "`pastebin.com.`");
  CODE ("www.evil.example", TRUE, "`www.evil.example`");
  CODE ("a`b", FALSE, "``a`b``");
  CODE ("a``b`", FALSE, "``` a``b` ```");
  CODE ("`x", TRUE, "`` `x ``");
  CODE (" lead", FALSE, "`  lead `");
  CODE ("a|b", TRUE, "`a\\|b`");
  CODE ("a|b", FALSE, "`a|b`");
  CODE ("a\\|b", TRUE, "`a\\x5c\\|b`");
  CODE ("a\\b", TRUE, "`a\\b`");
  CODE ("<img src=x onerror=alert(1)>", TRUE, "`<img src=x onerror=alert(1)>`");
  CODE ("x\ny", TRUE, "`x\\x0ay`");
  CODE ("", TRUE, "");
  CODE (NULL, FALSE, "");
#undef CODE
}

static void
test_csv (void)
{
  CHECK (dh_escape_csv_cell, "plain", "plain");
  CHECK (dh_escape_csv_cell, "", "");
  CHECK (dh_escape_csv_cell, "a,b", "\"a,b\"");
  CHECK (dh_escape_csv_cell, "say \"hi\"", "\"say \"\"hi\"\"\"");
  CHECK (dh_escape_csv_cell, "two\nlines", "\"two\nlines\"");
  CHECK (dh_escape_csv_cell, " padded ", "\" padded \"");
  CHECK (dh_escape_csv_cell, "=HYPERLINK(\"http://x\",\"y\")",
         "\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\"");
  CHECK (dh_escape_csv_cell, "+cmd|' /C calc'!A0", "\"'+cmd|' /C calc'!A0\"");
  CHECK (dh_escape_csv_cell, "-2+3", "\"'-2+3\"");
  CHECK (dh_escape_csv_cell, "@SUM(A1)", "\"'@SUM(A1)\"");
  CHECK (dh_escape_csv_cell, "\t=1", "\"'\t=1\"");
  CHECK (dh_escape_csv_cell, "\r=1", "\"'\r=1\"");
  CHECK (dh_escape_csv_cell, "  =1", "\"'  =1\"");
  CHECK (dh_escape_csv_cell, "\xef\xbc\x9d" "1", "\"'\xef\xbc\x9d" "1\"");
  CHECK (dh_escape_csv_cell, "a=b", "a=b");
  CHECK (dh_escape_csv_cell, "2026-03-02T10:00:00Z", "2026-03-02T10:00:00Z");
  CHECK (dh_escape_csv_cell, "x\xff", "x\xef\xbf\xbd");
  CHECK (dh_escape_csv_cell, NULL, "");
}

static void
test_pango (void)
{
  const char *hostile = "<b>bold</b> & <span foreground=\"red\">x</span>\x1b\xff";
  g_autofree char *markup = dh_escape_pango (hostile);
  g_autofree char *text = NULL;
  g_autoptr(GError) error = NULL;
  PangoAttrList *attrs = NULL;

  g_assert_cmpstr (markup, ==,
                   "&lt;b&gt;bold&lt;/b&gt; &amp; &lt;span foreground=&quot;red&quot;&gt;x"
                   "&lt;/span&gt;\\x1b\xef\xbf\xbd");
  g_assert_true (pango_parse_markup (markup, -1, 0, &attrs, &text, NULL, &error));
  g_assert_no_error (error);
  /* the text comes back as logged (made visible), with no attribute from it */
  g_assert_cmpstr (text, ==, "<b>bold</b> & <span foreground=\"red\">x</span>\\x1b\xef\xbf\xbd");
  {
    PangoAttrIterator *it = pango_attr_list_get_iterator (attrs);
    GSList *list = pango_attr_iterator_get_attrs (it);
    g_assert_null (list);
    pango_attr_iterator_destroy (it);
  }
  pango_attr_list_unref (attrs);
}

static void
test_web_url (void)
{
  g_assert_true (dh_escape_is_web_url ("https://attack.mitre.org/techniques/T1568/002/"));
  g_assert_true (dh_escape_is_web_url ("http://example.com/a?b=c&d=e"));
  g_assert_false (dh_escape_is_web_url ("javascript:alert(1)"));
  g_assert_false (dh_escape_is_web_url ("data:text/html,<script>"));
  g_assert_false (dh_escape_is_web_url ("https://x/\"onmouseover=\"alert(1)"));
  g_assert_false (dh_escape_is_web_url ("https://x/ y"));
  g_assert_false (dh_escape_is_web_url ("HTTPS://x/"));
  g_assert_false (dh_escape_is_web_url (NULL));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/escape/sanitize", test_sanitize);
  g_test_add_func ("/escape/html", test_html);
  g_test_add_func ("/escape/markdown-text", test_markdown_text);
  g_test_add_func ("/escape/markdown-code", test_markdown_code);
  g_test_add_func ("/escape/csv", test_csv);
  g_test_add_func ("/escape/pango", test_pango);
  g_test_add_func ("/escape/web-url", test_web_url);
  return g_test_run ();
}
