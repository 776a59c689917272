/* push-audiences.h: the audience files the user added to the app
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A GListModel of PushAudienceEntry sorted by name, backed by the store's audiences table.
 * An entry names a file by its absolute path and keeps how to read it (format and delimiter,
 * or "detect") and what the last full read found (row count and fingerprint); the file
 * itself is never copied nor changed. Like PushDestinations, writes are small local
 * statements, so the API is synchronous: use it from the thread that created the list.
 *
 * PushAudienceEntry is a small read-only data object; the list changes it in place (with
 * "notify") when its format or its scan results are updated.
 */
#pragma once

#include <gio/gio.h>

#include "push-audience-types.h"
#include "push-store.h"

G_BEGIN_DECLS

#define PUSH_TYPE_AUDIENCE_ENTRY (push_audience_entry_get_type ())
G_DECLARE_FINAL_TYPE (PushAudienceEntry, push_audience_entry, PUSH, AUDIENCE_ENTRY, GObject)

/* Properties (read-only): "id", "path", "name", "format", "delimiter" (guint: the byte, 0 to
 * detect), "fingerprint" (nullable), "row-count" (gint64, -1 while unknown), "added". */
const char         *push_audience_entry_get_id          (PushAudienceEntry *self);
const char         *push_audience_entry_get_path        (PushAudienceEntry *self);
const char         *push_audience_entry_get_name        (PushAudienceEntry *self);
/* PUSH_AUDIENCE_FORMAT_AUTO: detect it when reading. */
PushAudienceFormat  push_audience_entry_get_format      (PushAudienceEntry *self);
/* ',', ';', '\t', '|', or 0 to detect it. */
char                push_audience_entry_get_delimiter   (PushAudienceEntry *self);
/* (nullable) push_audience_fingerprint_to_string() of the last full read. */
const char         *push_audience_entry_get_fingerprint (PushAudienceEntry *self);
gint64              push_audience_entry_get_row_count   (PushAudienceEntry *self);
GDateTime          *push_audience_entry_get_added       (PushAudienceEntry *self);
GFile              *push_audience_entry_dup_file        (PushAudienceEntry *self);

#define PUSH_TYPE_AUDIENCES (push_audiences_get_type ())
G_DECLARE_FINAL_TYPE (PushAudiences, push_audiences, PUSH, AUDIENCES, GObject)

PushAudiences     *push_audiences_new          (PushStore          *store,
                                                GError            **error);
PushStore         *push_audiences_get_store    (PushAudiences      *self);

/* (transfer none) (nullable) */
PushAudienceEntry *push_audiences_find_by_id   (PushAudiences      *self,
                                                const char         *id);
PushAudienceEntry *push_audiences_find_by_path (PushAudiences      *self,
                                                const char         *path);

/* Adds @path (absolute) under @name (NULL or "": the file's base name). A path that is
 * already listed: PUSH_STORE_ERROR_CONSTRAINT. Returns the list's entry (transfer none). */
PushAudienceEntry *push_audiences_add          (PushAudiences      *self,
                                                const char         *path,
                                                const char         *name,
                                                PushAudienceFormat  format,
                                                char                delimiter,
                                                GError            **error);
/* Forgets the entry (the file stays where it is). */
gboolean           push_audiences_remove       (PushAudiences      *self,
                                                const char         *id,
                                                GError            **error);
/* How to read the file from now on; the row count becomes unknown until the next scan. */
gboolean           push_audiences_set_format   (PushAudiences      *self,
                                                const char         *id,
                                                PushAudienceFormat  format,
                                                char                delimiter,
                                                GError            **error);
/* What a full read found: @row_count (>= 0) and @fingerprint (nullable). */
gboolean           push_audiences_update_scan  (PushAudiences      *self,
                                                const char         *id,
                                                gint64              row_count,
                                                const char         *fingerprint,
                                                GError            **error);

G_END_DECLS
