/* note.c: the chain builder for deal notes.
 *
 * A deal note is not a question-and-answer: the seller writes down, in any
 * order, what the customer wants and (sometimes) why. So every pattern that
 * can match runs over the whole note once: the word index (index.c) names
 * the candidates whose required words are all in the note, PCRE2 confirms
 * them. Each rung and motivation keeps its best hit (and its best other
 * mention), each need its best hit. Then, per ruleset with evidence, a walk
 * of its rung tree (a DAG: <goto> shares rungs) finds the path from the need
 * down that holds the most evidenced rungs, then ends deepest in the
 * means-end chain; a motivation evidenced anywhere completes a path that does
 * not end at one, as in `ask`, where motivation patterns are tried at every
 * step.
 *
 * One phrase is one piece of evidence: a rung whose evidence overlaps the
 * need's ("re refinance" states the need; it is not also the rung refinance)
 * does not count, a motivation said in a need's words ("a holiday" is not
 * also enjoyment) does not count, and of two links of the chain said in the
 * same words only the deeper is kept ("own rooms" is the rung comfort, not
 * also space).
 *
 * Everything per note lives in the scratch (FwNoteScratch) and the result,
 * both reused: a note allocates nothing once they have seen one as long.
 */
#include "config.h"

#include <stddef.h>
#include <string.h>

#include "fw-private.h"

#define UNMATCHED_MAX 3       /* phrases per note */
#define UNMATCHED_WORDS 8     /* words per phrase */
#define UNMATCHED_MIN_WORDS 2 /* a clause of one word says too little */
#define STOP_WORDS_TO_SWITCH 1
#define PRICE_CLAUSES_AT_END 2
#define MIN_OWN_TO_INFER 2    /* one rung alone ("emailed") is too weak to name a need */
#define INFER_MARGIN 1.1      /* a ruleset must match this much better than the next */

typedef struct {
  GArray *chain;        /* FwChainLink */
  GString *arena;       /* evidence texts and phrases, each NUL-terminated */
  GArray *offsets;      /* guint: arena offset of each link's text, then each phrase's */
  GPtrArray *unmatched; /* const char *, NULL-terminated */
  gsize need_offset;
} NotePriv;

static const char *const flag_names[FW_NOTE_N_FLAGS] = {
  "no-discovery",
  "stopped-at-price",
  "several-needs",
  "motivation-without-path",
};

const char *
fw_note_flag_to_string (FwNoteFlags flag)
{
  for (guint i = 0; i < FW_NOTE_N_FLAGS; i++)
    if (flag == (1u << i))
      return flag_names[i];
  return NULL;
}

FwNoteResult *
fw_note_result_new (void)
{
  FwNoteResult *result = g_new0 (FwNoteResult, 1);
  NotePriv *priv = g_new0 (NotePriv, 1);
  priv->chain = g_array_sized_new (FALSE, TRUE, sizeof (FwChainLink), 8);
  priv->arena = g_string_sized_new (256);
  priv->offsets = g_array_sized_new (FALSE, FALSE, sizeof (guint), 16);
  priv->unmatched = g_ptr_array_sized_new (UNMATCHED_MAX + 1);
  g_ptr_array_add (priv->unmatched, NULL);
  result->priv = priv;
  result->unmatched = (const char *const *) priv->unmatched->pdata;
  return result;
}

void
fw_note_result_free (FwNoteResult *result)
{
  if (result == NULL)
    return;
  NotePriv *priv = result->priv;
  g_array_unref (priv->chain);
  g_string_free (priv->arena, TRUE);
  g_array_unref (priv->offsets);
  g_ptr_array_unref (priv->unmatched);
  g_free (priv);
  g_free (result);
}

static void
result_clear (FwNoteResult *result)
{
  NotePriv *priv = result->priv;
  g_array_set_size (priv->chain, 0);
  g_string_truncate (priv->arena, 0);
  g_array_set_size (priv->offsets, 0);
  g_ptr_array_set_size (priv->unmatched, 0);
  g_ptr_array_add (priv->unmatched, NULL);
  memset (result, 0, offsetof (FwNoteResult, priv));
  result->chain = (const FwChainLink *) priv->chain->data;
  result->unmatched = (const char *const *) priv->unmatched->pdata;
}

/* ---- hits --------------------------------------------------------------- */

static inline gboolean
spans_overlap (gsize a_start, gsize a_end, gsize b_start, gsize b_end)
{
  return a_start < b_end && b_start < a_end;
}

static inline gboolean
hits_overlap (const FwHit *a, const FwHit *b)
{
  return spans_overlap (a->start, a->end, b->start, b->end);
}

