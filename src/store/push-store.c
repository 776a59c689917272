/* push-store.c: the application's SQLite database
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <sqlite3.h>

#include "push-store.h"
#include "push-store-private.h"

struct _PushStore
{
  GObject    parent_instance;

  char      *path;            /* (owned) */
  sqlite3   *db;              /* (owned) opened with SQLITE_OPEN_FULLMUTEX */
  int        schema_version;

  /* Held from push_store_begin() to the matching commit/rollback, and around every
   * statement, so that one thread's transaction never sees another thread's writes. */
  GRecMutex  lock;
  guint      depth;           /* transaction nesting; protected by lock */
};

G_DEFINE_FINAL_TYPE (PushStore, push_store, G_TYPE_OBJECT)
G_DEFINE_QUARK (push-store-error-quark, push_store_error)

#define BUSY_TIMEOUT_MS 5000

/* The migrations, in order: migrations[i] takes the schema from version i to i + 1. They are
 * history: never edit one that has shipped, add a new one (and bump
 * PUSH_STORE_SCHEMA_VERSION). */
static const char * const migrations[] = {
  /* 1: accounts */
  "CREATE TABLE accounts ("
  "  id          TEXT PRIMARY KEY NOT NULL,"
  "  name        TEXT NOT NULL COLLATE NOCASE UNIQUE,"
  "  munchkin_id TEXT NOT NULL,"
  "  endpoint    TEXT NOT NULL,"
  "  client_id   TEXT NOT NULL,"
  "  is_sandbox  INTEGER NOT NULL DEFAULT 0 CHECK (is_sandbox IN (0, 1)),"
  "  created     INTEGER NOT NULL DEFAULT (strftime('%s', 'now'))"
  ");",

  /* 2: per-account pacing limits, key/value settings, daily API usage */
  "ALTER TABLE accounts ADD COLUMN rate_calls INTEGER NOT NULL DEFAULT 50"
  "  CHECK (rate_calls >= 1);"
  "ALTER TABLE accounts ADD COLUMN rate_window INTEGER NOT NULL DEFAULT 20"
  "  CHECK (rate_window >= 1);"
  "ALTER TABLE accounts ADD COLUMN max_concurrency INTEGER NOT NULL DEFAULT 5"
  "  CHECK (max_concurrency >= 1);"
  "ALTER TABLE accounts ADD COLUMN daily_quota INTEGER NOT NULL DEFAULT 50000"
  "  CHECK (daily_quota >= 1);"
  "CREATE TABLE settings ("
  "  key   TEXT PRIMARY KEY NOT NULL,"
  "  value TEXT NOT NULL"
  ") WITHOUT ROWID;"
  "CREATE TABLE api_usage ("
  "  account_id TEXT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,"
  "  day        TEXT NOT NULL,"
  "  calls      INTEGER NOT NULL DEFAULT 0 CHECK (calls >= 0),"
  "  PRIMARY KEY (account_id, day)"
  ") WITHOUT ROWID;",

  /* 3: destinations, the instance metadata cache, audiences, activation runs and previews.
   * A destination is kept as its versioned JSON document (the export format), so the row
   * never lags behind the model; name and account are columns for uniqueness and joins. A
   * run keeps a copy of its destination's document, so history survives edits and removal. */
  "CREATE TABLE destinations ("
  "  id         TEXT PRIMARY KEY NOT NULL,"
  "  name       TEXT NOT NULL COLLATE NOCASE UNIQUE,"
  "  account_id TEXT NOT NULL REFERENCES accounts (id) ON DELETE RESTRICT,"
  "  document   TEXT NOT NULL,"
  "  created    INTEGER NOT NULL DEFAULT (strftime('%s', 'now')),"
  "  updated    INTEGER NOT NULL DEFAULT (strftime('%s', 'now'))"
  ");"
  "CREATE TABLE instance_cache ("
  "  account_id TEXT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,"
  "  kind       TEXT NOT NULL,"
  "  payload    TEXT NOT NULL,"
  "  fetched    INTEGER NOT NULL,"
  "  PRIMARY KEY (account_id, kind)"
  ") WITHOUT ROWID;"
  "CREATE TABLE audiences ("
  "  id          TEXT PRIMARY KEY NOT NULL,"
  "  path        TEXT NOT NULL UNIQUE,"
  "  name        TEXT NOT NULL,"
  "  format      TEXT NOT NULL,"
  "  delimiter   TEXT,"
  "  fingerprint TEXT,"
  "  row_count   INTEGER,"
  "  added       INTEGER NOT NULL DEFAULT (strftime('%s', 'now'))"
  ");"
  "CREATE TABLE runs ("
  "  id                   TEXT PRIMARY KEY NOT NULL,"
  "  destination_id       TEXT,"
  "  destination_name     TEXT NOT NULL,"
  "  destination_document TEXT NOT NULL,"
  "  account_id           TEXT,"
  "  audience_path        TEXT NOT NULL,"
  "  audience_fingerprint TEXT NOT NULL,"
  "  state                TEXT NOT NULL CHECK (state IN ('pending', 'running', 'paused',"
  "                         'cancelled', 'interrupted', 'completed', 'failed')),"
  "  created              INTEGER NOT NULL DEFAULT (strftime('%s', 'now')),"
  "  started              INTEGER,"
  "  finished             INTEGER,"
  "  total_members        INTEGER NOT NULL DEFAULT 0,"
  "  next_batch           INTEGER NOT NULL DEFAULT 0,"
  "  resume_offset        INTEGER NOT NULL DEFAULT 0,"
  "  resume_row           INTEGER NOT NULL DEFAULT 0,"
  "  list_id              INTEGER,"
  "  calls_used           INTEGER NOT NULL DEFAULT 0,"
  "  quota_reset          INTEGER,"
  "  message              TEXT,"
  "  forecast             TEXT,"
  "  counts               TEXT NOT NULL DEFAULT '{}'"
  ");"
  "CREATE INDEX runs_by_created ON runs (created);"
  "CREATE TABLE run_batches ("
  "  run_id    TEXT NOT NULL REFERENCES runs (id) ON DELETE CASCADE,"
  "  seq       INTEGER NOT NULL,"
  "  first_row INTEGER NOT NULL,"
  "  last_row  INTEGER NOT NULL,"
  "  calls     INTEGER NOT NULL DEFAULT 0,"
  "  committed INTEGER NOT NULL DEFAULT (strftime('%s', 'now')),"
  "  PRIMARY KEY (run_id, seq)"
  ") WITHOUT ROWID;"
  "CREATE TABLE outcomes ("
  "  run_id         TEXT NOT NULL REFERENCES runs (id) ON DELETE CASCADE,"
  "  row_number     INTEGER NOT NULL,"
  "  dedupe_value   TEXT,"
  "  outcome        TEXT NOT NULL,"
  "  lead_id        INTEGER,"
  "  reason_code    TEXT,"
  "  reason_message TEXT,"
  "  detail         TEXT,"
  "  PRIMARY KEY (run_id, row_number)"
  ") WITHOUT ROWID;"
  "CREATE INDEX outcomes_by_outcome ON outcomes (run_id, outcome, row_number);"
  "CREATE TABLE previews ("
  "  id                   TEXT PRIMARY KEY NOT NULL,"
  "  destination_id       TEXT NOT NULL REFERENCES destinations (id) ON DELETE CASCADE,"
  "  destination_document TEXT NOT NULL,"
  "  audience_fingerprint TEXT NOT NULL,"
  "  mode                 TEXT NOT NULL CHECK (mode IN ('sample', 'full')),"
  "  state                TEXT NOT NULL,"
  "  created              INTEGER NOT NULL DEFAULT (strftime('%s', 'now')),"
  "  counts               TEXT NOT NULL DEFAULT '{}'"
  ");"
  "CREATE TABLE preview_members ("
  "  preview_id     TEXT NOT NULL REFERENCES previews (id) ON DELETE CASCADE,"
  "  row_number     INTEGER NOT NULL,"
  "  dedupe_value   TEXT,"
  "  outcome        TEXT NOT NULL,"
  "  lead_id        INTEGER,"
  "  other_lead_ids TEXT,"
  "  partition_id   INTEGER,"
  "  reason         TEXT,"
  "  PRIMARY KEY (preview_id, row_number)"
  ") WITHOUT ROWID;",
};

