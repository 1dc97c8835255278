/* report.c: the mergeable aggregate of analyzed deal notes (`fivewhys report`).
 *
 * A report is nothing but counts keyed by strings, so that the report over
 * two inputs is the sum of their reports: merging is addition, exact,
 * associative and commutative, and the JSON form (the "partial") is the
 * reduce step of a map/reduce over many machines. Everything derived (means,
 * shares, rankings, the link cut-off of the value map) is computed when
 * rendering and never stored. Bounds are applied to each note as it comes in
 * (chain length, phrases per note, words per phrase), never to the
 * aggregate, so they do not depend on how the input was split.
 *
 * The JSON partial, one line with every object's keys sorted (bytes, strcmp),
 * zero counts left out and depth arrays without trailing zeros, so that equal
 * reports are equal bytes:
 *
 *   {"errors":1,"fivewhys_report":1,"group_field":"OwnerName",
 *    "groups":{"Ann":{"depth":[0,1,2],"errors":0,"notes":3,"reached":1,
 *                     "stops":{"home-loan/love":1,"home-loan/money":2}}},
 *    "needs":{"home-loan":{"depth":[...],"errors":0,"flags":{...},
 *             "indirect":{"money>progress":2},"links":{"money>purchase":2},
 *             "motivations":{"(none)":1,"family":2},"notes":3,
 *             "paths":{"money>purchase":1,...},"rungs":{"money":{"function":3}}}},
 *    "notes":4,"phrases":{"talk to someone":1},"unreadable":0}
 *
 * depth[i] counts analyzed notes of depth i; links count consecutive chain
 * elements, indirect the ordered pairs further apart (Reynolds & Gutman's
 * implication matrix), paths whole chains; rungs count the notes whose chain
 * holds a rung, by the level it was given. Each is counted once per note.
 */
#include "config.h"

#include <string.h>

#include <json-glib/json-glib.h>

#include "fivewhys.h"

#define REPORT_VERSION 1
#define MAX_COUNT G_GUINT64_CONSTANT (9007199254740991) /* 2^53 - 1 */
#define MAX_PHRASES_PER_NOTE 32
#define MAX_PHRASE_WORDS 48
#define MAX_WORD_BYTES 64
#define MAX_NGRAM 3
#define MAX_JSON_NESTING 64
#define NONE "(none)"

/* One need's counts. */
typedef struct {
  guint64 notes;
  guint64 errors;
  GArray *depth;           /* guint64 per depth, ok notes */
  GHashTable *motivations; /* id or "(none)" -> count */
  GHashTable *flags;
  GHashTable *links;       /* "a>b" */
  GHashTable *indirect;    /* "a>c", a before c, not adjacent */
  GHashTable *paths;       /* "a>b>c" */
  GHashTable *rungs;       /* rung id -> (level -> count) */
} NeedStats;

/* One group's counts (a value of the group field). */
typedef struct {
  guint64 notes;
  guint64 errors;
  guint64 reached; /* ok notes that reached a motivation */
  GArray *depth;
  GHashTable *stops; /* "need/deepest-rung", or the need alone -> count */
} GroupStats;

struct _FwReport {
  char *group_field;
  guint64 notes;
  guint64 errors;
  guint64 unreadable;
  GHashTable *needs;   /* id -> NeedStats* */
  GHashTable *groups;  /* value -> GroupStats* */
  GHashTable *phrases; /* n-gram -> notes */
  JsonParser *parser;  /* reused from line to line */
};

/* ---- counts ------------------------------------------------------------- */

/* Saturating addition: min(a + b, MAX_COUNT) is still associative and
 * commutative over counts, where wrapping would silently lose totals. */
static guint64
sat_add (guint64 a, guint64 b)
{
  b = MIN (b, MAX_COUNT);
  return a > MAX_COUNT - b ? MAX_COUNT : a + b;
}

static GHashTable *
counts_new (void)
{
  return g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
}

static void
counts_add (GHashTable *counts, const char *key, guint64 n)
{
  if (n == 0)
    return;
  guint64 *value = g_hash_table_lookup (counts, key);
  if (value == NULL)
    {
      value = g_new0 (guint64, 1);
      g_hash_table_insert (counts, g_strdup (key), value);
    }
  *value = sat_add (*value, n);
}

static guint64
counts_get (GHashTable *counts, const char *key)
{
  guint64 *value = g_hash_table_lookup (counts, key);
  return value != NULL ? *value : 0;
}

static void
counts_merge (GHashTable *into, GHashTable *from)
{
  GHashTableIter iter;
  gpointer key, value;
  g_hash_table_iter_init (&iter, from);
  while (g_hash_table_iter_next (&iter, &key, &value))
    counts_add (into, key, *(guint64 *) value);
}

static GArray *
depth_new (void)
{
  return g_array_new (FALSE, TRUE, sizeof (guint64));
}

static void
depth_add (GArray *depth, guint index, guint64 n)
{
  if (n == 0)
    return;
  if (index >= depth->len)
    g_array_set_size (depth, index + 1);
  guint64 *value = &g_array_index (depth, guint64, index);
  *value = sat_add (*value, n);
}

static void
depth_merge (GArray *into, GArray *from)
{
  for (guint i = 0; i < from->len; i++)
    depth_add (into, i, g_array_index (from, guint64, i));
}

static guint64
depth_notes (GArray *depth)
{
  guint64 total = 0;
  for (guint i = 0; i < depth->len; i++)
    total = sat_add (total, g_array_index (depth, guint64, i));
  return total;
}

/* The mean depth, or -1 when there are no notes. */
static double
depth_mean (GArray *depth)
{
  double notes = 0, sum = 0;
  for (guint i = 0; i < depth->len; i++)
    {
      double n = (double) g_array_index (depth, guint64, i);
      notes += n;
      sum += n * i;
    }
  return notes > 0 ? sum / notes : -1;
}

/* Keys of @table sorted by strcmp; free the array with g_free. */
static int
compare_strings (gconstpointer a, gconstpointer b)
{
  return strcmp (*(const char *const *) a, *(const char *const *) b);
}

static const char **
sorted_keys (GHashTable *table, guint *n)
{
  const char **keys = (const char **) g_hash_table_get_keys_as_array (table, n);
  qsort (keys, *n, sizeof (char *), compare_strings);
  return keys;
}

/* ---- needs and groups ---------------------------------------------------- */

static NeedStats *
need_stats_new (void)
{
  NeedStats *need = g_new0 (NeedStats, 1);
  need->depth = depth_new ();
  need->motivations = counts_new ();
  need->flags = counts_new ();
  need->links = counts_new ();
  need->indirect = counts_new ();
  need->paths = counts_new ();
  need->rungs = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) g_hash_table_unref);
  return need;
}

static void
need_stats_free (gpointer data)
{
  NeedStats *need = data;
  g_array_unref (need->depth);
  g_hash_table_unref (need->motivations);
  g_hash_table_unref (need->flags);
  g_hash_table_unref (need->links);
  g_hash_table_unref (need->indirect);
  g_hash_table_unref (need->paths);
  g_hash_table_unref (need->rungs);
  g_free (need);
}

static GroupStats *
group_stats_new (void)
{
  GroupStats *group = g_new0 (GroupStats, 1);
  group->depth = depth_new ();
  group->stops = counts_new ();
  return group;
}

static void
group_stats_free (gpointer data)
{
  GroupStats *group = data;
  g_array_unref (group->depth);
  g_hash_table_unref (group->stops);
  g_free (group);
}

static NeedStats *
lookup_need (FwReport *report, const char *id)
{
  NeedStats *need = g_hash_table_lookup (report->needs, id);
  if (need == NULL)
    {
      need = need_stats_new ();
      g_hash_table_insert (report->needs, g_strdup (id), need);
    }
  return need;
}

static GroupStats *
lookup_group (FwReport *report, const char *value)
{
  GroupStats *group = g_hash_table_lookup (report->groups, value);
  if (group == NULL)
    {
      group = group_stats_new ();
      g_hash_table_insert (report->groups, g_strdup (value), group);
    }
  return group;
}

/* The level -> count table of a rung of @need. */
static GHashTable *
lookup_rung_levels (NeedStats *need, const char *rung)
{
  GHashTable *levels = g_hash_table_lookup (need->rungs, rung);
  if (levels == NULL)
    {
      levels = counts_new ();
      g_hash_table_insert (need->rungs, g_strdup (rung), levels);
    }
  return levels;
}

FwReport *
fw_report_new (const char *group_field)
{
  FwReport *report = g_new0 (FwReport, 1);
  report->group_field = group_field != NULL && *group_field != '\0' ? g_strdup (group_field) : NULL;
  report->needs = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, need_stats_free);
  report->groups = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, group_stats_free);
  report->phrases = counts_new ();
  return report;
}

void
fw_report_free (FwReport *report)
{
  if (report == NULL)
    return;
  g_free (report->group_field);
  g_hash_table_unref (report->needs);
  g_hash_table_unref (report->groups);
  g_hash_table_unref (report->phrases);
  g_clear_object (&report->parser);
  g_free (report);
}

const char *
fw_report_get_group_field (FwReport *report)
{
  g_return_val_if_fail (report != NULL, NULL);
  return report->group_field;
}

guint64
fw_report_get_n_notes (FwReport *report)
{
  g_return_val_if_fail (report != NULL, 0);
  return report->notes;
}

guint64
fw_report_get_n_errors (FwReport *report)
{
  g_return_val_if_fail (report != NULL, 0);
  return report->errors;
}

guint64
fw_report_get_n_unreadable (FwReport *report)
{
  g_return_val_if_fail (report != NULL, 0);
  return report->unreadable;
}

/* ---- unmatched phrases ----------------------------------------------------- */

/* English stop words: an n-gram may hold them inside ("talk to someone") but
 * may not start or end with one, so that the to-do list names content. */
static const char *const stop_words[] = {
  "a", "about", "above", "after", "again", "against", "all", "also", "am", "an", "and", "any",
  "are", "aren't", "as", "at", "be", "because", "been", "before", "being", "below", "between",
  "both", "but", "by", "can", "can't", "cannot", "could", "couldn't", "did", "didn't", "do",
  "does", "doesn't", "doing", "don't", "down", "during", "each", "etc", "few", "for", "from",
  "further", "get", "got", "had", "hadn't", "has", "hasn't", "have", "haven't", "having", "he",
  "he'd", "he'll", "he's", "her", "here", "here's", "hers", "herself", "him", "himself", "his",
  "how", "how's", "i", "i'd", "i'll", "i'm", "i've", "if", "in", "into", "is", "isn't", "it",
  "it's", "its", "itself", "just", "let's", "like", "me", "more", "most", "mustn't", "my",
  "myself", "no", "nor", "not", "of", "off", "oh", "ok", "okay", "on", "once", "only", "or",
  "other", "ought", "our", "ours", "ourselves", "out", "over", "own", "really", "same", "shan't",
  "she", "she'd", "she'll", "she's", "should", "shouldn't", "so", "some", "such", "than", "that",
  "that's", "the", "their", "theirs", "them", "themselves", "then", "there", "there's", "these",
  "they", "they'd", "they'll", "they're", "they've", "this", "those", "through", "to", "too",
  "uh", "um", "under", "until", "up", "us", "very", "was", "wasn't", "we", "we'd", "we'll",
  "we're", "we've", "were", "weren't", "what", "what's", "when", "when's", "where", "where's",
  "which", "while", "who", "who's", "whom", "why", "why's", "will", "with", "won't", "would",
  "wouldn't", "yeah", "yes", "you", "you'd", "you'll", "you're", "you've", "your", "yours",
  "yourself", "yourselves",
};

static gboolean
is_stop_word (const char *word)
{
  if (g_utf8_strlen (word, -1) < 2) /* "b" of <b>, "s" of a stray quote */
    return TRUE;
  static GHashTable *set = NULL;
  if (g_once_init_enter (&set))
    {
      GHashTable *words = g_hash_table_new (g_str_hash, g_str_equal);
      for (guint i = 0; i < G_N_ELEMENTS (stop_words); i++)
        g_hash_table_add (words, (gpointer) stop_words[i]);
      g_once_init_leave (&set, words);
    }
  return g_hash_table_contains (set, word);
}

