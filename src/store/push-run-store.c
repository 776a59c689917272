/* push-run-store.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "push-run-store.h"
#include "push-store-private.h"

struct _PushRunStore
{
  GObject    parent_instance;

  PushStore *store;   /* (owned) */
};

struct _PushRunLock
{
  char *path;  /* (owned) */
  int   fd;
};

G_DEFINE_FINAL_TYPE (PushRunStore, push_run_store, G_TYPE_OBJECT)
G_DEFINE_QUARK (push-run-store-error-quark, push_run_store_error)

G_DEFINE_ENUM_TYPE (PushRunState, push_run_state,
  G_DEFINE_ENUM_VALUE (PUSH_RUN_STATE_PENDING, "pending"),
  G_DEFINE_ENUM_VALUE (PUSH_RUN_STATE_RUNNING, "running"),
  G_DEFINE_ENUM_VALUE (PUSH_RUN_STATE_PAUSED, "paused"),
  G_DEFINE_ENUM_VALUE (PUSH_RUN_STATE_CANCELLED, "cancelled"),
  G_DEFINE_ENUM_VALUE (PUSH_RUN_STATE_INTERRUPTED, "interrupted"),
  G_DEFINE_ENUM_VALUE (PUSH_RUN_STATE_COMPLETED, "completed"),
  G_DEFINE_ENUM_VALUE (PUSH_RUN_STATE_FAILED, "failed"))

G_DEFINE_ENUM_TYPE (PushOutcome, push_outcome,
  G_DEFINE_ENUM_VALUE (PUSH_OUTCOME_CREATED, "created"),
  G_DEFINE_ENUM_VALUE (PUSH_OUTCOME_UPDATED, "updated"),
  G_DEFINE_ENUM_VALUE (PUSH_OUTCOME_ADDED, "added"),
  G_DEFINE_ENUM_VALUE (PUSH_OUTCOME_NOT_FOUND, "not_found"),
  G_DEFINE_ENUM_VALUE (PUSH_OUTCOME_MULTIPLE_MATCHES, "multiple_matches"),
  G_DEFINE_ENUM_VALUE (PUSH_OUTCOME_SET_ASIDE, "set_aside"),
  G_DEFINE_ENUM_VALUE (PUSH_OUTCOME_DUPLICATE, "duplicate"),
  G_DEFINE_ENUM_VALUE (PUSH_OUTCOME_REJECTED, "rejected"),
  G_DEFINE_ENUM_VALUE (PUSH_OUTCOME_FAILED, "failed"))

G_DEFINE_BOXED_TYPE (PushRunInfo, push_run_info, push_run_info_copy, push_run_info_free)
G_DEFINE_BOXED_TYPE (PushOutcomeRecord, push_outcome_record, push_outcome_record_copy,
                     push_outcome_record_free)

#define RUN_COLUMNS \
  "id, destination_id, destination_name, destination_document, account_id, audience_path, " \
  "audience_fingerprint, state, created, started, finished, total_members, next_batch, " \
  "resume_row, resume_offset, list_id, calls_used, quota_reset, message, forecast, counts"

#define OUTCOME_COLUMNS \
  "row_number, dedupe_value, outcome, lead_id, reason_code, reason_message, detail"

/* ---- Enums ---------------------------------------------------------------------------- */

static const char *
enum_nick (GType type,
           int   value)
{
  GEnumClass *klass = g_type_class_ref (type);
  GEnumValue *enum_value = g_enum_get_value (klass, value);
  const char *nick = enum_value != NULL ? enum_value->value_nick : NULL;

  /* Enum classes of static types are never freed: the nick stays valid. */
  g_type_class_unref (klass);
  return nick;
}

static gboolean
enum_from_nick (GType       type,
                const char *nick,
                int        *out_value)
{
  GEnumClass *klass;
  GEnumValue *enum_value;

  if (nick == NULL)
    return FALSE;

  klass = g_type_class_ref (type);
  enum_value = g_enum_get_value_by_nick (klass, nick);
  if (enum_value != NULL)
    *out_value = enum_value->value;
  g_type_class_unref (klass);
  return enum_value != NULL;
}

const char *
push_run_state_to_string (PushRunState state)
{
  return enum_nick (PUSH_TYPE_RUN_STATE, state);
}

gboolean
push_run_state_from_string (const char   *nick,
                            PushRunState *out_state)
{
  int value;

  if (!enum_from_nick (PUSH_TYPE_RUN_STATE, nick, &value))
    return FALSE;
  *out_state = value;
  return TRUE;
}

const char *
push_run_state_get_label (PushRunState state)
{
  switch (state)
    {
    case PUSH_RUN_STATE_PENDING:
      return _("Waiting to start");
    case PUSH_RUN_STATE_RUNNING:
      return _("Running");
    case PUSH_RUN_STATE_PAUSED:
      return _("Paused (daily API quota)");
    case PUSH_RUN_STATE_CANCELLED:
      return _("Cancelled");
    case PUSH_RUN_STATE_INTERRUPTED:
      return _("Interrupted");
    case PUSH_RUN_STATE_COMPLETED:
      return _("Completed");
    case PUSH_RUN_STATE_FAILED:
      return _("Failed");
    default:
      g_return_val_if_reached (NULL);
    }
}

gboolean
push_run_state_is_resumable (PushRunState state)
{
  return state == PUSH_RUN_STATE_PAUSED || state == PUSH_RUN_STATE_CANCELLED ||
         state == PUSH_RUN_STATE_INTERRUPTED || state == PUSH_RUN_STATE_FAILED;
}

const char *
push_outcome_to_string (PushOutcome outcome)
{
  return enum_nick (PUSH_TYPE_OUTCOME, outcome);
}

gboolean
push_outcome_from_string (const char  *nick,
                          PushOutcome *out_outcome)
{
  int value;

  if (!enum_from_nick (PUSH_TYPE_OUTCOME, nick, &value))
    return FALSE;
  *out_outcome = value;
  return TRUE;
}

