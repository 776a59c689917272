/* push-cli-destinations.c: "audience-push-cli destinations add|list|show|export|import|remove"
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A destination is judged by PushValidator, as in the application, against the fields,
 * partitions and lists of its account's Marketo instance (see push-cli-validate.h): "add"
 * refuses to save one with errors and prints every problem, one per line ("error: …",
 * "warning: …", "info: …") on stderr. Exported documents are the model's own format
 * (push_destination_export()).
 */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "push-cli-audiences.h"
#include "push-cli-destinations.h"
#include "push-cli-validate.h"
#include "push-list-reference.h"

static const char * const name_arg[] = { N_("NAME"), NULL };
static const char * const file_arg[] = { N_("FILE"), NULL };

/* The words of --alerts, in the order they are shown. */
static const struct {
  const char     *word;
  PushAlertFlags  flag;
} alert_words[] = {
  { "completed", PUSH_ALERT_ON_COMPLETION },
  { "rejections", PUSH_ALERT_ON_COMPLETION_WITH_REJECTIONS },
  { "failed", PUSH_ALERT_ON_FAILURE },
  { "quota", PUSH_ALERT_ON_QUOTA_PAUSE },
};

/* ---- Option values ---- */

static gboolean
parse_sync_type (const char    *text,
                 PushSyncType  *out_value,
                 GError       **error)
{
  if (g_str_equal (text, "audience"))
    *out_value = PUSH_SYNC_TYPE_AUDIENCE_ONLY;
  else if (g_str_equal (text, "profile"))
    *out_value = PUSH_SYNC_TYPE_PROFILE_ONLY;
  else if (!push_sync_type_from_string (text, out_value))
    {
      g_set_error (error, PUSH_CLI_ERROR, PUSH_CLI_ERROR_USAGE,
                   /* Translators: do not translate the values */
                   _("--sync-type must be audience, profile or audience-and-profile, not \"%s\""),
                   text);
      return FALSE;
    }

  return TRUE;
}

static gboolean
parse_person_action (const char        *text,
                     PushPersonAction  *out_value,
                     GError           **error)
{
  if (!push_person_action_from_string (text, out_value))
    {
      g_set_error (error, PUSH_CLI_ERROR, PUSH_CLI_ERROR_USAGE,
                   /* Translators: do not translate the values */
                   _("--person-action must be update-only or create-or-update, not \"%s\""),
                   text);
      return FALSE;
    }

  return TRUE;
}

static gboolean
parse_clash_policy (const char           *text,
                    PushListClashPolicy  *out_value,
                    GError              **error)
{
  if (g_str_equal (text, "reuse"))
    *out_value = PUSH_LIST_CLASH_REUSE;
  else if (g_str_equal (text, "fail"))
    *out_value = PUSH_LIST_CLASH_FAIL;
  else
    {
      g_set_error (error, PUSH_CLI_ERROR, PUSH_CLI_ERROR_USAGE,
                   /* Translators: do not translate the values */
                   _("--on-list-clash must be reuse or fail, not \"%s\""), text);
      return FALSE;
    }

  return TRUE;
}

/* "completed,rejections,failed,quota", "all" or "none" */
static gboolean
parse_alerts (const char      *text,
              PushAlertFlags  *out_value,
              GError         **error)
{
  g_auto(GStrv) words = g_strsplit (text, ",", -1);
  PushAlertFlags alerts = PUSH_ALERT_NONE;
  guint n_words = 0;
  gboolean none = FALSE;

  for (guint i = 0; words[i] != NULL; i++)
    {
      const char *word = g_strstrip (words[i]);
      gboolean known = FALSE;

      if (*word == '\0')
        continue;
      n_words++;
      if (g_str_equal (word, "none"))
        {
          none = TRUE;
          continue;
        }
      if (g_str_equal (word, "all"))
        {
          alerts |= PUSH_ALERT_ALL;
          continue;
        }
      for (gsize j = 0; j < G_N_ELEMENTS (alert_words); j++)
        if (g_str_equal (word, alert_words[j].word))
          {
            alerts |= alert_words[j].flag;
            known = TRUE;
          }
      if (!known)
        {
          g_set_error (error, PUSH_CLI_ERROR, PUSH_CLI_ERROR_USAGE,
                       /* Translators: do not translate the words of the list */
                       _("--alerts takes words from completed, rejections, failed, quota (or "
                         "all, or none), separated by commas, not \"%s\""), word);
          return FALSE;
        }
    }

  if (n_words == 0 || (none && n_words > 1))
    {
      g_set_error_literal (error, PUSH_CLI_ERROR, PUSH_CLI_ERROR_USAGE,
                           _("--alerts takes words from completed, rejections, failed, quota, "
                             "or none alone"));
      return FALSE;
    }

  *out_value = alerts;
  return TRUE;
}

/* "COLUMN=FIELD": the field is after the last "=", as REST field names never hold one. */
static gboolean
add_map_rows (PushMapping  *mapping,
              char        **maps,
              GError      **error)
{
  for (guint i = 0; maps != NULL && maps[i] != NULL; i++)
    {
      const char *equals = strrchr (maps[i], '=');
      g_autofree char *column = NULL;
      g_autofree char *field = NULL;

      if (equals != NULL)
        {
          column = g_strstrip (g_strndup (maps[i], equals - maps[i]));
          field = g_strstrip (g_strdup (equals + 1));
        }
      if (column == NULL || *column == '\0' || *field == '\0')
        {
          g_set_error (error, PUSH_CLI_ERROR, PUSH_CLI_ERROR_USAGE,
                       _("--map takes COLUMN=FIELD (an audience column, then a Marketo field "
                         "by its REST name), not \"%s\""), maps[i]);
          return FALSE;
        }
      push_mapping_add_row (mapping, column, field);
    }

  return TRUE;
}

