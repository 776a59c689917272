/* push-destination-editor.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The form edits a draft PushDestination. Every change of the draft runs PushValidator's
 * check at once (it is instant): the buttons follow immediately, problems that went away
 * disappear at once, and new ones show once the user pauses for SHOW_PROBLEMS_DELAY_MS. The
 * sampled value scan of the sample audience reads the whole file, so it runs in a worker
 * thread, after the same pause, and each edit cancels the scan in flight.
 */
#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "push-destination-editor-private.h"
#include "push-list-reference.h"
#include "push-window.h"

#define SHOW_PROBLEMS_DELAY_MS 500
/* The store key that keeps a destination's sample audience (its audience id). */
#define SAMPLE_KEY_PREFIX      "destination-sample-audience:"

G_DEFINE_FINAL_TYPE (PushDestinationEditor, push_destination_editor, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_APPLICATION,
  PROP_DESTINATION,
  PROP_IS_NEW,
  N_PROPS
};

enum {
  SAVED,
  CLOSED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static const PushAlertFlags alert_flags[] = {
  PUSH_ALERT_ON_COMPLETION,
  PUSH_ALERT_ON_COMPLETION_WITH_REJECTIONS,
  PUSH_ALERT_ON_FAILURE,
  PUSH_ALERT_ON_QUOTA_PAUSE,
};

/* ---- Helpers ---- */

static PushAccounts *
get_accounts (PushDestinationEditor *self)
{
  return push_application_get_accounts (self->app);
}

PushAccount *
_push_destination_editor_get_account (PushDestinationEditor *self)
{
  const char *id = push_destination_get_account_id (self->draft);

  return *id != '\0' ? push_accounts_find_by_id (get_accounts (self), id) : NULL;
}

PushAudienceEntry *
_push_destination_editor_get_sample (PushDestinationEditor *self)
{
  PushAudiences *audiences = push_application_get_audiences (self->app);

  return self->sample_id != NULL ? push_audiences_find_by_id (audiences, self->sample_id) : NULL;
}

static void
add_toast (PushDestinationEditor *self,
           const char            *message)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  if (PUSH_IS_WINDOW (root))
    push_window_add_toast (PUSH_WINDOW (root), message);
}

static Place
place_of (const PushProblem *problem)
{
  switch (problem->code)
    {
    case PUSH_PROBLEM_NAME_MISSING:
      return PLACE_NAME;
    case PUSH_PROBLEM_ACCOUNT_MISSING:
      return PLACE_ACCOUNT;
    case PUSH_PROBLEM_SCHEMA_UNAVAILABLE:
      return PLACE_INSTANCE;
    case PUSH_PROBLEM_DEDUPE_FIELD_MISSING:
    case PUSH_PROBLEM_DEDUPE_FIELD_ID:
    case PUSH_PROBLEM_DEDUPE_FIELD_ECID:
    case PUSH_PROBLEM_DEDUPE_FIELD_UNKNOWN:
    case PUSH_PROBLEM_DEDUPE_FIELD_NOT_SEARCHABLE:
      return PLACE_DEDUPE;
    case PUSH_PROBLEM_PARTITION_IGNORED:
    case PUSH_PROBLEM_PARTITION_UNKNOWN:
      return PLACE_PARTITION;
    case PUSH_PROBLEM_LIST_TARGET_MISSING:
    case PUSH_PROBLEM_LIST_TARGET_IGNORED:
    case PUSH_PROBLEM_LIST_TEMPLATE_INVALID:
      return PLACE_LIST;
    case PUSH_PROBLEM_LIST_FOLDER_MISSING:
    case PUSH_PROBLEM_LIST_FOLDER_UNKNOWN:
    case PUSH_PROBLEM_LIST_FOLDER_ARCHIVED:
      return PLACE_FOLDER;
    case PUSH_PROBLEM_PRIVACY_NOT_ACKNOWLEDGED:
      return PLACE_PRIVACY;
    case PUSH_PROBLEM_PERSON_ACTION_IGNORED:
      return PLACE_NONE;
    case PUSH_PROBLEM_DEDUPE_COLUMN_MISSING:
    case PUSH_PROBLEM_REQUIRED_FIELD_MISSING:
    case PUSH_PROBLEM_ROW_INCOMPLETE:
    case PUSH_PROBLEM_TARGET_DUPLICATE:
    case PUSH_PROBLEM_TARGET_IS_DEDUPE_FIELD:
    case PUSH_PROBLEM_TARGET_UNKNOWN:
    case PUSH_PROBLEM_TARGET_READ_ONLY:
    case PUSH_PROBLEM_COLUMN_MISSING:
    case PUSH_PROBLEM_ATTRIBUTES_IGNORED:
    case PUSH_PROBLEM_DEDUPE_VALUE_EMPTY:
    case PUSH_PROBLEM_VALUE_NOT_DATE:
    case PUSH_PROBLEM_VALUE_NOT_DATETIME:
    case PUSH_PROBLEM_VALUE_NOT_INTEGER:
    case PUSH_PROBLEM_VALUE_NOT_NUMBER:
    case PUSH_PROBLEM_VALUE_NOT_BOOLEAN:
    case PUSH_PROBLEM_VALUE_NOT_EMAIL:
    case PUSH_PROBLEM_VALUE_TOO_LONG:
    case PUSH_PROBLEM_VALUE_NESTED:
    default:
      return PLACE_MAPPING;
    }
}

static char *
problem_key (const PushProblem *problem)
{
  return g_strdup_printf ("%d:%d:%s:%s", problem->code, problem->row,
                          problem->field != NULL ? problem->field : "",
                          problem->column != NULL ? problem->column : "");
}

#define NAME_TAKEN_KEY "name-taken"

static const char *
severity_icon (PushProblemSeverity severity)
{
  switch (severity)
    {
    case PUSH_PROBLEM_SEVERITY_ERROR:
      return "dialog-error-symbolic";
    case PUSH_PROBLEM_SEVERITY_WARNING:
      return "dialog-warning-symbolic";
    case PUSH_PROBLEM_SEVERITY_INFO:
    default:
      return "dialog-information-symbolic";
    }
}

/* ---- Showing the problems ---- */

/* Shows @errors and @notes (warnings and remarks) under a row. */
static void
show_feedback (Feedback   *feedback,
               GPtrArray  *errors,
               GPtrArray  *notes)
{
  GtkWidget *caption = GTK_WIDGET (feedback->caption);
  g_autofree char *text = NULL;
  gboolean error = errors->len > 0;

  g_ptr_array_add (errors, NULL);
  g_ptr_array_add (notes, NULL);
  if (error)
    text = g_strjoinv ("\n", (GStrv) errors->pdata);
  else
    text = g_strjoinv ("\n", (GStrv) notes->pdata);

  gtk_label_set_text (feedback->caption, text);
  gtk_widget_set_visible (caption, *text != '\0');

  if (error)
    {
      gtk_widget_add_css_class (feedback->row, "error");
      gtk_widget_add_css_class (caption, "error");
      gtk_widget_remove_css_class (caption, "dim-label");
      gtk_accessible_update_state (GTK_ACCESSIBLE (feedback->row),
                                   GTK_ACCESSIBLE_STATE_INVALID, GTK_ACCESSIBLE_INVALID_TRUE, -1);
    }
  else
    {
      gtk_widget_remove_css_class (feedback->row, "error");
      gtk_widget_remove_css_class (caption, "error");
      gtk_widget_add_css_class (caption, "dim-label");
      gtk_accessible_reset_state (GTK_ACCESSIBLE (feedback->row), GTK_ACCESSIBLE_STATE_INVALID);
    }
}

static GtkWidget *
make_problem_row (PushProblemSeverity  severity,
                  const char          *message,
                  Place                place)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *icon = gtk_image_new_from_icon_name (severity_icon (severity));

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), message);
  adw_action_row_set_title_lines (ADW_ACTION_ROW (row), 0);
  gtk_widget_add_css_class (icon, severity == PUSH_PROBLEM_SEVERITY_ERROR ? "error"
                                  : severity == PUSH_PROBLEM_SEVERITY_WARNING ? "warning"
                                  : "dim-label");
  gtk_accessible_update_property (GTK_ACCESSIBLE (icon), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  push_problem_severity_get_label (severity), -1);
  adw_action_row_add_prefix (ADW_ACTION_ROW (row), icon);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), place != PLACE_NONE);
  g_object_set_data (G_OBJECT (row), "place", GINT_TO_POINTER (place));

  return row;
}

