/* push-application.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <errno.h>

#include <glib/gi18n.h>

#include "push-application.h"
#include "push-preferences-window.h"
#include "push-run-controller.h"
#include "push-sandbox-setup.h"
#include "push-window.h"

struct _PushApplication
{
  AdwApplication     parent_instance;

  PushStore         *store;            /* (owned) (nullable) */
  PushAccounts      *accounts;         /* (owned) (nullable) */
  PushDestinations  *destinations;     /* (owned) (nullable) */
  PushAudiences     *audiences;        /* (owned) (nullable) */
  PushInstanceCache *instance_cache;   /* (owned) (nullable) */
  GError            *store_error;      /* (owned) (nullable) */
  MarketoSandbox    *sandbox;          /* (owned) (nullable): the running sandbox */
  GPtrArray         *sandbox_waiters;  /* (owned) (element-type GTask): waiting for a start */
  GCancellable      *cancellable;      /* (owned): cancelled at shutdown */
};

G_DEFINE_FINAL_TYPE (PushApplication, push_application, ADW_TYPE_APPLICATION)

static const struct {
  const char *action;
  const char *accels[2];
} app_accels[] = {
  { "app.preferences", { "<Control>comma", NULL } },
  { "app.help", { "F1", NULL } },
  { "app.quit", { "<Control>q", NULL } },
  { "window.close", { "<Control>w", NULL } },
};

static void
show_toast (PushApplication *self,
            const char      *message)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));

  if (PUSH_IS_WINDOW (window))
    push_window_add_toast (PUSH_WINDOW (window), message);
  else
    g_debug ("%s", message);
}

static GtkWindow *
find_main_window (PushApplication *self)
{
  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (self)); l != NULL; l = l->next)
    {
      if (PUSH_IS_WINDOW (l->data))
        return l->data;
    }

  return NULL;
}

static void
open_store (PushApplication *self)
{
  g_autoptr(GError) error = NULL;

  self->store = push_store_open (NULL, &error);
  if (self->store != NULL)
    self->accounts = push_accounts_new (self->store, &error);
  if (self->accounts != NULL)
    self->destinations = push_destinations_new (self->store, &error);
  if (self->destinations != NULL)
    self->audiences = push_audiences_new (self->store, &error);

  if (self->audiences == NULL)
    {
      g_debug ("The database could not be opened: %s", error->message);
      self->store_error = g_steal_pointer (&error);
      /* All or nothing: the window shows why. */
      g_clear_object (&self->destinations);
      g_clear_object (&self->accounts);
      return;
    }

  self->instance_cache = push_instance_cache_new (self->store);
}

static void
sandbox_ensured_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(PushApplication) self = user_data;
  g_autoptr(MarketoSandbox) sandbox = NULL;
  g_autoptr(PushAccount) account = NULL;
  g_autoptr(GPtrArray) waiters = NULL;
  g_autoptr(GError) error = NULL;

  sandbox = push_sandbox_setup_ensure_finish (PUSH_ACCOUNTS (source), result, &account, &error);

  if (sandbox != NULL && g_cancellable_is_cancelled (self->cancellable))
    {
      /* It came up while the application was shutting down. */
      marketo_sandbox_stop (sandbox);
      g_clear_object (&sandbox);
      g_set_error_literal (&error, G_IO_ERROR, G_IO_ERROR_CANCELLED, "Shutting down");
    }

  if (sandbox != NULL && account == NULL)
    {
      PushAccount *found = push_accounts_find_sandbox (self->accounts);

      if (found != NULL)
        account = g_object_ref (found);
    }

  if (sandbox != NULL && account == NULL)
    {
      marketo_sandbox_stop (sandbox);
      g_clear_object (&sandbox);
      g_set_error_literal (&error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                           _("The Sandbox account could not be created"));
    }

  if (sandbox != NULL)
    {
      g_debug ("Sandbox running on port %u", marketo_sandbox_get_port (sandbox));
      g_set_object (&self->sandbox, sandbox);
    }

  waiters = g_steal_pointer (&self->sandbox_waiters);
  self->sandbox_waiters = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint i = 0; i < waiters->len; i++)
    {
      GTask *task = g_ptr_array_index (waiters, i);

      if (sandbox != NULL)
        g_task_return_pointer (task, g_object_ref (account), g_object_unref);
      else
        g_task_return_error (task, g_error_copy (error));
    }
}

