/* cli-test-utils.h: running the built audience-push-cli from the tests in tests/cli
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A CliFixture gives each test its own XDG_DATA_HOME and XDG_CONFIG_HOME (under a fresh
 * temporary directory) and at most one "audience-push-cli sandbox" child, stopped with SIGTERM
 * at tear-down. The binary is $AUDIENCE_PUSH_CLI, else
 * $AUDIENCE_PUSH_BUILD_ROOT/src/cli/audience-push-cli.
 */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* How long a single CLI call or the sandbox's first line may take before the test fails. */
#define CLI_TEST_CALL_TIMEOUT_S 30

typedef struct {
  char        *tmpdir;         /* (owned) */
  char        *data_home;      /* (owned) */
  char        *config_home;    /* (owned) */
  GSubprocess *sandbox;        /* (owned) (nullable) */
  char        *endpoint;       /* (owned) (nullable) the sandbox's */
  char        *client_id;      /* (owned) (nullable) */
  char        *client_secret;  /* (owned) (nullable) */
  GPtrArray   *forbidden;      /* (owned) strings no command's output may contain */
  gboolean     run_in_tmpdir;  /* children start in @tmpdir, else in the test's directory */
} CliFixture;

typedef struct {
  int   status;  /* exit status, or -1 when killed by a signal */
  char *out;
  char *err;
} CliResult;

void                 cli_result_clear               (CliResult          *result);

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (CliResult, cli_result_clear)

/* g_test_init(), then finds the CLI (a fatal error when it is not there). */
void                 cli_test_init                  (int                *argc,
                                                     char             ***argv);
const char          *cli_test_get_cli_path          (void);

void                 cli_fixture_set_up             (CliFixture         *f,
                                                     gconstpointer       data);
void                 cli_fixture_tear_down          (CliFixture         *f,
                                                     gconstpointer       data);

/* Waits for @subprocess to end (at most CLI_TEST_CALL_TIMEOUT_S) and returns its exit status,
 * or -1 when a signal ended it. */
int                  cli_test_wait_for_exit         (GSubprocess        *subprocess);

/* SIGTERM to the sandbox, if any, which must then exit with status 0. */
void                 cli_fixture_stop_sandbox       (CliFixture         *f);

/* A launcher for the fixture's directories, untranslated messages, no
 * AUDIENCE_PUSH_CLIENT_SECRET, and a child that dies with the test. */
GSubprocessLauncher *cli_fixture_launcher           (CliFixture         *f,
                                                     GSubprocessFlags    flags);

/* Runs the CLI with @args (NULL-terminated), @stdin_text on its standard input (NULL: an
 * empty one) and @env ("KEY=VALUE" pairs, NULL-terminated, may be NULL) in its environment.
 * Fails when the output holds the sandbox's secret or any string of f->forbidden. */
void                 cli_fixture_run_cliv           (CliFixture         *f,
                                                     const char         *stdin_text,
                                                     const char * const *env,
                                                     const char * const *args,
                                                     CliResult          *result);

/* Starts "audience-push-cli sandbox --port 0 ARGS…" and returns its first line. With
 * @stdin_text, that is written to its standard input; with @out_stderr, its stderr is a pipe
 * returned there, else it is inherited (complaints end up in the test log). */
char                *cli_fixture_start_sandbox_full (CliFixture         *f,
                                                     const char         *stdin_text,
                                                     GInputStream      **out_stderr,
                                                     const char * const *args);

/* Starts the sandbox with --json --seed 7 --leads 20 and keeps what its first line says; its
 * secret joins f->forbidden. */
void                 cli_fixture_start_json_sandbox (CliFixture         *f);

/* The first line of stderr is "audience-push-cli: …" and holds @expected_part. */
void                 cli_test_assert_error_line     (const CliResult    *result,
                                                     const char         *expected_part);

/* @text parsed as JSON; fails when it is not. */
JsonNode            *cli_test_parse_json            (const char         *text);

G_END_DECLS
