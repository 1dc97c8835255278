/* index.c: the word index that picks, for a note, the few patterns that can
 * match it.
 *
 * Every phrase pattern knows its required word groups: it can only match a
 * text that holds, for each group, one of the group's words. The index posts
 * each pattern under the words of one group only, its rarest, so that a note
 * looks up the patterns of its distinct words and gets every pattern that can
 * match it, plus a few that cannot, which a check of their other required
 * groups (flat arrays, cache-friendly) rules out before PCRE2 runs. Patterns
 * with no required word, and raw regexes, run on every note.
 *
 * "Rarest" is estimated without a corpus: a word costs the number of
 * patterns of its language that mention it, and a word that is common in any
 * text of the language (the, for, need, want...) costs as much as a hundred
 * patterns; a group costs the sum of its words. The same word lists tell the
 * language of a note cheaply: the main language is always prepared, and
 * another only when the main doc holds a stop word of it (see note.c).
 */
#include "config.h"

#include <string.h>

#include "fw-private.h"
#include "jsonout-private.h"

#define COMMON_WORD_COST 100

typedef struct {
  const char *lang; /* ISO code, as rulesets spell lang */
  /* Words so common in any text that posting under them runs a pattern
   * on nearly every note. */
  const char *const *common;
  /* Function words of the language that are not words of the others, to
   * tell a note's language by: only a note holding them prepares it. */
  const char *const *stops;
  /* Price and cost talk, for the stopped-at-price flag. */
  const char *const *price;
} LangWords;

static const char *const common_en[] = {
  "the", "a", "an", "and", "or", "but", "to", "of", "in", "on", "at", "for", "with", "from", "by", "about",
  "as", "is", "are", "was", "were", "be", "been", "it", "this", "that", "there", "here", "we", "i", "you",
  "he", "she", "they", "them", "us", "our", "my", "your", "their", "his", "her", "me", "not", "no", "do",
  "does", "did", "have", "has", "had", "will", "would", "can", "could", "should", "get", "got", "go",
  "going", "want", "wants", "need", "needs", "like", "just", "so", "very", "really", "more", "all",
  "what", "when", "who", "how", "why", "if", "then", "than", "up", "out", "one", "some", "any", "time",
  "make", "take", "know", "think", "said", "say", "also", "well", "new", "good", "now", "next", "call",
  "called", "meet", "met", "client", "customer", "week", "re", "follow", NULL,
};
static const char *const stops_en[] = {
  "the", "and", "of", "with", "they", "we", "is", "are", "for", "that", "this", "have", "want", "need",
  "would", "their", "not", "it", "to", "be", "our", NULL,
};
static const char *const price_en[] = {
  "price", "prices", "pricing", "priced", "discount", "discounts", "discounted", "cheap", "cheaper",
  "cheapest", "budget", "budgets", "rate", "rates", "fee", "fees", "cost", "costs", "costing", "quote",
  "quoted", "quotes", "expensive", "pricey", "afford", "affordable", "dollars", "bucks", "repayments",
  NULL,
};

static const char *const common_de[] = {
  "der", "die", "das", "und", "oder", "aber", "zu", "von", "in", "im", "an", "auf", "für", "mit", "aus",
  "bei", "ist", "sind", "war", "sein", "es", "ich", "wir", "sie", "er", "ihr", "uns", "unser", "mein",
  "nicht", "kein", "keine", "haben", "hat", "hatte", "wird", "werden", "kann", "können", "möchte",
  "möchten", "will", "wollen", "brauchen", "braucht", "so", "sehr", "mehr", "was", "wie", "wann",
  "warum", "wenn", "dann", "als", "auch", "noch", "nur", "ein", "eine", "einen", "kunde", "kundin", NULL,
};
/* Each of these is rare in English text, so one is enough to prepare the
 * note in German too ("die", "den", "von", "sie"... are left out). */
