/* dh-application.h: the DNS Hunt application
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define DH_TYPE_APPLICATION (dh_application_get_type ())

G_DECLARE_FINAL_TYPE (DhApplication, dh_application, DH, APPLICATION, AdwApplication)

DhApplication *dh_application_new          (void);
GSettings     *dh_application_get_settings (DhApplication *self);
int            dh_application_main         (int            argc,
                                            char         **argv);
char          *dh_find_demo_dir            (void);
GSettings     *dh_settings_new             (void);
void           dh_application_register_resources (void);

G_END_DECLS
