/* main.c: `dnshunt` entry point
 *
 * `dnshunt scan …` runs headless and returns before anything touches GTK,
 * so it works with no display; everything else opens the window.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <locale.h>
#include <stdio.h>
#include <string.h>

#include <glib/gi18n.h>

#include "dh-application.h"
#include "dh-scan.h"

int
main (int    argc,
      char **argv)
{
  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  /* Dispatched before any GTK call: the CLI must never need a display. */
  if (argc > 1 && g_str_equal (argv[1], "scan"))
    {
      argv[1] = argv[0];
      return dh_scan_main (argc - 1, argv + 1);
    }

  if (argc > 1 && (g_str_equal (argv[1], "--version") || g_str_equal (argv[1], "-v")))
    {
      printf ("dnshunt %s\n", PACKAGE_VERSION);
      return 0;
    }

  return dh_application_main (argc, argv);
}
