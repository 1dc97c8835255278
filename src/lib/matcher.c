/* matcher.c: runs compiled patterns over answers and notes.
 *
 * A text is normalized once per language into the scratch's doc, and the
 * words it holds are marked, so that the prefilter can skip every pattern
 * whose required words are absent; only the candidates run in PCRE2. A match
 * counts unless a negation cue stands before it in its clause (or inside
 * it) or its clause holds a forbidden word.
 */
#include "config.h"

#include <string.h>

#include "fw-private.h"

#define NEGATION_REACH 5 /* words a negation cue reaches forward */

static void
scratch_lang_free (gpointer data)
{
  FwScratchLang *sl = data;
  fw_normalizer_free (sl->normalizer);
  fw_doc_free (sl->doc);
  g_free (sl->present);
  g_free (sl);
}

FwScratch *
fw_scratch_new (FwLibrary *library)
{
  g_return_val_if_fail (library != NULL, NULL);
  FwScratch *scratch = g_new0 (FwScratch, 1);
  scratch->library = library;
  scratch->langs = g_hash_table_new_full (g_direct_hash, g_direct_equal, NULL, scratch_lang_free);
  scratch->match_data = pcre2_match_data_create (1, NULL);
  scratch->match_context = pcre2_match_context_create (NULL);
  pcre2_set_match_limit (scratch->match_context, FW_MATCH_LIMIT);
  pcre2_set_depth_limit (scratch->match_context, FW_MATCH_LIMIT);
  pcre2_set_heap_limit (scratch->match_context, FW_HEAP_LIMIT_KB);
  scratch->jit_stack = pcre2_jit_stack_create (32 * 1024, 1024 * 1024, NULL);
  pcre2_jit_stack_assign (scratch->match_context, NULL, scratch->jit_stack);
  scratch->quote = g_string_new (NULL);
  return scratch;
}

void
fw_scratch_free (FwScratch *scratch)
{
  if (scratch == NULL)
    return;
  g_hash_table_unref (scratch->langs);
  pcre2_match_data_free (scratch->match_data);
  pcre2_match_context_free (scratch->match_context);
  pcre2_jit_stack_free (scratch->jit_stack);
  g_string_free (scratch->quote, TRUE);
  fw_note_scratch_free (scratch->notes);
  g_free (scratch);
}

static FwScratchLang *
scratch_lang (FwScratch *scratch, const char *lang)
{
  FwScratchLang *sl = g_hash_table_lookup (scratch->langs, lang);
  if (sl != NULL)
    return sl;
  FwVocab *vocab = g_hash_table_lookup (scratch->library->vocabs, lang);
  sl = g_new0 (FwScratchLang, 1);
  sl->lang = lang;
  /* The language was checked when the library compiled. */
  sl->normalizer = fw_normalizer_new (lang, vocab, NULL);
  sl->doc = fw_doc_new ();
  sl->n_words = vocab != NULL ? vocab->stems->len : 0;
  sl->present = g_new0 (guint8, sl->n_words + 1);
  g_hash_table_insert (scratch->langs, (gpointer) lang, sl);
  return sl;
}

FwDoc *
fw_scratch_prepare (FwScratch *scratch, const char *lang, const char *text, gsize len)
{
  FwScratchLang *sl = scratch_lang (scratch, lang);
  scratch->current = sl;
  /* Unmark the previous text's words: cheaper than clearing the table. */
  GArray *tokens = sl->doc->tokens;
  for (guint i = 0; i < tokens->len; i++)
    {
      gint32 w = g_array_index (tokens, FwToken, i).word;
      if (w >= 0)
        sl->present[w] = 0;
    }
  if (sl->normalizer == NULL)
    {
      fw_doc_clear (sl->doc);
      return sl->doc;
    }
  fw_normalize (sl->normalizer, text, MIN (len, (gsize) G_MAXUINT32 - 1), sl->doc);
  for (guint i = 0; i < tokens->len; i++)
    {
      gint32 w = g_array_index (tokens, FwToken, i).word;
      if (w >= 0 && (guint) w < sl->n_words)
        sl->present[w] = 1;
    }
  return sl->doc;
}

gboolean
fw_scratch_may_match (FwScratch *scratch, FwPattern *pattern)
{
  FwScratchLang *sl = scratch->current;
  if (pattern->raw)
    return TRUE;
  for (guint g = 0; g < pattern->required->len; g++)
    {
      GArray *group = g_ptr_array_index (pattern->required, g);
      gboolean any = FALSE;
      for (guint i = 0; i < group->len && !any; i++)
        {
          gint32 w = g_array_index (group, gint32, i);
          any = (guint) w < sl->n_words && sl->present[w];
        }
      if (!any)
        return FALSE;
    }
  return TRUE;
}