const char *
push_outcome_get_label (PushOutcome outcome)
{
  switch (outcome)
    {
    case PUSH_OUTCOME_CREATED:
      return _("Created");
    case PUSH_OUTCOME_UPDATED:
      return _("Updated");
    case PUSH_OUTCOME_ADDED:
      return _("Added to list");
    case PUSH_OUTCOME_NOT_FOUND:
      return _("Not found");
    case PUSH_OUTCOME_MULTIPLE_MATCHES:
      return _("Several matches");
    case PUSH_OUTCOME_SET_ASIDE:
      return _("Set aside");
    case PUSH_OUTCOME_DUPLICATE:
      return _("Duplicate in audience");
    case PUSH_OUTCOME_REJECTED:
      return _("Rejected by Marketo");
    case PUSH_OUTCOME_FAILED:
      return _("Failed");
    default:
      g_return_val_if_reached (NULL);
    }
}

/* ---- Counts --------------------------------------------------------------------------- */

void
push_run_counts_add_outcome (PushRunCounts *counts,
                             PushOutcome    outcome)
{
  g_return_if_fail (counts != NULL);

  counts->members++;
  switch (outcome)
    {
    case PUSH_OUTCOME_CREATED:
      counts->created++;
      break;
    case PUSH_OUTCOME_UPDATED:
      counts->updated++;
      break;
    case PUSH_OUTCOME_ADDED:
      break;
    case PUSH_OUTCOME_NOT_FOUND:
      counts->not_found++;
      break;
    case PUSH_OUTCOME_MULTIPLE_MATCHES:
      counts->multiple_matches++;
      break;
    case PUSH_OUTCOME_SET_ASIDE:
      counts->set_aside++;
      break;
    case PUSH_OUTCOME_DUPLICATE:
      counts->duplicates++;
      break;
    case PUSH_OUTCOME_REJECTED:
      counts->rejected++;
      break;
    case PUSH_OUTCOME_FAILED:
      counts->failed++;
      break;
    default:
      g_return_if_reached ();
    }
}

/* The counters in the order of the JSON document. */
#define FOREACH_COUNT(X) \
  X (members) X (created) X (updated) X (added) X (not_found) X (multiple_matches) \
  X (set_aside) X (duplicates) X (rejected) X (failed)

void
push_run_counts_add (PushRunCounts       *counts,
                     const PushRunCounts *other)
{
  g_return_if_fail (counts != NULL && other != NULL);

#define ADD_COUNT(name) counts->name += other->name;
  FOREACH_COUNT (ADD_COUNT)
#undef ADD_COUNT
}

gboolean
push_run_counts_equal (const PushRunCounts *a,
                       const PushRunCounts *b)
{
  g_return_val_if_fail (a != NULL && b != NULL, FALSE);

#define CMP_COUNT(name) if (a->name != b->name) return FALSE;
  FOREACH_COUNT (CMP_COUNT)
#undef CMP_COUNT
  return TRUE;
}

JsonNode *
push_run_counts_to_json (const PushRunCounts *counts)
{
  g_autoptr(JsonObject) object = json_object_new ();
  JsonNode *node;

  g_return_val_if_fail (counts != NULL, NULL);

#define SET_COUNT(name) json_object_set_int_member (object, #name, (gint64) counts->name);
  FOREACH_COUNT (SET_COUNT)
#undef SET_COUNT

  node = json_node_new (JSON_NODE_OBJECT);
  json_node_set_object (node, object);
  return node;
}

