/* push-audience-row-model.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The first pass is the reader's normal sequential pass (it counts the rows, collects the
 * problems and computes the fingerprint on the way) and keeps the offset and line of every
 * CHECKPOINT_INTERVAL-th row: 16 bytes per 128 rows, about 125 KB for a million rows.
 * get_item() then decodes the whole block of rows that holds the wanted one: it seeks a second
 * reader to the block's checkpoint (or not at all when that reader already stands there, as it
 * does while the view scrolls down) and parses forward. Decoded blocks live in a small LRU
 * cache, so memory stays bounded whatever the file size.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "push-audience-private.h"
#include "push-audience-row-model.h"

#define ACCESS_CHUNK_SIZE (64 * 1024)

typedef struct {
  goffset offset;
  guint64 line;
} Checkpoint;

/* What a first pass found; filled in a worker thread, then handed to the model. */
typedef struct {
  PushAudienceFormat        format;
  char                      delimiter;
  GStrv                     columns;      /* (owned) */
  guint                     n_columns;
  GArray                   *checkpoints;  /* (owned) (element-type Checkpoint) */
  guint64                   n_rows;
  GPtrArray                *problems;     /* (owned) (element-type PushAudienceProblem) */
  guint64                   n_problems;
  guint64                   bad_rows;
  PushAudienceFingerprint  *fingerprint;  /* (owned) */
} LoadState;

typedef struct {
  guint      index;
  GPtrArray *records;                     /* (owned) (element-type PushAudienceRecord) */
  GList      link;                        /* in the LRU queue; data = the block */
} Block;

struct _PushAudienceRowModel
{
  GObject             parent_instance;

  GFile              *file;               /* (owned) */
  PushAudienceFormat  format;
  char                delimiter;

  LoadState          *state;              /* (owned) (nullable): NULL until loaded */
  guint               n_items;
  int                 progress;           /* atomic: per mille */
  gboolean            stale;

  PushAudienceReader *access;             /* (owned) (nullable) */
  GHashTable         *blocks;             /* (owned) index → Block (owned) */
  GQueue              lru;                /* most recently used first */
  guint               blocks_decoded;
};

static void push_audience_row_model_list_model_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (PushAudienceRowModel, push_audience_row_model, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL,
                                                      push_audience_row_model_list_model_init))

enum {
  PROP_0,
  PROP_FILE,
  PROP_FORMAT,
  PROP_DELIMITER,
  PROP_LOADED,
  PROP_STALE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
load_state_free (LoadState *state)
{
  g_strfreev (state->columns);
  g_clear_pointer (&state->checkpoints, g_array_unref);
  g_clear_pointer (&state->problems, g_ptr_array_unref);
  g_clear_pointer (&state->fingerprint, push_audience_fingerprint_free);
  g_free (state);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (LoadState, load_state_free)

static void
block_free (Block *block)
{
  g_ptr_array_unref (block->records);
  g_free (block);
}

/* The first pass; runs in any thread (it touches only @progress of the model). */
static LoadState *
run_first_pass (GFile               *file,
                PushAudienceFormat   format,
                char                 delimiter,
                int                 *progress,
                GCancellable        *cancellable,
                GError             **error)
{
  g_autoptr(PushAudienceReader) reader = NULL;
  g_autoptr(LoadState) state = g_new0 (LoadState, 1);
  g_autoptr(GError) local_error = NULL;
  const PushAudienceRow *row;
  guint64 size;

  reader = push_audience_reader_new_for_file (file, format, delimiter);
  if (!push_audience_reader_open (reader, cancellable, error))
    return NULL;

  state->checkpoints = g_array_new (FALSE, FALSE, sizeof (Checkpoint));
  size = push_audience_reader_get_size (reader);
  g_atomic_int_set (progress, 0);

  while (push_audience_reader_next_row (reader, &row, cancellable, &local_error))
    {
      if ((row->number - 1) % PUSH_AUDIENCE_ROW_MODEL_CHECKPOINT_INTERVAL == 0)
        {
          Checkpoint checkpoint = { row->offset, row->line };

          g_array_append_val (state->checkpoints, checkpoint);
        }
      if ((row->number & 0x3fff) == 0 && size > 0)
        g_atomic_int_set (progress,
                          (int) (push_audience_reader_get_position (reader) * 1000 / size));
    }
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }

  state->format = push_audience_reader_get_format (reader);
  state->delimiter = push_audience_reader_get_delimiter (reader);
  state->columns = g_strdupv ((GStrv) push_audience_reader_get_columns (reader, &state->n_columns));
  state->n_rows = push_audience_reader_get_row_count (reader);
  state->problems = g_ptr_array_ref (push_audience_reader_get_problems (reader));
  state->n_problems = push_audience_reader_get_problem_count (reader);
  state->bad_rows = push_audience_reader_get_bad_row_count (reader);
  state->fingerprint =
    push_audience_fingerprint_copy (push_audience_reader_get_fingerprint (reader));
  g_atomic_int_set (progress, 1000);

  g_debug ("First pass: %" G_GUINT64_FORMAT " rows, %u checkpoints", state->n_rows,
           state->checkpoints->len);
  return g_steal_pointer (&state);
}

static void
set_stale (PushAudienceRowModel *self,
           gboolean              stale)
{
  if (self->stale == stale)
    return;
  self->stale = stale;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STALE]);
}