static const char *const stops_de[] = {
  "und", "der", "das", "dem", "ist", "nicht", "ich", "wir", "mit", "für", "eine", "einen", "auf", "auch",
  "sich", "zu", "wird", "haben", "möchte", "möchten", "wollen", "kunde", "kundin", "oder", "aber", "weil",
  "dass", "sind", "kein", "keine", "noch", "nur", "mehr", "wenn", "schon", "jetzt", "bitte", NULL,
};
static const char *const price_de[] = {
  "preis", "preise", "rabatt", "günstig", "günstiger", "billig", "billiger", "budget", "zins", "zinsen",
  "zinssatz", "gebühr", "gebühren", "kosten", "teuer", "angebot", "konditionen", NULL,
};

static const char *const stops_es[] = {
  "el", "los", "las", "del", "que", "y", "es", "con", "para", "por", "una", "pero", "muy", "cliente",
  "quiere", "necesita", "su", "sus", NULL,
};
static const char *const price_es[] = {
  "precio", "precios", "descuento", "barato", "presupuesto", "tasa", "tarifa", "comisión",
  "coste", "costo", "caro", NULL,
};

static const char *const stops_fr[] = {
  "le", "les", "des", "est", "et", "une", "avec", "pour", "pas", "nous", "ils", "elle", "dans", "sur",
  "mais", "très", "veut", "client", "cliente", NULL,
};
static const char *const price_fr[] = {
  "prix", "remise", "rabais", "cher", "budget", "taux", "frais", "coût", NULL,
};

static const LangWords lang_words[] = {
  { "en", common_en, stops_en, price_en },
  { "de", common_de, stops_de, price_de },
  { "es", NULL, stops_es, price_es },
  { "fr", NULL, stops_fr, price_fr },
};

static const LangWords *
words_for (const char *lang)
{
  /* "en-GB", "en_AU" and "en" share the lists. */
  for (guint i = 0; i < G_N_ELEMENTS (lang_words); i++)
    {
      gsize n = strlen (lang_words[i].lang);
      if (g_ascii_strncasecmp (lang, lang_words[i].lang, n) == 0 && (lang[n] == '\0' || lang[n] == '-' || lang[n] == '_'))
        return &lang_words[i];
    }
  return NULL;
}

void
fw_index_free (FwWordIndex *index)
{
  if (index == NULL)
    return;
  g_free (index->offsets);
  g_free (index->postings);
  g_free (index->always);
  g_free (index->word_bits);
  g_free (index->group_start);
  g_free (index->word_start);
  g_free (index->group_words);
  g_free (index);
}

/* Stems @words with @normalizer and calls back with each stem's id in
 * @vocab, adding the stems when @add. */
static void
each_word_id (FwNormalizer *normalizer, FwVocab *vocab, const char *const *words, gboolean add,
              void (*callback) (gint32 id, gpointer data), gpointer data)
{
  if (words == NULL)
    return;
  g_autoptr (GPtrArray) stems = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; words[i] != NULL; i++)
    {
      g_ptr_array_set_size (stems, 0);
      fw_normalizer_stem_words (normalizer, words[i], stems);
      for (guint s = 0; s < stems->len; s++)
        {
          gint32 id = fw_vocab_lookup (vocab, g_ptr_array_index (stems, s), add);
          if (id >= 0)
            callback (id, data);
        }
    }
}

static void
mark_common (gint32 id, gpointer data)
{
  GArray *cost = data;
  if ((guint) id < cost->len)
    g_array_index (cost, guint, id) += COMMON_WORD_COST;
}

typedef struct {
  GArray *bits; /* guint16 per word id, zero-filled as it grows */
  guint16 bit;
} BitSetter;

static void
set_bit (gint32 id, gpointer data)
{
  BitSetter *setter = data;
  if ((guint) id >= setter->bits->len)
    g_array_set_size (setter->bits, id + 1);
  g_array_index (setter->bits, guint16, id) |= setter->bit;
}

static gboolean
indexed (FwPattern *pattern)
{
  /* Non-answers are for sessions; notes never ask for them. Nor for
   * patterns meant for answers only (<pattern in="answers">). */
  return pattern->owner_kind != FW_OWNER_NONANSWER && pattern->scope != FW_SCOPE_ANSWERS;
}

