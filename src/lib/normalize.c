/* normalize.c: one pass from free text to stemmed tokens.
 *
 * The format of the result is described in normalize-private.h. The work
 * per byte is a table lookup; the work per word is a case fold into a
 * reused key buffer, one probe of an open-addressing cache and two copies
 * (stem into the norm, token into the array). Everything expensive
 * (contractions, negation and soft-break lists, Snowball, the vocabulary)
 * happens once per distinct surface form, on a cache miss.
 *
 * The cache is keyed by the ASCII-lowercased word (apostrophes written as
 * "'") for ASCII words, and by the raw bytes of the word for words holding
 * other letters: folding those costs an allocation, so a hit must not need
 * it. The two key spaces cannot collide (one is pure ASCII, the other never
 * is), and each entry's value is a function of its key alone, so "ÜBER" and
 * "über" simply hold two entries with the same stems.
 */
#include "config.h"

#include <string.h>

#include <libstemmer.h>

#include "fivewhys.h"
#include "normalize-private.h"

/* The cache is cleared, not evicted from, when it reaches either bound.
 * A CRM export's working set of words fits in far fewer entries; what
 * fills the cache is ids, amounts and names seen once. Small bounds keep
 * each thread's normalizers at a few megabytes (so analyze's memory stays
 * flat), at the cost of stemming the common words again after a clear,
 * which measures as nothing. */
#define CACHE_MAX_ENTRIES 16384
#define CACHE_MAX_ARENA_BYTES (4u * 1024 * 1024)
#define CACHE_FIRST_SLOTS 1024

/* A word expands to at most this many tokens ("shouldn't've": 3). */
#define MAX_PARTS 4

/* Offsets are 32-bit and the norm can be a few times longer than the text
 * (case folding and contractions expand), so texts are capped well below
 * 4 GiB. Callers are expected to enforce their own, much smaller, limit. */
#define MAX_TEXT_BYTES (G_MAXUINT32 / 8)

/* Keys and stems are read, compared and copied eight bytes at a time, so
 * the key buffer, the arena and the norm keep this much initialized room
 * past their end. */
#define SLACK 8

typedef enum {
  FAMILY_OTHER,
  FAMILY_ENGLISH,
  FAMILY_GERMAN,
  FAMILY_SPANISH,
} Family;

/* What an ASCII byte is, outside a word. */
enum {
  K_SEPARATOR = 0, /* quotes, slashes, currency, NUL, ...: nothing */
  K_LETTER,
  K_DIGIT,
  K_SPACE,
  K_CLAUSE, /* . ! ? ; : ( ) [ ] newline */
  K_COMMA,
  K_HYPHEN,
  K_APOSTROPHE,
  K_HIGH, /* the first byte of a multi-byte sequence, or an invalid one */
};

static const guint8 ascii_kind[256] = {
  ['0' ... '9'] = K_DIGIT,
  ['A' ... 'Z'] = K_LETTER,
  ['a' ... 'z'] = K_LETTER,
  [' '] = K_SPACE,
  ['\t'] = K_SPACE,
  ['\v'] = K_SPACE,
  ['\f'] = K_SPACE,
  ['\n'] = K_CLAUSE,
  ['\r'] = K_CLAUSE,
  ['.'] = K_CLAUSE,
  ['!'] = K_CLAUSE,
  ['?'] = K_CLAUSE,
  [';'] = K_CLAUSE,
  [':'] = K_CLAUSE,
  ['('] = K_CLAUSE,
  [')'] = K_CLAUSE,
  ['['] = K_CLAUSE,
  [']'] = K_CLAUSE,
  [','] = K_COMMA,
  ['-'] = K_HYPHEN,
  ['\''] = K_APOSTROPHE,
  [0x80 ... 0xff] = K_HIGH,
};

/* One token a cached word expands to. Stems live in the arena. */
typedef struct {
  guint32 stem_off;
  guint32 stem_len;
  gint32 word;
  guint32 vocab_len; /* the vocabulary's size when @word was looked up */
  guint8 kind;
  guint8 negation;
} CachePart;

typedef struct {
  guint32 hash;
  guint32 key_len; /* 0: the slot is empty (keys are never empty) */
  guint32 key_off;
  guint32 first_part; /* index into parts */
  guint32 n_parts;    /* 1 to MAX_PARTS */
} CacheSlot;

struct _FwNormalizer {
  struct sb_stemmer *stemmer;
  Family family;
  FwVocab *vocab; /* lent, may be NULL */

  CacheSlot *slots;
  guint32 n_slots; /* a power of two */
  guint32 n_entries;
  GArray *parts; /* CachePart */
  char *arena;   /* keys and stems, back to back */
  guint32 arena_len;
  guint32 arena_cap;

  char *key; /* the word being looked up */
  gsize key_cap;
  GString *surfaces; /* scratch for expansions, on a miss */
  FwDoc *scratch;    /* for fw_normalizer_stem_words () */
};

/* Carries the output of one fw_normalize () call. The norm and the token
 * array are written through raw pointers with capacity checks of our own,
 * and sized properly once at the end. */
typedef struct {
  FwDoc *doc;
  char *norm;
  gsize norm_len;
  gsize norm_cap;
  FwToken *tokens;
  guint n_tokens;
  guint tokens_cap;
  guint32 clause;
  gboolean clause_open; /* the current clause holds a word */
  gboolean soft_pending;
  guint32 soft_start;
  guint32 soft_end;
  gboolean high; /* a byte past 0x7F was seen */
} Emitter;

/* ---- Languages ------------------------------------------------------------ */

