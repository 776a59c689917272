/* test-destination.c: PushDestination settings, enums, list names, export and import
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <locale.h>
#include <string.h>

#include "push-destination.h"

typedef struct {
  guint changed;
  GPtrArray *notified;  /* property names, in order */
} Watch;

static void
changed_cb (PushDestination *destination,
            Watch           *watch)
{
  watch->changed++;
}

static void
notified_cb (PushDestination *destination,
             GParamSpec      *pspec,
             Watch           *watch)
{
  g_ptr_array_add (watch->notified, g_strdup (pspec->name));
}

static void
watch_init (Watch           *watch,
            PushDestination *destination)
{
  watch->changed = 0;
  watch->notified = g_ptr_array_new_with_free_func (g_free);
  g_signal_connect (destination, "changed", G_CALLBACK (changed_cb), watch);
  g_signal_connect (destination, "notify", G_CALLBACK (notified_cb), watch);
}

static int
sort_strings (const char **a,
              const char **b)
{
  return strcmp (*a, *b);
}

static char *
watch_take_notified (Watch *watch)
{
  g_autofree char **names = NULL;
  char *joined;

  /* Sorted: GLib does not promise an order for notifications queued while frozen. */
  g_ptr_array_sort (watch->notified, (GCompareFunc) sort_strings);
  g_ptr_array_add (watch->notified, NULL);
  names = (char **) g_ptr_array_free (watch->notified, FALSE);
  joined = g_strjoinv (" ", names);
  g_strfreev (g_steal_pointer (&names));
  watch->notified = g_ptr_array_new_with_free_func (g_free);
  return joined;
}

static void
test_defaults (void)
{
  g_autoptr(PushDestination) destination = push_destination_new ();
  g_autoptr(PushDestination) other = push_destination_new ();
  g_autoptr(PushDestination) with_id = push_destination_new_with_id ("6f1c2d3e-4b5a-4c6d-8e7f-0a1b2c3d4e5f");

  g_assert_true (g_uuid_string_is_valid (push_destination_get_id (destination)));
  g_assert_cmpstr (push_destination_get_id (destination), !=, push_destination_get_id (other));
  g_assert_cmpstr (push_destination_get_id (with_id), ==, "6f1c2d3e-4b5a-4c6d-8e7f-0a1b2c3d4e5f");

  g_assert_cmpstr (push_destination_get_name (destination), ==, "");
  g_assert_cmpstr (push_destination_get_account_id (destination), ==, "");
  g_assert_cmpint (push_destination_get_sync_type (destination), ==, PUSH_SYNC_TYPE_AUDIENCE_AND_PROFILE);
  g_assert_cmpint (push_destination_get_person_action (destination), ==, PUSH_PERSON_ACTION_CREATE_OR_UPDATE);
  g_assert_cmpstr (push_destination_get_partition (destination), ==, "");
  g_assert_cmpstr (push_destination_get_effective_partition (destination), ==, "Default");
  g_assert_cmpstr (push_destination_get_dedupe_field (destination), ==, "email");
  g_assert_cmpint (push_destination_get_list_target_kind (destination), ==, PUSH_LIST_TARGET_CREATE_PER_AUDIENCE);
  g_assert_cmpstr (push_destination_get_list_name_template (destination), ==, "{audience} {date}");
  g_assert_cmpint (push_destination_get_list_clash_policy (destination), ==, PUSH_LIST_CLASH_REUSE);
  g_assert_cmpint (push_destination_get_alerts (destination), ==,
                   PUSH_ALERT_ON_COMPLETION_WITH_REJECTIONS | PUSH_ALERT_ON_FAILURE | PUSH_ALERT_ON_QUOTA_PAUSE);
  g_assert_false (push_destination_get_privacy_acknowledged (destination));
  g_assert_null (push_destination_get_privacy_acknowledged_at (destination));
  g_assert_true (push_destination_can_create_people (destination));

  g_assert_finalize_object (g_steal_pointer (&destination));
}

