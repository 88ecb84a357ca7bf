/* bench-inflate.c: inflate a gzip file with the reader's decompressor
 * (DhGunzip: zlib, the CRC-32 by libdeflate) and nothing else, for the
 * benchmark: how long the gzip input takes when nothing is parsed.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <stdio.h>

#include <gio/gio.h>

#include "dh-gunzip.h"

int
main (int    argc,
      char **argv)
{
  g_autoptr(GFile) file = NULL;
  g_autoptr(GInputStream) raw = NULL;
  g_autoptr(GConverter) z = NULL;
  g_autoptr(GInputStream) in = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *buf = g_malloc (1 << 20);
  guint64 total = 0;
  gssize n;

  if (argc != 2)
    {
      fprintf (stderr, "usage: bench-inflate FILE.gz\n");
      return 1;
    }
  file = g_file_new_for_commandline_arg (argv[1]);
  raw = G_INPUT_STREAM (g_file_read (file, NULL, &error));
  if (raw == NULL)
    {
      fprintf (stderr, "%s\n", error->message);
      return 1;
    }
  z = G_CONVERTER (dh_gunzip_new ());
  in = g_converter_input_stream_new (raw, z);
  while ((n = g_input_stream_read (in, buf, 1 << 20, NULL, &error)) > 0)
    total += n;
  if (n < 0)
    {
      fprintf (stderr, "%s\n", error->message);
      return 1;
    }
  printf ("%" G_GUINT64_FORMAT "\n", total);
  return 0;
}
