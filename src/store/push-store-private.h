/* push-store-private.h: for the store's sibling classes (destinations, cache, runs)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * They share PushStore's connection and its lock: take the lock (or be inside
 * push_store_begin/commit, which holds it) around every use of the connection.
 */
#pragma once

#include <sqlite3.h>

#include "push-store.h"

G_BEGIN_DECLS

sqlite3      *_push_store_get_db     (PushStore    *self);
void          _push_store_lock       (PushStore    *self);
void          _push_store_unlock     (PushStore    *self);
/* Sets @error from the connection's last error with @what in front (lock held). */
void          _push_store_set_error  (PushStore    *self,
                                      int           rc,
                                      const char   *what,
                                      GError      **error);
/* Prepares @sql (lock held); NULL with @error set on failure. */
sqlite3_stmt *_push_store_prepare    (PushStore    *self,
                                      const char   *sql,
                                      const char   *what,
                                      GError      **error);
/* Binds @text to parameter @index, or NULL when @text is NULL (SQLite copies it). */
void          _push_store_bind_text  (sqlite3_stmt *stmt,
                                      int           index,
                                      const char   *text);

/* " AND outcome IN ('created', …)" for a mask of PUSH_OUTCOME_MASK() bits, "" for all of them
 * (push-run-store.c; the runs' outcomes and the previews' members both filter with it). */
char         *_push_outcome_filter_sql (guint outcomes);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (sqlite3_stmt, sqlite3_finalize)

typedef PushStore PushStoreLocked;
static inline PushStoreLocked *
_push_store_locker_new (PushStore *self)
{
  _push_store_lock (self);
  return self;
}
static inline void
_push_store_locker_free (PushStoreLocked *self)
{
  _push_store_unlock (self);
}
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PushStoreLocked, _push_store_locker_free)

G_END_DECLS