static const struct {
  const char *code;
  const char *name;
} iso_codes[] = {
  { "ar", "arabic" },     { "hy", "armenian" },   { "eu", "basque" },     { "ca", "catalan" },
  { "da", "danish" },     { "nl", "dutch" },      { "en", "english" },    { "fi", "finnish" },
  { "fr", "french" },     { "de", "german" },     { "el", "greek" },      { "hi", "hindi" },
  { "hu", "hungarian" },  { "id", "indonesian" }, { "ga", "irish" },      { "it", "italian" },
  { "lt", "lithuanian" }, { "ne", "nepali" },     { "no", "norwegian" },  { "nb", "norwegian" },
  { "nn", "norwegian" },  { "pt", "portuguese" }, { "ro", "romanian" },   { "ru", "russian" },
  { "sr", "serbian" },    { "es", "spanish" },    { "sv", "swedish" },    { "ta", "tamil" },
  { "tr", "turkish" },    { "yi", "yiddish" },
};

static const char *const negations_en[] = {
  "not", "no", "never", "without", "nothing", "neither", "nor", "none", "nobody", "nowhere", "hardly", NULL,
};
static const char *const negations_de[] = {
  "nicht", "kein", "keine", "keinen", "keinem", "keiner", "nie", "niemals", "ohne", "nichts", NULL,
};
static const char *const negations_es[] = { "no", "nunca", "sin", "nada", "ni", NULL };

/* English words people write without their apostrophe, and colloquial
 * fusions. Left out on purpose, because the bare word is a word: its,
 * were, well, hell, shell, id, ill, wed, lets, shed, hes. */
static const struct {
  const char *word;
  const char *expansion;
} english_fusions[] = {
  { "cannot", "can not" },     { "gonna", "going to" },     { "wanna", "want to" },
  { "gotta", "got to" },       { "kinda", "kind of" },      { "sorta", "sort of" },
  { "cuz", "because" },        { "coz", "because" },        { "'cause", "because" },
  { "'cos", "because" },       { "'em", "them" },           { "'til", "until" },
  { "'bout", "about" },        { "dont", "do not" },        { "cant", "can not" },
  { "wont", "will not" },      { "im", "i am" },            { "ive", "i have" },
  { "youre", "you are" },      { "theyre", "they are" },    { "youve", "you have" },
  { "theyve", "they have" },   { "youll", "you will" },     { "theyll", "they will" },
  { "youd", "you would" },     { "theyd", "they would" },   { "thats", "that is" },
  { "whats", "what is" },      { "didnt", "did not" },      { "doesnt", "does not" },
  { "isnt", "is not" },        { "wasnt", "was not" },      { "arent", "are not" },
  { "werent", "were not" },    { "havent", "have not" },    { "hasnt", "has not" },
  { "hadnt", "had not" },      { "wouldnt", "would not" },  { "shouldnt", "should not" },
  { "couldnt", "could not" },  { "mustnt", "must not" },    { "aint", "is not" },
};

/* Words after which "'s" is "is" rather than a possessive. */
static const char *const english_is_before[] = {
  "it", "that", "there", "here", "what", "who", "he", "she", "where", "how", "everything", "nothing", NULL,
};

static gboolean
in_list (const char *const *list, const char *word, gsize len)
{
  for (; *list != NULL; list++)
    if (strncmp (*list, word, len) == 0 && (*list)[len] == '\0')
      return TRUE;
  return FALSE;
}

static gboolean
same_word (const char *word, gsize len, const char *literal)
{
  return strncmp (word, literal, len) == 0 && literal[len] == '\0';
}

/* Maps "en", "en-GB", "EN_us", "english" to a Snowball algorithm name in
 * @name (at least 32 bytes). Returns FALSE when the tag is too long to be
 * a language. A name the table does not know is passed on as it is, so
 * that every algorithm libstemmer lists ("porter", "greek"...) works. */
static gboolean
snowball_name (const char *lang, char *name, gsize size)
{
  gsize n = 0;
  for (const char *p = lang; *p != '\0' && *p != '-' && *p != '_'; p++)
    {
      if (n + 1 >= size)
        return FALSE;
      name[n++] = g_ascii_tolower (*p);
    }
  name[n] = '\0';
  for (gsize i = 0; i < G_N_ELEMENTS (iso_codes); i++)
    if (strcmp (name, iso_codes[i].code) == 0)
      {
        g_strlcpy (name, iso_codes[i].name, size);
        break;
      }
  return n > 0;
}

/* ---- The vocabulary ----------------------------------------------------- */

FwVocab *
fw_vocab_new (void)
{
  FwVocab *vocab = g_new0 (FwVocab, 1);
  /* The table borrows its keys from @stems, which owns them. */
  vocab->ids = g_hash_table_new (g_str_hash, g_str_equal);
  vocab->stems = g_ptr_array_new_with_free_func (g_free);
  return vocab;
}

void
fw_phrase_words_free (FwPhraseWords *words)
{
  if (words == NULL)
    return;
  g_array_unref (words->ids);
  g_free (words->regex);
  g_free (words);
}

void
fw_vocab_free (FwVocab *vocab)
{
  if (vocab == NULL)
    return;
  if (vocab->deletions != NULL)
    g_hash_table_unref (vocab->deletions);
  if (vocab->phrases != NULL)
    g_hash_table_unref (vocab->phrases);
  g_hash_table_unref (vocab->ids);
  g_ptr_array_unref (vocab->stems);
  g_free (vocab);
}

/* Returns the id of @stem, dense from 0 in the order stems were added;
 * adds it when @add is TRUE, else returns -1 for a stem not yet seen. */
gint32
fw_vocab_lookup (FwVocab *vocab, const char *stem, gboolean add)
{
  g_return_val_if_fail (vocab != NULL, -1);
  g_return_val_if_fail (stem != NULL, -1);

  gpointer found = g_hash_table_lookup (vocab->ids, stem);
  if (found != NULL)
    return GPOINTER_TO_INT (found) - 1;
  if (!add)
    return -1;
  g_return_val_if_fail (vocab->stems->len < G_MAXINT32, -1);
  char *copy = g_strdup (stem);
  gint32 id = (gint32) vocab->stems->len;
  g_ptr_array_add (vocab->stems, copy);
  g_hash_table_insert (vocab->ids, copy, GINT_TO_POINTER (id + 1));
  return id;
}

/* ---- Typos ---------------------------------------------------------------- */

