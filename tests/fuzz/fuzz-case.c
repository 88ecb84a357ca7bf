/* fuzz-case.c: libFuzzer target for case files
 *
 * A case file comes from whoever sent it. Whatever is read from one must not
 * crash, hang or leak, and a case read back from what it writes is the same
 * case.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dh-case.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(DhCase) kase = dh_case_new_from_json ((const char *) data, size, NULL);
  g_autoptr(DhCase) back = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *json = NULL;
  g_autofree char *again = NULL;

  if (kase == NULL)
    return 0;
  json = dh_case_to_json (kase, NULL);
  back = dh_case_new_from_json (json, -1, &error);
  if (back == NULL)
    {
      fprintf (stderr, "a case it wrote does not read back: %s\n", error->message);
      abort ();
    }
  again = dh_case_to_json (back, NULL);
  if (strcmp (json, again) != 0)
    {
      fprintf (stderr, "a case it wrote reads back different:\n%s\n%s\n", json, again);
      abort ();
    }
  return 0;
}