G_STATIC_ASSERT (G_N_ELEMENTS (migrations) == PUSH_STORE_SCHEMA_VERSION);

#define ACCOUNT_COLUMNS \
  "id, name, munchkin_id, endpoint, client_id, is_sandbox, " \
  "rate_calls, rate_window, max_concurrency, daily_quota"

/* Errors */

static int
error_code_for (int rc)
{
  switch (rc & 0xff)
    {
    case SQLITE_CONSTRAINT:
      return PUSH_STORE_ERROR_CONSTRAINT;
    case SQLITE_NOTADB:
    case SQLITE_CORRUPT:
      return PUSH_STORE_ERROR_CORRUPT;
    default:
      return PUSH_STORE_ERROR_FAILED;
    }
}

/* Sets @error from the connection's last error, with @what ("Could not save the account")
 * in front. SQLite's own text is not translated, but it says what went wrong. */
static void
set_db_error (PushStore   *self,
              int          rc,
              const char  *what,
              GError     **error)
{
  int code = error_code_for (rc);

  if (code == PUSH_STORE_ERROR_CORRUPT)
    g_set_error (error, PUSH_STORE_ERROR, code,
                 /* Translators: %s is a file path */
                 _("“%s” is not an Audience Push database, or it is damaged (%s)"),
                 self->path, sqlite3_errstr (rc));
  else
    g_set_error (error, PUSH_STORE_ERROR, code, "%s: %s", what,
                 self->db != NULL ? sqlite3_errmsg (self->db) : sqlite3_errstr (rc));
}