#define TYPO_MIN_CHARS 5
#define TYPO_SUBSTITUTE_MIN_CHARS 7

/* @word without the character at byte offset @at (of @clen bytes). */
static char *
delete_at (const char *word, gsize len, gsize at, gsize clen)
{
  char *out = g_malloc (len - clen + 1);
  memcpy (out, word, at);
  memcpy (out + at, word + at + clen, len - at - clen);
  out[len - clen] = '\0';
  return out;
}

void
fw_vocab_freeze (FwVocab *vocab)
{
  if (vocab->deletions != NULL)
    return;
  g_clear_pointer (&vocab->phrases, g_hash_table_unref);
  vocab->deletions = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  for (guint id = 0; id < vocab->stems->len; id++)
    {
      const char *stem = g_ptr_array_index (vocab->stems, id);
      gsize len = strlen (stem);
      if (g_utf8_strlen (stem, len) < TYPO_MIN_CHARS - 1)
        continue;
      for (const char *p = stem; *p; p = g_utf8_next_char (p))
        {
          gsize clen = g_utf8_next_char (p) - p;
          char *del = delete_at (stem, len, p - stem, clen);
          gpointer old = NULL;
          if (g_hash_table_lookup_extended (vocab->deletions, del, NULL, &old))
            {
              if (GPOINTER_TO_INT (old) != (gint) id + 1)
                g_hash_table_replace (vocab->deletions, del, GINT_TO_POINTER (-1));
              else
                g_free (del);
            }
          else
            g_hash_table_insert (vocab->deletions, del, GINT_TO_POINTER (id + 1));
        }
    }
}

/* Whether @a and @b differ by two swapped neighbours. */
static gboolean
is_transposition (const char *a, const char *b)
{
  gsize la = strlen (a), lb = strlen (b);
  if (la != lb)
    return FALSE;
  gsize i = 0;
  while (i < la && a[i] == b[i])
    i++;
  return i + 1 < la && a[i] == b[i + 1] && a[i + 1] == b[i] && strcmp (a + i + 2, b + i + 2) == 0;
}

gint32
fw_vocab_correct (FwVocab *vocab, const char *word, gsize len)
{
  if (vocab == NULL || vocab->deletions == NULL)
    return -1;
  glong chars = g_utf8_strlen (word, len);
  if (chars < TYPO_MIN_CHARS || chars > 40)
    return -1;
  g_autofree char *w = g_strndup (word, len);
  gint32 found = -1;
  /* 1. An extra letter: the word minus one letter is known. */
  for (const char *p = w; *p && found < 0; p = g_utf8_next_char (p))
    {
      g_autofree char *del = delete_at (w, len, p - w, g_utf8_next_char (p) - p);
      gpointer id = g_hash_table_lookup (vocab->ids, del);
      if (id != NULL)
        found = GPOINTER_TO_INT (id) - 1;
    }
  /* 2. A missing letter: the word is a known stem minus one letter. */
  if (found < 0)
    {
      gint id = GPOINTER_TO_INT (g_hash_table_lookup (vocab->deletions, w));
      if (id > 0)
        found = id - 1;
    }
  /* 3. Two letters swapped, or (long words) one letter replaced. */
  for (const char *p = w; *p && found < 0; p = g_utf8_next_char (p))
    {
      g_autofree char *del = delete_at (w, len, p - w, g_utf8_next_char (p) - p);
      gint id = GPOINTER_TO_INT (g_hash_table_lookup (vocab->deletions, del));
      if (id <= 0)
        continue;
      const char *stem = g_ptr_array_index (vocab->stems, id - 1);
      if (chars >= TYPO_SUBSTITUTE_MIN_CHARS || is_transposition (w, stem))
        found = id - 1;
    }
  return found;
}

/* ---- Documents ------------------------------------------------------------ */

FwDoc *
fw_doc_new (void)
{
  FwDoc *doc = g_new0 (FwDoc, 1);
  doc->norm = g_string_sized_new (256);
  doc->tokens = g_array_sized_new (FALSE, FALSE, sizeof (FwToken), 64);
  return doc;
}

void
fw_doc_free (FwDoc *doc)
{
  if (doc == NULL)
    return;
  g_string_free (doc->norm, TRUE);
  g_array_unref (doc->tokens);
  g_free (doc);
}

/* Empties @doc and keeps its buffers, so that a doc reused for every answer
 * of a batch stops allocating once it has seen the longest one. */
void
fw_doc_clear (FwDoc *doc)
{
  g_return_if_fail (doc != NULL);
  g_string_truncate (doc->norm, 0);
  g_array_set_size (doc->tokens, 0);
  doc->n_clauses = 0;
  doc->ascii = TRUE;
  doc->serial++;
}

/* Tokens are in norm order and do not overlap, so the answer is the first
 * token that ends after @norm_offset: it either contains the offset or is
 * the first to start after it. Returns tokens->len when there is none. */
guint
fw_doc_token_at (FwDoc *doc, gsize norm_offset)
{
  g_return_val_if_fail (doc != NULL, 0);

  const FwToken *tokens = (const FwToken *) doc->tokens->data;
  guint lo = 0;
  guint hi = doc->tokens->len;
  while (lo < hi)
    {
      guint mid = lo + (hi - lo) / 2;
      if (tokens[mid].norm_end <= norm_offset)
        lo = mid + 1;
      else
        hi = mid;
    }
  return lo;
}

/* ---- The normalizer ------------------------------------------------------- */

/* Returns a normalizer for @lang, or NULL with FW_ERROR_RULE when libstemmer
 * has no algorithm for it. */