static gboolean
is_word_char (gunichar c)
{
  return g_unichar_isalnum (c) || g_unichar_ismark (c);
}

/* Splits @phrase into lower-case words; NULL entries mark clause breaks
 * (punctuation, numbers, overlong words) that n-grams do not cross. An
 * apostrophe or hyphen between letters stays in the word ("don't",
 * "follow-up"); the typographic apostrophe is read as "'". */
static GPtrArray *
phrase_words (const char *phrase)
{
  GPtrArray *words = g_ptr_array_new_with_free_func (g_free);
  GString *word = g_string_new (NULL);
  guint n_words = 0;
  gboolean has_letter = FALSE;
  for (const char *p = phrase;; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);
      if (c != 0 && is_word_char (c))
        {
          g_string_append_unichar (word, c);
          has_letter = has_letter || g_unichar_isalpha (c);
          continue;
        }
      gboolean apostrophe = c == '\'' || c == 0x2019;
      if ((apostrophe || c == '-') && word->len > 0)
        {
          gunichar next = g_utf8_get_char (g_utf8_next_char (p));
          if (next != 0 && is_word_char (next))
            {
              g_string_append_c (word, c == '-' ? '-' : '\'');
              continue;
            }
        }
      if (word->len > 0)
        {
          if (has_letter && word->len <= MAX_WORD_BYTES)
            g_ptr_array_add (words, g_utf8_strdown (word->str, word->len));
          else
            g_ptr_array_add (words, NULL);
          g_string_truncate (word, 0);
          has_letter = FALSE;
          if (++n_words >= MAX_PHRASE_WORDS)
            break;
        }
      if (c == 0)
        break;
      if (!g_unichar_isspace (c) && !apostrophe) /* the kids' car: a quote mark, no break */
        g_ptr_array_add (words, NULL);
    }
  g_string_free (word, TRUE);
  return words;
}

/* Adds to @set every n-gram (1 to MAX_NGRAM words, within a clause) of
 * @phrase that neither starts nor ends with a stop word. */
static void
collect_ngrams (const char *phrase, GHashTable *set)
{
  g_autoptr (GPtrArray) words = phrase_words (phrase);
  GString *ngram = g_string_new (NULL);
  for (guint i = 0; i < words->len; i++)
    {
      const char *first = g_ptr_array_index (words, i);
      if (first == NULL || is_stop_word (first))
        continue;
      for (guint n = 1; n <= MAX_NGRAM && i + n <= words->len; n++)
        {
          const char *last = g_ptr_array_index (words, i + n - 1);
          if (last == NULL)
            break;
          if (is_stop_word (last))
            continue;
          g_string_truncate (ngram, 0);
          for (guint k = i; k < i + n; k++)
            {
              if (k > i)
                g_string_append_c (ngram, ' ');
              g_string_append (ngram, g_ptr_array_index (words, k));
            }
          g_hash_table_add (set, g_strdup (ngram->str));
        }
    }
  g_string_free (ngram, TRUE);
}

/* ---- adding notes ------------------------------------------------------------ */

static const char *
or_none (const char *text)
{
  return text != NULL && *text != '\0' ? text : NONE;
}

/* Counts @key in @counts unless @seen already holds it: per-note sets make
 * every count "notes that have it", whatever a chain repeats. */
static void
count_once (GHashTable *seen, GHashTable *counts, const char *kind, const char *key)
{
  char *tagged = g_strconcat (kind, key, NULL);
  if (g_hash_table_add (seen, tagged))
    counts_add (counts, key, 1);
}

static gboolean
valid_utf8 (const char *text)
{
  return text == NULL || g_utf8_validate (text, -1, NULL);
}

/* Rung ids are joined with '>' into links and paths, so cannot hold it. */
static gboolean
valid_rung_ids (const char *const *rungs)
{
  for (guint i = 0; rungs != NULL && rungs[i] != NULL; i++)
    if (*rungs[i] == '\0' || strchr (rungs[i], '>') != NULL)
      return FALSE;
  return TRUE;
}

static gboolean
valid_utf8_strv (const char *const *strv, guint max)
{
  for (guint i = 0; strv != NULL && i < max && strv[i] != NULL; i++)
    if (!g_utf8_validate (strv[i], -1, NULL))
      return FALSE;
  return TRUE;
}

void
fw_report_add_note (FwReport *report, const FwReportNote *note)
{
  g_return_if_fail (report != NULL);
  g_return_if_fail (note != NULL);
  guint n_rungs = note->rungs != NULL ? g_strv_length ((char **) note->rungs) : 0;
  g_return_if_fail (n_rungs <= FW_REPORT_MAX_DEPTH);
  g_return_if_fail (note->depth <= FW_REPORT_MAX_DEPTH);
  g_return_if_fail (valid_rung_ids (note->rungs));
  g_return_if_fail (valid_utf8 (note->need) && valid_utf8 (note->motivation) && valid_utf8 (note->group));
  g_return_if_fail (valid_utf8_strv (note->rungs, G_MAXUINT) && valid_utf8_strv (note->levels, n_rungs)
                    && valid_utf8_strv (note->flags, G_MAXUINT)
                    && valid_utf8_strv (note->unmatched, MAX_PHRASES_PER_NOTE));

  const char *need_id = or_none (note->need);
  NeedStats *need = lookup_need (report, need_id);
  GroupStats *group = report->group_field != NULL ? lookup_group (report, or_none (note->group)) : NULL;
  report->notes = sat_add (report->notes, 1);
  need->notes = sat_add (need->notes, 1);
  if (group != NULL)
    group->notes = sat_add (group->notes, 1);
  if (!note->ok)
    {
      report->errors = sat_add (report->errors, 1);
      need->errors = sat_add (need->errors, 1);
      if (group != NULL)
        group->errors = sat_add (group->errors, 1);
      return;
    }

  depth_add (need->depth, note->depth, 1);
  gboolean reached = note->motivation != NULL && *note->motivation != '\0';
  counts_add (need->motivations, or_none (note->motivation), 1);

  g_autoptr (GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  for (guint i = 0; note->flags != NULL && note->flags[i] != NULL; i++)
    if (*note->flags[i] != '\0')
      count_once (seen, need->flags, "f:", note->flags[i]);
  for (guint i = 0; i < n_rungs; i++)
    {
      const char *level = note->levels != NULL && note->levels[i] != NULL && *note->levels[i] != '\0'
                              ? note->levels[i]
                              : "unknown";
      g_autofree char *tagged = g_strconcat ("r:", note->rungs[i], NULL);
      if (g_hash_table_add (seen, g_steal_pointer (&tagged)))
        counts_add (lookup_rung_levels (need, note->rungs[i]), level, 1);
      if (i + 1 < n_rungs)
        {
          g_autofree char *link = g_strconcat (note->rungs[i], ">", note->rungs[i + 1], NULL);
          count_once (seen, need->links, "l:", link);
        }
      for (guint j = i + 2; j < n_rungs; j++)
        {
          g_autofree char *pair = g_strconcat (note->rungs[i], ">", note->rungs[j], NULL);
          count_once (seen, need->indirect, "i:", pair);
        }
    }
  if (n_rungs > 0)
    {
      g_autofree char *path = g_strjoinv (">", (char **) note->rungs);
      counts_add (need->paths, path, 1);
    }

  if (group != NULL)
    {
      depth_add (group->depth, note->depth, 1);
      if (reached)
        group->reached = sat_add (group->reached, 1);
      g_autofree char *stop = n_rungs > 0 ? g_strconcat (need_id, "/", note->rungs[n_rungs - 1], NULL)
                                          : g_strdup (need_id);
      counts_add (group->stops, stop, 1);
    }

  if (note->unmatched != NULL)
    {
      g_autoptr (GHashTable) ngrams = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
      for (guint i = 0; i < MAX_PHRASES_PER_NOTE && note->unmatched[i] != NULL; i++)
        collect_ngrams (note->unmatched[i], ngrams);
      GHashTableIter iter;
      gpointer key;
      g_hash_table_iter_init (&iter, ngrams);
      while (g_hash_table_iter_next (&iter, &key, NULL))
        counts_add (report->phrases, key, 1);
    }
}

/* ---- merging ----------------------------------------------------------------- */

static void
need_stats_merge (NeedStats *into, NeedStats *from)
{
  into->notes = sat_add (into->notes, from->notes);
  into->errors = sat_add (into->errors, from->errors);
  depth_merge (into->depth, from->depth);
  counts_merge (into->motivations, from->motivations);
  counts_merge (into->flags, from->flags);
  counts_merge (into->links, from->links);
  counts_merge (into->indirect, from->indirect);
  counts_merge (into->paths, from->paths);
  GHashTableIter iter;
  gpointer key, value;
  g_hash_table_iter_init (&iter, from->rungs);
  while (g_hash_table_iter_next (&iter, &key, &value))
    counts_merge (lookup_rung_levels (into, key), value);
}

static void
group_stats_merge (GroupStats *into, GroupStats *from)
{
  into->notes = sat_add (into->notes, from->notes);
  into->errors = sat_add (into->errors, from->errors);
  into->reached = sat_add (into->reached, from->reached);
  depth_merge (into->depth, from->depth);
  counts_merge (into->stops, from->stops);
}

gboolean
fw_report_merge (FwReport *report, FwReport *other, GError **error)
{
  g_return_val_if_fail (report != NULL, FALSE);
  g_return_val_if_fail (other != NULL, FALSE);
  g_return_val_if_fail (report != other, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  gboolean same_groups = g_strcmp0 (report->group_field, other->group_field) == 0;
  if (report->group_field != NULL && !same_groups && other->notes > 0)
    {
      if (other->group_field != NULL)
        g_set_error (error, FW_ERROR, FW_ERROR_USAGE,
                     "this partial is grouped by '%s', the report by '%s': run both with the same --group-field",
                     other->group_field, report->group_field);
      else
        g_set_error (error, FW_ERROR, FW_ERROR_USAGE,
                     "this partial has no groups, the report is grouped by '%s': run both with the same --group-field",
                     report->group_field);
      return FALSE;
    }
  report->notes = sat_add (report->notes, other->notes);
  report->errors = sat_add (report->errors, other->errors);
  report->unreadable = sat_add (report->unreadable, other->unreadable);
  GHashTableIter iter;
  gpointer key, value;
  g_hash_table_iter_init (&iter, other->needs);
  while (g_hash_table_iter_next (&iter, &key, &value))
    need_stats_merge (lookup_need (report, key), value);
  if (report->group_field != NULL && same_groups)
    {
      g_hash_table_iter_init (&iter, other->groups);
      while (g_hash_table_iter_next (&iter, &key, &value))
        group_stats_merge (lookup_group (report, key), value);
    }
  counts_merge (report->phrases, other->phrases);
  return TRUE;
}

/* ---- reading analyze records ------------------------------------------------- */

static gboolean G_GNUC_PRINTF (2, 3)
input_error (GError **error, const char *format, ...)
{
  va_list args;
  va_start (args, format);
  char *message = g_strdup_vprintf (format, args);
  va_end (args);
  g_set_error_literal (error, FW_ERROR, FW_ERROR_INPUT, message);
  g_free (message);
  return FALSE;
}

/* A member that must be a string (non-empty) or null: *@out is NULL for
 * null. With @required FALSE a missing member reads as null. */
static gboolean
get_string_or_null (JsonObject *object, const char *name, gboolean required, const char **out, GError **error)
{
  *out = NULL;
  JsonNode *node = json_object_get_member (object, name);
  if (node == NULL)
    return required ? input_error (error, "not an analyze record: missing '%s'", name) : TRUE;
  if (JSON_NODE_HOLDS_NULL (node))
    return TRUE;
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return input_error (error, "not an analyze record: '%s' is not a string or null", name);
  *out = json_node_get_string (node);
  return TRUE;
}

/* An optional array of strings as a NULL-terminated vector of lent strings,
 * in @out (a GPtrArray the caller frees); at most @max items are kept. */
static gboolean
get_strings (JsonObject *object, const char *name, guint max, GPtrArray *out, GError **error)
{
  JsonNode *node = json_object_get_member (object, name);
  if (node != NULL && !JSON_NODE_HOLDS_NULL (node))
    {
      if (!JSON_NODE_HOLDS_ARRAY (node))
        return input_error (error, "not an analyze record: '%s' is not an array", name);
      JsonArray *array = json_node_get_array (node);
      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          JsonNode *item = json_array_get_element (array, i);
          if (!JSON_NODE_HOLDS_VALUE (item) || json_node_get_value_type (item) != G_TYPE_STRING)
            return input_error (error, "not an analyze record: '%s' item %u is not a string", name, i + 1);
          if (out->len < max)
            g_ptr_array_add (out, (gpointer) json_node_get_string (item));
        }
    }
  g_ptr_array_add (out, NULL);
  return TRUE;
}

/* The note's value of the group field: fields.F as a string (numbers and
 * booleans as written in JSON); NULL when absent, null or empty. */
static char *
group_value (JsonObject *object, const char *field)
{
  JsonNode *fields = json_object_get_member (object, "fields");
  if (fields == NULL || !JSON_NODE_HOLDS_OBJECT (fields))
    return NULL;
  JsonNode *node = json_object_get_member (json_node_get_object (fields), field);
  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return NULL;
  switch (json_node_get_value_type (node))
    {
    case G_TYPE_STRING:
      return g_strdup (json_node_get_string (node));
    case G_TYPE_INT64:
      return g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (node));
    case G_TYPE_BOOLEAN:
      return g_strdup (json_node_get_boolean (node) ? "true" : "false");
    case G_TYPE_DOUBLE:
      {
        char buffer[G_ASCII_DTOSTR_BUF_SIZE];
        return g_strdup (g_ascii_dtostr (buffer, sizeof buffer, json_node_get_double (node)));
      }
    default:
      return NULL;
    }
}