/* ---- Output ---- */

static const char *
account_name_for (PushAccounts    *accounts,
                  PushDestination *destination)
{
  PushAccount *account = push_accounts_find_by_id (accounts,
                                                   push_destination_get_account_id (destination));

  return account != NULL ? push_account_get_name (account) : "";
}

/* The JSON of a command's result: the export document, and the problems when given. */
static JsonNode *
result_to_json (PushDestination *destination,
                const char      *account_name,
                gboolean         saved,
                GPtrArray       *problems)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "saved");
  json_builder_add_boolean_value (builder, saved);
  json_builder_set_member_name (builder, "destination");
  json_builder_add_value (builder, push_destination_to_json (destination, account_name));
  json_builder_set_member_name (builder, "problems");
  json_builder_add_value (builder, push_problems_to_json (problems));
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}

static char *
describe_alerts (PushAlertFlags alerts)
{
  g_autoptr(GString) out = g_string_new (NULL);

  for (gsize i = 0; i < G_N_ELEMENTS (alert_words); i++)
    if ((alerts & alert_words[i].flag) != 0)
      {
        if (out->len > 0)
          g_string_append (out, ", ");
        g_string_append (out, push_alert_flags_get_label (alert_words[i].flag));
      }
  if (out->len == 0)
    g_string_append (out, _("none"));

  return g_string_free (g_steal_pointer (&out), FALSE);
}

static char *
describe_list (PushDestination *destination)
{
  switch (push_destination_get_list_target_kind (destination))
    {
    case PUSH_LIST_TARGET_EXISTING:
      if (*push_destination_get_list_name (destination) != '\0')
        /* Translators: a static list's name, then its id */
        return g_strdup_printf (_("“%s” (%" G_GINT64_FORMAT ")"),
                                push_destination_get_list_name (destination),
                                push_destination_get_list_id (destination));
      /* Translators: a static list's id */
      return g_strdup_printf (_("list %" G_GINT64_FORMAT),
                              push_destination_get_list_id (destination));

    case PUSH_LIST_TARGET_CREATE_PER_AUDIENCE:
      /* Translators: a list name template like “{audience} {date}”, then what happens when
       * a list of that name exists, like “Reuse the existing list” */
      return g_strdup_printf (_("a new list for each audience, named “%s”; on a name clash: %s"),
                              push_destination_get_list_name_template (destination),
                              push_list_clash_policy_get_label (
                                push_destination_get_list_clash_policy (destination)));

    case PUSH_LIST_TARGET_NONE:
    default:
      return g_strdup (push_list_target_kind_get_label (PUSH_LIST_TARGET_NONE));
    }
}

static void
print_line (const char *label,
            const char *value)
{
  g_print ("  %s %s\n", label, value);
}

/* "/Marketing Activities/Default/Audiences (folder 12)", from the instance's folders when
 * known, else from the name the destination keeps. */
static char *
describe_list_folder (PushDestination *destination,
                      PushCliInstance *instance)
{
  gint64 folder_id = push_destination_get_list_folder_id (destination);
  const char *type = push_destination_get_list_folder_type (destination);
  const char *name = push_destination_get_list_folder_name (destination);
  const MarketoFolder *folder = NULL;
  const char *kind;

  if (folder_id <= 0)
    return g_strdup (_("none chosen"));
  if (instance != NULL && instance->folders != NULL)
    folder = marketo_folders_find_by_id (instance->folders, folder_id, type);
  if (folder != NULL && folder->path != NULL)
    name = folder->path;
  kind = g_str_equal (type, "Program") ? _("program") : _("folder");
  if (*name == '\0')
    /* Translators: “folder” or “program”, then its Marketo id */
    return g_strdup_printf (_("%s %" G_GINT64_FORMAT), kind, folder_id);
  /* Translators: a folder's name or path, “folder” or “program”, then its Marketo id */
  return g_strdup_printf (_("%s (%s %" G_GINT64_FORMAT ")"), name, kind, folder_id);
}

