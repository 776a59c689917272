/* cli-test-utils.c: running the built audience-push-cli from the tests in tests/cli
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "cli-test-utils.h"

#include <glib/gstdio.h>
#include <signal.h>
#include <string.h>
#include <sys/prctl.h>

#include "test-utils.h"

static char *cli_path;

void
cli_result_clear (CliResult *result)
{
  g_clear_pointer (&result->out, g_free);
  g_clear_pointer (&result->err, g_free);
}

void
cli_test_init (int    *argc,
               char ***argv)
{
  const char *build_root;

  g_test_init (argc, argv, NULL);

  cli_path = g_strdup (g_getenv ("AUDIENCE_PUSH_CLI"));
  build_root = g_getenv ("AUDIENCE_PUSH_BUILD_ROOT");
  if (cli_path == NULL && build_root != NULL)
    cli_path = g_build_filename (build_root, "src", "cli", "audience-push-cli", NULL);
  if (cli_path == NULL || !g_file_test (cli_path, G_FILE_TEST_IS_EXECUTABLE))
    g_error ("audience-push-cli not found: set AUDIENCE_PUSH_CLI or AUDIENCE_PUSH_BUILD_ROOT");
}

const char *
cli_test_get_cli_path (void)
{
  return cli_path;
}

void
cli_fixture_set_up (CliFixture    *f,
                    gconstpointer  data)
{
  f->tmpdir = push_test_make_tmpdir ();
  f->data_home = g_build_filename (f->tmpdir, "data", NULL);
  f->config_home = g_build_filename (f->tmpdir, "config", NULL);
  g_assert_cmpint (g_mkdir_with_parents (f->data_home, 0700), ==, 0);
  g_assert_cmpint (g_mkdir_with_parents (f->config_home, 0700), ==, 0);
  f->forbidden = g_ptr_array_new_with_free_func (g_free);
}

static gboolean
timed_out_cb (gpointer user_data)
{
  gboolean *timed_out = user_data;

  *timed_out = TRUE;
  return G_SOURCE_REMOVE;
}

static void
waited_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  gboolean *done = user_data;

  g_subprocess_wait_finish (G_SUBPROCESS (source), result, NULL);
  *done = TRUE;
}

int
cli_test_wait_for_exit (GSubprocess *subprocess)
{
  gboolean timed_out = FALSE;
  gboolean done = FALSE;
  guint timeout_id;

  timeout_id = g_timeout_add_seconds (CLI_TEST_CALL_TIMEOUT_S, timed_out_cb, &timed_out);
  g_subprocess_wait_async (subprocess, NULL, waited_cb, &done);
  while (!timed_out && !done)
    g_main_context_iteration (NULL, TRUE);
  if (timed_out)
    {
      g_subprocess_force_exit (subprocess);
      g_error ("%s did not end within %d s", cli_path, CLI_TEST_CALL_TIMEOUT_S);
    }
  g_source_remove (timeout_id);

  if (!g_subprocess_get_if_exited (subprocess))
    return -1;
  return g_subprocess_get_exit_status (subprocess);
}

void
cli_fixture_stop_sandbox (CliFixture *f)
{
  int status;

  if (f->sandbox == NULL)
    return;

  g_subprocess_send_signal (f->sandbox, SIGTERM);
  status = cli_test_wait_for_exit (f->sandbox);
  g_clear_object (&f->sandbox);
  /* SIGTERM is a clean stop, not a death */
  g_assert_cmpint (status, ==, 0);
}

void
cli_fixture_tear_down (CliFixture    *f,
                       gconstpointer  data)
{
  cli_fixture_stop_sandbox (f);
  push_test_rm_rf (f->tmpdir);
  g_clear_pointer (&f->tmpdir, g_free);
  g_clear_pointer (&f->data_home, g_free);
  g_clear_pointer (&f->config_home, g_free);
  g_clear_pointer (&f->endpoint, g_free);
  g_clear_pointer (&f->client_id, g_free);
  g_clear_pointer (&f->client_secret, g_free);
  g_clear_pointer (&f->forbidden, g_ptr_array_unref);
}

/* In the child: if the test dies (a failed assertion aborts it), so does the child, instead of
 * living on and keeping the test's output pipes open. */