/* The index of @lang: postings under each pattern's cheapest group. */
static FwWordIndex *
build_one (FwLibrary *library, const char *lang, FwNormalizer *normalizer)
{
  FwVocab *vocab = g_hash_table_lookup (library->vocabs, lang);
  FwWordIndex *index = g_new0 (FwWordIndex, 1);
  index->lang = lang;
  index->vocab = vocab;
  guint n_words = vocab != NULL ? vocab->stems->len : 0;

  /* Cost of each word: the patterns that mention it, plus the penalty of
   * words common in any text. */
  g_autoptr (GArray) cost = g_array_new (FALSE, TRUE, sizeof (guint));
  g_array_set_size (cost, n_words);
  for (guint i = 0; i < library->patterns->len; i++)
    {
      FwPattern *p = g_ptr_array_index (library->patterns, i);
      if (p->lang != lang || p->raw || !indexed (p))
        continue;
      for (guint w = 0; w < p->words->len; w++)
        {
          gint32 id = g_array_index (p->words, gint32, w);
          if ((guint) id < n_words)
            g_array_index (cost, guint, id)++;
        }
    }
  const LangWords *words = words_for (lang);
  if (words != NULL && normalizer != NULL)
    each_word_id (normalizer, vocab, words->common, FALSE, mark_common, cost);

  /* Choose each pattern's group, count postings per word, then fill. */
  g_autoptr (GArray) chosen = g_array_new (FALSE, TRUE, sizeof (gint)); /* per pattern: group, -1 always */
  g_array_set_size (chosen, library->patterns->len);
  index->offsets = g_new0 (guint32, n_words + 1);
  g_autoptr (GArray) always = g_array_new (FALSE, FALSE, sizeof (guint32));
  for (guint i = 0; i < library->patterns->len; i++)
    {
      FwPattern *p = g_ptr_array_index (library->patterns, i);
      g_array_index (chosen, gint, i) = -2; /* not this language */
      if (p->lang != lang || !indexed (p))
        continue;
      gint best = -1;
      guint64 best_cost = G_MAXUINT64;
      for (guint g = 0; !p->raw && g < p->required->len; g++)
        {
          GArray *group = g_ptr_array_index (p->required, g);
          guint64 c = 0;
          gboolean usable = group->len > 0;
          for (guint w = 0; w < group->len; w++)
            {
              gint32 id = g_array_index (group, gint32, w);
              if ((guint) id >= n_words)
                usable = FALSE;
              else
                c += g_array_index (cost, guint, id) + 1;
            }
          if (usable && c < best_cost)
            {
              best_cost = c;
              best = (gint) g;
            }
        }
      g_array_index (chosen, gint, i) = best;
      if (best < 0)
        {
          guint32 pi = i;
          g_array_append_val (always, pi);
          continue;
        }
      GArray *group = g_ptr_array_index (p->required, best);
      for (guint w = 0; w < group->len; w++)
        index->offsets[g_array_index (group, gint32, w) + 1]++;
    }
  for (guint w = 0; w < n_words; w++)
    index->offsets[w + 1] += index->offsets[w];
  index->postings = g_new (guint32, MAX (1u, index->offsets[n_words]));
  g_autofree guint32 *fill = g_memdup2 (index->offsets, sizeof (guint32) * (n_words + 1));
  for (guint i = 0; i < library->patterns->len; i++)
    {
      gint g = g_array_index (chosen, gint, i);
      if (g < 0)
        continue;
      FwPattern *p = g_ptr_array_index (library->patterns, i);
      GArray *group = g_ptr_array_index (p->required, g);
      for (guint w = 0; w < group->len; w++)
        {
          gint32 id = g_array_index (group, gint32, w);
          /* A group may name a word twice ("[home home]"): post once. */
          gboolean dup = FALSE;
          for (guint k = index->offsets[id]; k < fill[id] && !dup; k++)
            dup = index->postings[k] == i;
          if (!dup)
            index->postings[fill[id]++] = i;
        }
    }
  /* Close the gaps the duplicates left: compact in place. */
  guint32 out = 0;
  for (guint w = 0; w < n_words; w++)
    {
      guint32 start = index->offsets[w];
      index->offsets[w] = out;
      for (guint32 k = start; k < fill[w]; k++)
        index->postings[out++] = index->postings[k];
    }
  index->offsets[n_words] = out;

  /* The groups left to confirm: every required group but the posted one. */
  guint n_patterns = library->patterns->len;
  index->group_start = g_new0 (guint32, n_patterns + 1);
  g_autoptr (GArray) word_start = g_array_new (FALSE, FALSE, sizeof (guint32));
  g_autoptr (GArray) group_words = g_array_new (FALSE, FALSE, sizeof (gint32));
  for (guint i = 0; i < n_patterns; i++)
    {
      index->group_start[i] = word_start->len;
      gint g = g_array_index (chosen, gint, i);
      if (g < 0)
        continue;
      FwPattern *p = g_ptr_array_index (library->patterns, i);
      for (guint k = 0; k < p->required->len; k++)
        {
          if ((gint) k == g)
            continue;
          GArray *group = g_ptr_array_index (p->required, k);
          guint32 ws = group_words->len;
          g_array_append_val (word_start, ws);
          g_array_append_vals (group_words, group->data, group->len);
        }
    }
  index->group_start[n_patterns] = word_start->len;
  guint32 end = group_words->len;
  g_array_append_val (word_start, end);
  index->word_start = (guint32 *) g_array_steal (word_start, NULL);
  index->group_words = (gint32 *) g_array_steal (group_words, NULL);

  index->n_always = always->len;
  index->always = (guint32 *) g_array_steal (always, NULL);
  index->n_words = n_words;
  return index;
}