static gboolean
group_present (FwScratchLang *sl, GArray *group)
{
  for (guint i = 0; i < group->len; i++)
    {
      gint32 w = g_array_index (group, gint32, i);
      if ((guint) w < sl->n_words && sl->present[w])
        return TRUE;
    }
  return FALSE;
}

double
fw_scratch_required_share (FwScratch *scratch, FwPattern *pattern)
{
  if (pattern->required->len == 0)
    return 1.0;
  guint have = 0;
  for (guint g = 0; g < pattern->required->len; g++)
    have += group_present (scratch->current, g_ptr_array_index (pattern->required, g));
  return (double) have / pattern->required->len;
}

/* The first required group of @pattern that the text lacks, as words. */
char *
fw_scratch_missing_words (FwScratch *scratch, FwPattern *pattern)
{
  FwScratchLang *sl = scratch->current;
  FwVocab *vocab = g_hash_table_lookup (scratch->library->vocabs, pattern->lang);
  for (guint g = 0; g < pattern->required->len; g++)
    {
      GArray *group = g_ptr_array_index (pattern->required, g);
      gboolean any = FALSE;
      for (guint i = 0; i < group->len && !any; i++)
        {
          gint32 w = g_array_index (group, gint32, i);
          any = (guint) w < sl->n_words && sl->present[w];
        }
      if (!any)
        {
          GString *out = g_string_new (NULL);
          for (guint i = 0; i < group->len && i < 4; i++)
            g_string_append_printf (out, "%s'%s'", i > 0 ? " or " : "",
                                    (char *) g_ptr_array_index (vocab->stems, g_array_index (group, gint32, i)));
          if (group->len > 4)
            g_string_append (out, " or ...");
          return g_string_free (out, FALSE);
        }
    }
  return NULL;
}

static gboolean
in_words (GArray *ids, gint32 w)
{
  for (guint i = 0; i < ids->len; i++)
    if (g_array_index (ids, gint32, i) == w)
      return TRUE;
  return FALSE;
}

/* Whether a negation cue governs tokens [first, last]: one inside the
 * span (when @inside), or one before it in the same clause with no soft break between and
 * within NEGATION_REACH words. */
static gboolean
negated (FwDoc *doc, guint first, guint last, gboolean inside)
{
  FwToken *tokens = (FwToken *) doc->tokens->data;
  for (guint i = first; inside && i <= last; i++)
    if (tokens[i].negation)
      return TRUE;
  guint reach = 0;
  for (guint i = first; i-- > 0 && reach < NEGATION_REACH;)
    {
      if (tokens[i].clause != tokens[first].clause || tokens[i].kind == FW_TOKEN_SOFT_BREAK)
        break;
      if (tokens[i].negation)
        return TRUE;
      reach++;
    }
  return FALSE;
}

/* Whether the words after tokens [first, last] deny them: an auxiliary and
 * a negation cue straight after, in the same clause ("cash flow is not an
 * issue", "the price does not matter"). */
static gboolean
denied_after (FwDoc *doc, guint last, GArray *auxiliaries)
{
  if (auxiliaries == NULL)
    return FALSE;
  FwToken *tokens = (FwToken *) doc->tokens->data;
  guint n = doc->tokens->len;
  /* Right after: "we need the money and that is not negotiable" is no
   * denial of the money. */
  guint i = last + 1;
  return i + 1 < n && tokens[i].clause == tokens[last].clause && tokens[i].word >= 0
         && in_words (auxiliaries, tokens[i].word) && tokens[i + 1].negation
         && tokens[i + 1].clause == tokens[last].clause;
}

/* "not that I'm worried", "not because ...": a cue followed by one of
 * these denies the rest of the clause, even in a pattern that names the
 * cue itself ("not * worried" means no worries, "not that I'm worried" does
 * not). Stems, in the languages with negation cues. */
