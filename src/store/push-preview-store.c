/* push-preview-store.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "push-preview-store.h"
#include "push-store-private.h"

struct _PushPreviewStore
{
  GObject    parent_instance;

  PushStore *store;  /* (owned) */
};

G_DEFINE_FINAL_TYPE (PushPreviewStore, push_preview_store, G_TYPE_OBJECT)

G_DEFINE_ENUM_TYPE (PushPreviewMode, push_preview_mode,
  G_DEFINE_ENUM_VALUE (PUSH_PREVIEW_MODE_SAMPLE, "sample"),
  G_DEFINE_ENUM_VALUE (PUSH_PREVIEW_MODE_FULL, "full"))

G_DEFINE_BOXED_TYPE (PushPrediction, push_prediction, push_prediction_copy,
                     push_prediction_free)
G_DEFINE_BOXED_TYPE (PushPreviewInfo, push_preview_info, push_preview_info_copy,
                     push_preview_info_free)

G_DEFINE_QUARK (push-preview-store-error-quark, push_preview_store_error)

#define PREVIEW_COLUMNS \
  "id, destination_id, destination_document, audience_fingerprint, mode, state, created, " \
  "counts, (SELECT COUNT(*) FROM preview_members m WHERE m.preview_id = previews.id)"

#define MEMBER_COLUMNS \
  "row_number, dedupe_value, outcome, lead_id, other_lead_ids, partition_id, reason"

/* ---- Enums ---------------------------------------------------------------------------- */

const char *
push_preview_mode_to_string (PushPreviewMode mode)
{
  switch (mode)
    {
    case PUSH_PREVIEW_MODE_SAMPLE:
      return "sample";
    case PUSH_PREVIEW_MODE_FULL:
      return "full";
    default:
      g_return_val_if_reached (NULL);
    }
}

gboolean
push_preview_mode_from_string (const char      *nick,
                               PushPreviewMode *out_mode)
{
  if (g_strcmp0 (nick, "sample") == 0)
    *out_mode = PUSH_PREVIEW_MODE_SAMPLE;
  else if (g_strcmp0 (nick, "full") == 0)
    *out_mode = PUSH_PREVIEW_MODE_FULL;
  else
    return FALSE;
  return TRUE;
}

const char *
push_preview_mode_get_label (PushPreviewMode mode)
{
  switch (mode)
    {
    case PUSH_PREVIEW_MODE_SAMPLE:
      return C_("preview mode", "Sample");
    case PUSH_PREVIEW_MODE_FULL:
      return C_("preview mode", "Full");
    default:
      g_return_val_if_reached (NULL);
    }
}

/* ---- PushPrediction ------------------------------------------------------------------- */

PushPrediction *
push_prediction_new (guint64      row_number,
                     const char  *dedupe_value,
                     PushOutcome  outcome)
{
  PushPrediction *prediction = g_new0 (PushPrediction, 1);

  prediction->row_number = row_number;
  prediction->dedupe_value = g_strdup (dedupe_value);
  prediction->outcome = outcome;
  return prediction;
}

void
push_prediction_copy_into (PushPrediction       *dest,
                           const PushPrediction *src)
{
  *dest = *src;
  dest->dedupe_value = g_strdup (src->dedupe_value);
  dest->reason = g_strdup (src->reason);
  if (src->other_lead_ids != NULL)
    {
      dest->other_lead_ids = g_array_sized_new (FALSE, FALSE, sizeof (gint64),
                                                src->other_lead_ids->len);
      g_array_append_vals (dest->other_lead_ids, src->other_lead_ids->data,
                           src->other_lead_ids->len);
    }
  if (src->sent != NULL)
    dest->sent = json_object_ref (src->sent);
  if (src->current != NULL)
    dest->current = json_object_ref (src->current);
}

PushPrediction *
push_prediction_copy (const PushPrediction *prediction)
{
  PushPrediction *copy;

  g_return_val_if_fail (prediction != NULL, NULL);

  copy = g_new0 (PushPrediction, 1);
  push_prediction_copy_into (copy, prediction);
  return copy;
}