gboolean
push_run_counts_from_json (JsonNode      *node,
                           PushRunCounts *counts)
{
  JsonObject *object;

  g_return_val_if_fail (counts != NULL, FALSE);

  memset (counts, 0, sizeof *counts);
  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return FALSE;
  object = json_node_get_object (node);

#define GET_COUNT(name) \
  if (json_object_has_member (object, #name)) \
    counts->name = (guint64) MAX (json_object_get_int_member (object, #name), 0);
  FOREACH_COUNT (GET_COUNT)
#undef GET_COUNT
  return TRUE;
}

static char *
counts_to_text (const PushRunCounts *counts)
{
  g_autoptr(JsonNode) node = push_run_counts_to_json (counts);

  return json_to_string (node, FALSE);
}

static void
counts_from_text (const char    *text,
                  PushRunCounts *counts)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();

  memset (counts, 0, sizeof *counts);
  if (text != NULL && json_parser_load_from_data (parser, text, -1, NULL))
    push_run_counts_from_json (json_parser_get_root (parser), counts);
}

/* ---- Boxed types ---------------------------------------------------------------------- */

PushRunInfo *
push_run_info_new (void)
{
  return g_new0 (PushRunInfo, 1);
}

static GDateTime *
dup_time (GDateTime *time)
{
  return time != NULL ? g_date_time_ref (time) : NULL;
}

PushRunInfo *
push_run_info_copy (const PushRunInfo *info)
{
  PushRunInfo *copy;

  g_return_val_if_fail (info != NULL, NULL);

  copy = g_memdup2 (info, sizeof *info);
  copy->id = g_strdup (info->id);
  copy->destination_id = g_strdup (info->destination_id);
  copy->destination_name = g_strdup (info->destination_name);
  copy->destination_document = g_strdup (info->destination_document);
  copy->account_id = g_strdup (info->account_id);
  copy->audience_path = g_strdup (info->audience_path);
  copy->audience_fingerprint = g_strdup (info->audience_fingerprint);
  copy->created = dup_time (info->created);
  copy->started = dup_time (info->started);
  copy->finished = dup_time (info->finished);
  copy->quota_reset = dup_time (info->quota_reset);
  copy->message = g_strdup (info->message);
  copy->forecast = g_strdup (info->forecast);
  return copy;
}

void
push_run_info_free (PushRunInfo *info)
{
  if (info == NULL)
    return;

  g_free (info->id);
  g_free (info->destination_id);
  g_free (info->destination_name);
  g_free (info->destination_document);
  g_free (info->account_id);
  g_free (info->audience_path);
  g_free (info->audience_fingerprint);
  g_clear_pointer (&info->created, g_date_time_unref);
  g_clear_pointer (&info->started, g_date_time_unref);
  g_clear_pointer (&info->finished, g_date_time_unref);
  g_clear_pointer (&info->quota_reset, g_date_time_unref);
  g_free (info->message);
  g_free (info->forecast);
  g_free (info);
}

static void
set_time_member (JsonObject *object,
                 const char *name,
                 GDateTime  *time)
{
  if (time != NULL)
    {
      g_autofree char *text = g_date_time_format_iso8601 (time);

      json_object_set_string_member (object, name, text);
    }
  else
    json_object_set_null_member (object, name);
}

JsonNode *
push_run_info_to_json (const PushRunInfo *info)
{
  g_autoptr(JsonObject) object = json_object_new ();
  JsonNode *node;

  g_return_val_if_fail (info != NULL, NULL);

  json_object_set_string_member (object, "id", info->id);
  json_object_set_string_member (object, "state", push_run_state_to_string (info->state));
  json_object_set_string_member (object, "destination", info->destination_name);
  if (info->destination_id != NULL)
    json_object_set_string_member (object, "destination_id", info->destination_id);
  else
    json_object_set_null_member (object, "destination_id");
  if (info->account_id != NULL)
    json_object_set_string_member (object, "account_id", info->account_id);
  else
    json_object_set_null_member (object, "account_id");
  json_object_set_string_member (object, "audience", info->audience_path);
  json_object_set_string_member (object, "audience_fingerprint", info->audience_fingerprint);
  set_time_member (object, "created", info->created);
  set_time_member (object, "started", info->started);
  set_time_member (object, "finished", info->finished);
  json_object_set_int_member (object, "total_members", (gint64) info->total_members);
  json_object_set_int_member (object, "batches", info->next_batch);
  json_object_set_int_member (object, "resume_row", (gint64) info->resume_row);
  if (info->list_id > 0)
    json_object_set_int_member (object, "list_id", info->list_id);
  else
    json_object_set_null_member (object, "list_id");
  json_object_set_int_member (object, "calls_used", (gint64) info->calls_used);
  set_time_member (object, "quota_reset", info->quota_reset);
  if (info->message != NULL)
    json_object_set_string_member (object, "message", info->message);
  else
    json_object_set_null_member (object, "message");
  json_object_set_member (object, "counts", push_run_counts_to_json (&info->counts));

  if (info->forecast != NULL)
    {
      g_autoptr(JsonParser) parser = json_parser_new ();

      if (json_parser_load_from_data (parser, info->forecast, -1, NULL) &&
          json_parser_get_root (parser) != NULL)
        json_object_set_member (object, "forecast",
                                json_node_copy (json_parser_get_root (parser)));
    }

  node = json_node_new (JSON_NODE_OBJECT);
  json_node_set_object (node, object);
  return node;
}

PushOutcomeRecord *
push_outcome_record_new (guint64      row_number,
                         const char  *dedupe_value,
                         PushOutcome  outcome)
{
  PushOutcomeRecord *record = g_new0 (PushOutcomeRecord, 1);

  record->row_number = row_number;
  record->dedupe_value = g_strdup (dedupe_value);
  record->outcome = outcome;
  return record;
}

PushOutcomeRecord *
push_outcome_record_copy (const PushOutcomeRecord *record)
{
  PushOutcomeRecord *copy;

  g_return_val_if_fail (record != NULL, NULL);

  copy = g_memdup2 (record, sizeof *record);
  copy->dedupe_value = g_strdup (record->dedupe_value);
  copy->reason_message = g_strdup (record->reason_message);
  copy->detail = g_strdup (record->detail);
  return copy;
}

void
push_outcome_record_free (PushOutcomeRecord *record)
{
  if (record == NULL)
    return;

  g_free (record->dedupe_value);
  g_free (record->reason_message);
  g_free (record->detail);
  g_free (record);
}

/* ---- Helpers -------------------------------------------------------------------------- */

static void
bind_time (sqlite3_stmt *stmt,
           int           index,
           GDateTime    *time)
{
  if (time != NULL)
    sqlite3_bind_int64 (stmt, index, g_date_time_to_unix (time));
  else
    sqlite3_bind_null (stmt, index);
}

static char *
column_dup (sqlite3_stmt *stmt,
            int           index)
{
  return g_strdup ((const char *) sqlite3_column_text (stmt, index));
}

static GDateTime *
column_time (sqlite3_stmt *stmt,
             int           index)
{
  if (sqlite3_column_type (stmt, index) == SQLITE_NULL)
    return NULL;
  return g_date_time_new_from_unix_utc (sqlite3_column_int64 (stmt, index));
}

static PushRunInfo *
run_from_row (sqlite3_stmt *stmt)
{
  PushRunInfo *info = push_run_info_new ();

  info->id = column_dup (stmt, 0);
  info->destination_id = column_dup (stmt, 1);
  info->destination_name = column_dup (stmt, 2);
  info->destination_document = column_dup (stmt, 3);
  info->account_id = column_dup (stmt, 4);
  info->audience_path = column_dup (stmt, 5);
  info->audience_fingerprint = column_dup (stmt, 6);
  if (!push_run_state_from_string ((const char *) sqlite3_column_text (stmt, 7), &info->state))
    info->state = PUSH_RUN_STATE_FAILED;
  info->created = column_time (stmt, 8);
  info->started = column_time (stmt, 9);
  info->finished = column_time (stmt, 10);
  info->total_members = (guint64) sqlite3_column_int64 (stmt, 11);
  info->next_batch = (guint) sqlite3_column_int64 (stmt, 12);
  info->resume_row = (guint64) sqlite3_column_int64 (stmt, 13);
  info->resume_offset = sqlite3_column_int64 (stmt, 14);
  info->list_id = sqlite3_column_int64 (stmt, 15);
  info->calls_used = (guint64) sqlite3_column_int64 (stmt, 16);
  info->quota_reset = column_time (stmt, 17);
  info->message = column_dup (stmt, 18);
  info->forecast = column_dup (stmt, 19);
  counts_from_text ((const char *) sqlite3_column_text (stmt, 20), &info->counts);
  return info;
}

static PushOutcomeRecord *
outcome_from_row (sqlite3_stmt *stmt)
{
  PushOutcomeRecord *record = g_new0 (PushOutcomeRecord, 1);
  const char *code;

  record->row_number = (guint64) sqlite3_column_int64 (stmt, 0);
  record->dedupe_value = column_dup (stmt, 1);
  if (!push_outcome_from_string ((const char *) sqlite3_column_text (stmt, 2), &record->outcome))
    record->outcome = PUSH_OUTCOME_FAILED;
  record->lead_id = sqlite3_column_int64 (stmt, 3);
  code = (const char *) sqlite3_column_text (stmt, 4);
  record->reason_code = code != NULL ? (int) g_ascii_strtoll (code, NULL, 10) : 0;
  record->reason_message = column_dup (stmt, 5);
  record->detail = column_dup (stmt, 6);
  return record;
}

static void
set_not_found (const char  *run_id,
               GError     **error)
{
  g_set_error (error, PUSH_RUN_STORE_ERROR, PUSH_RUN_STORE_ERROR_NOT_FOUND,
               /* Translators: %s is a run id */
               _("There is no run “%s”"), run_id);
}

/* Runs a statement that changes one run row; NOT_FOUND when no row changed. */
static gboolean
step_run_update (PushRunStore  *self,
                 sqlite3_stmt  *stmt,
                 const char    *run_id,
                 const char    *what,
                 GError       **error)
{
  int rc = sqlite3_step (stmt);

  if (rc != SQLITE_DONE)
    {
      _push_store_set_error (self->store, rc, what, error);
      return FALSE;
    }
  if (sqlite3_changes (_push_store_get_db (self->store)) == 0)
    {
      set_not_found (run_id, error);
      return FALSE;
    }
  return TRUE;
}

/* ---- Locks ---------------------------------------------------------------------------- */

static char *
dup_lock_dir (PushRunStore *self)
{
  return g_strconcat (push_store_get_path (self->store), ".runs", NULL);
}

static char *
dup_lock_path (PushRunStore *self,
               const char   *run_id)
{
  g_autofree char *dir = dup_lock_dir (self);
  g_autofree char *name = g_strconcat (run_id, ".lock", NULL);

  return g_build_filename (dir, name, NULL);
}

/* Opens the lock file (creating it) and tries to take the lock without waiting. Returns the
 * descriptor holding the lock, -1 when another process holds it (errno EWOULDBLOCK), or -2 on
 * another failure (@error set). */
static int
try_lock_file (const char  *path,
               GError     **error)
{
  for (int attempt = 0; attempt < 5; attempt++)
    {
      struct stat fd_stat, path_stat;
      int fd = g_open (path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);

      if (fd < 0)
        {
          int saved_errno = errno;

          g_set_error (error, PUSH_RUN_STORE_ERROR, PUSH_RUN_STORE_ERROR_FAILED,
                       /* Translators: %s is a file path, then the system's reason */
                       _("Could not open the run lock “%s”: %s"), path,
                       g_strerror (saved_errno));
          return -2;
        }
      if (flock (fd, LOCK_EX | LOCK_NB) != 0)
        {
          int saved_errno = errno;

          close (fd);
          if (saved_errno == EWOULDBLOCK)
            return -1;
          g_set_error (error, PUSH_RUN_STORE_ERROR, PUSH_RUN_STORE_ERROR_FAILED,
                       _("Could not lock the run: %s"), g_strerror (saved_errno));
          return -2;
        }
      /* The holder may have deleted the file between our open and our lock: then the lock
       * we hold is on a file nobody else will ever open. Try again with the new one. */
      if (fstat (fd, &fd_stat) == 0 && stat (path, &path_stat) == 0 &&
          fd_stat.st_ino == path_stat.st_ino && fd_stat.st_dev == path_stat.st_dev)
        return fd;
      close (fd);
    }

  g_set_error (error, PUSH_RUN_STORE_ERROR, PUSH_RUN_STORE_ERROR_FAILED,
               _("Could not lock the run: its lock file keeps changing"));
  return -2;
}

void
push_run_lock_release (PushRunLock *lock)
{
  if (lock == NULL)
    return;

  /* Delete while holding the lock: a process that opened the old file finds it gone after
   * it gets the lock and starts again with a new one. */
  if (g_unlink (lock->path) != 0 && errno != ENOENT)
    g_debug ("Could not delete %s: %s", lock->path, g_strerror (errno));
  close (lock->fd);
  g_free (lock->path);
  g_free (lock);
}

PushRunLock *
push_run_store_lock_run (PushRunStore  *self,
                         const char    *run_id,
                         GError       **error)
{
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;
  PushRunLock *lock;
  int fd;

  g_return_val_if_fail (PUSH_IS_RUN_STORE (self), NULL);
  g_return_val_if_fail (run_id != NULL, NULL);

  dir = dup_lock_dir (self);
  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, PUSH_RUN_STORE_ERROR, PUSH_RUN_STORE_ERROR_FAILED,
                   _("Could not create the folder “%s”: %s"), dir, g_strerror (saved_errno));
      return NULL;
    }

  path = dup_lock_path (self, run_id);
  fd = try_lock_file (path, error);
  if (fd == -1)
    {
      g_set_error (error, PUSH_RUN_STORE_ERROR, PUSH_RUN_STORE_ERROR_LOCKED,
                   /* Translators: %s is a run id */
                   _("The run “%s” is being worked on by another process"), run_id);
      return NULL;
    }
  if (fd < 0)
    return NULL;

  lock = g_new0 (PushRunLock, 1);
  lock->path = g_steal_pointer (&path);
  lock->fd = fd;
  return lock;
}

int
push_run_store_detect_interrupted (PushRunStore  *self,
                                   GError       **error)
{
  g_autoptr(GPtrArray) running = g_ptr_array_new_with_free_func (g_free);
  int marked = 0;

  g_return_val_if_fail (PUSH_IS_RUN_STORE (self), -1);

  {
    g_autoptr(PushStoreLocked) locker = _push_store_locker_new (self->store);
    g_autoptr(sqlite3_stmt) stmt = NULL;
    int rc;

    stmt = _push_store_prepare (self->store, "SELECT id FROM runs WHERE state = 'running'",
                                _("Could not read the runs"), error);
    if (stmt == NULL)
      return -1;
    while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
      g_ptr_array_add (running, column_dup (stmt, 0));
    if (rc != SQLITE_DONE)
      {
        _push_store_set_error (self->store, rc, _("Could not read the runs"), error);
        return -1;
      }
  }

  for (guint i = 0; i < running->len; i++)
    {
      const char *run_id = g_ptr_array_index (running, i);
      g_autoptr(GError) local_error = NULL;
      g_autoptr(PushRunLock) lock = NULL;

      lock = push_run_store_lock_run (self, run_id, &local_error);
      if (lock == NULL)
        {
          if (!g_error_matches (local_error, PUSH_RUN_STORE_ERROR, PUSH_RUN_STORE_ERROR_LOCKED))
            {
              g_propagate_error (error, g_steal_pointer (&local_error));
              return -1;
            }
          g_debug ("Run %s is alive in another process", run_id);
          continue;
        }

      /* We hold the lock, so its runner is gone; a runner sets its final state before it
       * lets go of the lock, so a state still 'running' now is a dead one. */
      {
        g_autoptr(PushStoreLocked) locker = _push_store_locker_new (self->store);
        g_autoptr(sqlite3_stmt) stmt = NULL;
        int rc;

        stmt = _push_store_prepare (self->store,
                                    "UPDATE runs SET state = 'interrupted', message = ?2 "
                                    "WHERE id = ?1 AND state = 'running'",
                                    _("Could not update the run"), error);
        if (stmt == NULL)
          return -1;
        _push_store_bind_text (stmt, 1, run_id);
        _push_store_bind_text (stmt, 2,
                               _("The process working on this run stopped before it finished"));
        rc = sqlite3_step (stmt);
        if (rc != SQLITE_DONE)
          {
            _push_store_set_error (self->store, rc, _("Could not update the run"), error);
            return -1;
          }
        if (sqlite3_changes (_push_store_get_db (self->store)) > 0)
          {
            g_debug ("Run %s was interrupted", run_id);
            marked++;
          }
      }
    }

  return marked;
}

/* ---- Runs ----------------------------------------------------------------------------- */

char *
push_run_store_new_id (void)
{
  return g_uuid_string_random ();
}

gboolean
push_run_store_create_run (PushRunStore       *self,
                           const PushRunInfo  *info,
                           GError            **error)
{
  g_autoptr(PushStoreLocked) locker = NULL;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autofree char *counts = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  int rc;

  g_return_val_if_fail (PUSH_IS_RUN_STORE (self), FALSE);
  g_return_val_if_fail (info != NULL && info->id != NULL, FALSE);
  g_return_val_if_fail (info->destination_name != NULL, FALSE);
  g_return_val_if_fail (info->destination_document != NULL, FALSE);
  g_return_val_if_fail (info->audience_path != NULL, FALSE);
  g_return_val_if_fail (info->audience_fingerprint != NULL, FALSE);

  locker = _push_store_locker_new (self->store);
  stmt = _push_store_prepare (self->store,
                              "INSERT INTO runs (id, destination_id, destination_name, "
                              "destination_document, account_id, audience_path, "
                              "audience_fingerprint, state, created, started, finished, "
                              "total_members, next_batch, resume_row, resume_offset, list_id, "
                              "calls_used, quota_reset, message, forecast, counts) "
                              "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, "
                              "?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21)",
                              _("Could not save the run"), error);
  if (stmt == NULL)
    return FALSE;

  counts = counts_to_text (&info->counts);
  _push_store_bind_text (stmt, 1, info->id);
  _push_store_bind_text (stmt, 2, info->destination_id);
  _push_store_bind_text (stmt, 3, info->destination_name);
  _push_store_bind_text (stmt, 4, info->destination_document);
  _push_store_bind_text (stmt, 5, info->account_id);
  _push_store_bind_text (stmt, 6, info->audience_path);
  _push_store_bind_text (stmt, 7, info->audience_fingerprint);
  _push_store_bind_text (stmt, 8, push_run_state_to_string (info->state));
  bind_time (stmt, 9, info->created != NULL ? info->created : now);
  bind_time (stmt, 10, info->started != NULL ? info->started :
                      info->state == PUSH_RUN_STATE_RUNNING ? now : NULL);
  bind_time (stmt, 11, info->finished);
  sqlite3_bind_int64 (stmt, 12, (gint64) info->total_members);
  sqlite3_bind_int64 (stmt, 13, info->next_batch);
  sqlite3_bind_int64 (stmt, 14, (gint64) info->resume_row);
  sqlite3_bind_int64 (stmt, 15, info->resume_offset);
  if (info->list_id > 0)
    sqlite3_bind_int64 (stmt, 16, info->list_id);
  else
    sqlite3_bind_null (stmt, 16);
  sqlite3_bind_int64 (stmt, 17, (gint64) info->calls_used);
  bind_time (stmt, 18, info->quota_reset);
  _push_store_bind_text (stmt, 19, info->message);
  _push_store_bind_text (stmt, 20, info->forecast);
  _push_store_bind_text (stmt, 21, counts);

  rc = sqlite3_step (stmt);
  if (rc != SQLITE_DONE)
    {
      _push_store_set_error (self->store, rc, _("Could not save the run"), error);
      return FALSE;
    }
  return TRUE;
}

PushRunInfo *
push_run_store_get_run (PushRunStore  *self,
                        const char    *run_id,
                        GError       **error)
{
  g_autoptr(PushStoreLocked) locker = NULL;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int rc;

  g_return_val_if_fail (PUSH_IS_RUN_STORE (self), NULL);
  g_return_val_if_fail (run_id != NULL, NULL);

  locker = _push_store_locker_new (self->store);
  stmt = _push_store_prepare (self->store, "SELECT " RUN_COLUMNS " FROM runs WHERE id = ?1",
                              _("Could not read the run"), error);
  if (stmt == NULL)
    return NULL;
  _push_store_bind_text (stmt, 1, run_id);

  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    return run_from_row (stmt);
  if (rc == SQLITE_DONE)
    set_not_found (run_id, error);
  else
    _push_store_set_error (self->store, rc, _("Could not read the run"), error);
  return NULL;
}

GPtrArray *
push_run_store_list_runs (PushRunStore  *self,
                          GError       **error)
{
  g_autoptr(PushStoreLocked) locker = NULL;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GPtrArray) runs = NULL;
  int rc;

  g_return_val_if_fail (PUSH_IS_RUN_STORE (self), NULL);

  locker = _push_store_locker_new (self->store);
  stmt = _push_store_prepare (self->store,
                              "SELECT " RUN_COLUMNS " FROM runs "
                              "ORDER BY created DESC, rowid DESC",
                              _("Could not read the runs"), error);
  if (stmt == NULL)
    return NULL;

  runs = g_ptr_array_new_with_free_func ((GDestroyNotify) push_run_info_free);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (runs, run_from_row (stmt));
  if (rc != SQLITE_DONE)
    {
      _push_store_set_error (self->store, rc, _("Could not read the runs"), error);
      return NULL;
    }
  return g_steal_pointer (&runs);
}

