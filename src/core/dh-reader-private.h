/* dh-reader-private.h: the reader's calls for tests, benchmarks and fuzzers
 *
 * The application reads paths (dh_reader_add_path) and CloudWatch messages
 * (dh_reader_add_message); what is declared here is for the programs under
 * tests/ only.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "dh-reader.h"

G_BEGIN_DECLS

void            dh_reader_set_reference_only (DhReader            *reader,
                                              gboolean             reference_only);
guint64         dh_reader_get_n_fast       (DhReader              *reader);
guint           dh_reader_get_n_inputs     (DhReader              *reader);
gboolean        dh_reader_read_stream      (DhReader              *reader,
                                            const char            *name,
                                            GInputStream          *stream,
                                            GCancellable          *cancellable,
                                            GError               **error);
gboolean        dh_reader_read_bytes       (DhReader              *reader,
                                            const char            *name,
                                            const char            *data,
                                            gsize                  len,
                                            GError               **error);

G_END_DECLS