static void
print_destination (PushDestination *destination,
                   const char      *account_name,
                   PushCliInstance *instance,
                   GPtrArray       *problems)
{
  PushMapping *mapping = push_destination_get_mapping (destination);
  PushSyncType sync_type = push_destination_get_sync_type (destination);
  GDateTime *acknowledged_at = push_destination_get_privacy_acknowledged_at (destination);
  g_autofree char *account = NULL;
  g_autofree char *alerts = describe_alerts (push_destination_get_alerts (destination));
  g_autofree char *list = describe_list (destination);
  g_autofree char *privacy = NULL;
  const char *partition = push_destination_get_partition (destination);

  if (*account_name != '\0')
    account = g_strdup_printf ("%s (%s)", account_name,
                               push_destination_get_account_id (destination));
  else
    /* Translators: an account id that matches no account */
    account = g_strdup_printf (_("%s (not found)"), push_destination_get_account_id (destination));
  if (acknowledged_at != NULL)
    {
      g_autofree char *when = g_date_time_format_iso8601 (acknowledged_at);

      /* Translators: a date and time */
      privacy = g_strdup_printf (_("acknowledged on %s"), when);
    }
  else
    privacy = g_strdup (_("not acknowledged"));

  g_print ("%s\n", push_destination_get_name (destination));
  print_line (_("ID:"), push_destination_get_id (destination));
  if (*push_destination_get_description (destination) != '\0')
    print_line (_("Description:"), push_destination_get_description (destination));
  print_line (_("Account:"), account);
  print_line (_("Sync type:"), push_sync_type_get_label (sync_type));
  if (push_sync_type_updates_profiles (sync_type))
    {
      print_line (_("Person action:"),
                  push_person_action_get_label (push_destination_get_person_action (destination)));
      print_line (_("Partition:"), *partition != '\0' ? partition
                                                       : PUSH_DESTINATION_DEFAULT_PARTITION);
    }
  print_line (_("Dedupe field:"), push_destination_get_dedupe_field (destination));
  print_line (_("Static list:"), list);
  if (push_destination_get_list_target_kind (destination) == PUSH_LIST_TARGET_CREATE_PER_AUDIENCE)
    {
      g_autofree char *folder = describe_list_folder (destination, instance);

      print_line (_("List folder:"), folder);
    }
  print_line (_("Alerts:"), alerts);
  print_line (_("Data privacy:"), privacy);

  g_print ("  %s\n", _("Mapping:"));
  /* Translators: an audience column, then the Marketo field it goes to */
  g_print ("    %s → %s (%s)\n", push_mapping_get_identity_column (mapping),
           push_mapping_get_identity_field (mapping), _("identity"));
  for (guint i = 0; i < push_mapping_get_n_rows (mapping); i++)
    {
      const PushMappingRow *row = push_mapping_get_row (mapping, i);

      g_print ("    %s → %s\n", row->column, row->field);
    }

  if (problems == NULL)
    return;
  if (problems->len == 0)
    {
      g_print ("  %s %s\n", _("Problems:"), _("none"));
      return;
    }
  g_print ("  %s\n", _("Problems:"));
  for (guint i = 0; i < problems->len; i++)
    {
      const PushProblem *problem = g_ptr_array_index (problems, i);

      g_print ("    %s: %s\n", push_problem_severity_to_string (problem->severity),
               problem->message);
    }
}

/* ---- add ---- */

/* --list-folder: a folder id, or a folder name (or path) looked up in the instance's folders.
 * An id the instance does not have is kept: the validator then reports it. */
static gboolean
resolve_list_folder (PushDestination  *destination,
                     PushCliInstance  *instance,
                     const char       *text,
                     const char       *account_name,
                     GError          **error)
{
  g_autoptr(GPtrArray) matches = NULL;
  const MarketoFolder *folder;
  guint64 folder_id;

  if (g_ascii_string_to_unsigned (text, 10, 1, G_MAXINT64, &folder_id, NULL))
    {
      folder = instance->folders != NULL
               ? marketo_folders_find_by_id (instance->folders, folder_id, NULL) : NULL;
      if (folder != NULL)
        push_destination_set_list_folder (destination, folder->id, folder->type, folder->name);
      else
        push_destination_set_list_folder (destination, folder_id, "Folder", "");
      return TRUE;
    }

  if (instance->folders == NULL)
    {
      g_set_error (error, PUSH_CLI_ERROR, PUSH_CLI_ERROR_FAILED,
                   _("--list-folder: the folders of account \"%s\" are not known yet; give "
                     "the folder's id, or run without --offline"), account_name);
      return FALSE;
    }

  matches = g_ptr_array_new ();
  for (guint i = 0; i < instance->folders->len; i++)
    {
      MarketoFolder *candidate = g_ptr_array_index (instance->folders, i);

      if (g_strcmp0 (candidate->name, text) == 0 || g_strcmp0 (candidate->path, text) == 0)
        g_ptr_array_add (matches, candidate);
    }
  if (matches->len == 0)
    {
      g_set_error (error, PUSH_CLI_ERROR, PUSH_CLI_ERROR_FAILED,
                   _("--list-folder: account \"%s\" has no folder named \"%s\""),
                   account_name, text);
      return FALSE;
    }
  if (matches->len > 1)
    {
      g_autoptr(GString) candidates = g_string_new (NULL);

      for (guint i = 0; i < matches->len; i++)
        {
          folder = g_ptr_array_index (matches, i);
          g_string_append_printf (candidates, "%s%" G_GINT64_FORMAT " (%s)", i > 0 ? ", " : "",
                                  folder->id, folder->path != NULL ? folder->path : folder->name);
        }
      /* Translators: a folder name, then a list like “12 (/Marketing Activities/…), 21 (…)” */
      g_set_error (error, PUSH_CLI_ERROR, PUSH_CLI_ERROR_FAILED,
                   _("--list-folder: several folders are named \"%s\": %s; give the id or the "
                     "path of one"), text, candidates->str);
      return FALSE;
    }

  folder = g_ptr_array_index (matches, 0);
  push_destination_set_list_folder (destination, folder->id, folder->type, folder->name);
  return TRUE;
}

typedef struct {
  char    *name;
  char    *account;
  char    *sync_type;
  char    *person_action;
  char    *partition;
  char    *dedupe_field;
  char    *list;
  char    *create_list;
  char    *on_list_clash;
  char    *list_folder;
  char    *identity;
  char   **maps;
  char    *description;
  char    *alerts;
  char    *audience;
  char    *format;
  char    *delimiter;
  gboolean privacy_acknowledged;
  gboolean offline;
  gboolean json;
} AddOptions;

