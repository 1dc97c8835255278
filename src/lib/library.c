/* library.c: the rule library: loading paths, resolving and checking the
 * rule trees, compiling patterns and the word index, diagnostics. */
#include "config.h"

#include <math.h>
#include <string.h>
#include <unistd.h>

#include "fw-private.h"

/* ---- small things -------------------------------------------------------- */

void
fw_example_free (gpointer data)
{
  FwExample *example = data;
  if (example == NULL)
    return;
  g_free (example->text);
  g_free (example);
}

static void
diagnostic_free (gpointer data)
{
  FwDiagnostic *d = data;
  g_free (d->file);
  g_free (d->message);
  g_free (d);
}

void
fw_library_diag (FwLibrary *library, FwSeverity severity, const char *file, int line, const char *format, ...)
{
  FwDiagnostic *d = g_new0 (FwDiagnostic, 1);
  va_list args;
  va_start (args, format);
  d->message = g_strdup_vprintf (format, args);
  va_end (args);
  d->severity = severity;
  d->file = g_strdup (file);
  d->line = line;
  g_ptr_array_add (library->diagnostics, d);
}

const char *
fw_library_intern (FwLibrary *library, const char *text)
{
  return g_string_chunk_insert_const (library->strings, text != NULL ? text : "");
}

static void
lang_layer_free (gpointer data)
{
  FwLangLayer *layer = data;
  g_ptr_array_unref (layer->nonanswer_patterns);
  g_ptr_array_unref (layer->nonanswer_examples);
  g_ptr_array_unref (layer->reprompts);
  g_ptr_array_unref (layer->encourages);
  g_hash_table_unref (layer->concepts);
  g_hash_table_unref (layer->concept_places);
  g_free (layer);
}

FwLangLayer *
fw_library_lang_layer (FwLibrary *library, const char *lang)
{
  lang = fw_library_intern (library, lang);
  FwLangLayer *layer = g_hash_table_lookup (library->langs, lang);
  if (layer == NULL)
    {
      layer = g_new0 (FwLangLayer, 1);
      layer->lang = lang;
      layer->nonanswer_patterns = g_ptr_array_new ();
      layer->nonanswer_examples = g_ptr_array_new_with_free_func (fw_example_free);
      layer->reprompts = g_ptr_array_new_with_free_func (g_free);
      layer->encourages = g_ptr_array_new_with_free_func (g_free);
      layer->concepts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
      layer->concept_places = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
      g_hash_table_insert (library->langs, (gpointer) lang, layer);
    }
  return layer;
}

static void
rung_free (gpointer data)
{
  FwRung *rung = data;
  g_free (rung->id);
  g_free (rung->label);
  g_free (rung->motivation_id);
  g_strfreev (rung->attributes);
  g_ptr_array_unref (rung->patterns);
  g_ptr_array_unref (rung->examples);
  g_ptr_array_unref (rung->counterexamples);
  g_ptr_array_unref (rung->example_texts);
  g_ptr_array_unref (rung->asks);
  g_ptr_array_unref (rung->children);
  g_ptr_array_unref (rung->child_refs);
  g_free (rung);
}

static void
ruleset_free (gpointer data)
{
  FwRuleset *r = data;
  g_free (r->id);
  g_free (r->title);
  g_free (r->description);
  g_free (r->file);
  g_ptr_array_unref (r->need_patterns);
  g_ptr_array_unref (r->need_examples);
  g_ptr_array_unref (r->need_counterexamples);
  g_ptr_array_unref (r->asks);
  g_ptr_array_unref (r->rungs);
  g_ptr_array_unref (r->root_refs);
  g_hash_table_unref (r->rung_by_id);
  g_ptr_array_set_free_func (r->all_rungs, rung_free);
  g_ptr_array_unref (r->all_rungs);
  g_ptr_array_set_free_func (r->layer, rung_free);
  g_ptr_array_unref (r->layer);
  g_hash_table_unref (r->concepts);
  g_hash_table_unref (r->concept_places);
  g_free (r);
}

static void
motivation_free (gpointer data)
{
  FwMotivation *m = data;
  g_free (m->id);
  g_free (m->label);
  g_free (m->description);
  g_free (m->framing);
  g_free (m->avoid);
  g_free (m->schwartz);
  g_ptr_array_unref (m->asks);
  g_hash_table_unref (m->patterns);
  g_ptr_array_unref (m->examples);
  g_ptr_array_unref (m->example_langs);
  g_ptr_array_unref (m->counterexamples);
  g_ptr_array_unref (m->counterexample_langs);
  g_free (m);
}