static void
sandbox_restarted_cb (GObject      *source,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  PushApplication *self = PUSH_APPLICATION (source);
  g_autoptr(PushAccount) account = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;

  account = push_application_start_sandbox_finish (self, result, &error);
  if (account != NULL || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  message = g_strdup_printf (_("The sandbox could not be started: %s"), error->message);
  show_toast (self, message);
}

static void
help_shown_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(PushApplication) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;

  if (gtk_show_uri_full_finish (GTK_WINDOW (source), result, &error))
    return;

  message = g_strdup_printf (_("The help could not be opened: %s"), error->message);
  show_toast (self, message);
}

static void
preferences_activated (GSimpleAction *action,
                       GVariant      *parameter,
                       gpointer       user_data)
{
  push_application_present_preferences (PUSH_APPLICATION (user_data));
}

static void
add_account_activated (GSimpleAction *action,
                       GVariant      *parameter,
                       gpointer       user_data)
{
  PushPreferencesWindow *preferences;

  preferences = push_application_present_preferences (PUSH_APPLICATION (user_data));
  push_preferences_window_add_account (preferences);
}

static void
help_activated (GSimpleAction *action,
                GVariant      *parameter,
                gpointer       user_data)
{
  PushApplication *self = PUSH_APPLICATION (user_data);
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));

  gtk_show_uri_full (window, "help:audience-push", GDK_CURRENT_TIME, NULL,
                     help_shown_cb, g_object_ref (self));
}

static void
about_activated (GSimpleAction *action,
                 GVariant      *parameter,
                 gpointer       user_data)
{
  PushApplication *self = PUSH_APPLICATION (user_data);
  GtkWindow *about;

  about = g_object_new (ADW_TYPE_ABOUT_WINDOW,
                        "transient-for", gtk_application_get_active_window (GTK_APPLICATION (self)),
                        "modal", TRUE,
                        "destroy-with-parent", TRUE,
                        "application-icon", APPLICATION_ID,
                        "application-name", _("Audience Push"),
                        "comments", _("Send customer audiences to Marketo Engage"),
                        "developer-name", _("The Audience Push developers"),
                        "version", PACKAGE_VERSION,
                        "license-type", GTK_LICENSE_GPL_3_0,
                        "copyright", _("© The Audience Push developers"),
                        /* Translators: put your names here, one per line */
                        "translator-credits", _("translator-credits"),
                        NULL);
  gtk_window_present (about);
}

static void
quit_activated (GSimpleAction *action,
                GVariant      *parameter,
                gpointer       user_data)
{
  PushApplication *self = PUSH_APPLICATION (user_data);
  g_autoptr(GList) windows = NULL;

  /* Close rather than destroy, so that the main window saves its geometry. */
  windows = g_list_copy (gtk_application_get_windows (GTK_APPLICATION (self)));
  for (GList *l = windows; l != NULL; l = l->next)
    gtk_window_close (l->data);

  g_application_quit (G_APPLICATION (self));
}

static void
open_run_activated (GSimpleAction *action,
                    GVariant      *parameter,
                    gpointer       user_data)
{
  PushApplication *self = PUSH_APPLICATION (user_data);
  GtkWindow *window;

  /* From a notification, maybe after the window was closed while the run went on. */
  window = find_main_window (self);
  if (window == NULL)
    {
      g_application_activate (G_APPLICATION (self));
      window = find_main_window (self);
    }
  if (window == NULL)
    return;

  gtk_window_present (window);
  gtk_widget_activate_action_variant (GTK_WIDGET (window), "win.show-run", parameter);
}

static const GActionEntry app_actions[] = {
  { "preferences", preferences_activated },
  { "add-account", add_account_activated },
  { "help", help_activated },
  { "about", about_activated },
  { "quit", quit_activated },
  { "open-run", open_run_activated, "s" },
};

