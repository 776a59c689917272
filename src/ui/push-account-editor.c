/* push-account-editor.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "push-account-editor.h"
#include "push-application.h"
#include "push-connection-test.h"
#include "push-secrets.h"

/* A new problem is shown once the user pauses typing; fixes show at once. */
#define SHOW_ERROR_DELAY_MS 500

typedef enum {
  FIELD_NAME,
  FIELD_MUNCHKIN_ID,
  FIELD_ENDPOINT,
  FIELD_CLIENT_ID,
  FIELD_SECRET,
  N_FIELDS
} FieldId;

typedef struct {
  PushAccountEditor *editor;         /* (unowned) */
  AdwEntryRow       *row;            /* template child */
  GtkLabel          *caption;        /* template child: the hint, or the error */
  const char        *hint;           /* (nullable) */
  char              *error;          /* (owned) (nullable): what is wrong with the value */
  gboolean           touched;        /* edited by the user, so its error may show */
  gboolean           showing_error;
  guint              show_error_id;
} Field;

struct _PushAccountEditor
{
  AdwBin             parent_instance;

  /* Template widgets */
  AdwWindowTitle    *window_title;
  GtkButton         *back_button;
  GtkButton         *save_button;
  GtkSpinner        *save_spinner;
  GtkScrolledWindow *scrolled_window;
  GtkRevealer       *save_error_revealer;
  GtkLabel          *save_error_label;
  GtkSpinner        *test_spinner;
  GtkButton         *test_button;
  GtkRevealer       *test_result_revealer;
  GtkLabel          *test_result_label;

  Field              fields[N_FIELDS];

  /* Owned references */
  PushAccounts      *accounts;
  PushAccount       *account;           /* (nullable): NULL when adding */
  PushAccount       *saving_account;    /* (nullable): being written */
  GCancellable      *test_cancellable;  /* (nullable): the connection test in flight */
  char              *test_endpoint;     /* (nullable) */

  gboolean           endpoint_edited;   /* the user typed the endpoint: stop filling it in */
  gboolean           filling;           /* the code, not the user, is changing a field */
};

G_DEFINE_FINAL_TYPE (PushAccountEditor, push_account_editor, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_ACCOUNTS,
  PROP_ACCOUNT,
  N_PROPS
};

enum {
  SAVED,
  CANCELLED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static char *
dup_field_text (Field *field)
{
  return g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (field->row))));
}

static void
wipe_and_free (char *text)
{
  if (text == NULL)
    return;

  explicit_bzero (text, strlen (text));
  g_free (text);
}

/* Field text that may be a secret: g_autoptr(PushSecretText) wipes it when freed. */
typedef char PushSecretText;
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PushSecretText, wipe_and_free)

static Field *
find_field (PushAccountEditor *self,
            GtkEditable       *editable)
{
  for (guint i = 0; i < N_FIELDS; i++)
    {
      if (GTK_EDITABLE (self->fields[i].row) == editable)
        return &self->fields[i];
    }

  g_assert_not_reached ();
}

static char *
check_field (PushAccountEditor *self,
             FieldId            id,
             const char        *text)
{
  g_auto(GStrv) taken = NULL;
  char *error = NULL;

  switch (id)
    {
    case FIELD_NAME:
      taken = push_accounts_dup_names (self->accounts,
                                       self->account ? push_account_get_id (self->account) : NULL);
      error = push_account_check_name (text, (const char * const *) taken);
      break;
    case FIELD_MUNCHKIN_ID:
      error = push_account_check_munchkin_id (text);
      break;
    case FIELD_ENDPOINT:
      error = push_account_check_endpoint (text);
      break;
    case FIELD_CLIENT_ID:
      error = push_account_check_client_id (text);
      break;
    case FIELD_SECRET:
      /* Empty while editing: keep the secret stored in the keyring. */
      if (self->account != NULL && text[0] == '\0')
        return NULL;
      error = push_account_check_client_secret (text);
      break;
    case N_FIELDS:
    default:
      g_assert_not_reached ();
    }

  if (error == NULL && text[0] == '\0')
    error = g_strdup (_("Required"));

  return error;
}

