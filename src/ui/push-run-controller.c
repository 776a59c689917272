/* push-run-controller.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "push-run-alerts.h"
#include "push-run-controller.h"
#include "push-window.h"

/* How long a shutdown waits for a cancelled run to stop. */
#define SHUTDOWN_WAIT_S 15

struct _PushRunController
{
  GObject                 parent_instance;

  PushApplication        *application;       /* (owned) */
  PushActivation         *activation;        /* (owned) */
  GCancellable           *cancellable;       /* (owned) */
  char                   *audience_name;     /* (owned) */
  char                   *destination_name;  /* (owned) */
  char                   *run_id;            /* (owned) (nullable) */
  GError                 *error;             /* (owned) (nullable) */
  PushActivationProgress  progress;

  gboolean                started;
  gboolean                running;
  gboolean                finished;
  gboolean                held;
  gulong                  shutdown_id;

  gint64                  last_notified_us;  /* the last progress notification */
  gboolean                notification_shown;
  guint                   n_progress_notifications;
};

G_DEFINE_FINAL_TYPE (PushRunController, push_run_controller, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_RUNNING,
  PROP_RUN_ID,
  N_PROPS
};

enum {
  SIGNAL_PROGRESS,
  SIGNAL_FINISHED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

/* (element-type PushRunController) (owned) the runs going on, in any application. */
static GPtrArray *running_controllers;

static gboolean
has_visible_window (PushRunController *self)
{
  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (self->application));
       l != NULL; l = l->next)
    {
      if (gtk_widget_get_visible (l->data))
        return TRUE;
    }

  return FALSE;
}

static void
update_progress_notification (PushRunController *self,
                              gboolean           force)
{
  g_autoptr(GNotification) notification = NULL;
  g_autofree char *id = NULL;
  gint64 now = g_get_monotonic_time ();

  if (self->run_id == NULL)
    return;

  id = push_run_alerts_dup_notification_id (self->run_id);

  if (has_visible_window (self))
    {
      /* The window shows the progress: the notification would only repeat it. */
      if (self->notification_shown)
        g_application_withdraw_notification (G_APPLICATION (self->application), id);
      self->notification_shown = FALSE;
      return;
    }

  if (!force && self->notification_shown
      && now - self->last_notified_us < PUSH_RUN_CONTROLLER_NOTIFY_INTERVAL_S * G_USEC_PER_SEC)
    return;

  notification = push_run_alerts_build_progress (self->run_id, self->audience_name,
                                                 self->destination_name,
                                                 self->progress.members_done,
                                                 self->progress.members_total);
  g_application_send_notification (G_APPLICATION (self->application), id, notification);
  self->notification_shown = TRUE;
  self->last_notified_us = now;
  self->n_progress_notifications++;
}

static void
show_toast (PushRunController *self,
            const char        *message)
{
  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (self->application));
       l != NULL; l = l->next)
    {
      if (PUSH_IS_WINDOW (l->data))
        {
          push_window_add_toast (PUSH_WINDOW (l->data), message);
          return;
        }
    }
}

static void
set_run_id (PushRunController *self,
            const char        *run_id)
{
  if (run_id == NULL || g_strcmp0 (self->run_id, run_id) == 0)
    return;

  g_free (self->run_id);
  self->run_id = g_strdup (run_id);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RUN_ID]);
}

static void
run_id_changed_cb (PushActivation    *activation,
                   GParamSpec        *pspec,
                   PushRunController *self)
{
  g_autofree char *run_id = push_activation_dup_run_id (activation);

  set_run_id (self, run_id);
}

static void
progress_cb (PushActivation               *activation,
             const PushActivationProgress *progress,
             PushRunController            *self)
{
  self->progress = *progress;
  g_signal_emit (self, signals[SIGNAL_PROGRESS], 0, progress);

  if (self->running)
    update_progress_notification (self, FALSE);
}

static void
end_run (PushRunController *self)
{
  g_autoptr(PushRunInfo) info = NULL;

  if (self->run_id != NULL)
    {
      PushStore *store = push_application_get_store (self->application);
      g_autoptr(PushRunStore) runs = push_run_store_new (store);
      g_autoptr(GError) error = NULL;

      info = push_run_store_get_run (runs, self->run_id, &error);
      if (info == NULL)
        g_debug ("Run %s could not be read back: %s", self->run_id, error->message);
    }

  if (info != NULL)
    {
      g_autofree char *toast = push_run_alerts_dup_toast (info, self->audience_name);

      push_run_alerts_send (G_APPLICATION (self->application), info, self->audience_name);
      if (toast != NULL)
        show_toast (self, toast);
    }
  else if (self->error != NULL
           && !g_error_matches (self->error, PUSH_ACTIVATION_ERROR,
                                PUSH_ACTIVATION_ERROR_NEEDS_CONFIRMATION))
    {
      g_autofree char *toast = NULL;

      /* Translators: an audience's name, then why the run could not begin */
      toast = g_strdup_printf (_("Sending “%s” could not start: %s"), self->audience_name,
                               self->error->message);
      show_toast (self, toast);
    }
}