/* Counts one analyze record; on failure nothing is counted. The fields the
 * report uses must be there with their types (the chain's rung and level,
 * depth, need, motivation for an "ok" record; status for every record);
 * flags, unmatched and fields are optional; anything else is ignored. */
static gboolean
add_record (FwReport *report, JsonObject *object, GError **error)
{
  const char *status;
  if (!get_string_or_null (object, "status", TRUE, &status, error))
    return FALSE;
  if (status == NULL || (strcmp (status, "ok") != 0 && strcmp (status, "error") != 0))
    return input_error (error, "not an analyze record: 'status' is not \"ok\" or \"error\"");
  FwReportNote note = { .ok = strcmp (status, "ok") == 0 };
  if (!get_string_or_null (object, "need", note.ok, &note.need, error))
    return FALSE;
  g_autofree char *group = report->group_field != NULL ? group_value (object, report->group_field) : NULL;
  note.group = group;
  if (!note.ok)
    {
      fw_report_add_note (report, &note);
      return TRUE;
    }

  JsonNode *depth = json_object_get_member (object, "depth");
  if (depth == NULL)
    return input_error (error, "not an analyze record: missing 'depth'");
  if (!JSON_NODE_HOLDS_VALUE (depth) || json_node_get_value_type (depth) != G_TYPE_INT64
      || json_node_get_int (depth) < 0 || json_node_get_int (depth) > FW_REPORT_MAX_DEPTH)
    return input_error (error, "not an analyze record: 'depth' is not a whole number from 0 to %d",
                        FW_REPORT_MAX_DEPTH);
  note.depth = (guint) json_node_get_int (depth);
  if (!get_string_or_null (object, "motivation", TRUE, &note.motivation, error))
    return FALSE;

  JsonNode *chain = json_object_get_member (object, "chain");
  if (chain == NULL)
    return input_error (error, "not an analyze record: missing 'chain'");
  if (!JSON_NODE_HOLDS_ARRAY (chain))
    return input_error (error, "not an analyze record: 'chain' is not an array");
  JsonArray *links = json_node_get_array (chain);
  guint n_links = json_array_get_length (links);
  if (n_links > FW_REPORT_MAX_DEPTH)
    return input_error (error, "not an analyze record: 'chain' has more than %d rungs", FW_REPORT_MAX_DEPTH);
  g_autoptr (GPtrArray) rungs = g_ptr_array_new ();
  g_autoptr (GPtrArray) levels = g_ptr_array_new ();
  for (guint i = 0; i < n_links; i++)
    {
      JsonNode *link = json_array_get_element (links, i);
      if (!JSON_NODE_HOLDS_OBJECT (link))
        return input_error (error, "not an analyze record: 'chain' item %u is not an object", i + 1);
      JsonObject *rung = json_node_get_object (link);
      const char *names[] = { "rung", "level" };
      const char *values[2];
      for (guint k = 0; k < 2; k++)
        {
          JsonNode *node = json_object_get_member (rung, names[k]);
          if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING
              || *json_node_get_string (node) == '\0')
            return input_error (error, "not an analyze record: 'chain' item %u has no '%s'", i + 1, names[k]);
          values[k] = json_node_get_string (node);
        }
      if (strchr (values[0], '>') != NULL)
        return input_error (error, "not an analyze record: 'chain' item %u: a rung id cannot hold '>'", i + 1);
      g_ptr_array_add (rungs, (gpointer) values[0]);
      g_ptr_array_add (levels, (gpointer) values[1]);
    }
  g_ptr_array_add (rungs, NULL);
  g_ptr_array_add (levels, NULL);
  note.rungs = (const char *const *) rungs->pdata;
  note.levels = (const char *const *) levels->pdata;

  g_autoptr (GPtrArray) flags = g_ptr_array_new ();
  g_autoptr (GPtrArray) unmatched = g_ptr_array_new ();
  if (!get_strings (object, "flags", G_MAXUINT, flags, error)
      || !get_strings (object, "unmatched", MAX_PHRASES_PER_NOTE, unmatched, error))
    return FALSE;
  note.flags = (const char *const *) flags->pdata;
  note.unmatched = (const char *const *) unmatched->pdata;
  fw_report_add_note (report, &note);
  return TRUE;
}

/* ---- reading partials ---------------------------------------------------------- */

/* Checks that @object has exactly the members @names (NULL-terminated);
 * an unknown key is named first, as it is most often a misspelt one. */
static gboolean
check_members (JsonObject *object, const char *where, const char *const *names, GError **error)
{
  g_autoptr (GList) members = json_object_get_members (object);
  for (GList *l = members; l != NULL; l = l->next)
    if (!g_strv_contains (names, l->data))
      return input_error (error, "not a report partial: %s%sunknown key '%s'", where, *where ? ": " : "",
                          (const char *) l->data);
  for (guint i = 0; names[i] != NULL; i++)
    if (!json_object_has_member (object, names[i]))
      return input_error (error, "not a report partial: %s%smissing '%s'", where, *where ? ": " : "", names[i]);
  return TRUE;
}

static gboolean
read_count (JsonNode *node, const char *where, guint64 *out, GError **error)
{
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_INT64
      || json_node_get_int (node) < 0 || (guint64) json_node_get_int (node) > MAX_COUNT)
    return input_error (error, "not a report partial: %s: not a count (a whole number from 0 to 2^53 - 1)", where);
  *out = (guint64) json_node_get_int (node);
  return TRUE;
}

static gboolean
read_member_count (JsonObject *object, const char *where, const char *name, guint64 *out, GError **error)
{
  g_autofree char *path = *where ? g_strconcat (where, ".", name, NULL) : g_strdup (name);
  return read_count (json_object_get_member (object, name), path, out, error);
}

static gboolean
read_counts (JsonObject *object, const char *where, const char *name, GHashTable *into, GError **error)
{
  g_autofree char *path = g_strconcat (where, ".", name, NULL);
  JsonNode *node = json_object_get_member (object, name);
  if (!JSON_NODE_HOLDS_OBJECT (node))
    return input_error (error, "not a report partial: %s: not an object of counts", path);
  JsonObject *counts = json_node_get_object (node);
  g_autoptr (GList) members = json_object_get_members (counts);
  for (GList *l = members; l != NULL; l = l->next)
    {
      g_autofree char *item = g_strconcat (path, ".", (const char *) l->data, NULL);
      guint64 n;
      if (!read_count (json_object_get_member (counts, l->data), item, &n, error))
        return FALSE;
      counts_add (into, l->data, n);
    }
  return TRUE;
}

static gboolean
read_depth (JsonObject *object, const char *where, GArray *into, GError **error)
{
  g_autofree char *path = g_strconcat (where, ".depth", NULL);
  JsonNode *node = json_object_get_member (object, "depth");
  if (!JSON_NODE_HOLDS_ARRAY (node))
    return input_error (error, "not a report partial: %s: not an array of counts", path);
  JsonArray *array = json_node_get_array (node);
  if (json_array_get_length (array) > FW_REPORT_MAX_DEPTH + 1)
    return input_error (error, "not a report partial: %s: deeper than %d", path, FW_REPORT_MAX_DEPTH);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      g_autofree char *item = g_strdup_printf ("%s[%u]", path, i);
      guint64 n;
      if (!read_count (json_array_get_element (array, i), item, &n, error))
        return FALSE;
      depth_add (into, i, n);
    }
  return TRUE;
}

/* The members of @object named @name, as an object; NULL with @error set
 * when it is not one. */
static JsonObject *
member_object (JsonObject *object, const char *where, const char *name, GError **error)
{
  JsonNode *node = json_object_get_member (object, name);
  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      input_error (error, "not a report partial: %s%s%s: not an object", where, *where ? "." : "", name);
      return NULL;
    }
  return json_node_get_object (node);
}

static gboolean
read_need (JsonObject *object, const char *where, NeedStats *need, GError **error)
{
  static const char *const names[] = { "depth", "errors", "flags", "indirect", "links", "motivations",
                                       "notes", "paths", "rungs", NULL };
  if (!check_members (object, where, names, error) || !read_member_count (object, where, "notes", &need->notes, error)
      || !read_member_count (object, where, "errors", &need->errors, error)
      || !read_depth (object, where, need->depth, error)
      || !read_counts (object, where, "motivations", need->motivations, error)
      || !read_counts (object, where, "flags", need->flags, error)
      || !read_counts (object, where, "links", need->links, error)
      || !read_counts (object, where, "indirect", need->indirect, error)
      || !read_counts (object, where, "paths", need->paths, error))
    return FALSE;
  JsonObject *rungs = member_object (object, where, "rungs", error);
  if (rungs == NULL)
    return FALSE;
  g_autofree char *path = g_strconcat (where, ".rungs", NULL);
  g_autoptr (GList) members = json_object_get_members (rungs);
  for (GList *l = members; l != NULL; l = l->next)
    if (!read_counts (rungs, path, l->data, lookup_rung_levels (need, l->data), error))
      return FALSE;
  return TRUE;
}

static gboolean
read_group (JsonObject *object, const char *where, GroupStats *group, GError **error)
{
  static const char *const names[] = { "depth", "errors", "notes", "reached", "stops", NULL };
  return check_members (object, where, names, error) && read_member_count (object, where, "notes", &group->notes, error)
         && read_member_count (object, where, "errors", &group->errors, error)
         && read_member_count (object, where, "reached", &group->reached, error)
         && read_depth (object, where, group->depth, error)
         && read_counts (object, where, "stops", group->stops, error);
}

/* A report from its JSON partial; NULL with FW_ERROR_INPUT saying where it
 * is malformed. Strict: every key must be there and none may be unknown, so
 * that nothing of a partial is silently left out of a merge. */
