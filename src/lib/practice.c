/* practice.c: a practice call: the engine plays a persona, the trainee
 * asks, and the scorecard says how it went.
 *
 * The customer has a warmth, a small integer that starts at the persona's
 * start value. Every question is classified (questions.c) and its class
 * moves the warmth by the class's warmth="..." in questions.xml (pitches and
 * leading questions cool, empathy and summaries warm; an empathy or summary
 * that comes with an open probe or a closed question warms too). Then:
 *
 *  - an open probe reveals the next rung of the hidden ladder, in one of
 *    the customer's phrasings, when warmth >= reveal, and two rungs when
 *    warmth >= open-up; below reveal the customer holds back;
 *  - a closed question gets a short answer that reveals nothing;
 *  - a leading question gets a guarded reply;
 *  - a pitch gets a cooler reply, and ends the call at the persona's
 *    pitches-th pitch;
 *  - whatever the class, warmth at or below leave ends the call, and the
 *    customer runs out of time after the persona's turns questions.
 *
 * The call ends as reached when the motivation (the last rung) is
 * revealed. Every choice between phrasings draws from a GRand seeded by
 * the caller, so the same seed and questions give the same transcript.
 */
#include "config.h"

#include <string.h>

#include <json-glib/json-glib.h>

#include "practice-private.h"

#define MAX_ADVICE 3

typedef struct {
  FwPracticeTurn turn;
  char *question;
  char *reply;
  char *pattern;
  FwRung **revealed; /* NULL-terminated */
} TurnData;

struct _FwPractice {
  FwLibrary *library;
  FwPersona *persona;
  FwQuestions *questions;
  FwScratch *scratch;
  GRand *rand;
  guint64 seed;
  char *opening;
  FwPracticeStatus status;
  int warmth;
  guint depth;                          /* steps of the path revealed */
  guint counts[FW_QUESTION_N_CLASSES];
  guint pitches;
  guint first_pitch;
  guint warming;                        /* turns that warmed the customer */
  guint held[FW_QUESTION_N_CLASSES];    /* questions that held a class, decisive or not */
  guint holds;                          /* probes the customer held back on */
  guint closed_run, closed_run_max;
  int last_reply[FW_REPLY_N];           /* the phrasing used last, per kind */
  GPtrArray *turns;                     /* TurnData* */
  GPtrArray *advice;                    /* char*, NULL-terminated: fw_practice_get_advice */
  GPtrArray *advice_ids;                /* const char*, parallel to advice */
};

static void
turn_data_free (gpointer data)
{
  TurnData *td = data;
  g_free (td->question);
  g_free (td->reply);
  g_free (td->pattern);
  g_free (td->revealed);
  g_free (td);
}

const char *
fw_practice_status_to_string (FwPracticeStatus status)
{
  switch (status)
    {
    case FW_PRACTICE_TALKING: return "talking";
    case FW_PRACTICE_REACHED: return "reached";
    case FW_PRACTICE_LOST: return "lost";
    case FW_PRACTICE_OUT_OF_TIME: return "out-of-time";
    case FW_PRACTICE_ENDED: return "ended";
    }
  return NULL;
}

/* The last resort when neither the persona nor questions.xml says what
 * the customer replies. */
static const char *const builtin_replies[FW_REPLY_N] = {
  [FW_REPLY_CLOSED] = "Maybe.",
  [FW_REPLY_LEADING] = "I wouldn't put it like that.",
  [FW_REPLY_PITCH] = "I'm not really there yet.",
  [FW_REPLY_HANGUP] = "Look, I have to go. I'll call you if I need anything.",
  [FW_REPLY_EMPATHY] = "Thanks. Yes, it is.",
  [FW_REPLY_SUMMARY] = "Yes, that's about right.",
  [FW_REPLY_OFF_TOPIC] = "Sorry, where were we?",
  [FW_REPLY_HOLD] = "I'd rather not get into that just yet.",
  [FW_REPLY_TIMEOUT] = "Sorry, I have to run. Can we pick this up another time?",
};