static void
push_application_startup (GApplication *application)
{
  PushApplication *self = PUSH_APPLICATION (application);
  g_autoptr(GSettings) settings = NULL;

  G_APPLICATION_CLASS (push_application_parent_class)->startup (application);

  g_action_map_add_action_entries (G_ACTION_MAP (self), app_actions,
                                   G_N_ELEMENTS (app_actions), self);
  for (guint i = 0; i < G_N_ELEMENTS (app_accels); i++)
    gtk_application_set_accels_for_action (GTK_APPLICATION (self), app_accels[i].action,
                                           app_accels[i].accels);

  open_store (self);
  if (self->accounts == NULL)
    {
      const char *needs_accounts[] = { "preferences", "add-account" };

      for (guint i = 0; i < G_N_ELEMENTS (needs_accounts); i++)
        {
          GAction *action = g_action_map_lookup_action (G_ACTION_MAP (self), needs_accounts[i]);

          g_simple_action_set_enabled (G_SIMPLE_ACTION (action), FALSE);
        }
      return;
    }

  /* Runs left 'running' by a process that died can be resumed. */
  push_run_controller_detect_interrupted (self);

  settings = g_settings_new (BASE_APPLICATION_ID);
  if (g_settings_get_boolean (settings, "start-sandbox")
      && push_accounts_find_sandbox (self->accounts) != NULL)
    push_application_start_sandbox_async (self, self->cancellable, sandbox_restarted_cb, NULL);
}

static void
push_application_activate (GApplication *application)
{
  PushApplication *self = PUSH_APPLICATION (application);
  GtkWindow *window = find_main_window (self);

  if (window == NULL)
    window = GTK_WINDOW (push_window_new (self));

  gtk_window_present (window);
}

static void
push_application_shutdown (GApplication *application)
{
  PushApplication *self = PUSH_APPLICATION (application);

  g_cancellable_cancel (self->cancellable);
  push_application_stop_sandbox (self);

  G_APPLICATION_CLASS (push_application_parent_class)->shutdown (application);
}

static void
push_application_dispose (GObject *object)
{
  PushApplication *self = PUSH_APPLICATION (object);

  g_cancellable_cancel (self->cancellable);
  push_application_stop_sandbox (self);
  g_clear_object (&self->instance_cache);
  g_clear_object (&self->audiences);
  g_clear_object (&self->destinations);
  g_clear_object (&self->accounts);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (push_application_parent_class)->dispose (object);
}

static void
push_application_finalize (GObject *object)
{
  PushApplication *self = PUSH_APPLICATION (object);

  g_clear_error (&self->store_error);
  g_clear_pointer (&self->sandbox_waiters, g_ptr_array_unref);
  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (push_application_parent_class)->finalize (object);
}

static void
push_application_class_init (PushApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  object_class->dispose = push_application_dispose;
  object_class->finalize = push_application_finalize;

  app_class->startup = push_application_startup;
  app_class->activate = push_application_activate;
  app_class->shutdown = push_application_shutdown;
}

static void
push_application_init (PushApplication *self)
{
  self->sandbox_waiters = g_ptr_array_new_with_free_func (g_object_unref);
  self->cancellable = g_cancellable_new ();
}

PushApplication *
push_application_new (void)
{
  /* The resource path stays the same for the Devel application id. */
  return g_object_new (PUSH_TYPE_APPLICATION,
                       "application-id", APPLICATION_ID,
                       "flags", G_APPLICATION_DEFAULT_FLAGS,
                       "resource-base-path", RESOURCE_PREFIX,
                       NULL);
}

PushAccounts *
push_application_get_accounts (PushApplication *self)
{
  g_return_val_if_fail (PUSH_IS_APPLICATION (self), NULL);

  return self->accounts;
}

const GError *
push_application_get_store_error (PushApplication *self)
{
  g_return_val_if_fail (PUSH_IS_APPLICATION (self), NULL);

  return self->store_error;
}

PushStore *
push_application_get_store (PushApplication *self)
{
  g_return_val_if_fail (PUSH_IS_APPLICATION (self), NULL);

  return self->accounts != NULL ? self->store : NULL;
}

PushDestinations *
push_application_get_destinations (PushApplication *self)
{
  g_return_val_if_fail (PUSH_IS_APPLICATION (self), NULL);

  return self->destinations;
}

PushAudiences *
push_application_get_audiences (PushApplication *self)
{
  g_return_val_if_fail (PUSH_IS_APPLICATION (self), NULL);

  return self->audiences;
}

PushInstanceCache *
push_application_get_instance_cache (PushApplication *self)
{
  g_return_val_if_fail (PUSH_IS_APPLICATION (self), NULL);

  return self->instance_cache;
}