static gint
compare_langs (gconstpointer a, gconstpointer b, gpointer data)
{
  GHashTable *counts = data;
  const char *x = *(const char **) a, *y = *(const char **) b;
  guint cx = GPOINTER_TO_UINT (g_hash_table_lookup (counts, x));
  guint cy = GPOINTER_TO_UINT (g_hash_table_lookup (counts, y));
  if (cx != cy)
    return cx > cy ? -1 : 1;
  return strcmp (x, y);
}

/* Sets @rung->below_rungs and below_motivations, and its children's first
 * (the rung tree is a DAG, refused when cyclic). @masked marks the rungs
 * done, by index. The walk in note.c does not go below a rung of the
 * motivation level, so neither do these. */
static void
rung_masks (FwRung *rung, guint8 *masked)
{
  if (masked[rung->index])
    return;
  masked[rung->index] = 1;
  if (rung->is_layer)
    {
      rung->below_motivations = rung->motivation != NULL ? G_GUINT64_CONSTANT (1) << (rung->motivation->index % 64) : 0;
      return;
    }
  rung->below_rungs = G_GUINT64_CONSTANT (1) << (rung->index % 64);
  if (rung->level == FW_LEVEL_MOTIVATION)
    return;
  for (guint c = 0; c < rung->children->len; c++)
    {
      FwRung *child = g_ptr_array_index (rung->children, c);
      rung_masks (child, masked);
      rung->below_rungs |= child->below_rungs;
      rung->below_motivations |= child->below_motivations;
    }
}