static void
apply_state (PushAudienceRowModel *self,
             LoadState            *state)
{
  guint removed = self->n_items;
  gboolean was_loaded = self->state != NULL;

  g_hash_table_remove_all (self->blocks);
  g_queue_init (&self->lru);
  g_clear_object (&self->access);
  g_clear_pointer (&self->state, load_state_free);

  self->state = state;
  self->blocks_decoded = 0;
  self->n_items = (guint) MIN (state->n_rows, (guint64) G_MAXUINT);

  set_stale (self, FALSE);
  g_list_model_items_changed (G_LIST_MODEL (self), 0, removed, self->n_items);
  if (!was_loaded)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADED]);
}

static gboolean
check_unchanged (PushAudienceRowModel *self)
{
  g_autoptr(GFileInfo) info = NULL;
  const PushAudienceFingerprint *fingerprint = self->state->fingerprint;
  guint64 mtime;

  info = g_file_query_info (self->file,
                            G_FILE_ATTRIBUTE_STANDARD_SIZE ","
                            G_FILE_ATTRIBUTE_TIME_MODIFIED ","
                            G_FILE_ATTRIBUTE_TIME_MODIFIED_USEC,
                            G_FILE_QUERY_INFO_NONE, NULL, NULL);
  if (info == NULL)
    return FALSE;

  mtime = g_file_info_get_attribute_uint64 (info, G_FILE_ATTRIBUTE_TIME_MODIFIED) * G_USEC_PER_SEC
          + g_file_info_get_attribute_uint32 (info, G_FILE_ATTRIBUTE_TIME_MODIFIED_USEC);
  return (guint64) g_file_info_get_size (info) == fingerprint->size
         && (gint64) mtime == fingerprint->mtime;
}

static gboolean
read_block (PushAudienceRowModel  *self,
            Block                 *block,
            GError               **error)
{
  const Checkpoint *checkpoint;
  const PushAudienceRow *row;
  goffset offset;
  guint64 rows_before, line;
  guint i;

  if (!check_unchanged (self))
    set_stale (self, TRUE);

  if (self->access == NULL)
    {
      g_autoptr(PushAudienceReader) access = NULL;

      access = push_audience_reader_new_for_file (self->file, self->state->format,
                                                  self->state->delimiter);
      push_audience_reader_set_chunk_size (access, ACCESS_CHUNK_SIZE);
      push_audience_reader_set_max_problems (access, 0);
      if (!push_audience_reader_open (access, NULL, error))
        return FALSE;
      self->access = g_steal_pointer (&access);
    }

  checkpoint = &g_array_index (self->state->checkpoints, Checkpoint, block->index);
  _push_audience_reader_tell (self->access, &offset, &rows_before, &line);
  if (offset != checkpoint->offset)
    {
      rows_before = (guint64) block->index * PUSH_AUDIENCE_ROW_MODEL_CHECKPOINT_INTERVAL;
      if (!_push_audience_reader_seek (self->access, checkpoint->offset, rows_before,
                                       checkpoint->line, NULL, error))
        return FALSE;
    }

  for (i = 0; i < PUSH_AUDIENCE_ROW_MODEL_CHECKPOINT_INTERVAL; i++)
    {
      if (!push_audience_reader_next_row (self->access, &row, NULL, error))
        return error == NULL || *error == NULL;
      g_ptr_array_add (block->records, push_audience_record_new_from_row (row));
    }

  return TRUE;
}