/* The sample audience that comes with "Try with the sandbox": customers of whom most are in
 * the sandbox's seeded lead database (so a preview shows matches, new people, a duplicate, a
 * key Marketo holds twice and values that do not fit), kept beside the sandbox's data. */
PushAudienceEntry *
push_application_ensure_sample_audience (PushApplication  *self,
                                         GError          **error)
{
  g_autoptr(GBytes) bytes = NULL;
  g_autofree char *store_dir = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;
  PushAudienceEntry *entry;

  g_return_val_if_fail (PUSH_IS_APPLICATION (self), NULL);

  if (self->store == NULL || self->audiences == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                           _("The database could not be opened"));
      return NULL;
    }

  store_dir = g_path_get_dirname (push_store_get_path (self->store));
  dir = g_build_filename (store_dir, "sandbox", NULL);
  path = g_build_filename (dir, "sample-audience.csv", NULL);
  entry = push_audiences_find_by_path (self->audiences, path);
  if (entry != NULL)
    return entry;

  if (!g_file_test (path, G_FILE_TEST_EXISTS))
    {
      bytes = g_resources_lookup_data (RESOURCE_PREFIX "/sample-audience.csv",
                                       G_RESOURCE_LOOKUP_FLAGS_NONE, error);
      if (bytes == NULL)
        return NULL;
      if (g_mkdir_with_parents (dir, 0700) != 0)
        {
          int saved_errno = errno;

          g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                       _("Could not create “%s”: %s"), dir, g_strerror (saved_errno));
          return NULL;
        }
      if (!g_file_set_contents_full (path, g_bytes_get_data (bytes, NULL),
                                     g_bytes_get_size (bytes),
                                     G_FILE_SET_CONTENTS_CONSISTENT, 0600, error))
        return NULL;
    }

  return push_audiences_add (self->audiences, path, _("Sample customers"),
                             PUSH_AUDIENCE_FORMAT_CSV, ',', error);
}

MarketoSandbox *
push_application_get_sandbox (PushApplication *self)
{
  g_return_val_if_fail (PUSH_IS_APPLICATION (self), NULL);

  return self->sandbox;
}

void
push_application_start_sandbox_async (PushApplication     *self,
                                      GCancellable        *cancellable,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  PushAccount *account;

  g_return_if_fail (PUSH_IS_APPLICATION (self));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, push_application_start_sandbox_async);

  if (self->accounts == NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_INITIALIZED, "%s",
                               _("The database is not available"));
      return;
    }

  account = push_accounts_find_sandbox (self->accounts);
  if (self->sandbox != NULL && account != NULL)
    {
      g_task_return_pointer (task, g_object_ref (account), g_object_unref);
      return;
    }

  /* A sandbox whose account was removed: start afresh with a new account. */
  if (self->sandbox_waiters->len == 0)
    push_application_stop_sandbox (self);

  g_ptr_array_add (self->sandbox_waiters, g_steal_pointer (&task));
  if (self->sandbox_waiters->len == 1)
    push_sandbox_setup_ensure_async (self->accounts, self->cancellable, sandbox_ensured_cb,
                                     g_object_ref (self));
}

PushAccount *
push_application_start_sandbox_finish (PushApplication  *self,
                                       GAsyncResult     *result,
                                       GError          **error)
{
  g_return_val_if_fail (PUSH_IS_APPLICATION (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) ==
                        push_application_start_sandbox_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

void
push_application_stop_sandbox (PushApplication *self)
{
  g_return_if_fail (PUSH_IS_APPLICATION (self));

  if (self->sandbox == NULL)
    return;

  g_debug ("Stopping the sandbox on port %u", marketo_sandbox_get_port (self->sandbox));
  marketo_sandbox_stop (self->sandbox);
  g_clear_object (&self->sandbox);
}

PushPreferencesWindow *
push_application_present_preferences (PushApplication *self)
{
  PushPreferencesWindow *preferences = NULL;

  g_return_val_if_fail (PUSH_IS_APPLICATION (self), NULL);

  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (self)); l != NULL; l = l->next)
    {
      if (PUSH_IS_PREFERENCES_WINDOW (l->data))
        preferences = l->data;
    }

  if (preferences == NULL)
    preferences = push_preferences_window_new (self, find_main_window (self));

  gtk_window_present (GTK_WINDOW (preferences));

  return preferences;
}