static FwReport *
read_partial (JsonObject *object, GError **error)
{
  static const char *const names[] = { "errors", "fivewhys_report", "group_field", "groups", "needs",
                                       "notes", "phrases", "unreadable", NULL };
  JsonNode *version = json_object_get_member (object, "fivewhys_report");
  if (!JSON_NODE_HOLDS_VALUE (version) || json_node_get_value_type (version) != G_TYPE_INT64)
    {
      input_error (error, "not a report partial: 'fivewhys_report' is not a version number");
      return NULL;
    }
  if (json_node_get_int (version) != REPORT_VERSION)
    {
      input_error (error, "a report partial of version %" G_GINT64_FORMAT ": this fivewhys reads version %d",
                   json_node_get_int (version), REPORT_VERSION);
      return NULL;
    }
  if (!check_members (object, "", names, error))
    return NULL;
  JsonNode *field = json_object_get_member (object, "group_field");
  if (!JSON_NODE_HOLDS_NULL (field)
      && (!JSON_NODE_HOLDS_VALUE (field) || json_node_get_value_type (field) != G_TYPE_STRING
          || *json_node_get_string (field) == '\0'))
    {
      input_error (error, "not a report partial: group_field: not a field name or null");
      return NULL;
    }
  g_autoptr (FwReport) report = fw_report_new (JSON_NODE_HOLDS_NULL (field) ? NULL : json_node_get_string (field));
  if (!read_member_count (object, "", "notes", &report->notes, error)
      || !read_member_count (object, "", "errors", &report->errors, error)
      || !read_member_count (object, "", "unreadable", &report->unreadable, error)
      || !read_counts (object, "", "phrases", report->phrases, error))
    return NULL;

  JsonObject *needs = member_object (object, "", "needs", error);
  if (needs == NULL)
    return NULL;
  g_autoptr (GList) need_ids = json_object_get_members (needs);
  for (GList *l = need_ids; l != NULL; l = l->next)
    {
      g_autofree char *where = g_strconcat ("needs.", (const char *) l->data, NULL);
      JsonObject *need = member_object (needs, "needs", l->data, error);
      if (need == NULL || !read_need (need, where, lookup_need (report, l->data), error))
        return NULL;
    }

  JsonObject *groups = member_object (object, "", "groups", error);
  if (groups == NULL)
    return NULL;
  g_autoptr (GList) group_values = json_object_get_members (groups);
  if (group_values != NULL && report->group_field == NULL)
    {
      input_error (error, "not a report partial: groups without a group_field");
      return NULL;
    }
  for (GList *l = group_values; l != NULL; l = l->next)
    {
      g_autofree char *where = g_strconcat ("groups.", (const char *) l->data, NULL);
      JsonObject *group = member_object (groups, "groups", l->data, error);
      if (group == NULL || !read_group (group, where, lookup_group (report, l->data), error))
        return NULL;
    }
  return g_steal_pointer (&report);
}

/* Whether brackets nest deeper than MAX_JSON_NESTING outside strings: the
 * parser recurses, and a line of a million '[' must not take the stack. */
static gboolean
nests_too_deep (const char *text, gsize length)
{
  guint depth = 0;
  gboolean in_string = FALSE;
  for (gsize i = 0; i < length; i++)
    {
      char c = text[i];
      if (in_string)
        {
          if (c == '\\')
            i++;
          else if (c == '"')
            in_string = FALSE;
        }
      else if (c == '"')
        in_string = TRUE;
      else if (c == '[' || c == '{')
        {
          if (++depth > MAX_JSON_NESTING)
            return TRUE;
        }
      else if ((c == ']' || c == '}') && depth > 0)
        depth--;
    }
  return FALSE;
}

static gboolean
unreadable (FwReport *report, GError *local, GError **error)
{
  report->unreadable = sat_add (report->unreadable, 1);
  g_propagate_error (error, local);
  return FALSE;
}

gboolean
fw_report_add_line (FwReport *report, const char *line, gssize length, FwReportLine *kind, GError **error)
{
  g_return_val_if_fail (report != NULL, FALSE);
  g_return_val_if_fail (line != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);
  gsize len = length < 0 ? strlen (line) : (gsize) length;
  if (len > 0 && line[len - 1] == '\n')
    len--;
  if (len > 0 && line[len - 1] == '\r')
    len--;
  if (kind != NULL)
    *kind = FW_REPORT_LINE_BLANK;
  gsize start = 0;
  while (start < len && g_ascii_isspace (line[start]))
    start++;
  if (start == len || line[start] == '#')
    return TRUE;

  GError *local = NULL;
  if (!g_utf8_validate (line, len, NULL))
    {
      input_error (&local, "not valid UTF-8 (or holds a NUL byte)");
      return unreadable (report, local, error);
    }
  if (nests_too_deep (line, len))
    {
      input_error (&local, "not readable: JSON nested deeper than %d levels", MAX_JSON_NESTING);
      return unreadable (report, local, error);
    }
  if (report->parser == NULL)
    report->parser = json_parser_new ();
  if (!json_parser_load_from_data (report->parser, line, (gssize) len, NULL))
    {
      input_error (&local, "not JSON");
      return unreadable (report, local, error);
    }
  JsonNode *root = json_parser_get_root (report->parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      input_error (&local, "not a JSON object");
      return unreadable (report, local, error);
    }
  JsonObject *object = json_node_get_object (root);
  if (json_object_has_member (object, "fivewhys_report"))
    {
      g_autoptr (FwReport) partial = read_partial (object, &local);
      if (partial == NULL)
        return unreadable (report, local, error);
      if (!fw_report_merge (report, partial, error))
        return FALSE;
      if (kind != NULL)
        *kind = FW_REPORT_LINE_PARTIAL;
      return TRUE;
    }
  if (!add_record (report, object, &local))
    return unreadable (report, local, error);
  if (kind != NULL)
    *kind = FW_REPORT_LINE_RECORD;
  return TRUE;
}

guint64
fw_report_get_min_link (FwReport *report, const char *need, guint min_link)
{
  g_return_val_if_fail (report != NULL, 0);
  if (min_link > 0)
    return min_link;
  NeedStats *stats = need != NULL ? g_hash_table_lookup (report->needs, need) : NULL;
  guint64 ok = stats != NULL ? depth_notes (stats->depth) : 0;
  guint64 cut = ok / 100 * 3 + ((ok % 100) * 3 + 99) / 100; /* ceil (3% of ok), without overflow */
  return MAX (cut, 2);
}

/* ---- JSON ------------------------------------------------------------------------ */

static void
json_string (GString *out, const char *text)
{
  g_string_append_c (out, '"');
  for (const unsigned char *p = (const unsigned char *) text; *p != '\0'; p++)
    switch (*p)
      {
      case '"':
        g_string_append (out, "\\\"");
        break;
      case '\\':
        g_string_append (out, "\\\\");
        break;
      case '\n':
        g_string_append (out, "\\n");
        break;
      case '\r':
        g_string_append (out, "\\r");
        break;
      case '\t':
        g_string_append (out, "\\t");
        break;
      default:
        if (*p < 0x20)
          g_string_append_printf (out, "\\u%04x", *p);
        else
          g_string_append_c (out, (char) *p);
      }
  g_string_append_c (out, '"');
}

static void
json_key (GString *out, const char *key)
{
  json_string (out, key);
  g_string_append_c (out, ':');
}

static void
json_count (GString *out, const char *key, guint64 n)
{
  json_key (out, key);
  g_string_append_printf (out, "%" G_GUINT64_FORMAT ",", n);
}

/* Zero counts are left out, so that equal reports are equal bytes. */
static void
json_counts (GString *out, const char *key, GHashTable *counts)
{
  json_key (out, key);
  g_string_append_c (out, '{');
  guint n;
  g_autofree const char **keys = sorted_keys (counts, &n);
  gboolean first = TRUE;
  for (guint i = 0; i < n; i++)
    {
      guint64 value = counts_get (counts, keys[i]);
      if (value == 0)
        continue;
      if (!first)
        g_string_append_c (out, ',');
      first = FALSE;
      json_key (out, keys[i]);
      g_string_append_printf (out, "%" G_GUINT64_FORMAT, value);
    }
  g_string_append (out, "},");
}

static void
json_depth (GString *out, GArray *depth)
{
  guint len = depth->len;
  while (len > 0 && g_array_index (depth, guint64, len - 1) == 0)
    len--;
  json_key (out, "depth");
  g_string_append_c (out, '[');
  for (guint i = 0; i < len; i++)
    g_string_append_printf (out, "%s%" G_GUINT64_FORMAT, i > 0 ? "," : "", g_array_index (depth, guint64, i));
  g_string_append (out, "],");
}

/* Drops the ',' after an object's last member and closes it. */
static void
json_close (GString *out)
{
  if (out->len > 0 && out->str[out->len - 1] == ',')
    g_string_truncate (out, out->len - 1);
  g_string_append_c (out, '}');
}

static void
render_json (FwReport *report, GString *out)
{
  guint n;
  g_string_append_c (out, '{');
  json_count (out, "errors", report->errors);
  json_count (out, "fivewhys_report", REPORT_VERSION);
  json_key (out, "group_field");
  if (report->group_field != NULL)
    json_string (out, report->group_field);
  else
    g_string_append (out, "null");
  g_string_append_c (out, ',');

  json_key (out, "groups");
  g_string_append_c (out, '{');
  g_autofree const char **groups = sorted_keys (report->groups, &n);
  for (guint i = 0; i < n; i++)
    {
      GroupStats *group = g_hash_table_lookup (report->groups, groups[i]);
      json_key (out, groups[i]);
      g_string_append_c (out, '{');
      json_depth (out, group->depth);
      json_count (out, "errors", group->errors);
      json_count (out, "notes", group->notes);
      json_count (out, "reached", group->reached);
      json_counts (out, "stops", group->stops);
      json_close (out);
      g_string_append_c (out, ',');
    }
  json_close (out);
  g_string_append_c (out, ',');

  json_key (out, "needs");
  g_string_append_c (out, '{');
  g_autofree const char **needs = sorted_keys (report->needs, &n);
  for (guint i = 0; i < n; i++)
    {
      NeedStats *need = g_hash_table_lookup (report->needs, needs[i]);
      json_key (out, needs[i]);
      g_string_append_c (out, '{');
      json_depth (out, need->depth);
      json_count (out, "errors", need->errors);
      json_counts (out, "flags", need->flags);
      json_counts (out, "indirect", need->indirect);
      json_counts (out, "links", need->links);
      json_counts (out, "motivations", need->motivations);
      json_count (out, "notes", need->notes);
      json_counts (out, "paths", need->paths);
      json_key (out, "rungs");
      g_string_append_c (out, '{');
      guint n_rungs;
      g_autofree const char **rungs = sorted_keys (need->rungs, &n_rungs);
      for (guint r = 0; r < n_rungs; r++)
        json_counts (out, rungs[r], g_hash_table_lookup (need->rungs, rungs[r]));
      json_close (out);
      json_close (out);
      g_string_append_c (out, ',');
    }
  json_close (out);
  g_string_append_c (out, ',');

  json_count (out, "notes", report->notes);
  json_counts (out, "phrases", report->phrases);
  json_count (out, "unreadable", report->unreadable);
  json_close (out);
  g_string_append_c (out, '\n');
}

/* ---- derived figures shared by the renderers ------------------------------------ */

typedef struct {
  const char *key;
  guint64 count;
} Entry;

static int
compare_entries (gconstpointer a, gconstpointer b)
{
  const Entry *x = a, *y = b;
  if (x->count != y->count)
    return x->count > y->count ? -1 : 1;
  return strcmp (x->key, y->key);
}

/* The non-zero counts of @counts, most first, ties by key. */
static GArray *
ranked (GHashTable *counts)
{
  GArray *entries = g_array_new (FALSE, FALSE, sizeof (Entry));
  GHashTableIter iter;
  gpointer key, value;
  g_hash_table_iter_init (&iter, counts);
  while (g_hash_table_iter_next (&iter, &key, &value))
    if (*(guint64 *) value > 0)
      g_array_append_val (entries, ((Entry) { key, *(guint64 *) value }));
  g_array_sort (entries, compare_entries);
  return entries;
}

static guint
count_words (const char *phrase)
{
  guint n = 1;
  for (const char *p = phrase; *p != '\0'; p++)
    n += *p == ' ';
  return n;
}