static void
show_problem_list (PushDestinationEditor *self,
                   GPtrArray             *shown,
                   gboolean               show_name_taken)
{
  GtkWidget *child;
  guint errors = 0, others = 0;
  g_autofree char *title = NULL;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->problems_list))) != NULL)
    gtk_list_box_remove (self->problems_list, child);

  if (show_name_taken)
    {
      gtk_list_box_append (self->problems_list,
                           make_problem_row (PUSH_PROBLEM_SEVERITY_ERROR, self->name_taken,
                                             PLACE_NAME));
      errors++;
    }

  for (guint i = 0; i < shown->len; i++)
    {
      const PushProblem *problem = g_ptr_array_index (shown, i);

      gtk_list_box_append (self->problems_list,
                           make_problem_row (problem->severity, problem->message,
                                             place_of (problem)));
      if (problem->severity == PUSH_PROBLEM_SEVERITY_ERROR)
        errors++;
      else
        others++;
    }

  if (errors > 0)
    /* Translators: a count of problems that block the activation */
    title = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                          "%u problem to solve before activating",
                                          "%u problems to solve before activating", errors),
                             errors);
  else if (others > 0)
    title = g_strdup (_("Ready to activate, with these remarks"));

  gtk_label_set_text (self->problems_title, title != NULL ? title : "");
  gtk_widget_set_visible (GTK_WIDGET (self->problems_box), errors + others > 0);
}

/* Shows the current problems; with @filter, only those already on screen (the others wait
 * for the pause). */
static void
show_problems (PushDestinationEditor *self,
               GHashTable            *filter)
{
  g_autoptr(GPtrArray) shown = g_ptr_array_new ();
  g_autoptr(GHashTable) keys = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  gboolean show_name_taken;

  for (guint i = 0; self->problems != NULL && i < self->problems->len; i++)
    {
      PushProblem *problem = g_ptr_array_index (self->problems, i);
      g_autofree char *key = problem_key (problem);

      /* The form says it already: the person action is hidden for Audience only. */
      if (problem->code == PUSH_PROBLEM_PERSON_ACTION_IGNORED)
        continue;
      if (filter != NULL && !g_hash_table_contains (filter, key))
        continue;
      g_ptr_array_add (shown, problem);
      g_hash_table_add (keys, g_steal_pointer (&key));
    }

  show_name_taken = self->name_taken != NULL
                    && (filter == NULL || g_hash_table_contains (filter, NAME_TAKEN_KEY));
  if (show_name_taken)
    g_hash_table_add (keys, g_strdup (NAME_TAKEN_KEY));

  g_clear_pointer (&self->shown_keys, g_hash_table_unref);
  self->shown_keys = g_steal_pointer (&keys);

  for (Place place = PLACE_NAME; place < N_PLACES; place++)
    {
      g_autoptr(GPtrArray) errors = g_ptr_array_new ();
      g_autoptr(GPtrArray) notes = g_ptr_array_new ();
      Feedback *feedback = &self->feedback[place];

      if (feedback->caption == NULL)
        continue;

      if (place == PLACE_NAME && show_name_taken)
        g_ptr_array_add (errors, self->name_taken);
      if (place == PLACE_LIST && self->list_reference_error != NULL)
        g_ptr_array_add (errors, self->list_reference_error);
      if (place == PLACE_INSTANCE && self->instance_notice != NULL)
        g_ptr_array_add (notes, self->instance_notice);
      if (place == PLACE_SAMPLE && self->sample_notice != NULL)
        g_ptr_array_add (self->sample_failed ? errors : notes, self->sample_notice);

      for (guint i = 0; i < shown->len; i++)
        {
          const PushProblem *problem = g_ptr_array_index (shown, i);

          if (place_of (problem) != place)
            continue;
          g_ptr_array_add (problem->severity == PUSH_PROBLEM_SEVERITY_ERROR ? errors : notes,
                           problem->message);
        }

      show_feedback (feedback, errors, notes);
    }

  push_mapping_editor_set_problems (self->mapping_editor, shown);
  show_problem_list (self, shown, show_name_taken);
}

static gboolean
show_problems_cb (gpointer user_data)
{
  PushDestinationEditor *self = user_data;

  self->show_problems_id = 0;
  show_problems (self, NULL);

  return G_SOURCE_REMOVE;
}

/* ---- What can be clicked ---- */

static gboolean
can_save (PushDestinationEditor *self)
{
  return self->name_taken == NULL
         && *push_destination_get_name (self->draft) != '\0'
         && _push_destination_editor_get_account (self) != NULL;
}

gboolean
_push_destination_editor_can_activate (PushDestinationEditor *self)
{
  return can_save (self)
         && self->problems != NULL
         && !push_problems_has_errors (self->problems);
}

/* The Preview only reads from Marketo, so the data-privacy acknowledgement, which guards
 * sending, is not needed for it: a saveable draft whose check finds no other error, and an
 * audience to preview. (It previews the saved destination, so the draft is saved first.) */
gboolean
_push_destination_editor_can_preview (PushDestinationEditor *self)
{
  if (!can_save (self) || self->problems == NULL
      || _push_destination_editor_get_sample (self) == NULL)
    return FALSE;

  for (guint i = 0; i < self->problems->len; i++)
    {
      const PushProblem *problem = g_ptr_array_index (self->problems, i);

      if (problem->severity == PUSH_PROBLEM_SEVERITY_ERROR
          && problem->code != PUSH_PROBLEM_PRIVACY_NOT_ACKNOWLEDGED)
        return FALSE;
    }
  return TRUE;
}

gboolean
_push_destination_editor_needs_save (PushDestinationEditor *self)
{
  return self->dirty || self->is_new || self->saved == NULL;
}

static void
update_actions (PushDestinationEditor *self)
{
  gtk_widget_set_sensitive (GTK_WIDGET (self->save_button),
                            can_save (self) && (self->dirty || self->is_new));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.activate-destination",
                                 _push_destination_editor_can_activate (self));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "editor.preview",
                                 _push_destination_editor_can_preview (self));
}

/* Checks the draft; see the top of the file for when what shows. */
void
_push_destination_editor_revalidate (PushDestinationEditor *self,
                                     gboolean               at_once)
{
  g_autoptr(GPtrArray) problems = NULL;
  g_autofree char *name_problem = NULL;
  const char *name = push_destination_get_name (self->draft);
  gboolean new_ones = FALSE;

  problems = push_validator_check (self->validator, self->draft,
                                   (const char * const *) self->columns,
                                   PUSH_VALIDATION_PRE_ACTIVATION);
  for (guint i = 0; self->scan_problems != NULL && i < self->scan_problems->len; i++)
    g_ptr_array_add (problems, push_problem_copy (g_ptr_array_index (self->scan_problems, i)));
  push_problems_sort (problems);

  g_clear_pointer (&self->problems, g_ptr_array_unref);
  self->problems = g_steal_pointer (&problems);

  g_clear_pointer (&self->name_taken, g_free);
  name_problem = push_destinations_check_name (push_application_get_destinations (self->app),
                                               name, push_destination_get_id (self->draft));
  if (*name != '\0' && name_problem != NULL)
    self->name_taken = g_steal_pointer (&name_problem);

  update_actions (self);

  g_clear_handle_id (&self->show_problems_id, g_source_remove);
  if (at_once || self->shown_keys == NULL)
    {
      show_problems (self, NULL);
      return;
    }

  /* Fixes show at once; new problems once the user pauses. */
  for (guint i = 0; i < self->problems->len && !new_ones; i++)
    {
      const PushProblem *problem = g_ptr_array_index (self->problems, i);
      g_autofree char *key = problem_key (problem);

      new_ones = problem->code != PUSH_PROBLEM_PERSON_ACTION_IGNORED
                 && !g_hash_table_contains (self->shown_keys, key);
    }
  if (self->name_taken != NULL && !g_hash_table_contains (self->shown_keys, NAME_TAKEN_KEY))
    new_ones = TRUE;

  {
    /* show_problems() replaces the set it filters by: keep it alive meanwhile. */
    g_autoptr(GHashTable) filter = g_hash_table_ref (self->shown_keys);

    show_problems (self, filter);
  }
  if (new_ones)
    self->show_problems_id = g_timeout_add (SHOW_PROBLEMS_DELAY_MS, show_problems_cb, self);
}