static void
test_setters_notify (void)
{
  g_autoptr(PushDestination) destination = push_destination_new ();
  g_autofree char *notified = NULL;
  Watch watch;

  watch_init (&watch, destination);

  push_destination_set_name (destination, "  Spring newsletter \n");
  push_destination_set_name (destination, "Spring newsletter");  /* same after trimming */
  g_assert_cmpstr (push_destination_get_name (destination), ==, "Spring newsletter");
  push_destination_set_sync_type (destination, PUSH_SYNC_TYPE_PROFILE_ONLY);
  push_destination_set_sync_type (destination, PUSH_SYNC_TYPE_PROFILE_ONLY);
  push_destination_set_person_action (destination, PUSH_PERSON_ACTION_UPDATE_ONLY);
  push_destination_set_partition (destination, " EMEA ");
  push_destination_set_existing_list (destination, 1001, "Fair visitors");
  push_destination_set_existing_list (destination, 1001, "Fair visitors");
  push_destination_set_alerts (destination, PUSH_ALERT_ON_FAILURE);
  push_destination_set_dedupe_field (destination, " customerNumber ");
  push_destination_set_dedupe_field (destination, "customerNumber");

  notified = watch_take_notified (&watch);
  g_assert_cmpstr (notified, ==,
                   "alerts dedupe-field list-id list-name name partition person-action sync-type");
  g_assert_cmpuint (watch.changed, ==, 7);
  g_assert_cmpstr (push_destination_get_partition (destination), ==, "EMEA");
  g_assert_cmpstr (push_destination_get_effective_partition (destination), ==, "EMEA");
  g_assert_cmpstr (push_mapping_get_identity_field (push_destination_get_mapping (destination)), ==,
                   "customerNumber");
  g_assert_false (push_destination_can_create_people (destination));

  /* Mapping edits reach the destination as "changed". */
  watch.changed = 0;
  push_mapping_add_row (push_destination_get_mapping (destination), "First", "firstName");
  push_mapping_set_identity_column (push_destination_get_mapping (destination), "Customer No");
  g_assert_cmpuint (watch.changed, ==, 2);

  /* Properties work the same way. */
  {
    g_autofree char *partition = NULL;
    PushSyncType sync_type;
    gint64 list_id;

    g_object_set (destination, "sync-type", PUSH_SYNC_TYPE_AUDIENCE_ONLY, "list-id", (gint64) 7, NULL);
    g_object_get (destination, "sync-type", &sync_type, "partition", &partition,
                  "list-id", &list_id, NULL);
    g_assert_cmpint (sync_type, ==, PUSH_SYNC_TYPE_AUDIENCE_ONLY);
    g_assert_cmpstr (partition, ==, "EMEA");
    g_assert_cmpint (list_id, ==, 7);
    g_assert_cmpstr (push_destination_get_list_name (destination), ==, "Fair visitors");
  }

  g_clear_pointer (&watch.notified, g_ptr_array_unref);
}

static void
test_privacy (void)
{
  g_autoptr(PushDestination) destination = push_destination_new ();
  g_autoptr(GDateTime) before = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) fixed = g_date_time_new_utc (2026, 5, 4, 9, 30, 0);
  g_autoptr(GDateTime) after = NULL;
  g_autofree char *notified = NULL;
  GDateTime *at;
  Watch watch;

  watch_init (&watch, destination);
  push_destination_set_privacy_acknowledged (destination, TRUE);
  after = g_date_time_new_now_utc ();
  at = push_destination_get_privacy_acknowledged_at (destination);
  g_assert_nonnull (at);
  g_assert_cmpint (g_date_time_compare (before, at), <=, 0);
  g_assert_cmpint (g_date_time_compare (at, after), <=, 0);

  /* Acknowledging again keeps the first time. */
  push_destination_set_privacy_acknowledged (destination, TRUE);
  g_assert_true (push_destination_get_privacy_acknowledged_at (destination) == at);

  push_destination_set_privacy_acknowledged (destination, FALSE);
  g_assert_null (push_destination_get_privacy_acknowledged_at (destination));
  push_destination_set_privacy_acknowledged_at (destination, fixed);
  g_assert_true (push_destination_get_privacy_acknowledged (destination));

  notified = watch_take_notified (&watch);
  g_assert_cmpstr (notified, ==,
                   "privacy-acknowledged privacy-acknowledged privacy-acknowledged "
                   "privacy-acknowledged-at privacy-acknowledged-at privacy-acknowledged-at");
  g_assert_cmpuint (watch.changed, ==, 3);
  g_clear_pointer (&watch.notified, g_ptr_array_unref);
}