static int
compare_phrases (gconstpointer a, gconstpointer b)
{
  const Entry *x = a, *y = b;
  if (x->count != y->count)
    return x->count > y->count ? -1 : 1;
  guint wx = count_words (x->key), wy = count_words (y->key);
  if (wx != wy)
    return wx > wy ? -1 : 1;
  return strcmp (x->key, y->key);
}

/* Unmatched phrases, most notes first; of equal counts the longer, more
 * specific phrase first ("talk to someone" before "talk"). */
static GArray *
ranked_phrases (FwReport *report)
{
  GArray *entries = ranked (report->phrases);
  g_array_sort (entries, compare_phrases);
  return entries;
}

/* Needs (or groups) ranked by notes. */
static GArray *
ranked_needs (FwReport *report)
{
  GArray *entries = g_array_new (FALSE, FALSE, sizeof (Entry));
  GHashTableIter iter;
  gpointer key, value;
  g_hash_table_iter_init (&iter, report->needs);
  while (g_hash_table_iter_next (&iter, &key, &value))
    g_array_append_val (entries, ((Entry) { key, ((NeedStats *) value)->notes }));
  g_array_sort (entries, compare_entries);
  return entries;
}

static GArray *
ranked_groups (FwReport *report)
{
  GArray *entries = g_array_new (FALSE, FALSE, sizeof (Entry));
  GHashTableIter iter;
  gpointer key, value;
  g_hash_table_iter_init (&iter, report->groups);
  while (g_hash_table_iter_next (&iter, &key, &value))
    g_array_append_val (entries, ((Entry) { key, ((GroupStats *) value)->notes }));
  g_array_sort (entries, compare_entries);
  return entries;
}

/* Every need's depth distribution added up. */
static GArray *
total_depth (FwReport *report)
{
  GArray *depth = depth_new ();
  GHashTableIter iter;
  gpointer value;
  g_hash_table_iter_init (&iter, report->needs);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    depth_merge (depth, ((NeedStats *) value)->depth);
  return depth;
}

static GHashTable *
total_counts (FwReport *report, gsize offset)
{
  GHashTable *total = counts_new ();
  GHashTableIter iter;
  gpointer value;
  g_hash_table_iter_init (&iter, report->needs);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    counts_merge (total, G_STRUCT_MEMBER (GHashTable *, value, offset));
  return total;
}

/* Locale-independent figures: "12.5%", "3.1"; "-" when undefined. */
static char *
format_share (guint64 part, guint64 whole)
{
  if (whole == 0)
    return g_strdup ("-");
  char buffer[G_ASCII_DTOSTR_BUF_SIZE];
  g_ascii_formatd (buffer, sizeof buffer, "%.1f", 100.0 * (double) part / (double) whole);
  return g_strconcat (buffer, "%", NULL);
}

static char *
format_mean (double mean)
{
  if (mean < 0)
    return g_strdup ("-");
  char buffer[G_ASCII_DTOSTR_BUF_SIZE];
  return g_strdup (g_ascii_formatd (buffer, sizeof buffer, "%.1f", mean));
}

static char *
format_count (guint64 n)
{
  return g_strdup_printf ("%" G_GUINT64_FORMAT, n);
}

static int
level_rank (const char *level)
{
  static const char *const order[] = { "attribute", "function", "benefit", "motivation" };
  for (guint i = 0; i < G_N_ELEMENTS (order); i++)
    if (strcmp (level, order[i]) == 0)
      return (int) i;
  return G_N_ELEMENTS (order);
}

/* A rung of a need as the renderers see it: the level it was most often
 * given (ties: the first of attribute, function, benefit, motivation, then
 * by name) and the notes whose chain holds it. */
typedef struct {
  const char *id;
  const char *level;
  guint64 notes;
} RungView;

static int
compare_rung_views (gconstpointer a, gconstpointer b)
{
  const RungView *x = a, *y = b;
  int rank = level_rank (x->level) - level_rank (y->level);
  if (rank != 0)
    return rank;
  if (x->notes != y->notes)
    return x->notes > y->notes ? -1 : 1;
  return strcmp (x->id, y->id);
}

/* The rungs of @need, from the product towards the person: by level, then
 * most frequent first. Every rung of a chain is counted in need->rungs, so
 * the ends of every link are among them. */
static GArray *
rung_views (NeedStats *need)
{
  GArray *views = g_array_new (FALSE, FALSE, sizeof (RungView));
  GHashTableIter iter;
  gpointer key, value;
  g_hash_table_iter_init (&iter, need->rungs);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      RungView view = { key, "unknown", 0 };
      guint64 best = 0;
      GHashTableIter levels;
      gpointer level, count;
      g_hash_table_iter_init (&levels, value);
      while (g_hash_table_iter_next (&levels, &level, &count))
        {
          guint64 n = *(guint64 *) count;
          view.notes = sat_add (view.notes, n);
          if (n > best || (n == best && (level_rank (level) < level_rank (view.level)
                                         || (level_rank (level) == level_rank (view.level)
                                             && strcmp (level, view.level) < 0))))
            {
              best = n;
              view.level = level;
            }
        }
      g_array_append_val (views, view);
    }
  g_array_sort (views, compare_rung_views);
  return views;
}

/* ---- text -------------------------------------------------------------------------- */

static const char *
plural (guint64 n, const char *one, const char *many)
{
  return n == 1 ? one : many;
}

/* "20 notes (18 analyzed, 2 errors); 3 unreadable input lines" */
static char *
summary_line (FwReport *report)
{
  guint64 ok = report->notes - MIN (report->notes, report->errors);
  GString *line = g_string_new (NULL);
  g_string_append_printf (line, "%" G_GUINT64_FORMAT " %s (%" G_GUINT64_FORMAT " analyzed, %" G_GUINT64_FORMAT " %s)",
                          report->notes, plural (report->notes, "note", "notes"), ok, report->errors,
                          plural (report->errors, "error", "errors"));
  if (report->unreadable > 0)
    g_string_append_printf (line, "; %" G_GUINT64_FORMAT " unreadable input %s", report->unreadable,
                            plural (report->unreadable, "line", "lines"));
  return g_string_free (line, FALSE);
}

/* What a terminal should print of @text: control characters (which could
 * move the cursor or change colours) become '?'. */
static char *
terminal_safe (const char *text)
{
  GString *safe = g_string_sized_new (strlen (text));
  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);
      if (c < 0x20 || (c >= 0x7f && c < 0xa0))
        g_string_append_c (safe, '?');
      else
        g_string_append_unichar (safe, c);
    }
  return g_string_free (safe, FALSE);
}

/* An aligned table: cells are added row by row, the first row is the
 * header; @align has one 'l' or 'r' per column. */
typedef struct {
  const char *align;
  guint n_columns;
  GPtrArray *cells;
} Table;

static Table *
table_new (const char *align)
{
  Table *table = g_new0 (Table, 1);
  table->align = align;
  table->n_columns = strlen (align);
  table->cells = g_ptr_array_new_with_free_func (g_free);
  return table;
}

static void
table_add (Table *table, const char *cell)
{
  g_ptr_array_add (table->cells, terminal_safe (cell));
}

static void
table_take (Table *table, char *cell)
{
  table_add (table, cell);
  g_free (cell);
}

static void
table_free (Table *table)
{
  g_ptr_array_unref (table->cells);
  g_free (table);
}

static void
table_render (Table *table, GString *out)
{
  guint n = table->n_columns;
  g_autofree glong *widths = g_new0 (glong, n);
  for (guint i = 0; i < table->cells->len; i++)
    widths[i % n] = MAX (widths[i % n], g_utf8_strlen (g_ptr_array_index (table->cells, i), -1));
  for (guint i = 0; i < table->cells->len; i++)
    {
      guint column = i % n;
      const char *cell = g_ptr_array_index (table->cells, i);
      glong pad = widths[column] - g_utf8_strlen (cell, -1);
      g_string_append (out, "  ");
      if (table->align[column] == 'r')
        for (glong k = 0; k < pad; k++)
          g_string_append_c (out, ' ');
      g_string_append (out, cell);
      if (table->align[column] != 'r' && column + 1 < n)
        for (glong k = 0; k < pad; k++)
          g_string_append_c (out, ' ');
      if (column + 1 == n)
        {
          while (out->len > 0 && out->str[out->len - 1] == ' ')
            g_string_truncate (out, out->len - 1);
          g_string_append_c (out, '\n');
        }
    }
  table_free (table);
}

static char *
path_display (const char *path)
{
  g_auto (GStrv) rungs = g_strsplit (path, ">", -1);
  return g_strjoinv (" > ", rungs);
}

#define TEXT_TOP_PATHS 10
#define TEXT_TOP_PHRASES 20

static void
text_needs (FwReport *report, GArray *needs, GString *out)
{
  g_string_append (out, "\nNeeds (depth and motivation over analyzed notes)\n");
  Table *table = table_new ("lrrrrrr");
  const char *header[] = { "need", "notes", "ok", "errors", "mean depth", "reached motivation", "share" };
  for (guint i = 0; i < G_N_ELEMENTS (header); i++)
    table_add (table, header[i]);
  for (guint i = 0; i <= needs->len; i++)
    {
      gboolean all = i == needs->len;
      NeedStats *need = all ? NULL : g_hash_table_lookup (report->needs, g_array_index (needs, Entry, i).key);
      g_autoptr (GArray) depth = all ? total_depth (report) : g_array_ref (need->depth);
      guint64 notes = all ? report->notes : need->notes, errors = all ? report->errors : need->errors;
      guint64 ok = depth_notes (depth);
      guint64 reached = 0;
      if (all)
        {
          g_autoptr (GHashTable) motivations = total_counts (report, G_STRUCT_OFFSET (NeedStats, motivations));
          reached = ok - MIN (ok, counts_get (motivations, NONE));
        }
      else
        reached = ok - MIN (ok, counts_get (need->motivations, NONE));
      table_add (table, all ? "all" : g_array_index (needs, Entry, i).key);
      table_take (table, format_count (notes));
      table_take (table, format_count (ok));
      table_take (table, format_count (errors));
      table_take (table, format_mean (depth_mean (depth)));
      table_take (table, format_count (reached));
      table_take (table, format_share (reached, ok));
    }
  table_render (table, out);
}

static void
text_depth (FwReport *report, GArray *needs, GString *out)
{
  g_autoptr (GArray) total = total_depth (report);
  guint columns = MAX (total->len, 1);
  g_string_append (out, "\nDepth: analyzed notes by rungs reached\n");
  g_autofree char *align = g_strnfill (columns + 1, 'r');
  align[0] = 'l';
  Table *table = table_new (align);
  table_add (table, "need");
  for (guint d = 0; d < columns; d++)
    table_take (table, format_count (d));
  for (guint i = 0; i <= needs->len; i++)
    {
      gboolean all = i == needs->len;
      GArray *depth = all ? total
                          : ((NeedStats *) g_hash_table_lookup (report->needs, g_array_index (needs, Entry, i).key))->depth;
      table_add (table, all ? "all" : g_array_index (needs, Entry, i).key);
      for (guint d = 0; d < columns; d++)
        table_take (table, format_count (d < depth->len ? g_array_index (depth, guint64, d) : 0));
    }
  table_render (table, out);
}

static void
text_motivations (FwReport *report, GArray *needs, GString *out)
{
  g_string_append (out, "\nMotivations by need (share of the need's analyzed notes)\n");
  Table *table = table_new ("llrr");
  const char *header[] = { "need", "motivation", "notes", "share" };
  for (guint i = 0; i < G_N_ELEMENTS (header); i++)
    table_add (table, header[i]);
  for (guint i = 0; i < needs->len; i++)
    {
      const char *id = g_array_index (needs, Entry, i).key;
      NeedStats *need = g_hash_table_lookup (report->needs, id);
      guint64 ok = depth_notes (need->depth);
      g_autoptr (GArray) motivations = ranked (need->motivations);
      for (guint m = 0; m < motivations->len; m++)
        {
          Entry *e = &g_array_index (motivations, Entry, m);
          table_add (table, id);
          table_add (table, e->key);
          table_take (table, format_count (e->count));
          table_take (table, format_share (e->count, ok));
        }
    }
  table_render (table, out);
}