static void
die_with_parent (gpointer user_data)
{
  prctl (PR_SET_PDEATHSIG, SIGTERM);
}

GSubprocessLauncher *
cli_fixture_launcher (CliFixture       *f,
                      GSubprocessFlags  flags)
{
  GSubprocessLauncher *launcher = g_subprocess_launcher_new (flags);

  g_subprocess_launcher_set_child_setup (launcher, die_with_parent, NULL, NULL);

  g_subprocess_launcher_setenv (launcher, "XDG_DATA_HOME", f->data_home, TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_CONFIG_HOME", f->config_home, TRUE);
  /* untranslated messages, whatever the machine's locale */
  g_subprocess_launcher_setenv (launcher, "LC_ALL", "C.UTF-8", TRUE);
  g_subprocess_launcher_unsetenv (launcher, "LANGUAGE");
  g_subprocess_launcher_unsetenv (launcher, "AUDIENCE_PUSH_CLIENT_SECRET");
  if (f->run_in_tmpdir)
    g_subprocess_launcher_set_cwd (launcher, f->tmpdir);
  return launcher;
}

typedef struct {
  char    *out;
  char    *err;
  GError  *error;
  gboolean done;
} Communication;

static void
communicated_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  Communication *c = user_data;

  g_subprocess_communicate_utf8_finish (G_SUBPROCESS (source), result, &c->out, &c->err,
                                        &c->error);
  c->done = TRUE;
}

static void
assert_not_printed (const CliResult *result,
                    const char      *secret)
{
  g_assert_null (strstr (result->out, secret));
  g_assert_null (strstr (result->err, secret));
}

void
cli_fixture_run_cliv (CliFixture         *f,
                      const char         *stdin_text,
                      const char * const *env,
                      const char * const *args,
                      CliResult          *result)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) subprocess = NULL;
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *joined = NULL;
  Communication c = { NULL, };
  gboolean timed_out = FALSE;
  guint timeout_id;

  launcher = cli_fixture_launcher (f, G_SUBPROCESS_FLAGS_STDIN_PIPE |
                                      G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                      G_SUBPROCESS_FLAGS_STDERR_PIPE);
  for (guint i = 0; env != NULL && env[i] != NULL; i++)
    {
      g_auto(GStrv) pair = g_strsplit (env[i], "=", 2);

      g_subprocess_launcher_setenv (launcher, pair[0], pair[1], TRUE);
    }

  g_ptr_array_add (argv, cli_path);
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (char *) args[i]);
  g_ptr_array_add (argv, NULL);
  joined = g_strjoinv (" ", (char **) argv->pdata);
  g_test_message ("running: %s", joined);

  subprocess = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata,
                                             &error);
  g_assert_no_error (error);

  timeout_id = g_timeout_add_seconds (CLI_TEST_CALL_TIMEOUT_S, timed_out_cb, &timed_out);
  g_subprocess_communicate_utf8_async (subprocess, stdin_text != NULL ? stdin_text : "", NULL,
                                       communicated_cb, &c);
  while (!c.done && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  if (timed_out)
    {
      g_subprocess_force_exit (subprocess);
      g_error ("\"%s\" did not end within %d s", joined, CLI_TEST_CALL_TIMEOUT_S);
    }
  g_source_remove (timeout_id);
  g_assert_no_error (c.error);

  result->status = cli_test_wait_for_exit (subprocess);
  result->out = c.out;
  result->err = c.err;
  g_test_message ("exit status %d\nstdout: %s\nstderr: %s", result->status, result->out,
                  result->err);

  /* No secret the test knows of ever shows up in what a command prints: the sandbox's, and
   * any the test added. */
  if (f->client_secret != NULL)
    assert_not_printed (result, f->client_secret);
  for (guint i = 0; i < f->forbidden->len; i++)
    assert_not_printed (result, g_ptr_array_index (f->forbidden, i));
}

typedef struct {
  char    *line;
  GError  *error;
  gboolean done;
} LineRead;

static void
line_read_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  LineRead *read = user_data;

  read->line = g_data_input_stream_read_line_finish_utf8 (G_DATA_INPUT_STREAM (source), result,
                                                          NULL, &read->error);
  read->done = TRUE;
}