gboolean
push_run_store_set_state (PushRunStore  *self,
                          const char    *run_id,
                          PushRunState   state,
                          const char    *message,
                          GDateTime     *quota_reset,
                          GError       **error)
{
  g_autoptr(PushStoreLocked) locker = NULL;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  const char *sql;

  g_return_val_if_fail (PUSH_IS_RUN_STORE (self), FALSE);
  g_return_val_if_fail (run_id != NULL, FALSE);

  if (state == PUSH_RUN_STATE_RUNNING)
    sql = "UPDATE runs SET state = ?2, message = ?3, quota_reset = ?4, "
          "started = COALESCE (started, ?5), finished = NULL WHERE id = ?1";
  else if (state == PUSH_RUN_STATE_PENDING)
    sql = "UPDATE runs SET state = ?2, message = ?3, quota_reset = ?4, "
          "finished = NULL WHERE id = ?1";
  else
    sql = "UPDATE runs SET state = ?2, message = ?3, quota_reset = ?4, finished = ?5 "
          "WHERE id = ?1";

  locker = _push_store_locker_new (self->store);
  stmt = _push_store_prepare (self->store, sql, _("Could not update the run"), error);
  if (stmt == NULL)
    return FALSE;
  _push_store_bind_text (stmt, 1, run_id);
  _push_store_bind_text (stmt, 2, push_run_state_to_string (state));
  _push_store_bind_text (stmt, 3, message);
  bind_time (stmt, 4, state == PUSH_RUN_STATE_PAUSED ? quota_reset : NULL);
  if (state != PUSH_RUN_STATE_PENDING)
    bind_time (stmt, 5, now);
  return step_run_update (self, stmt, run_id, _("Could not update the run"), error);
}