static gboolean
exec_sql (PushStore   *self,
          const char  *sql,
          const char  *what,
          GError     **error)
{
  int rc = sqlite3_exec (self->db, sql, NULL, NULL, NULL);

  if (rc != SQLITE_OK)
    {
      set_db_error (self, rc, what, error);
      return FALSE;
    }
  return TRUE;
}

static sqlite3_stmt *
prepare (PushStore   *self,
         const char  *sql,
         const char  *what,
         GError     **error)
{
  sqlite3_stmt *stmt = NULL;
  int rc = sqlite3_prepare_v2 (self->db, sql, -1, &stmt, NULL);

  if (rc != SQLITE_OK)
    {
      set_db_error (self, rc, what, error);
      sqlite3_finalize (stmt);
      return NULL;
    }
  return stmt;
}

/* Helpers */

static gboolean
ensure_private_dir (const char  *dir,
                    GError     **error)
{
  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, PUSH_STORE_ERROR, PUSH_STORE_ERROR_FAILED,
                   /* Translators: %s is a folder path, then the system's reason */
                   _("Could not create the folder “%s”: %s"), dir, g_strerror (saved_errno));
      return FALSE;
    }
  return TRUE;
}

/* The database file is made 0600 before SQLite opens it; SQLite gives the -wal and -shm
 * files the mode of the database file. */
static gboolean
create_private_file (const char  *path,
                     GError     **error)
{
  int fd = g_open (path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);

  if (fd < 0)
    {
      int saved_errno = errno;

      g_set_error (error, PUSH_STORE_ERROR, PUSH_STORE_ERROR_FAILED,
                   /* Translators: %s is a file path, then the system's reason */
                   _("Could not open the database “%s”: %s"), path, g_strerror (saved_errno));
      return FALSE;
    }
  g_close (fd, NULL);
  return TRUE;
}

static void
make_private (const char *path)
{
  GStatBuf st;

  if (g_stat (path, &st) == 0 && (st.st_mode & 0077) != 0 && g_chmod (path, 0600) != 0)
    g_warning ("Could not make %s private: %s", path, g_strerror (errno));
}

static int
read_user_version (PushStore  *self,
                   GError    **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int rc;

  stmt = prepare (self, "PRAGMA user_version", _("Could not read the database version"), error);
  if (stmt == NULL)
    return -1;

  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW)
    {
      set_db_error (self, rc, _("Could not read the database version"), error);
      return -1;
    }
  return sqlite3_column_int (stmt, 0);
}

static gboolean
migrate (PushStore  *self,
         GError    **error)
{
  for (int target = 1; target <= PUSH_STORE_SCHEMA_VERSION; target++)
    {
      g_autofree char *set_version = NULL;
      int version;

      if (!push_store_begin (self, error))
        return FALSE;

      /* Read again inside the write lock: another process may have just migrated. */
      version = read_user_version (self, error);
      if (version < 0)
        {
          push_store_rollback (self);
          return FALSE;
        }
      if (version >= target)
        {
          if (!push_store_commit (self, error))
            return FALSE;
          continue;
        }

      g_debug ("Migrating %s from schema %d to %d", self->path, version, target);
      set_version = g_strdup_printf ("PRAGMA user_version = %d", target);
      if (!exec_sql (self, migrations[target - 1], _("Could not upgrade the database"), error) ||
          !exec_sql (self, set_version, _("Could not upgrade the database"), error))
        {
          push_store_rollback (self);
          return FALSE;
        }
      if (!push_store_commit (self, error))
        return FALSE;
    }

  self->schema_version = PUSH_STORE_SCHEMA_VERSION;
  return TRUE;
}