void
fw_index_build (FwLibrary *library)
{
  g_return_if_fail (library->indexes == NULL);
  library->indexes = g_ptr_array_new_with_free_func ((GDestroyNotify) fw_index_free);

  /* Number everything a note keeps per-item state for. */
  guint n_rungs = 0;
  for (guint i = 0; i < library->rulesets->len; i++)
    {
      FwRuleset *r = g_ptr_array_index (library->rulesets, i);
      r->index = i;
      for (guint k = 0; k < r->all_rungs->len; k++)
        {
          FwRung *rung = g_ptr_array_index (r->all_rungs, k);
          rung->index = n_rungs++;
          rung->cost = rung->attributes != NULL && g_strv_contains ((const char *const *) rung->attributes, "cost");
        }
      for (guint k = 0; k < r->layer->len; k++)
        ((FwRung *) g_ptr_array_index (r->layer, k))->index = n_rungs++;
    }
  library->n_all_rungs = n_rungs;
  for (guint i = 0; i < library->motivations->len; i++)
    ((FwMotivation *) g_ptr_array_index (library->motivations, i))->index = i;

  /* What can evidence a path below each rung (see FwRung.below_rungs). */
  g_autofree guint8 *masked = g_new0 (guint8, MAX (n_rungs, 1u));
  for (guint i = 0; i < library->rulesets->len; i++)
    {
      FwRuleset *r = g_ptr_array_index (library->rulesets, i);
      for (guint k = 0; k < r->all_rungs->len; k++)
        rung_masks (g_ptr_array_index (r->all_rungs, k), masked);
      for (guint k = 0; k < r->layer->len; k++)
        rung_masks (g_ptr_array_index (r->layer, k), masked);
    }

  /* The languages that have rulesets, the one with most rulesets first. */
  g_autoptr (GHashTable) counts = g_hash_table_new (g_direct_hash, g_direct_equal);
  g_autoptr (GPtrArray) langs = g_ptr_array_new ();
  for (guint i = 0; i < library->rulesets->len; i++)
    {
      FwRuleset *r = g_ptr_array_index (library->rulesets, i);
      if (g_hash_table_lookup (library->vocabs, r->lang) == NULL)
        continue; /* the language has no stemmer: already an error */
      guint n = GPOINTER_TO_UINT (g_hash_table_lookup (counts, r->lang));
      if (n == 0)
        g_ptr_array_add (langs, r->lang);
      g_hash_table_insert (counts, r->lang, GUINT_TO_POINTER (n + 1));
    }
  g_ptr_array_sort_with_data (langs, compare_langs, counts);

  /* Stop and price words join the vocabularies before the indexes are
   * sized, so that the normalizer gives them ids. Nothing else changes: no
   * pattern mentions the new ids. */
  g_autoptr (GPtrArray) normalizers = g_ptr_array_new_with_free_func ((GDestroyNotify) fw_normalizer_free);
  g_autoptr (GPtrArray) bits = g_ptr_array_new_with_free_func ((GDestroyNotify) g_array_unref);
  for (guint l = 0; l < langs->len; l++)
    {
      const char *lang = g_ptr_array_index (langs, l);
      FwVocab *vocab = g_hash_table_lookup (library->vocabs, lang);
      FwNormalizer *normalizer = fw_normalizer_new (lang, vocab, NULL);
      g_ptr_array_add (normalizers, normalizer);
      g_ptr_array_add (bits, g_array_new (FALSE, TRUE, sizeof (guint16)));
      if (normalizer == NULL)
        continue;
      const LangWords *words = words_for (lang);
      BitSetter price = { g_ptr_array_index (bits, l), FW_WORD_PRICE };
      if (words != NULL)
        each_word_id (normalizer, vocab, words->price, TRUE, set_bit, &price);
    }
  /* Only the main language's doc is scanned for the others' stop words,
   * so they are stemmed as the main language would stem them. */
  FwNormalizer *main_normalizer = langs->len > 0 ? g_ptr_array_index (normalizers, 0) : NULL;
  for (guint l = 1; l < langs->len && main_normalizer != NULL; l++)
    {
      const LangWords *words = words_for (g_ptr_array_index (langs, l));
      if (l > FW_INDEX_MAX_DETECTED || words == NULL || words->stops == NULL)
        continue;
      BitSetter stop = { g_ptr_array_index (bits, 0), FW_WORD_STOP (l) };
      each_word_id (main_normalizer, g_hash_table_lookup (library->vocabs, g_ptr_array_index (langs, 0)),
                    words->stops, TRUE, set_bit, &stop);
    }

  for (guint l = 0; l < langs->len; l++)
    {
      const char *lang = g_ptr_array_index (langs, l);
      FwWordIndex *index = build_one (library, lang, g_ptr_array_index (normalizers, l));
      index->slot = l;
      const LangWords *words = words_for (lang);
      index->detected = l > 0 && l <= FW_INDEX_MAX_DETECTED && words != NULL && words->stops != NULL;
      GArray *b = g_ptr_array_index (bits, l);
      g_array_set_size (b, MAX (index->n_words, 1u));
      index->word_bits = g_new0 (guint16, MAX (index->n_words, 1u));
      memcpy (index->word_bits, b->data, sizeof (guint16) * index->n_words);
      g_ptr_array_add (library->indexes, index);
    }
}

