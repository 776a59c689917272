/* push-accounts.c: the list of accounts, kept whole across the database and the keyring
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Two arrays hold the same PushAccount objects:
 *  - accounts: what is saved, updated by the thread that made the change as soon as the
 *    database commit succeeded (under data_lock), and read by the find functions from any
 *    thread;
 *  - items: what the GListModel shows, touched only on the owner's main context, where
 *    every change is applied together with its items-changed signal.
 * Changes are serialised by op_lock from validation to commit, so a name check and the write
 * that depends on it cannot interleave with another change.
 */
#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "push-accounts.h"
#include "push-secrets.h"

struct _PushAccounts
{
  GObject       parent_instance;

  PushStore    *store;        /* (owned) */
  GMainContext *context;      /* (owned) where items-changed is emitted */
  GThread      *owner;        /* (unowned) the thread that created the list */

  GMutex        op_lock;
  GMutex        data_lock;
  GPtrArray    *accounts;     /* (owned) (element-type PushAccount) protected by data_lock */
  GPtrArray    *items;        /* (owned) (element-type PushAccount) owner context only */
};

static void push_accounts_list_model_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (PushAccounts, push_accounts, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL,
                                                      push_accounts_list_model_init))

enum {
  PROP_0,
  PROP_STORE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* A change for the list model: @old leaves, @new_ arrives (either may be NULL). */
typedef struct {
  PushAccounts *self;         /* (owned) */
  PushAccount  *old;          /* (owned) (nullable) */
  PushAccount  *new_;         /* (owned) (nullable) */
} Change;

static void
change_free (gpointer data)
{
  Change *change = data;

  g_clear_object (&change->self);
  g_clear_object (&change->old);
  g_clear_object (&change->new_);
  g_free (change);
}

/* Input of an _async call, taken on the calling thread. */
typedef struct {
  PushAccount *account;       /* (owned) a copy */
  char        *secret;        /* (owned) (nullable) wiped when freed */
} OpData;

static void
wipe_string (char *secret)
{
  if (secret == NULL)
    return;
  explicit_bzero (secret, strlen (secret));
  g_free (secret);
}

static void
op_data_free (gpointer data)
{
  OpData *op = data;

  g_clear_object (&op->account);
  g_clear_pointer (&op->secret, wipe_string);
  g_free (op);
}

static int
compare_accounts (PushAccount *a,
                  PushAccount *b)
{
  int by_name = push_account_name_compare (push_account_get_name (a),
                                           push_account_get_name (b));

  if (by_name != 0)
    return by_name;
  return g_strcmp0 (push_account_get_id (a), push_account_get_id (b));
}

static int
compare_accounts_indirect (gconstpointer a,
                           gconstpointer b)
{
  return compare_accounts (*(PushAccount **) a, *(PushAccount **) b);
}

/* Where @account goes in the sorted @array. */
static guint
sorted_position (GPtrArray   *array,
                 PushAccount *account)
{
  guint lo = 0;
  guint hi = array->len;

  while (lo < hi)
    {
      guint mid = lo + (hi - lo) / 2;

      if (compare_accounts (g_ptr_array_index (array, mid), account) < 0)
        lo = mid + 1;
      else
        hi = mid;
    }
  return lo;
}

/* Caller holds data_lock. */
static PushAccount *
find_by_id_locked (PushAccounts *self,
                   const char   *id)
{
  for (guint i = 0; i < self->accounts->len; i++)
    {
      PushAccount *account = g_ptr_array_index (self->accounts, i);

      if (g_strcmp0 (push_account_get_id (account), id) == 0)
        return account;
    }
  return NULL;
}

/* The saved list takes @old out and puts @new_ in (both may be NULL). */
static void
replace_saved (PushAccounts *self,
               PushAccount  *old,
               PushAccount  *new_)
{
  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&self->data_lock);

  if (old != NULL)
    g_ptr_array_remove (self->accounts, old);
  if (new_ != NULL)
    g_ptr_array_insert (self->accounts, sorted_position (self->accounts, new_),
                        g_object_ref (new_));
}