static gboolean
set_wal_mode (PushStore  *self,
              GError    **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int rc;

  stmt = prepare (self, "PRAGMA journal_mode = WAL", _("Could not set up the database"), error);
  if (stmt == NULL)
    return FALSE;

  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW)
    {
      set_db_error (self, rc, _("Could not set up the database"), error);
      return FALSE;
    }
  if (g_ascii_strcasecmp ((const char *) sqlite3_column_text (stmt, 0), "wal") != 0)
    g_warning ("%s: journal mode is %s, not WAL", self->path, sqlite3_column_text (stmt, 0));
  return TRUE;
}

static PushAccount *
account_from_row (sqlite3_stmt *stmt)
{
  PushAccount *account;

  account = push_account_new_with_id ((const char *) sqlite3_column_text (stmt, 0));
  push_account_set_name (account, (const char *) sqlite3_column_text (stmt, 1));
  push_account_set_munchkin_id (account, (const char *) sqlite3_column_text (stmt, 2));
  push_account_set_endpoint (account, (const char *) sqlite3_column_text (stmt, 3));
  push_account_set_client_id (account, (const char *) sqlite3_column_text (stmt, 4));
  push_account_set_is_sandbox (account, sqlite3_column_int (stmt, 5) != 0);
  push_account_set_rate_calls (account, (guint) sqlite3_column_int64 (stmt, 6));
  push_account_set_rate_window (account, (guint) sqlite3_column_int64 (stmt, 7));
  push_account_set_max_concurrency (account, (guint) sqlite3_column_int64 (stmt, 8));
  push_account_set_daily_quota (account, (guint) sqlite3_column_int64 (stmt, 9));

  return account;
}

/* Binds the account's fields to parameters 1..10 in ACCOUNT_COLUMNS order. */
static void
bind_account (sqlite3_stmt *stmt,
              PushAccount  *account)
{
  _push_store_bind_text (stmt, 1, push_account_get_id (account));
  _push_store_bind_text (stmt, 2, push_account_get_name (account));
  _push_store_bind_text (stmt, 3, push_account_get_munchkin_id (account));
  _push_store_bind_text (stmt, 4, push_account_get_endpoint (account));
  _push_store_bind_text (stmt, 5, push_account_get_client_id (account));
  sqlite3_bind_int (stmt, 6, push_account_get_is_sandbox (account) ? 1 : 0);
  sqlite3_bind_int64 (stmt, 7, push_account_get_rate_calls (account));
  sqlite3_bind_int64 (stmt, 8, push_account_get_rate_window (account));
  sqlite3_bind_int64 (stmt, 9, push_account_get_max_concurrency (account));
  sqlite3_bind_int64 (stmt, 10, push_account_get_daily_quota (account));
}

/* A failed account write: a clearer sentence for the constraint a person can run into. */
static void
set_account_write_error (PushStore    *self,
                         int           rc,
                         PushAccount  *account,
                         GError      **error)
{
  const char *message = sqlite3_errmsg (self->db);

  if (rc == SQLITE_CONSTRAINT_UNIQUE && strstr (message, "accounts.name") != NULL)
    g_set_error (error, PUSH_STORE_ERROR, PUSH_STORE_ERROR_CONSTRAINT,
                 /* Translators: %s is an account name */
                 _("There is already an account named “%s”"), push_account_get_name (account));
  else if (rc == SQLITE_CONSTRAINT_PRIMARYKEY)
    g_set_error (error, PUSH_STORE_ERROR, PUSH_STORE_ERROR_CONSTRAINT,
                 _("The account “%s” is already saved"), push_account_get_name (account));
  else
    set_db_error (self, rc, _("Could not save the account"), error);
}

/* GObject */

