/* dh-escape.h: making strings from logs inert in every output format
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

void      dh_text_sanitize_append       (GString    *out,
                                         const char *text);
char     *dh_text_sanitize              (const char *text);

void      dh_escape_html_append         (GString    *out,
                                         const char *text);
char     *dh_escape_html                (const char *text);

void      dh_escape_markdown_text_append (GString   *out,
                                          const char *text);
char     *dh_escape_markdown_text       (const char *text);
void      dh_escape_markdown_code_append (GString   *out,
                                          const char *text,
                                          gboolean   in_table);
char     *dh_escape_markdown_code       (const char *text,
                                         gboolean    in_table);

void      dh_escape_csv_cell_append     (GString    *out,
                                         const char *text);
char     *dh_escape_csv_cell            (const char *text);

char     *dh_escape_pango               (const char *text);

gboolean  dh_escape_is_web_url          (const char *url);

G_END_DECLS