/* A random index below @n that is not @avoid (when there is a choice). */
static guint
draw (FwPractice *p, guint n, int avoid)
{
  if (n <= 1)
    return 0;
  if (avoid < 0 || (guint) avoid >= n)
    return (guint) g_rand_int_range (p->rand, 0, (gint32) n);
  guint i = (guint) g_rand_int_range (p->rand, 0, (gint32) n - 1);
  return i >= (guint) avoid ? i + 1 : i;
}

/* One of the customer's replies of @kind: the persona's own, else the
 * defaults of questions.xml, else the built-in one. Never the same phrasing
 * twice in a row. Lent. */
static const char *
pick_reply (FwPractice *p, FwReplyKind kind)
{
  GPtrArray *pool = p->persona->replies[kind];
  if (pool->len == 0 && p->questions != NULL)
    pool = p->questions->replies[kind];
  if (pool->len == 0)
    return builtin_replies[kind];
  guint i = draw (p, pool->len, p->last_reply[kind]);
  p->last_reply[kind] = (int) i;
  return g_ptr_array_index (pool, i);
}

FwPractice *
fw_practice_new (FwLibrary *library, FwPersona *persona, guint64 seed)
{
  g_return_val_if_fail (library != NULL && library->compiled, NULL);
  g_return_val_if_fail (persona != NULL && persona->ruleset != NULL, NULL);
  FwPractice *p = g_new0 (FwPractice, 1);
  p->library = library;
  p->persona = persona;
  p->questions = fw_questions_get (library, persona->ruleset->lang, FALSE);
  p->scratch = fw_scratch_new (library);
  guint32 words[2] = { (guint32) (seed & 0xffffffffu), (guint32) (seed >> 32) };
  p->rand = g_rand_new_with_seed_array (words, 2);
  p->seed = seed;
  p->status = FW_PRACTICE_TALKING;
  p->warmth = persona->warmth.start;
  for (guint r = 0; r < FW_REPLY_N; r++)
    p->last_reply[r] = -1;
  p->turns = g_ptr_array_new_with_free_func (turn_data_free);
  p->advice = g_ptr_array_new_with_free_func (g_free);
  p->advice_ids = g_ptr_array_new ();
  guint i = draw (p, persona->openings->len, -1);
  p->opening = g_strdup (persona->openings->len > 0 ? (const char *) g_ptr_array_index (persona->openings, i)
                                                    : persona->ruleset->title);
  return p;
}

void
fw_practice_free (FwPractice *p)
{
  if (p == NULL)
    return;
  fw_scratch_free (p->scratch);
  g_rand_free (p->rand);
  g_free (p->opening);
  g_ptr_array_unref (p->turns);
  g_ptr_array_unref (p->advice);
  g_ptr_array_unref (p->advice_ids);
  g_free (p);
}

static int
class_warmth (FwPractice *p, FwQuestionClass klass)
{
  return p->questions != NULL ? p->questions->classes[klass].warmth : 0;
}

/* How the question moves the customer's warmth: its own class's effect,
 * plus the warming classes (empathy, summary) that came with a question
 * that does not spoil them. Sets *@warmed when anything warmed. */
static int
warmth_delta (FwPractice *p, FwQuestionClass klass, guint also, gboolean *warmed)
{
  int delta = class_warmth (p, klass);
  *warmed = delta > 0;
  if (klass == FW_QUESTION_OPEN_PROBE || klass == FW_QUESTION_CLOSED || klass == FW_QUESTION_SUMMARY
      || klass == FW_QUESTION_EMPATHY)
    {
      const FwQuestionClass warming[] = { FW_QUESTION_EMPATHY, FW_QUESTION_SUMMARY };
      for (guint i = 0; i < G_N_ELEMENTS (warming); i++)
        if ((also & (1u << warming[i])) && class_warmth (p, warming[i]) > 0)
          {
            delta += class_warmth (p, warming[i]);
            *warmed = TRUE;
          }
    }
  return delta;
}

/* Reveals up to @n rungs of the path in the customer's words; returns the
 * reply, newly allocated, and fills @revealed. */