static void
text_flags (FwReport *report, GArray *needs, GString *out)
{
  g_autoptr (GHashTable) total = total_counts (report, G_STRUCT_OFFSET (NeedStats, flags));
  g_autoptr (GArray) flags = ranked (total);
  g_autoptr (GArray) depth = total_depth (report);
  g_string_append (out, "\nFlags (share of analyzed notes)\n");
  if (flags->len == 0)
    {
      g_string_append (out, "  none\n");
      return;
    }
  Table *table = table_new ("lrrl");
  const char *header[] = { "flag", "notes", "share", "by need" };
  for (guint i = 0; i < G_N_ELEMENTS (header); i++)
    table_add (table, header[i]);
  for (guint f = 0; f < flags->len; f++)
    {
      Entry *e = &g_array_index (flags, Entry, f);
      table_add (table, e->key);
      table_take (table, format_count (e->count));
      table_take (table, format_share (e->count, depth_notes (depth)));
      GString *by_need = g_string_new (NULL);
      for (guint i = 0; i < needs->len; i++)
        {
          const char *id = g_array_index (needs, Entry, i).key;
          guint64 n = counts_get (((NeedStats *) g_hash_table_lookup (report->needs, id))->flags, e->key);
          if (n > 0)
            g_string_append_printf (by_need, "%s%s %" G_GUINT64_FORMAT, by_need->len > 0 ? ", " : "", id, n);
        }
      table_take (table, g_string_free (by_need, FALSE));
    }
  table_render (table, out);
}

static void
text_groups (FwReport *report, GString *out)
{
  g_autoptr (GArray) groups = ranked_groups (report);
  g_autofree char *field = terminal_safe (report->group_field);
  g_string_append_printf (out, "\nBy %s\n", field);
  Table *table = table_new ("lrrrrrl");
  const char *header[] = { report->group_field, "notes", "errors", "mean depth", "reached motivation", "share",
                           "stops most at" };
  for (guint i = 0; i < G_N_ELEMENTS (header); i++)
    table_add (table, header[i]);
  for (guint i = 0; i < groups->len; i++)
    {
      const char *name = g_array_index (groups, Entry, i).key;
      GroupStats *group = g_hash_table_lookup (report->groups, name);
      guint64 ok = depth_notes (group->depth);
      g_autoptr (GArray) stops = ranked (group->stops);
      table_add (table, name);
      table_take (table, format_count (group->notes));
      table_take (table, format_count (group->errors));
      table_take (table, format_mean (depth_mean (group->depth)));
      table_take (table, format_count (group->reached));
      table_take (table, format_share (group->reached, ok));
      table_add (table, stops->len > 0 ? g_array_index (stops, Entry, 0).key : "-");
    }
  table_render (table, out);

  g_string_append_printf (out, "\nWhere discovery stops, by %s (deepest rung reached: need/rung)\n", field);
  table = table_new ("llrr");
  const char *stop_header[] = { report->group_field, "stop", "notes", "share" };
  for (guint i = 0; i < G_N_ELEMENTS (stop_header); i++)
    table_add (table, stop_header[i]);
  for (guint i = 0; i < groups->len; i++)
    {
      const char *name = g_array_index (groups, Entry, i).key;
      GroupStats *group = g_hash_table_lookup (report->groups, name);
      guint64 ok = depth_notes (group->depth);
      g_autoptr (GArray) stops = ranked (group->stops);
      for (guint s = 0; s < stops->len; s++)
        {
          Entry *e = &g_array_index (stops, Entry, s);
          table_add (table, name);
          table_add (table, e->key);
          table_take (table, format_count (e->count));
          table_take (table, format_share (e->count, ok));
        }
    }
  table_render (table, out);
}

/* The cell of the implication matrix: "direct/indirect", "." for neither. */
static char *
matrix_cell (NeedStats *need, const char *from, const char *to)
{
  g_autofree char *key = g_strconcat (from, ">", to, NULL);
  guint64 direct = counts_get (need->links, key), indirect = counts_get (need->indirect, key);
  if (direct == 0 && indirect == 0)
    return g_strdup (".");
  return g_strdup_printf ("%" G_GUINT64_FORMAT "/%" G_GUINT64_FORMAT, direct, indirect);
}

static void
text_need_detail (FwReport *report, const char *id, guint min_link, GString *out)
{
  NeedStats *need = g_hash_table_lookup (report->needs, id);
  guint64 ok = depth_notes (need->depth);
  if (g_hash_table_size (need->paths) == 0)
    return;
  g_autoptr (GArray) paths = ranked (need->paths);
  g_string_append_printf (out, "\nLadders: %s (", id);
  if (paths->len > TEXT_TOP_PATHS)
    g_string_append_printf (out, "top %d of %u paths, ", TEXT_TOP_PATHS, paths->len);
  g_string_append_printf (out, "share of %" G_GUINT64_FORMAT " analyzed notes)\n", ok);
  Table *table = table_new ("lrr");
  table_add (table, "path");
  table_add (table, "notes");
  table_add (table, "share");
  for (guint i = 0; i < MIN (paths->len, TEXT_TOP_PATHS); i++)
    {
      Entry *e = &g_array_index (paths, Entry, i);
      table_take (table, path_display (e->key));
      table_take (table, format_count (e->count));
      table_take (table, format_share (e->count, ok));
    }
  table_render (table, out);

  g_autoptr (GArray) rungs = rung_views (need);
  g_string_append_printf (out, "\nImplication matrix: %s (notes linking row to column: direct/indirect)\n", id);
  g_autofree char *align = g_strnfill (rungs->len + 3, 'r');
  align[1] = align[2] = 'l';
  table = table_new (align);
  table_add (table, "");
  table_add (table, "rung");
  table_add (table, "level");
  for (guint c = 0; c < rungs->len; c++)
    table_take (table, format_count (c + 1));
  for (guint r = 0; r < rungs->len; r++)
    {
      RungView *row = &g_array_index (rungs, RungView, r);
      table_take (table, format_count (r + 1));
      table_add (table, row->id);
      table_add (table, row->level);
      for (guint c = 0; c < rungs->len; c++)
        table_take (table, matrix_cell (need, row->id, g_array_index (rungs, RungView, c).id));
    }
  table_render (table, out);

  guint64 cut = fw_report_get_min_link (report, id, min_link);
  g_autoptr (GArray) links = ranked (need->links);
  g_string_append_printf (out, "\nValue map: %s (links in at least %" G_GUINT64_FORMAT " notes)\n", id, cut);
  table = table_new ("lrr");
  table_add (table, "link");
  table_add (table, "notes");
  table_add (table, "share");
  guint shown = 0;
  for (guint i = 0; i < links->len; i++)
    {
      Entry *e = &g_array_index (links, Entry, i);
      if (e->count < cut)
        continue;
      table_take (table, path_display (e->key));
      table_take (table, format_count (e->count));
      table_take (table, format_share (e->count, ok));
      shown++;
    }
  if (shown > 0)
    table_render (table, out);
  else
    {
      table_free (table);
      g_string_append (out, "  none at this cut-off\n");
    }
}

static void
text_phrases (FwReport *report, GString *out)
{
  g_autoptr (GArray) phrases = ranked_phrases (report);
  g_string_append (out, "\nUnmatched phrases: the rule author's to-do list (notes holding each");
  if (phrases->len > TEXT_TOP_PHRASES)
    g_string_append_printf (out, ", top %d of %u", TEXT_TOP_PHRASES, phrases->len);
  g_string_append (out, ")\n");
  if (phrases->len == 0)
    {
      g_string_append (out, "  none\n");
      return;
    }
  Table *table = table_new ("lr");
  table_add (table, "phrase");
  table_add (table, "notes");
  for (guint i = 0; i < MIN (phrases->len, TEXT_TOP_PHRASES); i++)
    {
      Entry *e = &g_array_index (phrases, Entry, i);
      table_add (table, e->key);
      table_take (table, format_count (e->count));
    }
  table_render (table, out);
}

static void
render_text (FwReport *report, guint min_link, GString *out)
{
  g_autofree char *summary = summary_line (report);
  g_string_append_printf (out, "fivewhys report: %s", summary);
  g_string_append_c (out, '\n');
  if (report->group_field != NULL)
    {
      g_autofree char *field = terminal_safe (report->group_field);
      g_string_append_printf (out, "grouped by %s\n", field);
    }
  if (report->notes == 0)
    return;
  g_autoptr (GArray) needs = ranked_needs (report);
  text_needs (report, needs, out);
  text_depth (report, needs, out);
  text_motivations (report, needs, out);
  text_flags (report, needs, out);
  if (report->group_field != NULL)
    text_groups (report, out);
  for (guint i = 0; i < needs->len; i++)
    text_need_detail (report, g_array_index (needs, Entry, i).key, min_link, out);
  text_phrases (report, out);
}

/* ---- HTML ---------------------------------------------------------------------------- */

/* Appends @text escaped for XML text and attribute values; characters XML
 * 1.0 forbids (controls, U+FFFE, U+FFFF) become U+FFFD, so the page stays
 * well-formed whatever a CRM field held. */
static void
html_text (GString *out, const char *text)
{
  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);
      switch (c)
        {
        case '&':
          g_string_append (out, "&amp;");
          break;
        case '<':
          g_string_append (out, "&lt;");
          break;
        case '>':
          g_string_append (out, "&gt;");
          break;
        case '"':
          g_string_append (out, "&quot;");
          break;
        case '\'':
          g_string_append (out, "&#39;");
          break;
        default:
          if ((c < 0x20 && c != '\t' && c != '\n') || c == 0xfffe || c == 0xffff || (c >= 0x7f && c < 0xa0))
            g_string_append_unichar (out, 0xfffd);
          else
            g_string_append_unichar (out, c);
        }
    }
}

static void G_GNUC_PRINTF (3, 4)
html_element (GString *out, const char *tag, const char *format, ...)
{
  va_list args;
  va_start (args, format);
  g_autofree char *text = g_strdup_vprintf (format, args);
  va_end (args);
  g_string_append_printf (out, "<%s>", tag);
  html_text (out, text);
  const char *space = strchr (tag, ' ');
  g_string_append_printf (out, "</%.*s>", space != NULL ? (int) (space - tag) : (int) strlen (tag), tag);
}

/* A table with a header row: @header is NULL-terminated, a leading '#'
 * marking a numeric (right-aligned) column; rows are added with html_row()
 * and closed with html_table_end(). */
static void
html_table_start (GString *out, const char *const *header, const char *class_name)
{
  g_string_append (out, "<table");
  if (class_name != NULL)
    g_string_append_printf (out, " class=\"%s\"", class_name);
  g_string_append (out, ">\n<tr>");
  for (guint i = 0; header[i] != NULL; i++)
    {
      gboolean numeric = header[i][0] == '#';
      g_string_append (out, numeric ? "<th class=\"n\">" : "<th>");
      html_text (out, header[i] + (numeric ? 1 : 0));
      g_string_append (out, "</th>");
    }
  g_string_append (out, "</tr>\n");
}

/* One row: cells are (char *) pairs of a kind ('l' text, 'n' number) and a
 * string that the row takes; NULL ends the list. */
static void
html_row (GString *out, ...)
{
  va_list args;
  va_start (args, out);
  g_string_append (out, "<tr>");
  for (;;)
    {
      int kind = va_arg (args, int);
      if (kind == 0)
        break;
      char *cell = va_arg (args, char *);
      g_string_append (out, kind == 'n' ? "<td class=\"n\">" : "<td>");
      html_text (out, cell);
      g_string_append (out, "</td>");
      g_free (cell);
    }
  g_string_append (out, "</tr>\n");
  va_end (args);
}

static void
html_table_end (GString *out)
{
  g_string_append (out, "</table>\n");
}