/* Higher score first, then earlier in the note, then the earlier pattern:
 * a total order, so results do not depend on candidate order. */
static gboolean
hit_better (const FwHit *a, const FwHit *b)
{
  if (a->score > b->score + 1e-9)
    return TRUE;
  if (a->score < b->score - 1e-9)
    return FALSE;
  if (a->start != b->start)
    return a->start < b->start;
  return a->pattern->index < b->pattern->index;
}

/* Keeps, per rung or motivation, its best hit and the best hit elsewhere in
 * the note (not overlapping the best): when one phrase is claimed by two
 * rungs of a path, the other can still count with its other mention. */
static void
keep_hits (guint32 generation, guint32 *mark, FwHit *best, guint32 *alt_mark, FwHit *alt, const FwHit *hit)
{
  if (*mark != generation)
    {
      *mark = generation;
      *best = *hit;
      *alt_mark = generation - 1;
      return;
    }
  if (hit_better (hit, best))
    {
      FwHit old = *best;
      *best = *hit;
      gboolean alt_live = *alt_mark == generation && !hits_overlap (alt, hit);
      if (!hits_overlap (&old, hit) && (!alt_live || hit_better (&old, alt)))
        {
          *alt = old;
          *alt_mark = generation;
        }
      else if (!alt_live)
        *alt_mark = generation - 1;
    }
  else if (!hits_overlap (hit, best) && (*alt_mark != generation || hit_better (hit, alt)))
    {
      *alt = *hit;
      *alt_mark = generation;
    }
}

static void
touch (FwNoteScratch *ns, FwRuleset *ruleset)
{
  for (guint i = 0; i < ns->touched->len; i++)
    if (g_array_index (ns->touched, guint, i) == ruleset->index)
      return;
  g_array_append_val (ns->touched, ruleset->index);
}

static void
record_hit (FwNoteScratch *ns, const FwHit *hit)
{
  FwPattern *pattern = hit->pattern;
  guint32 g = ns->generation;
  switch (pattern->owner_kind)
    {
    case FW_OWNER_NEED:
      {
        FwRuleset *ruleset = pattern->owner;
        guint r = ruleset->index;
        if (ns->need_mark[r] != g)
          ns->need_first[r] = hit->start;
        else
          ns->need_first[r] = MIN (ns->need_first[r], hit->start);
        if (ns->need_mark[r] != g || hit_better (hit, &ns->need_hit[r]))
          {
            ns->need_mark[r] = g;
            ns->need_hit[r] = *hit;
          }
        gsize span[2] = { hit->start, hit->end };
        g_array_append_vals (ns->need_spans, span, 2);
        touch (ns, ruleset);
      }
      break;
    case FW_OWNER_RUNG:
      {
        FwRung *rung = pattern->owner;
        guint i = rung->index;
        keep_hits (g, &ns->rung_mark[i], &ns->rung_hit[i], &ns->rung_alt_mark[i], &ns->rung_alt[i], hit);
        ns->evidenced_rungs |= G_GUINT64_CONSTANT (1) << (i % 64);
        touch (ns, rung->ruleset);
      }
      break;
    case FW_OWNER_MOTIVATION:
      {
        FwMotivation *m = pattern->owner;
        guint i = m->index;
        keep_hits (g, &ns->motivation_mark[i], &ns->motivation_hit[i], &ns->motivation_alt_mark[i],
                   &ns->motivation_alt[i], hit);
        ns->evidenced_motivations |= G_GUINT64_CONSTANT (1) << (i % 64);
      }
      break;
    case FW_OWNER_NONANSWER:
      break;
    }
}

/* Marks the clauses of the main doc that the original bytes [start, end)
 * cover: those clauses matched something. */
static void
cover_span (FwNoteScratch *ns, FwDoc *doc, gsize start, gsize end)
{
  const FwToken *tokens = (const FwToken *) doc->tokens->data;
  guint n = doc->tokens->len;
  guint lo = 0, hi = n;
  while (lo < hi)
    {
      guint mid = lo + (hi - lo) / 2;
      if (tokens[mid].end <= start)
        lo = mid + 1;
      else
        hi = mid;
    }
  for (guint i = lo; i < n && tokens[i].start < end; i++)
    if (tokens[i].clause < ns->covered->len)
      ns->covered->data[tokens[i].clause] = 1;
}

static gboolean
run_one (FwScratch *scratch, FwNoteScratch *ns, FwPattern *pattern, FwDoc *doc, FwDoc *main_doc, const char *text,
         gsize len)
{
  FwHit hit;
  /* A pattern that gives up on this note (match limit) is skipped. */
  if (!fw_pattern_run (scratch, pattern, doc, text, len, &hit, NULL))
    return FALSE;
  record_hit (ns, &hit);
  cover_span (ns, main_doc, hit.start, hit.end);
  return TRUE;
}