static char *
reveal (FwPractice *p, guint n, GPtrArray *revealed)
{
  GString *reply = g_string_new (NULL);
  for (guint i = 0; i < n && p->depth < p->persona->steps->len; i++)
    {
      FwPersonaStep *step = g_ptr_array_index (p->persona->steps, p->depth);
      FwExample *say = g_ptr_array_index (step->says, draw (p, step->says->len, -1));
      if (reply->len > 0)
        g_string_append_c (reply, ' ');
      g_string_append (reply, say->text);
      g_ptr_array_add (revealed, step->rung);
      p->depth++;
      if (step->rung->level == FW_LEVEL_MOTIVATION)
        {
          p->status = FW_PRACTICE_REACHED;
          break;
        }
    }
  return g_string_free (reply, FALSE);
}

const FwPracticeTurn *
fw_practice_ask (FwPractice *p, const char *question)
{
  g_return_val_if_fail (p != NULL && question != NULL, NULL);
  if (p->status != FW_PRACTICE_TALKING)
    return NULL;
  TurnData *td = g_new0 (TurnData, 1);
  td->question = g_utf8_make_valid (question, -1);
  g_ptr_array_add (p->turns, td);
  FwPracticeTurn *turn = &td->turn;
  turn->number = p->turns->len;
  turn->question = td->question;

  FwClassified classified;
  fw_questions_classify (p->questions, p->scratch, td->question, &classified);
  FwQuestionClass klass = classified.klass;
  turn->klass = klass;
  turn->also = classified.also;
  if (classified.pattern != NULL)
    td->pattern = g_strdup (classified.pattern->source);
  turn->pattern = td->pattern;
  p->counts[klass]++;
  for (guint c = 0; c < FW_QUESTION_N_CLASSES; c++)
    if (c == klass || (classified.also & (1u << c)))
      p->held[c]++;
  p->closed_run = klass == FW_QUESTION_CLOSED ? p->closed_run + 1 : 0;
  p->closed_run_max = MAX (p->closed_run_max, p->closed_run);

  gboolean warmed;
  int delta = warmth_delta (p, klass, classified.also, &warmed);
  p->warming += warmed;
  p->warmth = CLAMP (p->warmth + delta, FW_WARMTH_MIN, FW_WARMTH_MAX);
  const FwWarmth *w = &p->persona->warmth;
  if (klass == FW_QUESTION_PITCH)
    {
      p->pitches++;
      if (p->first_pitch == 0)
        p->first_pitch = turn->number;
    }

  g_autoptr (GPtrArray) revealed = g_ptr_array_new ();
  char *reply = NULL;
  if ((klass == FW_QUESTION_PITCH && p->pitches >= w->pitches) || p->warmth <= w->leave)
    {
      reply = g_strdup (pick_reply (p, FW_REPLY_HANGUP));
      p->status = FW_PRACTICE_LOST;
    }
  else
    switch (klass)
      {
      case FW_QUESTION_OPEN_PROBE:
        if (p->warmth >= w->reveal)
          reply = reveal (p, p->warmth >= w->open_up ? 2 : 1, revealed);
        else
          {
            p->holds++;
            reply = g_strdup (pick_reply (p, FW_REPLY_HOLD));
          }
        break;
      case FW_QUESTION_CLOSED:
        reply = g_strdup (pick_reply (p, FW_REPLY_CLOSED));
        break;
      case FW_QUESTION_LEADING:
        reply = g_strdup (pick_reply (p, FW_REPLY_LEADING));
        break;
      case FW_QUESTION_PITCH:
        reply = g_strdup (pick_reply (p, FW_REPLY_PITCH));
        break;
      case FW_QUESTION_EMPATHY:
        reply = g_strdup (pick_reply (p, FW_REPLY_EMPATHY));
        break;
      case FW_QUESTION_SUMMARY:
        reply = g_strdup (pick_reply (p, FW_REPLY_SUMMARY));
        break;
      case FW_QUESTION_OFF_TOPIC:
        reply = g_strdup (pick_reply (p, FW_REPLY_OFF_TOPIC));
        break;
      }
  if (p->status == FW_PRACTICE_TALKING && turn->number >= w->turns)
    {
      char *longer = g_strconcat (reply, " ", pick_reply (p, FW_REPLY_TIMEOUT), NULL);
      g_free (reply);
      reply = longer;
      p->status = FW_PRACTICE_OUT_OF_TIME;
    }
  td->reply = reply;
  turn->reply = td->reply;
  turn->n_revealed = revealed->len;
  g_ptr_array_add (revealed, NULL);
  td->revealed = (FwRung **) g_ptr_array_steal (revealed, NULL);
  turn->revealed = (FwRung *const *) td->revealed;
  turn->warmth = p->warmth;
  turn->depth = p->depth;
  return turn;
}