static Block *
decode_block (PushAudienceRowModel *self,
              guint                 index)
{
  g_autoptr(GError) error = NULL;
  Block *block = g_new0 (Block, 1);

  block->index = index;
  block->records = g_ptr_array_new_full (PUSH_AUDIENCE_ROW_MODEL_CHECKPOINT_INTERVAL,
                                         g_object_unref);
  block->link.data = block;

  if (!read_block (self, block, &error))
    {
      g_debug ("Could not read rows of block %u again: %s", index, error->message);
      set_stale (self, TRUE);
      g_clear_object (&self->access);
    }

  g_hash_table_insert (self->blocks, GUINT_TO_POINTER (index), block);
  g_queue_push_head_link (&self->lru, &block->link);
  self->blocks_decoded++;

  while (self->lru.length > PUSH_AUDIENCE_ROW_MODEL_CACHED_BLOCKS)
    {
      Block *oldest = g_queue_pop_tail_link (&self->lru)->data;

      g_hash_table_remove (self->blocks, GUINT_TO_POINTER (oldest->index));
    }

  return block;
}

static GType
push_audience_row_model_get_item_type (GListModel *model)
{
  return PUSH_TYPE_AUDIENCE_RECORD;
}

static guint
push_audience_row_model_get_n_items (GListModel *model)
{
  return PUSH_AUDIENCE_ROW_MODEL (model)->n_items;
}

static gpointer
push_audience_row_model_get_item (GListModel *model,
                                  guint       position)
{
  PushAudienceRowModel *self = PUSH_AUDIENCE_ROW_MODEL (model);
  guint index = position / PUSH_AUDIENCE_ROW_MODEL_CHECKPOINT_INTERVAL;
  guint within = position % PUSH_AUDIENCE_ROW_MODEL_CHECKPOINT_INTERVAL;
  Block *block;

  if (self->state == NULL || position >= self->n_items)
    return NULL;

  block = g_hash_table_lookup (self->blocks, GUINT_TO_POINTER (index));
  if (block != NULL)
    {
      g_queue_unlink (&self->lru, &block->link);
      g_queue_push_head_link (&self->lru, &block->link);
    }
  else
    block = decode_block (self, index);

  if (within < block->records->len)
    return g_object_ref (g_ptr_array_index (block->records, within));

  /* The file can no longer give this row (it went away or shrank): a blank stand-in, so the
   * model keeps its promise of n_items items. */
  return push_audience_record_new_empty ((guint64) position + 1, self->state->n_columns);
}

static void
push_audience_row_model_list_model_init (GListModelInterface *iface)
{
  iface->get_item_type = push_audience_row_model_get_item_type;
  iface->get_n_items = push_audience_row_model_get_n_items;
  iface->get_item = push_audience_row_model_get_item;
}

static void
push_audience_row_model_dispose (GObject *object)
{
  PushAudienceRowModel *self = (PushAudienceRowModel *) object;

  g_clear_object (&self->access);
  if (self->blocks != NULL)
    g_hash_table_remove_all (self->blocks);
  g_queue_init (&self->lru);

  G_OBJECT_CLASS (push_audience_row_model_parent_class)->dispose (object);
}

static void
push_audience_row_model_finalize (GObject *object)
{
  PushAudienceRowModel *self = (PushAudienceRowModel *) object;

  g_clear_object (&self->file);
  g_clear_pointer (&self->state, load_state_free);
  g_clear_pointer (&self->blocks, g_hash_table_unref);

  G_OBJECT_CLASS (push_audience_row_model_parent_class)->finalize (object);
}