static void
update_field_feedback (Field *field)
{
  GtkWidget *row = GTK_WIDGET (field->row);
  GtkWidget *caption = GTK_WIDGET (field->caption);
  gboolean show_error = field->touched && field->error != NULL;

  g_clear_handle_id (&field->show_error_id, g_source_remove);
  field->showing_error = show_error;

  if (show_error)
    {
      gtk_widget_add_css_class (row, "error");
      gtk_widget_add_css_class (caption, "error");
      gtk_widget_remove_css_class (caption, "dim-label");
      gtk_label_set_text (field->caption, field->error);
      gtk_accessible_update_state (GTK_ACCESSIBLE (row),
                                   GTK_ACCESSIBLE_STATE_INVALID, GTK_ACCESSIBLE_INVALID_TRUE,
                                   -1);
    }
  else
    {
      gtk_widget_remove_css_class (row, "error");
      gtk_widget_remove_css_class (caption, "error");
      gtk_widget_add_css_class (caption, "dim-label");
      gtk_label_set_text (field->caption, field->hint != NULL ? field->hint : "");
      gtk_accessible_reset_state (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_STATE_INVALID);
    }

  gtk_widget_set_visible (caption, show_error || field->hint != NULL);
}

static gboolean
show_error_cb (gpointer user_data)
{
  Field *field = user_data;

  field->show_error_id = 0;
  update_field_feedback (field);

  return G_SOURCE_REMOVE;
}

static void
validate_field (Field    *field,
                gboolean  at_once)
{
  PushAccountEditor *self = field->editor;
  g_autoptr(PushSecretText) text = dup_field_text (field);

  g_free (field->error);
  field->error = check_field (self, (FieldId) (field - self->fields), text);

  g_clear_handle_id (&field->show_error_id, g_source_remove);
  if (at_once || field->error == NULL || field->showing_error)
    update_field_feedback (field);
  else
    field->show_error_id = g_timeout_add (SHOW_ERROR_DELAY_MS, show_error_cb, field);
}

static gboolean
is_saving (PushAccountEditor *self)
{
  return self->saving_account != NULL;
}

/* The one place that decides what can be clicked. */
static void
update_actions (PushAccountEditor *self)
{
  gboolean all_valid = TRUE;
  gboolean testing = self->test_cancellable != NULL;
  gboolean can_test;

  for (guint i = 0; i < N_FIELDS; i++)
    all_valid = all_valid && self->fields[i].error == NULL;

  can_test = self->fields[FIELD_ENDPOINT].error == NULL
             && self->fields[FIELD_CLIENT_ID].error == NULL
             && self->fields[FIELD_SECRET].error == NULL;

  gtk_widget_set_sensitive (GTK_WIDGET (self->save_button), all_valid && !is_saving (self));
  gtk_widget_set_sensitive (GTK_WIDGET (self->back_button), !is_saving (self));
  gtk_widget_set_sensitive (GTK_WIDGET (self->test_button),
                            can_test && !testing && !is_saving (self));

  gtk_widget_set_visible (GTK_WIDGET (self->save_spinner), is_saving (self));
  gtk_spinner_set_spinning (self->save_spinner, is_saving (self));
  gtk_widget_set_visible (GTK_WIDGET (self->test_spinner), testing);
  gtk_spinner_set_spinning (self->test_spinner, testing);
}

static void
cancel_test (PushAccountEditor *self)
{
  g_cancellable_cancel (self->test_cancellable);
  g_clear_object (&self->test_cancellable);
  gtk_revealer_set_reveal_child (self->test_result_revealer, FALSE);
}

static void
fill_endpoint (PushAccountEditor *self)
{
  g_autofree char *munchkin_id = NULL;
  g_autofree char *endpoint = NULL;

  if (self->endpoint_edited)
    return;

  munchkin_id = dup_field_text (&self->fields[FIELD_MUNCHKIN_ID]);
  if (munchkin_id[0] != '\0')
    endpoint = push_account_default_endpoint (munchkin_id);

  self->filling = TRUE;
  gtk_editable_set_text (GTK_EDITABLE (self->fields[FIELD_ENDPOINT].row),
                         endpoint != NULL ? endpoint : "");
  self->filling = FALSE;
}

