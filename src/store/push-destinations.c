/* push-destinations.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "push-destinations.h"
#include "push-store-private.h"

struct _PushDestinations
{
  GObject    parent_instance;

  PushStore *store;         /* (owned) */
  GPtrArray *items;         /* (owned) (element-type PushDestination) sorted by name */
};

static void push_destinations_list_model_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (PushDestinations, push_destinations, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL,
                                                      push_destinations_list_model_init))

static int
compare_names (const char *a,
               const char *b)
{
  g_autofree char *fa = g_utf8_casefold (a, -1);
  g_autofree char *fb = g_utf8_casefold (b, -1);

  return g_utf8_collate (fa, fb);
}

static gboolean
names_equal (const char *a,
             const char *b)
{
  g_autofree char *fa = g_utf8_casefold (a, -1);
  g_autofree char *fb = g_utf8_casefold (b, -1);

  return g_strcmp0 (fa, fb) == 0;
}

/* Where a destination named @name goes in the sorted list. */
static guint
sorted_position (PushDestinations *self,
                 const char       *name)
{
  guint i;

  for (i = 0; i < self->items->len; i++)
    {
      PushDestination *item = g_ptr_array_index (self->items, i);

      if (compare_names (name, push_destination_get_name (item)) < 0)
        break;
    }
  return i;
}

static gboolean
find_position (PushDestinations *self,
               const char       *id,
               guint            *position)
{
  for (guint i = 0; i < self->items->len; i++)
    {
      PushDestination *item = g_ptr_array_index (self->items, i);

      if (g_strcmp0 (push_destination_get_id (item), id) == 0)
        {
          *position = i;
          return TRUE;
        }
    }
  return FALSE;
}

static char *
document_for (PushDestination *destination)
{
  return push_destination_export (destination, NULL, NULL);
}

/* Maps a failed write to a sentence about what the user did. */
static void
set_write_error (PushDestinations *self,
                 PushDestination  *destination,
                 int               rc,
                 GError          **error)
{
  if (rc == SQLITE_CONSTRAINT_FOREIGNKEY)
    g_set_error (error, PUSH_STORE_ERROR, PUSH_STORE_ERROR_CONSTRAINT,
                 _("The destination “%s” refers to an account that does not exist"),
                 push_destination_get_name (destination));
  else if (rc == SQLITE_CONSTRAINT_UNIQUE || rc == SQLITE_CONSTRAINT_PRIMARYKEY)
    g_set_error (error, PUSH_STORE_ERROR, PUSH_STORE_ERROR_CONSTRAINT,
                 _("A destination named “%s” already exists"),
                 push_destination_get_name (destination));
  else
    _push_store_set_error (self->store, rc, _("Could not save the destination"), error);
}

static gboolean
load (PushDestinations  *self,
      GError           **error)
{
  g_autoptr(PushStoreLocked) locker = _push_store_locker_new (self->store);
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int rc;

  stmt = _push_store_prepare (self->store,
                              "SELECT id, document FROM destinations",
                              _("Could not read the destinations"), error);
  if (stmt == NULL)
    return FALSE;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *id = (const char *) sqlite3_column_text (stmt, 0);
      const char *document = (const char *) sqlite3_column_text (stmt, 1);
      g_autoptr(PushDestination) destination = NULL;
      g_autoptr(GError) local_error = NULL;
      guint position;

      destination = push_destination_import (document, -1, NULL, &local_error);
      if (destination == NULL)
        {
          /* Left in the database untouched, so nothing is lost; a newer build may read it. */
          g_warning ("Skipping destination %s: %s", id, local_error->message);
          continue;
        }
      position = sorted_position (self, push_destination_get_name (destination));
      g_ptr_array_insert (self->items, position, g_steal_pointer (&destination));
    }

  if (rc != SQLITE_DONE)
    {
      _push_store_set_error (self->store, rc, _("Could not read the destinations"), error);
      return FALSE;
    }
  return TRUE;
}

static GType
push_destinations_get_item_type (GListModel *model)
{
  return PUSH_TYPE_DESTINATION;
}

static guint
push_destinations_get_n_items (GListModel *model)
{
  return PUSH_DESTINATIONS (model)->items->len;
}

static gpointer
push_destinations_get_item (GListModel *model,
                            guint       position)
{
  PushDestinations *self = PUSH_DESTINATIONS (model);

  if (position >= self->items->len)
    return NULL;
  return g_object_ref (g_ptr_array_index (self->items, position));
}

static void
push_destinations_list_model_init (GListModelInterface *iface)
{
  iface->get_item_type = push_destinations_get_item_type;
  iface->get_n_items = push_destinations_get_n_items;
  iface->get_item = push_destinations_get_item;
}