/* Runs the candidates of one scan over @doc and keeps the best hits: the
 * needs first, because once a need is stated the rungs of the other
 * rulesets cannot change the chain (only stated needs are then walked), so
 * their patterns need not run at all. Returns whether a need is stated. */
static gboolean
run_candidates (FwScratch *scratch, FwNoteScratch *ns, const FwIndexScan *scan, FwDoc *doc, FwDoc *main_doc,
                const char *text, gsize len, gboolean stated)
{
  GPtrArray *patterns = scratch->library->patterns;
  for (guint c = 0; c < scan->n_candidates; c++)
    {
      FwPattern *pattern = g_ptr_array_index (patterns, scan->candidates[c]);
      if (pattern->owner_kind == FW_OWNER_NEED && run_one (scratch, ns, pattern, doc, main_doc, text, len))
        stated = TRUE;
    }
  for (guint c = 0; c < scan->n_candidates; c++)
    {
      FwPattern *pattern = g_ptr_array_index (patterns, scan->candidates[c]);
      if (pattern->owner_kind == FW_OWNER_NEED)
        continue;
      if (stated && pattern->owner_kind == FW_OWNER_RUNG
          && ns->need_mark[((FwRung *) pattern->owner)->ruleset->index] != ns->generation)
        continue;
      run_one (scratch, ns, pattern, doc, main_doc, text, len);
    }
  return stated;
}

/* Whether @hit lies on a need stated in the note (of any ruleset): "a
 * holiday" states the need holiday; it is not also the motivation
 * enjoyment, whose patterns name holidays. */
static gboolean
on_a_need (FwNoteScratch *ns, const FwHit *hit)
{
  const gsize *spans = (const gsize *) ns->need_spans->data;
  for (guint i = 0; i + 1 < ns->need_spans->len; i += 2)
    if (spans_overlap (hit->start, hit->end, spans[i], spans[i + 1]))
      return TRUE;
  return FALSE;
}

/* The best hit of motivation @m that is not a need, and does not overlap
 * [avoid_start, avoid_end) (pass 0, 0 for none); NULL when none. */
static const FwHit *
motivation_evidence (FwNoteScratch *ns, guint m, gsize avoid_start, gsize avoid_end)
{
  const FwHit *choices[2] = {
    ns->motivation_mark[m] == ns->generation ? &ns->motivation_hit[m] : NULL,
    ns->motivation_alt_mark[m] == ns->generation ? &ns->motivation_alt[m] : NULL,
  };
  for (guint i = 0; i < 2; i++)
    if (choices[i] != NULL && !on_a_need (ns, choices[i])
        && !spans_overlap (choices[i]->start, choices[i]->end, avoid_start, avoid_end))
      return choices[i];
  return NULL;
}

/* ---- paths ------------------------------------------------------------------ */

typedef struct {
  FwNoteScratch *ns;
  gboolean has_need_span; /* the ruleset's need was stated: its words are not rungs */
  gsize need_start, need_end;
  gboolean can_complete;  /* a motivation is evidenced: it will end any path that ends short of one */
} Walk;

/* The hit that evidences @rung on a path, avoiding [avoid_start,
 * avoid_end) (the evidence of the rung below it; 0, 0 for none), or NULL. */
static const FwHit *
rung_evidence (const Walk *walk, FwRung *rung, gsize avoid_start, gsize avoid_end)
{
  FwNoteScratch *ns = walk->ns;
  if (rung->is_layer)
    return motivation_evidence (ns, rung->motivation->index, avoid_start, avoid_end);
  guint i = rung->index;
  const FwHit *choices[2] = {
    ns->rung_mark[i] == ns->generation ? &ns->rung_hit[i] : NULL,
    ns->rung_alt_mark[i] == ns->generation ? &ns->rung_alt[i] : NULL,
  };
  for (guint c = 0; c < 2; c++)
    {
      const FwHit *hit = choices[c];
      if (hit == NULL)
        continue;
      if (walk->has_need_span && spans_overlap (hit->start, hit->end, walk->need_start, walk->need_end))
        continue;
      if (spans_overlap (hit->start, hit->end, avoid_start, avoid_end))
        continue;
      return hit;
    }
  return NULL;
}