static void
run_done_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(PushRunController) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *run_id = NULL;

  if (!push_activation_run_finish (self->activation, result, &error))
    {
      g_debug ("Run %s: %s", self->run_id != NULL ? self->run_id : "(not started)",
               error->message);
      self->error = g_steal_pointer (&error);
    }

  run_id = push_activation_dup_run_id (self->activation);
  set_run_id (self, run_id);
  push_activation_get_progress (self->activation, &self->progress);
  self->progress.state = push_activation_get_state (self->activation);

  self->running = FALSE;
  self->finished = TRUE;
  g_clear_signal_handler (&self->shutdown_id, self->application);
  g_signal_handlers_disconnect_by_data (self->activation, self);

  end_run (self);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RUNNING]);
  g_signal_emit (self, signals[SIGNAL_FINISHED], 0);

  if (self->held)
    {
      self->held = FALSE;
      g_application_release (G_APPLICATION (self->application));
    }
  g_ptr_array_remove (running_controllers, self);
}

static void
application_shutdown_cb (GApplication      *application,
                         PushRunController *self)
{
  gint64 deadline = g_get_monotonic_time () + SHUTDOWN_WAIT_S * G_USEC_PER_SEC;
  g_autoptr(PushRunController) keep = g_object_ref (self);

  /* Stop between requests and let the run save its state, so it can be resumed. */
  g_debug ("Shutting down during run %s: cancelling it", self->run_id ? self->run_id : "");
  g_cancellable_cancel (self->cancellable);
  while (!self->finished && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
}

static void
push_run_controller_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  PushRunController *self = PUSH_RUN_CONTROLLER (object);

  switch (prop_id)
    {
    case PROP_RUNNING:
      g_value_set_boolean (value, self->running);
      break;
    case PROP_RUN_ID:
      g_value_set_string (value, self->run_id);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
push_run_controller_dispose (GObject *object)
{
  PushRunController *self = PUSH_RUN_CONTROLLER (object);

  if (self->application != NULL)
    g_clear_signal_handler (&self->shutdown_id, self->application);
  if (self->activation != NULL)
    g_signal_handlers_disconnect_by_data (self->activation, self);
  g_clear_object (&self->activation);
  g_clear_object (&self->application);
  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (push_run_controller_parent_class)->dispose (object);
}

static void
push_run_controller_finalize (GObject *object)
{
  PushRunController *self = PUSH_RUN_CONTROLLER (object);

  g_free (self->audience_name);
  g_free (self->destination_name);
  g_free (self->run_id);
  g_clear_error (&self->error);

  G_OBJECT_CLASS (push_run_controller_parent_class)->finalize (object);
}

static void
push_run_controller_class_init (PushRunControllerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = push_run_controller_get_property;
  object_class->dispose = push_run_controller_dispose;
  object_class->finalize = push_run_controller_finalize;

  properties[PROP_RUNNING] =
    g_param_spec_boolean ("running", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_RUN_ID] =
    g_param_spec_string ("run-id", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[SIGNAL_PROGRESS] =
    g_signal_new ("progress", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 1,
                  PUSH_TYPE_ACTIVATION_PROGRESS | G_SIGNAL_TYPE_STATIC_SCOPE);
  signals[SIGNAL_FINISHED] =
    g_signal_new ("finished", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 0);
}

static void
push_run_controller_init (PushRunController *self)
{
  self->cancellable = g_cancellable_new ();
  self->progress.state = PUSH_RUN_STATE_PENDING;
  self->progress.eta_seconds = -1;
}

PushRunController *
push_run_controller_new (PushApplication *application,
                         PushActivation  *activation,
                         const char      *audience_name,
                         const char      *destination_name)
{
  PushRunController *self;

  g_return_val_if_fail (PUSH_IS_APPLICATION (application), NULL);
  g_return_val_if_fail (PUSH_IS_ACTIVATION (activation), NULL);
  g_return_val_if_fail (audience_name != NULL, NULL);

  self = g_object_new (PUSH_TYPE_RUN_CONTROLLER, NULL);
  self->application = g_object_ref (application);
  self->activation = g_object_ref (activation);
  self->audience_name = g_strdup (audience_name);
  self->destination_name = g_strdup (destination_name != NULL ? destination_name : "");
  self->run_id = push_activation_dup_run_id (activation);

  return self;
}

void
push_run_controller_start (PushRunController *self)
{
  g_return_if_fail (PUSH_IS_RUN_CONTROLLER (self));
  g_return_if_fail (!self->started);

  self->started = TRUE;
  self->running = TRUE;

  if (running_controllers == NULL)
    running_controllers = g_ptr_array_new_with_free_func (g_object_unref);
  g_ptr_array_add (running_controllers, g_object_ref (self));

  /* The run goes on when the last window closes; the application ends after it. */
  g_application_hold (G_APPLICATION (self->application));
  self->held = TRUE;

  g_signal_connect_object (self->activation, "progress", G_CALLBACK (progress_cb), self, 0);
  g_signal_connect_object (self->activation, "notify::run-id", G_CALLBACK (run_id_changed_cb),
                           self, 0);
  self->shutdown_id = g_signal_connect (self->application, "shutdown",
                                        G_CALLBACK (application_shutdown_cb), self);

  push_activation_run_async (self->activation, self->cancellable, run_done_cb,
                             g_object_ref (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RUNNING]);
}

void
push_run_controller_cancel (PushRunController *self)
{
  g_return_if_fail (PUSH_IS_RUN_CONTROLLER (self));

  g_cancellable_cancel (self->cancellable);
}

PushApplication *
push_run_controller_get_application (PushRunController *self)
{
  g_return_val_if_fail (PUSH_IS_RUN_CONTROLLER (self), NULL);

  return self->application;
}

PushActivation *
push_run_controller_get_activation (PushRunController *self)
{
  g_return_val_if_fail (PUSH_IS_RUN_CONTROLLER (self), NULL);

  return self->activation;
}

const char *
push_run_controller_get_audience_name (PushRunController *self)
{
  g_return_val_if_fail (PUSH_IS_RUN_CONTROLLER (self), NULL);

  return self->audience_name;
}

const char *
push_run_controller_get_run_id (PushRunController *self)
{
  g_return_val_if_fail (PUSH_IS_RUN_CONTROLLER (self), NULL);

  return self->run_id;
}

gboolean
push_run_controller_get_running (PushRunController *self)
{
  g_return_val_if_fail (PUSH_IS_RUN_CONTROLLER (self), FALSE);

  return self->running;
}

gboolean
push_run_controller_get_finished (PushRunController *self)
{
  g_return_val_if_fail (PUSH_IS_RUN_CONTROLLER (self), FALSE);

  return self->finished;
}

const PushActivationProgress *
push_run_controller_get_progress (PushRunController *self)
{
  g_return_val_if_fail (PUSH_IS_RUN_CONTROLLER (self), NULL);

  return &self->progress;
}

const GError *
push_run_controller_get_error (PushRunController *self)
{
  g_return_val_if_fail (PUSH_IS_RUN_CONTROLLER (self), NULL);

  return self->error;
}

guint
push_run_controller_get_n_progress_notifications (PushRunController *self)
{
  g_return_val_if_fail (PUSH_IS_RUN_CONTROLLER (self), 0);

  return self->n_progress_notifications;
}

PushRunController *
push_run_controller_find (PushApplication *application,
                          const char      *run_id)
{
  g_return_val_if_fail (PUSH_IS_APPLICATION (application), NULL);
  g_return_val_if_fail (run_id != NULL, NULL);

  for (guint i = 0; running_controllers != NULL && i < running_controllers->len; i++)
    {
      PushRunController *controller = g_ptr_array_index (running_controllers, i);

      if (controller->application == application
          && g_strcmp0 (controller->run_id, run_id) == 0)
        return controller;
    }

  return NULL;
}

guint
push_run_controller_count_running (PushApplication *application)
{
  guint n = 0;

  g_return_val_if_fail (PUSH_IS_APPLICATION (application), 0);

  for (guint i = 0; running_controllers != NULL && i < running_controllers->len; i++)
    {
      PushRunController *controller = g_ptr_array_index (running_controllers, i);

      if (controller->application == application)
        n++;
    }

  return n;
}

int
push_run_controller_detect_interrupted (PushApplication *application)
{
  g_autoptr(PushRunStore) runs = NULL;
  g_autoptr(GError) error = NULL;
  int n;

  g_return_val_if_fail (PUSH_IS_APPLICATION (application), -1);

  if (push_application_get_store (application) == NULL)
    return 0;

  runs = push_run_store_new (push_application_get_store (application));
  n = push_run_store_detect_interrupted (runs, &error);
  if (n < 0)
    g_debug ("Interrupted runs could not be looked for: %s", error->message);
  else if (n > 0)
    g_debug ("%d run(s) were interrupted", n);

  return n;
}
