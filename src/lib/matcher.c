/* matcher.c: runs compiled patterns over answers and notes.
 *
 * A text is normalized once per language into the scratch's doc, and the
 * words it holds are marked, so that the prefilter can skip every pattern
 * whose required words are absent; only the candidates run in PCRE2. A match
 * counts unless a negation cue stands before it in its clause (or inside
 * it) or its clause holds a forbidden word.
 */
#include "config.h"

#include <pthread.h>
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
  g_free (sl->head);
  g_free (sl->next);
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
  scratch->starts = g_array_sized_new (FALSE, FALSE, sizeof (guint32), 64);
  scratch->folded = g_string_new (NULL);
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
  g_array_unref (scratch->starts);
  g_string_free (scratch->folded, TRUE);
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
  sl->head = g_new0 (guint32, sl->n_words + 1);
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
  guint n_words = sl->n_words;
  for (guint i = 0; i < tokens->len; i++)
    {
      gint32 w = g_array_index (tokens, FwToken, i).word;
      if ((guint) w < n_words)
        {
          sl->present[w] = 0;
          sl->head[w] = 0;
        }
    }
  if (sl->normalizer == NULL)
    {
      fw_doc_clear (sl->doc);
      return sl->doc;
    }
  fw_normalize (sl->normalizer, text, MIN (len, (gsize) G_MAXUINT32 - 1), sl->doc);
  if (G_UNLIKELY (tokens->len > sl->next_cap))
    {
      sl->next_cap = MAX (tokens->len, 2 * sl->next_cap);
      g_free (sl->next);
      sl->next = g_new (guint32, sl->next_cap);
    }
  /* Backwards, so that each word's chain runs in text order. */
  const FwToken *t = (const FwToken *) tokens->data;
  for (guint i = tokens->len; i-- > 0;)
    {
      gint32 w = t[i].word;
      if ((guint) w < n_words)
        {
          sl->present[w] = 1;
          sl->next[i] = sl->head[w];
          sl->head[w] = i + 1;
        }
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

/* Whether @w is in @ids, sorted (FwPattern.words). */
static gboolean
in_sorted_words (GArray *ids, gint32 w)
{
  const gint32 *v = (const gint32 *) ids->data;
  guint lo = 0, hi = ids->len;
  while (lo < hi)
    {
      guint mid = lo + (hi - lo) / 2;
      if (v[mid] < w)
        lo = mid + 1;
      else
        hi = mid;
    }
  return lo < ids->len && v[lo] == w;
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
  /* The words counted so far: on the stack for the usual short match, in
   * an array only past SEEN_ON_STACK distinct words (a raw regex may match
   * a whole note). */
#define SEEN_ON_STACK 32
  gint32 seen_stack[SEEN_ON_STACK];
  guint n_seen = 0;
  g_autoptr (GArray) seen = NULL;
  if (doc->tokens->len == 0)
    return 0;
  for (guint i = hit->first_token; i <= hit->last_token && i < doc->tokens->len; i++)
    {
      gint32 w = tokens[i].word;
      if (tokens[i].kind != FW_TOKEN_WORD)
        continue;
      gboolean counts = pattern->raw ? TRUE : (w >= 0 && in_sorted_words (pattern->words, w));
      if (!counts)
        continue;
      if (w >= 0)
        {
          gboolean again = FALSE;
          for (guint k = 0; k < n_seen && !again; k++)
            again = seen_stack[k] == w;
          if (!again && seen != NULL)
            again = in_words (seen, w);
          if (again)
            continue;
          if (n_seen < SEEN_ON_STACK)
            seen_stack[n_seen++] = w;
          else
            {
              if (seen == NULL)
                seen = g_array_new (FALSE, FALSE, sizeof (gint32));
              g_array_append_val (seen, w);
            }
        }
      score += (w >= 0 && weights != NULL && (guint) w < weights->len) ? g_array_index (weights, double, w) : 1.0;
      if (words_out != NULL)
        g_ptr_array_add (words_out, g_strndup (doc->norm->str + tokens[i].norm_start,
                                               tokens[i].norm_end - tokens[i].norm_start));
    }
  return score;
}

/* The ASCII copies of raw regexes and the lazy twins of gap patterns are
 * made under this lock and published with an atomic store. (pthreads, not
 * GMutex, so that ThreadSanitizer sees it.) */
static pthread_mutex_t ascii_lock = PTHREAD_MUTEX_INITIALIZER;

/* The copy of raw regex @pattern for texts of ASCII only (see FwPattern),
 * compiled and JIT-compiled on first need; NULL when it does not compile
 * so (a \x{100} escape, say): then the regex itself runs. */
static pcre2_code *
pattern_ascii (FwPattern *pattern)
{
  pcre2_code *code = g_atomic_pointer_get (&pattern->ascii_code);
  if (G_LIKELY (code != NULL) || g_atomic_int_get (&pattern->ascii_state) != 0)
    return code;
  pthread_mutex_lock (&ascii_lock);
  if (g_atomic_int_get (&pattern->ascii_state) == 0)
    {
      int error;
      PCRE2_SIZE offset;
      code = pcre2_compile ((PCRE2_SPTR) pattern->regex, PCRE2_ZERO_TERMINATED, PCRE2_CASELESS, &error, &offset,
                            NULL);
      if (code != NULL)
        {
          pcre2_jit_compile (code, PCRE2_JIT_COMPLETE); /* else interpreted: still right */
          g_atomic_pointer_set (&pattern->ascii_code, code);
        }
      g_atomic_int_set (&pattern->ascii_state, code != NULL ? 1 : 2);
    }
  pthread_mutex_unlock (&ascii_lock);
  return g_atomic_pointer_get (&pattern->ascii_code);
}

/* The twin of gap pattern @pattern with lazy gaps: "){0,N}" only comes
 * from gaps (words are quoted), so it is the regex with "){0,N}?" there.
 * Compiled on first need, rarely: NULL when it does not compile. */
static pcre2_code *
pattern_lazy (FwPattern *pattern)
{
  pcre2_code *code = g_atomic_pointer_get (&pattern->lazy);
  if (G_LIKELY (code != NULL) || g_atomic_int_get (&pattern->lazy_state) != 0)
    return code;
  pthread_mutex_lock (&ascii_lock);
  if (g_atomic_int_get (&pattern->lazy_state) == 0)
    {
      g_auto (GStrv) parts = g_strsplit (pattern->regex, FW_REGEX_GAP_REPEAT, -1);
      g_autofree char *lazy_regex = g_strjoinv (FW_REGEX_GAP_REPEAT "?", parts);
      int error;
      PCRE2_SIZE offset;
      code = pcre2_compile ((PCRE2_SPTR) lazy_regex, PCRE2_ZERO_TERMINATED, pattern->options, &error, &offset, NULL);
      if (code != NULL)
        g_atomic_pointer_set (&pattern->lazy, code);
      g_atomic_int_set (&pattern->lazy_state, code != NULL ? 1 : 2);
    }
  pthread_mutex_unlock (&ascii_lock);
  return g_atomic_pointer_get (&pattern->lazy);
}

/* Whether the text of @doc may hold @pattern's required literal (see
 * FwPattern): FALSE only when it certainly does not. The text is folded to
 * ASCII lower case once per text, in scratch->folded. Caseless UTF
 * matching also takes U+212A for k and U+017F for s, so a literal with
 * those letters is not looked for in a text that is not ASCII. */
static gboolean
may_hold_literal (FwScratch *scratch, FwPattern *pattern, FwDoc *doc, const char *text, gsize len)
{
  const char *literal = pattern->literal;
  if (!doc->ascii && strpbrk (literal, "ks") != NULL)
    return TRUE;
  if (scratch->folded_doc != doc || scratch->folded_serial != doc->serial)
    {
      g_string_set_size (scratch->folded, len);
      char *out = scratch->folded->str;
      for (gsize i = 0; i < len; i++)
        {
          guchar c = (guchar) text[i];
          out[i] = (char) ((guint) (c - 'A') < 26u ? c | 0x20 : c);
        }
      scratch->folded_doc = doc;
      scratch->folded_serial = doc->serial;
    }
  /* Look for the literal's rarest letter with memchr (vectorized), and
   * compare around each: faster than memmem on a short text. */
  static const char by_rarity[] = "zqxjkvbpgwyfmculdhrsnioate";
  gsize n = strlen (literal);
  gsize rare = 0;
  const char *best = NULL;
  for (gsize i = 0; i < n; i++)
    {
      const char *where = strchr (by_rarity, literal[i]);
      if (where == NULL)
        {
          rare = i; /* a digit or a sign: rarer than any letter */
          break;
        }
      if (best == NULL || where < best)
        {
          best = where;
          rare = i;
        }
    }
  const char *text_start = scratch->folded->str;
  const char *text_end = text_start + scratch->folded->len;
  const char *p = text_start + rare;
  while (p < text_end && (p = memchr (p, literal[rare], (gsize) (text_end - p))) != NULL)
    {
      const char *start = p - rare;
      if ((gsize) (text_end - start) >= n && memcmp (start, literal, n) == 0)
        return TRUE;
      p++;
    }
  return FALSE;
}

/* Runs @pattern's code at @offset (phrase patterns with a first-word set
 * are anchored there). The text was validated once, by the normalizer or
 * by PCRE2_MATCH_INVALID_UTF: no UTF check per call. A raw regex on a text
 * of ASCII only (@ascii) runs its faster copy for such texts. */
static int
run_pcre2 (FwScratch *scratch, FwPattern *pattern, const char *subject, gsize len, gsize offset, gboolean ascii)
{
  if (pattern->raw && ascii)
    {
      pcre2_code *code = pattern_ascii (pattern);
      if (code != NULL)
        return pcre2_jit_match (code, (PCRE2_SPTR) subject, len, offset, 0, scratch->match_data,
                                scratch->match_context);
    }
  /* fw_pattern_jit () once; then what it found, without the call. */
  gboolean jit = G_LIKELY (g_atomic_pointer_get (&pattern->jit_once) != 0) ? pattern->jit : fw_pattern_jit (pattern);
  if (G_UNLIKELY (pattern->code == NULL))
    return PCRE2_ERROR_NOMATCH;
  if (jit)
    return pcre2_jit_match (pattern->code, (PCRE2_SPTR) subject, len, offset, 0, scratch->match_data,
                            scratch->match_context);
  return pcre2_match (pattern->code, (PCRE2_SPTR) subject, len, offset, 0, scratch->match_data,
                      scratch->match_context);
}

static gboolean
in_first (const FwPattern *pattern, gint32 w)
{
  const gint32 *ids = (const gint32 *) pattern->first->data;
  for (guint i = 0; i < pattern->first->len; i++)
    if (ids[i] == w)
      return TRUE;
  return FALSE;
}

/* The places an anchored pattern can match: the tokens of @doc that hold a
 * word it can begin with, in text order, produced one at a time (a match
 * usually comes at the first). When @doc is the text fw_scratch_prepare
 * made (always, in the library), the word chains it built are merged, one
 * cursor per word of @pattern->first in scratch->starts; otherwise every
 * token is looked at. */
typedef struct {
  FwScratchLang *sl; /* NULL: look at every token */
  guint32 *cursor;   /* per word of pattern->first: 1 + its next token, 0: done */
  guint n_cursors;
  guint scan;        /* without chains: the next token to look at */
} Starts;

static void
starts_init (Starts *st, FwScratch *scratch, FwPattern *pattern, FwDoc *doc)
{
  FwScratchLang *sl = scratch->current;
  memset (st, 0, sizeof *st);
  if (sl == NULL || sl->doc != doc)
    return;
  st->sl = sl;
  g_array_set_size (scratch->starts, pattern->first->len);
  st->cursor = (guint32 *) scratch->starts->data;
  const gint32 *ids = (const gint32 *) pattern->first->data;
  for (guint k = 0; k < pattern->first->len; k++)
    {
      gint32 w = ids[k];
      if ((guint) w < sl->n_words && sl->head[w] != 0)
        st->cursor[st->n_cursors++] = sl->head[w];
    }
}

/* The next place, or G_MAXUINT when there is none. */
static guint
starts_next (Starts *st, FwPattern *pattern, FwDoc *doc)
{
  if (st->sl == NULL)
    {
      const FwToken *tokens = (const FwToken *) doc->tokens->data;
      while (st->scan < doc->tokens->len)
        {
          guint i = st->scan++;
          if (tokens[i].word >= 0 && in_first (pattern, tokens[i].word))
            return i;
        }
      return G_MAXUINT;
    }
  guint32 best = 0;
  for (guint k = 0; k < st->n_cursors; k++)
    if (st->cursor[k] != 0 && (best == 0 || st->cursor[k] < best))
      best = st->cursor[k];
  if (best == 0)
    return G_MAXUINT;
  /* Advance every cursor standing there (a word listed twice in @first). */
  for (guint k = 0; k < st->n_cursors; k++)
    if (st->cursor[k] == best)
      st->cursor[k] = st->sl->next[best - 1];
  return best - 1;
}

/* The last token of @pattern's slots (FwPattern.slots) from slot @slot on,
 * after token @prev; G_MAXUINT when they do not match there. Gaps are
 * greedy and backtrack, as PCRE2 takes "(?: [^ \n]+){0,4}": the longest gap
 * after which the rest matches, within the clause. */
static guint
slots_from (const FwDoc *doc, const FwPattern *pattern, guint slot, guint prev)
{
  if (slot == pattern->n_slots)
    return prev;
  const FwToken *tokens = (const FwToken *) doc->tokens->data;
  guint n = doc->tokens->len;
  const FwSlot *s = &pattern->slots[slot];
  guint reach = 0; /* tokens after @prev in its clause, up to the gap */
  while (reach < s->gap && prev + 1 + reach < n && tokens[prev + 1 + reach].clause == tokens[prev].clause)
    reach++;
  for (guint g = reach + 1; g-- > 0;)
    {
      guint c = prev + 1 + g;
      if (c >= n || tokens[c].clause != tokens[prev].clause || tokens[c].word < 0
          || !in_sorted_words (s->ids, tokens[c].word))
        continue;
      guint end = slots_from (doc, pattern, slot + 1, c);
      if (end != G_MAXUINT)
        return end;
    }
  return G_MAXUINT;
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

  /* A raw regex whose literal the text lacks cannot match. */
  if (pattern->raw && pattern->literal != NULL && !may_hold_literal (scratch, pattern, doc, text, len))
    {
      hit->pattern = NULL;
      return FALSE;
    }
  /* An anchored pattern is tried at the tokens that hold a word it can
   * begin with, in text order; the others at @offset, unanchored. */
  gboolean anchored = !pattern->raw && pattern->first != NULL;
  Starts starts;
  if (anchored)
    starts_init (&starts, scratch, pattern, doc);

  while (offset <= subject_len)
    {
      int rc = PCRE2_ERROR_NOMATCH;
      guint slots_first = G_MAXUINT, slots_last = G_MAXUINT; /* a match of pattern->slots */
      if (anchored)
        {
          const FwToken *all = (const FwToken *) doc->tokens->data;
          guint t;
          while ((t = starts_next (&starts, pattern, doc)) != G_MAXUINT)
            {
              gsize at = all[t].norm_start - 1; /* the word's space */
              if (at < offset)
                continue;
              /* Words in a row are matched on the tokens' words (each
               * token's word is its stem, typos corrected), as the regex
               * would match them. */
              if (pattern->slots != NULL)
                {
                  /* t holds a word of the first slot (pattern.c, build_slots) */
                  guint end = slots_from (doc, pattern, 1, t);
                  if (end == G_MAXUINT)
                    continue;
                  slots_first = t;
                  slots_last = end;
                  rc = 1;
                  break;
                }
              rc = run_pcre2 (scratch, pattern, subject, subject_len, at, FALSE);
              if (rc != PCRE2_ERROR_NOMATCH)
                break;
            }
        }
      else
        rc = run_pcre2 (scratch, pattern, subject, subject_len, offset, doc->ascii);
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
      gsize ms, me;
      guint first, last;
      gboolean mapped;
      if (slots_first != G_MAXUINT)
        {
          const FwToken *all = (const FwToken *) doc->tokens->data;
          first = slots_first;
          last = slots_last;
          ms = all[first].norm_start - 1;
          me = all[last].norm_end;
          mapped = TRUE;
        }
      else if (pattern->raw)
        {
          ms = ov[0];
          me = ov[1];
          mapped = tokens_for_span (doc, ms, me, &first, &last);
        }
      else
        {
          ms = ov[0];
          me = ov[1];
          first = fw_doc_token_at (doc, ms);
          last = me > 0 ? fw_doc_token_at (doc, me - 1) : first;
          mapped = first < doc->tokens->len && last < doc->tokens->len;
        }
      FwToken *tokens = (FwToken *) doc->tokens->data;
      /* A greedy gap may have reached over a negation that the shortest
       * match leaves out: "with my husband without the kids". */
      pcre2_code *lazy_code;
      if (mapped && pattern->has_gap && !pattern->has_negation && negated (doc, first, last, TRUE)
          && !negated (doc, first, last, FALSE) && (lazy_code = pattern_lazy (pattern)) != NULL)
        {
          int lrc = pcre2_match (lazy_code, (PCRE2_SPTR) subject, subject_len, ms, PCRE2_ANCHORED | PCRE2_NO_JIT,
                                 scratch->match_data, scratch->match_context);
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