FwNoteScratch *
fw_note_scratch_get (FwScratch *scratch)
{
  if (scratch->notes != NULL)
    return scratch->notes;
  FwLibrary *library = scratch->library;
  FwNoteScratch *ns = g_new0 (FwNoteScratch, 1);
  guint n_patterns = library->patterns->len;
  ns->pattern_mark = g_new0 (guint32, MAX (n_patterns, 1u));
  /* Each pattern is a candidate at most once a note: room for all of them,
   * so that add_candidate () is a store. */
  ns->candidates = g_new (guint32, MAX (n_patterns, 1u));
  guint n_indexes = library->indexes != NULL ? library->indexes->len : 0;
  ns->word_mark = g_new0 (guint32 *, n_indexes + 1);
  for (guint i = 0; i < n_indexes; i++)
    {
      FwWordIndex *index = g_ptr_array_index (library->indexes, i);
      ns->word_mark[i] = g_new0 (guint32, MAX (index->n_words, 1u));
    }
  guint n_rungs = MAX (library->n_all_rungs, 1u);
  ns->rung_mark = g_new0 (guint32, n_rungs);
  ns->rung_hit = g_new0 (FwHit, n_rungs);
  ns->rung_alt_mark = g_new0 (guint32, n_rungs);
  ns->rung_alt = g_new0 (FwHit, n_rungs);
  ns->memo_mark = g_new0 (guint32, n_rungs);
  ns->memo = g_new0 (FwPathMemo, n_rungs);
  guint n_rulesets = MAX (library->rulesets->len, 1u);
  ns->need_mark = g_new0 (guint32, n_rulesets);
  ns->need_hit = g_new0 (FwHit, n_rulesets);
  ns->need_first = g_new0 (gsize, n_rulesets);
  guint n_motivations = MAX (library->motivations->len, 1u);
  ns->motivation_mark = g_new0 (guint32, n_motivations);
  ns->motivation_hit = g_new0 (FwHit, n_motivations);
  ns->motivation_alt_mark = g_new0 (guint32, n_motivations);
  ns->motivation_alt = g_new0 (FwHit, n_motivations);
  ns->need_spans = g_array_sized_new (FALSE, FALSE, sizeof (gsize), 16);
  ns->touched = g_array_sized_new (FALSE, FALSE, sizeof (guint), 16);
  ns->covered = g_byte_array_sized_new (64);
  scratch->notes = ns;
  return ns;
}

void
fw_note_scratch_free (FwNoteScratch *ns)
{
  if (ns == NULL)
    return;
  g_free (ns->pattern_mark);
  g_free (ns->candidates);
  for (guint i = 0; ns->word_mark[i] != NULL; i++)
    g_free (ns->word_mark[i]);
  g_free (ns->word_mark);
  g_free (ns->rung_mark);
  g_free (ns->rung_hit);
  g_free (ns->rung_alt_mark);
  g_free (ns->rung_alt);
  g_free (ns->memo_mark);
  g_free (ns->memo);
  g_free (ns->need_mark);
  g_free (ns->need_hit);
  g_free (ns->need_first);
  g_free (ns->motivation_mark);
  g_free (ns->motivation_hit);
  g_free (ns->motivation_alt_mark);
  g_free (ns->motivation_alt);
  g_array_unref (ns->need_spans);
  g_array_unref (ns->touched);
  g_byte_array_unref (ns->covered);
  g_free (ns);
}

static inline void
add_candidate (FwNoteScratch *ns, guint32 pattern)
{
  if (ns->pattern_mark[pattern] == ns->generation)
    return;
  ns->pattern_mark[pattern] = ns->generation;
  ns->candidates[ns->n_candidates++] = pattern;
}

/* Whether the prepared text holds a word of each required group of
 * @pattern besides the one it was posted under. */
static inline gboolean
holds_other_groups (const FwWordIndex *index, const guint8 *present, guint n_present, guint32 pattern)
{
  for (guint32 g = index->group_start[pattern]; g < index->group_start[pattern + 1]; g++)
    {
      gboolean any = FALSE;
      for (guint32 k = index->word_start[g]; k < index->word_start[g + 1] && !any; k++)
        {
          gint32 w = index->group_words[k];
          any = (guint) w < n_present && present[w];
        }
      if (!any)
        return FALSE;
    }
  return TRUE;
}