static gboolean
denies_reason (FwDoc *doc, guint first, guint last)
{
  static const char *const reasons[] = { "that", "becaus", "dass", "weil", "porqu", NULL };
  FwToken *tokens = (FwToken *) doc->tokens->data;
  for (guint i = first; i < last && i + 1 < doc->tokens->len; i++)
    {
      if (!tokens[i].negation)
        continue;
      const char *stem = doc->norm->str + tokens[i + 1].norm_start;
      gsize len = tokens[i + 1].norm_end - tokens[i + 1].norm_start;
      for (guint r = 0; reasons[r] != NULL; r++)
        if (strlen (reasons[r]) == len && memcmp (stem, reasons[r], len) == 0)
          return TRUE;
    }
  return FALSE;
}

static gboolean
clause_ends_after (FwDoc *doc, guint i)
{
  FwToken *tokens = (FwToken *) doc->tokens->data;
  guint n = doc->tokens->len;
  return i + 1 >= n || tokens[i + 1].clause != tokens[i].clause || tokens[i + 1].kind == FW_TOKEN_SOFT_BREAK;
}

/* German puts "nicht" at the end of the clause to deny all of it: "um
 * Status geht es mir nicht". Only a cue that ends the clause counts: "die
 * Rente wird nicht reichen" says the pension is short, it denies nothing. */
static gboolean
negated_later (FwDoc *doc, guint last)
{
  FwToken *tokens = (FwToken *) doc->tokens->data;
  guint n = doc->tokens->len;
  for (guint i = last + 1; i < n && i <= last + 8; i++)
    {
      if (tokens[i].clause != tokens[last].clause || tokens[i].kind == FW_TOKEN_SOFT_BREAK)
        return FALSE;
      if (!tokens[i].negation)
        continue;
      if (clause_ends_after (doc, i))
        return TRUE;
      /* "spielt keine Rolle", "ist kein Thema": irrelevance idioms */
      static const char *const idioms[] = { "roll", "thema", "problem", "frag", "grund", NULL };
      if (clause_ends_after (doc, i + 1))
        {
          const char *stem = doc->norm->str + tokens[i + 1].norm_start;
          gsize len = tokens[i + 1].norm_end - tokens[i + 1].norm_start;
          for (guint k = 0; idioms[k] != NULL; k++)
            if (strlen (idioms[k]) == len && memcmp (stem, idioms[k], len) == 0)
              return TRUE;
        }
      return FALSE;
    }
  return FALSE;
}

static gboolean
clause_holds (FwDoc *doc, guint token, GArray *forbidden)
{
  if (forbidden->len == 0)
    return FALSE;
  FwToken *tokens = (FwToken *) doc->tokens->data;
  guint clause = tokens[token].clause;
  guint i = token;
  while (i > 0 && tokens[i - 1].clause == clause)
    i--;
  for (; i < doc->tokens->len && tokens[i].clause == clause; i++)
    if (tokens[i].word >= 0 && in_words (forbidden, tokens[i].word))
      return TRUE;
  return FALSE;
}

/* The last token of the clause that holds @token. */
static guint
clause_last_token (FwDoc *doc, guint token)
{
  FwToken *tokens = (FwToken *) doc->tokens->data;
  guint i = token;
  while (i + 1 < doc->tokens->len && tokens[i + 1].clause == tokens[token].clause)
    i++;
  return i;
}

/* The tokens covering original bytes [start, end), for raw regexes. */
static gboolean
tokens_for_span (FwDoc *doc, gsize start, gsize end, guint *first, guint *last)
{
  FwToken *tokens = (FwToken *) doc->tokens->data;
  guint n = doc->tokens->len;
  guint lo = 0, hi = n;
  while (lo < hi)
    {
      guint mid = (lo + hi) / 2;
      if (tokens[mid].end <= start)
        lo = mid + 1;
      else
        hi = mid;
    }
  if (lo >= n || tokens[lo].start >= end)
    return FALSE;
  *first = lo;
  guint i = lo;
  while (i + 1 < n && tokens[i + 1].start < end)
    i++;
  *last = i;
  return TRUE;
}