static void
add_options_clear (AddOptions *options)
{
  g_clear_pointer (&options->name, g_free);
  g_clear_pointer (&options->account, g_free);
  g_clear_pointer (&options->sync_type, g_free);
  g_clear_pointer (&options->person_action, g_free);
  g_clear_pointer (&options->partition, g_free);
  g_clear_pointer (&options->dedupe_field, g_free);
  g_clear_pointer (&options->list, g_free);
  g_clear_pointer (&options->create_list, g_free);
  g_clear_pointer (&options->on_list_clash, g_free);
  g_clear_pointer (&options->list_folder, g_free);
  g_clear_pointer (&options->identity, g_free);
  g_clear_pointer (&options->maps, g_strfreev);
  g_clear_pointer (&options->description, g_free);
  g_clear_pointer (&options->alerts, g_free);
  g_clear_pointer (&options->audience, g_free);
  g_clear_pointer (&options->format, g_free);
  g_clear_pointer (&options->delimiter, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (AddOptions, add_options_clear)

/* Everything the options say, checked for usage errors; the instance is not consulted. */
static PushDestination *
destination_from_options (const AddOptions  *o,
                          GError           **error)
{
  g_autoptr(PushDestination) destination = push_destination_new ();
  PushMapping *mapping = push_destination_get_mapping (destination);
  PushSyncType sync_type;

  if (o->name == NULL || o->account == NULL || o->sync_type == NULL ||
      o->dedupe_field == NULL || o->identity == NULL)
    {
      const char *missing = o->name == NULL ? "--name"
                            : o->account == NULL ? "--account"
                            : o->sync_type == NULL ? "--sync-type"
                            : o->dedupe_field == NULL ? "--dedupe-field" : "--identity";

      g_set_error (error, PUSH_CLI_ERROR, PUSH_CLI_ERROR_USAGE,
                   _("the option %s is required"), missing);
      return NULL;
    }

  if (!parse_sync_type (o->sync_type, &sync_type, error))
    return NULL;
  push_destination_set_sync_type (destination, sync_type);

  if (o->person_action != NULL)
    {
      PushPersonAction action;

      if (sync_type == PUSH_SYNC_TYPE_AUDIENCE_ONLY)
        {
          g_set_error_literal (error, PUSH_CLI_ERROR, PUSH_CLI_ERROR_USAGE,
                               _("--person-action does not apply to --sync-type audience: "
                                 "nobody is created or updated, people are only looked up"));
          return NULL;
        }
      if (!parse_person_action (o->person_action, &action, error))
        return NULL;
      push_destination_set_person_action (destination, action);
    }

  if (o->list != NULL && o->create_list != NULL)
    {
      g_set_error_literal (error, PUSH_CLI_ERROR, PUSH_CLI_ERROR_USAGE,
                           _("give either --list or --create-list, not both"));
      return NULL;
    }
  if (o->on_list_clash != NULL && o->create_list == NULL)
    {
      g_set_error_literal (error, PUSH_CLI_ERROR, PUSH_CLI_ERROR_USAGE,
                           _("--on-list-clash goes with --create-list"));
      return NULL;
    }
  if (o->list != NULL)
    {
      g_autoptr(GError) local_error = NULL;
      gint64 list_id;

      if (!push_list_reference_parse (o->list, &list_id, &local_error))
        {
          g_set_error (error, PUSH_CLI_ERROR, PUSH_CLI_ERROR_USAGE, "--list: %s",
                       local_error->message);
          return NULL;
        }
      push_destination_set_list_target_kind (destination, PUSH_LIST_TARGET_EXISTING);
      push_destination_set_existing_list (destination, list_id, "");
    }
  else if (o->create_list != NULL)
    {
      PushListClashPolicy policy = PUSH_LIST_CLASH_REUSE;

      if (o->on_list_clash != NULL && !parse_clash_policy (o->on_list_clash, &policy, error))
        return NULL;
      push_destination_set_list_target_kind (destination, PUSH_LIST_TARGET_CREATE_PER_AUDIENCE);
      push_destination_set_list_name_template (destination, o->create_list);
      push_destination_set_list_clash_policy (destination, policy);
    }
  else if (!push_sync_type_uses_list (sync_type))
    push_destination_set_list_target_kind (destination, PUSH_LIST_TARGET_NONE);
  /* else: the default, a new list for each audience */

  if (o->list_folder != NULL &&
      push_destination_get_list_target_kind (destination) != PUSH_LIST_TARGET_CREATE_PER_AUDIENCE)
    {
      g_set_error_literal (error, PUSH_CLI_ERROR, PUSH_CLI_ERROR_USAGE,
                           _("--list-folder goes with a new list for each audience "
                             "(--create-list), not with --list or --sync-type profile"));
      return NULL;
    }

  if (o->alerts != NULL)
    {
      PushAlertFlags alerts;

      if (!parse_alerts (o->alerts, &alerts, error))
        return NULL;
      push_destination_set_alerts (destination, alerts);
    }

  if (!add_map_rows (mapping, o->maps, error))
    return NULL;

  push_destination_set_name (destination, o->name);
  if (o->description != NULL)
    push_destination_set_description (destination, o->description);
  if (o->partition != NULL)
    push_destination_set_partition (destination, o->partition);
  push_destination_set_dedupe_field (destination, o->dedupe_field);
  push_mapping_set_identity_column (mapping, o->identity);
  if (o->privacy_acknowledged)
    push_destination_set_privacy_acknowledged (destination, TRUE);

  return g_steal_pointer (&destination);
}

static int
destinations_add (const char  *path,
                  int          argc,
                  char       **argv)
{
  g_auto(AddOptions) o = { NULL, };
  const GOptionEntry entries[] = {
    { "name", 'n', 0, G_OPTION_ARG_STRING, &o.name,
      N_("A name for the destination, unique among your destinations (required)"), N_("NAME") },
    { "account", 'A', 0, G_OPTION_ARG_STRING, &o.account,
      N_("The account whose Marketo instance it sends to (required)"), N_("ACCOUNT") },
    { "sync-type", 's', 0, G_OPTION_ARG_STRING, &o.sync_type,
      N_("audience (add existing people to a list), profile (create or update people) or "
         "audience-and-profile (both) (required)"), N_("TYPE") },
    { "person-action", 0, 0, G_OPTION_ARG_STRING, &o.person_action,
      N_("For the profile types: update-only or create-or-update (default)"), N_("ACTION") },
    { "partition", 0, 0, G_OPTION_ARG_STRING, &o.partition,
      N_("The lead partition new people go to (default: Default)"), N_("NAME") },
    { "dedupe-field", 0, 0, G_OPTION_ARG_STRING, &o.dedupe_field,
      N_("The Marketo field people are matched on, by its REST name, like email (required)"),
      N_("FIELD") },
    { "identity", 'i', 0, G_OPTION_ARG_STRING, &o.identity,
      N_("The audience column that holds the dedupe field's value (required)"), N_("COLUMN") },
    { "map", 'm', 0, G_OPTION_ARG_STRING_ARRAY, &o.maps,
      N_("Send an audience column to a Marketo field (repeat for each field)"),
      N_("COLUMN=FIELD") },
    { "list", 'l', 0, G_OPTION_ARG_STRING, &o.list,
      N_("An existing static list: its id, or its address in Marketo (…/#ST1190A1)"),
      N_("ID-OR-URL") },
    { "create-list", 0, 0, G_OPTION_ARG_STRING, &o.create_list,
      N_("A new static list for each audience, named from a template with {audience}, "
         "{destination}, {date} and {time}; without --list, the audience types get one named "
         "\"{audience} {date}\""),
      N_("TEMPLATE") },
    { "on-list-clash", 0, 0, G_OPTION_ARG_STRING, &o.on_list_clash,
      N_("With --create-list, when a list of that name exists: reuse (default) or fail"),
      N_("POLICY") },
    { "list-folder", 0, 0, G_OPTION_ARG_STRING, &o.list_folder,
      N_("The Marketo folder or program new lists go into: its id, name or path (needed for "
         "a new list for each audience)"), N_("ID-OR-NAME") },
    { "privacy-acknowledged", 0, 0, G_OPTION_ARG_NONE, &o.privacy_acknowledged,
      N_("Confirm that you may send these people's data to Marketo (needed to activate)"),
      NULL },
    { "description", 0, 0, G_OPTION_ARG_STRING, &o.description,
      N_("A description"), N_("TEXT") },
    { "alerts", 0, 0, G_OPTION_ARG_STRING, &o.alerts,
      N_("When to notify, from completed,rejections,failed,quota, or none (default: "
         "rejections,failed,quota)"), N_("LIST") },
    { "audience", 'a', 0, G_OPTION_ARG_FILENAME, &o.audience,
      N_("Also check the mapping against this audience file's columns and a sample of its "
         "rows"), N_("FILE") },
    { "format", 'f', 0, G_OPTION_ARG_STRING, &o.format,
      N_("The audience file's format: csv, jsonl or auto (default)"), N_("FORMAT") },
    { "delimiter", 'd', 0, G_OPTION_ARG_STRING, &o.delimiter,
      N_("The audience file's CSV delimiter: , ; | or tab (default: guessed)"),
      N_("CHARACTER") },
    { "offline", 0, 0, G_OPTION_ARG_NONE, &o.offline,
      N_("Check against the Marketo details fetched before; contact nothing"), NULL },
    { "json", 0, 0, G_OPTION_ARG_NONE, &o.json,
      N_("Print the destination and its problems as JSON"), NULL },
    G_OPTION_ENTRY_NULL
  };
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(PushDestination) destination = NULL;
  g_autoptr(PushAudienceReader) reader = NULL;
  g_autoptr(PushAccounts) accounts = NULL;
  g_autoptr(PushAccount) account = NULL;
  g_autoptr(PushDestinations) destinations = NULL;
  g_autoptr(PushCliInstance) instance = NULL;
  g_autoptr(GPtrArray) problems = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *name_problem = NULL;
  guint n_errors;

  context = push_cli_option_context_new (path, NULL,
                                         N_("Add a destination: where and how audiences go "
                                            "into Marketo."),
                                         entries);
  g_option_context_set_description (context,
                                    _("The settings are checked against the fields, partitions "
                                      "and static lists of the account's Marketo instance, "
                                      "fetched when they are not known or older than a day. "
                                      "A destination with errors is not saved: the exit status "
                                      "is 1 and each problem is printed on its own line."));
  if (!push_cli_parse_options (context, path, &argc, &argv, NULL, &error))
    return push_cli_report_error (path, error);

  destination = destination_from_options (&o, &error);
  if (destination == NULL)
    return push_cli_report_error (path, error);
  if (o.audience != NULL)
    {
      reader = push_cli_audience_reader_new (o.audience, o.format, o.delimiter, &error);
      if (reader == NULL)
        return push_cli_report_error (path, error);
    }
  else if (o.format != NULL || o.delimiter != NULL)
    return push_cli_usage_error (path, _("--format and --delimiter go with --audience"));

  accounts = push_cli_open_accounts (&error);
  if (accounts == NULL)
    return push_cli_report_error (path, error);
  account = push_cli_find_account (accounts, o.account, &error);
  if (account == NULL)
    return push_cli_report_error (path, error);
  push_destination_set_account_id (destination, push_account_get_id (account));

  destinations = push_cli_open_destinations (accounts, &error);
  if (destinations == NULL)
    return push_cli_report_error (path, error);
  name_problem = push_destinations_check_name (destinations,
                                               push_destination_get_name (destination), NULL);
  if (name_problem != NULL)
    return push_cli_fail ("--name: %s", name_problem);

  instance = push_cli_instance_load (accounts, account,
                                     o.offline ? PUSH_CLI_FETCH_NEVER_REQUIRE
                                               : PUSH_CLI_FETCH_WHEN_STALE,
                                     &error);
  if (instance == NULL)
    return push_cli_report_error (path, error);

  /* The list's name, as the instance calls it */
  if (push_destination_get_list_target_kind (destination) == PUSH_LIST_TARGET_EXISTING)
    {
      gint64 list_id = push_destination_get_list_id (destination);
      const MarketoList *list = push_cli_instance_find_list (instance, list_id);

      if (list != NULL && list->name != NULL)
        push_destination_set_existing_list (destination, list_id, list->name);
    }
  if (o.list_folder != NULL &&
      !resolve_list_folder (destination, instance, o.list_folder, push_account_get_name (account),
                            &error))
    return push_cli_report_error (path, error);

  if (reader != NULL && !push_cli_audience_reader_open (reader, o.audience, &error))
    return push_cli_report_error (path, error);
  problems = push_cli_validate_destination (instance, destination, PUSH_VALIDATION_EDIT, reader,
                                            NULL, &error);
  if (problems == NULL)
    {
      g_prefix_error (&error, "%s: ", o.audience);
      return push_cli_report_error (path, error);
    }

  n_errors = push_problems_count (problems, PUSH_PROBLEM_SEVERITY_ERROR);
  if (n_errors > 0)
    {
      if (o.json)
        {
          g_autoptr(JsonNode) node = result_to_json (destination, push_account_get_name (account),
                                                     FALSE, problems);

          push_cli_print_json (node, TRUE);
        }
      push_cli_fail (ngettext ("destination \"%s\" not saved: %u error",
                               "destination \"%s\" not saved: %u errors", n_errors),
                     push_destination_get_name (destination), n_errors);
      push_cli_print_problems (stderr, problems);
      return PUSH_CLI_EXIT_FAILURE;
    }

  if (!push_destinations_add (destinations, destination, &error))
    return push_cli_fail (_("could not add the destination \"%s\": %s"),
                          push_destination_get_name (destination), error->message);

  push_cli_print_problems (stderr, problems);
  if (o.json)
    {
      g_autoptr(JsonNode) node = result_to_json (destination, push_account_get_name (account),
                                                 TRUE, problems);

      push_cli_print_json (node, TRUE);
    }
  else
    {
      g_print (_("Added destination \"%s\" (%s)."), push_destination_get_name (destination),
               push_destination_get_id (destination));
      g_print ("\n");
    }

  return PUSH_CLI_EXIT_OK;
}

/* ---- list, show ---- */

static int
destinations_list (const char  *path,
                   int          argc,
                   char       **argv)
{
  gboolean json = FALSE;
  const GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json,
      N_("Print the destinations as a JSON array of their export documents"), NULL },
    G_OPTION_ENTRY_NULL
  };
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(PushAccounts) accounts = NULL;
  g_autoptr(PushDestinations) destinations = NULL;
  g_autoptr(GError) error = NULL;
  GListModel *model;
  guint n_items;

  context = push_cli_option_context_new (path, NULL, N_("List the destinations."), entries);
  if (!push_cli_parse_options (context, path, &argc, &argv, NULL, &error))
    return push_cli_report_error (path, error);

  accounts = push_cli_open_accounts (&error);
  if (accounts == NULL)
    return push_cli_report_error (path, error);
  destinations = push_cli_open_destinations (accounts, &error);
  if (destinations == NULL)
    return push_cli_report_error (path, error);

  model = G_LIST_MODEL (destinations);
  n_items = g_list_model_get_n_items (model);

  if (json)
    {
      g_autoptr(JsonArray) array = json_array_sized_new (n_items);
      g_autoptr(JsonNode) node = json_node_new (JSON_NODE_ARRAY);

      for (guint i = 0; i < n_items; i++)
        {
          g_autoptr(PushDestination) destination = g_list_model_get_item (model, i);

          json_array_add_element (array,
                                  push_destination_to_json (destination,
                                                            account_name_for (accounts,
                                                                              destination)));
        }
      json_node_set_array (node, array);
      push_cli_print_json (node, TRUE);
      return PUSH_CLI_EXIT_OK;
    }

  if (n_items == 0)
    {
      g_print (_("No destinations yet. Add one with \"%s destinations add\"."), PUSH_CLI_NAME);
      g_print ("\n");
      return PUSH_CLI_EXIT_OK;
    }

  for (guint i = 0; i < n_items; i++)
    {
      g_autoptr(PushDestination) destination = g_list_model_get_item (model, i);
      const char *account_name = account_name_for (accounts, destination);

      g_print ("%s  ", push_destination_get_name (destination));
      /* Translators: a sync type like “Audience and profile”, then an account name */
      g_print (_("(%s, account \"%s\")"),
               push_sync_type_get_label (push_destination_get_sync_type (destination)),
               *account_name != '\0' ? account_name : _("not found"));
      g_print ("\n");
    }

  return PUSH_CLI_EXIT_OK;
}