static PushAccount *
account_from_fields (PushAccountEditor *self)
{
  PushAccount *account;
  g_autofree char *name = dup_field_text (&self->fields[FIELD_NAME]);
  g_autofree char *munchkin_id = dup_field_text (&self->fields[FIELD_MUNCHKIN_ID]);
  g_autofree char *endpoint = dup_field_text (&self->fields[FIELD_ENDPOINT]);
  g_autofree char *client_id = dup_field_text (&self->fields[FIELD_CLIENT_ID]);

  /* The setters normalise (the Munchkin ID upper-cased, the endpoint without "/rest"…). */
  account = self->account != NULL ? push_account_copy (self->account) : push_account_new ();
  push_account_set_name (account, name);
  push_account_set_munchkin_id (account, munchkin_id);
  push_account_set_endpoint (account, endpoint);
  push_account_set_client_id (account, client_id);

  return account;
}

/* The field to blame for a refusal to save, if it is about one. */
static Field *
field_for_error (PushAccountEditor *self,
                 const GError      *error)
{
  if (g_error_matches (error, PUSH_STORE_ERROR, PUSH_STORE_ERROR_CONSTRAINT))
    return &self->fields[FIELD_NAME];

  if (error->domain != PUSH_ACCOUNT_ERROR)
    return NULL;

  switch (error->code)
    {
    case PUSH_ACCOUNT_ERROR_INVALID_NAME:
    case PUSH_ACCOUNT_ERROR_NAME_TAKEN:
      return &self->fields[FIELD_NAME];
    case PUSH_ACCOUNT_ERROR_INVALID_MUNCHKIN_ID:
      return &self->fields[FIELD_MUNCHKIN_ID];
    case PUSH_ACCOUNT_ERROR_INVALID_ENDPOINT:
      return &self->fields[FIELD_ENDPOINT];
    case PUSH_ACCOUNT_ERROR_INVALID_CLIENT_ID:
      return &self->fields[FIELD_CLIENT_ID];
    case PUSH_ACCOUNT_ERROR_INVALID_CLIENT_SECRET:
      return &self->fields[FIELD_SECRET];
    default:
      return NULL;
    }
}

static char *
describe_save_error (const GError *error)
{
  /* The store's and the keyring's messages say what to do (unlock the keyring, start one…).
   * Translators: %s is that message */
  return g_strdup_printf (_("Nothing was saved. %s"), error->message);
}

static void
finish_saving (PushAccountEditor *self,
               const GError      *error)
{
  g_autoptr(PushAccount) account = g_steal_pointer (&self->saving_account);
  g_autofree char *message = NULL;
  Field *field;

  update_actions (self);

  if (error == NULL)
    {
      g_signal_emit (self, signals[SAVED], 0, account);
      return;
    }

  field = field_for_error (self, error);
  if (field != NULL)
    {
      g_free (field->error);
      field->error = g_strdup (error->message);
      field->touched = TRUE;
      update_field_feedback (field);
      update_actions (self);
      return;
    }

  message = describe_save_error (error);
  gtk_label_set_text (self->save_error_label, message);
  gtk_revealer_set_reveal_child (self->save_error_revealer, TRUE);
  gtk_adjustment_set_value (gtk_scrolled_window_get_vadjustment (self->scrolled_window), 0);
}

static void
account_added_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(PushAccountEditor) self = user_data;
  g_autoptr(GError) error = NULL;

  push_accounts_add_finish (PUSH_ACCOUNTS (source), result, &error);
  finish_saving (self, error);
}

static void
account_updated_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(PushAccountEditor) self = user_data;
  g_autoptr(GError) error = NULL;

  push_accounts_update_finish (PUSH_ACCOUNTS (source), result, &error);
  finish_saving (self, error);
}

