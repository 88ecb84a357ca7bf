/* dh-case.h: an investigation saved to a file (inputs, settings, triage)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "dh-types.h"

G_BEGIN_DECLS

#define DH_CASE_ERROR (dh_case_error_quark ())

typedef enum {
  DH_CASE_ERROR_INVALID,
} DhCaseError;

typedef struct
{
  DhTriageState  state;
  char          *note;
} DhTriage;

typedef struct _DhCase DhCase;

GQuark       dh_case_error_quark          (void);
char        *dh_triage_key                (const char     *rule_id,
                                           const char     *host,
                                           gint64          first_seen);

DhCase      *dh_case_new                  (void);
void         dh_case_free                 (DhCase         *self);
void         dh_case_add_input            (DhCase         *self,
                                           const char     *path);
GPtrArray   *dh_case_get_inputs           (DhCase         *self);
void         dh_case_clear_inputs         (DhCase         *self);
void         dh_case_set_setting          (DhCase         *self,
                                           const char     *rule_key,
                                           const char     *value);
GHashTable  *dh_case_get_settings         (DhCase         *self);
GPtrArray   *dh_case_get_refused_settings (DhCase         *self);
void         dh_case_set_triage           (DhCase         *self,
                                           const char     *rule_id,
                                           const char     *host,
                                           gint64          first_seen,
                                           DhTriageState   state,
                                           const char     *note);
const DhTriage *dh_case_lookup_triage     (DhCase         *self,
                                           const char     *rule_id,
                                           const char     *host,
                                           gint64          first_seen);
guint        dh_case_get_n_triage         (DhCase         *self);
gboolean     dh_case_set_live             (DhCase         *self,
                                           const char     *kind,
                                           const char     *log_group,
                                           const char     *region,
                                           const char     *profile);
const char  *dh_case_get_live             (DhCase         *self,
                                           const char    **log_group,
                                           const char    **region,
                                           const char    **profile);
char        *dh_case_to_json              (DhCase         *self,
                                           gsize          *length);
DhCase      *dh_case_new_from_json        (const char     *data,
                                           gssize          length,
                                           GError        **error);
gboolean     dh_case_save                 (DhCase         *self,
                                           const char     *path,
                                           GError        **error);
DhCase      *dh_case_load                 (const char     *path,
                                           GError        **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (DhCase, dh_case_free)

G_END_DECLS