/* More evidenced rungs; then the deeper end in the means-end chain (a
 * motivation beats a benefit); then the better evidence; then further
 * down the tree. When a motivation is evidenced in the note it will end
 * a path that ends short of one, so such a path counts one rung more and
 * ends at a motivation: "need the money ... peace of mind" is money then
 * security, not security alone. */
static gboolean
path_better (const Walk *walk, const FwPathMemo *a, const FwPathMemo *b)
{
  gboolean complete_a = walk->can_complete && a->evidenced > 0 && a->last_level != FW_LEVEL_MOTIVATION;
  gboolean complete_b = walk->can_complete && b->evidenced > 0 && b->last_level != FW_LEVEL_MOTIVATION;
  int ea = a->evidenced + complete_a, eb = b->evidenced + complete_b;
  if (ea != eb)
    return ea > eb;
  FwLevel la = complete_a ? FW_LEVEL_MOTIVATION : a->last_level;
  FwLevel lb = complete_b ? FW_LEVEL_MOTIVATION : b->last_level;
  if (ea > 0 && la != lb)
    return la > lb;
  if (a->score > b->score + 1e-9 || a->score < b->score - 1e-9)
    return a->score > b->score;
  return a->reach > b->reach;
}

/* Extends the path below @child upwards through @rung into @out. */
static void
extend (const Walk *walk, FwRung *rung, const FwPathMemo *below, FwRung *child, FwPathMemo *out)
{
  out->next = child;
  out->reach = below->reach + 1;
  out->last_level = below->last_level;
  /* The same phrase as the rung below counts for the deeper rung only. */
  const FwHit *hit = rung != NULL ? rung_evidence (walk, rung, below->first_start, below->first_end) : NULL;
  out->evidence = hit;
  if (hit != NULL)
    {
      out->evidenced = below->evidenced + 1;
      out->score = hit->score + below->score;
      out->first_start = hit->start;
      out->first_end = hit->end;
    }
  else
    {
      out->evidenced = below->evidenced;
      out->score = below->score;
      out->first_start = below->first_start;
      out->first_end = below->first_end;
    }
}

/* The best path from @rung down, memoized per note: the DAG is walked once
 * per ruleset with evidence. A motivation ends the ladder, as in `ask`. */
static const FwPathMemo *
path_below (const Walk *walk, FwRung *rung)
{
  FwNoteScratch *ns = walk->ns;
  FwPathMemo *memo = &ns->memo[rung->index];
  if (ns->memo_mark[rung->index] == ns->generation)
    return memo;
  /* Mark first: a cycle (refused when compiling) would read "nothing". */
  ns->memo_mark[rung->index] = ns->generation;
  memset (memo, 0, sizeof *memo);
  memo->reach = -1;
  /* Nothing at or below here has a hit in this note: no path. */
  if ((rung->below_rungs & ns->evidenced_rungs) == 0 && (rung->below_motivations & ns->evidenced_motivations) == 0)
    return memo;
  FwPathMemo best = { 0 };
  best.reach = -1;
  const FwHit *hit = rung_evidence (walk, rung, 0, 0);
  if (hit != NULL)
    {
      best.evidenced = 1;
      best.reach = 0;
      best.last_level = rung->level;
      best.score = hit->score;
      best.evidence = hit;
      best.first_start = hit->start;
      best.first_end = hit->end;
    }
  if (rung->level != FW_LEVEL_MOTIVATION)
    for (guint c = 0; c < rung->children->len; c++)
      {
        FwRung *child = g_ptr_array_index (rung->children, c);
        const FwPathMemo *below = path_below (walk, child);
        if (below->evidenced == 0)
          continue;
        FwPathMemo candidate;
        extend (walk, rung, below, child, &candidate);
        if (path_better (walk, &candidate, &best))
          best = candidate;
      }
  *memo = best;
  return memo;
}

typedef struct {
  FwRuleset *ruleset;
  Walk walk;
  FwPathMemo root;   /* as if the need were a rung with no evidence */
  guint own;         /* evidenced rungs of the ruleset above the motivation level on the path */
  const FwHit *need; /* the need's hit, or NULL */
  gsize need_first;  /* where the need is first stated (when need is set) */
} RulesetPath;