/* ---- Filling the form from the draft ---- */

static char *
describe_field (PushDestinationEditor *self,
                const char            *name)
{
  const MarketoField *field = NULL;

  if (self->schema != NULL)
    field = marketo_lead_schema_lookup_field (self->schema, name);
  if (field == NULL || field->display_name == NULL || g_str_equal (field->display_name, name))
    return g_strdup (name);

  /* Translators: a Marketo field: its display name, then its REST name */
  return g_strdup_printf (_("%s (%s)"), field->display_name, name);
}

static guint
strv_position (GStrv       strv,
               const char *value)
{
  for (guint i = 0; strv != NULL && strv[i] != NULL; i++)
    {
      if (g_str_equal (strv[i], value))
        return i;
    }
  return GTK_INVALID_LIST_POSITION;
}

static void
set_combo_model (AdwComboRow   *row,
                 GtkStringList *labels,
                 guint          selected)
{
  adw_combo_row_set_model (row, G_LIST_MODEL (labels));
  adw_combo_row_set_selected (row, selected);
}

static void
fill_account_row (PushDestinationEditor *self)
{
  GListModel *accounts = G_LIST_MODEL (get_accounts (self));
  const char *id = push_destination_get_account_id (self->draft);
  guint selected = GTK_INVALID_LIST_POSITION;

  for (guint i = 0; i < g_list_model_get_n_items (accounts); i++)
    {
      g_autoptr(PushAccount) account = g_list_model_get_item (accounts, i);

      if (g_strcmp0 (push_account_get_id (account), id) == 0)
        selected = i;
    }

  if (adw_combo_row_get_selected (self->account_row) != selected)
    adw_combo_row_set_selected (self->account_row, selected);
}

static void
fill_sync_rows (PushDestinationEditor *self)
{
  PushSyncType sync_type = push_destination_get_sync_type (self->draft);
  PushPersonAction action = push_destination_get_person_action (self->draft);

  adw_combo_row_set_selected (self->sync_type_row, (guint) sync_type);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (self->sync_type_row),
                               push_sync_type_get_description (sync_type));
  adw_combo_row_set_selected (self->person_action_row, (guint) action);
}

void
_push_destination_editor_fill_partition_row (PushDestinationEditor *self)
{
  g_autoptr(GStrvBuilder) names = g_strv_builder_new ();
  g_autoptr(GtkStringList) labels = gtk_string_list_new (NULL);
  const char *current = push_destination_get_partition (self->draft);

  g_strv_builder_add (names, "");
  gtk_string_list_append (labels, PUSH_DESTINATION_DEFAULT_PARTITION);

  for (guint i = 0; self->partitions != NULL && i < self->partitions->len; i++)
    {
      const MarketoPartition *partition = g_ptr_array_index (self->partitions, i);

      if (partition->name == NULL
          || g_str_equal (partition->name, PUSH_DESTINATION_DEFAULT_PARTITION))
        continue;
      g_strv_builder_add (names, partition->name);
      gtk_string_list_append (labels, partition->name);
    }

  g_strfreev (self->partition_names);
  self->partition_names = g_strv_builder_end (names);
  if (strv_position (self->partition_names, current) == GTK_INVALID_LIST_POSITION)
    {
      /* Not in the instance (or the instance is not known): it stays, and the validator
       * says what is wrong with it. */
      g_autoptr(GStrvBuilder) more = g_strv_builder_new ();

      g_strv_builder_addv (more, (const char **) self->partition_names);
      g_strv_builder_add (more, current);
      g_strfreev (self->partition_names);
      self->partition_names = g_strv_builder_end (more);
      gtk_string_list_append (labels, current);
    }

  set_combo_model (self->partition_row, labels, strv_position (self->partition_names, current));
}

void
_push_destination_editor_fill_dedupe_row (PushDestinationEditor *self)
{
  g_autoptr(GStrvBuilder) names = g_strv_builder_new ();
  g_autoptr(GtkStringList) labels = gtk_string_list_new (NULL);
  const char *current = push_destination_get_dedupe_field (self->draft);
  gboolean has_current = FALSE;

  /* The fields Marketo can look people up by alone; Lead ID and ECID fields are listed too,
   * so that choosing one says why it can't be. */
  for (guint i = 0; self->schema != NULL && i < self->schema->searchable_fields->len; i++)
    {
      GStrv key = g_ptr_array_index (self->schema->searchable_fields, i);
      g_autofree char *label = NULL;

      if (key == NULL || key[0] == NULL || key[1] != NULL)
        continue;
      label = describe_field (self, key[0]);
      g_strv_builder_add (names, key[0]);
      gtk_string_list_append (labels, label);
      has_current = has_current || g_str_equal (key[0], current);
    }

  if (!has_current && *current != '\0')
    {
      g_autofree char *label = describe_field (self, current);

      g_strv_builder_add (names, current);
      gtk_string_list_append (labels, label);
    }

  g_strfreev (self->dedupe_names);
  self->dedupe_names = g_strv_builder_end (names);
  set_combo_model (self->dedupe_row, labels, strv_position (self->dedupe_names, current));
}

static guint
list_position (PushDestinationEditor *self,
               gint64                 id)
{
  for (guint i = 0; i < self->list_ids->len; i++)
    {
      if (g_array_index (self->list_ids, gint64, i) == id)
        return i;
    }
  return GTK_INVALID_LIST_POSITION;
}

void
_push_destination_editor_fill_list_rows (PushDestinationEditor *self)
{
  g_autoptr(GtkStringList) labels = gtk_string_list_new (NULL);
  PushListTargetKind kind = push_destination_get_list_target_kind (self->draft);
  gint64 current = push_destination_get_list_id (self->draft);
  const char *template = push_destination_get_list_name_template (self->draft);

  adw_combo_row_set_selected (self->list_kind_row,
                              kind == PUSH_LIST_TARGET_EXISTING ? 0
                              : kind == PUSH_LIST_TARGET_CREATE_PER_AUDIENCE ? 1
                              : GTK_INVALID_LIST_POSITION);

  g_array_set_size (self->list_ids, 0);
  for (guint i = 0; self->lists != NULL && i < self->lists->len; i++)
    {
      const MarketoList *list = g_ptr_array_index (self->lists, i);
      g_autofree char *label = NULL;

      if (list->program_name != NULL && *list->program_name != '\0')
        /* Translators: a static list, then the program it belongs to */
        label = g_strdup_printf (_("%s — %s"), list->name, list->program_name);
      else
        label = g_strdup (list->name);
      gtk_string_list_append (labels, label);
      g_array_append_val (self->list_ids, list->id);
    }

  if (current > 0 && list_position (self, current) == GTK_INVALID_LIST_POSITION)
    {
      const char *name = push_destination_get_list_name (self->draft);
      g_autofree char *label = NULL;

      if (*name != '\0')
        /* Translators: a static list's name, then its id */
        label = g_strdup_printf (_("%s (list %" G_GINT64_FORMAT ")"), name, current);
      else
        label = g_strdup_printf (_("List %" G_GINT64_FORMAT), current);
      gtk_string_list_append (labels, label);
      g_array_append_val (self->list_ids, current);
    }

  set_combo_model (self->list_row, labels, list_position (self, current));

  if (g_strcmp0 (gtk_editable_get_text (GTK_EDITABLE (self->list_template_row)), template) != 0)
    gtk_editable_set_text (GTK_EDITABLE (self->list_template_row), template);
  adw_combo_row_set_selected (self->list_clash_row,
                              (guint) push_destination_get_list_clash_policy (self->draft));
}