gboolean
push_run_store_set_list_id (PushRunStore  *self,
                            const char    *run_id,
                            gint64         list_id,
                            GError       **error)
{
  g_autoptr(PushStoreLocked) locker = NULL;
  g_autoptr(sqlite3_stmt) stmt = NULL;

  g_return_val_if_fail (PUSH_IS_RUN_STORE (self), FALSE);
  g_return_val_if_fail (run_id != NULL, FALSE);

  locker = _push_store_locker_new (self->store);
  stmt = _push_store_prepare (self->store, "UPDATE runs SET list_id = ?2 WHERE id = ?1",
                              _("Could not update the run"), error);
  if (stmt == NULL)
    return FALSE;
  _push_store_bind_text (stmt, 1, run_id);
  if (list_id > 0)
    sqlite3_bind_int64 (stmt, 2, list_id);
  else
    sqlite3_bind_null (stmt, 2);
  return step_run_update (self, stmt, run_id, _("Could not update the run"), error);
}

gboolean
push_run_store_set_forecast (PushRunStore  *self,
                             const char    *run_id,
                             const char    *forecast,
                             guint64        total_members,
                             GError       **error)
{
  g_autoptr(PushStoreLocked) locker = NULL;
  g_autoptr(sqlite3_stmt) stmt = NULL;

  g_return_val_if_fail (PUSH_IS_RUN_STORE (self), FALSE);
  g_return_val_if_fail (run_id != NULL, FALSE);

  locker = _push_store_locker_new (self->store);
  stmt = _push_store_prepare (self->store,
                              "UPDATE runs SET forecast = ?2, total_members = ?3 WHERE id = ?1",
                              _("Could not update the run"), error);
  if (stmt == NULL)
    return FALSE;
  _push_store_bind_text (stmt, 1, run_id);
  _push_store_bind_text (stmt, 2, forecast);
  sqlite3_bind_int64 (stmt, 3, (gint64) total_members);
  return step_run_update (self, stmt, run_id, _("Could not update the run"), error);
}