static void
pattern_source_free (gpointer data)
{
  FwPatternSource *src = data;
  g_free (src->source);
  g_free (src);
}

static void
array_unref (gpointer data)
{
  if (data != NULL)
    g_array_unref (data);
}

FwLibrary *
fw_library_new (void)
{
  FwLibrary *library = g_new0 (FwLibrary, 1);
  library->strings = g_string_chunk_new (1024);
  library->rulesets = g_ptr_array_new_with_free_func (ruleset_free);
  library->motivations = g_ptr_array_new_with_free_func (motivation_free);
  library->motivation_by_id = g_hash_table_new (g_str_hash, g_str_equal);
  library->langs = g_hash_table_new_full (g_direct_hash, g_direct_equal, NULL, lang_layer_free);
  library->pattern_sources = g_ptr_array_new_with_free_func (pattern_source_free);
  library->patterns = g_ptr_array_new_with_free_func ((GDestroyNotify) fw_pattern_free);
  library->diagnostics = g_ptr_array_new_with_free_func (diagnostic_free);
  library->vocabs = g_hash_table_new_full (g_direct_hash, g_direct_equal, NULL, (GDestroyNotify) fw_vocab_free);
  library->weights = g_hash_table_new_full (g_direct_hash, g_direct_equal, NULL, array_unref);
  library->auxiliaries = g_hash_table_new_full (g_direct_hash, g_direct_equal, NULL, array_unref);
  return library;
}

void
fw_library_free (FwLibrary *library)
{
  if (library == NULL)
    return;
  g_ptr_array_unref (library->rulesets);
  g_ptr_array_unref (library->motivations);
  g_hash_table_unref (library->motivation_by_id);
  g_hash_table_unref (library->langs);
  g_ptr_array_unref (library->pattern_sources);
  g_ptr_array_unref (library->patterns);
  g_ptr_array_unref (library->diagnostics);
  g_hash_table_unref (library->vocabs);
  g_hash_table_unref (library->weights);
  g_hash_table_unref (library->auxiliaries);
  if (library->indexes != NULL)
    g_ptr_array_unref (library->indexes);
  fw_practice_rules_free (library->practice);
  g_string_chunk_free (library->strings);
  g_free (library);
}

/* ---- paths ------------------------------------------------------------------ */

static gint
compare_names (gconstpointer a, gconstpointer b)
{
  return strcmp (*(const char **) a, *(const char **) b);
}