static int
compare_folder_paths (gconstpointer a,
                      gconstpointer b)
{
  const MarketoFolder *folder_a = *(MarketoFolder * const *) a;
  const MarketoFolder *folder_b = *(MarketoFolder * const *) b;

  return g_utf8_collate (folder_a->path != NULL ? folder_a->path : folder_a->name,
                         folder_b->path != NULL ? folder_b->path : folder_b->name);
}

static guint
folder_position (PushDestinationEditor *self,
                 gint64                 id,
                 const char            *type)
{
  if (id <= 0)
    return GTK_INVALID_LIST_POSITION;

  for (guint i = 0; i < self->folder_choices->len; i++)
    {
      const MarketoFolder *folder = g_ptr_array_index (self->folder_choices, i);

      if (folder->id == id && g_strcmp0 (folder->type, *type != '\0' ? type : "Folder") == 0)
        return i;
    }
  return GTK_INVALID_LIST_POSITION;
}

/* "Audiences — in /Marketing Activities/Default": the folder's own name first, so that a
 * narrow row that cuts the end still shows it. */
static char *
folder_label (const MarketoFolder *folder)
{
  g_autofree char *parent = NULL;
  const char *slash;

  if (folder->path == NULL || folder->name == NULL)
    return g_strdup (folder->path != NULL ? folder->path : folder->name);

  slash = strrchr (folder->path, '/');
  if (slash == NULL || slash == folder->path || g_strcmp0 (slash + 1, folder->name) != 0)
    return g_strdup (folder->path);

  parent = g_strndup (folder->path, slash - folder->path);
  /* Translators: a Marketo folder's name, then the path of the folder it is in */
  return g_strdup_printf (_("%s — in %s"), folder->name, parent);
}

/* The instance's folders and programs where lists can go, by path; archives are left out. */
void
_push_destination_editor_fill_folder_row (PushDestinationEditor *self)
{
  g_autoptr(GtkStringList) labels = gtk_string_list_new (NULL);
  gint64 current = push_destination_get_list_folder_id (self->draft);
  const char *type = push_destination_get_list_folder_type (self->draft);

  g_ptr_array_set_size (self->folder_choices, 0);
  for (guint i = 0; self->folders != NULL && i < self->folders->len; i++)
    {
      const MarketoFolder *folder = g_ptr_array_index (self->folders, i);

      if (folder->is_archive || folder->name == NULL)
        continue;
      g_ptr_array_add (self->folder_choices, marketo_folder_copy (folder));
    }
  g_ptr_array_sort (self->folder_choices, compare_folder_paths);

  if (current > 0 && folder_position (self, current, type) == GTK_INVALID_LIST_POSITION)
    {
      /* Not offered (unknown, archived, or not fetched yet): it stays, and the validator
       * says what is wrong with it. */
      const char *name = push_destination_get_list_folder_name (self->draft);
      MarketoFolder *kept = g_new0 (MarketoFolder, 1);

      kept->id = current;
      kept->type = g_strdup (*type != '\0' ? type : "Folder");
      kept->name = *name != '\0' ? g_strdup (name)
                                  /* Translators: a Marketo folder's id */
                                  : g_strdup_printf (_("Folder %" G_GINT64_FORMAT), current);
      kept->path = g_strdup (kept->name);
      g_ptr_array_add (self->folder_choices, kept);
    }

  for (guint i = 0; i < self->folder_choices->len; i++)
    {
      const MarketoFolder *folder = g_ptr_array_index (self->folder_choices, i);
      g_autofree char *label = folder_label (folder);

      gtk_string_list_append (labels, label);
    }

  set_combo_model (self->list_folder_row, labels, folder_position (self, current, type));
}

static void
fill_sample_row (PushDestinationEditor *self)
{
  GListModel *audiences = G_LIST_MODEL (push_application_get_audiences (self->app));
  g_autoptr(GtkStringList) labels = gtk_string_list_new (NULL);
  guint selected = 0;

  g_ptr_array_set_size (self->sample_ids, 0);
  gtk_string_list_append (labels, _("None"));
  g_ptr_array_add (self->sample_ids, NULL);

  for (guint i = 0; i < g_list_model_get_n_items (audiences); i++)
    {
      g_autoptr(PushAudienceEntry) entry = g_list_model_get_item (audiences, i);

      gtk_string_list_append (labels, push_audience_entry_get_name (entry));
      g_ptr_array_add (self->sample_ids, g_strdup (push_audience_entry_get_id (entry)));
      if (g_strcmp0 (self->sample_id, push_audience_entry_get_id (entry)) == 0)
        selected = i + 1;
    }

  set_combo_model (self->sample_row, labels, selected);
}

static void
fill_alerts (PushDestinationEditor *self)
{
  PushAlertFlags alerts = push_destination_get_alerts (self->draft);

  for (guint i = 0; i < G_N_ELEMENTS (alert_flags); i++)
    gtk_switch_set_active (self->alert_switches[i], (alerts & alert_flags[i]) != 0);
}

static void
update_visibility (PushDestinationEditor *self)
{
  PushSyncType sync_type = push_destination_get_sync_type (self->draft);
  PushListTargetKind kind = push_destination_get_list_target_kind (self->draft);
  gboolean profiles = push_sync_type_updates_profiles (sync_type);

  gtk_widget_set_visible (GTK_WIDGET (self->person_action_row), profiles);
  gtk_widget_set_visible (GTK_WIDGET (self->partition_box), profiles);
  gtk_widget_set_visible (GTK_WIDGET (self->list_section), push_sync_type_uses_list (sync_type));
  gtk_widget_set_visible (GTK_WIDGET (self->list_row), kind == PUSH_LIST_TARGET_EXISTING);
  gtk_widget_set_visible (GTK_WIDGET (self->list_reference_row), kind == PUSH_LIST_TARGET_EXISTING);
  gtk_widget_set_visible (GTK_WIDGET (self->list_template_row),
                          kind == PUSH_LIST_TARGET_CREATE_PER_AUDIENCE);
  gtk_widget_set_visible (GTK_WIDGET (self->list_clash_row),
                          kind == PUSH_LIST_TARGET_CREATE_PER_AUDIENCE);
  gtk_widget_set_visible (GTK_WIDGET (self->list_folder_row),
                          kind == PUSH_LIST_TARGET_CREATE_PER_AUDIENCE);
}

static void
fill_form (PushDestinationEditor *self)
{
  const char *name = push_destination_get_name (self->draft);
  const char *description = push_destination_get_description (self->draft);

  self->syncing = TRUE;

  if (g_strcmp0 (gtk_editable_get_text (GTK_EDITABLE (self->name_row)), name) != 0)
    gtk_editable_set_text (GTK_EDITABLE (self->name_row), name);
  if (g_strcmp0 (gtk_editable_get_text (GTK_EDITABLE (self->description_row)), description) != 0)
    gtk_editable_set_text (GTK_EDITABLE (self->description_row), description);
  fill_account_row (self);
  fill_sync_rows (self);
  _push_destination_editor_fill_partition_row (self);
  _push_destination_editor_fill_dedupe_row (self);
  _push_destination_editor_fill_list_rows (self);
  _push_destination_editor_fill_folder_row (self);
  fill_sample_row (self);
  fill_alerts (self);
  gtk_check_button_set_active (self->privacy_check,
                               push_destination_get_privacy_acknowledged (self->draft));
  update_visibility (self);

  self->syncing = FALSE;
}

/* Keeps the choosers' items in step with what the draft holds (a list id pasted, a field
 * the instance lacks…). */
