/* push-audiences.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "push-audiences.h"
#include "push-store-private.h"

/* ---- PushAudienceEntry ---- */

struct _PushAudienceEntry
{
  GObject             parent_instance;

  char               *id;
  char               *path;
  char               *name;
  PushAudienceFormat  format;
  char                delimiter;
  char               *fingerprint;  /* (nullable) */
  gint64              row_count;
  GDateTime          *added;        /* (owned) */
};

G_DEFINE_FINAL_TYPE (PushAudienceEntry, push_audience_entry, G_TYPE_OBJECT)

enum {
  ENTRY_PROP_0,
  ENTRY_PROP_ID,
  ENTRY_PROP_PATH,
  ENTRY_PROP_NAME,
  ENTRY_PROP_FORMAT,
  ENTRY_PROP_DELIMITER,
  ENTRY_PROP_FINGERPRINT,
  ENTRY_PROP_ROW_COUNT,
  ENTRY_PROP_ADDED,
  ENTRY_N_PROPS
};

static GParamSpec *entry_properties[ENTRY_N_PROPS];

static void
push_audience_entry_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  PushAudienceEntry *self = PUSH_AUDIENCE_ENTRY (object);

  switch (prop_id)
    {
    case ENTRY_PROP_ID:
      g_value_set_string (value, self->id);
      break;
    case ENTRY_PROP_PATH:
      g_value_set_string (value, self->path);
      break;
    case ENTRY_PROP_NAME:
      g_value_set_string (value, self->name);
      break;
    case ENTRY_PROP_FORMAT:
      g_value_set_enum (value, self->format);
      break;
    case ENTRY_PROP_DELIMITER:
      g_value_set_uint (value, (guchar) self->delimiter);
      break;
    case ENTRY_PROP_FINGERPRINT:
      g_value_set_string (value, self->fingerprint);
      break;
    case ENTRY_PROP_ROW_COUNT:
      g_value_set_int64 (value, self->row_count);
      break;
    case ENTRY_PROP_ADDED:
      g_value_set_boxed (value, self->added);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
push_audience_entry_finalize (GObject *object)
{
  PushAudienceEntry *self = PUSH_AUDIENCE_ENTRY (object);

  g_free (self->id);
  g_free (self->path);
  g_free (self->name);
  g_free (self->fingerprint);
  g_clear_pointer (&self->added, g_date_time_unref);

  G_OBJECT_CLASS (push_audience_entry_parent_class)->finalize (object);
}

static void
push_audience_entry_class_init (PushAudienceEntryClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;

  object_class->get_property = push_audience_entry_get_property;
  object_class->finalize = push_audience_entry_finalize;

  entry_properties[ENTRY_PROP_ID] = g_param_spec_string ("id", NULL, NULL, NULL, flags);
  entry_properties[ENTRY_PROP_PATH] = g_param_spec_string ("path", NULL, NULL, NULL, flags);
  entry_properties[ENTRY_PROP_NAME] = g_param_spec_string ("name", NULL, NULL, NULL, flags);
  entry_properties[ENTRY_PROP_FORMAT] =
    g_param_spec_enum ("format", NULL, NULL, PUSH_TYPE_AUDIENCE_FORMAT,
                       PUSH_AUDIENCE_FORMAT_AUTO, flags);
  entry_properties[ENTRY_PROP_DELIMITER] =
    g_param_spec_uint ("delimiter", NULL, NULL, 0, 255, 0, flags);
  entry_properties[ENTRY_PROP_FINGERPRINT] =
    g_param_spec_string ("fingerprint", NULL, NULL, NULL, flags);
  entry_properties[ENTRY_PROP_ROW_COUNT] =
    g_param_spec_int64 ("row-count", NULL, NULL, -1, G_MAXINT64, -1, flags);
  entry_properties[ENTRY_PROP_ADDED] =
    g_param_spec_boxed ("added", NULL, NULL, G_TYPE_DATE_TIME, flags);
  g_object_class_install_properties (object_class, ENTRY_N_PROPS, entry_properties);
}

static void
push_audience_entry_init (PushAudienceEntry *self)
{
  self->row_count = -1;
}

const char *
push_audience_entry_get_id (PushAudienceEntry *self)
{
  g_return_val_if_fail (PUSH_IS_AUDIENCE_ENTRY (self), NULL);
  return self->id;
}

const char *
push_audience_entry_get_path (PushAudienceEntry *self)
{
  g_return_val_if_fail (PUSH_IS_AUDIENCE_ENTRY (self), NULL);
  return self->path;
}

const char *
push_audience_entry_get_name (PushAudienceEntry *self)
{
  g_return_val_if_fail (PUSH_IS_AUDIENCE_ENTRY (self), NULL);
  return self->name;
}

PushAudienceFormat
push_audience_entry_get_format (PushAudienceEntry *self)
{
  g_return_val_if_fail (PUSH_IS_AUDIENCE_ENTRY (self), PUSH_AUDIENCE_FORMAT_AUTO);
  return self->format;
}

char
push_audience_entry_get_delimiter (PushAudienceEntry *self)
{
  g_return_val_if_fail (PUSH_IS_AUDIENCE_ENTRY (self), 0);
  return self->delimiter;
}

const char *
push_audience_entry_get_fingerprint (PushAudienceEntry *self)
{
  g_return_val_if_fail (PUSH_IS_AUDIENCE_ENTRY (self), NULL);
  return self->fingerprint;
}

gint64
push_audience_entry_get_row_count (PushAudienceEntry *self)
{
  g_return_val_if_fail (PUSH_IS_AUDIENCE_ENTRY (self), -1);
  return self->row_count;
}

GDateTime *
push_audience_entry_get_added (PushAudienceEntry *self)
{
  g_return_val_if_fail (PUSH_IS_AUDIENCE_ENTRY (self), NULL);
  return self->added;
}

GFile *
push_audience_entry_dup_file (PushAudienceEntry *self)
{
  g_return_val_if_fail (PUSH_IS_AUDIENCE_ENTRY (self), NULL);
  return g_file_new_for_path (self->path);
}

static void
entry_set_format (PushAudienceEntry  *self,
                  PushAudienceFormat  format,
                  char                delimiter)
{
  if (self->format != format)
    {
      self->format = format;
      g_object_notify_by_pspec (G_OBJECT (self), entry_properties[ENTRY_PROP_FORMAT]);
    }
  if (self->delimiter != delimiter)
    {
      self->delimiter = delimiter;
      g_object_notify_by_pspec (G_OBJECT (self), entry_properties[ENTRY_PROP_DELIMITER]);
    }
}

static void
entry_set_scan (PushAudienceEntry *self,
                gint64             row_count,
                const char        *fingerprint)
{
  if (self->row_count != row_count)
    {
      self->row_count = row_count;
      g_object_notify_by_pspec (G_OBJECT (self), entry_properties[ENTRY_PROP_ROW_COUNT]);
    }
  if (g_strcmp0 (self->fingerprint, fingerprint) != 0)
    {
      g_free (self->fingerprint);
      self->fingerprint = g_strdup (fingerprint);
      g_object_notify_by_pspec (G_OBJECT (self), entry_properties[ENTRY_PROP_FINGERPRINT]);
    }
}

/* ---- Columns as stored ---- */

static const char *
format_to_string (PushAudienceFormat format)
{
  g_autoptr(GEnumClass) klass = g_type_class_ref (PUSH_TYPE_AUDIENCE_FORMAT);
  GEnumValue *value = g_enum_get_value (klass, format);

  return value != NULL ? value->value_nick : "auto";
}

static PushAudienceFormat
format_from_string (const char *text)
{
  g_autoptr(GEnumClass) klass = g_type_class_ref (PUSH_TYPE_AUDIENCE_FORMAT);
  GEnumValue *value = text != NULL ? g_enum_get_value_by_nick (klass, text) : NULL;

  return value != NULL ? (PushAudienceFormat) value->value : PUSH_AUDIENCE_FORMAT_AUTO;
}

static gboolean
delimiter_is_valid (char delimiter)
{
  return delimiter == 0 || delimiter == ',' || delimiter == ';' || delimiter == '\t'
         || delimiter == '|';
}

static void
bind_delimiter (sqlite3_stmt *stmt,
                int           index,
                char          delimiter)
{
  char text[2] = { delimiter, '\0' };

  if (delimiter == 0)
    sqlite3_bind_null (stmt, index);
  else
    sqlite3_bind_text (stmt, index, text, 1, SQLITE_TRANSIENT);
}

/* ---- PushAudiences ---- */

struct _PushAudiences
{
  GObject    parent_instance;

  PushStore *store;  /* (owned) */
  GPtrArray *items;  /* (owned) (element-type PushAudienceEntry) sorted by name, then path */
};

static void push_audiences_list_model_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (PushAudiences, push_audiences, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL,
                                                      push_audiences_list_model_init))