static void
collect_rule_files (const char *dir, GPtrArray *out, int depth)
{
  if (depth > 8)
    return;
  g_autoptr (GDir) d = g_dir_open (dir, 0, NULL);
  if (d == NULL)
    return;
  g_autoptr (GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  const char *name;
  while ((name = g_dir_read_name (d)) != NULL)
    if (name[0] != '.')
      g_ptr_array_add (names, g_strdup (name));
  g_ptr_array_sort (names, compare_names);
  /* A folder's own files come before its subfolders' (rules/ before
   * rules/de/), so that the main language's motivations are read first and
   * own their labels and descriptions. */
  for (int pass = 0; pass < 2; pass++)
    for (guint i = 0; i < names->len; i++)
      {
        const char *n = g_ptr_array_index (names, i);
        g_autofree char *path = g_build_filename (dir, n, NULL);
        gboolean is_dir = g_file_test (path, G_FILE_TEST_IS_DIR);
        if (pass == 1 && is_dir && !g_file_test (path, G_FILE_TEST_IS_SYMLINK))
          collect_rule_files (path, out, depth + 1);
        else if (pass == 0 && !is_dir && g_str_has_suffix (n, ".xml"))
          g_ptr_array_add (out, g_steal_pointer (&path));
      }
}

gboolean
fw_library_add_path (FwLibrary *library, const char *path, GError **error)
{
  g_return_val_if_fail (library != NULL && path != NULL, FALSE);
  g_return_val_if_fail (!library->compiled, FALSE);
  g_autoptr (GError) local = NULL;
  gboolean ok = TRUE;
  if (!g_file_test (path, G_FILE_TEST_EXISTS))
    {
      g_set_error (&local, FW_ERROR, FW_ERROR_IO, "no such file or folder");
      ok = FALSE;
    }
  else if (!g_file_test (path, G_FILE_TEST_IS_DIR))
    ok = fw_loader_load_file (library, path, &local);
  else
    {
      g_autoptr (GPtrArray) files = g_ptr_array_new_with_free_func (g_free);
      collect_rule_files (path, files, 0);
      if (files->len == 0)
        {
          g_set_error (&local, FW_ERROR, FW_ERROR_IO, "folder holds no rule files (*.xml)");
          ok = FALSE;
        }
      for (guint i = 0; i < files->len && ok; i++)
        ok = fw_loader_load_file (library, g_ptr_array_index (files, i), &local);
    }
  if (!ok)
    {
      /* Recorded as a diagnostic too, so that check lists it with the rest. */
      const char *message = local->message;
      if (g_str_has_prefix (message, path) && message[strlen (path)] == ':')
        message += strlen (path) + 2;
      fw_library_diag (library, FW_SEVERITY_ERROR, path, 0, "%s", message);
      g_set_error (error, FW_ERROR, local->code, "%s: %s", path, message);
    }
  return ok;
}

static gboolean
running_from_build_tree (void)
{
  g_autofree char *exe = g_file_read_link ("/proc/self/exe", NULL);
  if (exe == NULL)
    return FALSE;
  g_autofree char *prefix = g_strconcat (FW_BUILD_DIR, "/", NULL);
  return g_str_has_prefix (exe, prefix);
}

char **
fw_default_rule_paths (void)
{
  const char *env = g_getenv ("FIVEWHYS_RULES");
  if (env != NULL && *env != '\0')
    {
      g_auto (GStrv) parts = g_strsplit (env, ":", -1);
      GPtrArray *out = g_ptr_array_new ();
      for (guint i = 0; parts[i] != NULL; i++)
        if (*parts[i] != '\0')
          g_ptr_array_add (out, g_strdup (parts[i]));
      g_ptr_array_add (out, NULL);
      return (char **) g_ptr_array_free (out, FALSE);
    }
  char **out = g_new0 (char *, 2);
  out[0] = g_strdup (running_from_build_tree () && g_file_test (FW_SOURCE_RULES_DIR, G_FILE_TEST_IS_DIR)
                         ? FW_SOURCE_RULES_DIR
                         : FW_RULES_DIR);
  return out;
}

/* ---- compiling --------------------------------------------------------------- */

static FwRung *
layer_rung (FwRuleset *ruleset, FwMotivation *m)
{
  for (guint i = 0; i < ruleset->layer->len; i++)
    {
      FwRung *rung = g_ptr_array_index (ruleset->layer, i);
      if (rung->motivation == m)
        return rung;
    }
  return NULL;
}

static void
make_layer (FwLibrary *library, FwRuleset *ruleset)
{
  for (guint i = 0; i < library->motivations->len; i++)
    {
      FwMotivation *m = g_ptr_array_index (library->motivations, i);
      FwRung *rung = g_new0 (FwRung, 1);
      rung->id = g_strdup (m->id);
      rung->label = g_strdup (m->label != NULL ? m->label : m->id);
      rung->level = FW_LEVEL_MOTIVATION;
      rung->motivation_id = g_strdup (m->id);
      rung->motivation = m;
      rung->attributes = g_new0 (char *, 1);
      rung->patterns = g_ptr_array_new ();
      rung->examples = g_ptr_array_new_with_free_func (fw_example_free);
      rung->counterexamples = g_ptr_array_new_with_free_func (fw_example_free);
      rung->example_texts = g_ptr_array_new ();
      rung->asks = g_ptr_array_new_with_free_func (g_free);
      rung->children = g_ptr_array_new ();
      rung->child_refs = g_ptr_array_new_with_free_func (g_free);
      rung->ruleset = ruleset;
      rung->place = m->place;
      rung->is_layer = TRUE;
      g_ptr_array_add (ruleset->layer, rung);
    }
}

/* Resolves "id:line" and "@motivation:line" references into @children. */
static void
resolve_refs (FwLibrary *library, FwRuleset *ruleset, GPtrArray *refs, GPtrArray *children, const char *file)
{
  for (guint i = 0; i < refs->len; i++)
    {
      const char *ref = g_ptr_array_index (refs, i);
      gboolean motivation = ref[0] == '@';
      g_autofree char *id = g_strdup (ref + (motivation ? 1 : 0));
      char *colon = strrchr (id, ':');
      int line = colon != NULL ? atoi (colon + 1) : 0;
      if (colon != NULL)
        *colon = '\0';
      FwRung *target = NULL;
      if (motivation)
        {
          FwMotivation *m = g_hash_table_lookup (library->motivation_by_id, id);
          if (m == NULL)
            {
              fw_library_diag (library, FW_SEVERITY_ERROR, file, line,
                               "unknown motivation '%s': the motivations are defined in motivations.xml", id);
              continue;
            }
          target = layer_rung (ruleset, m);
        }
      else
        {
          target = g_hash_table_lookup (ruleset->rung_by_id, id);
          if (target == NULL)
            {
              fw_library_diag (library, FW_SEVERITY_ERROR, file, line,
                               "<goto rung=\"%s\"> names no rung of ruleset '%s'", id, ruleset->id);
              continue;
            }
        }
      g_ptr_array_add (children, target);
    }
}

enum { WHITE, GREY, BLACK };

/* Depth-first walk: finds cycles, and records the shortest depth. */
static gboolean
find_cycle (FwLibrary *library, FwRung *rung, GHashTable *colour, GPtrArray *stack)
{
  int c = GPOINTER_TO_INT (g_hash_table_lookup (colour, rung));
  if (c == GREY)
    {
      GString *path = g_string_new (NULL);
      gboolean on = FALSE;
      for (guint i = 0; i < stack->len; i++)
        {
          FwRung *r = g_ptr_array_index (stack, i);
          if (r == rung)
            on = TRUE;
          if (on)
            g_string_append_printf (path, "%s -> ", r->id);
        }
      g_string_append (path, rung->id);
      fw_library_diag (library, FW_SEVERITY_ERROR, rung->place.file, rung->place.line,
                       "rungs form a cycle: %s; a ladder must always go down", path->str);
      g_string_free (path, TRUE);
      return TRUE;
    }
  if (c == BLACK)
    return FALSE;
  g_hash_table_insert (colour, rung, GINT_TO_POINTER (GREY));
  g_ptr_array_add (stack, rung);
  gboolean found = FALSE;
  for (guint i = 0; i < rung->children->len && !found; i++)
    found = find_cycle (library, g_ptr_array_index (rung->children, i), colour, stack);
  g_ptr_array_remove_index (stack, stack->len - 1);
  g_hash_table_insert (colour, rung, GINT_TO_POINTER (BLACK));
  return found;
}

static void
check_ruleset (FwLibrary *library, FwRuleset *ruleset)
{
  make_layer (library, ruleset);
  resolve_refs (library, ruleset, ruleset->root_refs, ruleset->rungs, ruleset->file);
  for (guint i = 0; i < ruleset->all_rungs->len; i++)
    {
      FwRung *rung = g_ptr_array_index (ruleset->all_rungs, i);
      resolve_refs (library, ruleset, rung->child_refs, rung->children, rung->place.file);
      if (g_hash_table_contains (library->motivation_by_id, rung->id))
        fw_library_diag (library, FW_SEVERITY_ERROR, rung->place.file, rung->place.line,
                         "rung id '%s' is also a motivation id: rename the rung, or end the path with <motivation ref=\"%s\"/>",
                         rung->id, rung->id);
      if (rung->motivation_id != NULL)
        {
          rung->motivation = g_hash_table_lookup (library->motivation_by_id, rung->motivation_id);
          if (rung->motivation == NULL)
            fw_library_diag (library, FW_SEVERITY_ERROR, rung->place.file, rung->place.line,
                             "unknown motivation '%s' on rung '%s': use one of the ids in motivations.xml",
                             rung->motivation_id, rung->id);
          if (rung->level != FW_LEVEL_MOTIVATION)
            fw_library_diag (library, FW_SEVERITY_ERROR, rung->place.file, rung->place.line,
                             "rung '%s' names motivation '%s' but its level is '%s': use level=\"motivation\"",
                             rung->id, rung->motivation_id, fw_level_to_string (rung->level));
        }
      else if (rung->level == FW_LEVEL_MOTIVATION)
        fw_library_diag (library, FW_SEVERITY_ERROR, rung->place.file, rung->place.line,
                         "rung '%s' has level motivation but no motivation=\"...\": say which motivation it stands for",
                         rung->id);
    }
  /* Cycles first: the walks below assume a tree or a DAG. */
  g_autoptr (GHashTable) colour = g_hash_table_new (g_direct_hash, g_direct_equal);
  g_autoptr (GPtrArray) stack = g_ptr_array_new ();
  gboolean cycle = FALSE;
  for (guint i = 0; i < ruleset->rungs->len && !cycle; i++)
    cycle = find_cycle (library, g_ptr_array_index (ruleset->rungs, i), colour, stack);
  for (guint i = 0; i < ruleset->all_rungs->len && !cycle; i++)
    cycle = find_cycle (library, g_ptr_array_index (ruleset->all_rungs, i), colour, stack);
  if (cycle)
    return;

  for (guint i = 0; i < ruleset->all_rungs->len; i++)
    {
      FwRung *rung = g_ptr_array_index (ruleset->all_rungs, i);
      if (rung->children->len == 0 && rung->level != FW_LEVEL_MOTIVATION)
        fw_library_diag (library, FW_SEVERITY_ERROR, rung->place.file, rung->place.line,
                         "rung '%s' is a dead end: every path must end at a motivation; add a child rung or <motivation ref=\"...\"/>",
                         rung->id);
      if (rung->children->len > 0 && rung->level == FW_LEVEL_MOTIVATION)
        fw_library_diag (library, FW_SEVERITY_WARNING, rung->place.file, rung->place.line,
                         "rung '%s' is a motivation but has children: the ladder ends at a motivation, so they are never asked",
                         rung->id);
      for (guint c = 0; c < rung->children->len; c++)
        {
          FwRung *child = g_ptr_array_index (rung->children, c);
          if (!child->is_layer && child->level < rung->level)
            fw_library_diag (library, FW_SEVERITY_ERROR, child->place.file, child->place.line,
                             "rung '%s' (%s) sits below '%s' (%s): levels go attribute, function, benefit, motivation and never back up",
                             child->id, fw_level_to_string (child->level), rung->id, fw_level_to_string (rung->level));
        }
    }

  /* Depths: breadth first from the need. */
  g_autoptr (GQueue) queue = g_queue_new ();
  for (guint i = 0; i < ruleset->rungs->len; i++)
    {
      FwRung *rung = g_ptr_array_index (ruleset->rungs, i);
      if (!rung->referenced)
        {
          rung->referenced = TRUE;
          rung->depth = 1;
          g_queue_push_tail (queue, rung);
        }
    }
  while (!g_queue_is_empty (queue))
    {
      FwRung *rung = g_queue_pop_head (queue);
      for (guint c = 0; c < rung->children->len; c++)
        {
          FwRung *child = g_ptr_array_index (rung->children, c);
          if (child->is_layer || child->referenced)
            continue;
          child->referenced = TRUE;
          child->depth = rung->depth + 1;
          g_queue_push_tail (queue, child);
        }
    }
}

/* The auxiliaries after which a negation cue negates what came before:
 * "the money is not the issue", "Geld spielt keine Rolle". Their stems join
 * the vocabulary so that tokens carry their ids. */
static void
add_auxiliaries (FwLibrary *library)
{
  static const char *const en[] = { "is", "are", "was", "were", "be", "been", "do", "does", "did", "has", "have",
                                    "had", "will", "would", "can", "could", "should", "matters", "matter", NULL };
  static const char *const de[] = { "ist", "sind", "war", "waren", "wird", "werden", "hat", "haben", "spielt", NULL };
  static const char *const es[] = { "es", "son", "era", "está", "están", "importa", NULL };
  GHashTableIter iter;
  gpointer lang, value;
  g_hash_table_iter_init (&iter, library->vocabs);
  while (g_hash_table_iter_next (&iter, &lang, &value))
    {
      const char *const *words = g_str_has_prefix (lang, "de") ? de : g_str_has_prefix (lang, "es") ? es : en;
      FwNormalizer *normalizer = fw_normalizer_new (lang, NULL, NULL);
      if (normalizer == NULL)
        continue;
      GArray *ids = g_array_new (FALSE, FALSE, sizeof (gint32));
      g_autoptr (GPtrArray) stems = g_ptr_array_new_with_free_func (g_free);
      for (guint i = 0; words[i] != NULL; i++)
        fw_normalizer_stem_words (normalizer, words[i], stems);
      for (guint i = 0; i < stems->len; i++)
        {
          gint32 id = fw_vocab_lookup (value, g_ptr_array_index (stems, i), TRUE);
          g_array_append_val (ids, id);
        }
      fw_normalizer_free (normalizer);
      g_hash_table_insert (library->auxiliaries, lang, ids);
    }
}

/* Rarer words weigh more: 1 + ln(patterns / patterns using the word). */
static void
compute_weights (FwLibrary *library)
{
  GHashTableIter iter;
  gpointer lang, value;
  g_hash_table_iter_init (&iter, library->vocabs);
  while (g_hash_table_iter_next (&iter, &lang, &value))
    {
      FwVocab *vocab = value;
      GArray *df = g_array_new (FALSE, TRUE, sizeof (guint));
      g_array_set_size (df, vocab->stems->len);
      guint n = 0;
      for (guint i = 0; i < library->patterns->len; i++)
        {
          FwPattern *p = g_ptr_array_index (library->patterns, i);
          if (p->lang != lang || p->raw)
            continue;
          n++;
          for (guint w = 0; w < p->words->len; w++)
            g_array_index (df, guint, g_array_index (p->words, gint32, w))++;
        }
      GArray *weights = g_array_new (FALSE, TRUE, sizeof (double));
      g_array_set_size (weights, vocab->stems->len);
      for (guint w = 0; w < vocab->stems->len; w++)
        {
          guint d = MAX (1u, g_array_index (df, guint, w));
          double weight = 1.0 + log ((double) MAX (n, 1u) / d);
          g_array_index (weights, double, w) = CLAMP (weight, 0.25, 8.0);
        }
      g_array_unref (df);
      g_hash_table_insert (library->weights, lang, weights);
    }
}

static void
compile_patterns (FwLibrary *library)
{
  g_autoptr (GHashTable) normalizers = g_hash_table_new_full (g_direct_hash, g_direct_equal, NULL,
                                                              (GDestroyNotify) fw_normalizer_free);
  g_autoptr (GHashTable) bad_langs = g_hash_table_new (g_direct_hash, g_direct_equal);
  for (guint i = 0; i < library->pattern_sources->len; i++)
    {
      FwPatternSource *src = g_ptr_array_index (library->pattern_sources, i);
      FwNormalizer *normalizer = g_hash_table_lookup (normalizers, src->lang);
      FwVocab *vocab = g_hash_table_lookup (library->vocabs, src->lang);
      if (g_hash_table_contains (bad_langs, src->lang))
        continue; /* said once already */
      if (vocab == NULL)
        {
          g_autoptr (GError) lang_error = NULL;
          normalizer = fw_normalizer_new (src->lang, NULL, &lang_error);
          if (normalizer == NULL)
            {
              /* One error, where the language is named. */
              FwPlace place = src->ruleset != NULL ? src->ruleset->place : src->place;
              fw_library_diag (library, FW_SEVERITY_ERROR, place.file, place.line, "%s", lang_error->message);
              g_hash_table_add (bad_langs, (gpointer) src->lang);
              continue;
            }
          vocab = fw_vocab_new ();
          g_hash_table_insert (library->vocabs, (gpointer) src->lang, vocab);
          g_hash_table_insert (normalizers, (gpointer) src->lang, normalizer);
        }
      if (normalizer == NULL)
        continue;
      if (library->patterns->len >= FW_MAX_PATTERNS)
        {
          fw_library_diag (library, FW_SEVERITY_ERROR, src->place.file, src->place.line,
                           "more patterns than the limit of %d in one library", FW_MAX_PATTERNS);
          break;
        }
      FwLangLayer *layer = fw_library_lang_layer (library, src->lang);
      GHashTable *concepts = src->ruleset != NULL ? src->ruleset->concepts : layer->concepts;
      g_autoptr (GError) error = NULL;
      FwPattern *pattern = fw_pattern_compile (src->source, src->raw, normalizer, vocab, concepts,
                                               layer->concepts, &error);
      if (pattern != NULL && !fw_pattern_probe (pattern, &error))
        g_clear_pointer (&pattern, fw_pattern_free);
      if (pattern == NULL)
        {
          fw_library_diag (library, FW_SEVERITY_ERROR, src->place.file, src->place.line, "%s", error->message);
          continue;
        }
      pattern->place = src->place;
      pattern->lang = src->lang;
      pattern->owner_kind = src->owner_kind;
      pattern->owner = src->owner;
      pattern->index = library->patterns->len;
      pattern->scope = src->scope;
      g_ptr_array_add (library->patterns, pattern);
      /* A pattern for notes only is in the notes index (index.c), not in
       * the lists that sessions and examples try. */
      if (src->scope == FW_SCOPE_NOTES)
        continue;
      switch (src->owner_kind)
        {
        case FW_OWNER_NEED:
          g_ptr_array_add (((FwRuleset *) src->owner)->need_patterns, pattern);
          break;
        case FW_OWNER_RUNG:
          g_ptr_array_add (((FwRung *) src->owner)->patterns, pattern);
          break;
        case FW_OWNER_NONANSWER:
          g_ptr_array_add (((FwLangLayer *) src->owner)->nonanswer_patterns, pattern);
          break;
        case FW_OWNER_MOTIVATION:
          {
            FwMotivation *m = src->owner;
            GPtrArray *list = g_hash_table_lookup (m->patterns, src->lang);
            if (list == NULL)
              {
                list = g_ptr_array_new ();
                g_hash_table_insert (m->patterns, (gpointer) src->lang, list);
              }
            g_ptr_array_add (list, pattern);
          }
          break;
        }
    }
  g_ptr_array_set_size (library->pattern_sources, 0);
}

gboolean
fw_library_compile (FwLibrary *library, GError **error)
{
  g_return_val_if_fail (library != NULL, FALSE);
  g_return_val_if_fail (!library->compiled, FALSE);

  if (library->rulesets->len > 0 && library->motivations->len == 0)
    {
      FwRuleset *first = g_ptr_array_index (library->rulesets, 0);
      fw_library_diag (library, FW_SEVERITY_ERROR, first->file, 0,
                       "no motivations are loaded: add motivations.xml to the rule paths");
    }
  for (guint i = 0; i < library->motivations->len; i++)
    {
      FwMotivation *m = g_ptr_array_index (library->motivations, i);
      if (m->label == NULL || m->description == NULL || m->framing == NULL)
        fw_library_diag (library, FW_SEVERITY_ERROR, m->place.file, m->place.line,
                         "motivation '%s' needs a label, a <description> and a <framing> in one of its files", m->id);
    }
  guint n_rungs = 0;
  for (guint i = 0; i < library->rulesets->len; i++)
    {
      FwRuleset *ruleset = g_ptr_array_index (library->rulesets, i);
      n_rungs += ruleset->all_rungs->len;
      check_ruleset (library, ruleset);
    }
  if (n_rungs > FW_MAX_RUNGS)
    fw_library_diag (library, FW_SEVERITY_ERROR, NULL, 0, "%u rungs: more than the limit of %d in one library",
                     n_rungs, FW_MAX_RUNGS);
  else
    compile_patterns (library);

  for (guint i = 0; i < library->rulesets->len; i++)
    {
      FwRuleset *ruleset = g_ptr_array_index (library->rulesets, i);
      if (!g_hash_table_contains (library->vocabs, ruleset->lang))
        continue; /* its language failed: the patterns were never compiled */
      if (ruleset->need_patterns->len == 0)
        fw_library_diag (library, FW_SEVERITY_WARNING, ruleset->place.file, ruleset->place.line,
                         "ruleset '%s' has no need patterns: it can only be chosen by its id", ruleset->id);
      for (guint l = 0; l < ruleset->layer->len; l++)
        {
          FwRung *rung = g_ptr_array_index (ruleset->layer, l);
          GPtrArray *list = g_hash_table_lookup (rung->motivation->patterns, ruleset->lang);
          for (guint p = 0; list != NULL && p < list->len; p++)
            g_ptr_array_add (rung->patterns, g_ptr_array_index (list, p));
        }
      for (guint r = 0; r < ruleset->all_rungs->len; r++)
        {
          FwRung *rung = g_ptr_array_index (ruleset->all_rungs, r);
          if (rung->patterns->len == 0)
            fw_library_diag (library, FW_SEVERITY_WARNING, rung->place.file, rung->place.line,
                             "rung '%s' has no patterns: no answer can reach it", rung->id);
          if (rung->asks->len == 0 && rung->level != FW_LEVEL_MOTIVATION)
            fw_library_diag (library, FW_SEVERITY_WARNING, rung->place.file, rung->place.line,
                             "rung '%s' has no <ask>: the session falls back to generic questions", rung->id);
        }
    }
  fw_practice_compile (library); /* personas and question classes: before the weights */
  compute_weights (library);
  add_auxiliaries (library);
  fw_index_build (library); /* adds price and stop words: before the freeze */
  GHashTableIter vocabs;
  gpointer vocab;
  g_hash_table_iter_init (&vocabs, library->vocabs);
  while (g_hash_table_iter_next (&vocabs, NULL, &vocab))
    fw_vocab_freeze (vocab);
  library->compiled = TRUE;

  guint errors = fw_library_count_diagnostics (library, FW_SEVERITY_ERROR);
  if (errors > 0)
    {
      g_set_error (error, FW_ERROR, FW_ERROR_RULE, "the rules have %u error%s", errors, errors == 1 ? "" : "s");
      return FALSE;
    }
  return TRUE;
}

/* ---- diagnostics and getters ------------------------------------------------- */

static gint
compare_diagnostics (gconstpointer a, gconstpointer b)
{
  const FwDiagnostic *x = *(FwDiagnostic **) a;
  const FwDiagnostic *y = *(FwDiagnostic **) b;
  int c = g_strcmp0 (x->file, y->file);
  if (c != 0)
    return c;
  return (x->line > y->line) - (x->line < y->line);
}

const GPtrArray *
fw_library_get_diagnostics (FwLibrary *library)
{
  g_ptr_array_sort (library->diagnostics, compare_diagnostics);
  return library->diagnostics;
}

guint
fw_library_count_diagnostics (FwLibrary *library, FwSeverity severity)
{
  guint n = 0;
  for (guint i = 0; i < library->diagnostics->len; i++)
    if (((FwDiagnostic *) g_ptr_array_index (library->diagnostics, i))->severity == severity)
      n++;
  return n;
}

guint fw_library_get_n_rulesets (FwLibrary *library) { return library->rulesets->len; }
FwRuleset *fw_library_get_ruleset (FwLibrary *library, guint index) { return g_ptr_array_index (library->rulesets, index); }
guint fw_library_get_n_motivations (FwLibrary *library) { return library->motivations->len; }
FwMotivation *fw_library_get_motivation (FwLibrary *library, guint index) { return g_ptr_array_index (library->motivations, index); }

FwRuleset *
fw_library_find_ruleset (FwLibrary *library, const char *id)
{
  for (guint i = 0; i < library->rulesets->len; i++)
    {
      FwRuleset *r = g_ptr_array_index (library->rulesets, i);
      if (g_strcmp0 (r->id, id) == 0)
        return r;
    }
  return NULL;
}

FwMotivation *
fw_library_find_motivation (FwLibrary *library, const char *id)
{
  return g_hash_table_lookup (library->motivation_by_id, id);
}

FwRuleset *
fw_library_match_need (FwLibrary *library, FwScratch *scratch, const char *text)
{
  g_return_val_if_fail (library->compiled, NULL);
  g_autofree char *folded = g_utf8_casefold (text, -1);
  g_strstrip (folded);
  for (guint i = 0; i < library->rulesets->len; i++)
    {
      FwRuleset *r = g_ptr_array_index (library->rulesets, i);
      g_autofree char *title = g_utf8_casefold (r->title != NULL ? r->title : "", -1);
      if (g_strcmp0 (folded, r->id) == 0 || g_strcmp0 (folded, title) == 0)
        return r;
    }
  FwRuleset *best = NULL;
  FwHit best_hit = { 0 };
  for (guint i = 0; i < library->rulesets->len; i++)
    {
      FwRuleset *r = g_ptr_array_index (library->rulesets, i);
      FwHit hit;
      if (fw_match_patterns (scratch, r->need_patterns, r->lang, text, strlen (text), &hit, NULL)
          && (best == NULL || hit.score > best_hit.score))
        {
          best = r;
          best_hit = hit;
        }
    }
  return best;
}

const char *fw_ruleset_get_id (FwRuleset *r) { return r->id; }
const char *fw_ruleset_get_title (FwRuleset *r) { return r->title; }
const char *fw_ruleset_get_lang (FwRuleset *r) { return r->lang; }
const char *fw_ruleset_get_file (FwRuleset *r) { return r->file; }
const GPtrArray *fw_ruleset_get_asks (FwRuleset *r) { return r->asks; }
const GPtrArray *fw_ruleset_get_rungs (FwRuleset *r) { return r->rungs; }

FwRung *
fw_ruleset_find_rung (FwRuleset *r, const char *id)
{
  FwRung *rung = g_hash_table_lookup (r->rung_by_id, id);
  for (guint i = 0; rung == NULL && i < r->layer->len; i++)
    if (g_strcmp0 (((FwRung *) g_ptr_array_index (r->layer, i))->id, id) == 0)
      rung = g_ptr_array_index (r->layer, i);
  return rung;
}

const char *fw_rung_get_id (FwRung *rung) { return rung->id; }
const char *fw_rung_get_label (FwRung *rung) { return rung->label; }
FwLevel fw_rung_get_level (FwRung *rung) { return rung->level; }
guint fw_rung_get_depth (FwRung *rung) { return rung->depth; }
FwMotivation *fw_rung_get_motivation (FwRung *rung) { return rung->motivation; }
const GPtrArray *fw_rung_get_children (FwRung *rung) { return rung->children; }
const GPtrArray *fw_rung_get_asks (FwRung *rung) { return rung->asks; }
const GPtrArray *fw_rung_get_examples (FwRung *rung) { return rung->example_texts; }
const char *const *fw_rung_get_attributes (FwRung *rung) { return (const char *const *) rung->attributes; }

const char *fw_motivation_get_id (FwMotivation *m) { return m->id; }
const char *fw_motivation_get_label (FwMotivation *m) { return m->label; }
const char *fw_motivation_get_description (FwMotivation *m) { return m->description; }
const char *fw_motivation_get_framing (FwMotivation *m) { return m->framing; }
const char *fw_motivation_get_avoid (FwMotivation *m) { return m->avoid; }
const char *fw_motivation_get_schwartz (FwMotivation *m) { return m->schwartz; }