static int
destinations_show (const char  *path,
                   int          argc,
                   char       **argv)
{
  gboolean json = FALSE;
  const GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json,
      N_("Print the export document and the problems as JSON"), NULL },
    G_OPTION_ENTRY_NULL
  };
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(PushAccounts) accounts = NULL;
  g_autoptr(PushDestinations) destinations = NULL;
  g_autoptr(PushDestination) destination = NULL;
  g_autoptr(PushCliInstance) instance = NULL;
  g_autoptr(GPtrArray) problems = NULL;
  g_autoptr(GError) error = NULL;
  PushAccount *account;
  const char *account_name;

  context = push_cli_option_context_new (path, _("NAME"),
                                         N_("Show a destination: its settings, its mapping and "
                                            "what stands in the way of an activation."),
                                         entries);
  g_option_context_set_description (context,
                                    _("The problems are found with the Marketo details fetched "
                                      "before (nothing is contacted), and without an audience: "
                                      "use \"validate\" to check one."));
  if (!push_cli_parse_options (context, path, &argc, &argv, name_arg, &error))
    return push_cli_report_error (path, error);

  if (!push_cli_open_named_destination (argv[1], &accounts, &destinations, &destination,
                                        &error))
    return push_cli_report_error (path, error);

  account = push_accounts_find_by_id (accounts, push_destination_get_account_id (destination));
  account_name = account != NULL ? push_account_get_name (account) : "";
  if (account != NULL)
    instance = push_cli_instance_load (accounts, account, PUSH_CLI_FETCH_NEVER, &error);
  else
    instance = g_new0 (PushCliInstance, 1);
  if (instance == NULL)
    return push_cli_report_error (path, error);

  problems = push_cli_validate_destination (instance, destination,
                                            PUSH_VALIDATION_PRE_ACTIVATION, NULL, NULL, &error);
  if (problems == NULL)
    return push_cli_report_error (path, error);

  if (json)
    {
      g_autoptr(JsonNode) node = result_to_json (destination, account_name, TRUE, problems);

      push_cli_print_json (node, TRUE);
    }
  else
    print_destination (destination, account_name, instance, problems);

  return PUSH_CLI_EXIT_OK;
}