static void
refresh_choices (PushDestinationEditor *self)
{
  self->syncing = TRUE;

  if (strv_position (self->partition_names, push_destination_get_partition (self->draft))
      == GTK_INVALID_LIST_POSITION)
    _push_destination_editor_fill_partition_row (self);
  if (strv_position (self->dedupe_names, push_destination_get_dedupe_field (self->draft))
      != adw_combo_row_get_selected (self->dedupe_row))
    _push_destination_editor_fill_dedupe_row (self);
  if (list_position (self, push_destination_get_list_id (self->draft))
      != adw_combo_row_get_selected (self->list_row))
    _push_destination_editor_fill_list_rows (self);
  if (folder_position (self, push_destination_get_list_folder_id (self->draft),
                       push_destination_get_list_folder_type (self->draft))
      != adw_combo_row_get_selected (self->list_folder_row))
    _push_destination_editor_fill_folder_row (self);
  fill_sync_rows (self);

  self->syncing = FALSE;
}

/* ---- Editing ---- */

static void
draft_changed_cb (PushDestinationEditor *self)
{
  g_autofree char *signature = NULL;

  if (self->syncing)
    return;

  self->dirty = TRUE;
  update_visibility (self);
  refresh_choices (self);

  signature = _push_destination_editor_scan_signature (self);
  if (g_strcmp0 (signature, self->scanned_for) != 0)
    {
      _push_destination_editor_drop_stale_scan_problems (self);
      g_free (self->scanned_for);
      self->scanned_for = g_steal_pointer (&signature);
      _push_destination_editor_schedule_scan (self);
    }

  _push_destination_editor_revalidate (self, FALSE);
}

static void
name_changed_cb (PushDestinationEditor *self,
                 GtkEditable           *editable)
{
  if (!self->syncing)
    push_destination_set_name (self->draft, gtk_editable_get_text (editable));
}

static void
description_changed_cb (PushDestinationEditor *self,
                        GtkEditable           *editable)
{
  if (!self->syncing)
    push_destination_set_description (self->draft, gtk_editable_get_text (editable));
}

static void
list_template_changed_cb (PushDestinationEditor *self,
                          GtkEditable           *editable)
{
  if (!self->syncing)
    push_destination_set_list_name_template (self->draft, gtk_editable_get_text (editable));
}

static void
list_reference_changed_cb (PushDestinationEditor *self,
                           GtkEditable           *editable)
{
  if (self->list_reference_error == NULL)
    return;

  g_clear_pointer (&self->list_reference_error, g_free);
  _push_destination_editor_revalidate (self, TRUE);
}

static void
list_reference_applied_cb (PushDestinationEditor *self,
                           AdwEntryRow           *row)
{
  g_autoptr(GError) error = NULL;
  const char *name = "";
  gint64 id = 0;

  if (!push_list_reference_parse (gtk_editable_get_text (GTK_EDITABLE (row)), &id, &error))
    {
      g_free (self->list_reference_error);
      self->list_reference_error = g_strdup (error->message);
      _push_destination_editor_revalidate (self, TRUE);
      return;
    }

  for (guint i = 0; self->lists != NULL && i < self->lists->len; i++)
    {
      const MarketoList *list = g_ptr_array_index (self->lists, i);

      if (list->id == id)
        name = list->name;
    }

  push_destination_set_existing_list (self->draft, id, name);
  gtk_editable_set_text (GTK_EDITABLE (row), "");
}

static void
entry_activated_cb (PushDestinationEditor *self)
{
  if (gtk_widget_is_sensitive (GTK_WIDGET (self->save_button)))
    gtk_widget_activate (GTK_WIDGET (self->save_button));
}

static void
combo_selected_cb (PushDestinationEditor *self,
                   GParamSpec            *pspec,
                   AdwComboRow           *row)
{
  guint selected = adw_combo_row_get_selected (row);

  if (self->syncing || selected == GTK_INVALID_LIST_POSITION)
    return;

  if (row == self->sync_type_row)
    push_destination_set_sync_type (self->draft, (PushSyncType) selected);
  else if (row == self->person_action_row)
    push_destination_set_person_action (self->draft, (PushPersonAction) selected);
  else if (row == self->partition_row)
    push_destination_set_partition (self->draft, self->partition_names[selected]);
  else if (row == self->dedupe_row)
    push_destination_set_dedupe_field (self->draft, self->dedupe_names[selected]);
  else if (row == self->list_kind_row)
    push_destination_set_list_target_kind (self->draft,
                                           selected == 0 ? PUSH_LIST_TARGET_EXISTING
                                                         : PUSH_LIST_TARGET_CREATE_PER_AUDIENCE);
  else if (row == self->list_row && selected < self->list_ids->len)
    {
      gint64 id = g_array_index (self->list_ids, gint64, selected);
      const char *name = "";

      for (guint i = 0; self->lists != NULL && i < self->lists->len; i++)
        {
          const MarketoList *list = g_ptr_array_index (self->lists, i);

          if (list->id == id)
            name = list->name;
        }
      if (id == push_destination_get_list_id (self->draft))
        name = push_destination_get_list_name (self->draft);
      push_destination_set_existing_list (self->draft, id, name);
    }
  else if (row == self->list_clash_row)
    push_destination_set_list_clash_policy (self->draft, (PushListClashPolicy) selected);
  else if (row == self->list_folder_row && selected < self->folder_choices->len)
    {
      const MarketoFolder *folder = g_ptr_array_index (self->folder_choices, selected);

      push_destination_set_list_folder (self->draft, folder->id, folder->type,
                                        folder->path != NULL ? folder->path : folder->name);
    }
}

static void
account_selected_cb (PushDestinationEditor *self,
                     GParamSpec            *pspec,
                     AdwComboRow           *row)
{
  PushAccount *account = adw_combo_row_get_selected_item (row);

  if (self->syncing || account == NULL)
    return;
  if (g_strcmp0 (push_account_get_id (account), push_destination_get_account_id (self->draft)) == 0)
    return;

  g_cancellable_cancel (self->refresh_cancellable);
  g_clear_object (&self->refresh_cancellable);
  g_clear_pointer (&self->instance_notice, g_free);

  push_destination_set_account_id (self->draft, push_account_get_id (account));
  _push_destination_editor_load_instance_data (self);
  _push_destination_editor_revalidate (self, TRUE);
  _push_destination_editor_schedule_scan (self);
  _push_destination_editor_refresh_if_stale (self);
}

static void
accounts_changed_cb (PushDestinationEditor *self)
{
  self->syncing = TRUE;
  fill_account_row (self);
  self->syncing = FALSE;

  _push_destination_editor_update_instance_row (self);
  _push_destination_editor_revalidate (self, TRUE);
}

static void
sample_selected_cb (PushDestinationEditor *self,
                    GParamSpec            *pspec,
                    AdwComboRow           *row)
{
  guint selected = adw_combo_row_get_selected (row);
  const char *id;

  if (self->syncing || selected >= self->sample_ids->len)
    return;

  id = g_ptr_array_index (self->sample_ids, selected);
  if (g_strcmp0 (id, self->sample_id) == 0)
    return;

  g_free (self->sample_id);
  self->sample_id = g_strdup (id);
  self->dirty = TRUE;

  g_clear_pointer (&self->sample_notice, g_free);
  g_clear_pointer (&self->scan_problems, g_ptr_array_unref);
  self->sample_failed = FALSE;
  _push_destination_editor_set_columns (self, NULL);
  _push_destination_editor_start_scan (self, TRUE);
  _push_destination_editor_revalidate (self, TRUE);
}

static void
audiences_changed_cb (PushDestinationEditor *self)
{
  if (self->sample_id != NULL && _push_destination_editor_get_sample (self) == NULL)
    {
      /* The sample was removed from the list. */
      g_clear_pointer (&self->sample_id, g_free);
      g_clear_pointer (&self->scan_problems, g_ptr_array_unref);
      g_clear_pointer (&self->sample_notice, g_free);
      _push_destination_editor_start_scan (self, TRUE);
      _push_destination_editor_set_columns (self, NULL);
      _push_destination_editor_revalidate (self, TRUE);
    }

  self->syncing = TRUE;
  fill_sample_row (self);
  self->syncing = FALSE;
}

