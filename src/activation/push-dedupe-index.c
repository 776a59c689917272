/* push-dedupe-index.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "push-dedupe-index.h"

/* Slots are (hash, row) pairs kept in two arrays; row 0 marks an empty slot. */
struct _PushDedupeIndex
{
  guint64 *hashes;
  guint32 *rows;
  guint64  capacity;
  guint64  size;
  guint64  n_inserted;
};

#define MIN_CAPACITY 1024
/* Grow past 3/4 full: linear probing stays short. */
#define MAX_LOAD_NUM 3
#define MAX_LOAD_DEN 4

/* FNV-1a over the normalised bytes, then a final mix so that the high bits (which pick the
 * slot) depend on every input bit. */
guint64
push_dedupe_key_hash (const char *value,
                      gsize       length)
{
  const guchar *p = (const guchar *) value;
  const guchar *end = p + length;
  guint64 hash = G_GUINT64_CONSTANT (0xcbf29ce484222325);

  while (p < end && g_ascii_isspace (*p))
    p++;
  while (end > p && g_ascii_isspace (end[-1]))
    end--;

  for (; p < end; p++)
    {
      hash ^= (guint64) g_ascii_tolower (*p);
      hash *= G_GUINT64_CONSTANT (0x100000001b3);
    }

  hash ^= hash >> 33;
  hash *= G_GUINT64_CONSTANT (0xff51afd7ed558ccd);
  hash ^= hash >> 33;
  hash *= G_GUINT64_CONSTANT (0xc4ceb9fe1a85ec53);
  hash ^= hash >> 33;
  return hash;
}

char *
push_dedupe_key_normalize (const char *value,
                           gssize      length)
{
  g_autofree char *copy = NULL;

  if (value == NULL)
    return NULL;

  copy = length < 0 ? g_strdup (value) : g_strndup (value, length);
  g_strstrip (copy);
  return g_ascii_strdown (copy, -1);
}

static inline guint64
slot_for (guint64 hash,
          guint64 capacity)
{
  /* The high 32 bits scaled to the capacity: no power-of-two size needed. */
  return ((hash >> 32) * capacity) >> 32;
}

static void
allocate (PushDedupeIndex *index,
          guint64          capacity)
{
  index->capacity = capacity;
  index->hashes = g_new (guint64, capacity);
  index->rows = g_new0 (guint32, capacity);
}

static guint64
find_slot (const PushDedupeIndex *index,
           guint64                hash)
{
  guint64 slot = slot_for (hash, index->capacity);

  while (index->rows[slot] != 0 && index->hashes[slot] != hash)
    {
      slot++;
      if (slot == index->capacity)
        slot = 0;
    }
  return slot;
}

static void
resize (PushDedupeIndex *index,
        guint64          capacity)
{
  guint64 *old_hashes = index->hashes;
  guint32 *old_rows = index->rows;
  guint64 old_capacity = index->capacity;

  g_assert (capacity < G_MAXUINT32);
  g_debug ("Dedupe index: %" G_GUINT64_FORMAT " → %" G_GUINT64_FORMAT " slots",
           old_capacity, capacity);

  allocate (index, capacity);
  for (guint64 i = 0; i < old_capacity; i++)
    {
      guint64 slot;

      if (old_rows[i] == 0)
        continue;
      slot = find_slot (index, old_hashes[i]);
      index->hashes[slot] = old_hashes[i];
      index->rows[slot] = old_rows[i];
    }

  g_free (old_hashes);
  g_free (old_rows);
}

static guint64
capacity_for (guint64 n)
{
  return MAX (MIN_CAPACITY, n * MAX_LOAD_DEN / MAX_LOAD_NUM + 1);
}

PushDedupeIndex *
push_dedupe_index_new (guint64 expected)
{
  PushDedupeIndex *index = g_new0 (PushDedupeIndex, 1);

  allocate (index, capacity_for (expected));
  return index;
}

void
push_dedupe_index_free (PushDedupeIndex *index)
{
  if (index == NULL)
    return;

  g_free (index->hashes);
  g_free (index->rows);
  g_free (index);
}

void
push_dedupe_index_reserve (PushDedupeIndex *index,
                           guint64          n)
{
  g_return_if_fail (index != NULL);

  if (n * MAX_LOAD_DEN >= index->capacity * MAX_LOAD_NUM)
    resize (index, capacity_for (n));
}

guint64
push_dedupe_index_insert (PushDedupeIndex *index,
                          guint64          hash,
                          guint64          row)
{
  guint64 slot;
  guint64 previous;

  g_return_val_if_fail (index != NULL, 0);
  g_return_val_if_fail (row > 0 && row <= G_MAXUINT32, 0);

  if ((index->size + 1) * MAX_LOAD_DEN > index->capacity * MAX_LOAD_NUM)
    resize (index, index->capacity * 2);

  slot = find_slot (index, hash);
  previous = index->rows[slot];
  if (previous == 0)
    {
      index->hashes[slot] = hash;
      index->size++;
    }
  index->rows[slot] = (guint32) row;
  index->n_inserted++;
  return previous;
}

guint64
push_dedupe_index_lookup (const PushDedupeIndex *index,
                          guint64                hash)
{
  g_return_val_if_fail (index != NULL, 0);

  return index->rows[find_slot (index, hash)];
}

guint64
push_dedupe_index_get_size (const PushDedupeIndex *index)
{
  g_return_val_if_fail (index != NULL, 0);
  return index->size;
}

guint64
push_dedupe_index_get_n_inserted (const PushDedupeIndex *index)
{
  g_return_val_if_fail (index != NULL, 0);
  return index->n_inserted;
}

gsize
push_dedupe_index_get_memory (const PushDedupeIndex *index)
{
  g_return_val_if_fail (index != NULL, 0);
  return index->capacity * (sizeof (guint64) + sizeof (guint32));
}