static void
push_store_finalize (GObject *object)
{
  PushStore *self = PUSH_STORE (object);

  if (self->depth > 0)
    {
      g_warning ("PushStore finalized inside a transaction; rolling it back");
      sqlite3_exec (self->db, "ROLLBACK", NULL, NULL, NULL);
    }
  if (self->db != NULL)
    sqlite3_close_v2 (self->db);
  g_clear_pointer (&self->path, g_free);
  g_rec_mutex_clear (&self->lock);

  G_OBJECT_CLASS (push_store_parent_class)->finalize (object);
}

static void
push_store_class_init (PushStoreClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = push_store_finalize;
}

static void
push_store_init (PushStore *self)
{
  g_rec_mutex_init (&self->lock);
}

/* Public API */

char *
push_store_dup_default_dir (void)
{
  char *dir = g_build_filename (g_get_user_data_dir (), "audience-push", NULL);

  if (g_mkdir_with_parents (dir, 0700) != 0)
    g_debug ("Could not create %s: %s", dir, g_strerror (errno));
  else if (g_chmod (dir, 0700) != 0)
    g_debug ("Could not make %s private: %s", dir, g_strerror (errno));

  return dir;
}

PushStore *
push_store_open (const char  *path,
                 GError     **error)
{
  g_autoptr(PushStore) self = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *wal = NULL;
  g_autofree char *shm = NULL;
  int version;
  int rc;

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  self = g_object_new (PUSH_TYPE_STORE, NULL);
  if (path != NULL)
    {
      self->path = g_strdup (path);
      dir = g_path_get_dirname (path);
      if (!ensure_private_dir (dir, error))
        return NULL;
    }
  else
    {
      dir = push_store_dup_default_dir ();
      self->path = g_build_filename (dir, "audience-push.db", NULL);
    }

  if (!create_private_file (self->path, error))
    return NULL;

  rc = sqlite3_open_v2 (self->path, &self->db,
                        SQLITE_OPEN_READWRITE | SQLITE_OPEN_FULLMUTEX, NULL);
  if (rc != SQLITE_OK)
    {
      set_db_error (self, rc, _("Could not open the database"), error);
      return NULL;
    }
  sqlite3_extended_result_codes (self->db, 1);
  sqlite3_busy_timeout (self->db, BUSY_TIMEOUT_MS);

  if (!exec_sql (self, "PRAGMA foreign_keys = ON", _("Could not set up the database"), error))
    return NULL;

  /* The first read of the file: a file that is not a database fails here. */
  version = read_user_version (self, error);
  if (version < 0)
    return NULL;
  if (version > PUSH_STORE_SCHEMA_VERSION)
    {
      g_set_error (error, PUSH_STORE_ERROR, PUSH_STORE_ERROR_TOO_NEW,
                   /* Translators: %s is a file path, the numbers are schema versions */
                   _("The database “%s” was written by a newer version of Audience Push "
                     "(schema %d; this version knows up to %d). Update Audience Push to "
                     "open it."),
                   self->path, version, PUSH_STORE_SCHEMA_VERSION);
      return NULL;
    }
  self->schema_version = version;

  if (!set_wal_mode (self, error) || !migrate (self, error))
    return NULL;

  wal = g_strconcat (self->path, "-wal", NULL);
  shm = g_strconcat (self->path, "-shm", NULL);
  make_private (self->path);
  make_private (wal);
  make_private (shm);

  g_debug ("Opened %s (schema %d)", self->path, self->schema_version);
  return g_steal_pointer (&self);
}

const char *
push_store_get_path (PushStore *self)
{
  g_return_val_if_fail (PUSH_IS_STORE (self), NULL);
  return self->path;
}

int
push_store_get_schema_version (PushStore *self)
{
  g_return_val_if_fail (PUSH_IS_STORE (self), -1);
  return self->schema_version;
}

gboolean
push_store_begin (PushStore  *self,
                  GError    **error)
{
  g_autofree char *sql = NULL;

  g_return_val_if_fail (PUSH_IS_STORE (self), FALSE);

  g_rec_mutex_lock (&self->lock);
  if (self->depth == 0)
    sql = g_strdup ("BEGIN IMMEDIATE");
  else
    sql = g_strdup_printf ("SAVEPOINT sp%u", self->depth);

  if (!exec_sql (self, sql, _("Could not start a database transaction"), error))
    {
      g_rec_mutex_unlock (&self->lock);
      return FALSE;
    }

  self->depth++;
  return TRUE;
}