double
fw_hit_words (FwScratch *scratch, FwDoc *doc, const FwHit *hit, GPtrArray *words_out)
{
  FwPattern *pattern = hit->pattern;
  GArray *weights = g_hash_table_lookup (scratch->library->weights, pattern->lang);
  FwToken *tokens = (FwToken *) doc->tokens->data;
  double score = 0;
  g_autoptr (GArray) seen = g_array_new (FALSE, FALSE, sizeof (gint32));
  if (doc->tokens->len == 0)
    return 0;
  for (guint i = hit->first_token; i <= hit->last_token && i < doc->tokens->len; i++)
    {
      gint32 w = tokens[i].word;
      if (tokens[i].kind != FW_TOKEN_WORD)
        continue;
      gboolean counts = pattern->raw ? TRUE : (w >= 0 && in_words (pattern->words, w));
      if (!counts || (w >= 0 && in_words (seen, w)))
        continue;
      if (w >= 0)
        g_array_append_val (seen, w);
      score += (w >= 0 && weights != NULL && (guint) w < weights->len) ? g_array_index (weights, double, w) : 1.0;
      if (words_out != NULL)
        g_ptr_array_add (words_out, g_strndup (doc->norm->str + tokens[i].norm_start,
                                               tokens[i].norm_end - tokens[i].norm_start));
    }
  return score;
}

static int
run_pcre2 (FwScratch *scratch, FwPattern *pattern, const char *subject, gsize len, gsize offset)
{
  if (fw_pattern_jit (pattern))
    return pcre2_jit_match (pattern->code, (PCRE2_SPTR) subject, len, offset, 0, scratch->match_data,
                            scratch->match_context);
  return pcre2_match (pattern->code, (PCRE2_SPTR) subject, len, offset, pattern->raw ? 0 : PCRE2_NO_UTF_CHECK,
                      scratch->match_data, scratch->match_context);
}

gboolean
fw_pattern_run (FwScratch *scratch, FwPattern *pattern, FwDoc *doc, const char *text, gsize len,
                FwHit *hit, GError **error)
{
  memset (hit, 0, sizeof *hit);
  hit->pattern = pattern;
  const char *subject = pattern->raw ? text : doc->norm->str;
  gsize subject_len = pattern->raw ? len : doc->norm->len;
  gsize offset = 0;
  gboolean found_any = FALSE;
  /* Whether a clause holds a forbidden word is asked once per clause, so
   * that the matches of one huge clause cost no more than its length. */
  guint known_clause = G_MAXUINT;
  gboolean known_forbidden = FALSE;

  while (offset <= subject_len)
    {
      int rc = run_pcre2 (scratch, pattern, subject, subject_len, offset);
      if (rc == PCRE2_ERROR_NOMATCH)
        break;
      if (rc < 0)
        {
          PCRE2_UCHAR buffer[256];
          pcre2_get_error_message (rc, buffer, sizeof buffer);
          hit->limit = TRUE;
          g_set_error (error, FW_ERROR, FW_ERROR_LIMIT, "%s:%d: pattern '%s' gave up on this text: %s",
                       pattern->place.file, pattern->place.line, pattern->source, (const char *) buffer);
          return FALSE;
        }
      PCRE2_SIZE *ov = pcre2_get_ovector_pointer (scratch->match_data);
      gsize ms = ov[0], me = ov[1];
      guint first, last;
      gboolean mapped;
      if (pattern->raw)
        mapped = tokens_for_span (doc, ms, me, &first, &last);
      else
        {
          first = fw_doc_token_at (doc, ms);
          last = me > 0 ? fw_doc_token_at (doc, me - 1) : first;
          mapped = first < doc->tokens->len && last < doc->tokens->len;
        }
      FwToken *tokens = (FwToken *) doc->tokens->data;
      /* A greedy gap may have reached over a negation that the shortest
       * match leaves out: "with my husband without the kids". */
      if (mapped && pattern->lazy != NULL && !pattern->has_negation && negated (doc, first, last, TRUE)
          && !negated (doc, first, last, FALSE))
        {
          int lrc = pattern->lazy_jit
                        ? pcre2_jit_match (pattern->lazy, (PCRE2_SPTR) subject, subject_len, ms, PCRE2_ANCHORED,
                                           scratch->match_data, scratch->match_context)
                        : pcre2_match (pattern->lazy, (PCRE2_SPTR) subject, subject_len, ms,
                                       PCRE2_ANCHORED | PCRE2_NO_UTF_CHECK, scratch->match_data, scratch->match_context);
          if (lrc >= 0)
            {
              ov = pcre2_get_ovector_pointer (scratch->match_data);
              me = ov[1];
              last = me > 0 ? fw_doc_token_at (doc, me - 1) : first;
            }
        }
      /* A raw regex says what it matches, cues included ("not\s+enough"):
       * only a cue before it negates it. */
      gboolean neg = mapped
                     && (pattern->has_negation
                             ? denies_reason (doc, first, last)
                             : (negated (doc, first, last, !pattern->raw)
                                || denied_after (doc, last, g_hash_table_lookup (scratch->library->auxiliaries, pattern->lang))
                                || (g_str_has_prefix (pattern->lang, "de") && negated_later (doc, last))));
      gboolean forb = FALSE;
      if (mapped && pattern->forbidden->len > 0)
        {
          if (tokens[first].clause != known_clause)
            {
              known_clause = tokens[first].clause;
              known_forbidden = clause_holds (doc, first, pattern->forbidden);
            }
          forb = known_forbidden;
        }
      hit->first_token = mapped ? first : 0;
      hit->last_token = mapped ? last : 0;
      hit->start = pattern->raw ? ms : (mapped ? tokens[first].start : 0);
      hit->end = pattern->raw ? me : (mapped ? tokens[last].end : 0);
      hit->negated = neg;
      hit->forbidden = forb;
      found_any = TRUE;
      if (!neg && !forb)
        {
          hit->score = mapped ? fw_hit_words (scratch, doc, hit, NULL) : 1.0;
          if (hit->score <= 0)
            hit->score = 0.5;
          return TRUE;
        }
      /* Try again after this match's first word; or, when its clause holds
       * a forbidden word, after the clause, since every match that starts in
       * it is forbidden too. */
      gsize next = pattern->raw ? ms + 1 : (mapped ? tokens[first].norm_end : me);
      if (forb)
        {
          guint last_in_clause = clause_last_token (doc, first);
          next = MAX (next, pattern->raw ? tokens[last_in_clause].end : tokens[last_in_clause].norm_end);
        }
      if (next <= offset)
        next = offset + 1;
      offset = next;
      if (pattern->raw)
        while (offset < subject_len && ((guchar) subject[offset] & 0xC0) == 0x80)
          offset++;
    }
  if (!found_any)
    hit->pattern = NULL;
  return FALSE;
}