FwNormalizer *
fw_normalizer_new (const char *lang, FwVocab *vocab, GError **error)
{
  g_return_val_if_fail (lang != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  char name[32];
  struct sb_stemmer *stemmer = NULL;
  if (snowball_name (lang, name, sizeof name))
    stemmer = sb_stemmer_new (name, "UTF_8");
  if (stemmer == NULL)
    {
      g_set_error (error, FW_ERROR, FW_ERROR_RULE, "unknown language '%s': libstemmer has no stemmer for it",
                   lang);
      return NULL;
    }

  FwNormalizer *normalizer = g_new0 (FwNormalizer, 1);
  normalizer->stemmer = stemmer;
  if (strcmp (name, "english") == 0 || strcmp (name, "porter") == 0)
    normalizer->family = FAMILY_ENGLISH;
  else if (strcmp (name, "german") == 0)
    normalizer->family = FAMILY_GERMAN;
  else if (strcmp (name, "spanish") == 0)
    normalizer->family = FAMILY_SPANISH;
  else
    normalizer->family = FAMILY_OTHER;
  normalizer->vocab = vocab;
  normalizer->n_slots = CACHE_FIRST_SLOTS;
  normalizer->slots = g_new0 (CacheSlot, normalizer->n_slots);
  normalizer->parts = g_array_new (FALSE, FALSE, sizeof (CachePart));
  normalizer->arena_cap = 64 * 1024;
  normalizer->arena = g_malloc0 (normalizer->arena_cap);
  normalizer->key_cap = 256;
  normalizer->key = g_malloc0 (normalizer->key_cap);
  normalizer->surfaces = g_string_sized_new (64);
  normalizer->scratch = fw_doc_new ();
  return normalizer;
}

void
fw_normalizer_free (FwNormalizer *normalizer)
{
  if (normalizer == NULL)
    return;
  sb_stemmer_delete (normalizer->stemmer);
  g_free (normalizer->slots);
  g_array_unref (normalizer->parts);
  g_free (normalizer->arena);
  g_free (normalizer->key);
  g_string_free (normalizer->surfaces, TRUE);
  fw_doc_free (normalizer->scratch);
  g_free (normalizer);
}

/* ---- The cache ------------------------------------------------------------ */

static inline guint64
load64 (const char *p)
{
  guint64 w;
  memcpy (&w, p, 8);
  return GUINT64_FROM_LE (w);
}

/* The first @len (< 8) bytes at @p, in the low bytes; @p has SLACK room. */
static inline guint64
load_tail (const char *p, gsize len)
{
  return load64 (p) & (G_GUINT64_CONSTANT (0xffffffffffffffff) >> (64 - 8 * len));
}

/* Hashes a key a word at a time (a per-byte hash is a dependency chain as
 * long as the word). @key has SLACK readable bytes past @len. */
static inline guint32
hash_key (const char *key, gsize len)
{
  const guint64 mul = G_GUINT64_CONSTANT (0x9e3779b97f4a7c15);
  guint64 h = len * mul;
  gsize i = 0;
  for (; i + 8 <= len; i += 8)
    {
      h = (h ^ load64 (key + i)) * mul;
      h ^= h >> 32;
    }
  if (i < len)
    {
      h = (h ^ load_tail (key + i, len - i)) * mul;
      h ^= h >> 32;
    }
  return (guint32) h;
}

/* Compares two keys, both with SLACK readable bytes past @len. */
static inline gboolean
keys_equal (const char *a, const char *b, gsize len)
{
  if (len < 8)
    return load_tail (a, len) == load_tail (b, len);
  return memcmp (a, b, len) == 0;
}

static inline guint32
slot_index (guint32 hash, guint32 n_slots)
{
  return (hash ^ (hash >> 15)) & (n_slots - 1);
}

/* Returns the slot holding @key, or the empty slot where it belongs. */
static inline CacheSlot *
cache_probe (FwNormalizer *n, const char *key, guint32 key_len, guint32 hash)
{
  guint32 mask = n->n_slots - 1;
  guint32 i = slot_index (hash, n->n_slots);
  for (;;)
    {
      CacheSlot *slot = &n->slots[i];
      if (slot->key_len == 0)
        return slot;
      if (slot->hash == hash && slot->key_len == key_len && keys_equal (n->arena + slot->key_off, key, key_len))
        return slot;
      i = (i + 1) & mask;
    }
}

static void
cache_clear (FwNormalizer *n)
{
  memset (n->slots, 0, n->n_slots * sizeof (CacheSlot));
  n->n_entries = 0;
  n->arena_len = 0;
  g_array_set_size (n->parts, 0);
}

/* Doubles the slot table, keeping the load factor at or under one half. */
static void
cache_grow (FwNormalizer *n)
{
  CacheSlot *old = n->slots;
  guint32 old_n = n->n_slots;
  n->n_slots *= 2;
  n->slots = g_new0 (CacheSlot, n->n_slots);
  for (guint32 i = 0; i < old_n; i++)
    if (old[i].key_len != 0)
      {
        guint32 j = slot_index (old[i].hash, n->n_slots);
        while (n->slots[j].key_len != 0)
          j = (j + 1) & (n->n_slots - 1);
        n->slots[j] = old[i];
      }
  g_free (old);
}

/* Copies @len bytes into the arena and returns their offset. */
static guint32
arena_add (FwNormalizer *n, const char *s, gsize len)
{
  if (n->arena_len + len + SLACK > n->arena_cap)
    {
      gsize cap = n->arena_cap;
      while (n->arena_len + len + SLACK > cap)
        cap *= 2;
      n->arena = g_realloc (n->arena, cap);
      memset (n->arena + n->arena_cap, 0, cap - n->arena_cap);
      n->arena_cap = (guint32) cap;
    }
  guint32 off = n->arena_len;
  memcpy (n->arena + off, s, len);
  n->arena_len += (guint32) len;
  return off;
}

/* Appends one surface word to the expansion being built. */
static void
add_surface (GString *surfaces, const char *word, gsize len)
{
  g_string_append_len (surfaces, word, len);
  g_string_append_c (surfaces, '\0');
}

/* Splits an English word into the words it stands for: "can't" -> "can"
 * "not", "shouldn't've" -> "should" "not" "have", "wife's" -> "wife",
 * "it's" -> "it" "is", "gonna" -> "going" "to". @key is case-folded with
 * apostrophes written as "'". Writes NUL-separated words to @surfaces. */
static void
expand_english (const char *key, gsize len, GString *surfaces)
{
  for (gsize i = 0; i < G_N_ELEMENTS (english_fusions); i++)
    if (same_word (key, len, english_fusions[i].word))
      {
        const char *e = english_fusions[i].expansion;
        for (const char *space; (space = strchr (e, ' ')) != NULL; e = space + 1)
          add_surface (surfaces, e, space - e);
        add_surface (surfaces, e, strlen (e));
        return;
      }

  /* Peel clitics off the end, at most two ("shouldn't've"); the words they
   * stand for are collected last first. */
  const char *tail[2];
  guint n_tail = 0;
  gsize base = len;
  const char *fixed_base = NULL;
  if (memchr (key, '\'', len) != NULL)
    while (n_tail < 2)
      {
#define ENDS_WITH(lit) (base > sizeof (lit) - 1 && memcmp (key + base - (sizeof (lit) - 1), lit, sizeof (lit) - 1) == 0)
        if (ENDS_WITH ("n't"))
          {
            base -= 3;
            tail[n_tail++] = "not";
            if (same_word (key, base, "ca"))
              fixed_base = "can";
            else if (same_word (key, base, "wo"))
              fixed_base = "will";
            else if (same_word (key, base, "sha"))
              fixed_base = "shall";
            else if (same_word (key, base, "ai"))
              fixed_base = "is";
            break;
          }
        else if (ENDS_WITH ("'ve"))
          base -= 3, tail[n_tail++] = "have";
        else if (ENDS_WITH ("'ll"))
          base -= 3, tail[n_tail++] = "will";
        else if (ENDS_WITH ("'re"))
          base -= 3, tail[n_tail++] = "are";
        else if (ENDS_WITH ("'m"))
          base -= 2, tail[n_tail++] = "am";
        else if (ENDS_WITH ("'d"))
          base -= 2, tail[n_tail++] = "would";
        else if (ENDS_WITH ("'s"))
          {
            base -= 2;
            if (same_word (key, base, "let"))
              tail[n_tail++] = "us";
            else if (in_list (english_is_before, key, base))
              tail[n_tail++] = "is";
            /* else a possessive: "wife's" is "wife" */
            break;
          }
        else
          break;
#undef ENDS_WITH
      }
  if (fixed_base != NULL)
    add_surface (surfaces, fixed_base, strlen (fixed_base));
  else
    add_surface (surfaces, key, base);
  while (n_tail > 0)
    {
      n_tail--;
      add_surface (surfaces, tail[n_tail], strlen (tail[n_tail]));
    }
}

/* Case-folds a word that holds non-ASCII letters: full Unicode case
 * folding ("Straße" -> "strasse"), then NFC so that a decomposed "ü"
 * equals a composed one, then apostrophes U+2019 and U+02BC as "'".
 * Returns a newly allocated string. */
static char *
fold_unicode (const char *word, gsize len)
{
  g_autofree char *folded = g_utf8_casefold (word, (gssize) len);
  char *nfc = g_utf8_normalize (folded, -1, G_NORMALIZE_NFC);
  if (nfc == NULL) /* cannot happen: the word was validated */
    nfc = g_steal_pointer (&folded);
  char *out = nfc;
  for (const char *p = nfc; *p != '\0';)
    {
      if ((guchar) p[0] == 0xE2 && (guchar) p[1] == 0x80 && (guchar) p[2] == 0x99)
        *out++ = '\'', p += 3;
      else if ((guchar) p[0] == 0xCA && (guchar) p[1] == 0xBC)
        *out++ = '\'', p += 2;
      else
        *out++ = *p++;
    }
  *out = '\0';
  return nfc;
}

/* Whether @len bytes at @word are digits, with the "." and "," of "3.5"
 * and "300,000". */
static gboolean
is_number (const char *word, gsize len)
{
  for (gsize i = 0; i < len; i++)
    if (!g_ascii_isdigit (word[i]) && word[i] != '.' && word[i] != ',')
      return FALSE;
  return len > 0;
}

/* Fills an empty @slot for @key: expands, flags, stems and looks up every
 * word @key stands for. Clears the cache first when it is full, so the
 * returned slot may not be @slot. @raw says @key holds the raw bytes of a
 * non-ASCII word, still to be folded. */
static CacheSlot *
cache_fill (FwNormalizer *n, CacheSlot *slot, const char *key, guint32 key_len, guint32 hash, gboolean raw)
{
  if (n->n_entries >= CACHE_MAX_ENTRIES || n->arena_len >= CACHE_MAX_ARENA_BYTES)
    {
      cache_clear (n);
      slot = cache_probe (n, key, key_len, hash);
    }
  else if (n->n_entries + 1 > n->n_slots / 2)
    {
      cache_grow (n);
      slot = cache_probe (n, key, key_len, hash);
    }

  g_autofree char *folded = raw ? fold_unicode (key, key_len) : NULL;
  const char *word = raw ? folded : key;
  gsize word_len = raw ? strlen (folded) : key_len;

  GString *surfaces = n->surfaces;
  g_string_truncate (surfaces, 0);
  if (n->family == FAMILY_ENGLISH)
    expand_english (word, word_len, surfaces);
  else
    add_surface (surfaces, word, word_len);

  const char *const *negations = NULL;
  const char *soft_word = NULL;
  switch (n->family)
    {
    case FAMILY_ENGLISH:
      negations = negations_en, soft_word = "but";
      break;
    case FAMILY_GERMAN:
      negations = negations_de, soft_word = "aber";
      break;
    case FAMILY_SPANISH:
      negations = negations_es, soft_word = "pero";
      break;
    case FAMILY_OTHER:
      break;
    }

  /* The key goes in first: stems are appended after it. */
  slot->hash = hash;
  slot->key_len = key_len;
  slot->key_off = arena_add (n, key, key_len);
  slot->first_part = n->parts->len;
  slot->n_parts = 0;
  n->n_entries++;

  for (const char *s = surfaces->str; s < surfaces->str + surfaces->len && slot->n_parts < MAX_PARTS;)
    {
      gsize s_len = strlen (s);
      CachePart part = { 0 };
      part.word = -1;
      if (soft_word != NULL && strcmp (s, soft_word) == 0)
        {
          part.kind = FW_TOKEN_SOFT_BREAK;
          part.stem_off = arena_add (n, ",", 2);
          part.stem_len = 1;
        }
      else
        {
          part.kind = FW_TOKEN_WORD;
          part.negation = negations != NULL && in_list (negations, s, s_len);
          const sb_symbol *stem = sb_stemmer_stem (n->stemmer, (const sb_symbol *) s, (int) s_len);
          if (stem == NULL)
            g_error ("out of memory while stemming");
          gsize stem_len = (gsize) sb_stemmer_length (n->stemmer);
          part.stem_off = arena_add (n, (const char *) stem, stem_len);
          arena_add (n, "", 1); /* NUL-terminated, for the vocabulary */
          part.stem_len = (guint32) stem_len;
          if (n->vocab != NULL)
            {
              part.word = fw_vocab_lookup (n->vocab, n->arena + part.stem_off, FALSE);
              part.vocab_len = n->vocab->stems->len;
              /* An unknown word may be a typo of a known one: try the
               * stem, then the word as typed. A number is no typo ("30500"
               * is not "3000"), and CRM notes are full of them (ids,
               * amounts, phone numbers), each one new to the cache. */
              if (part.word < 0 && n->vocab->deletions != NULL && !is_number (s, s_len))
                {
                  gint32 fix = fw_vocab_correct (n->vocab, n->arena + part.stem_off, stem_len);
                  if (fix < 0)
                    fix = fw_vocab_correct (n->vocab, s, s_len);
                  if (fix >= 0)
                    {
                      const char *known = g_ptr_array_index (n->vocab->stems, fix);
                      part.stem_len = (guint32) strlen (known);
                      part.stem_off = arena_add (n, known, part.stem_len + 1);
                      part.word = fix;
                    }
                }
            }
        }
      g_array_append_val (n->parts, part);
      slot->n_parts++;
      s += s_len + 1;
    }
  return slot;
}

/* ---- Output ----------------------------------------------------------------- */

static void
emitter_begin (Emitter *e, FwDoc *doc, gsize len)
{
  memset (e, 0, sizeof *e);
  e->doc = doc;
  /* English norms run at about the length of the text; tokens at one per
   * five or six bytes. Both grow on demand. */
  e->norm_cap = len + 64;
  g_string_set_size (doc->norm, e->norm_cap);
  e->norm = doc->norm->str;
  e->tokens_cap = (guint) (len / 6 + 16);
  g_array_set_size (doc->tokens, e->tokens_cap);
  e->tokens = (FwToken *) doc->tokens->data;
}

static void
emitter_end (Emitter *e)
{
  g_string_set_size (e->doc->norm, e->norm_len);
  g_array_set_size (e->doc->tokens, e->n_tokens);
  e->doc->n_clauses = e->clause;
  e->doc->ascii = !e->high;
}

static G_GNUC_NO_INLINE void
grow_norm (Emitter *e, gsize need)
{
  gsize cap = MAX (e->norm_cap * 2, e->norm_len + need);
  g_string_set_size (e->doc->norm, cap);
  e->norm = e->doc->norm->str;
  e->norm_cap = cap;
}

static G_GNUC_NO_INLINE void
grow_tokens (Emitter *e)
{
  e->tokens_cap *= 2;
  g_array_set_size (e->doc->tokens, e->tokens_cap);
  e->tokens = (FwToken *) e->doc->tokens->data;
}

static inline void
push_token (Emitter *e, guint32 start, guint32 end, const char *stem, guint32 stem_len, gint32 word,
            guint8 kind, guint8 negation)
{
  /* the space, the stem copied in 8-byte steps, the newline that may end
   * the clause */
  if (G_UNLIKELY (e->norm_len + stem_len + 2 + SLACK > e->norm_cap))
    grow_norm (e, stem_len + 2 + SLACK);
  if (G_UNLIKELY (e->n_tokens == e->tokens_cap))
    grow_tokens (e);
  e->norm[e->norm_len++] = ' ';
  char *to = e->norm + e->norm_len;
  for (guint32 i = 0; i < stem_len; i += 8) /* @stem has SLACK: it is in the arena */
    memcpy (to + i, stem + i, 8);
  FwToken *t = &e->tokens[e->n_tokens++];
  t->norm_start = (guint32) e->norm_len;
  e->norm_len += stem_len;
  t->norm_end = (guint32) e->norm_len;
  t->start = start;
  t->end = end;
  t->word = word;
  t->clause = e->clause;
  t->kind = kind;
  t->negation = negation;
}

/* A soft break is written only between two words of one clause: a run of
 * them counts once, and one at either end of a clause says nothing. */
static inline void
soft_break (Emitter *e, gsize start, gsize end)
{
  if (e->clause_open && !e->soft_pending)
    {
      e->soft_pending = TRUE;
      e->soft_start = (guint32) start;
      e->soft_end = (guint32) end;
    }
}

static inline void
clause_break (Emitter *e)
{
  e->soft_pending = FALSE;
  if (!e->clause_open)
    return;
  e->norm[e->norm_len++] = '\n'; /* room was kept by push_token () */
  e->clause++;
  e->clause_open = FALSE;
}

/* The soft-break token, padded for push_token ()'s 8-byte copies. */
static const char soft_stem[SLACK + 1] = ",";

static inline void
emit_parts (FwNormalizer *n, Emitter *e, const CacheSlot *slot, gsize start, gsize end)
{
  CachePart *parts = &g_array_index (n->parts, CachePart, slot->first_part);
  for (guint32 i = 0; i < slot->n_parts; i++)
    {
      CachePart *part = &parts[i];
      if (part->kind == FW_TOKEN_SOFT_BREAK)
        {
          soft_break (e, start, end);
          continue;
        }
      if (e->soft_pending)
        {
          e->soft_pending = FALSE;
          push_token (e, e->soft_start, e->soft_end, soft_stem, 1, -1, FW_TOKEN_SOFT_BREAK, 0);
        }
      /* The vocabulary grows while patterns compile: a miss cached before
       * the stem was added must be looked up again. */
      if (G_UNLIKELY (part->word < 0 && n->vocab != NULL && part->vocab_len != n->vocab->stems->len))
        {
          part->word = fw_vocab_lookup (n->vocab, n->arena + part->stem_off, FALSE);
          part->vocab_len = n->vocab->stems->len;
        }
      push_token (e, (guint32) start, (guint32) end, n->arena + part->stem_off, part->stem_len, part->word,
                  FW_TOKEN_WORD, part->negation);
      e->clause_open = TRUE;
    }
}

/* ---- Scanning --------------------------------------------------------------- */

/* Decodes the character at @p, or returns (gunichar) -1 for an invalid or
 * truncated sequence. @p must be a byte >= 0x80. */
static inline gunichar
decode (const guchar *p, gsize avail, gsize *clen)
{
  gunichar ch = g_utf8_get_char_validated ((const char *) p, (gssize) avail);
  if (ch >= 0x80 && ch < 0x110000)
    {
      *clen = (gsize) g_utf8_skip[*p];
      return ch;
    }
  *clen = 1;
  return (gunichar) -1;
}

static inline gboolean
is_apostrophe (gunichar ch)
{
  return ch == 0x2019 || ch == 0x02BC;
}

static gboolean
alnum_at (const guchar *t, gsize len, gsize p)
{
  if (p >= len)
    return FALSE;
  guint8 kind = ascii_kind[t[p]];
  if (kind != K_HIGH)
    return kind == K_LETTER || kind == K_DIGIT;
  gsize clen;
  gunichar ch = decode (t + p, len - p, &clen);
  return ch != (gunichar) -1 && !is_apostrophe (ch) && g_unichar_isalnum (ch);
}

static gboolean
digit_at (const guchar *t, gsize len, gsize p)
{
  if (p >= len)
    return FALSE;
  guint8 kind = ascii_kind[t[p]];
  if (kind != K_HIGH)
    return kind == K_DIGIT;
  gsize clen;
  gunichar ch = decode (t + p, len - p, &clen);
  return ch != (gunichar) -1 && g_unichar_isdigit (ch);
}

static inline gboolean
space_at (const guchar *t, gsize len, gsize p)
{
  if (p >= len)
    return TRUE;
  guint8 kind = ascii_kind[t[p]];
  return kind == K_SPACE || t[p] == '\n' || t[p] == '\r' || (t[p] == 0xC2 && p + 1 < len && t[p + 1] == 0xA0);
}

static inline gboolean
space_before (const guchar *t, gsize p)
{
  if (p == 0)
    return TRUE;
  guint8 kind = ascii_kind[t[p - 1]];
  return kind == K_SPACE || t[p - 1] == '\n' || t[p - 1] == '\r' || (p >= 2 && t[p - 2] == 0xC2 && t[p - 1] == 0xA0);
}

/* Makes room for a key of @len bytes and its SLACK. */
static G_GNUC_NO_INLINE void
grow_key (FwNormalizer *n, gsize len)
{
  gsize cap = n->key_cap;
  while (cap < len + SLACK)
    cap *= 2;
  n->key = g_realloc (n->key, cap);
  memset (n->key + n->key_cap, 0, cap - n->key_cap);
  n->key_cap = cap;
}

/* Reads the word starting at @start (an alphanumeric character), looks it
 * up, and emits its tokens. @apostrophe is the offset of an apostrophe
 * just before the word, or G_MAXSIZE. Returns the offset after the word. */
static gsize
scan_word (FwNormalizer *n, Emitter *e, const guchar *t, gsize len, gsize start, gsize apostrophe)
{
  gsize q = start;
  gsize k = 0;
  gboolean raw = FALSE;
  gboolean last_digit = FALSE;
  char *key = n->key;

  while (q < len)
    {
      if (G_UNLIKELY (k + SLACK >= n->key_cap))
        {
          grow_key (n, k + 1);
          key = n->key;
        }
      /* The common case, a run of ASCII letters and digits, in a loop of
       * its own: no capacity check per byte, only where the key ends. */
      gsize room = n->key_cap - SLACK - 1 - k;
      gsize stop = len - q < room ? len : q + room;
      gsize run_start = q;
      while (q < stop && (guint8) (ascii_kind[t[q]] - K_LETTER) <= K_DIGIT - K_LETTER)
        key[k++] = (char) (t[q++] | 0x20); /* lower case; digits have the bit */
      if (q > run_start)
        {
          last_digit = ascii_kind[t[q - 1]] == K_DIGIT;
          continue;
        }
      guchar c = t[q];
      guint8 kind = ascii_kind[c];
      if (G_LIKELY (kind == K_LETTER || kind == K_DIGIT))
        {
          key[k++] = (char) (c | 0x20); /* lower case; digits have the bit */
          last_digit = kind == K_DIGIT;
          q++;
          continue;
        }
      gsize clen = 1;
      gboolean apos = FALSE;
      if (kind == K_APOSTROPHE)
        apos = TRUE;
      else if ((c == '.' || c == ',') && last_digit)
        {
          if (!digit_at (t, len, q + 1))
            break;
          /* "3.5", "300,000": part of the number */
          key[k++] = (char) c;
          last_digit = FALSE;
          q++;
          continue;
        }
      else if (kind == K_HIGH)
        {
          e->high = TRUE;
          gunichar ch = decode (t + q, len - q, &clen);
          if (ch == (gunichar) -1)
            break;
          if (is_apostrophe (ch))
            apos = TRUE;
          else if (g_unichar_isalnum (ch) || g_unichar_ismark (ch) || ch == 0x200C || ch == 0x200D)
            {
              raw = TRUE;
              last_digit = g_unichar_isdigit (ch);
              q += clen;
              continue;
            }
          else
            break;
        }
      else
        break;

      /* An apostrophe belongs to the word only with a letter after it. */
      if (!apos || !alnum_at (t, len, q + clen))
        break;
      key[k++] = '\'';
      last_digit = FALSE;
      q += clen;
    }

  gsize span_start = start;
  if (G_UNLIKELY (raw))
    {
      /* The key is the raw word; it is folded on a miss only. */
      k = q - start;
      if (k + SLACK > n->key_cap)
        grow_key (n, k);
      key = n->key;
      memcpy (key, t + start, k);
    }
  else if (G_UNLIKELY (apostrophe != G_MAXSIZE) && n->family == FAMILY_ENGLISH && k <= 5
           && (same_word (key, k, "cause") || same_word (key, k, "cos") || same_word (key, k, "em")
               || same_word (key, k, "til") || same_word (key, k, "bout")))
    {
      /* "'cause": the apostrophe makes it another word */
      memmove (key + 1, key, k); /* k <= 5: the buffer has room */
      key[0] = '\'';
      k++;
      span_start = apostrophe;
    }

  guint32 hash = hash_key (key, k);
  CacheSlot *slot = cache_probe (n, key, (guint32) k, hash);
  if (G_UNLIKELY (slot->key_len == 0))
    slot = cache_fill (n, slot, key, (guint32) k, hash, raw);
  emit_parts (n, e, slot, span_start, q);
  return q;
}

/* Normalizes @len bytes of @text into @doc, which must be empty. */
static void
normalize_text (FwNormalizer *n, const guchar *t, gsize len, FwDoc *doc)
{
  Emitter e;
  emitter_begin (&e, doc, len);
  gsize p = 0;
  gsize apostrophe = G_MAXSIZE; /* where the last lone apostrophe started */
  gsize after_apostrophe = G_MAXSIZE;

  while (p < len)
    {
      switch (ascii_kind[t[p]])
        {
        case K_SEPARATOR:
        case K_SPACE:
          p++;
          break;
        case K_LETTER:
        case K_DIGIT:
          p = scan_word (n, &e, t, len, p, p == after_apostrophe ? apostrophe : G_MAXSIZE);
          break;
        case K_CLAUSE:
          clause_break (&e);
          p++;
          break;
        case K_COMMA:
          soft_break (&e, p, p + 1);
          p++;
          break;
        case K_HYPHEN:
          {
            /* "--" or " - " is a dash; a hyphen anywhere else separates
             * ("well-being" is two words in one clause). */
            gsize r = p;
            while (r < len && t[r] == '-')
              r++;
            if (r - p >= 2 || (space_before (t, p) && space_at (t, len, r)))
              soft_break (&e, p, r);
            p = r;
            break;
          }
        case K_APOSTROPHE:
          apostrophe = p;
          after_apostrophe = ++p;
          break;
        case K_HIGH:
          {
            gsize clen;
            e.high = TRUE;
            gunichar ch = decode (t + p, len - p, &clen);
            switch (ch)
              {
              case (gunichar) -1:
                break;
              case 0x2019: /* right single quotation mark */
              case 0x02BC: /* modifier letter apostrophe */
              case 0x2018: /* left single quotation mark, as in ‘cause */
                apostrophe = p;
                after_apostrophe = p + clen;
                break;
              case 0x2026: /* … */
              case 0x0085: /* next line */
              case 0x2028: /* line separator */
              case 0x2029: /* paragraph separator */
              case 0x3002: /* ideographic full stop */
              case 0xFF01: /* fullwidth ! */
              case 0xFF1F: /* fullwidth ? */
              case 0xFF0E: /* fullwidth . */
              case 0xFF1B: /* fullwidth ; */
              case 0xFF1A: /* fullwidth : */
              case 0xFF08: /* fullwidth ( */
              case 0xFF09: /* fullwidth ) */
                clause_break (&e);
                break;
              case 0x2012: /* figure dash */
              case 0x2013: /* en dash */
              case 0x2014: /* em dash */
              case 0x2015: /* horizontal bar */
              case 0xFF0C: /* fullwidth comma */
              case 0x3001: /* ideographic comma */
              case 0x060C: /* arabic comma */
                soft_break (&e, p, p + clen);
                break;
              default:
                if (g_unichar_isalnum (ch))
                  {
                    p = scan_word (n, &e, t, len, p, p == after_apostrophe ? apostrophe : G_MAXSIZE);
                    continue;
                  }
                break;
              }
            p += clen;
            break;
          }
        }
    }
  clause_break (&e);
  emitter_end (&e);
}

/* Never fails; see the header. A text longer than MAX_TEXT_BYTES is a
 * programming error (the caller should have refused it with FW_ERROR_LIMIT)
 * and gives an empty doc. */
void
fw_normalize (FwNormalizer *normalizer, const char *text, gsize len, FwDoc *doc)
{
  g_return_if_fail (normalizer != NULL);
  g_return_if_fail (doc != NULL);
  fw_doc_clear (doc);
  g_return_if_fail (text != NULL || len == 0);
  g_return_if_fail (len <= MAX_TEXT_BYTES);
  normalize_text (normalizer, (const guchar *) text, len, doc);
}

/* Appends to @out a g_strdup'd stem for every word token @word gives (soft
 * breaks such as "but" give none, as they do in fw_normalize ()). @out
 * should free its elements with g_free. */
void
fw_normalizer_stem_words (FwNormalizer *normalizer, const char *word, GPtrArray *out)
{
  g_return_if_fail (normalizer != NULL);
  g_return_if_fail (word != NULL);
  g_return_if_fail (out != NULL);

  FwDoc *doc = normalizer->scratch;
  fw_normalize (normalizer, word, strlen (word), doc);
  for (guint i = 0; i < doc->tokens->len; i++)
    {
      const FwToken *t = &g_array_index (doc->tokens, FwToken, i);
      if (t->kind == FW_TOKEN_WORD)
        g_ptr_array_add (out, g_strndup (doc->norm->str + t->norm_start, t->norm_end - t->norm_start));
    }
}