/* On the owner context: the model follows the saved list. */
static gboolean
apply_change_cb (gpointer data)
{
  Change *change = data;
  PushAccounts *self = change->self;
  guint old_pos = G_MAXUINT;
  guint new_pos;

  if (change->old != NULL && !g_ptr_array_find (self->items, change->old, &old_pos))
    old_pos = G_MAXUINT;

  if (old_pos != G_MAXUINT)
    g_ptr_array_remove_index (self->items, old_pos);

  if (change->new_ == NULL)
    {
      if (old_pos != G_MAXUINT)
        g_list_model_items_changed (G_LIST_MODEL (self), old_pos, 1, 0);
      return G_SOURCE_REMOVE;
    }

  new_pos = sorted_position (self->items, change->new_);
  g_ptr_array_insert (self->items, new_pos, g_object_ref (change->new_));

  if (old_pos == new_pos)
    {
      g_list_model_items_changed (G_LIST_MODEL (self), new_pos, 1, 1);
    }
  else if (old_pos == G_MAXUINT)
    {
      g_list_model_items_changed (G_LIST_MODEL (self), new_pos, 0, 1);
    }
  else
    {
      /* Two signals, each matching the model at the time it is emitted. */
      g_ptr_array_remove_index (self->items, new_pos);
      g_list_model_items_changed (G_LIST_MODEL (self), old_pos, 1, 0);
      new_pos = sorted_position (self->items, change->new_);
      g_ptr_array_insert (self->items, new_pos, g_object_ref (change->new_));
      g_list_model_items_changed (G_LIST_MODEL (self), new_pos, 0, 1);
    }

  return G_SOURCE_REMOVE;
}

/* After a committed change and replace_saved(), with op_lock released (a handler of
 * items-changed may start another change): the model follows on the owner context, now when
 * this is the owner thread, else ahead of anything else queued there, so that an _async
 * caller's callback sees the model already changed. */
static void
publish_change (PushAccounts *self,
                PushAccount  *old,
                PushAccount  *new_)
{
  Change *change = g_new0 (Change, 1);

  change->self = g_object_ref (self);
  change->old = old != NULL ? g_object_ref (old) : NULL;
  change->new_ = new_ != NULL ? g_object_ref (new_) : NULL;

  if (g_thread_self () == self->owner)
    {
      apply_change_cb (change);
      change_free (change);
    }
  else
    {
      /* Not g_main_context_invoke(): when the owner context is idle it would run the
       * callback right here, in this thread. */
      GSource *source = g_idle_source_new ();

      g_source_set_priority (source, G_PRIORITY_HIGH);
      g_source_set_callback (source, apply_change_cb, change, change_free);
      g_source_set_static_name (source, "[audience-push] accounts changed");
      g_source_attach (source, self->context);
      g_source_unref (source);
    }
}

/* The keyring, put back as it was before a change that could not be committed. Best effort:
 * the change is failing anyway; what could not be undone is logged. */
static void
restore_secret (PushAccount *account,
                const char  *old_secret)
{
  g_autoptr(GError) error = NULL;

  if (old_secret != NULL)
    push_secrets_store_sync (push_account_get_id (account), push_account_get_name (account),
                             old_secret, NULL, &error);
  else
    push_secrets_clear_sync (push_account_get_id (account), NULL, &error);

  if (error != NULL)
    g_warning ("Could not put the keyring back for account %s: %s",
               push_account_get_id (account), error->message);
}

/* GListModel */

static GType
push_accounts_get_item_type (GListModel *model)
{
  return PUSH_TYPE_ACCOUNT;
}

static guint
push_accounts_get_n_items (GListModel *model)
{
  return PUSH_ACCOUNTS (model)->items->len;
}

static gpointer
push_accounts_get_item (GListModel *model,
                        guint       position)
{
  PushAccounts *self = PUSH_ACCOUNTS (model);

  if (position >= self->items->len)
    return NULL;
  return g_object_ref (g_ptr_array_index (self->items, position));
}

static void
push_accounts_list_model_init (GListModelInterface *iface)
{
  iface->get_item_type = push_accounts_get_item_type;
  iface->get_n_items = push_accounts_get_n_items;
  iface->get_item = push_accounts_get_item;
}

/* GObject */

static void
push_accounts_dispose (GObject *object)
{
  PushAccounts *self = PUSH_ACCOUNTS (object);

  g_clear_object (&self->store);

  G_OBJECT_CLASS (push_accounts_parent_class)->dispose (object);
}

static void
push_accounts_finalize (GObject *object)
{
  PushAccounts *self = PUSH_ACCOUNTS (object);

  g_clear_pointer (&self->accounts, g_ptr_array_unref);
  g_clear_pointer (&self->items, g_ptr_array_unref);
  g_clear_pointer (&self->context, g_main_context_unref);
  g_mutex_clear (&self->op_lock);
  g_mutex_clear (&self->data_lock);

  G_OBJECT_CLASS (push_accounts_parent_class)->finalize (object);
}