/* ---- export, import, remove ---- */

static int
destinations_export (const char  *path,
                     int          argc,
                     char       **argv)
{
  g_autofree char *output = NULL;
  const GOptionEntry entries[] = {
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &output,
      N_("Write the document to FILE (default: standard output)"), N_("FILE") },
    G_OPTION_ENTRY_NULL
  };
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(PushAccounts) accounts = NULL;
  g_autoptr(PushDestinations) destinations = NULL;
  g_autoptr(PushDestination) destination = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *document = NULL;
  gsize length = 0;

  context = push_cli_option_context_new (path, _("NAME"),
                                         N_("Export a destination as a JSON document, to import "
                                            "on another computer or keep as a copy."),
                                         entries);
  g_option_context_set_description (context,
                                    _("The document holds the settings, the mapping and the "
                                      "account's id and name; never a secret."));
  if (!push_cli_parse_options (context, path, &argc, &argv, name_arg, &error))
    return push_cli_report_error (path, error);

  if (!push_cli_open_named_destination (argv[1], &accounts, &destinations, &destination,
                                        &error))
    return push_cli_report_error (path, error);

  document = push_destination_export (destination, account_name_for (accounts, destination),
                                      &length);
  if (output == NULL)
    {
      fwrite (document, 1, length, stdout);
      if (length == 0 || document[length - 1] != '\n')
        fputc ('\n', stdout);
      return PUSH_CLI_EXIT_OK;
    }

  if (!g_file_set_contents (output, document, length, &error))
    return push_cli_fail (_("could not export the destination \"%s\": %s"),
                          push_destination_get_name (destination), error->message);

  g_print (_("Exported destination \"%s\" to %s."), push_destination_get_name (destination),
           output);
  g_print ("\n");
  return PUSH_CLI_EXIT_OK;
}