static void
test_enums (void)
{
  GType types[] = { PUSH_TYPE_SYNC_TYPE, PUSH_TYPE_PERSON_ACTION, PUSH_TYPE_LIST_TARGET_KIND,
                    PUSH_TYPE_LIST_CLASH_POLICY };
  PushSyncType sync_type;
  PushPersonAction action;

  for (gsize t = 0; t < G_N_ELEMENTS (types); t++)
    {
      GEnumClass *klass = g_type_class_ref (types[t]);

      g_assert_true (G_TYPE_IS_ENUM (types[t]));
      for (guint i = 0; i < klass->n_values; i++)
        {
          int value = klass->values[i].value;
          const char *label = NULL;

          if (types[t] == PUSH_TYPE_SYNC_TYPE)
            {
              label = push_sync_type_get_label (value);
              g_assert_nonnull (push_sync_type_get_description (value));
              g_assert_cmpstr (push_sync_type_to_string (value), ==, klass->values[i].value_nick);
              g_assert_true (push_sync_type_from_string (klass->values[i].value_nick, &sync_type));
              g_assert_cmpint (sync_type, ==, value);
            }
          else if (types[t] == PUSH_TYPE_PERSON_ACTION)
            {
              label = push_person_action_get_label (value);
              g_assert_nonnull (push_person_action_get_description (value));
              g_assert_true (push_person_action_from_string (klass->values[i].value_nick, &action));
              g_assert_cmpint (action, ==, value);
            }
          else if (types[t] == PUSH_TYPE_LIST_TARGET_KIND)
            label = push_list_target_kind_get_label (value);
          else
            label = push_list_clash_policy_get_label (value);
          g_assert_nonnull (label);
          g_assert_cmpstr (label, !=, "");
        }
      g_type_class_unref (klass);
    }

  g_assert_cmpstr (push_sync_type_get_label (PUSH_SYNC_TYPE_AUDIENCE_ONLY), ==, "Audience only");
  g_assert_cmpstr (push_sync_type_to_string (PUSH_SYNC_TYPE_AUDIENCE_AND_PROFILE), ==, "audience-and-profile");
  g_assert_false (push_sync_type_from_string ("Audience only", &sync_type));
  g_assert_false (push_person_action_from_string (NULL, &action));
  g_assert_cmpstr (push_person_action_to_marketo (PUSH_PERSON_ACTION_UPDATE_ONLY), ==, "updateOnly");
  g_assert_cmpstr (push_person_action_to_marketo (PUSH_PERSON_ACTION_CREATE_OR_UPDATE), ==, "createOrUpdate");

  g_assert_true (G_TYPE_IS_FLAGS (PUSH_TYPE_ALERT_FLAGS));
  for (guint bit = 0; bit < 4; bit++)
    g_assert_nonnull (push_alert_flags_get_label (1u << bit));
  g_assert_null (push_alert_flags_get_label (PUSH_ALERT_NONE));
  g_assert_null (push_alert_flags_get_label (PUSH_ALERT_ON_FAILURE | PUSH_ALERT_ON_COMPLETION));

  g_assert_true (push_sync_type_updates_profiles (PUSH_SYNC_TYPE_PROFILE_ONLY));
  g_assert_true (push_sync_type_updates_profiles (PUSH_SYNC_TYPE_AUDIENCE_AND_PROFILE));
  g_assert_false (push_sync_type_updates_profiles (PUSH_SYNC_TYPE_AUDIENCE_ONLY));
  g_assert_true (push_sync_type_uses_list (PUSH_SYNC_TYPE_AUDIENCE_ONLY));
  g_assert_true (push_sync_type_uses_list (PUSH_SYNC_TYPE_AUDIENCE_AND_PROFILE));
  g_assert_false (push_sync_type_uses_list (PUSH_SYNC_TYPE_PROFILE_ONLY));
}

static void
test_list_names (void)
{
  static const struct { const char *template_; const char *expected; gboolean valid; } cases[] = {
    { "{audience} {date}", "Fair visitors 2026-05-04", TRUE },
    { "{destination}: {audience} at {time}", "Spring: Fair visitors at 09:30", TRUE },
    { "Fixed name", "Fixed name", TRUE },
    { "{{literal}} {audience}", "{literal} Fair visitors", TRUE },
    { "Ünïcödé {date}", "Ünïcödé 2026-05-04", TRUE },
    { "{audiance} {date}", NULL, FALSE },
    { "{audience", NULL, FALSE },
    { "audience}", NULL, FALSE },
    { "   ", NULL, FALSE },
    { "", NULL, FALSE },
  };
  g_autoptr(PushDestination) destination = push_destination_new ();
  g_autoptr(GDateTime) when = g_date_time_new_utc (2026, 5, 4, 9, 30, 15);

  push_destination_set_name (destination, "Spring");
  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *reason = push_destination_check_list_name_template (cases[i].template_);
      g_autofree char *name = NULL;
      g_autoptr(GError) error = NULL;

      g_test_message ("template “%s”", cases[i].template_);
      g_assert_true ((reason == NULL) == cases[i].valid);

      push_destination_set_list_name_template (destination, cases[i].template_);
      name = push_destination_expand_list_name (destination, "Fair visitors", when, &error);
      if (cases[i].valid)
        g_assert_no_error (error);
      else
        g_assert_error (error, PUSH_DESTINATION_ERROR, PUSH_DESTINATION_ERROR_INVALID_VALUE);
      g_assert_cmpstr (name, ==, cases[i].expected);
    }

  {
    g_autofree char *reason = push_destination_check_list_name_template ("{audiance}");

    g_assert_cmpstr (reason, ==,
                     "The list name has an unknown placeholder “{audiance}”; use {audience}, {destination}, {date} or {time}");
  }

  {
    /* A template that comes out blank for this audience. */
    g_autoptr(GError) error = NULL;
    g_autofree char *name = NULL;

    push_destination_set_list_name_template (destination, " {audience} ");
    name = push_destination_expand_list_name (destination, "", when, &error);
    g_assert_error (error, PUSH_DESTINATION_ERROR, PUSH_DESTINATION_ERROR_INVALID_VALUE);
    g_assert_null (name);
  }
}