static void
push_destinations_finalize (GObject *object)
{
  PushDestinations *self = PUSH_DESTINATIONS (object);

  g_clear_object (&self->store);
  g_clear_pointer (&self->items, g_ptr_array_unref);

  G_OBJECT_CLASS (push_destinations_parent_class)->finalize (object);
}

static void
push_destinations_class_init (PushDestinationsClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = push_destinations_finalize;
}

static void
push_destinations_init (PushDestinations *self)
{
  self->items = g_ptr_array_new_with_free_func (g_object_unref);
}

PushDestinations *
push_destinations_new (PushStore  *store,
                       GError    **error)
{
  g_autoptr(PushDestinations) self = NULL;

  g_return_val_if_fail (PUSH_IS_STORE (store), NULL);

  self = g_object_new (PUSH_TYPE_DESTINATIONS, NULL);
  self->store = g_object_ref (store);
  if (!load (self, error))
    return NULL;
  return g_steal_pointer (&self);
}

PushStore *
push_destinations_get_store (PushDestinations *self)
{
  g_return_val_if_fail (PUSH_IS_DESTINATIONS (self), NULL);
  return self->store;
}

PushDestination *
push_destinations_find_by_name (PushDestinations *self,
                                const char       *name)
{
  g_return_val_if_fail (PUSH_IS_DESTINATIONS (self), NULL);
  g_return_val_if_fail (name != NULL, NULL);

  for (guint i = 0; i < self->items->len; i++)
    {
      PushDestination *item = g_ptr_array_index (self->items, i);

      if (names_equal (push_destination_get_name (item), name))
        return item;
    }
  return NULL;
}

PushDestination *
push_destinations_find_by_id (PushDestinations *self,
                              const char       *id)
{
  guint position;

  g_return_val_if_fail (PUSH_IS_DESTINATIONS (self), NULL);
  g_return_val_if_fail (id != NULL, NULL);

  if (!find_position (self, id, &position))
    return NULL;
  return g_ptr_array_index (self->items, position);
}

guint
push_destinations_count_for_account (PushDestinations *self,
                                     const char       *account_id)
{
  guint count = 0;

  g_return_val_if_fail (PUSH_IS_DESTINATIONS (self), 0);

  for (guint i = 0; i < self->items->len; i++)
    if (g_strcmp0 (push_destination_get_account_id (g_ptr_array_index (self->items, i)),
                   account_id) == 0)
      count++;
  return count;
}

char **
push_destinations_dup_names (PushDestinations *self,
                             const char       *except_id)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  g_return_val_if_fail (PUSH_IS_DESTINATIONS (self), NULL);

  for (guint i = 0; i < self->items->len; i++)
    {
      PushDestination *item = g_ptr_array_index (self->items, i);

      if (g_strcmp0 (push_destination_get_id (item), except_id) != 0)
        g_strv_builder_add (builder, push_destination_get_name (item));
    }
  return g_strv_builder_end (builder);
}

char *
push_destinations_check_name (PushDestinations *self,
                              const char       *name,
                              const char       *except_id)
{
  PushDestination *other;
  g_autofree char *trimmed = NULL;

  g_return_val_if_fail (PUSH_IS_DESTINATIONS (self), NULL);

  trimmed = g_strstrip (g_strdup (name != NULL ? name : ""));
  if (*trimmed == '\0')
    return g_strdup (_("Give the destination a name"));

  other = push_destinations_find_by_name (self, trimmed);
  if (other != NULL && g_strcmp0 (push_destination_get_id (other), except_id) != 0)
    return g_strdup_printf (_("A destination named “%s” already exists"), trimmed);

  return NULL;
}

static gboolean
check_before_write (PushDestinations  *self,
                    PushDestination   *destination,
                    GError           **error)
{
  g_autofree char *problem = NULL;

  problem = push_destinations_check_name (self, push_destination_get_name (destination),
                                          push_destination_get_id (destination));
  if (problem != NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, problem);
      return FALSE;
    }
  if (push_destination_get_account_id (destination) == NULL ||
      *push_destination_get_account_id (destination) == '\0')
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   _("Choose the account the destination “%s” sends to"),
                   push_destination_get_name (destination));
      return FALSE;
    }
  return TRUE;
}

