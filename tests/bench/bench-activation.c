/* bench-activation.c: a 100,000-member "Audience and profile" run through the CLI
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A sandbox runs in this process with the instance limits compressed tenfold in time (100
 * calls per 2 s, 10 in flight) and 1,000 ms per call. An account with that budget (100 calls
 * per 2 s, 10 in flight) and a destination that creates a list per audience are written to a
 * fresh database, with the instance's metadata cached as setting the destination up leaves it;
 * then `audience-push-cli activate` runs as a child process on a generated audience: 100,000
 * rows, half of them people the sandbox has, half new.
 *
 * Figures:
 *  - members per second, end to end (from the CLI's start to its exit);
 *  - API calls (the sandbox's log, identity calls left out) and calls per second, end to end,
 *    against the ceiling the configuration allows: min (window calls / window, in flight /
 *    latency) = min (50, 10) = 10 calls/s. With 1 s calls and 10 at once the in-flight cap is
 *    what binds, so the window's 50 calls/s are out of reach by construction; both ratios
 *    are printed, RESULT carries the one against the reachable ceiling;
 *  - the 606 and 615 answers the sandbox gave (target 0);
 *  - the CLI's peak RSS from wait4()'s rusage (target < 64 MB). ru_maxrss carries over the
 *    high-water mark of the process image before execve(), so the CLI is not forked from this
 *    (large) process: a small helper forked at the very start, before anything is allocated,
 *    spawns it and reports wait4()'s figures back through a pipe.
 *
 * Usage: bench-activation [MEMBERS [LATENCY_MS [update-only]]] (default 100000 1000): other
 * sizes, e.g. a 1,000,000-member run to check the CLI's memory bound; "update-only" makes the
 * destination update people without creating any (the sandbox then stays small).
 *
 * Last line: RESULT members_per_s=<x> ratio=<x> calls=<n> e606=<n> e615=<n> peak_rss_mb=<x>
 */
#include "config.h"

#include <errno.h>
#include <signal.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "marketo-client.h"
#include "marketo-sandbox.h"
#include "push-account.h"
#include "push-destinations.h"
#include "push-instance-cache.h"
#include "push-run-store.h"
#include "push-store.h"

#define EXISTING         50000
#define SEED             2024
#define WINDOW_S         2.0
#define WINDOW_CALLS     100
#define IN_FLIGHT        10
#define DEFAULT_MEMBERS  100000
#define DEFAULT_LATENCY  1000.0
#define CLIENT_ID        "bench-activation-client"

typedef struct {
  int     status;      /* wait status */
  long    maxrss_kb;
  gint64  elapsed_us;
} ChildReport;

/* ---- The helper: forked before anything else, so it is small ---- */

static int go_pipe[2];
static int report_pipe[2];

static G_GNUC_NORETURN void
helper_main (char       **argv,
             char       **envp)
{
  ChildReport report = { 0 };
  struct rusage usage;
  struct timespec start, end;
  char go;
  pid_t pid;

  close (go_pipe[1]);
  close (report_pipe[0]);
  if (read (go_pipe[0], &go, 1) != 1 || go != 'g')
    _exit (0);

  clock_gettime (CLOCK_MONOTONIC, &start);
  pid = fork ();
  if (pid == 0)
    {
      execve (argv[0], argv, envp);
      _exit (127);
    }
  if (pid > 0 && wait4 (pid, &report.status, 0, &usage) == pid)
    report.maxrss_kb = usage.ru_maxrss;
  else
    report.status = -1;
  clock_gettime (CLOCK_MONOTONIC, &end);
  report.elapsed_us = (end.tv_sec - start.tv_sec) * G_GINT64_CONSTANT (1000000) +
                      (end.tv_nsec - start.tv_nsec) / 1000;
  if (write (report_pipe[1], &report, sizeof report) != sizeof report)
    _exit (1);
  _exit (0);
}

/* ---- Set-up in the parent ---- */