static PushDestination *
full_destination (void)
{
  PushDestination *destination = push_destination_new ();
  g_autoptr(GDateTime) when = g_date_time_new_utc (2026, 5, 4, 9, 30, 12.345678);
  PushMapping *mapping = push_destination_get_mapping (destination);

  push_destination_set_name (destination, "Früh­jahr “Newsletter” 東京");
  push_destination_set_description (destination, "Line one\nLine \"two\"\t😀");
  push_destination_set_account_id (destination, "0b9e8d7c-6a5b-4c3d-9e2f-1a0b9c8d7e6f");
  push_destination_set_sync_type (destination, PUSH_SYNC_TYPE_PROFILE_ONLY);
  push_destination_set_person_action (destination, PUSH_PERSON_ACTION_UPDATE_ONLY);
  push_destination_set_partition (destination, "EMEA");
  push_destination_set_dedupe_field (destination, "customerNumber");
  push_destination_set_list_target_kind (destination, PUSH_LIST_TARGET_EXISTING);
  push_destination_set_existing_list (destination, 4242, "Fair visitors");
  push_destination_set_list_name_template (destination, "{destination} {date}");
  push_destination_set_list_clash_policy (destination, PUSH_LIST_CLASH_FAIL);
  push_destination_set_list_folder (destination, 1001, "Program", "2026 “Spring” Campaign");
  push_destination_set_alerts (destination, PUSH_ALERT_ON_COMPLETION | PUSH_ALERT_ON_QUOTA_PAUSE);
  push_destination_set_privacy_acknowledged_at (destination, when);
  push_mapping_set_identity_column (mapping, "Customer No");
  push_mapping_add_row (mapping, "E-mail", "email");
  push_mapping_add_row (mapping, "Given name", "firstName");
  push_mapping_add_row (mapping, "", "");  /* unfinished rows survive too */
  return destination;
}

static void
test_copy_equal (void)
{
  g_autoptr(PushDestination) destination = full_destination ();
  g_autoptr(PushDestination) copy = push_destination_copy (destination);
  g_autoptr(PushDestination) duplicate = push_destination_duplicate (destination);

  g_assert_true (push_destination_equal (destination, copy));
  g_assert_false (push_destination_get_mapping (destination) == push_destination_get_mapping (copy));
  g_assert_false (push_destination_equal (destination, duplicate));
  g_assert_cmpstr (push_destination_get_id (duplicate), !=, push_destination_get_id (destination));
  g_assert_cmpstr (push_destination_get_name (duplicate), ==, push_destination_get_name (destination));
  g_assert_true (push_mapping_equal (push_destination_get_mapping (duplicate),
                                     push_destination_get_mapping (destination)));

  push_mapping_set_row (push_destination_get_mapping (copy), 0, "E-mail", "city");
  g_assert_false (push_destination_equal (destination, copy));

  /* The folder is part of the settings: id, type and name each count. */
  g_clear_object (&copy);
  copy = push_destination_copy (destination);
  g_assert_cmpint (push_destination_get_list_folder_id (copy), ==, 1001);
  g_assert_cmpstr (push_destination_get_list_folder_type (copy), ==, "Program");
  push_destination_set_list_folder (copy, 1001, "Folder", "2026 “Spring” Campaign");
  g_assert_false (push_destination_equal (destination, copy));
  push_destination_set_list_folder (copy, 1001, "Program", "Renamed");
  g_assert_false (push_destination_equal (destination, copy));
  push_destination_set_list_folder (copy, 1002, "Program", "2026 “Spring” Campaign");
  g_assert_false (push_destination_equal (destination, copy));
  push_destination_set_list_folder (copy, 1001, "Program", "2026 “Spring” Campaign");
  g_assert_true (push_destination_equal (destination, copy));
}

static void
test_list_folder (void)
{
  g_autoptr(PushDestination) destination = push_destination_new ();
  g_autofree char *notified = NULL;
  g_autofree char *type = NULL;
  g_autofree char *name = NULL;
  g_autoptr(JsonNode) node = NULL;
  JsonObject *list;
  gint64 id = 0;
  Watch watch;

  /* none by default */
  g_assert_cmpint (push_destination_get_list_folder_id (destination), ==, 0);
  g_assert_cmpstr (push_destination_get_list_folder_type (destination), ==, "");
  g_assert_cmpstr (push_destination_get_list_folder_name (destination), ==, "");
  node = push_destination_to_json (destination, NULL);
  list = json_object_get_object_member (json_object_get_object_member (json_node_get_object (node),
                                                                       "destination"), "list");
  g_assert_true (json_object_has_member (list, "folder"));
  g_assert_true (JSON_NODE_HOLDS_NULL (json_object_get_member (list, "folder")));
  g_clear_pointer (&node, json_node_unref);

  watch_init (&watch, destination);
  /* no type means a Folder; the name is trimmed */
  push_destination_set_list_folder (destination, 12, NULL, " Audiences ");
  push_destination_set_list_folder (destination, 12, "Folder", "Audiences");
  g_assert_cmpint (push_destination_get_list_folder_id (destination), ==, 12);
  g_assert_cmpstr (push_destination_get_list_folder_type (destination), ==, "Folder");
  g_assert_cmpstr (push_destination_get_list_folder_name (destination), ==, "Audiences");
  notified = watch_take_notified (&watch);
  g_assert_cmpstr (notified, ==, "list-folder-id list-folder-name list-folder-type");
  g_assert_cmpuint (watch.changed, ==, 1);
  g_clear_pointer (&notified, g_free);

  node = push_destination_to_json (destination, NULL);
  list = json_object_get_object_member (json_object_get_object_member (json_node_get_object (node),
                                                                       "destination"), "list");
  list = json_object_get_object_member (list, "folder");
  g_assert_cmpint (json_object_get_size (list), ==, 3);
  g_assert_cmpint (json_object_get_int_member (list, "id"), ==, 12);
  g_assert_cmpstr (json_object_get_string_member (list, "type"), ==, "Folder");
  g_assert_cmpstr (json_object_get_string_member (list, "name"), ==, "Audiences");

  /* as properties */
  g_object_set (destination, "list-folder-type", "Program", NULL);
  g_object_get (destination, "list-folder-id", &id, "list-folder-type", &type,
                "list-folder-name", &name, NULL);
  g_assert_cmpint (id, ==, 12);
  g_assert_cmpstr (type, ==, "Program");
  g_assert_cmpstr (name, ==, "Audiences");
  g_assert_cmpuint (watch.changed, ==, 2);

  /* id 0 clears all three */
  push_destination_set_list_folder (destination, 0, "Program", "Audiences");
  g_assert_cmpint (push_destination_get_list_folder_id (destination), ==, 0);
  g_assert_cmpstr (push_destination_get_list_folder_type (destination), ==, "");
  g_assert_cmpstr (push_destination_get_list_folder_name (destination), ==, "");
  notified = watch_take_notified (&watch);
  g_assert_cmpstr (notified, ==, "list-folder-id list-folder-name list-folder-type "
                                 "list-folder-type");
  g_assert_cmpuint (watch.changed, ==, 3);

  g_clear_pointer (&watch.notified, g_ptr_array_unref);
}

