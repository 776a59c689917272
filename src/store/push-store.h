/* push-store.h: the application's SQLite database
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * CONTRACT (set by the skeleton; the store's owner grows it).
 * One file (default: $XDG_DATA_HOME/audience-push/audience-push.db), WAL mode, mode 0600,
 * schema versioned with PRAGMA user_version and migrated forward on open; every write in a
 * transaction. Never holds a secret.
 */
#pragma once

#include <gio/gio.h>

#include "push-account.h"

G_BEGIN_DECLS

#define PUSH_STORE_ERROR (push_store_error_quark ())
typedef enum {
  PUSH_STORE_ERROR_FAILED,
  PUSH_STORE_ERROR_CONSTRAINT,   /* e.g. an account name that is taken */
  PUSH_STORE_ERROR_NOT_FOUND,
  PUSH_STORE_ERROR_TOO_NEW,      /* the file's schema is newer than this build knows */
  PUSH_STORE_ERROR_CORRUPT,
} PushStoreError;
GQuark push_store_error_quark (void);

#define PUSH_TYPE_STORE (push_store_get_type ())
G_DECLARE_FINAL_TYPE (PushStore, push_store, PUSH, STORE, GObject)

/* @path: NULL for the default location. Creates, then migrates, the schema. A file that is
 * not a database: PUSH_STORE_ERROR_CORRUPT; a schema newer than this build:
 * PUSH_STORE_ERROR_TOO_NEW (the file is left untouched). The store may be used from any
 * thread. */
PushStore   *push_store_open                (const char   *path,
                                             GError      **error);
/* The default location: g_get_user_data_dir()/audience-push/ (created 0700). */
char        *push_store_dup_default_dir     (void);
const char  *push_store_get_path            (PushStore    *self);
int          push_store_get_schema_version  (PushStore    *self);

/* The schema version this build writes (what push_store_get_schema_version() is after open). */
#define PUSH_STORE_SCHEMA_VERSION 3

/* Transactions. begin takes the store's lock for the calling thread until the matching commit
 * or rollback (other threads wait), so a transaction may span several calls and a keyring
 * call. They nest: an inner begin/commit pair is a savepoint of the outer transaction, and
 * every write function below wraps itself in one. */
gboolean     push_store_begin               (PushStore    *self, GError **error);
/* On failure the transaction (or savepoint) is rolled back and the lock released: do not
 * call push_store_rollback() after a failed commit. */
gboolean     push_store_commit              (PushStore    *self, GError **error);
void         push_store_rollback            (PushStore    *self);

/* Accounts, sorted by name (element type PushAccount). */
GPtrArray   *push_store_list_accounts       (PushStore    *self, GError **error);
gboolean     push_store_insert_account      (PushStore    *self, PushAccount *account, GError **error);
gboolean     push_store_update_account      (PushStore    *self, PushAccount *account, GError **error);
gboolean     push_store_delete_account      (PushStore    *self, const char *account_id, GError **error);

/* Small key/value settings that belong with the data rather than in GSettings. get: NULL
 * without an error when the key is not set. set: a NULL @value unsets the key. */
char        *push_store_get_value           (PushStore    *self, const char *key, GError **error);
gboolean     push_store_set_value           (PushStore    *self, const char *key, const char *value,
                                             GError      **error);

/* Daily API call counts, for the pacer's local quota. @day_key is the caller's choice of day
 * ("2024-05-31", in whatever time zone the quota resets in). get: 0 for a day with no row, -1
 * on error. add: adds @calls and returns the new count, -1 on error. Rows go with their
 * account when it is deleted. */
gint64       push_store_get_usage           (PushStore    *self,
                                             const char   *account_id,
                                             const char   *day_key,
                                             GError      **error);
gint64       push_store_add_usage           (PushStore    *self,
                                             const char   *account_id,
                                             const char   *day_key,
                                             guint         calls,
                                             GError      **error);
/* Deletes the counts of the days before @day_key (string order). */
gboolean     push_store_prune_usage         (PushStore    *self,
                                             const char   *before_day_key,
                                             GError      **error);

G_END_DECLS