static int
compare_entries (PushAudienceEntry *a,
                 PushAudienceEntry *b)
{
  g_autofree char *fa = g_utf8_casefold (a->name, -1);
  g_autofree char *fb = g_utf8_casefold (b->name, -1);
  int result = g_utf8_collate (fa, fb);

  return result != 0 ? result : g_strcmp0 (a->path, b->path);
}

static guint
sorted_position (PushAudiences     *self,
                 PushAudienceEntry *entry)
{
  guint i;

  for (i = 0; i < self->items->len; i++)
    {
      if (compare_entries (entry, g_ptr_array_index (self->items, i)) < 0)
        break;
    }
  return i;
}

static gboolean
find_position (PushAudiences *self,
               const char    *id,
               guint         *position)
{
  for (guint i = 0; i < self->items->len; i++)
    {
      PushAudienceEntry *entry = g_ptr_array_index (self->items, i);

      if (g_strcmp0 (entry->id, id) == 0)
        {
          *position = i;
          return TRUE;
        }
    }
  return FALSE;
}

/* Where the entry with @id stands; FALSE with NOT_FOUND when it is no longer in the list. */
static gboolean
find_saved (PushAudiences  *self,
            const char     *id,
            guint          *position,
            GError        **error)
{
  if (find_position (self, id, position))
    return TRUE;
  g_set_error_literal (error, PUSH_STORE_ERROR, PUSH_STORE_ERROR_NOT_FOUND,
                       _("That audience is no longer in the list"));
  return FALSE;
}