typedef struct {
  char *label;
  guint64 value;
  char *text;
} Bar;

static void
bar_clear (gpointer data)
{
  Bar *bar = data;
  g_free (bar->label);
  g_free (bar->text);
}

static GArray *
bars_new (void)
{
  GArray *bars = g_array_new (FALSE, TRUE, sizeof (Bar));
  g_array_set_clear_func (bars, bar_clear);
  return bars;
}

static void
bars_add (GArray *bars, const char *label, guint64 value, char *text)
{
  Bar bar = { g_strdup (label), value, text };
  g_array_append_val (bars, bar);
}

#define BAR_LABEL_WIDTH 230
#define BAR_WIDTH 360
#define BAR_TEXT_WIDTH 120
#define BAR_ROW 22
#define BAR_LABEL_CHARS 34

/* A horizontal bar chart as inline SVG: integer coordinates only, so the
 * bytes do not depend on the locale; long labels are cut and given whole
 * in a tooltip. Bars are drawn against @full (a share's 1000 per mille),
 * or with 0 against the largest value. */
static void
html_bars (GString *out, const char *title, GArray *bars, guint64 full)
{
  if (bars->len == 0)
    return;
  guint64 max = MAX (full, 1);
  for (guint i = 0; i < bars->len; i++)
    max = MAX (max, g_array_index (bars, Bar, i).value);
  guint width = BAR_LABEL_WIDTH + BAR_WIDTH + BAR_TEXT_WIDTH, height = bars->len * BAR_ROW + 4;
  g_string_append_printf (out, "<svg class=\"chart\" width=\"%u\" height=\"%u\" viewBox=\"0 0 %u %u\" role=\"img\" aria-label=\"",
                          width, height, width, height);
  html_text (out, title);
  g_string_append (out, "\"><title>");
  html_text (out, title);
  g_string_append (out, "</title>\n");
  for (guint i = 0; i < bars->len; i++)
    {
      Bar *bar = &g_array_index (bars, Bar, i);
      guint y = 2 + i * BAR_ROW;
      guint64 w = bar->value * BAR_WIDTH / max;
      if (w == 0 && bar->value > 0)
        w = 1;
      g_autofree char *shown = g_utf8_strlen (bar->label, -1) > BAR_LABEL_CHARS
                                   ? g_strconcat (g_utf8_substring (bar->label, 0, BAR_LABEL_CHARS - 1), "\xe2\x80\xa6", NULL)
                                   : g_strdup (bar->label);
      g_string_append (out, "<g><title>");
      html_text (out, bar->label);
      g_string_append (out, ": ");
      html_text (out, bar->text);
      g_string_append_printf (out, "</title><text x=\"%d\" y=\"%u\" text-anchor=\"end\">", BAR_LABEL_WIDTH - 6, y + 15);
      html_text (out, shown);
      g_string_append_printf (out,
                              "</text><rect class=\"bar\" x=\"%d\" y=\"%u\" width=\"%" G_GUINT64_FORMAT
                              "\" height=\"16\"/><text x=\"%" G_GUINT64_FORMAT "\" y=\"%u\">",
                              BAR_LABEL_WIDTH, y + 3, w, BAR_LABEL_WIDTH + w + 6, y + 15);
      html_text (out, bar->text);
      g_string_append (out, "</text></g>\n");
    }
  g_string_append (out, "</svg>\n");
}

static char *
count_and_share (guint64 n, guint64 whole)
{
  g_autofree char *share = format_share (n, whole);
  return g_strdup_printf ("%" G_GUINT64_FORMAT " (%s)", n, share);
}

static const char html_style[] =
  "body { font-family: system-ui, -apple-system, 'Segoe UI', sans-serif; color: #222; max-width: 72em; margin: 2em auto; padding: 0 1em; }\n"
  "h1 { font-size: 1.6em; } h2 { border-bottom: 1px solid #ccc; margin-top: 2em; } h3 { margin-bottom: 0.3em; }\n"
  "table { border-collapse: collapse; margin: 0.5em 0 1.2em; }\n"
  "th, td { padding: 0.2em 0.7em; border-bottom: 1px solid #e4e4e4; text-align: left; vertical-align: top; }\n"
  "th { background: #f4f4f4; } .n { text-align: right; font-variant-numeric: tabular-nums; }\n"
  "table.matrix td { text-align: center; } .note { color: #666; }\n"
  "svg.chart { display: block; margin: 0.3em 0 1em; } svg.chart text { font-size: 12px; fill: #222; }\n"
  ".bar { fill: #4a7ebb; }\n"
  "@media print { h2 { break-after: avoid; } svg.chart, table { break-inside: avoid; } }\n";

static void
html_need_detail (FwReport *report, const char *id, guint min_link, GString *out)
{
  NeedStats *need = g_hash_table_lookup (report->needs, id);
  guint64 ok = depth_notes (need->depth);
  html_element (out, "h3", "%s", id);
  g_string_append (out, "\n");
  if (g_hash_table_size (need->paths) == 0)
    {
      html_element (out, "p class=\"note\"", "no ladders: no analyzed note of this need holds a rung");
      g_string_append (out, "\n");
      return;
    }
  g_autoptr (GArray) paths = ranked (need->paths);
  html_table_start (out, (const char *const[]) { "ladder", "#notes", "#share", NULL }, NULL);
  for (guint i = 0; i < paths->len; i++)
    {
      Entry *e = &g_array_index (paths, Entry, i);
      html_row (out, 'l', path_display (e->key), 'n', format_count (e->count), 'n', format_share (e->count, ok), 0);
    }
  html_table_end (out);

  g_autoptr (GArray) rungs = rung_views (need);
  html_element (out, "p", "Implication matrix: notes linking the row's rung to the column's, direct/indirect.");
  g_string_append (out, "\n<table class=\"matrix\">\n<tr><th>rung</th><th>level</th>");
  for (guint c = 0; c < rungs->len; c++)
    html_element (out, "th", "%s", g_array_index (rungs, RungView, c).id);
  g_string_append (out, "</tr>\n");
  for (guint r = 0; r < rungs->len; r++)
    {
      RungView *row = &g_array_index (rungs, RungView, r);
      g_string_append (out, "<tr>");
      html_element (out, "th", "%s", row->id);
      html_element (out, "td", "%s", row->level);
      for (guint c = 0; c < rungs->len; c++)
        {
          g_autofree char *cell = matrix_cell (need, row->id, g_array_index (rungs, RungView, c).id);
          html_element (out, "td", "%s", cell);
        }
      g_string_append (out, "</tr>\n");
    }
  html_table_end (out);

  guint64 cut = fw_report_get_min_link (report, id, min_link);
  g_autoptr (GArray) links = ranked (need->links);
  html_element (out, "p", "Value map links (in at least %" G_GUINT64_FORMAT " notes):", cut);
  g_string_append (out, "\n");
  g_autoptr (GArray) bars = bars_new ();
  for (guint i = 0; i < links->len; i++)
    {
      Entry *e = &g_array_index (links, Entry, i);
      if (e->count >= cut)
        {
          g_autofree char *label = path_display (e->key);
          bars_add (bars, label, e->count, count_and_share (e->count, ok));
        }
    }
  if (bars->len > 0)
    {
      g_autofree char *title = g_strdup_printf ("value map links of %s", id);
      html_bars (out, title, bars, 0);
    }
  else
    {
      html_element (out, "p class=\"note\"", "none at this cut-off");
      g_string_append (out, "\n");
    }
}

static void
render_html (FwReport *report, guint min_link, GString *out)
{
  g_string_append (out, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\"/>\n"
                        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>\n"
                        "<title>fivewhys report</title>\n<style>\n");
  g_string_append (out, html_style);
  g_string_append (out, "</style>\n</head>\n<body>\n<h1>fivewhys report</h1>\n");
  g_autofree char *summary = summary_line (report);
  g_string_append (out, "<p>");
  html_text (out, summary);
  if (report->group_field != NULL)
    {
      g_string_append (out, "; grouped by ");
      html_text (out, report->group_field);
    }
  g_string_append (out, ".</p>\n");
  if (report->notes == 0)
    {
      g_string_append (out, "</body>\n</html>\n");
      return;
    }

  g_autoptr (GArray) needs = ranked_needs (report);
  g_autoptr (GArray) total = total_depth (report);
  g_string_append (out, "<h2>Needs</h2>\n");
  html_table_start (out,
                    (const char *const[]) { "need", "#notes", "#analyzed", "#errors", "#mean depth",
                                            "#reached motivation", NULL },
                    NULL);
  for (guint i = 0; i <= needs->len; i++)
    {
      gboolean all = i == needs->len;
      NeedStats *need = all ? NULL : g_hash_table_lookup (report->needs, g_array_index (needs, Entry, i).key);
      GArray *depth = all ? total : need->depth;
      guint64 n_ok = depth_notes (depth), reached;
      if (all)
        {
          g_autoptr (GHashTable) motivations = total_counts (report, G_STRUCT_OFFSET (NeedStats, motivations));
          reached = n_ok - MIN (n_ok, counts_get (motivations, NONE));
        }
      else
        reached = n_ok - MIN (n_ok, counts_get (need->motivations, NONE));
      html_row (out, 'l', g_strdup (all ? "all" : g_array_index (needs, Entry, i).key), 'n',
                format_count (all ? report->notes : need->notes), 'n', format_count (n_ok), 'n',
                format_count (all ? report->errors : need->errors), 'n', format_mean (depth_mean (depth)), 'n',
                count_and_share (reached, n_ok), 0);
    }
  html_table_end (out);

  g_string_append (out, "<h2>Depth</h2>\n");
  html_element (out, "p class=\"note\"", "Analyzed notes by the number of rungs reached below the need.");
  g_string_append (out, "\n");
  for (guint i = 0; i <= needs->len; i++)
    {
      gboolean all = i == needs->len;
      const char *id = all ? "all needs" : g_array_index (needs, Entry, i).key;
      GArray *depth = all ? total : ((NeedStats *) g_hash_table_lookup (report->needs, id))->depth;
      guint64 n_ok = depth_notes (depth);
      if (n_ok == 0)
        continue;
      html_element (out, "h3", "%s", id);
      g_string_append (out, "\n");
      g_autoptr (GArray) bars = bars_new ();
      for (guint d = 0; d < depth->len; d++)
        {
          g_autofree char *label = g_strdup_printf ("depth %u", d);
          guint64 n = g_array_index (depth, guint64, d);
          bars_add (bars, label, n, count_and_share (n, n_ok));
        }
      g_autofree char *title = g_strdup_printf ("depth distribution of %s", id);
      html_bars (out, title, bars, 0);
    }

  g_string_append (out, "<h2>Motivations by need</h2>\n");
  for (guint i = 0; i < needs->len; i++)
    {
      const char *id = g_array_index (needs, Entry, i).key;
      NeedStats *need = g_hash_table_lookup (report->needs, id);
      guint64 n_ok = depth_notes (need->depth);
      if (n_ok == 0)
        continue;
      html_element (out, "h3", "%s", id);
      g_string_append (out, "\n");
      g_autoptr (GArray) motivations = ranked (need->motivations);
      g_autoptr (GArray) bars = bars_new ();
      for (guint m = 0; m < motivations->len; m++)
        {
          Entry *e = &g_array_index (motivations, Entry, m);
          bars_add (bars, e->key, e->count, count_and_share (e->count, n_ok));
        }
      g_autofree char *title = g_strdup_printf ("motivations of %s", id);
      html_bars (out, title, bars, 0);
    }

  g_string_append (out, "<h2>Flags</h2>\n");
  g_autoptr (GHashTable) all_flags = total_counts (report, G_STRUCT_OFFSET (NeedStats, flags));
  g_autoptr (GArray) flags = ranked (all_flags);
  if (flags->len == 0)
    g_string_append (out, "<p class=\"note\">none</p>\n");
  else
    {
      html_table_start (out, (const char *const[]) { "flag", "#notes", "#share of analyzed notes", NULL }, NULL);
      for (guint f = 0; f < flags->len; f++)
        {
          Entry *e = &g_array_index (flags, Entry, f);
          html_row (out, 'l', g_strdup (e->key), 'n', format_count (e->count), 'n',
                    format_share (e->count, depth_notes (total)), 0);
        }
      html_table_end (out);
    }

  if (report->group_field != NULL)
    {
      g_autoptr (GArray) groups = ranked_groups (report);
      html_element (out, "h2", "By %s", report->group_field);
      g_string_append (out, "\n");
      html_table_start (out,
                        (const char *const[]) { report->group_field, "#notes", "#errors", "#mean depth",
                                                "#reached motivation", "stops most at", NULL },
                        NULL);
      g_autoptr (GArray) bars = bars_new ();
      for (guint i = 0; i < groups->len; i++)
        {
          const char *name = g_array_index (groups, Entry, i).key;
          GroupStats *group = g_hash_table_lookup (report->groups, name);
          guint64 n_ok = depth_notes (group->depth);
          g_autoptr (GArray) stops = ranked (group->stops);
          html_row (out, 'l', g_strdup (name), 'n', format_count (group->notes), 'n', format_count (group->errors), 'n',
                    format_mean (depth_mean (group->depth)), 'n', count_and_share (group->reached, n_ok), 'l',
                    g_strdup (stops->len > 0 ? g_array_index (stops, Entry, 0).key : "-"), 0);
          /* bars of the share reaching a motivation, in thousandths */
          guint64 permille = n_ok > 0 ? group->reached * 1000 / n_ok : 0;
          bars_add (bars, name, permille, format_share (group->reached, n_ok));
        }
      html_table_end (out);
      html_element (out, "h3", "Share of analyzed notes reaching a motivation, by %s", report->group_field);
      g_string_append (out, "\n");
      g_autofree char *title = g_strdup_printf ("share reaching a motivation by %s", report->group_field);
      html_bars (out, title, bars, 1000);

      html_element (out, "h3", "Where discovery stops, by %s (deepest rung reached: need/rung)", report->group_field);
      g_string_append (out, "\n");
      html_table_start (out, (const char *const[]) { report->group_field, "stop", "#notes", "#share", NULL }, NULL);
      for (guint i = 0; i < groups->len; i++)
        {
          const char *name = g_array_index (groups, Entry, i).key;
          GroupStats *group = g_hash_table_lookup (report->groups, name);
          g_autoptr (GArray) stops = ranked (group->stops);
          for (guint s = 0; s < stops->len; s++)
            {
              Entry *e = &g_array_index (stops, Entry, s);
              html_row (out, 'l', g_strdup (name), 'l', g_strdup (e->key), 'n', format_count (e->count), 'n',
                        format_share (e->count, depth_notes (group->depth)), 0);
            }
        }
      html_table_end (out);
    }

  g_string_append (out, "<h2>Ladders, implication matrices and value maps</h2>\n");
  for (guint i = 0; i < needs->len; i++)
    html_need_detail (report, g_array_index (needs, Entry, i).key, min_link, out);

  g_string_append (out, "<h2>Unmatched phrases</h2>\n");
  html_element (out, "p class=\"note\"", "Phrases of notes that matched no rung, by the notes holding each: the rule author's to-do list.");
  g_string_append (out, "\n");
  g_autoptr (GArray) phrases = ranked_phrases (report);
  if (phrases->len == 0)
    g_string_append (out, "<p class=\"note\">none</p>\n");
  else
    {
      g_autoptr (GArray) bars = bars_new ();
      for (guint i = 0; i < MIN (phrases->len, 40u); i++)
        {
          Entry *e = &g_array_index (phrases, Entry, i);
          bars_add (bars, e->key, e->count, format_count (e->count));
        }
      html_bars (out, "unmatched phrases", bars, 0);
    }
  g_string_append (out, "</body>\n</html>\n");
}