void
fw_index_scan (FwScratch *scratch, FwWordIndex *index, FwDoc *doc, FwIndexScan *scan)
{
  FwNoteScratch *ns = fw_note_scratch_get (scratch);
  guint32 *word_mark = ns->word_mark[index->slot];
  guint32 generation = ns->generation;
  ns->n_candidates = 0;
  memset (scan, 0, sizeof *scan);
  scan->last_price = -1;

  const FwToken *tokens = (const FwToken *) doc->tokens->data;
  for (guint t = 0; t < doc->tokens->len; t++)
    {
      gint32 w = tokens[t].word;
      if (w < 0 || (guint) w >= index->n_words)
        continue;
      guint16 wb = index->word_bits[w];
      if (wb != 0)
        {
          if (wb & FW_WORD_PRICE)
            scan->last_price = (gint) t;
          for (guint slot = 1; slot <= FW_INDEX_MAX_DETECTED; slot++)
            if (wb & FW_WORD_STOP (slot))
              scan->stop_hits[slot]++;
        }
      if (word_mark[w] == generation)
        continue;
      word_mark[w] = generation;
      for (guint32 k = index->offsets[w]; k < index->offsets[w + 1]; k++)
        add_candidate (ns, index->postings[k]);
    }
  /* Confirm the posted candidates against their other groups, in place. */
  FwScratchLang *sl = scratch->current;
  guint32 *candidates = ns->candidates;
  guint kept = 0;
  for (guint c = 0; c < ns->n_candidates; c++)
    if (holds_other_groups (index, sl->present, sl->n_words, candidates[c]))
      candidates[kept++] = candidates[c];
  ns->n_candidates = kept;
  for (guint k = 0; k < index->n_always; k++)
    add_candidate (ns, index->always[k]);
  scan->candidates = ns->candidates;
  scan->n_candidates = ns->n_candidates;
}

/* ---- the compiled patterns, for benchmarks and rule authors ---------------- */

static const char *
owner_kind_name (FwOwnerKind kind)
{
  switch (kind)
    {
    case FW_OWNER_NEED:
      return "need";
    case FW_OWNER_RUNG:
      return "rung";
    case FW_OWNER_MOTIVATION:
      return "motivation";
    case FW_OWNER_NONANSWER:
      return "nonanswer";
    }
  return NULL;
}

/* One JSON object a line per compiled pattern, in library order (see
 * fivewhys.h). */
char *
fw_library_patterns_to_jsonl (FwLibrary *library)
{
  g_return_val_if_fail (library != NULL && library->compiled, NULL);
  GString *out = g_string_new (NULL);
  for (guint i = 0; i < library->patterns->len; i++)
    {
      FwPattern *p = g_ptr_array_index (library->patterns, i);
      const char *of = NULL;
      if (p->owner_kind == FW_OWNER_NEED)
        of = ((FwRuleset *) p->owner)->id;
      else if (p->owner_kind == FW_OWNER_RUNG)
        of = ((FwRung *) p->owner)->id;
      else if (p->owner_kind == FW_OWNER_MOTIVATION)
        of = ((FwMotivation *) p->owner)->id;
      FwJsonWriter w;
      fw_json_writer_init (&w, out);
      fw_json_writer_begin_object (&w);
      fw_json_writer_key (&w, "index");
      fw_json_writer_uint (&w, i);
      fw_json_writer_key (&w, "lang");
      fw_json_writer_string (&w, p->lang);
      fw_json_writer_key (&w, "owner");
      fw_json_writer_string (&w, owner_kind_name (p->owner_kind));
      fw_json_writer_key (&w, "of");
      fw_json_writer_string (&w, of);
      fw_json_writer_key (&w, "raw");
      fw_json_writer_boolean (&w, p->raw);
      fw_json_writer_key (&w, "source");
      fw_json_writer_string (&w, p->source);
      fw_json_writer_key (&w, "regex");
      fw_json_writer_string (&w, p->regex);
      fw_json_writer_key (&w, "file");
      fw_json_writer_string (&w, p->place.file);
      fw_json_writer_key (&w, "line");
      fw_json_writer_int (&w, p->place.line);
      fw_json_writer_end_object (&w);
      g_string_append_c (out, '\n');
    }
  return g_string_free (out, FALSE);
}