static PushAudienceEntry *
entry_from_row (sqlite3_stmt *stmt)
{
  PushAudienceEntry *entry = g_object_new (PUSH_TYPE_AUDIENCE_ENTRY, NULL);
  const char *delimiter = (const char *) sqlite3_column_text (stmt, 4);

  entry->id = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  entry->path = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
  entry->name = g_strdup ((const char *) sqlite3_column_text (stmt, 2));
  entry->format = format_from_string ((const char *) sqlite3_column_text (stmt, 3));
  entry->delimiter = delimiter != NULL && delimiter_is_valid (delimiter[0]) ? delimiter[0] : 0;
  entry->fingerprint = g_strdup ((const char *) sqlite3_column_text (stmt, 5));
  entry->row_count = sqlite3_column_type (stmt, 6) == SQLITE_NULL
                     ? -1 : sqlite3_column_int64 (stmt, 6);
  entry->added = g_date_time_new_from_unix_utc (sqlite3_column_int64 (stmt, 7));

  return entry;
}

static gboolean
load (PushAudiences  *self,
      GError        **error)
{
  g_autoptr(PushStoreLocked) locker = _push_store_locker_new (self->store);
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int rc;

  stmt = _push_store_prepare (self->store,
                              "SELECT id, path, name, format, delimiter, fingerprint, row_count, "
                              "added FROM audiences",
                              _("Could not read the audiences"), error);
  if (stmt == NULL)
    return FALSE;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      PushAudienceEntry *entry = entry_from_row (stmt);

      g_ptr_array_insert (self->items, sorted_position (self, entry), entry);
    }

  if (rc != SQLITE_DONE)
    {
      _push_store_set_error (self->store, rc, _("Could not read the audiences"), error);
      return FALSE;
    }
  return TRUE;
}

static GType
push_audiences_get_item_type (GListModel *model)
{
  return PUSH_TYPE_AUDIENCE_ENTRY;
}

static guint
push_audiences_get_n_items (GListModel *model)
{
  return PUSH_AUDIENCES (model)->items->len;
}

static gpointer
push_audiences_get_item (GListModel *model,
                         guint       position)
{
  PushAudiences *self = PUSH_AUDIENCES (model);

  if (position >= self->items->len)
    return NULL;
  return g_object_ref (g_ptr_array_index (self->items, position));
}

static void
push_audiences_list_model_init (GListModelInterface *iface)
{
  iface->get_item_type = push_audiences_get_item_type;
  iface->get_n_items = push_audiences_get_n_items;
  iface->get_item = push_audiences_get_item;
}

static void
push_audiences_finalize (GObject *object)
{
  PushAudiences *self = PUSH_AUDIENCES (object);

  g_clear_object (&self->store);
  g_clear_pointer (&self->items, g_ptr_array_unref);

  G_OBJECT_CLASS (push_audiences_parent_class)->finalize (object);
}