gboolean
push_run_store_add_calls (PushRunStore  *self,
                          const char    *run_id,
                          guint64        calls,
                          GError       **error)
{
  g_autoptr(PushStoreLocked) locker = NULL;
  g_autoptr(sqlite3_stmt) stmt = NULL;

  g_return_val_if_fail (PUSH_IS_RUN_STORE (self), FALSE);
  g_return_val_if_fail (run_id != NULL, FALSE);

  locker = _push_store_locker_new (self->store);
  stmt = _push_store_prepare (self->store,
                              "UPDATE runs SET calls_used = calls_used + ?2 WHERE id = ?1",
                              _("Could not update the run"), error);
  if (stmt == NULL)
    return FALSE;
  _push_store_bind_text (stmt, 1, run_id);
  sqlite3_bind_int64 (stmt, 2, (gint64) calls);
  return step_run_update (self, stmt, run_id, _("Could not update the run"), error);
}

static gboolean
insert_outcomes (PushRunStore  *self,
                 const char    *run_id,
                 GPtrArray     *outcomes,
                 GError       **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  if (outcomes == NULL || outcomes->len == 0)
    return TRUE;

  stmt = _push_store_prepare (self->store,
                              "INSERT INTO outcomes (run_id, " OUTCOME_COLUMNS ") "
                              "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                              _("Could not save the outcomes"), error);
  if (stmt == NULL)
    return FALSE;

  for (guint i = 0; i < outcomes->len; i++)
    {
      const PushOutcomeRecord *record = g_ptr_array_index (outcomes, i);
      char code[16];
      int rc;

      sqlite3_reset (stmt);
      _push_store_bind_text (stmt, 1, run_id);
      sqlite3_bind_int64 (stmt, 2, (gint64) record->row_number);
      _push_store_bind_text (stmt, 3, record->dedupe_value);
      _push_store_bind_text (stmt, 4, push_outcome_to_string (record->outcome));
      if (record->lead_id > 0)
        sqlite3_bind_int64 (stmt, 5, record->lead_id);
      else
        sqlite3_bind_null (stmt, 5);
      if (record->reason_code != 0)
        {
          g_snprintf (code, sizeof code, "%d", record->reason_code);
          _push_store_bind_text (stmt, 6, code);
        }
      else
        sqlite3_bind_null (stmt, 6);
      _push_store_bind_text (stmt, 7, record->reason_message);
      _push_store_bind_text (stmt, 8, record->detail);

      rc = sqlite3_step (stmt);
      if (rc != SQLITE_DONE)
        {
          _push_store_set_error (self->store, rc, _("Could not save the outcomes"), error);
          return FALSE;
        }
    }
  return TRUE;
}

static gboolean
commit_batch_locked (PushRunStore        *self,
                     const char          *run_id,
                     const PushRunBatch  *batch,
                     GPtrArray           *outcomes,
                     const PushRunCounts *delta,
                     GError             **error)
{
  g_autoptr(sqlite3_stmt) read = NULL;
  g_autoptr(sqlite3_stmt) insert = NULL;
  g_autoptr(sqlite3_stmt) update = NULL;
  g_autofree char *counts_text = NULL;
  PushRunCounts counts;
  guint next_batch;
  int rc;

  read = _push_store_prepare (self->store, "SELECT next_batch, counts FROM runs WHERE id = ?1",
                              _("Could not read the run"), error);
  if (read == NULL)
    return FALSE;
  _push_store_bind_text (read, 1, run_id);
  rc = sqlite3_step (read);
  if (rc == SQLITE_DONE)
    {
      set_not_found (run_id, error);
      return FALSE;
    }
  if (rc != SQLITE_ROW)
    {
      _push_store_set_error (self->store, rc, _("Could not read the run"), error);
      return FALSE;
    }
  next_batch = (guint) sqlite3_column_int64 (read, 0);
  counts_from_text ((const char *) sqlite3_column_text (read, 1), &counts);
  if (next_batch != batch->seq)
    {
      g_set_error (error, PUSH_RUN_STORE_ERROR, PUSH_RUN_STORE_ERROR_CHECKPOINT,
                   "Batch %u of run %s is out of order (the next batch is %u)",
                   batch->seq, run_id, next_batch);
      return FALSE;
    }
  if (delta != NULL)
    push_run_counts_add (&counts, delta);
  counts_text = counts_to_text (&counts);

  if (!insert_outcomes (self, run_id, outcomes, error))
    return FALSE;

  insert = _push_store_prepare (self->store,
                                "INSERT INTO run_batches (run_id, seq, first_row, last_row, calls) "
                                "VALUES (?1, ?2, ?3, ?4, ?5)",
                                _("Could not save the batch"), error);
  if (insert == NULL)
    return FALSE;
  _push_store_bind_text (insert, 1, run_id);
  sqlite3_bind_int64 (insert, 2, batch->seq);
  sqlite3_bind_int64 (insert, 3, (gint64) batch->first_row);
  sqlite3_bind_int64 (insert, 4, (gint64) batch->last_row);
  sqlite3_bind_int64 (insert, 5, batch->calls);
  rc = sqlite3_step (insert);
  if (rc != SQLITE_DONE)
    {
      _push_store_set_error (self->store, rc, _("Could not save the batch"), error);
      return FALSE;
    }

  update = _push_store_prepare (self->store,
                                "UPDATE runs SET next_batch = ?2, resume_row = ?3, "
                                "resume_offset = ?4, counts = ?5, calls_used = calls_used + ?6 "
                                "WHERE id = ?1",
                                _("Could not save the checkpoint"), error);
  if (update == NULL)
    return FALSE;
  _push_store_bind_text (update, 1, run_id);
  sqlite3_bind_int64 (update, 2, batch->seq + 1);
  sqlite3_bind_int64 (update, 3, (gint64) batch->last_row);
  sqlite3_bind_int64 (update, 4, batch->last_offset);
  _push_store_bind_text (update, 5, counts_text);
  sqlite3_bind_int64 (update, 6, batch->calls);
  return step_run_update (self, update, run_id, _("Could not save the checkpoint"), error);
}

gboolean
push_run_store_commit_batch (PushRunStore         *self,
                             const char           *run_id,
                             const PushRunBatch   *batch,
                             GPtrArray            *outcomes,
                             const PushRunCounts  *delta,
                             GError              **error)
{
  g_return_val_if_fail (PUSH_IS_RUN_STORE (self), FALSE);
  g_return_val_if_fail (run_id != NULL, FALSE);
  g_return_val_if_fail (batch != NULL, FALSE);

  if (!push_store_begin (self->store, error))
    return FALSE;
  if (!commit_batch_locked (self, run_id, batch, outcomes, delta, error))
    {
      push_store_rollback (self->store);
      return FALSE;
    }
  return push_store_commit (self->store, error);
}

/* See push-store-private.h. */
char *
_push_outcome_filter_sql (guint outcomes)
{
  GString *sql;
  gboolean first = TRUE;

  if (outcomes == PUSH_OUTCOME_MASK_ALL)
    return g_strdup ("");
  sql = g_string_new (" AND outcome IN (");
  for (guint i = 0; i < PUSH_OUTCOME_N_VALUES; i++)
    {
      if ((outcomes & PUSH_OUTCOME_MASK (i)) == 0)
        continue;
      g_string_append_printf (sql, "%s'%s'", first ? "" : ", ", push_outcome_to_string (i));
      first = FALSE;
    }
  if (first)
    g_string_append (sql, "NULL");
  g_string_append (sql, ")");
  return g_string_free (sql, FALSE);
}

GPtrArray *
push_run_store_list_outcomes (PushRunStore  *self,
                              const char    *run_id,
                              guint          outcomes,
                              guint64        offset,
                              guint          limit,
                              GError       **error)
{
  g_autoptr(PushStoreLocked) locker = NULL;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GPtrArray) records = NULL;
  g_autofree char *filter = NULL;
  g_autofree char *sql = NULL;
  int rc;

  g_return_val_if_fail (PUSH_IS_RUN_STORE (self), NULL);
  g_return_val_if_fail (run_id != NULL, NULL);

  filter = _push_outcome_filter_sql (outcomes);
  sql = g_strdup_printf ("SELECT " OUTCOME_COLUMNS " FROM outcomes WHERE run_id = ?1%s "
                         "ORDER BY row_number LIMIT ?2 OFFSET ?3", filter);

  locker = _push_store_locker_new (self->store);
  stmt = _push_store_prepare (self->store, sql, _("Could not read the outcomes"), error);
  if (stmt == NULL)
    return NULL;
  _push_store_bind_text (stmt, 1, run_id);
  sqlite3_bind_int64 (stmt, 2, limit > 0 ? (gint64) limit : -1);
  sqlite3_bind_int64 (stmt, 3, (gint64) offset);

  records = g_ptr_array_new_with_free_func ((GDestroyNotify) push_outcome_record_free);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (records, outcome_from_row (stmt));
  if (rc != SQLITE_DONE)
    {
      _push_store_set_error (self->store, rc, _("Could not read the outcomes"), error);
      return NULL;
    }
  return g_steal_pointer (&records);
}