static void
test_round_trip (void)
{
  g_autoptr(PushDestination) destination = full_destination ();
  g_autoptr(PushDestination) imported = NULL;
  g_autoptr(PushDestination) imported_again = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *account_name = NULL;
  g_autofree char *exported = NULL;
  g_autofree char *exported_again = NULL;
  g_autoptr(GList) members = NULL;
  JsonObject *root;
  gsize length = 0;

  exported = push_destination_export (destination, "Production “EU”", &length);
  g_assert_cmpuint (length, ==, strlen (exported));

  /* The document's top level is exactly what the format page describes. */
  json_parser_load_from_data (parser, exported, length, &error);
  g_assert_no_error (error);
  root = json_node_get_object (json_parser_get_root (parser));
  g_assert_cmpstr (json_object_get_string_member (root, "format"), ==, "audience-push-destination");
  g_assert_cmpint (json_object_get_int_member (root, "version"), ==, 1);
  members = json_object_get_members (json_object_get_object_member (root, "destination"));
  g_assert_cmpuint (g_list_length (members), ==, 12);
  g_assert_null (strstr (exported, "ecret"));

  imported = push_destination_import (exported, -1, &account_name, &error);
  g_assert_no_error (error);
  g_assert_true (push_destination_equal (destination, imported));
  g_assert_cmpstr (account_name, ==, "Production “EU”");

  exported_again = push_destination_export (imported, "Production “EU”", NULL);
  g_assert_cmpstr (exported_again, ==, exported);

  /* The defaults and an unacknowledged destination survive as well. */
  g_clear_object (&destination);
  g_clear_pointer (&exported, g_free);
  destination = push_destination_new ();
  exported = push_destination_export (destination, NULL, NULL);
  imported_again = push_destination_import (exported, -1, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (push_destination_equal (destination, imported_again));
}

static void
test_import_fixture (void)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "model", "files", "destination-v1.json", NULL);
  g_autoptr(PushDestination) destination = NULL;
  g_autoptr(GDateTime) when = g_date_time_new_utc (2026, 5, 4, 9, 30, 0);
  g_autofree char *contents = NULL;
  g_autofree char *account_name = NULL;
  g_autoptr(GError) error = NULL;
  PushMapping *mapping;
  gsize length;

  g_file_get_contents (path, &contents, &length, &error);
  g_assert_no_error (error);
  destination = push_destination_import (contents, length, &account_name, &error);
  g_assert_no_error (error);

  g_assert_cmpstr (push_destination_get_id (destination), ==, "6f1c2d3e-4b5a-4c6d-8e7f-0a1b2c3d4e5f");
  g_assert_cmpstr (push_destination_get_name (destination), ==, "Spring newsletter");
  g_assert_cmpstr (push_destination_get_account_id (destination), ==, "0b9e8d7c-6a5b-4c3d-9e2f-1a0b9c8d7e6f");
  g_assert_cmpstr (account_name, ==, "Production");
  g_assert_cmpint (push_destination_get_sync_type (destination), ==, PUSH_SYNC_TYPE_AUDIENCE_AND_PROFILE);
  g_assert_cmpstr (push_destination_get_partition (destination), ==, "EMEA");
  g_assert_cmpint (push_destination_get_list_target_kind (destination), ==, PUSH_LIST_TARGET_CREATE_PER_AUDIENCE);
  /* written before lists had a folder: none */
  g_assert_cmpint (push_destination_get_list_folder_id (destination), ==, 0);
  g_assert_cmpint (push_destination_get_alerts (destination), ==,
                   PUSH_ALERT_ON_COMPLETION_WITH_REJECTIONS | PUSH_ALERT_ON_FAILURE | PUSH_ALERT_ON_QUOTA_PAUSE);
  g_assert_true (g_date_time_equal (push_destination_get_privacy_acknowledged_at (destination), when));
  mapping = push_destination_get_mapping (destination);
  g_assert_cmpstr (push_mapping_get_identity_column (mapping), ==, "Email");
  g_assert_cmpstr (push_mapping_get_identity_field (mapping), ==, "email");
  g_assert_cmpuint (push_mapping_get_n_rows (mapping), ==, 3);
  g_assert_cmpstr (push_mapping_get_row (mapping, 2)->field, ==, "company");
}

