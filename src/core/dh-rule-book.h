/* dh-rule-book.h: the ten rules, their texts and their settings
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "dh-types.h"

G_BEGIN_DECLS

#define DH_RULE_BOOK_ERROR (dh_rule_book_error_quark ())

typedef enum {
  DH_RULE_BOOK_ERROR_DATA,
  DH_RULE_BOOK_ERROR_UNKNOWN_KEY,
  DH_RULE_BOOK_ERROR_BAD_VALUE,
} DhRuleBookError;

/* The largest list file read (`list-file=PATH`): 16 MiB */
#define DH_LIST_FILE_MAX_SIZE (16 * 1024 * 1024)

typedef enum {
  DH_RULE_NXDOMAIN_BURST,
  DH_RULE_DNS_OVER_TCP,
  DH_RULE_REFUSED_BURST,
  DH_RULE_METADATA_IP_ANSWER,
  DH_RULE_UNCOMMON_RECORD_TYPES,
  DH_RULE_SUSPICIOUS_TLD,
  DH_RULE_PASTE_SITE,
  DH_RULE_MONERO_POOL,
  DH_RULE_BASE64_LABEL,
  DH_RULE_K8S_ENUMERATION,
  DH_N_RULES,
} DhRuleKind;

typedef enum {
  DH_SETTING_BOOL,
  DH_SETTING_UINT,
  DH_SETTING_DURATION,
  DH_SETTING_PERCENT,
  DH_SETTING_LIST,
} DhSettingType;

typedef struct
{
  char *id;
  char *name;
  char *url;
} DhMitreRef;

typedef struct
{
  char *title;
  char *url;
} DhReference;

typedef struct
{
  char          *key;
  DhSettingType  type;
  gint64         number;   /* bool, count, percent, or µs for durations */
  GPtrArray     *list;     /* char *, for DH_SETTING_LIST */
} DhSetting;

typedef struct
{
  DhRuleKind   kind;
  char        *id;
  char        *title;
  DhSeverity   severity;
  DhMitreRef   tactic;
  DhMitreRef   technique;
  DhMitreRef   subtechnique;   /* id is NULL when there is none */
  char        *description;
  char        *impact;
  GPtrArray   *mitigation;     /* char * */
  GPtrArray   *references;     /* DhReference * */
  GPtrArray   *settings;       /* DhSetting *, in the data's order */
} DhRule;

GQuark            dh_rule_book_error_quark    (void);
DhRuleBook       *dh_rule_book_new            (GError       **error);
DhRuleBook       *dh_rule_book_ref            (DhRuleBook    *book);
void              dh_rule_book_unref          (DhRuleBook    *book);
DhRuleBook       *dh_rule_book_copy           (DhRuleBook    *book);
const DhRule     *dh_rule_book_get_rule       (DhRuleBook    *book,
                                               DhRuleKind     kind);
const DhRule     *dh_rule_book_find_rule      (DhRuleBook    *book,
                                               const char    *id);
const DhSetting  *dh_rule_get_setting         (const DhRule  *rule,
                                               const char    *key);
gint64            dh_rule_get_number          (const DhRule  *rule,
                                               const char    *key);
GPtrArray        *dh_rule_get_list            (const DhRule  *rule,
                                               const char    *key);
GPtrArray        *dh_rule_book_get_global_list (DhRuleBook   *book,
                                               const char    *key);
gboolean          dh_rule_book_set            (DhRuleBook    *book,
                                               const char    *assignment,
                                               GError       **error);
gboolean          dh_rule_book_set_value      (DhRuleBook    *book,
                                               const char    *rule_id,
                                               const char    *key,
                                               const char    *value,
                                               GError       **error);
char             *dh_rule_book_get_value_string (DhRuleBook  *book,
                                                 const char  *rule_id,
                                                 const char  *key);
char             *dh_rule_book_describe_keys  (DhRuleBook    *book);
gboolean          dh_rule_book_key_is_path    (const char    *key);
GPtrArray        *dh_list_file_read           (const char    *path,
                                               GCancellable  *cancellable,
                                               GError       **error);
void              dh_list_file_read_async     (const char          *path,
                                               GCancellable        *cancellable,
                                               GAsyncReadyCallback  callback,
                                               gpointer             user_data);
GPtrArray        *dh_list_file_read_finish    (GAsyncResult  *result,
                                               GError       **error);
const char       *dh_rule_kind_to_id          (DhRuleKind     kind);
const char       *dh_severity_to_string       (DhSeverity     severity);
const char       *dh_severity_label           (DhSeverity     severity);
gboolean          dh_severity_from_string     (const char    *text,
                                               DhSeverity    *severity);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (DhRuleBook, dh_rule_book_unref)

G_END_DECLS