char *
cli_fixture_start_sandbox_full (CliFixture          *f,
                                const char          *stdin_text,
                                GInputStream       **out_stderr,
                                const char * const  *args)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GDataInputStream) stdout_lines = NULL;
  g_autoptr(GError) error = NULL;
  GSubprocessFlags flags = G_SUBPROCESS_FLAGS_STDOUT_PIPE;
  LineRead read = { NULL, };
  gboolean timed_out = FALSE;
  guint timeout_id;

  g_assert_null (f->sandbox);

  if (stdin_text != NULL)
    flags |= G_SUBPROCESS_FLAGS_STDIN_PIPE;
  if (out_stderr != NULL)
    flags |= G_SUBPROCESS_FLAGS_STDERR_PIPE;
  launcher = cli_fixture_launcher (f, flags);
  g_ptr_array_add (argv, cli_path);
  g_ptr_array_add (argv, (char *) "sandbox");
  g_ptr_array_add (argv, (char *) "--port");
  g_ptr_array_add (argv, (char *) "0");
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (char *) args[i]);
  g_ptr_array_add (argv, NULL);

  f->sandbox = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata,
                                             &error);
  g_assert_no_error (error);

  if (stdin_text != NULL)
    {
      GOutputStream *input = g_subprocess_get_stdin_pipe (f->sandbox);

      g_output_stream_write_all (input, stdin_text, strlen (stdin_text), NULL, NULL, &error);
      g_assert_no_error (error);
      g_output_stream_close (input, NULL, &error);
      g_assert_no_error (error);
    }
  if (out_stderr != NULL)
    *out_stderr = g_object_ref (g_subprocess_get_stderr_pipe (f->sandbox));

  stdout_lines = g_data_input_stream_new (g_subprocess_get_stdout_pipe (f->sandbox));
  timeout_id = g_timeout_add_seconds (CLI_TEST_CALL_TIMEOUT_S, timed_out_cb, &timed_out);
  g_data_input_stream_read_line_async (stdout_lines, G_PRIORITY_DEFAULT, NULL, line_read_cb,
                                       &read);
  while (!read.done && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  if (timed_out)
    g_error ("the sandbox printed no line within %d s", CLI_TEST_CALL_TIMEOUT_S);
  g_source_remove (timeout_id);
  g_assert_no_error (read.error);
  g_assert_nonnull (read.line);

  return read.line;
}

void
cli_fixture_start_json_sandbox (CliFixture *f)
{
  const char * const args[] = { "--json", "--seed", "7", "--leads", "20", NULL };
  g_autofree char *line = cli_fixture_start_sandbox_full (f, NULL, NULL, args);
  g_autoptr(JsonNode) node = cli_test_parse_json (line);
  JsonObject *object;

  g_assert_true (JSON_NODE_HOLDS_OBJECT (node));
  object = json_node_get_object (node);
  g_assert_cmpuint (json_object_get_size (object), ==, 3);

  f->endpoint = g_strdup (json_object_get_string_member (object, "endpoint"));
  f->client_id = g_strdup (json_object_get_string_member (object, "client_id"));
  f->client_secret = g_strdup (json_object_get_string_member (object, "client_secret"));
  g_assert_true (g_str_has_prefix (f->endpoint, "http://127.0.0.1:"));
  g_assert_cmpstr (f->endpoint, !=, "http://127.0.0.1:0");
  g_assert_cmpstr (f->client_id, !=, "");
  g_assert_cmpstr (f->client_secret, !=, "");

  g_ptr_array_add (f->forbidden, g_strdup (f->client_secret));
}

void
cli_test_assert_error_line (const CliResult *result,
                            const char      *expected_part)
{
  g_auto(GStrv) lines = g_strsplit (result->err, "\n", -1);

  g_assert_true (g_str_has_prefix (result->err, "audience-push-cli: "));
  g_assert_nonnull (lines[0]);
  if (strstr (lines[0], expected_part) == NULL)
    g_error ("expected \"%s\" in the error line \"%s\"", expected_part, lines[0]);
}

JsonNode *
cli_test_parse_json (const char *text)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  json_parser_load_from_data (parser, text, -1, &error);
  g_assert_no_error (error);
  return json_node_copy (json_parser_get_root (parser));
}