static void
best_path (FwNoteScratch *ns, FwRuleset *ruleset, gboolean can_complete, RulesetPath *out)
{
  out->ruleset = ruleset;
  out->walk.can_complete = can_complete;
  out->need = ns->need_mark[ruleset->index] == ns->generation ? &ns->need_hit[ruleset->index] : NULL;
  out->need_first = out->need != NULL ? ns->need_first[ruleset->index] : 0;
  out->walk.ns = ns;
  out->walk.has_need_span = out->need != NULL;
  out->walk.need_start = out->need != NULL ? out->need->start : 0;
  out->walk.need_end = out->need != NULL ? out->need->end : 0;
  memset (&out->root, 0, sizeof out->root);
  out->root.reach = -1;
  for (guint c = 0; c < ruleset->rungs->len; c++)
    {
      FwRung *child = g_ptr_array_index (ruleset->rungs, c);
      const FwPathMemo *below = path_below (&out->walk, child);
      if (below->evidenced == 0)
        continue;
      FwPathMemo candidate;
      extend (&out->walk, NULL, below, child, &candidate);
      if (path_better (&out->walk, &candidate, &out->root))
        out->root = candidate;
    }
  /* What tells the product: the ruleset's own rungs above the motivation
   * level on the path. Motivations (its own "loves the family" rung too)
   * say who the customer is, not what they are buying; rungs scattered over
   * several branches are mostly generic words of many rulesets. */
  out->own = 0;
  for (FwRung *r = out->root.next; r != NULL; r = ns->memo[r->index].next)
    if (ns->memo[r->index].evidence != NULL && !r->is_layer && r->level != FW_LEVEL_MOTIVATION)
      out->own++;
}

/* Stated needs: the need stated first (sellers write the main need first:
 * "life insurance quote ... mortgage 600k"), unless another has a path
 * clearly better evidenced; then the better path; then the better need
 * match. */
#define STATED_MARGIN 2
static gboolean
stated_better (const RulesetPath *a, const RulesetPath *b)
{
  if (a->root.evidenced >= b->root.evidenced + STATED_MARGIN)
    return TRUE;
  if (b->root.evidenced >= a->root.evidenced + STATED_MARGIN)
    return FALSE;
  if (a->need_first != b->need_first)
    return a->need_first < b->need_first;
  if (a->root.evidenced != b->root.evidenced)
    return a->root.evidenced > b->root.evidenced;
  if (a->need->start != b->need->start)
    return a->need->start < b->need->start;
  return hit_better (a->need, b->need);
}

/* Inferred needs: only the ruleset's own rungs tell, then how strongly
 * they match; two rulesets that explain the note about as well are a tie
 * ("need to borrow": a home loan or a car loan?). */
static int
inferred_compare (const RulesetPath *a, const RulesetPath *b)
{
  if (a->own != b->own)
    return a->own > b->own ? 1 : -1;
  if (a->root.score > b->root.score * INFER_MARGIN)
    return 1;
  if (b->root.score > a->root.score * INFER_MARGIN)
    return -1;
  return 0;
}

/* ---- the result ------------------------------------------------------------ */

static void
reset_chain (NotePriv *priv)
{
  g_array_set_size (priv->chain, 0);
  g_array_set_size (priv->offsets, 0);
  g_string_truncate (priv->arena, 0);
}

static void
add_link (NotePriv *priv, FwRung *rung, const FwHit *hit, const char *text)
{
  FwChainLink link = { 0 };
  link.rung = rung;
  link.level = rung->level;
  link.evidence.start = hit->start;
  link.evidence.end = hit->end;
  g_array_append_val (priv->chain, link);
  guint offset = priv->arena->len;
  g_array_append_val (priv->offsets, offset);
  g_string_append_len (priv->arena, text + hit->start, hit->end - hit->start);
  g_string_append_c (priv->arena, '\0');
}

/* Ends the chain at motivation layer rung @layer, evidenced by @hit; said
 * in the same words as the last link, it takes that link's place. */
static void
end_chain (NotePriv *priv, FwRung *layer, const FwHit *hit, const char *text)
{
  if (priv->chain->len > 0)
    {
      const FwChainLink *tail = &g_array_index (priv->chain, FwChainLink, priv->chain->len - 1);
      if (spans_overlap (hit->start, hit->end, tail->evidence.start, tail->evidence.end))
        {
          g_array_set_size (priv->chain, priv->chain->len - 1);
          g_array_set_size (priv->offsets, priv->offsets->len - 1);
        }
    }
  add_link (priv, layer, hit, text);
}

/* Ends the chain of @need at a terminal motivation evidenced in the note
 * (not in the need's words @need_hit, nor in a link's), the best said when
 * there are several. */