static void
push_accounts_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  PushAccounts *self = PUSH_ACCOUNTS (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
push_accounts_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  PushAccounts *self = PUSH_ACCOUNTS (object);

  switch (prop_id)
    {
    case PROP_STORE:
      self->store = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
push_accounts_class_init (PushAccountsClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = push_accounts_dispose;
  object_class->finalize = push_accounts_finalize;
  object_class->get_property = push_accounts_get_property;
  object_class->set_property = push_accounts_set_property;

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL, PUSH_TYPE_STORE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
push_accounts_init (PushAccounts *self)
{
  g_mutex_init (&self->op_lock);
  g_mutex_init (&self->data_lock);
  self->accounts = g_ptr_array_new_with_free_func (g_object_unref);
  self->items = g_ptr_array_new_with_free_func (g_object_unref);
  self->context = g_main_context_ref_thread_default ();
  self->owner = g_thread_self ();
}

/* Public API */

PushAccounts *
push_accounts_new (PushStore  *store,
                   GError    **error)
{
  g_autoptr(PushAccounts) self = NULL;
  g_autoptr(GPtrArray) loaded = NULL;

  g_return_val_if_fail (PUSH_IS_STORE (store), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  loaded = push_store_list_accounts (store, error);
  if (loaded == NULL)
    return NULL;

  self = g_object_new (PUSH_TYPE_ACCOUNTS, "store", store, NULL);
  g_ptr_array_sort (loaded, compare_accounts_indirect);
  for (guint i = 0; i < loaded->len; i++)
    {
      g_ptr_array_add (self->accounts, g_object_ref (g_ptr_array_index (loaded, i)));
      g_ptr_array_add (self->items, g_object_ref (g_ptr_array_index (loaded, i)));
    }

  return g_steal_pointer (&self);
}

PushStore *
push_accounts_get_store (PushAccounts *self)
{
  g_return_val_if_fail (PUSH_IS_ACCOUNTS (self), NULL);
  return self->store;
}

PushAccount *
push_accounts_find_by_name (PushAccounts *self,
                            const char   *name)
{
  g_autoptr(GMutexLocker) locker = NULL;

  g_return_val_if_fail (PUSH_IS_ACCOUNTS (self), NULL);
  g_return_val_if_fail (name != NULL, NULL);

  locker = g_mutex_locker_new (&self->data_lock);
  for (guint i = 0; i < self->accounts->len; i++)
    {
      PushAccount *account = g_ptr_array_index (self->accounts, i);

      if (push_account_name_equal (push_account_get_name (account), name))
        return account;
    }
  return NULL;
}

PushAccount *
push_accounts_find_by_id (PushAccounts *self,
                          const char   *id)
{
  g_autoptr(GMutexLocker) locker = NULL;

  g_return_val_if_fail (PUSH_IS_ACCOUNTS (self), NULL);
  g_return_val_if_fail (id != NULL, NULL);

  locker = g_mutex_locker_new (&self->data_lock);
  return find_by_id_locked (self, id);
}

PushAccount *
push_accounts_find_sandbox (PushAccounts *self)
{
  g_autoptr(GMutexLocker) locker = NULL;

  g_return_val_if_fail (PUSH_IS_ACCOUNTS (self), NULL);

  locker = g_mutex_locker_new (&self->data_lock);
  for (guint i = 0; i < self->accounts->len; i++)
    {
      PushAccount *account = g_ptr_array_index (self->accounts, i);

      if (push_account_get_is_sandbox (account))
        return account;
    }
  return NULL;
}

char **
push_accounts_dup_names (PushAccounts *self,
                         const char   *except_id)
{
  g_autoptr(GMutexLocker) locker = NULL;
  g_autoptr(GStrvBuilder) names = g_strv_builder_new ();

  g_return_val_if_fail (PUSH_IS_ACCOUNTS (self), NULL);

  locker = g_mutex_locker_new (&self->data_lock);
  for (guint i = 0; i < self->accounts->len; i++)
    {
      PushAccount *account = g_ptr_array_index (self->accounts, i);

      if (g_strcmp0 (push_account_get_id (account), except_id) != 0)
        g_strv_builder_add (names, push_account_get_name (account));
    }
  return g_strv_builder_end (names);
}

/* The copy the list keeps: @account with an empty endpoint replaced by the default one. */
static PushAccount *
prepare_copy (PushAccount *account)
{
  PushAccount *copy = push_account_copy (account);
  const char *endpoint = push_account_get_endpoint (copy);

  if (endpoint == NULL || *endpoint == '\0')
    {
      g_autofree char *fallback =
        push_account_default_endpoint (push_account_get_munchkin_id (copy));

      if (fallback != NULL)
        push_account_set_endpoint (copy, fallback);
    }
  return copy;
}

/* A reference to the saved account with @account's id; NULL with NOT_FOUND when there is none. */
static PushAccount *
dup_saved (PushAccounts  *self,
           PushAccount   *account,
           GError       **error)
{
  PushAccount *current;

  g_mutex_lock (&self->data_lock);
  current = find_by_id_locked (self, push_account_get_id (account));
  if (current != NULL)
    g_object_ref (current);
  g_mutex_unlock (&self->data_lock);

  if (current == NULL)
    g_set_error (error, PUSH_STORE_ERROR, PUSH_STORE_ERROR_NOT_FOUND,
                 /* Translators: %s is an account name */
                 _("The account “%s” is not saved any more"), push_account_get_name (account));
  return current;
}

static char *
dup_trimmed_secret (const char *secret)
{
  return secret != NULL ? g_strstrip (g_strdup (secret)) : NULL;
}

gboolean
push_accounts_add_sync (PushAccounts  *self,
                        PushAccount   *account,
                        const char    *secret,
                        GCancellable  *cancellable,
                        GError       **error)
{
  g_autoptr(PushAccount) copy = NULL;
  g_autoptr(GMutexLocker) locker = NULL;
  g_auto(GStrv) names = NULL;
  g_autoptr(GError) local_error = NULL;
  char *clean_secret = NULL;
  gboolean ok = FALSE;

  g_return_val_if_fail (PUSH_IS_ACCOUNTS (self), FALSE);
  g_return_val_if_fail (PUSH_IS_ACCOUNT (account), FALSE);
  g_return_val_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  copy = prepare_copy (account);
  /* A new account must come with its secret: "" makes the check say so. */
  clean_secret = dup_trimmed_secret (secret != NULL ? secret : "");

  locker = g_mutex_locker_new (&self->op_lock);

  names = push_accounts_dup_names (self, NULL);
  if (!push_account_validate (copy, (const char * const *) names, clean_secret, error))
    goto out;

  if (!push_store_begin (self->store, error))
    goto out;

  if (!push_store_insert_account (self->store, copy, error) ||
      !push_secrets_store_sync (push_account_get_id (copy), push_account_get_name (copy),
                                clean_secret, cancellable, error))
    {
      push_store_rollback (self->store);
      goto out;
    }

  if (!push_store_commit (self->store, &local_error))
    {
      /* The secret went in, the row did not: take the secret out again. */
      restore_secret (copy, NULL);
      g_propagate_error (error, g_steal_pointer (&local_error));
      goto out;
    }

  g_debug ("Added account %s", push_account_get_id (copy));
  replace_saved (self, NULL, copy);
  g_clear_pointer (&locker, g_mutex_locker_free);
  publish_change (self, NULL, copy);
  ok = TRUE;

out:
  wipe_string (clean_secret);
  return ok;
}

gboolean
push_accounts_update_sync (PushAccounts  *self,
                           PushAccount   *account,
                           const char    *secret,
                           GCancellable  *cancellable,
                           GError       **error)
{
  g_autoptr(PushAccount) copy = NULL;
  g_autoptr(PushAccount) current = NULL;
  g_autoptr(GMutexLocker) locker = NULL;
  g_auto(GStrv) names = NULL;
  g_autoptr(GError) local_error = NULL;
  char *clean_secret = NULL;
  char *old_secret = NULL;
  gboolean ok = FALSE;

  g_return_val_if_fail (PUSH_IS_ACCOUNTS (self), FALSE);
  g_return_val_if_fail (PUSH_IS_ACCOUNT (account), FALSE);
  g_return_val_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  copy = prepare_copy (account);
  clean_secret = dup_trimmed_secret (secret);

  locker = g_mutex_locker_new (&self->op_lock);

  current = dup_saved (self, copy, error);
  if (current == NULL)
    goto out;

  names = push_accounts_dup_names (self, push_account_get_id (copy));
  if (!push_account_validate (copy, (const char * const *) names, clean_secret, error))
    goto out;

  if (!push_store_begin (self->store, error))
    goto out;

  if (!push_store_update_account (self->store, copy, error))
    {
      push_store_rollback (self->store);
      goto out;
    }

  if (clean_secret != NULL)
    {
      /* Kept to put back if the commit fails. */
      old_secret = push_secrets_lookup_sync (push_account_get_id (copy), cancellable,
                                             &local_error);
      if (local_error != NULL)
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          push_store_rollback (self->store);
          goto out;
        }
      if (!push_secrets_store_sync (push_account_get_id (copy), push_account_get_name (copy),
                                    clean_secret, cancellable, error))
        {
          push_store_rollback (self->store);
          goto out;
        }
    }
  else if (g_strcmp0 (push_account_get_name (current), push_account_get_name (copy)) != 0)
    {
      /* Renamed: the keyring label names the account, so it follows. Cosmetic only. */
      g_autoptr(GError) label_error = NULL;
      char *stored = push_secrets_lookup_sync (push_account_get_id (copy), cancellable,
                                               &label_error);

      if (stored != NULL)
        push_secrets_store_sync (push_account_get_id (copy), push_account_get_name (copy),
                                 stored, cancellable, &label_error);
      if (label_error != NULL)
        g_debug ("Keyring label not updated: %s", label_error->message);
      push_secrets_free (stored);
    }

  if (!push_store_commit (self->store, &local_error))
    {
      if (clean_secret != NULL)
        restore_secret (current, old_secret);
      g_propagate_error (error, g_steal_pointer (&local_error));
      goto out;
    }

  g_debug ("Updated account %s", push_account_get_id (copy));
  replace_saved (self, current, copy);
  g_clear_pointer (&locker, g_mutex_locker_free);
  publish_change (self, current, copy);
  ok = TRUE;

out:
  wipe_string (clean_secret);
  push_secrets_free (old_secret);
  return ok;
}

gboolean
push_accounts_remove_sync (PushAccounts  *self,
                           PushAccount   *account,
                           GCancellable  *cancellable,
                           GError       **error)
{
  g_autoptr(PushAccount) current = NULL;
  g_autoptr(GMutexLocker) locker = NULL;
  g_autoptr(GError) local_error = NULL;
  const char *id;
  char *old_secret = NULL;
  gboolean ok = FALSE;

  g_return_val_if_fail (PUSH_IS_ACCOUNTS (self), FALSE);
  g_return_val_if_fail (PUSH_IS_ACCOUNT (account), FALSE);
  g_return_val_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  id = push_account_get_id (account);
  locker = g_mutex_locker_new (&self->op_lock);

  current = dup_saved (self, account, error);
  if (current == NULL)
    return FALSE;

  if (!push_store_begin (self->store, error))
    return FALSE;

  if (!push_store_delete_account (self->store, id, error))
    goto rollback;

  /* Kept to put back if the commit fails. */
  old_secret = push_secrets_lookup_sync (id, cancellable, &local_error);
  if (local_error != NULL)
    {
      g_propagate_prefixed_error (error, g_steal_pointer (&local_error),
                                  /* Translators: %s is an account name */
                                  _("The account “%s” was not removed: "),
                                  push_account_get_name (current));
      goto rollback;
    }
  if (!push_secrets_clear_sync (id, cancellable, &local_error))
    {
      g_propagate_prefixed_error (error, g_steal_pointer (&local_error),
                                  _("The account “%s” was not removed: "),
                                  push_account_get_name (current));
      goto rollback;
    }

  if (!push_store_commit (self->store, error))
    {
      if (old_secret != NULL)
        restore_secret (current, old_secret);
      goto out;
    }

  g_debug ("Removed account %s", id);
  replace_saved (self, current, NULL);
  g_clear_pointer (&locker, g_mutex_locker_free);
  publish_change (self, current, NULL);
  ok = TRUE;
  goto out;

rollback:
  push_store_rollback (self->store);
out:
  push_secrets_free (old_secret);
  return ok;
}

char *
push_accounts_lookup_secret_sync (PushAccounts  *self,
                                  PushAccount   *account,
                                  GCancellable  *cancellable,
                                  GError       **error)
{
  GError *local_error = NULL;
  char *secret;

  g_return_val_if_fail (PUSH_IS_ACCOUNTS (self), NULL);
  g_return_val_if_fail (PUSH_IS_ACCOUNT (account), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  secret = push_secrets_lookup_sync (push_account_get_id (account), cancellable, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, local_error);
      return NULL;
    }
  if (secret == NULL)
    g_set_error (error, PUSH_SECRET_ERROR, PUSH_SECRET_ERROR_NOT_FOUND,
                 /* Translators: %s is an account name */
                 _("The keyring has no client secret for “%s”: edit the account and enter "
                   "the client secret again"), push_account_get_name (account));
  return secret;
}

/* Async variants: the work runs in a GTask thread; the model changes on the owner context
 * before the callback runs. */

static OpData *
op_data_new (PushAccount *account,
             const char  *secret)
{
  OpData *op = g_new0 (OpData, 1);

  op->account = push_account_copy (account);
  op->secret = g_strdup (secret);
  return op;
}

/* Runs @thread_func on a copy of @account (and @secret) in a worker thread; the _async
 * functions below differ only in what the thread does. */
static void
run_op_in_thread (PushAccounts        *self,
                  PushAccount         *account,
                  const char          *secret,
                  gpointer             source_tag,
                  GTaskThreadFunc      thread_func,
                  GCancellable        *cancellable,
                  GAsyncReadyCallback  callback,
                  gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, source_tag);
  g_task_set_task_data (task, op_data_new (account, secret), op_data_free);
  g_task_run_in_thread (task, thread_func);
}

static gboolean
finish_op (PushAccounts  *self,
           GAsyncResult  *result,
           gpointer       source_tag,
           GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == source_tag, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
add_thread (GTask        *task,
            gpointer      source_object,
            gpointer      task_data,
            GCancellable *cancellable)
{
  OpData *op = task_data;
  GError *error = NULL;

  if (push_accounts_add_sync (source_object, op->account, op->secret, cancellable, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

void
push_accounts_add_async (PushAccounts        *self,
                         PushAccount         *account,
                         const char          *secret,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  g_return_if_fail (PUSH_IS_ACCOUNTS (self));
  g_return_if_fail (PUSH_IS_ACCOUNT (account));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  run_op_in_thread (self, account, secret, push_accounts_add_async, add_thread, cancellable,
                    callback, user_data);
}

gboolean
push_accounts_add_finish (PushAccounts  *self,
                          GAsyncResult  *result,
                          GError       **error)
{
  return finish_op (self, result, push_accounts_add_async, error);
}

static void
update_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  OpData *op = task_data;
  GError *error = NULL;

  if (push_accounts_update_sync (source_object, op->account, op->secret, cancellable, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

void
push_accounts_update_async (PushAccounts        *self,
                            PushAccount         *account,
                            const char          *secret,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_return_if_fail (PUSH_IS_ACCOUNTS (self));
  g_return_if_fail (PUSH_IS_ACCOUNT (account));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  run_op_in_thread (self, account, secret, push_accounts_update_async, update_thread, cancellable,
                    callback, user_data);
}

gboolean
push_accounts_update_finish (PushAccounts  *self,
                             GAsyncResult  *result,
                             GError       **error)
{
  return finish_op (self, result, push_accounts_update_async, error);
}

static void
remove_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  OpData *op = task_data;
  GError *error = NULL;

  if (push_accounts_remove_sync (source_object, op->account, cancellable, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

void
push_accounts_remove_async (PushAccounts        *self,
                            PushAccount         *account,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_return_if_fail (PUSH_IS_ACCOUNTS (self));
  g_return_if_fail (PUSH_IS_ACCOUNT (account));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  run_op_in_thread (self, account, NULL, push_accounts_remove_async, remove_thread, cancellable,
                    callback, user_data);
}

gboolean
push_accounts_remove_finish (PushAccounts  *self,
                             GAsyncResult  *result,
                             GError       **error)
{
  return finish_op (self, result, push_accounts_remove_async, error);
}

static void
lookup_secret_thread (GTask        *task,
                      gpointer      source_object,
                      gpointer      task_data,
                      GCancellable *cancellable)
{
  OpData *op = task_data;
  GError *error = NULL;
  char *secret;

  secret = push_accounts_lookup_secret_sync (source_object, op->account, cancellable, &error);
  if (secret != NULL)
    g_task_return_pointer (task, secret, (GDestroyNotify) push_secrets_free);
  else
    g_task_return_error (task, error);
}

void
push_accounts_lookup_secret_async (PushAccounts        *self,
                                   PushAccount         *account,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  g_return_if_fail (PUSH_IS_ACCOUNTS (self));
  g_return_if_fail (PUSH_IS_ACCOUNT (account));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  run_op_in_thread (self, account, NULL, push_accounts_lookup_secret_async, lookup_secret_thread, cancellable,
                    callback, user_data);
}

char *
push_accounts_lookup_secret_finish (PushAccounts  *self,
                                    GAsyncResult  *result,
                                    GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) ==
                        push_accounts_lookup_secret_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