/* ---- DOT: the hierarchical value map ------------------------------------------------ */

/* A DOT quoted string: '"' and '\' escaped, a newline as DOT's line break
 * "\n", other control characters as '?'. */
static void
dot_string (GString *out, const char *text)
{
  g_string_append_c (out, '"');
  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);
      if (c == '"' || c == '\\')
        {
          g_string_append_c (out, '\\');
          g_string_append_c (out, (char) c);
        }
      else if (c == '\n')
        g_string_append (out, "\\n");
      else if (c < 0x20 || (c >= 0x7f && c < 0xa0))
        g_string_append_c (out, '?');
      else
        g_string_append_unichar (out, c);
    }
  g_string_append_c (out, '"');
}

static const char *
level_colour (const char *level)
{
  static const char *const colours[] = { "#e8f0fe", "#e6f4ea", "#fef7e0", "#fce8e6", "#ffffff" };
  return colours[level_rank (level)];
}

/* penwidth from 1.0 to 5.0 by the link's notes against the need's
 * strongest kept link, in integer tenths so the bytes never depend on the
 * locale. */
static void
dot_penwidth (GString *out, guint64 count, guint64 max)
{
  guint64 tenths = 10 + (max > 0 ? count * 40 / max : 0);
  g_string_append_printf (out, "penwidth=%" G_GUINT64_FORMAT ".%" G_GUINT64_FORMAT, tenths / 10, tenths % 10);
}

/* One need's map, as a cluster: the need, then the rungs linked at or above
 * the cut-off, with edges weighted by notes. The need's edges to the first
 * rungs come from the paths (how many chains start at each rung). */
static void
dot_need (FwReport *report, const char *id, guint index, guint min_link, GString *out)
{
  NeedStats *need = g_hash_table_lookup (report->needs, id);
  guint64 ok = depth_notes (need->depth);
  guint64 cut = fw_report_get_min_link (report, id, min_link);
  g_autoptr (GArray) rungs = rung_views (need);
  g_autoptr (GHashTable) number = g_hash_table_new (g_str_hash, g_str_equal);
  for (guint i = 0; i < rungs->len; i++)
    g_hash_table_insert (number, (gpointer) g_array_index (rungs, RungView, i).id, GUINT_TO_POINTER (i + 1));

  g_autoptr (GHashTable) starts = counts_new ();
  GHashTableIter iter;
  gpointer key, value;
  g_hash_table_iter_init (&iter, need->paths);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      const char *sep = strchr (key, '>');
      g_autofree char *first = sep != NULL ? g_strndup (key, sep - (const char *) key) : g_strdup (key);
      counts_add (starts, first, *(guint64 *) value);
    }
  g_autoptr (GArray) start_edges = ranked (starts);
  g_autoptr (GArray) links = ranked (need->links);

  guint64 max = 0;
  g_autoptr (GHashTable) shown = g_hash_table_new (g_str_hash, g_str_equal);
  for (guint i = 0; i < start_edges->len; i++)
    if (g_array_index (start_edges, Entry, i).count >= cut)
      {
        max = MAX (max, g_array_index (start_edges, Entry, i).count);
        g_hash_table_add (shown, (gpointer) g_array_index (start_edges, Entry, i).key);
      }
  g_autoptr (GPtrArray) link_ends = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
  for (guint i = 0; i < links->len; i++)
    {
      Entry *e = &g_array_index (links, Entry, i);
      char **ends = g_strsplit (e->key, ">", 2);
      g_ptr_array_add (link_ends, ends);
      if (e->count < cut || ends[0] == NULL || ends[1] == NULL || !g_hash_table_contains (number, ends[0])
          || !g_hash_table_contains (number, ends[1]))
        continue;
      max = MAX (max, e->count);
      g_hash_table_add (shown, ends[0]);
      g_hash_table_add (shown, ends[1]);
    }

  g_string_append_printf (out, "  subgraph \"cluster_%u\" {\n    label=", index);
  g_autofree char *label = g_strdup_printf ("%s: %" G_GUINT64_FORMAT " analyzed %s, links in at least %" G_GUINT64_FORMAT " %s",
                                            id, ok, plural (ok, "note", "notes"), cut, plural (cut, "note", "notes"));
  dot_string (out, label);
  g_string_append_printf (out, ";\n    \"n%u\" [shape=ellipse, fillcolor=\"#dddddd\", label=", index);
  g_autofree char *need_label = g_hash_table_size (shown) > 0 ? g_strdup (id)
                                                                 : g_strdup_printf ("%s\n(no links at this cut-off)", id);
  dot_string (out, need_label);
  g_string_append (out, "];\n");
  for (guint i = 0; i < rungs->len; i++)
    {
      RungView *rung = &g_array_index (rungs, RungView, i);
      if (!g_hash_table_contains (shown, rung->id))
        continue;
      g_autofree char *text = g_strdup_printf ("%s\n%s, %" G_GUINT64_FORMAT " %s", rung->id, rung->level, rung->notes,
                                               plural (rung->notes, "note", "notes"));
      g_string_append_printf (out, "    \"n%u_%u\" [fillcolor=\"%s\", label=", index, i + 1, level_colour (rung->level));
      dot_string (out, text);
      g_string_append (out, "];\n");
    }
  for (guint i = 0; i < start_edges->len; i++)
    {
      Entry *e = &g_array_index (start_edges, Entry, i);
      if (e->count < cut || !g_hash_table_contains (number, e->key))
        continue;
      g_string_append_printf (out, "    \"n%u\" -> \"n%u_%u\" [label=\"%" G_GUINT64_FORMAT "\", ", index, index,
                              GPOINTER_TO_UINT (g_hash_table_lookup (number, e->key)), e->count);
      dot_penwidth (out, e->count, max);
      g_string_append (out, "];\n");
    }
  for (guint i = 0; i < links->len; i++)
    {
      Entry *e = &g_array_index (links, Entry, i);
      char **ends = g_ptr_array_index (link_ends, i);
      if (e->count < cut || ends[0] == NULL || ends[1] == NULL || !g_hash_table_contains (number, ends[0])
          || !g_hash_table_contains (number, ends[1]))
        continue;
      g_string_append_printf (out, "    \"n%u_%u\" -> \"n%u_%u\" [label=\"%" G_GUINT64_FORMAT "\", ", index,
                              GPOINTER_TO_UINT (g_hash_table_lookup (number, ends[0])), index,
                              GPOINTER_TO_UINT (g_hash_table_lookup (number, ends[1])), e->count);
      dot_penwidth (out, e->count, max);
      g_string_append (out, "];\n");
    }
  g_string_append (out, "  }\n");
}

static void
render_dot (FwReport *report, guint min_link, GString *out)
{
  g_string_append (out, "digraph \"hierarchical_value_map\" {\n"
                        "  graph [rankdir=TB, fontname=\"Helvetica\", labelloc=t, label=\"Hierarchical value map "
                        "(Reynolds & Gutman 1988): rungs linked in at least the cut-off of notes\"];\n"
                        "  node [shape=box, style=\"rounded,filled\", fontname=\"Helvetica\", fontsize=11];\n"
                        "  edge [fontname=\"Helvetica\", fontsize=10, color=\"#555555\"];\n");
  g_autoptr (GArray) needs = ranked_needs (report);
  guint index = 0;
  for (guint i = 0; i < needs->len; i++)
    {
      const char *id = g_array_index (needs, Entry, i).key;
      NeedStats *need = g_hash_table_lookup (report->needs, id);
      if (depth_notes (need->depth) == 0)
        continue;
      dot_need (report, id, ++index, min_link, out);
    }
  g_string_append (out, "}\n");
}

char *
fw_report_render (FwReport *report, FwReportFormat format, guint min_link)
{
  g_return_val_if_fail (report != NULL, NULL);
  GString *out = g_string_new (NULL);
  switch (format)
    {
    case FW_REPORT_FORMAT_TEXT:
      render_text (report, min_link, out);
      break;
    case FW_REPORT_FORMAT_JSON:
      render_json (report, out);
      break;
    case FW_REPORT_FORMAT_HTML:
      render_html (report, min_link, out);
      break;
    case FW_REPORT_FORMAT_DOT:
      render_dot (report, min_link, out);
      break;
    default:
      g_return_val_if_reached (g_string_free (out, TRUE));
    }
  return g_string_free (out, FALSE);
}