static void
test_import_help_example (void)
{
  /* The example in the format's help page imports, and says what the page says. */
  const char *root = g_getenv ("AUDIENCE_PUSH_SOURCE_ROOT");
  g_autofree char *path = NULL;
  g_autofree char *page = NULL;
  g_autoptr(PushDestination) destination = NULL;
  g_autoptr(GError) error = NULL;
  const char *start, *end;
  g_autofree char *example = NULL;

  if (root == NULL)
    {
      g_test_skip ("AUDIENCE_PUSH_SOURCE_ROOT is not set (run through meson test)");
      return;
    }
  path = g_build_filename (root, "help", "C", "destination-format.page", NULL);
  g_file_get_contents (path, &page, NULL, &error);
  g_assert_no_error (error);

  start = strstr (page, "<code mime=\"application/json\">");
  g_assert_nonnull (start);
  start = strchr (start, '>') + 1;
  end = strstr (start, "</code>");
  g_assert_nonnull (end);
  example = g_strndup (start, end - start);
  g_assert_null (strchr (example, '&'));  /* no XML escapes to undo */

  destination = push_destination_import (example, -1, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (push_destination_get_name (destination), ==, "Spring newsletter");
  g_assert_cmpuint (push_mapping_get_n_rows (push_destination_get_mapping (destination)), ==, 3);
  g_assert_cmpint (push_destination_get_list_folder_id (destination), ==, 12);
  g_assert_cmpstr (push_destination_get_list_folder_type (destination), ==, "Folder");
  g_assert_cmpstr (push_destination_get_list_folder_name (destination), ==, "Audiences");
}

static void
test_import_minimal (void)
{
  /* Only the required members: the optional ones take their documented defaults. */
  static const char document[] =
    "{\"format\":\"audience-push-destination\",\"version\":1,\"destination\":{"
    "\"id\":\"6f1c2d3e-4b5a-4c6d-8e7f-0a1b2c3d4e5f\",\"name\":\"Minimal\","
    "\"account\":{\"id\":\"acc\"},\"syncType\":\"profile-only\",\"dedupeField\":\"email\","
    "\"mapping\":{\"identityColumn\":\"Email\"},\"someFutureMember\":[1,2,3]}}";
  g_autoptr(PushDestination) destination = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *account_name = NULL;

  destination = push_destination_import (document, -1, &account_name, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (account_name, ==, "");
  g_assert_cmpstr (push_destination_get_description (destination), ==, "");
  g_assert_cmpint (push_destination_get_person_action (destination), ==, PUSH_PERSON_ACTION_CREATE_OR_UPDATE);
  g_assert_cmpstr (push_destination_get_partition (destination), ==, "");
  g_assert_cmpint (push_destination_get_list_target_kind (destination), ==, PUSH_LIST_TARGET_NONE);
  g_assert_cmpint (push_destination_get_alerts (destination), ==, PUSH_ALERT_NONE);
  g_assert_false (push_destination_get_privacy_acknowledged (destination));
  g_assert_cmpuint (push_mapping_get_n_rows (push_destination_get_mapping (destination)), ==, 0);
}

/* A valid document with one member replaced: "%s" in the template is where the variable
 * part goes. */
#define DOC_HEAD "{\"format\":\"audience-push-destination\",\"version\":1,\"destination\":{" \
                 "\"id\":\"6f1c2d3e-4b5a-4c6d-8e7f-0a1b2c3d4e5f\",\"name\":\"N\"," \
                 "\"account\":{\"id\":\"acc\",\"name\":\"A\"},\"dedupeField\":\"email\","
#define DOC_MAPPING "\"mapping\":{\"identityColumn\":\"Email\",\"rows\":[]}"
#define DOC(middle) DOC_HEAD "\"syncType\":\"profile-only\"," middle DOC_MAPPING "}}"

static void
test_import_errors (void)
{
  static const struct {
    const char *document;
    PushDestinationError code;
    const char *message;
  } cases[] = {
    { "", PUSH_DESTINATION_ERROR_INVALID_JSON, NULL },
    { "{\"format\":", PUSH_DESTINATION_ERROR_INVALID_JSON, NULL },
    { "\xff\xfe{}", PUSH_DESTINATION_ERROR_INVALID_JSON, "The destination file is not UTF-8 text" },
    { "[1,2]", PUSH_DESTINATION_ERROR_WRONG_FORMAT,
      "This is not an Audience Push destination: the document is not a JSON object" },
    { "{\"version\":1}", PUSH_DESTINATION_ERROR_WRONG_FORMAT,
      "This is not an Audience Push destination: “format” is not “audience-push-destination”" },
    { "{\"format\":\"audience-push-account\",\"version\":1}", PUSH_DESTINATION_ERROR_WRONG_FORMAT, NULL },
    { "{\"format\":\"audience-push-destination\"}", PUSH_DESTINATION_ERROR_MISSING_MEMBER,
      "“version” is missing" },
    { "{\"format\":\"audience-push-destination\",\"version\":\"1\"}", PUSH_DESTINATION_ERROR_WRONG_TYPE,
      "“version” must be a whole number" },
    { "{\"format\":\"audience-push-destination\",\"version\":1.5}", PUSH_DESTINATION_ERROR_WRONG_TYPE, NULL },
    { "{\"format\":\"audience-push-destination\",\"version\":2,\"destination\":{}}",
      PUSH_DESTINATION_ERROR_UNSUPPORTED_VERSION,
      "This destination uses version 2 of the format; this version of Audience Push reads version 1" },
    { "{\"format\":\"audience-push-destination\",\"version\":1}", PUSH_DESTINATION_ERROR_MISSING_MEMBER,
      "“destination” is missing" },
    { "{\"format\":\"audience-push-destination\",\"version\":1,\"destination\":[]}",
      PUSH_DESTINATION_ERROR_WRONG_TYPE, "“destination” must be an object" },
    { "{\"format\":\"audience-push-destination\",\"version\":1,\"destination\":{\"id\":\"42\"}}",
      PUSH_DESTINATION_ERROR_INVALID_VALUE, "“destination.id” is not a UUID" },
    { DOC_HEAD "\"syncType\":\"sometimes\"," DOC_MAPPING "}}", PUSH_DESTINATION_ERROR_UNKNOWN_VALUE,
      "“destination.syncType” has an unknown value “sometimes” (expected one of: audience-only, profile-only, audience-and-profile)" },
    { DOC_HEAD "\"syncType\":3," DOC_MAPPING "}}", PUSH_DESTINATION_ERROR_WRONG_TYPE,
      "“destination.syncType” must be a string" },
    { DOC_HEAD DOC_MAPPING "}}", PUSH_DESTINATION_ERROR_MISSING_MEMBER,
      "“destination.syncType” is missing" },
    { DOC ("\"personAction\":\"createOnly\","), PUSH_DESTINATION_ERROR_UNKNOWN_VALUE,
      "“destination.personAction” has an unknown value “createOnly” (expected one of: update-only, create-or-update)" },
    { DOC ("\"partition\":false,"), PUSH_DESTINATION_ERROR_WRONG_TYPE,
      "“destination.partition” must be a string" },
    { DOC ("\"list\":{\"kind\":\"smart\"},"), PUSH_DESTINATION_ERROR_UNKNOWN_VALUE,
      "“destination.list.kind” has an unknown value “smart” (expected one of: none, existing, create-per-audience)" },
    { DOC ("\"list\":{},"), PUSH_DESTINATION_ERROR_MISSING_MEMBER, "“destination.list.kind” is missing" },
    { DOC ("\"list\":{\"kind\":\"existing\",\"id\":\"1001\"},"), PUSH_DESTINATION_ERROR_WRONG_TYPE,
      "“destination.list.id” must be a whole number" },
    { DOC ("\"list\":{\"kind\":\"existing\",\"id\":-4},"), PUSH_DESTINATION_ERROR_INVALID_VALUE,
      "“destination.list.id” must not be negative" },
    { DOC ("\"list\":{\"kind\":\"none\",\"onClash\":\"rename\"},"), PUSH_DESTINATION_ERROR_UNKNOWN_VALUE,
      "“destination.list.onClash” has an unknown value “rename” (expected one of: reuse, fail)" },
    { DOC ("\"list\":{\"kind\":\"create-per-audience\",\"folder\":12},"),
      PUSH_DESTINATION_ERROR_WRONG_TYPE, "“destination.list.folder” must be an object" },
    { DOC ("\"list\":{\"kind\":\"create-per-audience\",\"folder\":{\"type\":\"Folder\"}},"),
      PUSH_DESTINATION_ERROR_MISSING_MEMBER, "“destination.list.folder.id” is missing" },
    { DOC ("\"list\":{\"kind\":\"create-per-audience\",\"folder\":{\"id\":\"12\"}},"),
      PUSH_DESTINATION_ERROR_WRONG_TYPE, "“destination.list.folder.id” must be a whole number" },
    { DOC ("\"list\":{\"kind\":\"create-per-audience\",\"folder\":{\"id\":0}},"),
      PUSH_DESTINATION_ERROR_INVALID_VALUE, "“destination.list.folder.id” must be a positive number" },
    { DOC ("\"list\":{\"kind\":\"create-per-audience\",\"folder\":{\"id\":12,\"type\":\"Workspace\"}},"),
      PUSH_DESTINATION_ERROR_UNKNOWN_VALUE,
      "“destination.list.folder.type” has an unknown value “Workspace” (expected one of: Folder, Program)" },
    { DOC ("\"list\":{\"kind\":\"create-per-audience\",\"folder\":{\"id\":12,\"name\":7}},"),
      PUSH_DESTINATION_ERROR_WRONG_TYPE, "“destination.list.folder.name” must be a string" },
    { DOC ("\"alerts\":\"on-failure\","), PUSH_DESTINATION_ERROR_WRONG_TYPE,
      "“destination.alerts” must be an array" },
    { DOC ("\"alerts\":[\"on-failure\",\"on-sunday\"],"), PUSH_DESTINATION_ERROR_UNKNOWN_VALUE,
      "“destination.alerts[1]” has an unknown value “on-sunday” (expected one of: on-completion, on-completion-with-rejections, on-failure, on-quota-pause)" },
    { DOC ("\"alerts\":[\"none\"],"), PUSH_DESTINATION_ERROR_UNKNOWN_VALUE, NULL },
    { DOC ("\"alerts\":[7],"), PUSH_DESTINATION_ERROR_WRONG_TYPE, "“destination.alerts[0]” must be a string" },
    { DOC ("\"privacy\":{\"acknowledged\":\"yes\"},"), PUSH_DESTINATION_ERROR_WRONG_TYPE,
      "“destination.privacy.acknowledged” must be true or false" },
    { DOC ("\"privacy\":{\"acknowledged\":true},"), PUSH_DESTINATION_ERROR_MISSING_MEMBER,
      "“destination.privacy.acknowledgedAt” is missing" },
    { DOC ("\"privacy\":{\"acknowledged\":true,\"acknowledgedAt\":\"last Tuesday\"},"),
      PUSH_DESTINATION_ERROR_INVALID_VALUE,
      "“destination.privacy.acknowledgedAt” is not an ISO 8601 date and time with a time zone" },
    { "{\"format\":\"audience-push-destination\",\"version\":1,\"destination\":{"
      "\"id\":\"6f1c2d3e-4b5a-4c6d-8e7f-0a1b2c3d4e5f\",\"name\":\"N\",\"account\":{\"name\":\"A\"}}}",
      PUSH_DESTINATION_ERROR_MISSING_MEMBER, "“destination.account.id” is missing" },
    { "{\"format\":\"audience-push-destination\",\"version\":1,\"destination\":{"
      "\"id\":\"6f1c2d3e-4b5a-4c6d-8e7f-0a1b2c3d4e5f\",\"name\":\"N\"}}",
      PUSH_DESTINATION_ERROR_MISSING_MEMBER, "“destination.account” is missing" },
    { DOC_HEAD "\"syncType\":\"profile-only\"}}", PUSH_DESTINATION_ERROR_MISSING_MEMBER,
      "“destination.mapping” is missing" },
    { DOC_HEAD "\"syncType\":\"profile-only\",\"mapping\":{\"rows\":[]}}}",
      PUSH_DESTINATION_ERROR_MISSING_MEMBER, "“destination.mapping.identityColumn” is missing" },
    { DOC_HEAD "\"syncType\":\"profile-only\",\"mapping\":{\"identityColumn\":\"E\",\"rows\":{}}}}",
      PUSH_DESTINATION_ERROR_WRONG_TYPE, "“destination.mapping.rows” must be an array" },
    { DOC_HEAD "\"syncType\":\"profile-only\",\"mapping\":{\"identityColumn\":\"E\",\"rows\":["
      "{\"column\":\"A\",\"field\":\"city\"},{\"column\":\"B\"}]}}}",
      PUSH_DESTINATION_ERROR_MISSING_MEMBER, "“destination.mapping.rows[1].field” is missing" },
    { DOC_HEAD "\"syncType\":\"profile-only\",\"mapping\":{\"identityColumn\":\"E\",\"rows\":[\"A\"]}}}",
      PUSH_DESTINATION_ERROR_WRONG_TYPE, "“destination.mapping.rows[0]” must be an object" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(PushDestination) destination = NULL;
      g_autoptr(GError) error = NULL;
      g_autofree char *account_name = NULL;

      g_test_message ("case %" G_GSIZE_FORMAT ": %s", i, cases[i].document);
      destination = push_destination_import (cases[i].document, -1, &account_name, &error);
      g_assert_null (destination);
      g_assert_null (account_name);
      g_assert_error (error, PUSH_DESTINATION_ERROR, cases[i].code);
      if (cases[i].message != NULL)
        g_assert_cmpstr (error->message, ==, cases[i].message);
    }

  /* The valid document the cases start from does import. */
  {
    g_autoptr(PushDestination) destination = NULL;
    g_autoptr(GError) error = NULL;

    destination = push_destination_import (DOC (""), -1, NULL, &error);
    g_assert_no_error (error);
    g_assert_nonnull (destination);
  }
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "C.UTF-8");
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/model/destination/defaults", test_defaults);
  g_test_add_func ("/model/destination/setters-notify", test_setters_notify);
  g_test_add_func ("/model/destination/privacy", test_privacy);
  g_test_add_func ("/model/destination/enums", test_enums);
  g_test_add_func ("/model/destination/list-names", test_list_names);
  g_test_add_func ("/model/destination/copy-equal", test_copy_equal);
  g_test_add_func ("/model/destination/list-folder", test_list_folder);
  g_test_add_func ("/model/destination/round-trip", test_round_trip);
  g_test_add_func ("/model/destination/import-fixture", test_import_fixture);
  g_test_add_func ("/model/destination/import-help-example", test_import_help_example);
  g_test_add_func ("/model/destination/import-minimal", test_import_minimal);
  g_test_add_func ("/model/destination/import-errors", test_import_errors);

  return g_test_run ();
}