/* The SQL that undoes the innermost level (lock held, depth > 0); NULL when there is nothing
 * to undo: SQLite may already have rolled back on its own (after SQLITE_FULL, say). */
static char *
undo_sql (PushStore *self)
{
  if (self->depth > 1)
    return g_strdup_printf ("ROLLBACK TO sp%u; RELEASE sp%u", self->depth - 1, self->depth - 1);
  if (sqlite3_get_autocommit (self->db))
    return NULL;
  return g_strdup ("ROLLBACK");
}

gboolean
push_store_commit (PushStore  *self,
                   GError    **error)
{
  g_autofree char *sql = NULL;
  gboolean ok;

  g_return_val_if_fail (PUSH_IS_STORE (self), FALSE);
  g_return_val_if_fail (self->depth > 0, FALSE);

  if (self->depth == 1)
    sql = g_strdup ("COMMIT");
  else
    sql = g_strdup_printf ("RELEASE sp%u", self->depth - 1);

  ok = exec_sql (self, sql, _("Could not save the changes to the database"), error);
  if (!ok)
    {
      g_autofree char *undo = undo_sql (self);

      if (undo != NULL)
        sqlite3_exec (self->db, undo, NULL, NULL, NULL);
    }

  self->depth--;
  g_rec_mutex_unlock (&self->lock);
  return ok;
}

void
push_store_rollback (PushStore *self)
{
  g_autofree char *sql = NULL;

  g_return_if_fail (PUSH_IS_STORE (self));
  g_return_if_fail (self->depth > 0);

  sql = undo_sql (self);
  if (sql != NULL && sqlite3_exec (self->db, sql, NULL, NULL, NULL) != SQLITE_OK)
    g_warning ("Could not roll back: %s", sqlite3_errmsg (self->db));

  self->depth--;
  g_rec_mutex_unlock (&self->lock);
}

GPtrArray *
push_store_list_accounts (PushStore  *self,
                          GError    **error)
{
  g_autoptr(GRecMutexLocker) locker = NULL;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GPtrArray) accounts = NULL;
  int rc;

  g_return_val_if_fail (PUSH_IS_STORE (self), NULL);

  locker = g_rec_mutex_locker_new (&self->lock);
  stmt = prepare (self, "SELECT " ACCOUNT_COLUMNS " FROM accounts ORDER BY name, id",
                  _("Could not read the accounts"), error);
  if (stmt == NULL)
    return NULL;

  accounts = g_ptr_array_new_with_free_func (g_object_unref);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (accounts, account_from_row (stmt));

  if (rc != SQLITE_DONE)
    {
      set_db_error (self, rc, _("Could not read the accounts"), error);
      return NULL;
    }
  return g_steal_pointer (&accounts);
}

/* Runs @sql, an INSERT or UPDATE of the accounts table bound by bind_account(), in a
 * transaction of its own. With @must_exist, a write that touches no row is an error. */
static gboolean
write_account (PushStore    *self,
               const char   *sql,
               PushAccount  *account,
               gboolean      must_exist,
               GError      **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int rc;

  if (!push_store_begin (self, error))
    return FALSE;

  stmt = prepare (self, sql, _("Could not save the account"), error);
  if (stmt == NULL)
    goto fail;

  bind_account (stmt, account);
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_DONE)
    {
      set_account_write_error (self, rc, account, error);
      goto fail;
    }
  if (must_exist && sqlite3_changes (self->db) == 0)
    {
      g_set_error (error, PUSH_STORE_ERROR, PUSH_STORE_ERROR_NOT_FOUND,
                   /* Translators: %s is an account name */
                   _("The account “%s” is not saved any more"), push_account_get_name (account));
      goto fail;
    }

  g_clear_pointer (&stmt, sqlite3_finalize);
  return push_store_commit (self, error);

fail:
  g_clear_pointer (&stmt, sqlite3_finalize);
  push_store_rollback (self);
  return FALSE;
}

gboolean
push_store_insert_account (PushStore    *self,
                           PushAccount  *account,
                           GError      **error)
{
  g_return_val_if_fail (PUSH_IS_STORE (self), FALSE);
  g_return_val_if_fail (PUSH_IS_ACCOUNT (account), FALSE);

  return write_account (self,
                        "INSERT INTO accounts (" ACCOUNT_COLUMNS ") "
                        "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
                        account, FALSE, error);
}