gint64
push_run_store_count_outcomes (PushRunStore  *self,
                               const char    *run_id,
                               guint          outcomes,
                               GError       **error)
{
  g_autoptr(PushStoreLocked) locker = NULL;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autofree char *filter = NULL;
  g_autofree char *sql = NULL;
  int rc;

  g_return_val_if_fail (PUSH_IS_RUN_STORE (self), -1);
  g_return_val_if_fail (run_id != NULL, -1);

  filter = _push_outcome_filter_sql (outcomes);
  sql = g_strdup_printf ("SELECT count(*) FROM outcomes WHERE run_id = ?1%s", filter);

  locker = _push_store_locker_new (self->store);
  stmt = _push_store_prepare (self->store, sql, _("Could not read the outcomes"), error);
  if (stmt == NULL)
    return -1;
  _push_store_bind_text (stmt, 1, run_id);
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW)
    {
      _push_store_set_error (self->store, rc, _("Could not read the outcomes"), error);
      return -1;
    }
  return sqlite3_column_int64 (stmt, 0);
}

PushOutcomeRecord *
push_run_store_get_outcome (PushRunStore  *self,
                            const char    *run_id,
                            guint64        row_number,
                            GError       **error)
{
  g_autoptr(PushStoreLocked) locker = NULL;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int rc;

  g_return_val_if_fail (PUSH_IS_RUN_STORE (self), NULL);
  g_return_val_if_fail (run_id != NULL, NULL);

  locker = _push_store_locker_new (self->store);
  stmt = _push_store_prepare (self->store,
                              "SELECT " OUTCOME_COLUMNS " FROM outcomes "
                              "WHERE run_id = ?1 AND row_number = ?2",
                              _("Could not read the outcomes"), error);
  if (stmt == NULL)
    return NULL;
  _push_store_bind_text (stmt, 1, run_id);
  sqlite3_bind_int64 (stmt, 2, (gint64) row_number);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    return outcome_from_row (stmt);
  if (rc != SQLITE_DONE)
    _push_store_set_error (self->store, rc, _("Could not read the outcomes"), error);
  return NULL;
}