void
push_prediction_clear (PushPrediction *prediction)
{
  g_clear_pointer (&prediction->dedupe_value, g_free);
  g_clear_pointer (&prediction->reason, g_free);
  g_clear_pointer (&prediction->other_lead_ids, g_array_unref);
  g_clear_pointer (&prediction->sent, json_object_unref);
  g_clear_pointer (&prediction->current, json_object_unref);
}

void
push_prediction_free (PushPrediction *prediction)
{
  if (prediction == NULL)
    return;
  push_prediction_clear (prediction);
  g_free (prediction);
}

char *
push_prediction_dup_other_ids_text (const PushPrediction *prediction)
{
  GString *text;

  g_return_val_if_fail (prediction != NULL, NULL);

  if (prediction->other_lead_ids == NULL || prediction->other_lead_ids->len == 0)
    return NULL;
  text = g_string_new (NULL);
  for (guint i = 0; i < prediction->other_lead_ids->len; i++)
    g_string_append_printf (text, "%s%" G_GINT64_FORMAT, i > 0 ? ", " : "",
                            g_array_index (prediction->other_lead_ids, gint64, i));
  return g_string_free (text, FALSE);
}

/* ---- PushPreviewInfo ------------------------------------------------------------------ */

PushPreviewInfo *
push_preview_info_new (void)
{
  PushPreviewInfo *info = g_new0 (PushPreviewInfo, 1);

  info->complete = TRUE;
  return info;
}

PushPreviewInfo *
push_preview_info_copy (const PushPreviewInfo *info)
{
  PushPreviewInfo *copy;

  g_return_val_if_fail (info != NULL, NULL);

  copy = g_memdup2 (info, sizeof *info);
  copy->id = g_strdup (info->id);
  copy->destination_id = g_strdup (info->destination_id);
  copy->destination_document = g_strdup (info->destination_document);
  copy->audience_fingerprint = g_strdup (info->audience_fingerprint);
  copy->created = info->created != NULL ? g_date_time_ref (info->created) : NULL;
  copy->summary = info->summary != NULL ? json_node_copy (info->summary) : NULL;
  return copy;
}

void
push_preview_info_free (PushPreviewInfo *info)
{
  if (info == NULL)
    return;
  g_free (info->id);
  g_free (info->destination_id);
  g_free (info->destination_document);
  g_free (info->audience_fingerprint);
  g_clear_pointer (&info->created, g_date_time_unref);
  g_clear_pointer (&info->summary, json_node_unref);
  g_free (info);
}

/* ---- Rows ----------------------------------------------------------------------------- */

static void
set_not_found (const char  *id,
               GError     **error)
{
  g_set_error (error, PUSH_PREVIEW_STORE_ERROR, PUSH_PREVIEW_STORE_ERROR_NOT_FOUND,
               _("There is no preview with the id “%s”"), id);
}

/* The other ids as the column keeps them: "1002,1005". */
static char *
other_ids_to_text (GArray *ids)
{
  GString *text;

  if (ids == NULL || ids->len == 0)
    return NULL;
  text = g_string_new (NULL);
  for (guint i = 0; i < ids->len; i++)
    g_string_append_printf (text, "%s%" G_GINT64_FORMAT, i > 0 ? "," : "",
                            g_array_index (ids, gint64, i));
  return g_string_free (text, FALSE);
}

static GArray *
other_ids_from_text (const char *text)
{
  g_auto(GStrv) parts = NULL;
  GArray *ids;

  if (text == NULL || *text == '\0')
    return NULL;
  parts = g_strsplit (text, ",", -1);
  ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  for (guint i = 0; parts[i] != NULL; i++)
    {
      gint64 id;

      if (g_ascii_string_to_signed (parts[i], 10, 1, G_MAXINT64, &id, NULL))
        g_array_append_val (ids, id);
    }
  return ids;
}

/* The reason column holds {"code": 1007, "text": "…"}: the Marketo code the activation will
 * meet (0 when none) and the sentence. */
static char *
reason_to_text (int         code,
                const char *reason)
{
  g_autoptr(JsonBuilder) builder = NULL;
  g_autoptr(JsonNode) node = NULL;

  if (code == 0 && reason == NULL)
    return NULL;
  builder = json_builder_new ();
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "code");
  json_builder_add_int_value (builder, code);
  if (reason != NULL)
    {
      json_builder_set_member_name (builder, "text");
      json_builder_add_string_value (builder, reason);
    }
  json_builder_end_object (builder);
  node = json_builder_get_root (builder);
  return json_to_string (node, FALSE);
}