/* The account a document goes with: --account, else the document's account id, else its
 * account name. */
static PushAccount *
find_import_account (PushAccounts     *accounts,
                     PushDestination  *destination,
                     const char       *document_account_name,
                     const char       *account_option,
                     GError          **error)
{
  const char *account_id = push_destination_get_account_id (destination);
  PushAccount *account;

  if (account_option != NULL)
    return push_cli_find_account (accounts, account_option, error);

  account = push_accounts_find_by_id (accounts, account_id);
  if (account == NULL && *document_account_name != '\0')
    account = push_accounts_find_by_name (accounts, document_account_name);
  if (account != NULL)
    return g_object_ref (account);

  if (*document_account_name != '\0')
    g_set_error (error, PUSH_CLI_ERROR, PUSH_CLI_ERROR_FAILED,
                 /* Translators: an account name, then its id */
                 _("the destination's account, \"%s\" (%s), is not among your accounts; choose "
                   "one with --account"), document_account_name, account_id);
  else
    g_set_error (error, PUSH_CLI_ERROR, PUSH_CLI_ERROR_FAILED,
                 /* Translators: an account id */
                 _("the destination's account (%s) is not among your accounts; choose one with "
                   "--account"), account_id);
  return NULL;
}

static int
destinations_import (const char  *path,
                     int          argc,
                     char       **argv)
{
  g_autofree char *new_name = NULL;
  g_autofree char *account_option = NULL;
  gboolean json = FALSE;
  const GOptionEntry entries[] = {
    { "name", 'n', 0, G_OPTION_ARG_STRING, &new_name,
      N_("Import it under this name (needed when the name is taken)"), N_("NEW_NAME") },
    { "account", 'A', 0, G_OPTION_ARG_STRING, &account_option,
      N_("The account it sends to (default: the document's, by id, then by name)"),
      N_("ACCOUNT") },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json,
      N_("Print the imported destination and its problems as JSON"), NULL },
    G_OPTION_ENTRY_NULL
  };
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(PushAccounts) accounts = NULL;
  g_autoptr(PushAccount) account = NULL;
  g_autoptr(PushDestinations) destinations = NULL;
  g_autoptr(PushDestination) destination = NULL;
  g_autoptr(PushCliInstance) instance = NULL;
  g_autoptr(GPtrArray) problems = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *document = NULL;
  g_autofree char *document_account_name = NULL;
  g_autofree char *name_problem = NULL;
  const char *file_path;
  gsize length = 0;
  guint n_errors;

  context = push_cli_option_context_new (path, _("FILE"),
                                         N_("Import a destination from a document made by "
                                            "\"destinations export\"."),
                                         entries);
  if (!push_cli_parse_options (context, path, &argc, &argv, file_arg, &error))
    return push_cli_report_error (path, error);
  file_path = argv[1];

  if (!g_file_get_contents (file_path, &document, &length, &error))
    return push_cli_report_error (path, error);
  destination = push_destination_import (document, (gssize) length, &document_account_name,
                                         &error);
  if (destination == NULL)
    return push_cli_fail ("%s: %s", file_path, error->message);

  accounts = push_cli_open_accounts (&error);
  if (accounts == NULL)
    return push_cli_report_error (path, error);
  account = find_import_account (accounts, destination, document_account_name, account_option,
                                 &error);
  if (account == NULL)
    return push_cli_report_error (path, error);
  destinations = push_cli_open_destinations (accounts, &error);
  if (destinations == NULL)
    return push_cli_report_error (path, error);

  /* Another copy of a destination that is still here gets an id of its own */
  if (push_destinations_find_by_id (destinations, push_destination_get_id (destination)) != NULL)
    {
      PushDestination *copy = push_destination_duplicate (destination);

      g_object_unref (destination);
      destination = copy;
    }
  push_destination_set_account_id (destination, push_account_get_id (account));
  if (new_name != NULL)
    push_destination_set_name (destination, new_name);

  name_problem = push_destinations_check_name (destinations,
                                               push_destination_get_name (destination), NULL);
  if (name_problem != NULL && new_name == NULL &&
      push_destinations_find_by_name (destinations,
                                      push_destination_get_name (destination)) != NULL)
    return push_cli_fail (_("a destination called \"%s\" exists already; give the imported one "
                            "another name with --name"),
                          push_destination_get_name (destination));
  if (name_problem != NULL)
    return push_cli_fail ("%s: %s", new_name != NULL ? "--name" : file_path, name_problem);

  if (!push_destinations_add (destinations, destination, &error))
    return push_cli_fail (_("could not import the destination \"%s\": %s"),
                          push_destination_get_name (destination), error->message);

  /* What it looks like here, from what is known of the instance; nothing is contacted */
  instance = push_cli_instance_load (accounts, account, PUSH_CLI_FETCH_NEVER, &error);
  if (instance != NULL)
    problems = push_cli_validate_destination (instance, destination, PUSH_VALIDATION_EDIT, NULL,
                                              NULL, &error);
  if (problems == NULL)
    {
      g_debug ("Could not check the imported destination: %s", error->message);
      problems = g_ptr_array_new_with_free_func ((GDestroyNotify) push_problem_free);
    }
  n_errors = push_problems_count (problems, PUSH_PROBLEM_SEVERITY_ERROR);

  if (json)
    {
      g_autoptr(JsonNode) node = result_to_json (destination, push_account_get_name (account),
                                                 TRUE, problems);

      push_cli_print_json (node, TRUE);
    }
  else
    {
      g_print (_("Imported destination \"%s\" (%s) for account \"%s\"."),
               push_destination_get_name (destination), push_destination_get_id (destination),
               push_account_get_name (account));
      g_print ("\n");
    }
  if (n_errors > 0)
    {
      g_printerr ("%s: ", PUSH_CLI_NAME);
      /* Translators: a count of problems; keep “destinations show” as it is */
      g_printerr (ngettext ("warning: it has %u error to fix before an activation (see "
                            "\"destinations show\")",
                            "warning: it has %u errors to fix before an activation (see "
                            "\"destinations show\")",
                            n_errors),
                  n_errors);
      g_printerr ("\n");
    }

  return PUSH_CLI_EXIT_OK;
}