static void
add_terminal (FwLibrary *library, FwNoteScratch *ns, NotePriv *priv, FwRuleset *need, const FwHit *need_hit,
              const char *text)
{
  const FwHit *best = NULL;
  FwMotivation *best_m = NULL;
  for (guint m = 0; m < library->motivations->len; m++)
    {
      FwMotivation *motivation = g_ptr_array_index (library->motivations, m);
      if (!motivation->terminal || g_ptr_array_index (need->layer, m) == NULL)
        continue;
      const FwHit *hit = motivation_evidence (ns, m, 0, 0);
      if (hit == NULL || (need_hit != NULL && hits_overlap (hit, need_hit)))
        continue;
      /* Said in the words of a link above the last: not also the end. */
      gboolean said = FALSE;
      for (guint k = 0; k + 1 < priv->chain->len && !said; k++)
        {
          const FwChainLink *link = &g_array_index (priv->chain, FwChainLink, k);
          said = spans_overlap (hit->start, hit->end, link->evidence.start, link->evidence.end);
        }
      if (!said && (best == NULL || hit_better (hit, best)))
        {
          best = hit;
          best_m = motivation;
        }
    }
  if (best != NULL)
    end_chain (priv, g_ptr_array_index (need->layer, best_m->index), best, text); /* "keep the kids safe" */
}


/* Appends @len bytes of @word case-folded; invalid UTF-8 is dropped. */
static void
append_folded (GString *out, const char *word, gsize len)
{
  const char *p = word, *end = word + len;
  while (p < end)
    {
      guchar c = (guchar) *p;
      if (c < 0x80)
        {
          g_string_append_c (out, g_ascii_tolower (c));
          p++;
          continue;
        }
      gunichar u = g_utf8_get_char_validated (p, end - p);
      if (u == (gunichar) -1 || u == (gunichar) -2)
        {
          p++;
          continue;
        }
      g_string_append_unichar (out, g_unichar_tolower (u));
      p = g_utf8_next_char (p);
    }
}

/* Up to UNMATCHED_MAX clauses of @doc that no hit covered. */
static void
collect_unmatched (FwNoteScratch *ns, NotePriv *priv, FwDoc *doc, const char *text)
{
  const FwToken *tokens = (const FwToken *) doc->tokens->data;
  guint n = doc->tokens->len;
  guint phrases = 0;
  for (guint i = 0; i < n && phrases < UNMATCHED_MAX;)
    {
      guint clause = tokens[i].clause;
      guint end = i;
      guint words = 0;
      while (end < n && tokens[end].clause == clause)
        {
          if (tokens[end].kind == FW_TOKEN_WORD
              && (end == i || tokens[end].start != tokens[end - 1].start))
            words++;
          end++;
        }
      if (words >= UNMATCHED_MIN_WORDS && clause < ns->covered->len && !ns->covered->data[clause])
        {
          guint offset = priv->arena->len;
          g_array_append_val (priv->offsets, offset);
          guint taken = 0;
          gsize last_start = G_MAXSIZE;
          for (guint t = i; t < end && taken < UNMATCHED_WORDS; t++)
            {
              if (tokens[t].kind != FW_TOKEN_WORD || tokens[t].start == last_start)
                continue;
              last_start = tokens[t].start;
              if (taken > 0)
                g_string_append_c (priv->arena, ' ');
              append_folded (priv->arena, text + tokens[t].start, tokens[t].end - tokens[t].start);
              taken++;
            }
          g_string_append_c (priv->arena, '\0');
          phrases++;
        }
      i = end;
    }
  /* Pointers last: the arena may have moved while it grew. */
  guint first = priv->chain->len;
  g_ptr_array_set_size (priv->unmatched, 0);
  for (guint p = 0; p < phrases; p++)
    g_ptr_array_add (priv->unmatched, priv->arena->str + g_array_index (priv->offsets, guint, first + p));
  g_ptr_array_add (priv->unmatched, NULL);
}

static void
next_generation (FwNoteScratch *ns, FwLibrary *library)
{
  if (++ns->generation != 0)
    return;
  /* Wrapped after 2^32 notes: forget every mark once. */
  memset (ns->pattern_mark, 0, sizeof (guint32) * MAX (library->patterns->len, 1u));
  for (guint i = 0; ns->word_mark[i] != NULL; i++)
    memset (ns->word_mark[i], 0,
            sizeof (guint32) * MAX (((FwWordIndex *) g_ptr_array_index (library->indexes, i))->n_words, 1u));
  guint n_rungs = MAX (library->n_all_rungs, 1u);
  memset (ns->rung_mark, 0, sizeof (guint32) * n_rungs);
  memset (ns->memo_mark, 0, sizeof (guint32) * n_rungs);
  memset (ns->need_mark, 0, sizeof (guint32) * MAX (library->rulesets->len, 1u));
  memset (ns->motivation_mark, 0, sizeof (guint32) * MAX (library->motivations->len, 1u));
  ns->generation = 1;
}