static void
connection_tested_cb (GObject      *source,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(MarketoTokenInfo) info = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  PushAccountEditor *self;

  info = push_connection_test_finish (result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  /* Not cancelled, so the editor is still there. */
  self = PUSH_ACCOUNT_EDITOR (user_data);
  g_clear_object (&self->test_cancellable);

  if (info != NULL)
    text = push_connection_describe_success (info);
  else
    text = push_connection_describe_error (error, self->test_endpoint);

  gtk_label_set_text (self->test_result_label, text);
  gtk_widget_remove_css_class (GTK_WIDGET (self->test_result_label),
                               info != NULL ? "error" : "success");
  gtk_widget_add_css_class (GTK_WIDGET (self->test_result_label),
                            info != NULL ? "success" : "error");
  gtk_revealer_set_reveal_child (self->test_result_revealer, TRUE);

  update_actions (self);
}

static void
field_changed_cb (GtkEditable       *editable,
                  PushAccountEditor *self)
{
  Field *field = find_field (self, editable);

  if (!self->filling)
    field->touched = TRUE;

  if (field == &self->fields[FIELD_ENDPOINT] && !self->filling)
    self->endpoint_edited = gtk_editable_get_text (editable)[0] != '\0';

  /* A test of other values, or its outcome, no longer applies. */
  cancel_test (self);

  validate_field (field, FALSE);
  if (field == &self->fields[FIELD_MUNCHKIN_ID])
    fill_endpoint (self);

  update_actions (self);
}

static void
entry_activated_cb (AdwEntryRow       *row,
                    PushAccountEditor *self)
{
  if (gtk_widget_is_sensitive (GTK_WIDGET (self->save_button)))
    gtk_widget_activate (GTK_WIDGET (self->save_button));
}

static void
back_button_clicked_cb (GtkButton         *button,
                        PushAccountEditor *self)
{
  cancel_test (self);
  g_signal_emit (self, signals[CANCELLED], 0);
}

static void
save_button_clicked_cb (GtkButton         *button,
                        PushAccountEditor *self)
{
  g_autoptr(PushSecretText) secret = NULL;

  for (guint i = 0; i < N_FIELDS; i++)
    {
      if (self->fields[i].error != NULL)
        return;
    }
  if (is_saving (self))
    return;

  cancel_test (self);
  gtk_revealer_set_reveal_child (self->save_error_revealer, FALSE);

  self->saving_account = account_from_fields (self);
  secret = dup_field_text (&self->fields[FIELD_SECRET]);
  update_actions (self);

  /* Saving is short and must not stop half-way, so it keeps the editor alive. */
  if (self->account == NULL)
    push_accounts_add_async (self->accounts, self->saving_account, secret, NULL,
                             account_added_cb, g_object_ref (self));
  else
    push_accounts_update_async (self->accounts, self->saving_account,
                                secret[0] != '\0' ? secret : NULL, NULL,
                                account_updated_cb, g_object_ref (self));
}

static void
test_button_clicked_cb (GtkButton         *button,
                        PushAccountEditor *self)
{
  g_autoptr(PushAccount) account = NULL;
  g_autoptr(PushSecretText) secret = NULL;
  GtkApplication *app = NULL;
  GtkRoot *root;

  root = gtk_widget_get_root (GTK_WIDGET (self));
  if (GTK_IS_WINDOW (root))
    app = gtk_window_get_application (GTK_WINDOW (root));
  g_return_if_fail (PUSH_IS_APPLICATION (app));

  cancel_test (self);

  account = account_from_fields (self);
  secret = dup_field_text (&self->fields[FIELD_SECRET]);
  g_free (self->test_endpoint);
  self->test_endpoint = g_strdup (push_account_get_endpoint (account));
  self->test_cancellable = g_cancellable_new ();
  update_actions (self);

  push_connection_test_async (PUSH_APPLICATION (app), account,
                              secret[0] != '\0' ? secret : NULL, self->test_cancellable,
                              connection_tested_cb, self);
}

static gboolean
push_account_editor_grab_focus (GtkWidget *widget)
{
  PushAccountEditor *self = PUSH_ACCOUNT_EDITOR (widget);

  return gtk_widget_grab_focus (GTK_WIDGET (self->fields[FIELD_NAME].row));
}

static void
push_account_editor_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  PushAccountEditor *self = PUSH_ACCOUNT_EDITOR (object);

  switch (prop_id)
    {
    case PROP_ACCOUNTS:
      g_value_set_object (value, self->accounts);
      break;
    case PROP_ACCOUNT:
      g_value_set_object (value, self->account);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
push_account_editor_set_property (GObject      *object,
                                  guint         prop_id,
                                  const GValue *value,
                                  GParamSpec   *pspec)
{
  PushAccountEditor *self = PUSH_ACCOUNT_EDITOR (object);

  switch (prop_id)
    {
    case PROP_ACCOUNTS:
      self->accounts = g_value_dup_object (value);
      break;
    case PROP_ACCOUNT:
      self->account = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
push_account_editor_constructed (GObject *object)
{
  PushAccountEditor *self = PUSH_ACCOUNT_EDITOR (object);
  gboolean adding = self->account == NULL;

  G_OBJECT_CLASS (push_account_editor_parent_class)->constructed (object);

  g_assert (PUSH_IS_ACCOUNTS (self->accounts));

  self->fields[FIELD_NAME].hint = _("How Audience Push shows this account, such as “Production”");
  self->fields[FIELD_MUNCHKIN_ID].hint =
    _("In Marketo: Admin › Integration › Munchkin, like 123-ABC-456");
  self->fields[FIELD_ENDPOINT].hint =
    _("In Marketo: Admin › Integration › Web Services; filled in from the Munchkin ID");
  self->fields[FIELD_CLIENT_ID].hint =
    _("In Marketo: Admin › Integration › LaunchPoint › View Details");
  self->fields[FIELD_SECRET].hint =
    adding ? _("Kept in the keyring, never on disk")
           : _("Leave empty to keep the secret stored in the keyring");

  if (adding)
    {
      adw_window_title_set_title (self->window_title, _("Add Marketo Account"));
    }
  else
    {
      g_autofree char *default_endpoint = NULL;
      const char *munchkin_id = push_account_get_munchkin_id (self->account);
      const char *endpoint = push_account_get_endpoint (self->account);

      adw_window_title_set_title (self->window_title, _("Edit Account"));
      adw_window_title_set_subtitle (self->window_title, push_account_get_name (self->account));

      self->filling = TRUE;
      gtk_editable_set_text (GTK_EDITABLE (self->fields[FIELD_NAME].row),
                             push_account_get_name (self->account));
      gtk_editable_set_text (GTK_EDITABLE (self->fields[FIELD_MUNCHKIN_ID].row),
                             munchkin_id != NULL ? munchkin_id : "");
      gtk_editable_set_text (GTK_EDITABLE (self->fields[FIELD_ENDPOINT].row),
                             endpoint != NULL ? endpoint : "");
      gtk_editable_set_text (GTK_EDITABLE (self->fields[FIELD_CLIENT_ID].row),
                             push_account_get_client_id (self->account));
      self->filling = FALSE;

      if (munchkin_id != NULL && munchkin_id[0] != '\0')
        default_endpoint = push_account_default_endpoint (munchkin_id);
      self->endpoint_edited = g_strcmp0 (default_endpoint, endpoint) != 0;
    }

  for (guint i = 0; i < N_FIELDS; i++)
    validate_field (&self->fields[i], TRUE);
  update_actions (self);
}

static void
push_account_editor_dispose (GObject *object)
{
  PushAccountEditor *self = PUSH_ACCOUNT_EDITOR (object);

  g_cancellable_cancel (self->test_cancellable);
  g_clear_object (&self->test_cancellable);

  for (guint i = 0; i < N_FIELDS; i++)
    g_clear_handle_id (&self->fields[i].show_error_id, g_source_remove);

  gtk_widget_dispose_template (GTK_WIDGET (self), PUSH_TYPE_ACCOUNT_EDITOR);

  g_clear_object (&self->saving_account);
  g_clear_object (&self->account);
  g_clear_object (&self->accounts);

  G_OBJECT_CLASS (push_account_editor_parent_class)->dispose (object);
}

static void
push_account_editor_finalize (GObject *object)
{
  PushAccountEditor *self = PUSH_ACCOUNT_EDITOR (object);

  for (guint i = 0; i < N_FIELDS; i++)
    g_free (self->fields[i].error);
  g_free (self->test_endpoint);

  G_OBJECT_CLASS (push_account_editor_parent_class)->finalize (object);
}

#define BIND_FIELD(widget_class, id, name) \
  G_STMT_START { \
    gtk_widget_class_bind_template_child_full (widget_class, name "_row", FALSE, \
      G_STRUCT_OFFSET (PushAccountEditor, fields[id].row)); \
    gtk_widget_class_bind_template_child_full (widget_class, name "_caption", FALSE, \
      G_STRUCT_OFFSET (PushAccountEditor, fields[id].caption)); \
  } G_STMT_END

static void
push_account_editor_class_init (PushAccountEditorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->get_property = push_account_editor_get_property;
  object_class->set_property = push_account_editor_set_property;
  object_class->constructed = push_account_editor_constructed;
  object_class->dispose = push_account_editor_dispose;
  object_class->finalize = push_account_editor_finalize;

  widget_class->grab_focus = push_account_editor_grab_focus;

  properties[PROP_ACCOUNTS] =
    g_param_spec_object ("accounts", NULL, NULL, PUSH_TYPE_ACCOUNTS,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_ACCOUNT] =
    g_param_spec_object ("account", NULL, NULL, PUSH_TYPE_ACCOUNT,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * PushAccountEditor::saved:
   * @account: the account as saved
   */
  signals[SAVED] = g_signal_new ("saved", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                 0, NULL, NULL, NULL, G_TYPE_NONE, 1, PUSH_TYPE_ACCOUNT);
  signals[CANCELLED] = g_signal_new ("cancelled", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                     0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PREFIX "/push-account-editor.ui");
  gtk_widget_class_bind_template_child (widget_class, PushAccountEditor, window_title);
  gtk_widget_class_bind_template_child (widget_class, PushAccountEditor, back_button);
  gtk_widget_class_bind_template_child (widget_class, PushAccountEditor, save_button);
  gtk_widget_class_bind_template_child (widget_class, PushAccountEditor, save_spinner);
  gtk_widget_class_bind_template_child (widget_class, PushAccountEditor, scrolled_window);
  gtk_widget_class_bind_template_child (widget_class, PushAccountEditor, save_error_revealer);
  gtk_widget_class_bind_template_child (widget_class, PushAccountEditor, save_error_label);
  gtk_widget_class_bind_template_child (widget_class, PushAccountEditor, test_spinner);
  gtk_widget_class_bind_template_child (widget_class, PushAccountEditor, test_button);
  gtk_widget_class_bind_template_child (widget_class, PushAccountEditor, test_result_revealer);
  gtk_widget_class_bind_template_child (widget_class, PushAccountEditor, test_result_label);
  BIND_FIELD (widget_class, FIELD_NAME, "name");
  BIND_FIELD (widget_class, FIELD_MUNCHKIN_ID, "munchkin");
  BIND_FIELD (widget_class, FIELD_ENDPOINT, "endpoint");
  BIND_FIELD (widget_class, FIELD_CLIENT_ID, "client_id");
  BIND_FIELD (widget_class, FIELD_SECRET, "secret");
  gtk_widget_class_bind_template_callback (widget_class, field_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, entry_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, back_button_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, save_button_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, test_button_clicked_cb);
}

static void
push_account_editor_init (PushAccountEditor *self)
{
  for (guint i = 0; i < N_FIELDS; i++)
    self->fields[i].editor = self;

  gtk_widget_init_template (GTK_WIDGET (self));

  /* Each row is described by the caption under it (its hint, or what is wrong). */
  for (guint i = 0; i < N_FIELDS; i++)
    gtk_accessible_update_relation (GTK_ACCESSIBLE (self->fields[i].row),
                                    GTK_ACCESSIBLE_RELATION_DESCRIBED_BY,
                                    self->fields[i].caption, NULL,
                                    -1);
}

GtkWidget *
push_account_editor_new (PushAccounts *accounts,
                         PushAccount  *account)
{
  g_return_val_if_fail (PUSH_IS_ACCOUNTS (accounts), NULL);
  g_return_val_if_fail (!account || PUSH_IS_ACCOUNT (account), NULL);

  return g_object_new (PUSH_TYPE_ACCOUNT_EDITOR,
                       "accounts", accounts,
                       "account", account,
                       NULL);
}

PushAccounts *
push_account_editor_get_accounts (PushAccountEditor *self)
{
  g_return_val_if_fail (PUSH_IS_ACCOUNT_EDITOR (self), NULL);

  return self->accounts;
}

PushAccount *
push_account_editor_get_account (PushAccountEditor *self)
{
  g_return_val_if_fail (PUSH_IS_ACCOUNT_EDITOR (self), NULL);

  return self->account;
}