static gboolean
better (const FwHit *a, double sa, const FwHit *b, double sb)
{
  if (sa > sb + 1e-9)
    return TRUE;
  if (sa < sb - 1e-9)
    return FALSE;
  return a->start < b->start; /* ties go to document order */
}

int
fw_match_rungs (FwScratch *scratch, GPtrArray *rungs, const double *bonus, const char *lang,
                const char *text, gsize len, FwHit *best, GError **error)
{
  FwDoc *doc = fw_scratch_prepare (scratch, lang, text, len);
  int best_index = -1;
  double best_score = 0;
  memset (best, 0, sizeof *best);
  for (guint r = 0; r < rungs->len; r++)
    {
      FwRung *rung = g_ptr_array_index (rungs, r);
      for (guint p = 0; p < rung->patterns->len; p++)
        {
          FwPattern *pattern = g_ptr_array_index (rung->patterns, p);
          if (!fw_scratch_may_match (scratch, pattern))
            continue;
          FwHit hit;
          g_autoptr (GError) limit = NULL;
          if (!fw_pattern_run (scratch, pattern, doc, text, len, &hit, &limit))
            {
              /* A pattern that gives up is an error for this text, said
               * to the caller; the other patterns still run. */
              if (limit != NULL && error != NULL && *error == NULL)
                g_propagate_error (error, g_steal_pointer (&limit));
              continue;
            }
          double score = hit.score + (bonus != NULL ? bonus[r] : 0);
          if (best_index < 0 || better (&hit, score, best, best_score))
            {
              *best = hit;
              best_score = score;
              best_index = (int) r;
            }
        }
    }
  if (best_index >= 0)
    best->score = best_score;
  return best_index;
}

gboolean
fw_match_patterns (FwScratch *scratch, GPtrArray *patterns, const char *lang, const char *text, gsize len,
                   FwHit *best, GError **error)
{
  FwDoc *doc = fw_scratch_prepare (scratch, lang, text, len);
  gboolean found = FALSE;
  memset (best, 0, sizeof *best);
  for (guint p = 0; p < patterns->len; p++)
    {
      FwPattern *pattern = g_ptr_array_index (patterns, p);
      if (!fw_scratch_may_match (scratch, pattern))
        continue;
      FwHit hit;
      g_autoptr (GError) limit = NULL;
      if (!fw_pattern_run (scratch, pattern, doc, text, len, &hit, &limit))
        {
          if (limit != NULL && error != NULL && *error == NULL)
            g_propagate_error (error, g_steal_pointer (&limit));
          continue;
        }
      if (!found || better (&hit, hit.score, best, best->score))
        *best = hit;
      found = TRUE;
    }
  return found;
}