void
fw_practice_end (FwPractice *p)
{
  g_return_if_fail (p != NULL);
  if (p->status == FW_PRACTICE_TALKING)
    p->status = FW_PRACTICE_ENDED;
}

FwPersona *fw_practice_get_persona (FwPractice *p) { return p->persona; }
guint64 fw_practice_get_seed (FwPractice *p) { return p->seed; }
const char *fw_practice_get_opening (FwPractice *p) { return p->opening; }
FwPracticeStatus fw_practice_get_status (FwPractice *p) { return p->status; }
guint fw_practice_get_n_turns (FwPractice *p) { return p->turns->len; }
guint fw_practice_get_depth (FwPractice *p) { return p->depth; }
guint fw_practice_get_first_pitch (FwPractice *p) { return p->first_pitch; }
int fw_practice_get_warmth (FwPractice *p) { return p->warmth; }
guint fw_practice_get_warming (FwPractice *p) { return p->warming; }
guint fw_practice_get_holds (FwPractice *p) { return p->holds; }

const FwPracticeTurn *
fw_practice_get_turn (FwPractice *p, guint index)
{
  g_return_val_if_fail (index < p->turns->len, NULL);
  return &((TurnData *) g_ptr_array_index (p->turns, index))->turn;
}

guint
fw_practice_get_count (FwPractice *p, FwQuestionClass klass)
{
  g_return_val_if_fail ((guint) klass < FW_QUESTION_N_CLASSES, 0);
  return p->counts[klass];
}

FwMotivation *
fw_practice_get_motivation (FwPractice *p)
{
  if (p->status != FW_PRACTICE_REACHED || p->depth == 0)
    return NULL;
  FwPersonaStep *last = g_ptr_array_index (p->persona->steps, p->depth - 1);
  return last->rung->motivation;
}

/* ---- advice ------------------------------------------------------------------ */

static int
counter_value (FwPractice *p, guint counter)
{
  guint turns = p->turns->len;
  switch ((FwPracticeCounter) counter)
    {
    case FW_COUNTER_TURNS: return (int) turns;
    case FW_COUNTER_OPEN_PROBE: return (int) p->counts[FW_QUESTION_OPEN_PROBE];
    case FW_COUNTER_CLOSED: return (int) p->counts[FW_QUESTION_CLOSED];
    case FW_COUNTER_LEADING: return (int) p->counts[FW_QUESTION_LEADING];
    case FW_COUNTER_PITCH: return (int) p->counts[FW_QUESTION_PITCH];
    case FW_COUNTER_EMPATHY: return (int) p->held[FW_QUESTION_EMPATHY];
    case FW_COUNTER_SUMMARY: return (int) p->held[FW_QUESTION_SUMMARY];
    case FW_COUNTER_OFF_TOPIC: return (int) p->counts[FW_QUESTION_OFF_TOPIC];
    case FW_COUNTER_WARMING: return (int) p->warming;
    case FW_COUNTER_HOLDS: return (int) p->holds;
    case FW_COUNTER_DEPTH: return (int) p->depth;
    case FW_COUNTER_LADDER: return (int) p->persona->steps->len;
    case FW_COUNTER_LEFT: return (int) (p->persona->steps->len - p->depth);
    case FW_COUNTER_FIRST_PITCH: return (int) p->first_pitch;
    case FW_COUNTER_MOTIVATION: return p->status == FW_PRACTICE_REACHED;
    case FW_COUNTER_LOST: return p->status == FW_PRACTICE_LOST;
    case FW_COUNTER_OUT_OF_TIME: return p->status == FW_PRACTICE_OUT_OF_TIME;
    case FW_COUNTER_WARMTH: return p->warmth;
    case FW_COUNTER_OPEN_SHARE: return turns > 0 ? (int) (p->counts[FW_QUESTION_OPEN_PROBE] * 100 / turns) : 0;
    case FW_COUNTER_CLOSED_RUN: return (int) p->closed_run_max;
    }
  return 0;
}