static void
rm_rf (const char *path)
{
  GDir *dir = g_dir_open (path, 0, NULL);
  const char *name;

  if (dir != NULL)
    {
      while ((name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *child = g_build_filename (path, name, NULL);

          if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
            rm_rf (child);
          else
            g_unlink (child);
        }
      g_dir_close (dir);
    }
  g_rmdir (path);
}

static guint members = DEFAULT_MEMBERS;
static double latency_ms = DEFAULT_LATENCY;
static gboolean update_only = FALSE;

static char *
write_audience (const char *dir,
                guint64    *existing_out)
{
  g_autofree char *path = g_build_filename (dir, "bench-audience.csv", NULL);
  g_autoptr(GString) csv = g_string_sized_new ((gsize) members * 64);
  g_autoptr(GError) error = NULL;
  guint64 existing = 0;
  guint rows = 0;

  g_string_append (csv, "Email,First Name,Last Name,Value\n");
  for (guint n = 1; n <= EXISTING && rows < members; n++)
    {
      g_autofree char *email = NULL;

      /* seeded leads 999/1000, 1999/2000, … share an e-mail: leave them out */
      if (n % 1000 == 0 || n % 1000 == 999)
        continue;
      email = marketo_sandbox_seed_email (SEED, n);
      g_string_append_printf (csv, "%s,Known%u,Person,%u.25\n", email, n, n % 997);
      existing++;
      rows++;
    }
  for (guint i = 0; rows < members; i++, rows++)
    g_string_append_printf (csv, "bench-new-%u@bench.example.test,New%u,Person,1.5\n", i, i);

  g_file_set_contents (path, csv->str, csv->len, &error);
  g_assert_no_error (error);
  *existing_out = existing;
  return g_steal_pointer (&path);
}

static void
setup_store (const char     *db_path,
             MarketoSandbox *sandbox)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PushStore) store = push_store_open (db_path, &error);
  g_autoptr(PushAccount) account = push_account_new ();
  g_autoptr(PushDestinations) destinations = NULL;
  g_autoptr(PushDestination) destination = push_destination_new ();
  g_autofree char *endpoint = marketo_sandbox_dup_endpoint (sandbox);
  PushMapping *mapping;

  g_assert_no_error (error);
  push_account_set_name (account, "Bench sandbox");
  push_account_set_munchkin_id (account, "123-ABC-456");
  push_account_set_endpoint (account, endpoint);
  push_account_set_client_id (account, CLIENT_ID);
  push_account_set_is_sandbox (account, TRUE);
  push_account_set_rate_calls (account, WINDOW_CALLS);
  push_account_set_rate_window (account, (guint) WINDOW_S);
  push_account_set_max_concurrency (account, IN_FLIGHT);
  g_assert_true (push_store_insert_account (store, account, &error));
  g_assert_no_error (error);

  push_destination_set_name (destination, "Bench");
  push_destination_set_account_id (destination, push_account_get_id (account));
  push_destination_set_sync_type (destination, PUSH_SYNC_TYPE_AUDIENCE_AND_PROFILE);
  push_destination_set_person_action (destination, update_only ?
                                                   PUSH_PERSON_ACTION_UPDATE_ONLY :
                                                   PUSH_PERSON_ACTION_CREATE_OR_UPDATE);
  push_destination_set_dedupe_field (destination, "email");
  push_destination_set_list_target_kind (destination, PUSH_LIST_TARGET_CREATE_PER_AUDIENCE);
  push_destination_set_list_name_template (destination, "Bench {audience}");
  push_destination_set_list_folder (destination, 12, "Folder", "Audiences");
  push_destination_set_privacy_acknowledged (destination, TRUE);
  mapping = push_destination_get_mapping (destination);
  push_mapping_set_identity_column (mapping, "Email");
  push_mapping_set_identity_field (mapping, "email");
  push_mapping_add_row (mapping, "First Name", "firstName");
  push_mapping_add_row (mapping, "Last Name", "lastName");
  push_mapping_add_row (mapping, "Value", "lifetimeValue");
  destinations = push_destinations_new (store, &error);
  g_assert_no_error (error);
  g_assert_true (push_destinations_add (destinations, destination, &error));
  g_assert_no_error (error);

  /* As after setting the destination up in the app or with `destinations add`: the
   * instance's fields, partitions, lists and folders are in the cache, fresh for a day, so
   * the run reads them from there. (These calls are cleared from the sandbox's log.) */
  {
    g_autoptr(PushInstanceCache) cache = push_instance_cache_new (store);
    g_autoptr(MarketoClient) client = NULL;

    client = marketo_client_new (endpoint, marketo_sandbox_get_client_id (sandbox),
                                 marketo_sandbox_get_client_secret (sandbox), &error);
    g_assert_no_error (error);
    g_assert_true (push_instance_cache_refresh_sync (cache, push_account_get_id (account), client,
                                                     NULL, &error));
    g_assert_no_error (error);
  }
  marketo_sandbox_clear_request_log (sandbox);
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *tmpdir = NULL;
  char secret[33];
  const char *build_root = g_getenv ("AUDIENCE_PUSH_BUILD_ROOT");
  g_autofree char *cli = NULL;
  g_autofree char *data_home = NULL;
  g_autofree char *db_dir = NULL;
  g_autofree char *db_path = NULL;
  g_autofree char *audience = NULL;
  g_autofree char *env_data = NULL;
  g_autofree char *env_secret = NULL;
  g_autofree char *env_path = NULL;
  g_autoptr(MarketoSandbox) sandbox = NULL;
  g_autoptr(GPtrArray) log = NULL;
  g_autoptr(GError) error = NULL;
  ChildReport report = { 0 };
  guint64 existing = 0;
  guint64 calls = 0, e606 = 0, e615 = 0, other_errors = 0;
  gint64 first_us = G_MAXINT64, last_us = 0;
  double elapsed, members_per_s, calls_per_s, ceiling, window_ceiling, peak_mb;
  pid_t helper;
  char *cli_argv[12];
  char *cli_envp[6];
  guint n = 0;

  if (argc > 1)
    members = (guint) g_ascii_strtoull (argv[1], NULL, 10);
  if (argc > 2)
    latency_ms = g_ascii_strtod (argv[2], NULL);
  if (argc > 3)
    update_only = g_str_equal (argv[3], "update-only");
  if (members == 0)
    g_error ("usage: %s [MEMBERS [LATENCY_MS [update-only]]]", argv[0]);

  /* Everything the child needs is decided now, before the helper is forked. */
  tmpdir = g_dir_make_tmp ("bench-activation-XXXXXX", &error);
  g_assert_no_error (error);
  for (guint i = 0; i < 32; i++)
    secret[i] = "abcdefghijklmnopqrstuvwxyz012345"[g_random_int_range (0, 32)];
  secret[32] = '\0';
  cli = g_build_filename (build_root != NULL ? build_root : ".", "src", "cli",
                          "audience-push-cli", NULL);
  data_home = g_build_filename (tmpdir, "data", NULL);
  db_dir = g_build_filename (data_home, "audience-push", NULL);
  db_path = g_build_filename (db_dir, "audience-push.db", NULL);
  audience = g_build_filename (tmpdir, "bench-audience.csv", NULL);
  env_data = g_strconcat ("XDG_DATA_HOME=", data_home, NULL);
  env_secret = g_strconcat ("AUDIENCE_PUSH_CLIENT_SECRET=", secret, NULL);
  env_path = g_strconcat ("PATH=", g_getenv ("PATH") != NULL ? g_getenv ("PATH") : "/usr/bin",
                          NULL);
  cli_argv[n++] = cli;
  cli_argv[n++] = (char *) "activate";
  cli_argv[n++] = (char *) "--destination";
  cli_argv[n++] = (char *) "Bench";
  cli_argv[n++] = (char *) "--audience";
  cli_argv[n++] = audience;
  cli_argv[n++] = (char *) "--list-folder";
  cli_argv[n++] = (char *) "12";
  cli_argv[n++] = (char *) "--json";
  cli_argv[n++] = NULL;
  cli_envp[0] = env_data;
  cli_envp[1] = env_secret;
  cli_envp[2] = env_path;
  cli_envp[3] = (char *) "LC_ALL=C.UTF-8";
  cli_envp[4] = NULL;

  if (pipe (go_pipe) != 0 || pipe (report_pipe) != 0)
    g_error ("pipe: %s", g_strerror (errno));
  helper = fork ();
  if (helper < 0)
    g_error ("fork: %s", g_strerror (errno));
  if (helper == 0)
    helper_main (cli_argv, cli_envp);
  close (go_pipe[0]);
  close (report_pipe[1]);

  /* The sandbox, the store and the audience */
  sandbox = marketo_sandbox_new ();
  g_object_set (sandbox,
                "client-id", CLIENT_ID,
                "client-secret", secret,
                "seed", (guint64) SEED,
                "lead-count", (guint) EXISTING,
                "window-seconds", WINDOW_S,
                "window-calls", (guint) WINDOW_CALLS,
                "max-concurrency", (guint) IN_FLIGHT,
                "latency-base-ms", latency_ms,
                NULL);
  if (!marketo_sandbox_start (sandbox, 0, &error))
    g_error ("sandbox: %s", error->message);
  g_assert_cmpint (g_mkdir_with_parents (db_dir, 0700), ==, 0);
  setup_store (db_path, sandbox);
  g_free (write_audience (tmpdir, &existing));

  g_print ("audience: %u rows (%" G_GUINT64_FORMAT " known to the sandbox, %" G_GUINT64_FORMAT
           " new); sandbox: %d calls / %.0f s, %d in flight, %.0f ms a call\n",
           members, existing, (guint64) members - existing, WINDOW_CALLS, WINDOW_S, IN_FLIGHT,
           latency_ms);
  g_print ("running: %s activate --destination Bench --audience FILE --list-folder 12 --json\n",
           cli);

  /* Go, and wait for the helper's report (the sandbox serves from its own thread) */
  if (write (go_pipe[1], "g", 1) != 1)
    g_error ("could not start the helper");
  if (read (report_pipe[0], &report, sizeof report) != sizeof report)
    g_error ("the helper did not report");
  waitpid (helper, NULL, 0);

  if (!WIFEXITED (report.status) || (WEXITSTATUS (report.status) != 0 &&
                                     WEXITSTATUS (report.status) != 3))
    g_error ("the CLI failed (wait status %d)", report.status);

  /* The sandbox's view of the run */
  log = marketo_sandbox_dup_request_log (sandbox);
  for (guint i = 0; i < log->len; i++)
    {
      const MarketoSandboxRequest *request = g_ptr_array_index (log, i);

      if (g_str_has_prefix (request->path, "/identity"))
        continue;
      calls++;
      first_us = MIN (first_us, request->start_us);
      last_us = MAX (last_us, request->end_us);
      if (request->code == 606)
        e606++;
      else if (request->code == 615)
        e615++;
      else if (request->code != 0)
        other_errors++;
    }

  elapsed = report.elapsed_us / (double) G_USEC_PER_SEC;
  members_per_s = members / elapsed;
  calls_per_s = calls / elapsed;
  window_ceiling = WINDOW_CALLS / WINDOW_S;
  ceiling = MIN (window_ceiling, IN_FLIGHT / (latency_ms / 1000.0));
  peak_mb = report.maxrss_kb / 1024.0;

  g_print ("CLI exit status %d after %.1f s\n", WEXITSTATUS (report.status), elapsed);
  g_print ("members: %u in %.1f s = %.0f members/s\n", members, elapsed, members_per_s);
  g_print ("API calls: %" G_GUINT64_FORMAT " (other errors: %" G_GUINT64_FORMAT "); "
           "first request to last answer: %.1f s\n", calls, other_errors,
           (last_us - first_us) / (double) G_USEC_PER_SEC);
  g_print ("calls/s end to end: %.2f; ceiling min (%.0f/s window, %d in flight / %.1f s) = "
           "%.1f/s: ratio %.3f (against the window alone: %.3f)\n", calls_per_s,
           window_ceiling, IN_FLIGHT, latency_ms / 1000.0, ceiling, calls_per_s / ceiling,
           calls_per_s / window_ceiling);
  g_print ("calls/s while sending (first request to last answer): %.2f, ratio %.3f\n",
           calls / ((last_us - first_us) / (double) G_USEC_PER_SEC),
           calls / ((last_us - first_us) / (double) G_USEC_PER_SEC) / ceiling);
  g_print ("606 received: %" G_GUINT64_FORMAT ", 615 received: %" G_GUINT64_FORMAT "\n",
           e606, e615);
  g_print ("CLI peak RSS (wait4 ru_maxrss): %.1f MB\n", peak_mb);
  g_print ("RESULT members_per_s=%.0f ratio=%.3f calls=%" G_GUINT64_FORMAT " e606=%"
           G_GUINT64_FORMAT " e615=%" G_GUINT64_FORMAT " peak_rss_mb=%.1f\n",
           members_per_s, calls_per_s / ceiling, calls, e606, e615, peak_mb);

  marketo_sandbox_stop (sandbox);
  rm_rf (tmpdir);
  return 0;
}