static void
alert_switched_cb (GtkSwitch             *toggle,
                   GParamSpec            *pspec,
                   PushDestinationEditor *self)
{
  PushAlertFlags alerts = PUSH_ALERT_NONE;

  if (self->syncing)
    return;

  for (guint i = 0; i < G_N_ELEMENTS (alert_flags); i++)
    {
      if (gtk_switch_get_active (self->alert_switches[i]))
        alerts |= alert_flags[i];
    }
  push_destination_set_alerts (self->draft, alerts);
}

static void
privacy_toggled_cb (PushDestinationEditor *self,
                    GtkCheckButton        *check)
{
  gboolean active = gtk_check_button_get_active (check);

  if (!self->syncing && active != push_destination_get_privacy_acknowledged (self->draft))
    push_destination_set_privacy_acknowledged (self->draft, active);
}

static void
refresh_button_clicked_cb (PushDestinationEditor *self)
{
  _push_destination_editor_refresh_instance_data (self);
}

static void
problem_row_activated_cb (GtkListBox            *list,
                          GtkListBoxRow         *row,
                          PushDestinationEditor *self)
{
  Place place = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (row), "place"));
  GtkWidget *target = NULL;

  if (place == PLACE_MAPPING)
    target = GTK_WIDGET (self->mapping_editor);
  else if (place > PLACE_NONE && place < N_PLACES)
    target = self->feedback[place].row;

  if (target != NULL && gtk_widget_get_visible (target)
      && !gtk_widget_child_focus (target, GTK_DIR_TAB_FORWARD))
    gtk_widget_grab_focus (target);
}

/* ---- Saving and going back ---- */

static void
update_title (PushDestinationEditor *self)
{
  adw_window_title_set_title (self->window_title, self->is_new ? _("New Destination")
                                                               : _("Edit Destination"));
  adw_window_title_set_subtitle (self->window_title,
                                 self->saved != NULL ? push_destination_get_name (self->saved)
                                                     : NULL);
}

static void
save_sample_choice (PushDestinationEditor *self)
{
  g_autofree char *key = g_strconcat (SAMPLE_KEY_PREFIX, push_destination_get_id (self->draft),
                                      NULL);
  g_autoptr(GError) error = NULL;

  if (!push_store_set_value (push_application_get_store (self->app), key, self->sample_id,
                             &error))
    g_debug ("The sample audience was not kept: %s", error->message);
}

/* What the Save button does; Activate and Preview save through it too. FALSE when nothing
 * was saved: the form then says why at its top. */
gboolean
_push_destination_editor_save (PushDestinationEditor *self)
{
  PushDestinations *destinations = push_application_get_destinations (self->app);
  g_autoptr(PushDestination) copy = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;
  gboolean saved;

  if (!can_save (self))
    return FALSE;

  copy = push_destination_copy (self->draft);
  if (self->is_new)
    saved = push_destinations_add (destinations, copy, &error);
  else
    saved = push_destinations_update (destinations, copy, &error);

  if (!saved)
    {
      /* Translators: %s says why */
      message = g_strdup_printf (_("Nothing was saved. %s"), error->message);
      gtk_label_set_text (self->save_error_label, message);
      gtk_revealer_set_reveal_child (self->save_error_revealer, TRUE);
      gtk_adjustment_set_value (gtk_scrolled_window_get_vadjustment (self->scrolled_window), 0);
      return FALSE;
    }

  save_sample_choice (self);
  gtk_revealer_set_reveal_child (self->save_error_revealer, FALSE);
  self->is_new = FALSE;
  self->dirty = FALSE;
  g_set_object (&self->saved, copy);
  update_title (self);
  update_actions (self);

  /* Translators: %s is the name of a destination */
  message = g_strdup_printf (_("Destination “%s” saved"), push_destination_get_name (copy));
  add_toast (self, message);
  g_signal_emit (self, signals[SAVED], 0, copy);

  return TRUE;
}

static void
save_button_clicked_cb (PushDestinationEditor *self)
{
  _push_destination_editor_save (self);
}

static void
discard_response_cb (AdwMessageDialog      *dialog,
                     const char            *response,
                     PushDestinationEditor *self)
{
  g_signal_emit (self, signals[CLOSED], 0);
}