static gboolean
advice_applies (FwPractice *p, FwAdvice *advice)
{
  for (guint i = 0; i < advice->when->len; i++)
    {
      FwAdviceWhen *when = &g_array_index (advice->when, FwAdviceWhen, i);
      int value = counter_value (p, when->counter);
      if ((when->has_min && value < when->min) || (when->has_max && value > when->max))
        return FALSE;
    }
  return TRUE;
}

/* The advice text with every {counter} replaced by its value, and every
 * {counter|one|many} by the value and the word that agrees with it ("1
 * time", "2 times"). The loader has checked the names. */
static char *
render_advice (FwPractice *p, const char *text)
{
  GString *out = g_string_new (NULL);
  for (const char *s = text; *s;)
    {
      const char *close = *s == '{' ? strchr (s, '}') : NULL;
      g_autofree char *inside = close != NULL ? g_strndup (s + 1, close - s - 1) : NULL;
      g_auto (GStrv) parts = inside != NULL ? g_strsplit (inside, "|", 3) : NULL;
      gboolean done = FALSE;
      for (guint c = 0; parts != NULL && c < FW_COUNTER_N && !done; c++)
        if (strcmp (parts[0], fw_practice_counter_to_string (c)) == 0)
          {
            int value = counter_value (p, c);
            g_string_append_printf (out, "%d", value);
            if (parts[1] != NULL && parts[2] != NULL)
              g_string_append_printf (out, " %s", value == 1 ? parts[1] : parts[2]);
            done = TRUE;
          }
      if (done)
        s = close + 1;
      else
        g_string_append_c (out, *s++);
    }
  return g_string_free (out, FALSE);
}

/* Fills @texts (rendered, owned) and @ids (lent) with the first
 * MAX_ADVICE advice rules that apply, in the order of questions.xml (so
 * the file puts the most pressing first and unconditional ones last). */
static void
choose_advice (FwPractice *p, GPtrArray *texts, GPtrArray *ids)
{
  GPtrArray *rules = p->questions != NULL ? p->questions->advice : NULL;
  for (guint i = 0; rules != NULL && i < rules->len && ids->len < MAX_ADVICE; i++)
    {
      FwAdvice *advice = g_ptr_array_index (rules, i);
      if (advice->text != NULL && advice_applies (p, advice))
        {
          g_ptr_array_add (texts, render_advice (p, advice->text));
          g_ptr_array_add (ids, advice->id);
        }
    }
}

const char *const *
fw_practice_get_advice (FwPractice *p)
{
  g_return_val_if_fail (p != NULL, NULL);
  g_ptr_array_set_size (p->advice, 0);
  g_ptr_array_set_size (p->advice_ids, 0);
  choose_advice (p, p->advice, p->advice_ids);
  g_ptr_array_add (p->advice, NULL);
  return (const char *const *) p->advice->pdata;
}

/* ---- JSON ---------------------------------------------------------------------- */

static void
add_string_or_null (JsonBuilder *b, const char *name, const char *value)
{
  json_builder_set_member_name (b, name);
  if (value != NULL)
    json_builder_add_string_value (b, value);
  else
    json_builder_add_null_value (b);
}

static void
add_int (JsonBuilder *b, const char *name, gint64 value)
{
  json_builder_set_member_name (b, name);
  json_builder_add_int_value (b, value);
}

static void
add_rung (JsonBuilder *b, FwRung *rung)
{
  json_builder_begin_object (b);
  add_string_or_null (b, "rung", rung->id);
  add_string_or_null (b, "level", fw_level_to_string (rung->level));
  add_string_or_null (b, "label", rung->label);
  json_builder_end_object (b);
}

