/* dh-match.h: domain-name tests the rules share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define DH_NAME_MAX 1024

/* A set of lowercase domain names without trailing dots. */
typedef struct _DhDomainSet DhDomainSet;

gsize        dh_name_normalize      (const char  *name,
                                     gsize        len,
                                     char         out[DH_NAME_MAX]);
DhDomainSet *dh_domain_set_new      (void);
void         dh_domain_set_free     (DhDomainSet *set);
void         dh_domain_set_add      (DhDomainSet *set,
                                     const char  *domain);
guint        dh_domain_set_get_size (DhDomainSet *set);
gboolean     dh_domain_set_contains (DhDomainSet *set,
                                     const char  *normalized,
                                     gsize        len);
gboolean     dh_domain_set_covers   (DhDomainSet *set,
                                     const char  *normalized,
                                     gsize        len);
const char  *dh_name_tld            (const char  *normalized,
                                     gsize        len,
                                     gsize       *tld_len);
gboolean     dh_label_is_base64_text (const char *label,
                                      gsize       len,
                                      guint       min_length,
                                      guint       min_printable_percent);
gboolean     dh_name_has_base64_label (const char *name,
                                       gsize       len,
                                       guint       min_length,
                                       guint       min_printable_percent);
gboolean     dh_name_is_k8s_enumeration (const char *normalized,
                                         gsize       len);
gboolean     dh_name_matches_pattern (const char *normalized,
                                      gsize       len,
                                      const char *pattern);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (DhDomainSet, dh_domain_set_free)

G_END_DECLS