static void
push_audiences_class_init (PushAudiencesClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = push_audiences_finalize;
}

static void
push_audiences_init (PushAudiences *self)
{
  self->items = g_ptr_array_new_with_free_func (g_object_unref);
}

PushAudiences *
push_audiences_new (PushStore  *store,
                    GError    **error)
{
  g_autoptr(PushAudiences) self = NULL;

  g_return_val_if_fail (PUSH_IS_STORE (store), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  self = g_object_new (PUSH_TYPE_AUDIENCES, NULL);
  self->store = g_object_ref (store);
  if (!load (self, error))
    return NULL;
  return g_steal_pointer (&self);
}

PushStore *
push_audiences_get_store (PushAudiences *self)
{
  g_return_val_if_fail (PUSH_IS_AUDIENCES (self), NULL);
  return self->store;
}

PushAudienceEntry *
push_audiences_find_by_id (PushAudiences *self,
                           const char    *id)
{
  guint position;

  g_return_val_if_fail (PUSH_IS_AUDIENCES (self), NULL);
  g_return_val_if_fail (id != NULL, NULL);

  if (!find_position (self, id, &position))
    return NULL;
  return g_ptr_array_index (self->items, position);
}

PushAudienceEntry *
push_audiences_find_by_path (PushAudiences *self,
                             const char    *path)
{
  g_return_val_if_fail (PUSH_IS_AUDIENCES (self), NULL);
  g_return_val_if_fail (path != NULL, NULL);

  for (guint i = 0; i < self->items->len; i++)
    {
      PushAudienceEntry *entry = g_ptr_array_index (self->items, i);

      if (g_str_equal (entry->path, path))
        return entry;
    }
  return NULL;
}

/* Runs @stmt, a one-row write, and maps its failure. */
static gboolean
step_write (PushAudiences  *self,
            sqlite3_stmt   *stmt,
            const char     *what,
            GError        **error)
{
  int rc = sqlite3_step (stmt);

  if (rc == SQLITE_DONE)
    return TRUE;

  rc = sqlite3_extended_errcode (_push_store_get_db (self->store));
  if (rc == SQLITE_CONSTRAINT_UNIQUE || rc == SQLITE_CONSTRAINT_PRIMARYKEY)
    g_set_error_literal (error, PUSH_STORE_ERROR, PUSH_STORE_ERROR_CONSTRAINT,
                         _("This file is already in the list of audiences"));
  else
    _push_store_set_error (self->store, rc, what, error);
  return FALSE;
}

PushAudienceEntry *
push_audiences_add (PushAudiences       *self,
                    const char          *path,
                    const char          *name,
                    PushAudienceFormat   format,
                    char                 delimiter,
                    GError             **error)
{
  g_autoptr(PushAudienceEntry) entry = NULL;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  const char *what = _("Could not add the audience");
  guint position;

  g_return_val_if_fail (PUSH_IS_AUDIENCES (self), NULL);
  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!g_path_is_absolute (path))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   _("“%s” is not an absolute path"), path);
      return NULL;
    }
  if (!delimiter_is_valid (delimiter))
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                           _("The delimiter must be a comma, a semicolon, a tab or a pipe"));
      return NULL;
    }
  if (push_audiences_find_by_path (self, path) != NULL)
    {
      g_set_error_literal (error, PUSH_STORE_ERROR, PUSH_STORE_ERROR_CONSTRAINT,
                           _("This file is already in the list of audiences"));
      return NULL;
    }

  entry = g_object_new (PUSH_TYPE_AUDIENCE_ENTRY, NULL);
  entry->id = g_uuid_string_random ();
  entry->path = g_strdup (path);
  entry->name = (name != NULL && *name != '\0') ? g_strstrip (g_strdup (name))
                                                : g_path_get_basename (path);
  entry->format = format;
  entry->delimiter = delimiter;
  entry->added = g_date_time_new_now_utc ();

  {
    g_autoptr(PushStoreLocked) locker = _push_store_locker_new (self->store);

    stmt = _push_store_prepare (self->store,
                                "INSERT INTO audiences (id, path, name, format, delimiter, added) "
                                "VALUES (?1, ?2, ?3, ?4, ?5, ?6)", what, error);
    if (stmt == NULL)
      return NULL;
    sqlite3_bind_text (stmt, 1, entry->id, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text (stmt, 2, entry->path, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text (stmt, 3, entry->name, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text (stmt, 4, format_to_string (format), -1, SQLITE_STATIC);
    bind_delimiter (stmt, 5, delimiter);
    sqlite3_bind_int64 (stmt, 6, g_date_time_to_unix (entry->added));
    if (!step_write (self, stmt, what, error))
      return NULL;
  }

  position = sorted_position (self, entry);
  g_ptr_array_insert (self->items, position, g_object_ref (entry));
  g_list_model_items_changed (G_LIST_MODEL (self), position, 0, 1);

  return entry;
}

gboolean
push_audiences_remove (PushAudiences  *self,
                       const char     *id,
                       GError        **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  const char *what = _("Could not remove the audience");
  guint position;

  g_return_val_if_fail (PUSH_IS_AUDIENCES (self), FALSE);
  g_return_val_if_fail (id != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!find_saved (self, id, &position, error))
    return FALSE;

  {
    g_autoptr(PushStoreLocked) locker = _push_store_locker_new (self->store);

    stmt = _push_store_prepare (self->store, "DELETE FROM audiences WHERE id = ?1", what, error);
    if (stmt == NULL)
      return FALSE;
    sqlite3_bind_text (stmt, 1, id, -1, SQLITE_TRANSIENT);
    if (!step_write (self, stmt, what, error))
      return FALSE;
  }

  g_ptr_array_remove_index (self->items, position);
  g_list_model_items_changed (G_LIST_MODEL (self), position, 1, 0);
  return TRUE;
}

gboolean
push_audiences_set_format (PushAudiences       *self,
                           const char          *id,
                           PushAudienceFormat   format,
                           char                 delimiter,
                           GError             **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  const char *what = _("Could not save the audience");
  PushAudienceEntry *entry;
  guint position;

  g_return_val_if_fail (PUSH_IS_AUDIENCES (self), FALSE);
  g_return_val_if_fail (id != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!find_saved (self, id, &position, error))
    return FALSE;
  entry = g_ptr_array_index (self->items, position);
  if (!delimiter_is_valid (delimiter))
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                           _("The delimiter must be a comma, a semicolon, a tab or a pipe"));
      return FALSE;
    }
  if (entry->format == format && entry->delimiter == delimiter)
    return TRUE;

  {
    g_autoptr(PushStoreLocked) locker = _push_store_locker_new (self->store);

    stmt = _push_store_prepare (self->store,
                                "UPDATE audiences SET format = ?2, delimiter = ?3, "
                                "row_count = NULL WHERE id = ?1", what, error);
    if (stmt == NULL)
      return FALSE;
    sqlite3_bind_text (stmt, 1, id, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text (stmt, 2, format_to_string (format), -1, SQLITE_STATIC);
    bind_delimiter (stmt, 3, delimiter);
    if (!step_write (self, stmt, what, error))
      return FALSE;
  }

  g_object_freeze_notify (G_OBJECT (entry));
  entry_set_format (entry, format, delimiter);
  entry_set_scan (entry, -1, entry->fingerprint);
  g_object_thaw_notify (G_OBJECT (entry));
  return TRUE;
}

gboolean
push_audiences_update_scan (PushAudiences  *self,
                            const char     *id,
                            gint64          row_count,
                            const char     *fingerprint,
                            GError        **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  const char *what = _("Could not save the audience");
  PushAudienceEntry *entry;
  guint position;

  g_return_val_if_fail (PUSH_IS_AUDIENCES (self), FALSE);
  g_return_val_if_fail (id != NULL, FALSE);
  g_return_val_if_fail (row_count >= 0, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!find_saved (self, id, &position, error))
    return FALSE;
  entry = g_ptr_array_index (self->items, position);

  {
    g_autoptr(PushStoreLocked) locker = _push_store_locker_new (self->store);

    stmt = _push_store_prepare (self->store,
                                "UPDATE audiences SET row_count = ?2, fingerprint = ?3 "
                                "WHERE id = ?1", what, error);
    if (stmt == NULL)
      return FALSE;
    sqlite3_bind_text (stmt, 1, id, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64 (stmt, 2, row_count);
    if (fingerprint != NULL)
      sqlite3_bind_text (stmt, 3, fingerprint, -1, SQLITE_TRANSIENT);
    else
      sqlite3_bind_null (stmt, 3);
    if (!step_write (self, stmt, what, error))
      return FALSE;
  }

  g_object_freeze_notify (G_OBJECT (entry));
  entry_set_scan (entry, row_count, fingerprint);
  g_object_thaw_notify (G_OBJECT (entry));
  return TRUE;
}