gboolean
push_store_update_account (PushStore    *self,
                           PushAccount  *account,
                           GError      **error)
{
  g_return_val_if_fail (PUSH_IS_STORE (self), FALSE);
  g_return_val_if_fail (PUSH_IS_ACCOUNT (account), FALSE);

  return write_account (self,
                        "UPDATE accounts SET name = ?2, munchkin_id = ?3, endpoint = ?4, "
                        "client_id = ?5, is_sandbox = ?6, rate_calls = ?7, rate_window = ?8, "
                        "max_concurrency = ?9, daily_quota = ?10 WHERE id = ?1",
                        account, TRUE, error);
}

gboolean
push_store_delete_account (PushStore   *self,
                           const char  *account_id,
                           GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int rc;

  g_return_val_if_fail (PUSH_IS_STORE (self), FALSE);
  g_return_val_if_fail (account_id != NULL, FALSE);

  if (!push_store_begin (self, error))
    return FALSE;

  stmt = prepare (self, "DELETE FROM accounts WHERE id = ?1",
                  _("Could not remove the account"), error);
  if (stmt == NULL)
    goto fail;

  _push_store_bind_text (stmt, 1, account_id);
  rc = sqlite3_step (stmt);
  if ((rc & 0xff) == SQLITE_CONSTRAINT &&
      sqlite3_extended_errcode (self->db) == SQLITE_CONSTRAINT_FOREIGNKEY)
    {
      /* Destinations refer to it (ON DELETE RESTRICT): they are the user's work. */
      g_set_error_literal (error, PUSH_STORE_ERROR, PUSH_STORE_ERROR_CONSTRAINT,
                           _("Destinations still send to this account: remove them or move "
                             "them to another account first"));
      goto fail;
    }
  if (rc != SQLITE_DONE)
    {
      set_db_error (self, rc, _("Could not remove the account"), error);
      goto fail;
    }
  if (sqlite3_changes (self->db) == 0)
    {
      g_set_error_literal (error, PUSH_STORE_ERROR, PUSH_STORE_ERROR_NOT_FOUND,
                           _("The account is not saved any more"));
      goto fail;
    }

  g_clear_pointer (&stmt, sqlite3_finalize);
  return push_store_commit (self, error);

fail:
  g_clear_pointer (&stmt, sqlite3_finalize);
  push_store_rollback (self);
  return FALSE;
}

char *
push_store_get_value (PushStore   *self,
                      const char  *key,
                      GError     **error)
{
  g_autoptr(GRecMutexLocker) locker = NULL;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int rc;

  g_return_val_if_fail (PUSH_IS_STORE (self), NULL);
  g_return_val_if_fail (key != NULL, NULL);

  locker = g_rec_mutex_locker_new (&self->lock);
  stmt = prepare (self, "SELECT value FROM settings WHERE key = ?1",
                  _("Could not read a setting"), error);
  if (stmt == NULL)
    return NULL;

  _push_store_bind_text (stmt, 1, key);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    return g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  if (rc != SQLITE_DONE)
    set_db_error (self, rc, _("Could not read a setting"), error);
  return NULL;
}

gboolean
push_store_set_value (PushStore   *self,
                      const char  *key,
                      const char  *value,
                      GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int rc;

  g_return_val_if_fail (PUSH_IS_STORE (self), FALSE);
  g_return_val_if_fail (key != NULL, FALSE);

  if (!push_store_begin (self, error))
    return FALSE;

  if (value != NULL)
    stmt = prepare (self,
                    "INSERT INTO settings (key, value) VALUES (?1, ?2) "
                    "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                    _("Could not save a setting"), error);
  else
    stmt = prepare (self, "DELETE FROM settings WHERE key = ?1",
                    _("Could not save a setting"), error);
  if (stmt == NULL)
    goto fail;

  _push_store_bind_text (stmt, 1, key);
  if (value != NULL)
    _push_store_bind_text (stmt, 2, value);
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_DONE)
    {
      set_db_error (self, rc, _("Could not save a setting"), error);
      goto fail;
    }

  g_clear_pointer (&stmt, sqlite3_finalize);
  return push_store_commit (self, error);

fail:
  g_clear_pointer (&stmt, sqlite3_finalize);
  push_store_rollback (self);
  return FALSE;
}