gboolean
push_run_store_delete_run (PushRunStore  *self,
                           const char    *run_id,
                           GError       **error)
{
  g_autoptr(PushRunLock) lock = NULL;
  g_autoptr(PushStoreLocked) locker = NULL;
  g_autoptr(sqlite3_stmt) stmt = NULL;

  g_return_val_if_fail (PUSH_IS_RUN_STORE (self), FALSE);
  g_return_val_if_fail (run_id != NULL, FALSE);

  lock = push_run_store_lock_run (self, run_id, error);
  if (lock == NULL)
    return FALSE;

  locker = _push_store_locker_new (self->store);
  stmt = _push_store_prepare (self->store, "DELETE FROM runs WHERE id = ?1",
                              _("Could not delete the run"), error);
  if (stmt == NULL)
    return FALSE;
  _push_store_bind_text (stmt, 1, run_id);
  return step_run_update (self, stmt, run_id, _("Could not delete the run"), error);
}

/* ---- GObject -------------------------------------------------------------------------- */

static void
push_run_store_finalize (GObject *object)
{
  PushRunStore *self = PUSH_RUN_STORE (object);

  g_clear_object (&self->store);

  G_OBJECT_CLASS (push_run_store_parent_class)->finalize (object);
}

static void
push_run_store_class_init (PushRunStoreClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = push_run_store_finalize;
}

static void
push_run_store_init (PushRunStore *self)
{
}

PushRunStore *
push_run_store_new (PushStore *store)
{
  PushRunStore *self;

  g_return_val_if_fail (PUSH_IS_STORE (store), NULL);

  self = g_object_new (PUSH_TYPE_RUN_STORE, NULL);
  self->store = g_object_ref (store);
  return self;
}

PushStore *
push_run_store_get_store (PushRunStore *self)
{
  g_return_val_if_fail (PUSH_IS_RUN_STORE (self), NULL);
  return self->store;
}