gboolean
fw_note_analyze (FwScratch *scratch, const char *text, gsize len, FwNoteResult *result, GError **error)
{
  g_return_val_if_fail (scratch != NULL && scratch->library->compiled, FALSE);
  g_return_val_if_fail (text != NULL || len == 0, FALSE);
  g_return_val_if_fail (result != NULL && result->priv != NULL, FALSE);
  FwLibrary *library = scratch->library;
  NotePriv *priv = result->priv;
  result_clear (result);
  if (len > FW_NOTE_MAX_BYTES)
    {
      g_set_error (error, FW_ERROR, FW_ERROR_LIMIT, "note of %" G_GSIZE_FORMAT " bytes is longer than the limit of %d",
                   len, FW_NOTE_MAX_BYTES);
      return FALSE;
    }
  if (text == NULL)
    text = "";
  if (library->indexes == NULL || library->indexes->len == 0)
    return TRUE;

  FwNoteScratch *ns = fw_note_scratch_get (scratch);
  next_generation (ns, library);
  ns->evidenced_rungs = 0;
  ns->evidenced_motivations = 0;
  g_array_set_size (ns->touched, 0);
  g_array_set_size (ns->need_spans, 0);

  /* The main language always; another only when the note holds its stop
   * words (checked on the main doc's tokens, at no extra pass). */
  FwWordIndex *main_index = g_ptr_array_index (library->indexes, 0);
  FwDoc *main_doc = fw_scratch_prepare (scratch, main_index->lang, text, len);
  g_byte_array_set_size (ns->covered, main_doc->n_clauses + 1);
  memset (ns->covered->data, 0, ns->covered->len);
  FwIndexScan scan;
  fw_index_scan (scratch, main_index, main_doc, &scan);
  guint stop_hits[FW_INDEX_MAX_DETECTED + 1];
  memcpy (stop_hits, scan.stop_hits, sizeof stop_hits);
  gint last_price = scan.last_price;
  gboolean any_stated = run_candidates (scratch, ns, &scan, main_doc, main_doc, text, len, FALSE);
  for (guint l = 1; l < library->indexes->len; l++)
    {
      FwWordIndex *index = g_ptr_array_index (library->indexes, l);
      if (index->detected && stop_hits[index->slot] < STOP_WORDS_TO_SWITCH)
        continue;
      FwDoc *doc = fw_scratch_prepare (scratch, index->lang, text, len);
      fw_index_scan (scratch, index, doc, &scan);
      any_stated = run_candidates (scratch, ns, &scan, doc, main_doc, text, len, any_stated);
    }

  /* The best motivation evidenced anywhere (not in need words). */
  const FwHit *motivation_hit = NULL;
  FwMotivation *motivation_best = NULL;
  for (guint m = 0; m < library->motivations->len; m++)
    {
      const FwHit *hit = motivation_evidence (ns, m, 0, 0);
      if (hit != NULL && (motivation_hit == NULL || hit_better (hit, motivation_hit)))
        {
          motivation_hit = hit;
          motivation_best = g_ptr_array_index (library->motivations, m);
        }
    }

  /* The need: stated, else inferred from the rungs of one ruleset. */
  RulesetPath best = { 0 }, path;
  gboolean have = FALSE, tie = FALSE;
  guint n_stated = 0;
  for (guint i = 0; i < ns->touched->len; i++)
    if (ns->need_mark[g_array_index (ns->touched, guint, i)] == ns->generation)
      n_stated++;
  for (guint i = 0; i < ns->touched->len; i++)
    {
      FwRuleset *ruleset = g_ptr_array_index (library->rulesets, g_array_index (ns->touched, guint, i));
      gboolean this_stated = ns->need_mark[ruleset->index] == ns->generation;
      if (n_stated > 0 && !this_stated)
        continue;
      best_path (ns, ruleset, motivation_hit != NULL, &path);
      if (n_stated > 0)
        {
          if (!have || stated_better (&path, &best)
              || (!stated_better (&best, &path) && ruleset->index < best.ruleset->index))
            best = path;
          have = TRUE;
          continue;
        }
      if (path.own < MIN_OWN_TO_INFER)
        continue;
      int c = have ? inferred_compare (&path, &best) : 1;
      if (c > 0)
        {
          best = path;
          tie = FALSE;
        }
      else if (c == 0)
        tie = TRUE;
      have = TRUE;
    }
  if (tie)
    have = FALSE; /* two rulesets explain the note equally: no need */

  FwRuleset *need = have ? best.ruleset : NULL;
  if (need != NULL)
    {
      for (FwRung *r = best.root.next; r != NULL; r = ns->memo[r->index].next)
        if (ns->memo[r->index].evidence != NULL)
          {
            /* One phrase, one rung: a deeper link said in the words of an
             * earlier one takes its place. */
            const FwHit *hit = ns->memo[r->index].evidence;
            for (guint k = 0; k < priv->chain->len;)
              {
                const FwChainLink *link = &g_array_index (priv->chain, FwChainLink, k);
                if (spans_overlap (hit->start, hit->end, link->evidence.start, link->evidence.end))
                  {
                    g_array_remove_index (priv->chain, k);
                    g_array_remove_index (priv->offsets, k);
                  }
                else
                  k++;
              }
            add_link (priv, r, hit, text);
          }
      FwChainLink *tail = priv->chain->len > 0 ? &g_array_index (priv->chain, FwChainLink, priv->chain->len - 1) : NULL;
      FwRung *layer = motivation_best != NULL ? g_ptr_array_index (need->layer, motivation_best->index) : NULL;
      if (tail != NULL && tail->level == FW_LEVEL_MOTIVATION && priv->chain->len == 1 && layer != NULL
          && tail->rung->motivation != motivation_best
          && hit_better (motivation_hit, ns->memo[tail->rung->index].evidence))
        {
          /* A motivation alone, with no rung above: the one said best. */
          reset_chain (priv);
          tail = NULL;
        }
      if ((tail == NULL || tail->level != FW_LEVEL_MOTIVATION) && motivation_hit != NULL
          && !(best.need != NULL && hits_overlap (motivation_hit, best.need)))
        {
          /* A motivation completes the path. */
          end_chain (priv, layer, motivation_hit, text);
        }
      /* A terminal motivation (family) named in the note beside the one
       * the chain ends at is the end below it: "stability for the kids" is
       * security, then the kids. */
      tail = priv->chain->len > 0 ? &g_array_index (priv->chain, FwChainLink, priv->chain->len - 1) : NULL;
      if (tail != NULL && tail->level == FW_LEVEL_MOTIVATION && !tail->rung->motivation->terminal)
        add_terminal (library, ns, priv, need, best.need, text);
      if (best.need != NULL)
        {
          priv->need_offset = priv->arena->len;
          g_string_append_len (priv->arena, text + best.need->start, best.need->end - best.need->start);
          g_string_append_c (priv->arena, '\0');
          result->need_evidence.start = best.need->start;
          result->need_evidence.end = best.need->end;
        }
    }

  result->need = need;
  result->need_inferred = need != NULL && best.need == NULL;
  result->n_chain = priv->chain->len;
  result->depth = priv->chain->len;
  const FwChainLink *tail = priv->chain->len > 0 ? &g_array_index (priv->chain, FwChainLink, priv->chain->len - 1) : NULL;
  if (tail != NULL && tail->level == FW_LEVEL_MOTIVATION)
    result->motivation = tail->rung->motivation;
  else if (need == NULL && motivation_best != NULL)
    result->motivation = motivation_best;

  /* Flags. */
  if (n_stated >= 2)
    result->flags |= FW_NOTE_SEVERAL_NEEDS;
  if (need != NULL && priv->chain->len == 0)
    result->flags |= FW_NOTE_NO_DISCOVERY;
  if (result->motivation != NULL && priv->chain->len <= 1)
    result->flags |= FW_NOTE_MOTIVATION_WITHOUT_PATH;
  if (need != NULL && result->motivation == NULL)
    {
      gboolean price = tail != NULL && tail->rung->cost;
      if (!price && last_price >= 0)
        {
          const FwToken *t = &g_array_index (main_doc->tokens, FwToken, last_price);
          /* Price words in the last clauses, at or after the deepest
           * evidence ("... waiting on their budget"). */
          price = t->clause + PRICE_CLAUSES_AT_END >= main_doc->n_clauses
                  && (tail == NULL || t->start >= tail->evidence.start);
        }
      if (price)
        result->flags |= FW_NOTE_STOPPED_AT_PRICE;
    }

  if (priv->chain->len < 2)
    collect_unmatched (ns, priv, main_doc, text);

  /* Pointers last: the arena may have moved while it grew. */
  for (guint i = 0; i < priv->chain->len; i++)
    g_array_index (priv->chain, FwChainLink, i).evidence.text
        = priv->arena->str + g_array_index (priv->offsets, guint, i);
  if (result->need != NULL && best.need != NULL)
    result->need_evidence.text = priv->arena->str + priv->need_offset;
  result->chain = (const FwChainLink *) priv->chain->data;
  result->unmatched = (const char *const *) priv->unmatched->pdata;
  result->n_unmatched = priv->unmatched->len - 1;
  return TRUE;
}