gint64
push_store_get_usage (PushStore   *self,
                      const char  *account_id,
                      const char  *day_key,
                      GError     **error)
{
  g_autoptr(GRecMutexLocker) locker = NULL;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int rc;

  g_return_val_if_fail (PUSH_IS_STORE (self), -1);
  g_return_val_if_fail (account_id != NULL, -1);
  g_return_val_if_fail (day_key != NULL, -1);

  locker = g_rec_mutex_locker_new (&self->lock);
  stmt = prepare (self, "SELECT calls FROM api_usage WHERE account_id = ?1 AND day = ?2",
                  _("Could not read the API usage"), error);
  if (stmt == NULL)
    return -1;

  _push_store_bind_text (stmt, 1, account_id);
  _push_store_bind_text (stmt, 2, day_key);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    return sqlite3_column_int64 (stmt, 0);
  if (rc == SQLITE_DONE)
    return 0;

  set_db_error (self, rc, _("Could not read the API usage"), error);
  return -1;
}

gint64
push_store_add_usage (PushStore   *self,
                      const char  *account_id,
                      const char  *day_key,
                      guint        calls,
                      GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  gint64 total;
  int rc;

  g_return_val_if_fail (PUSH_IS_STORE (self), -1);
  g_return_val_if_fail (account_id != NULL, -1);
  g_return_val_if_fail (day_key != NULL, -1);

  if (!push_store_begin (self, error))
    return -1;

  stmt = prepare (self,
                  "INSERT INTO api_usage (account_id, day, calls) VALUES (?1, ?2, ?3) "
                  "ON CONFLICT (account_id, day) DO UPDATE SET calls = calls + excluded.calls "
                  "RETURNING calls",
                  _("Could not count the API usage"), error);
  if (stmt == NULL)
    goto fail;

  _push_store_bind_text (stmt, 1, account_id);
  _push_store_bind_text (stmt, 2, day_key);
  sqlite3_bind_int64 (stmt, 3, calls);
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW)
    {
      set_db_error (self, rc, _("Could not count the API usage"), error);
      goto fail;
    }
  total = sqlite3_column_int64 (stmt, 0);
  /* RETURNING: the row is written when the statement runs to its end. */
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_DONE)
    {
      set_db_error (self, rc, _("Could not count the API usage"), error);
      goto fail;
    }

  g_clear_pointer (&stmt, sqlite3_finalize);
  if (!push_store_commit (self, error))
    return -1;
  return total;

fail:
  g_clear_pointer (&stmt, sqlite3_finalize);
  push_store_rollback (self);
  return -1;
}

gboolean
push_store_prune_usage (PushStore   *self,
                        const char  *before_day_key,
                        GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int rc;

  g_return_val_if_fail (PUSH_IS_STORE (self), FALSE);
  g_return_val_if_fail (before_day_key != NULL, FALSE);

  if (!push_store_begin (self, error))
    return FALSE;

  stmt = prepare (self, "DELETE FROM api_usage WHERE day < ?1",
                  _("Could not clean up the API usage"), error);
  if (stmt == NULL)
    goto fail;

  _push_store_bind_text (stmt, 1, before_day_key);
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_DONE)
    {
      set_db_error (self, rc, _("Could not clean up the API usage"), error);
      goto fail;
    }

  g_clear_pointer (&stmt, sqlite3_finalize);
  return push_store_commit (self, error);

fail:
  g_clear_pointer (&stmt, sqlite3_finalize);
  push_store_rollback (self);
  return FALSE;
}

/* For the sibling classes, see push-store-private.h */

sqlite3 *
_push_store_get_db (PushStore *self)
{
  return self->db;
}

void
_push_store_lock (PushStore *self)
{
  g_rec_mutex_lock (&self->lock);
}

void
_push_store_unlock (PushStore *self)
{
  g_rec_mutex_unlock (&self->lock);
}

void
_push_store_set_error (PushStore   *self,
                       int          rc,
                       const char  *what,
                       GError     **error)
{
  set_db_error (self, rc, what, error);
}

sqlite3_stmt *
_push_store_prepare (PushStore   *self,
                     const char  *sql,
                     const char  *what,
                     GError     **error)
{
  return prepare (self, sql, what, error);
}

void
_push_store_bind_text (sqlite3_stmt *stmt,
                       int           index,
                       const char   *text)
{
  if (text != NULL)
    sqlite3_bind_text (stmt, index, text, -1, SQLITE_TRANSIENT);
  else
    sqlite3_bind_null (stmt, index);
}