char *
fw_practice_to_json (FwPractice *p)
{
  g_return_val_if_fail (p != NULL, NULL);
  g_autoptr (JsonBuilder) b = json_builder_new ();
  FwPersona *persona = p->persona;
  json_builder_begin_object (b);
  add_string_or_null (b, "persona", persona->id);
  add_string_or_null (b, "name", persona->name);
  add_string_or_null (b, "need", persona->ruleset->id);
  add_string_or_null (b, "temperament", fw_temperament_to_string (persona->temperament));
  add_int (b, "seed", (gint64) p->seed);
  add_string_or_null (b, "opening", p->opening);
  add_string_or_null (b, "status", fw_practice_status_to_string (p->status));

  json_builder_set_member_name (b, "transcript");
  json_builder_begin_array (b);
  for (guint i = 0; i < p->turns->len; i++)
    {
      const FwPracticeTurn *turn = fw_practice_get_turn (p, i);
      json_builder_begin_object (b);
      add_int (b, "turn", turn->number);
      add_string_or_null (b, "question", turn->question);
      add_string_or_null (b, "class", fw_question_class_to_string (turn->klass));
      json_builder_set_member_name (b, "also");
      json_builder_begin_array (b);
      for (guint c = 0; c < FW_QUESTION_N_CLASSES; c++)
        if (turn->also & (1u << c))
          json_builder_add_string_value (b, fw_question_class_to_string (c));
      json_builder_end_array (b);
      add_string_or_null (b, "pattern", turn->pattern);
      add_string_or_null (b, "reply", turn->reply);
      json_builder_set_member_name (b, "revealed");
      json_builder_begin_array (b);
      for (guint r = 0; r < turn->n_revealed; r++)
        add_rung (b, turn->revealed[r]);
      json_builder_end_array (b);
      add_int (b, "warmth", turn->warmth);
      add_int (b, "depth", turn->depth);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);

  json_builder_set_member_name (b, "ladder");
  json_builder_begin_array (b);
  for (guint i = 0; i < persona->steps->len; i++)
    add_rung (b, ((FwPersonaStep *) g_ptr_array_index (persona->steps, i))->rung);
  json_builder_end_array (b);

  json_builder_set_member_name (b, "scorecard");
  json_builder_begin_object (b);
  add_int (b, "depth", p->depth);
  add_int (b, "ladder", persona->steps->len);
  add_int (b, "turns", p->turns->len);
  json_builder_set_member_name (b, "questions");
  json_builder_begin_object (b);
  for (guint c = 0; c < FW_QUESTION_N_CLASSES; c++)
    add_int (b, fw_question_class_to_string (c), p->counts[c]);
  json_builder_end_object (b);
  json_builder_set_member_name (b, "first_pitch");
  if (p->first_pitch > 0)
    json_builder_add_int_value (b, p->first_pitch);
  else
    json_builder_add_null_value (b);
  json_builder_set_member_name (b, "motivation_surfaced");
  json_builder_add_boolean_value (b, p->status == FW_PRACTICE_REACHED);
  FwMotivation *m = fw_practice_get_motivation (p);
  add_string_or_null (b, "motivation", m != NULL ? m->id : NULL);
  add_int (b, "warmth", p->warmth);
  add_int (b, "holds", p->holds);
  add_int (b, "warming", p->warming);
  g_autoptr (GPtrArray) texts = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GPtrArray) ids = g_ptr_array_new ();
  choose_advice (p, texts, ids);
  json_builder_set_member_name (b, "advice");
  json_builder_begin_array (b);
  for (guint i = 0; i < ids->len; i++)
    {
      json_builder_begin_object (b);
      add_string_or_null (b, "id", g_ptr_array_index (ids, i));
      add_string_or_null (b, "text", g_ptr_array_index (texts, i));
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_end_object (b);
  json_builder_end_object (b);

  g_autoptr (JsonNode) root = json_builder_get_root (b);
  g_autoptr (JsonGenerator) gen = json_generator_new ();
  json_generator_set_root (gen, root);
  return json_generator_to_data (gen, NULL);
}