static void
push_audience_row_model_get_property (GObject    *object,
                                      guint       prop_id,
                                      GValue     *value,
                                      GParamSpec *pspec)
{
  PushAudienceRowModel *self = PUSH_AUDIENCE_ROW_MODEL (object);

  switch (prop_id)
    {
    case PROP_FILE:
      g_value_set_object (value, self->file);
      break;
    case PROP_FORMAT:
      g_value_set_enum (value, self->format);
      break;
    case PROP_DELIMITER:
      g_value_set_uint (value, (guchar) self->delimiter);
      break;
    case PROP_LOADED:
      g_value_set_boolean (value, self->state != NULL);
      break;
    case PROP_STALE:
      g_value_set_boolean (value, self->stale);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
push_audience_row_model_set_property (GObject      *object,
                                      guint         prop_id,
                                      const GValue *value,
                                      GParamSpec   *pspec)
{
  PushAudienceRowModel *self = PUSH_AUDIENCE_ROW_MODEL (object);

  switch (prop_id)
    {
    case PROP_FILE:
      self->file = g_value_dup_object (value);
      break;
    case PROP_FORMAT:
      self->format = g_value_get_enum (value);
      break;
    case PROP_DELIMITER:
      self->delimiter = (char) g_value_get_uint (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
push_audience_row_model_class_init (PushAudienceRowModelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = push_audience_row_model_dispose;
  object_class->finalize = push_audience_row_model_finalize;
  object_class->get_property = push_audience_row_model_get_property;
  object_class->set_property = push_audience_row_model_set_property;

  properties[PROP_FILE] =
    g_param_spec_object ("file", NULL, NULL, G_TYPE_FILE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_FORMAT] =
    g_param_spec_enum ("format", NULL, NULL, PUSH_TYPE_AUDIENCE_FORMAT,
                       PUSH_AUDIENCE_FORMAT_AUTO,
                       G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_DELIMITER] =
    g_param_spec_uint ("delimiter", NULL, NULL, 0, 127, 0,
                       G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_LOADED] =
    g_param_spec_boolean ("loaded", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_STALE] =
    g_param_spec_boolean ("stale", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
push_audience_row_model_init (PushAudienceRowModel *self)
{
  self->blocks = g_hash_table_new_full (g_direct_hash, g_direct_equal, NULL,
                                        (GDestroyNotify) block_free);
  g_queue_init (&self->lru);
}

PushAudienceRowModel *
push_audience_row_model_new (GFile              *file,
                             PushAudienceFormat  format,
                             char                delimiter)
{
  g_return_val_if_fail (G_IS_FILE (file), NULL);

  return g_object_new (PUSH_TYPE_AUDIENCE_ROW_MODEL,
                       "file", file,
                       "format", format,
                       "delimiter", (guint) (guchar) delimiter,
                       NULL);
}

static void
load_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  PushAudienceRowModel *self = source_object;
  GError *error = NULL;
  LoadState *state;

  /* file, format and delimiter are construct-only: safe to read from this thread. */
  state = run_first_pass (self->file, self->format, self->delimiter, &self->progress,
                          cancellable, &error);
  if (state == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, state, (GDestroyNotify) load_state_free);
}

void
push_audience_row_model_load_async (PushAudienceRowModel *self,
                                    GCancellable         *cancellable,
                                    GAsyncReadyCallback   callback,
                                    gpointer              user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (PUSH_IS_AUDIENCE_ROW_MODEL (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, push_audience_row_model_load_async);
  g_task_run_in_thread (task, load_thread);
}

gboolean
push_audience_row_model_load_finish (PushAudienceRowModel  *self,
                                     GAsyncResult          *result,
                                     GError               **error)
{
  LoadState *state;

  g_return_val_if_fail (PUSH_IS_AUDIENCE_ROW_MODEL (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result))
                        == push_audience_row_model_load_async, FALSE);

  state = g_task_propagate_pointer (G_TASK (result), error);
  if (state == NULL)
    return FALSE;

  apply_state (self, state);
  return TRUE;
}

gboolean
push_audience_row_model_load (PushAudienceRowModel  *self,
                              GCancellable          *cancellable,
                              GError               **error)
{
  LoadState *state;

  g_return_val_if_fail (PUSH_IS_AUDIENCE_ROW_MODEL (self), FALSE);
  g_return_val_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  state = run_first_pass (self->file, self->format, self->delimiter, &self->progress,
                          cancellable, error);
  if (state == NULL)
    return FALSE;

  apply_state (self, state);
  return TRUE;
}

double
push_audience_row_model_get_progress (PushAudienceRowModel *self)
{
  g_return_val_if_fail (PUSH_IS_AUDIENCE_ROW_MODEL (self), 0.0);

  return g_atomic_int_get (&self->progress) / 1000.0;
}

gboolean
push_audience_row_model_get_loaded (PushAudienceRowModel *self)
{
  g_return_val_if_fail (PUSH_IS_AUDIENCE_ROW_MODEL (self), FALSE);

  return self->state != NULL;
}

gboolean
push_audience_row_model_get_stale (PushAudienceRowModel *self)
{
  g_return_val_if_fail (PUSH_IS_AUDIENCE_ROW_MODEL (self), FALSE);

  return self->stale;
}

GFile *
push_audience_row_model_get_file (PushAudienceRowModel *self)
{
  g_return_val_if_fail (PUSH_IS_AUDIENCE_ROW_MODEL (self), NULL);

  return self->file;
}

PushAudienceFormat
push_audience_row_model_get_format (PushAudienceRowModel *self)
{
  g_return_val_if_fail (PUSH_IS_AUDIENCE_ROW_MODEL (self), PUSH_AUDIENCE_FORMAT_AUTO);

  return self->state != NULL ? self->state->format : self->format;
}

char
push_audience_row_model_get_delimiter (PushAudienceRowModel *self)
{
  g_return_val_if_fail (PUSH_IS_AUDIENCE_ROW_MODEL (self), 0);

  return self->state != NULL ? self->state->delimiter : self->delimiter;
}

const char * const *
push_audience_row_model_get_columns (PushAudienceRowModel *self,
                                     guint                *n_columns)
{
  g_return_val_if_fail (PUSH_IS_AUDIENCE_ROW_MODEL (self), NULL);

  if (n_columns != NULL)
    *n_columns = self->state != NULL ? self->state->n_columns : 0;
  return self->state != NULL ? (const char * const *) self->state->columns : NULL;
}

GPtrArray *
push_audience_row_model_get_problems (PushAudienceRowModel *self)
{
  g_return_val_if_fail (PUSH_IS_AUDIENCE_ROW_MODEL (self), NULL);

  return self->state != NULL ? self->state->problems : NULL;
}

guint64
push_audience_row_model_get_problem_count (PushAudienceRowModel *self)
{
  g_return_val_if_fail (PUSH_IS_AUDIENCE_ROW_MODEL (self), 0);

  return self->state != NULL ? self->state->n_problems : 0;
}

guint64
push_audience_row_model_get_bad_row_count (PushAudienceRowModel *self)
{
  g_return_val_if_fail (PUSH_IS_AUDIENCE_ROW_MODEL (self), 0);

  return self->state != NULL ? self->state->bad_rows : 0;
}

PushAudienceFingerprint *
push_audience_row_model_get_fingerprint (PushAudienceRowModel *self)
{
  g_return_val_if_fail (PUSH_IS_AUDIENCE_ROW_MODEL (self), NULL);

  return self->state != NULL ? self->state->fingerprint : NULL;
}

PushAudienceRecord *
push_audience_row_model_get_record (PushAudienceRowModel *self,
                                    guint                 position)
{
  g_return_val_if_fail (PUSH_IS_AUDIENCE_ROW_MODEL (self), NULL);

  return g_list_model_get_item (G_LIST_MODEL (self), position);
}

guint
push_audience_row_model_get_blocks_decoded (PushAudienceRowModel *self)
{
  g_return_val_if_fail (PUSH_IS_AUDIENCE_ROW_MODEL (self), 0);

  return self->blocks_decoded;
}
