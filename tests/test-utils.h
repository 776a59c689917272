/* test-utils.h: small helpers shared by the C tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* g_test_init() with G_TEST_OPTION_ISOLATE_DIRS: each test case gets fresh, empty user
 * directories, so a fresh database. */
void      push_test_init              (int    *argc,
                                       char ***argv);

/* TRUE under ./run-tests (tests/run-headless.sh), where the keyring and the display must be
 * there: a test that needs them fails rather than skips. */
gboolean  push_test_is_headless_run   (void);

/* Skips the current test (g_test_skip) when the session has no Secret Service, unless this
 * is a headless run, where it fails. Returns TRUE when the test may go on. */
gboolean  push_test_require_keyring   (void);

/* A fresh temporary directory, removed with push_test_rm_rf(). */
char     *push_test_make_tmpdir       (void);
void      push_test_rm_rf             (const char *path);

/* Where UI tests put screenshots: $AUDIENCE_PUSH_TEST_LOGDIR or the current directory. */
char     *push_test_log_path          (const char *basename);

G_END_DECLS