static int
destinations_remove (const char  *path,
                     int          argc,
                     char       **argv)
{
  const GOptionEntry entries[] = {
    G_OPTION_ENTRY_NULL
  };
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(PushAccounts) accounts = NULL;
  g_autoptr(PushDestinations) destinations = NULL;
  g_autoptr(PushDestination) destination = NULL;
  g_autoptr(GError) error = NULL;

  context = push_cli_option_context_new (path, _("NAME"), N_("Remove a destination."), entries);
  if (!push_cli_parse_options (context, path, &argc, &argv, name_arg, &error))
    return push_cli_report_error (path, error);

  if (!push_cli_open_named_destination (argv[1], &accounts, &destinations, &destination,
                                        &error))
    return push_cli_report_error (path, error);

  if (!push_destinations_remove (destinations, push_destination_get_id (destination), &error))
    return push_cli_fail (_("could not remove the destination \"%s\": %s"),
                          push_destination_get_name (destination), error->message);

  g_print (_("Removed destination \"%s\"."), push_destination_get_name (destination));
  g_print ("\n");
  return PUSH_CLI_EXIT_OK;
}

static const PushCliCommand destinations_commands[] = {
  { "add", N_("Add a destination, checked against the Marketo instance"), destinations_add },
  { "list", N_("List the destinations"), destinations_list },
  { "show", N_("Show a destination's settings, mapping and problems"), destinations_show },
  { "export", N_("Export a destination as a JSON document"), destinations_export },
  { "import", N_("Import a destination from a JSON document"), destinations_import },
  { "remove", N_("Remove a destination"), destinations_remove },
  { NULL, NULL, NULL }
};

int
push_cli_destinations_run (const char  *path,
                           int          argc,
                           char       **argv)
{
  return push_cli_dispatch (path, N_("Manage the destinations audiences are sent to: a "
                                     "Marketo account, a sync type, a list and a mapping."),
                            destinations_commands, argc, argv);
}
