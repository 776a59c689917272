/* test-utils.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>

#include "test-utils.h"

void
push_test_init (int    *argc,
                char ***argv)
{
  g_test_init (argc, argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
}

gboolean
push_test_is_headless_run (void)
{
  return g_strcmp0 (g_getenv ("AUDIENCE_PUSH_HEADLESS_TESTS"), "1") == 0;
}

gboolean
push_test_require_keyring (void)
{
  g_autoptr(GDBusConnection) bus = NULL;
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GError) error = NULL;
  gboolean has_owner = FALSE;

  bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, &error);
  if (bus != NULL)
    {
      reply = g_dbus_connection_call_sync (bus, "org.freedesktop.DBus", "/org/freedesktop/DBus",
                                           "org.freedesktop.DBus", "NameHasOwner",
                                           g_variant_new ("(s)", "org.freedesktop.secrets"),
                                           G_VARIANT_TYPE ("(b)"), G_DBUS_CALL_FLAGS_NONE,
                                           5000, NULL, &error);
      if (reply != NULL)
        g_variant_get (reply, "(b)", &has_owner);
    }

  if (has_owner)
    return TRUE;

  if (push_test_is_headless_run ())
    g_error ("no Secret Service on the session bus in a headless run: %s",
             error ? error->message : "org.freedesktop.secrets has no owner");

  g_test_skip ("no Secret Service on the session bus (run through ./run-tests)");
  return FALSE;
}

char *
push_test_make_tmpdir (void)
{
  g_autoptr(GError) error = NULL;
  char *dir = g_dir_make_tmp ("audience-push-test-XXXXXX", &error);

  g_assert_no_error (error);
  return dir;
}

void
push_test_rm_rf (const char *path)
{
  g_autoptr(GFile) file = NULL;
  g_autoptr(GFileEnumerator) children = NULL;

  if (path == NULL)
    return;

  file = g_file_new_for_path (path);
  children = g_file_enumerate_children (file, G_FILE_ATTRIBUTE_STANDARD_NAME ","
                                        G_FILE_ATTRIBUTE_STANDARD_TYPE,
                                        G_FILE_QUERY_INFO_NOFOLLOW_SYMLINKS, NULL, NULL);
  if (children != NULL)
    {
      GFileInfo *info;

      while ((info = g_file_enumerator_next_file (children, NULL, NULL)) != NULL)
        {
          g_autoptr(GFileInfo) owned = info;
          g_autofree char *child = g_build_filename (path, g_file_info_get_name (info), NULL);

          if (g_file_info_get_file_type (info) == G_FILE_TYPE_DIRECTORY)
            push_test_rm_rf (child);
          else
            g_unlink (child);
        }
    }
  g_rmdir (path);
}

char *
push_test_log_path (const char *basename)
{
  const char *dir = g_getenv ("AUDIENCE_PUSH_TEST_LOGDIR");

  return g_build_filename (dir != NULL ? dir : ".", basename, NULL);
}