static void
reason_from_text (const char  *text,
                  int         *code,
                  char       **reason)
{
  g_autoptr(JsonParser) parser = NULL;
  JsonObject *object;

  *code = 0;
  *reason = NULL;
  if (text == NULL)
    return;
  parser = json_parser_new_immutable ();
  if (!json_parser_load_from_data (parser, text, -1, NULL)
      || !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    {
      /* Not ours: keep it as the sentence. */
      *reason = g_strdup (text);
      return;
    }
  object = json_node_get_object (json_parser_get_root (parser));
  *code = (int) json_object_get_int_member_with_default (object, "code", 0);
  *reason = g_strdup (json_object_get_string_member_with_default (object, "text", NULL));
}

static PushPrediction *
prediction_from_row (sqlite3_stmt *stmt)
{
  PushPrediction *prediction = g_new0 (PushPrediction, 1);
  const char *outcome = (const char *) sqlite3_column_text (stmt, 2);

  prediction->row_number = (guint64) sqlite3_column_int64 (stmt, 0);
  prediction->dedupe_value = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
  if (!push_outcome_from_string (outcome, &prediction->outcome))
    prediction->outcome = PUSH_OUTCOME_FAILED;
  prediction->lead_id = sqlite3_column_int64 (stmt, 3);
  prediction->other_lead_ids = other_ids_from_text ((const char *) sqlite3_column_text (stmt, 4));
  prediction->partition_id = sqlite3_column_int64 (stmt, 5);
  reason_from_text ((const char *) sqlite3_column_text (stmt, 6), &prediction->reason_code,
                    &prediction->reason);
  if (prediction->lead_id > 0)
    prediction->n_matches = 1 + (prediction->other_lead_ids != NULL ?
                                 prediction->other_lead_ids->len : 0);
  return prediction;
}

static PushPreviewInfo *
info_from_row (sqlite3_stmt  *stmt,
               GError       **error)
{
  g_autoptr(PushPreviewInfo) info = push_preview_info_new ();
  const char *mode = (const char *) sqlite3_column_text (stmt, 4);
  const char *summary = (const char *) sqlite3_column_text (stmt, 7);

  info->id = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  info->destination_id = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
  info->destination_document = g_strdup ((const char *) sqlite3_column_text (stmt, 2));
  info->audience_fingerprint = g_strdup ((const char *) sqlite3_column_text (stmt, 3));
  if (!push_preview_mode_from_string (mode, &info->mode))
    {
      g_set_error (error, PUSH_PREVIEW_STORE_ERROR, PUSH_PREVIEW_STORE_ERROR_INVALID,
                   _("The preview “%s” has an unknown mode “%s”"), info->id, mode);
      return NULL;
    }
  info->complete = g_strcmp0 ((const char *) sqlite3_column_text (stmt, 5), "complete") == 0;
  info->created = g_date_time_new_from_unix_utc (sqlite3_column_int64 (stmt, 6));
  if (summary != NULL)
    {
      g_autoptr(JsonParser) parser = json_parser_new_immutable ();

      if (json_parser_load_from_data (parser, summary, -1, NULL))
        info->summary = json_node_copy (json_parser_get_root (parser));
    }
  info->n_members = (guint64) sqlite3_column_int64 (stmt, 8);
  return g_steal_pointer (&info);
}

/* ---- Writing -------------------------------------------------------------------------- */

static gboolean
step_done (PushPreviewStore  *self,
           sqlite3_stmt      *stmt,
           const char        *what,
           GError           **error)
{
  int rc = sqlite3_step (stmt);

  if (rc == SQLITE_DONE)
    return TRUE;
  if ((rc & 0xff) == SQLITE_CONSTRAINT)
    g_set_error (error, PUSH_STORE_ERROR, PUSH_STORE_ERROR_CONSTRAINT,
                 _("The preview refers to a destination that is not saved"));
  else
    _push_store_set_error (self->store, rc, what, error);
  return FALSE;
}

static gboolean
save_locked (PushPreviewStore       *self,
             const PushPreviewInfo  *info,
             const PushPrediction   *members,
             gsize                   n_members,
             GError                **error)
{
  g_autoptr(sqlite3_stmt) remove = NULL;
  g_autoptr(sqlite3_stmt) insert = NULL;
  g_autoptr(sqlite3_stmt) member = NULL;
  g_autoptr(sqlite3_stmt) prune = NULL;
  g_autofree char *summary = NULL;
  const char *what = _("Could not save the preview");

  remove = _push_store_prepare (self->store, "DELETE FROM previews WHERE id = ?1", what, error);
  if (remove == NULL)
    return FALSE;
  _push_store_bind_text (remove, 1, info->id);
  if (!step_done (self, remove, what, error))
    return FALSE;

  if (info->summary != NULL)
    summary = json_to_string (info->summary, FALSE);
  insert = _push_store_prepare (self->store,
                                "INSERT INTO previews (id, destination_id, destination_document, "
                                "audience_fingerprint, mode, state, counts) "
                                "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                                what, error);
  if (insert == NULL)
    return FALSE;
  _push_store_bind_text (insert, 1, info->id);
  _push_store_bind_text (insert, 2, info->destination_id);
  _push_store_bind_text (insert, 3,
                         info->destination_document != NULL ? info->destination_document : "");
  _push_store_bind_text (insert, 4,
                         info->audience_fingerprint != NULL ? info->audience_fingerprint : "");
  _push_store_bind_text (insert, 5, push_preview_mode_to_string (info->mode));
  _push_store_bind_text (insert, 6, info->complete ? "complete" : "cancelled");
  _push_store_bind_text (insert, 7, summary != NULL ? summary : "{}");
  if (!step_done (self, insert, what, error))
    return FALSE;

  member = _push_store_prepare (self->store,
                                "INSERT INTO preview_members (preview_id, " MEMBER_COLUMNS ") "
                                "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                                what, error);
  if (member == NULL)
    return FALSE;
  for (gsize i = 0; i < n_members; i++)
    {
      const PushPrediction *p = &members[i];
      g_autofree char *others = other_ids_to_text (p->other_lead_ids);
      g_autofree char *reason = reason_to_text (p->reason_code, p->reason);

      sqlite3_reset (member);
      sqlite3_clear_bindings (member);
      _push_store_bind_text (member, 1, info->id);
      sqlite3_bind_int64 (member, 2, (gint64) p->row_number);
      _push_store_bind_text (member, 3, p->dedupe_value);
      _push_store_bind_text (member, 4, push_outcome_to_string (p->outcome));
      if (p->lead_id > 0)
        sqlite3_bind_int64 (member, 5, p->lead_id);
      _push_store_bind_text (member, 6, others);
      if (p->partition_id > 0)
        sqlite3_bind_int64 (member, 7, p->partition_id);
      _push_store_bind_text (member, 8, reason);
      if (!step_done (self, member, what, error))
        return FALSE;
    }

  /* Older previews of the destination beyond the newest few go (members by cascade). */
  prune = _push_store_prepare (self->store,
                               "DELETE FROM previews WHERE destination_id = ?1 AND id NOT IN "
                               "(SELECT id FROM previews WHERE destination_id = ?1 "
                               " ORDER BY created DESC, rowid DESC LIMIT ?2)",
                               what, error);
  if (prune == NULL)
    return FALSE;
  _push_store_bind_text (prune, 1, info->destination_id);
  sqlite3_bind_int (prune, 2, PUSH_PREVIEW_STORE_KEEP_PER_DESTINATION);
  return step_done (self, prune, what, error);
}

/* ---- GObject -------------------------------------------------------------------------- */

static void
push_preview_store_finalize (GObject *object)
{
  PushPreviewStore *self = PUSH_PREVIEW_STORE (object);

  g_clear_object (&self->store);

  G_OBJECT_CLASS (push_preview_store_parent_class)->finalize (object);
}

static void
push_preview_store_class_init (PushPreviewStoreClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = push_preview_store_finalize;
}

static void
push_preview_store_init (PushPreviewStore *self)
{
}

/* ---- Public API ----------------------------------------------------------------------- */

PushPreviewStore *
push_preview_store_new (PushStore *store)
{
  PushPreviewStore *self;

  g_return_val_if_fail (PUSH_IS_STORE (store), NULL);

  self = g_object_new (PUSH_TYPE_PREVIEW_STORE, NULL);
  self->store = g_object_ref (store);
  return self;
}

PushStore *
push_preview_store_get_store (PushPreviewStore *self)
{
  g_return_val_if_fail (PUSH_IS_PREVIEW_STORE (self), NULL);
  return self->store;
}

char *
push_preview_store_new_id (void)
{
  return g_uuid_string_random ();
}

gboolean
push_preview_store_save (PushPreviewStore       *self,
                         const PushPreviewInfo  *info,
                         const PushPrediction   *members,
                         gsize                   n_members,
                         GError                **error)
{
  g_return_val_if_fail (PUSH_IS_PREVIEW_STORE (self), FALSE);
  g_return_val_if_fail (info != NULL && info->id != NULL, FALSE);
  g_return_val_if_fail (info->destination_id != NULL, FALSE);
  g_return_val_if_fail (members != NULL || n_members == 0, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!push_store_begin (self->store, error))
    return FALSE;
  if (!save_locked (self, info, members, n_members, error))
    {
      push_store_rollback (self->store);
      return FALSE;
    }
  return push_store_commit (self->store, error);
}

PushPreviewInfo *
push_preview_store_get (PushPreviewStore  *self,
                        const char        *id,
                        GError           **error)
{
  g_autoptr(PushStoreLocked) locker = NULL;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  const char *what = _("Could not read the preview");
  int rc;

  g_return_val_if_fail (PUSH_IS_PREVIEW_STORE (self), NULL);
  g_return_val_if_fail (id != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  locker = _push_store_locker_new (self->store);
  stmt = _push_store_prepare (self->store,
                              "SELECT " PREVIEW_COLUMNS " FROM previews WHERE id = ?1",
                              what, error);
  if (stmt == NULL)
    return NULL;
  _push_store_bind_text (stmt, 1, id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    return info_from_row (stmt, error);
  if (rc == SQLITE_DONE)
    set_not_found (id, error);
  else
    _push_store_set_error (self->store, rc, what, error);
  return NULL;
}

PushPreviewInfo *
push_preview_store_find_latest (PushPreviewStore  *self,
                                const char        *destination_id,
                                const char        *fingerprint,
                                PushPreviewMode    mode,
                                gboolean           any_mode,
                                GError           **error)
{
  g_autoptr(PushStoreLocked) locker = NULL;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  const char *what = _("Could not read the previews");
  int rc;

  g_return_val_if_fail (PUSH_IS_PREVIEW_STORE (self), NULL);
  g_return_val_if_fail (destination_id != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  locker = _push_store_locker_new (self->store);
  stmt = _push_store_prepare (self->store,
                              "SELECT " PREVIEW_COLUMNS " FROM previews "
                              "WHERE destination_id = ?1 "
                              "AND (?2 IS NULL OR audience_fingerprint = ?2) "
                              "AND (?3 IS NULL OR mode = ?3) "
                              "ORDER BY created DESC, rowid DESC LIMIT 1",
                              what, error);
  if (stmt == NULL)
    return NULL;
  _push_store_bind_text (stmt, 1, destination_id);
  _push_store_bind_text (stmt, 2, fingerprint);
  _push_store_bind_text (stmt, 3, any_mode ? NULL : push_preview_mode_to_string (mode));
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    return info_from_row (stmt, error);
  if (rc != SQLITE_DONE)
    _push_store_set_error (self->store, rc, what, error);
  return NULL;
}

GPtrArray *
push_preview_store_list (PushPreviewStore  *self,
                         const char        *destination_id,
                         GError           **error)
{
  g_autoptr(PushStoreLocked) locker = NULL;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GPtrArray) infos = NULL;
  const char *what = _("Could not read the previews");
  int rc;

  g_return_val_if_fail (PUSH_IS_PREVIEW_STORE (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  locker = _push_store_locker_new (self->store);
  stmt = _push_store_prepare (self->store,
                              "SELECT " PREVIEW_COLUMNS " FROM previews "
                              "WHERE ?1 IS NULL OR destination_id = ?1 "
                              "ORDER BY created DESC, rowid DESC",
                              what, error);
  if (stmt == NULL)
    return NULL;
  _push_store_bind_text (stmt, 1, destination_id);

  infos = g_ptr_array_new_with_free_func ((GDestroyNotify) push_preview_info_free);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      PushPreviewInfo *info = info_from_row (stmt, error);

      if (info == NULL)
        return NULL;
      g_ptr_array_add (infos, info);
    }
  if (rc != SQLITE_DONE)
    {
      _push_store_set_error (self->store, rc, what, error);
      return NULL;
    }
  return g_steal_pointer (&infos);
}

GPtrArray *
push_preview_store_list_members (PushPreviewStore  *self,
                                 const char        *id,
                                 guint              outcomes,
                                 guint64            offset,
                                 guint              limit,
                                 GError           **error)
{
  g_autoptr(PushStoreLocked) locker = NULL;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GPtrArray) members = NULL;
  g_autofree char *filter = NULL;
  g_autofree char *sql = NULL;
  const char *what = _("Could not read the preview’s members");
  int rc;

  g_return_val_if_fail (PUSH_IS_PREVIEW_STORE (self), NULL);
  g_return_val_if_fail (id != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  filter = _push_outcome_filter_sql (outcomes);
  sql = g_strdup_printf ("SELECT " MEMBER_COLUMNS " FROM preview_members "
                         "WHERE preview_id = ?1%s ORDER BY row_number LIMIT ?2 OFFSET ?3",
                         filter);

  locker = _push_store_locker_new (self->store);
  stmt = _push_store_prepare (self->store, sql, what, error);
  if (stmt == NULL)
    return NULL;
  _push_store_bind_text (stmt, 1, id);
  sqlite3_bind_int64 (stmt, 2, limit > 0 ? (gint64) limit : -1);
  sqlite3_bind_int64 (stmt, 3, (gint64) MIN (offset, (guint64) G_MAXINT64));

  members = g_ptr_array_new_with_free_func ((GDestroyNotify) push_prediction_free);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (members, prediction_from_row (stmt));
  if (rc != SQLITE_DONE)
    {
      _push_store_set_error (self->store, rc, what, error);
      return NULL;
    }
  return g_steal_pointer (&members);
}

PushPrediction *
push_preview_store_get_member (PushPreviewStore  *self,
                               const char        *id,
                               guint64            row_number,
                               GError           **error)
{
  g_autoptr(PushStoreLocked) locker = NULL;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  const char *what = _("Could not read the preview’s members");
  int rc;

  g_return_val_if_fail (PUSH_IS_PREVIEW_STORE (self), NULL);
  g_return_val_if_fail (id != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  locker = _push_store_locker_new (self->store);
  stmt = _push_store_prepare (self->store,
                              "SELECT " MEMBER_COLUMNS " FROM preview_members "
                              "WHERE preview_id = ?1 AND row_number = ?2",
                              what, error);
  if (stmt == NULL)
    return NULL;
  _push_store_bind_text (stmt, 1, id);
  sqlite3_bind_int64 (stmt, 2, (gint64) row_number);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    return prediction_from_row (stmt);
  if (rc != SQLITE_DONE)
    _push_store_set_error (self->store, rc, what, error);
  return NULL;
}

gboolean
push_preview_store_delete (PushPreviewStore  *self,
                           const char        *id,
                           GError           **error)
{
  g_autoptr(PushStoreLocked) locker = NULL;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  const char *what = _("Could not delete the preview");

  g_return_val_if_fail (PUSH_IS_PREVIEW_STORE (self), FALSE);
  g_return_val_if_fail (id != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  locker = _push_store_locker_new (self->store);
  stmt = _push_store_prepare (self->store, "DELETE FROM previews WHERE id = ?1", what, error);
  if (stmt == NULL)
    return FALSE;
  _push_store_bind_text (stmt, 1, id);
  if (!step_done (self, stmt, what, error))
    return FALSE;
  if (sqlite3_changes (_push_store_get_db (self->store)) == 0)
    {
      set_not_found (id, error);
      return FALSE;
    }
  return TRUE;
}
