/* fuzz-reader.c: libFuzzer target for the reader
 *
 * Every input is read twice, through the fast scanner and through json-glib
 * alone; the two stores and their rejects must be the same, and neither may
 * crash, hang or leak.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "dh-reader-private.h"
#include "dh-record-fast.h"
#include "dh-store-compare.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  DhEventStore *sa = dh_event_store_new ();
  DhEventStore *sb = dh_event_store_new ();
  DhReader *ref = dh_reader_new (sa);
  DhReader *fast = dh_reader_new (sb);
  DhFastScratch scratch;
  char *diff;

  dh_reader_set_reference_only (ref, TRUE);
  dh_reader_set_reference_only (fast, FALSE);
  dh_reader_read_bytes (ref, "fuzz", (const char *) data, size, NULL);
  dh_reader_read_bytes (fast, "fuzz", (const char *) data, size, NULL);
  diff = dh_store_compare (ref, fast);
  if (diff)
    {
      fprintf (stderr, "fast and reference paths differ: %s\n", diff);
      abort ();
    }

  /* the scanner alone, on the raw bytes */
  dh_fast_scratch_init (&scratch);
  dh_fast_line_parse ((const char *) data, size, &scratch);
  dh_fast_scratch_clear (&scratch);

  dh_reader_free (ref);
  dh_reader_free (fast);
  dh_event_store_unref (sa);
  dh_event_store_unref (sb);
  return 0;
}