/* Runs one INSERT or UPDATE statement with (id, name, account_id, document). */
static gboolean
write_row (PushDestinations  *self,
           PushDestination   *destination,
           const char        *sql,
           GError           **error)
{
  g_autoptr(PushStoreLocked) locker = _push_store_locker_new (self->store);
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autofree char *document = document_for (destination);
  int rc;

  stmt = _push_store_prepare (self->store, sql, _("Could not save the destination"), error);
  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_text (stmt, 1, push_destination_get_id (destination), -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, push_destination_get_name (destination), -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, push_destination_get_account_id (destination), -1,
                     SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 4, document, -1, SQLITE_TRANSIENT);

  /* One statement is its own transaction: the row is written whole or not at all. */
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_DONE)
    {
      set_write_error (self, destination, sqlite3_extended_errcode (_push_store_get_db (self->store)),
                       error);
      return FALSE;
    }
  if (sqlite3_changes (_push_store_get_db (self->store)) != 1)
    {
      g_set_error (error, PUSH_STORE_ERROR, PUSH_STORE_ERROR_NOT_FOUND,
                   _("The destination “%s” is no longer saved"),
                   push_destination_get_name (destination));
      return FALSE;
    }
  return TRUE;
}

gboolean
push_destinations_add (PushDestinations  *self,
                       PushDestination   *destination,
                       GError           **error)
{
  guint position;

  g_return_val_if_fail (PUSH_IS_DESTINATIONS (self), FALSE);
  g_return_val_if_fail (PUSH_IS_DESTINATION (destination), FALSE);

  if (!check_before_write (self, destination, error))
    return FALSE;
  if (push_destinations_find_by_id (self, push_destination_get_id (destination)) != NULL)
    {
      g_set_error (error, PUSH_STORE_ERROR, PUSH_STORE_ERROR_CONSTRAINT,
                   _("The destination “%s” is already saved"),
                   push_destination_get_name (destination));
      return FALSE;
    }

  if (!write_row (self, destination,
                  "INSERT INTO destinations (id, name, account_id, document) "
                  "VALUES (?1, ?2, ?3, ?4)", error))
    return FALSE;

  position = sorted_position (self, push_destination_get_name (destination));
  g_ptr_array_insert (self->items, position, push_destination_copy (destination));
  g_list_model_items_changed (G_LIST_MODEL (self), position, 0, 1);
  return TRUE;
}

gboolean
push_destinations_update (PushDestinations  *self,
                          PushDestination   *destination,
                          GError           **error)
{
  guint old_position, new_position;

  g_return_val_if_fail (PUSH_IS_DESTINATIONS (self), FALSE);
  g_return_val_if_fail (PUSH_IS_DESTINATION (destination), FALSE);

  if (!find_position (self, push_destination_get_id (destination), &old_position))
    {
      g_set_error (error, PUSH_STORE_ERROR, PUSH_STORE_ERROR_NOT_FOUND,
                   _("The destination “%s” is no longer saved"),
                   push_destination_get_name (destination));
      return FALSE;
    }
  if (!check_before_write (self, destination, error))
    return FALSE;

  if (!write_row (self, destination,
                  "UPDATE destinations SET name = ?2, account_id = ?3, document = ?4, "
                  "updated = strftime('%s', 'now') WHERE id = ?1", error))
    return FALSE;

  g_ptr_array_remove_index (self->items, old_position);
  g_list_model_items_changed (G_LIST_MODEL (self), old_position, 1, 0);
  new_position = sorted_position (self, push_destination_get_name (destination));
  g_ptr_array_insert (self->items, new_position, push_destination_copy (destination));
  g_list_model_items_changed (G_LIST_MODEL (self), new_position, 0, 1);
  return TRUE;
}

gboolean
push_destinations_remove (PushDestinations  *self,
                          const char        *id,
                          GError           **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  guint position;
  int rc;

  g_return_val_if_fail (PUSH_IS_DESTINATIONS (self), FALSE);
  g_return_val_if_fail (id != NULL, FALSE);

  if (!find_position (self, id, &position))
    {
      g_set_error_literal (error, PUSH_STORE_ERROR, PUSH_STORE_ERROR_NOT_FOUND,
                           _("That destination is no longer saved"));
      return FALSE;
    }

  {
    g_autoptr(PushStoreLocked) locker = _push_store_locker_new (self->store);

    stmt = _push_store_prepare (self->store, "DELETE FROM destinations WHERE id = ?1",
                                _("Could not remove the destination"), error);
    if (stmt == NULL)
      return FALSE;
    sqlite3_bind_text (stmt, 1, id, -1, SQLITE_TRANSIENT);
    rc = sqlite3_step (stmt);
    if (rc != SQLITE_DONE)
      {
        _push_store_set_error (self->store, rc, _("Could not remove the destination"), error);
        return FALSE;
      }
  }

  g_ptr_array_remove_index (self->items, position);
  g_list_model_items_changed (G_LIST_MODEL (self), position, 1, 0);
  return TRUE;
}