static void
back_button_clicked_cb (PushDestinationEditor *self)
{
  AdwMessageDialog *dialog;
  GtkRoot *root;

  if (!self->dirty)
    {
      g_signal_emit (self, signals[CLOSED], 0);
      return;
    }

  root = gtk_widget_get_root (GTK_WIDGET (self));
  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root)
                                                                            : NULL,
                                                       _("Discard Changes?"),
                                                       _("The changes to this destination "
                                                         "are not saved.")));
  adw_message_dialog_add_responses (dialog,
                                    "cancel", _("_Keep Editing"),
                                    "discard", _("_Discard"),
                                    NULL);
  adw_message_dialog_set_response_appearance (dialog, "discard", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (dialog, "cancel");
  adw_message_dialog_set_close_response (dialog, "cancel");
  g_signal_connect_object (dialog, "response::discard", G_CALLBACK (discard_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* ---- GObject ---- */

static gboolean
push_destination_editor_grab_focus (GtkWidget *widget)
{
  PushDestinationEditor *self = PUSH_DESTINATION_EDITOR (widget);

  return gtk_widget_grab_focus (GTK_WIDGET (self->name_row));
}

static void
push_destination_editor_get_property (GObject    *object,
                                      guint       prop_id,
                                      GValue     *value,
                                      GParamSpec *pspec)
{
  PushDestinationEditor *self = PUSH_DESTINATION_EDITOR (object);

  switch (prop_id)
    {
    case PROP_APPLICATION:
      g_value_set_object (value, self->app);
      break;
    case PROP_DESTINATION:
      g_value_set_object (value, self->draft);
      break;
    case PROP_IS_NEW:
      g_value_set_boolean (value, self->is_new);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
push_destination_editor_set_property (GObject      *object,
                                      guint         prop_id,
                                      const GValue *value,
                                      GParamSpec   *pspec)
{
  PushDestinationEditor *self = PUSH_DESTINATION_EDITOR (object);
  PushDestination *destination;

  switch (prop_id)
    {
    case PROP_APPLICATION:
      self->app = g_value_dup_object (value);
      break;
    case PROP_DESTINATION:
      destination = g_value_get_object (value);
      self->draft = destination != NULL ? push_destination_copy (destination) : NULL;
      break;
    case PROP_IS_NEW:
      self->is_new = g_value_get_boolean (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
push_destination_editor_constructed (GObject *object)
{
  PushDestinationEditor *self = PUSH_DESTINATION_EDITOR (object);
  PushAccounts *accounts;
  g_autoptr(GtkStringList) sync_types = gtk_string_list_new (NULL);
  g_autoptr(GtkStringList) clash = gtk_string_list_new (NULL);
  g_autoptr(GtkStringList) kinds = gtk_string_list_new (NULL);
  g_autoptr(GtkExpression) name = NULL;

  G_OBJECT_CLASS (push_destination_editor_parent_class)->constructed (object);

  g_assert (PUSH_IS_APPLICATION (self->app));
  accounts = get_accounts (self);
  g_assert (PUSH_IS_ACCOUNTS (accounts));

  if (self->draft == NULL)
    {
      g_autoptr(PushAccount) first = g_list_model_get_item (G_LIST_MODEL (accounts), 0);

      self->draft = push_destination_new ();
      self->is_new = TRUE;
      if (first != NULL)
        push_destination_set_account_id (self->draft, push_account_get_id (first));
    }
  if (!self->is_new)
    self->saved = push_destination_copy (self->draft);

  /* A saved destination remembers its sample audience. */
  {
    g_autofree char *key = g_strconcat (SAMPLE_KEY_PREFIX, push_destination_get_id (self->draft),
                                        NULL);

    self->sample_id = push_store_get_value (push_application_get_store (self->app), key, NULL);
    if (self->sample_id != NULL && _push_destination_editor_get_sample (self) == NULL)
      g_clear_pointer (&self->sample_id, g_free);
  }

  self->syncing = TRUE;

  for (PushSyncType t = PUSH_SYNC_TYPE_AUDIENCE_ONLY; t <= PUSH_SYNC_TYPE_AUDIENCE_AND_PROFILE; t++)
    gtk_string_list_append (sync_types, push_sync_type_get_label (t));
  adw_combo_row_set_model (self->sync_type_row, G_LIST_MODEL (sync_types));

  gtk_string_list_append (kinds, push_list_target_kind_get_label (PUSH_LIST_TARGET_EXISTING));
  gtk_string_list_append (kinds,
                          push_list_target_kind_get_label (PUSH_LIST_TARGET_CREATE_PER_AUDIENCE));
  adw_combo_row_set_model (self->list_kind_row, G_LIST_MODEL (kinds));

  gtk_string_list_append (clash, push_list_clash_policy_get_label (PUSH_LIST_CLASH_REUSE));
  gtk_string_list_append (clash, push_list_clash_policy_get_label (PUSH_LIST_CLASH_FAIL));
  adw_combo_row_set_model (self->list_clash_row, G_LIST_MODEL (clash));

  name = gtk_property_expression_new (PUSH_TYPE_ACCOUNT, NULL, "name");
  adw_combo_row_set_expression (self->account_row, name);
  adw_combo_row_set_model (self->account_row, G_LIST_MODEL (accounts));

  self->syncing = FALSE;

  update_title (self);
  push_mapping_editor_set_mapping (self->mapping_editor,
                                   push_destination_get_mapping (self->draft));
  fill_form (self);

  g_signal_connect_object (self->draft, "changed", G_CALLBACK (draft_changed_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (accounts, "items-changed", G_CALLBACK (accounts_changed_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (push_application_get_audiences (self->app), "items-changed",
                           G_CALLBACK (audiences_changed_cb), self, G_CONNECT_SWAPPED);

  self->scanned_for = _push_destination_editor_scan_signature (self);
  _push_destination_editor_load_instance_data (self);
  _push_destination_editor_revalidate (self, TRUE);
  _push_destination_editor_refresh_if_stale (self);
  if (self->sample_id != NULL)
    _push_destination_editor_start_scan (self, TRUE);

  self->fetched_timer_id = g_timeout_add_seconds (FETCHED_UPDATE_SECONDS,
                                                  _push_destination_editor_fetched_timer_cb, self);
}

/* Taken off the window (Back, another page, the window closing): its work stops there, as
 * its async calls hold a reference that would keep it (and its API calls) going till the end. */
static void
push_destination_editor_unroot (GtkWidget *widget)
{
  g_cancellable_cancel (PUSH_DESTINATION_EDITOR (widget)->cancellable);

  GTK_WIDGET_CLASS (push_destination_editor_parent_class)->unroot (widget);
}

static void
push_destination_editor_dispose (GObject *object)
{
  PushDestinationEditor *self = PUSH_DESTINATION_EDITOR (object);

  g_cancellable_cancel (self->cancellable);
  g_cancellable_cancel (self->refresh_cancellable);
  g_cancellable_cancel (self->scan_cancellable);
  g_clear_object (&self->refresh_cancellable);
  g_clear_object (&self->scan_cancellable);
  g_clear_object (&self->refresh_client);
  g_clear_handle_id (&self->show_problems_id, g_source_remove);
  g_clear_handle_id (&self->scan_id, g_source_remove);
  g_clear_handle_id (&self->fetched_timer_id, g_source_remove);

  if (self->draft != NULL)
    g_signal_handlers_disconnect_by_data (self->draft, self);

  gtk_widget_dispose_template (GTK_WIDGET (self), PUSH_TYPE_DESTINATION_EDITOR);

  g_clear_object (&self->draft);
  g_clear_object (&self->saved);
  g_clear_object (&self->validator);
  g_clear_object (&self->app);

  G_OBJECT_CLASS (push_destination_editor_parent_class)->dispose (object);
}

static void
push_destination_editor_finalize (GObject *object)
{
  PushDestinationEditor *self = PUSH_DESTINATION_EDITOR (object);

  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->schema, marketo_lead_schema_free);
  g_clear_pointer (&self->partitions, g_ptr_array_unref);
  g_clear_pointer (&self->lists, g_ptr_array_unref);
  g_clear_pointer (&self->folders, g_ptr_array_unref);
  g_clear_pointer (&self->folder_choices, g_ptr_array_unref);
  g_clear_pointer (&self->fetched, g_date_time_unref);
  g_free (self->instance_notice);
  g_strfreev (self->partition_names);
  g_strfreev (self->dedupe_names);
  g_clear_pointer (&self->list_ids, g_array_unref);
  g_clear_pointer (&self->sample_ids, g_ptr_array_unref);
  g_free (self->sample_id);
  g_strfreev (self->columns);
  g_free (self->sample_notice);
  g_clear_pointer (&self->problems, g_ptr_array_unref);
  g_clear_pointer (&self->scan_problems, g_ptr_array_unref);
  g_free (self->scanned_for);
  g_free (self->name_taken);
  g_free (self->list_reference_error);
  g_clear_pointer (&self->shown_keys, g_hash_table_unref);

  G_OBJECT_CLASS (push_destination_editor_parent_class)->finalize (object);
}

static void
push_destination_editor_class_init (PushDestinationEditorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->get_property = push_destination_editor_get_property;
  object_class->set_property = push_destination_editor_set_property;
  object_class->constructed = push_destination_editor_constructed;
  object_class->dispose = push_destination_editor_dispose;
  GTK_WIDGET_CLASS (klass)->unroot = push_destination_editor_unroot;
  object_class->finalize = push_destination_editor_finalize;

  widget_class->grab_focus = push_destination_editor_grab_focus;

  properties[PROP_APPLICATION] =
    g_param_spec_object ("application", NULL, NULL, PUSH_TYPE_APPLICATION,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_DESTINATION] =
    g_param_spec_object ("destination", NULL, NULL, PUSH_TYPE_DESTINATION,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_IS_NEW] =
    g_param_spec_boolean ("is-new", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * PushDestinationEditor::saved:
   * @destination: the destination as saved
   */
  signals[SAVED] = g_signal_new ("saved", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                 0, NULL, NULL, NULL, G_TYPE_NONE, 1, PUSH_TYPE_DESTINATION);
  signals[CLOSED] = g_signal_new ("closed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  /* Named for the window: the activation pipeline takes it over. */
  gtk_widget_class_install_action (widget_class, "win.activate-destination", NULL,
                                   _push_destination_editor_activate);
  /* Not "win.preview-destination": that is the window's, which this one ends in. */
  gtk_widget_class_install_action (widget_class, "editor.preview", NULL,
                                   _push_destination_editor_preview);

  g_type_ensure (PUSH_TYPE_MAPPING_EDITOR);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PREFIX "/push-destination-editor.ui");
  gtk_widget_class_bind_template_child (widget_class, PushDestinationEditor, window_title);
  gtk_widget_class_bind_template_child (widget_class, PushDestinationEditor, back_button);
  gtk_widget_class_bind_template_child (widget_class, PushDestinationEditor, activate_button);
  gtk_widget_class_bind_template_child (widget_class, PushDestinationEditor, preview_button);
  gtk_widget_class_bind_template_child (widget_class, PushDestinationEditor, save_button);
  gtk_widget_class_bind_template_child (widget_class, PushDestinationEditor, scrolled_window);
  gtk_widget_class_bind_template_child (widget_class, PushDestinationEditor, save_error_revealer);
  gtk_widget_class_bind_template_child (widget_class, PushDestinationEditor, save_error_label);
  gtk_widget_class_bind_template_child (widget_class, PushDestinationEditor, problems_box);
  gtk_widget_class_bind_template_child (widget_class, PushDestinationEditor, problems_title);
  gtk_widget_class_bind_template_child (widget_class, PushDestinationEditor, problems_list);
  gtk_widget_class_bind_template_child (widget_class, PushDestinationEditor, name_row);
  gtk_widget_class_bind_template_child (widget_class, PushDestinationEditor, name_caption);
  gtk_widget_class_bind_template_child (widget_class, PushDestinationEditor, description_row);
  gtk_widget_class_bind_template_child (widget_class, PushDestinationEditor, account_row);
  gtk_widget_class_bind_template_child (widget_class, PushDestinationEditor, account_caption);
  gtk_widget_class_bind_template_child (widget_class, PushDestinationEditor, instance_row);
  gtk_widget_class_bind_template_child (widget_class, PushDestinationEditor, refresh_spinner);
  gtk_widget_class_bind_template_child (widget_class, PushDestinationEditor, refresh_button);
  gtk_widget_class_bind_template_child (widget_class, PushDestinationEditor, instance_caption);
  gtk_widget_class_bind_template_child (widget_class, PushDestinationEditor, sync_type_row);
  gtk_widget_class_bind_template_child (widget_class, PushDestinationEditor, person_action_row);
  gtk_widget_class_bind_template_child (widget_class, PushDestinationEditor, partition_box);
  gtk_widget_class_bind_template_child (widget_class, PushDestinationEditor, partition_row);
  gtk_widget_class_bind_template_child (widget_class, PushDestinationEditor, partition_caption);
  gtk_widget_class_bind_template_child (widget_class, PushDestinationEditor, dedupe_row);
  gtk_widget_class_bind_template_child (widget_class, PushDestinationEditor, dedupe_caption);
  gtk_widget_class_bind_template_child (widget_class, PushDestinationEditor, list_section);
  gtk_widget_class_bind_template_child (widget_class, PushDestinationEditor, list_kind_row);
  gtk_widget_class_bind_template_child (widget_class, PushDestinationEditor, list_row);
  gtk_widget_class_bind_template_child (widget_class, PushDestinationEditor, list_reference_row);
  gtk_widget_class_bind_template_child (widget_class, PushDestinationEditor, list_template_row);
  gtk_widget_class_bind_template_child (widget_class, PushDestinationEditor, list_clash_row);
  gtk_widget_class_bind_template_child (widget_class, PushDestinationEditor, list_caption);
  gtk_widget_class_bind_template_child (widget_class, PushDestinationEditor, list_folder_row);
  gtk_widget_class_bind_template_child (widget_class, PushDestinationEditor, list_folder_caption);
  gtk_widget_class_bind_template_child (widget_class, PushDestinationEditor, sample_row);
  gtk_widget_class_bind_template_child (widget_class, PushDestinationEditor, sample_caption);
  gtk_widget_class_bind_template_child (widget_class, PushDestinationEditor, mapping_editor);
  gtk_widget_class_bind_template_child (widget_class, PushDestinationEditor, alerts_list);
  gtk_widget_class_bind_template_child (widget_class, PushDestinationEditor, privacy_row);
  gtk_widget_class_bind_template_child (widget_class, PushDestinationEditor, privacy_check);
  gtk_widget_class_bind_template_child (widget_class, PushDestinationEditor, privacy_caption);
  gtk_widget_class_bind_template_callback (widget_class, back_button_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, save_button_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, name_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, description_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, entry_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, account_selected_cb);
  gtk_widget_class_bind_template_callback (widget_class, combo_selected_cb);
  gtk_widget_class_bind_template_callback (widget_class, refresh_button_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, list_reference_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, list_reference_applied_cb);
  gtk_widget_class_bind_template_callback (widget_class, list_template_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, sample_selected_cb);
  gtk_widget_class_bind_template_callback (widget_class, privacy_toggled_cb);
  gtk_widget_class_bind_template_callback (widget_class, problem_row_activated_cb);
}

static void
set_feedback (PushDestinationEditor *self,
              Place                  place,
              GtkWidget             *row,
              GtkLabel              *caption)
{
  self->feedback[place].row = row;
  self->feedback[place].caption = caption;
}

static void
push_destination_editor_init (PushDestinationEditor *self)
{
  g_autoptr(GtkStringList) actions = gtk_string_list_new (NULL);

  self->syncing = TRUE;
  gtk_widget_init_template (GTK_WIDGET (self));

  self->cancellable = g_cancellable_new ();
  self->validator = push_validator_new (NULL);
  self->list_ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  self->sample_ids = g_ptr_array_new_with_free_func (g_free);
  self->folder_choices = g_ptr_array_new_with_free_func ((GDestroyNotify) marketo_folder_free);

  set_feedback (self, PLACE_NAME, GTK_WIDGET (self->name_row), self->name_caption);
  set_feedback (self, PLACE_ACCOUNT, GTK_WIDGET (self->account_row), self->account_caption);
  set_feedback (self, PLACE_INSTANCE, GTK_WIDGET (self->instance_row), self->instance_caption);
  set_feedback (self, PLACE_PARTITION, GTK_WIDGET (self->partition_row), self->partition_caption);
  set_feedback (self, PLACE_DEDUPE, GTK_WIDGET (self->dedupe_row), self->dedupe_caption);
  set_feedback (self, PLACE_LIST, GTK_WIDGET (self->list_kind_row), self->list_caption);
  set_feedback (self, PLACE_FOLDER, GTK_WIDGET (self->list_folder_row),
                self->list_folder_caption);
  set_feedback (self, PLACE_SAMPLE, GTK_WIDGET (self->sample_row), self->sample_caption);
  set_feedback (self, PLACE_PRIVACY, GTK_WIDGET (self->privacy_row), self->privacy_caption);

  /* Each row is described by the caption under it. */
  for (Place place = PLACE_NAME; place < N_PLACES; place++)
    {
      if (self->feedback[place].caption != NULL)
        gtk_accessible_update_relation (GTK_ACCESSIBLE (self->feedback[place].row),
                                        GTK_ACCESSIBLE_RELATION_DESCRIBED_BY,
                                        self->feedback[place].caption, NULL,
                                        -1);
    }

  /* The words for the two person actions, in the enum's order. */
  gtk_string_list_append (actions, push_person_action_get_label (PUSH_PERSON_ACTION_UPDATE_ONLY));
  gtk_string_list_append (actions,
                          push_person_action_get_label (PUSH_PERSON_ACTION_CREATE_OR_UPDATE));
  adw_combo_row_set_model (self->person_action_row, G_LIST_MODEL (actions));

  for (guint i = 0; i < G_N_ELEMENTS (alert_flags); i++)
    {
      GtkWidget *row = adw_action_row_new ();
      GtkWidget *toggle = gtk_switch_new ();

      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row),
                                     push_alert_flags_get_label (alert_flags[i]));
      gtk_widget_set_valign (toggle, GTK_ALIGN_CENTER);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), toggle);
      adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), toggle);
      g_signal_connect (toggle, "notify::active", G_CALLBACK (alert_switched_cb), self);
      gtk_list_box_append (self->alerts_list, row);
      self->alert_switches[i] = GTK_SWITCH (toggle);
    }

  self->syncing = FALSE;
}

GtkWidget *
push_destination_editor_new (PushApplication *app,
                             PushDestination *destination,
                             gboolean         is_new)
{
  g_return_val_if_fail (PUSH_IS_APPLICATION (app), NULL);
  g_return_val_if_fail (!destination || PUSH_IS_DESTINATION (destination), NULL);

  return g_object_new (PUSH_TYPE_DESTINATION_EDITOR,
                       "application", app,
                       "destination", destination,
                       "is-new", is_new,
                       NULL);
}

PushDestination *
push_destination_editor_get_destination (PushDestinationEditor *self)
{
  g_return_val_if_fail (PUSH_IS_DESTINATION_EDITOR (self), NULL);

  return self->draft;
}

gboolean
push_destination_editor_get_is_new (PushDestinationEditor *self)
{
  g_return_val_if_fail (PUSH_IS_DESTINATION_EDITOR (self), FALSE);

  return self->is_new;
}

GPtrArray *
push_destination_editor_get_problems (PushDestinationEditor *self)
{
  g_return_val_if_fail (PUSH_IS_DESTINATION_EDITOR (self), NULL);

  return self->problems;
}

gboolean
push_destination_editor_get_busy (PushDestinationEditor *self)
{
  g_return_val_if_fail (PUSH_IS_DESTINATION_EDITOR (self), FALSE);

  return self->refresh_cancellable != NULL || self->scan_cancellable != NULL
         || self->scan_id != 0;
}
