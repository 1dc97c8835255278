/* serve.c: the web drill behind `fivewhys serve`: sessions of the ask drill
 * and of practice mode held in memory, a small JSON API over them, and the
 * page (serve/index.html, app.js, style.css) served from resources compiled
 * into the program.
 *
 * Everything runs on the main context's thread, so the sessions need no
 * lock. The limits are the point of this file as much as the routes: a
 * request body is refused by its Content-Length before it is read, sessions
 * are bounded in number (in all and per client address), in age, in idle
 * time and in turns, and every response carries a strict
 * Content-Security-Policy. */
#include "config.h"

#include <errno.h>
#include <string.h>
#include <sys/random.h>

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "cli-private.h"
#include "serve-private.h"
#include "serve-resources.h"

/* JSON bodies of this API are flat objects; deeper nesting is refused
 * before it reaches the parser, which recurses. */
#define MAX_JSON_NESTING 4
/* How often expired sessions are dropped. */
#define PURGE_INTERVAL_SECONDS 30
/* What a client waits before trying again when the server is full. */
#define RETRY_AFTER_SECONDS "60"

#define STATUS_TOO_MANY_REQUESTS 429

static const char security_csp[] = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; "
                                   "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; "
                                   "frame-ancestors 'none'";

/* One drill or practice call of one trainee. */
typedef struct {
  char id[33];        /* 128 random bits in hex */
  FwSession *drill;   /* the ask drill, or NULL */
  FwPractice *call;   /* a practice call, or NULL */
  char *client;       /* the address that created it */
  gint64 created;     /* monotonic time, microseconds */
  gint64 used;
} Session;

struct _CliServer {
  FwLibrary *library;
  FwScratch *scratch; /* need matching, on the main thread */
  CliServeLimits limits;
  SoupServer *soup;
  GHashTable *sessions; /* id -> Session* */
  guint purge_source;
  gboolean loopback; /* listening on loopback only: the Host must say so too */
};

static void
session_free (Session *s)
{
  if (s == NULL)
    return;
  fw_session_free (s->drill);
  fw_practice_free (s->call);
  g_free (s->client);
  g_free (s);
}

/* ---- responses ------------------------------------------------------------ */

static const char *
reason_phrase (guint status)
{
  return status == STATUS_TOO_MANY_REQUESTS ? "Too Many Requests" : NULL;
}

static void
respond (SoupServerMessage *msg, guint status, const char *content_type, const char *data, gsize len)
{
  soup_server_message_set_status (msg, status, reason_phrase (status));
  soup_server_message_set_response (msg, content_type, SOUP_MEMORY_COPY, data, len);
}

static void
respond_node (SoupServerMessage *msg, guint status, JsonNode *root)
{
  g_autofree char *text = json_to_string (root, FALSE);
  soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Cache-Control", "no-store");
  respond (msg, status, "application/json; charset=utf-8", text, strlen (text));
}

static void
respond_builder (SoupServerMessage *msg, guint status, JsonBuilder *b)
{
  g_autoptr (JsonNode) root = json_builder_get_root (b);
  respond_node (msg, status, root);
}

static void respond_error (SoupServerMessage *msg, guint status, const char *format, ...) G_GNUC_PRINTF (3, 4);

/* {"error": "..."} with @status: every failure of the API looks like this. */
static void
respond_error (SoupServerMessage *msg, guint status, const char *format, ...)
{
  va_list args;
  va_start (args, format);
  g_autofree char *message = g_strdup_vprintf (format, args);
  va_end (args);
  g_autoptr (JsonBuilder) b = json_builder_new ();
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "error");
  json_builder_add_string_value (b, message);
  json_builder_end_object (b);
  respond_builder (msg, status, b);
}

static void
respond_not_allowed (SoupServerMessage *msg, const char *allow)
{
  soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Allow", allow);
  respond_error (msg, SOUP_STATUS_METHOD_NOT_ALLOWED, "method %s is not allowed here (allowed: %s)",
                 soup_server_message_get_method (msg), allow);
}

static void
add_security_headers (SoupServerMessage *msg)
{
  SoupMessageHeaders *h = soup_server_message_get_response_headers (msg);
  soup_message_headers_replace (h, "Content-Security-Policy", security_csp);
  soup_message_headers_replace (h, "X-Content-Type-Options", "nosniff");
  soup_message_headers_replace (h, "X-Frame-Options", "DENY");
  soup_message_headers_replace (h, "Referrer-Policy", "no-referrer");
  soup_message_headers_replace (h, "Cross-Origin-Opener-Policy", "same-origin");
  soup_message_headers_replace (h, "Cross-Origin-Resource-Policy", "same-origin");
}

/* ---- sessions -------------------------------------------------------------- */

/* 128 bits from the kernel's random source, in hex: session ids must not be
 * guessable, and GLib's g_random is a Mersenne Twister. */
static void
random_id (char out[33])
{
  guint8 bytes[16];
  gsize got = 0;
  while (got < sizeof bytes)
    {
      ssize_t n = getrandom (bytes + got, sizeof bytes - got, 0);
      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        g_error ("serve: no random numbers from the kernel: %s", g_strerror (errno));
      got += (gsize) n;
    }
  for (guint i = 0; i < sizeof bytes; i++)
    g_snprintf (out + 2 * i, 3, "%02x", bytes[i]);
}

/* A seed for a practice call: random, and below 2^53 so that a browser
 * reads it back exactly. */
static guint64
random_seed (void)
{
  guint64 seed = 0;
  if (getrandom (&seed, sizeof seed, GRND_NONBLOCK) != sizeof seed)
    seed = ((guint64) g_random_int () << 32) | g_random_int ();
  return seed & ((G_GUINT64_CONSTANT (1) << 53) - 1);
}

static gboolean
session_expired (CliServer *server, Session *s, gint64 now)
{
  return now - s->used > (gint64) server->limits.idle_seconds * G_USEC_PER_SEC
         || now - s->created > (gint64) server->limits.max_age_seconds * G_USEC_PER_SEC;
}

/* Drops every session past its idle or age limit. */
static void
purge (CliServer *server)
{
  gint64 now = g_get_monotonic_time ();
  GHashTableIter iter;
  gpointer value;
  g_hash_table_iter_init (&iter, server->sessions);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    if (session_expired (server, value, now))
      g_hash_table_iter_remove (&iter);
}

static gboolean
purge_cb (gpointer data)
{
  purge (data);
  return G_SOURCE_CONTINUE;
}

/* The live session @id, touched; NULL (and an expired one dropped) when
 * there is none. */
static Session *
find_session (CliServer *server, const char *id)
{
  Session *s = g_hash_table_lookup (server->sessions, id);
  gint64 now = g_get_monotonic_time ();
  if (s != NULL && session_expired (server, s, now))
    {
      g_hash_table_remove (server->sessions, id);
      return NULL;
    }
  if (s != NULL)
    s->used = now;
  return s;
}

static guint
count_client_sessions (CliServer *server, const char *client)
{
  guint n = 0;
  GHashTableIter iter;
  gpointer value;
  g_hash_table_iter_init (&iter, server->sessions);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    if (g_strcmp0 (((Session *) value)->client, client) == 0)
      n++;
  return n;
}

/* ---- JSON of the API ------------------------------------------------------- */

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
add_rung (JsonBuilder *b, FwRung *rung)
{
  json_builder_begin_object (b);
  add_string_or_null (b, "id", fw_rung_get_id (rung));
  add_string_or_null (b, "label", fw_rung_get_label (rung));
  add_string_or_null (b, "level", fw_level_to_string (fw_rung_get_level (rung)));
  json_builder_end_object (b);
}

static void
add_motivation (JsonBuilder *b, FwMotivation *m)
{
  json_builder_set_member_name (b, "motivation");
  if (m == NULL)
    {
      json_builder_add_null_value (b);
      return;
    }
  json_builder_begin_object (b);
  add_string_or_null (b, "id", fw_motivation_get_id (m));
  add_string_or_null (b, "label", fw_motivation_get_label (m));
  add_string_or_null (b, "description", fw_motivation_get_description (m));
  add_string_or_null (b, "framing", fw_motivation_get_framing (m));
  add_string_or_null (b, "avoid", fw_motivation_get_avoid (m));
  add_string_or_null (b, "schwartz", fw_motivation_get_schwartz (m));
  json_builder_end_object (b);
}

static const char *
step_kind_name (FwStepKind kind)
{
  switch (kind)
    {
    case FW_STEP_DESCEND:
      return "descend";
    case FW_STEP_JUMP:
      return "jump";
    case FW_STEP_NO_MATCH:
      return "no-match";
    case FW_STEP_NON_ANSWER:
      return "non-answer";
    }
  return "unknown";
}

static void
add_drill (JsonBuilder *b, FwSession *drill)
{
  FwRuleset *ruleset = fw_session_get_ruleset (drill);
  json_builder_set_member_name (b, "mode");
  json_builder_add_string_value (b, "drill");
  add_string_or_null (b, "status", fw_status_to_string (fw_session_get_status (drill)));
  json_builder_set_member_name (b, "need");
  json_builder_begin_object (b);
  add_string_or_null (b, "id", fw_ruleset_get_id (ruleset));
  add_string_or_null (b, "title", fw_ruleset_get_title (ruleset));
  add_string_or_null (b, "lang", fw_ruleset_get_lang (ruleset));
  json_builder_end_object (b);
  add_string_or_null (b, "question", fw_session_get_question (drill));
  json_builder_set_member_name (b, "depth");
  json_builder_add_int_value (b, fw_session_get_depth (drill));
  json_builder_set_member_name (b, "turns_left");
  json_builder_add_int_value (b, CLI_SERVE_MAX_TURNS - MIN (CLI_SERVE_MAX_TURNS, fw_session_get_n_steps (drill)));

  json_builder_set_member_name (b, "steps");
  json_builder_begin_array (b);
  for (guint i = 0; i < fw_session_get_n_steps (drill); i++)
    {
      const FwStep *step = fw_session_get_step (drill, i);
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "number");
      json_builder_add_int_value (b, i + 1);
      add_string_or_null (b, "question", step->question);
      add_string_or_null (b, "answer", step->answer);
      add_string_or_null (b, "kind", step_kind_name (step->kind));
      json_builder_set_member_name (b, "rung");
      if (step->rung != NULL)
        add_rung (b, step->rung);
      else
        json_builder_add_null_value (b);
      add_string_or_null (b, "evidence", step->rung != NULL ? step->evidence.text : NULL);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);

  json_builder_set_member_name (b, "ladder");
  json_builder_begin_array (b);
  for (guint i = 0; i < fw_session_get_n_steps (drill); i++)
    {
      const FwStep *step = fw_session_get_step (drill, i);
      if (step->rung != NULL)
        add_rung (b, step->rung);
    }
  json_builder_end_array (b);
  add_motivation (b, fw_session_get_motivation (drill));
}

static void
add_persona (JsonBuilder *b, FwPersona *persona)
{
  FwRuleset *ruleset = fw_persona_get_ruleset (persona);
  json_builder_begin_object (b);
  add_string_or_null (b, "id", fw_persona_get_id (persona));
  add_string_or_null (b, "name", fw_persona_get_name (persona));
  add_string_or_null (b, "need", fw_persona_get_need (persona));
  add_string_or_null (b, "need_title", ruleset != NULL ? fw_ruleset_get_title (ruleset) : NULL);
  add_string_or_null (b, "lang", ruleset != NULL ? fw_ruleset_get_lang (ruleset) : NULL);
  add_string_or_null (b, "temperament", fw_temperament_to_string (fw_persona_get_temperament (persona)));
  add_string_or_null (b, "description", fw_persona_get_description (persona));
  json_builder_end_object (b);
}

static void
add_class_bits (JsonBuilder *b, guint bits)
{
  json_builder_begin_array (b);
  for (guint c = 0; c < FW_QUESTION_N_CLASSES; c++)
    if (bits & (1u << c))
      json_builder_add_string_value (b, fw_question_class_to_string ((FwQuestionClass) c));
  json_builder_end_array (b);
}

static void
add_scorecard (JsonBuilder *b, FwPractice *call)
{
  FwPersona *persona = fw_practice_get_persona (call);
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "depth");
  json_builder_add_int_value (b, fw_practice_get_depth (call));
  json_builder_set_member_name (b, "ladder");
  json_builder_add_int_value (b, fw_persona_get_n_rungs (persona));
  json_builder_set_member_name (b, "turns");
  json_builder_add_int_value (b, fw_practice_get_n_turns (call));
  json_builder_set_member_name (b, "questions");
  json_builder_begin_object (b);
  for (guint c = 0; c < FW_QUESTION_N_CLASSES; c++)
    {
      json_builder_set_member_name (b, fw_question_class_to_string ((FwQuestionClass) c));
      json_builder_add_int_value (b, fw_practice_get_count (call, (FwQuestionClass) c));
    }
  json_builder_end_object (b);
  json_builder_set_member_name (b, "first_pitch");
  if (fw_practice_get_first_pitch (call) > 0)
    json_builder_add_int_value (b, fw_practice_get_first_pitch (call));
  else
    json_builder_add_null_value (b);
  json_builder_set_member_name (b, "motivation_surfaced");
  json_builder_add_boolean_value (b, fw_practice_get_motivation (call) != NULL);
  json_builder_set_member_name (b, "warmth");
  json_builder_add_int_value (b, fw_practice_get_warmth (call));
  json_builder_set_member_name (b, "warming");
  json_builder_add_int_value (b, fw_practice_get_warming (call));
  json_builder_set_member_name (b, "holds");
  json_builder_add_int_value (b, fw_practice_get_holds (call));
  json_builder_set_member_name (b, "advice");
  json_builder_begin_array (b);
  const char *const *advice = fw_practice_get_advice (call);
  for (guint i = 0; advice[i] != NULL; i++)
    json_builder_add_string_value (b, advice[i]);
  json_builder_end_array (b);
  json_builder_end_object (b);
}

/* The call as the trainee may see it: what the customer said and the rungs
 * they revealed, never the rest of the hidden ladder. */
static void
add_practice (JsonBuilder *b, FwPractice *call)
{
  FwPersona *persona = fw_practice_get_persona (call);
  FwPracticeStatus status = fw_practice_get_status (call);
  json_builder_set_member_name (b, "mode");
  json_builder_add_string_value (b, "practice");
  add_string_or_null (b, "status", fw_practice_status_to_string (status));
  json_builder_set_member_name (b, "persona");
  add_persona (b, persona);
  json_builder_set_member_name (b, "seed");
  json_builder_add_int_value (b, (gint64) fw_practice_get_seed (call));
  add_string_or_null (b, "opening", fw_practice_get_opening (call));
  json_builder_set_member_name (b, "ladder_length");
  json_builder_add_int_value (b, fw_persona_get_n_rungs (persona));
  json_builder_set_member_name (b, "depth");
  json_builder_add_int_value (b, fw_practice_get_depth (call));
  json_builder_set_member_name (b, "warmth");
  json_builder_add_int_value (b, fw_practice_get_warmth (call));
  json_builder_set_member_name (b, "turns_left");
  json_builder_add_int_value (b, CLI_SERVE_MAX_TURNS - MIN (CLI_SERVE_MAX_TURNS, fw_practice_get_n_turns (call)));

  json_builder_set_member_name (b, "turns");
  json_builder_begin_array (b);
  for (guint i = 0; i < fw_practice_get_n_turns (call); i++)
    {
      const FwPracticeTurn *turn = fw_practice_get_turn (call, i);
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "number");
      json_builder_add_int_value (b, turn->number);
      add_string_or_null (b, "question", turn->question);
      add_string_or_null (b, "class", fw_question_class_to_string (turn->klass));
      json_builder_set_member_name (b, "also");
      add_class_bits (b, turn->also);
      add_string_or_null (b, "reply", turn->reply);
      json_builder_set_member_name (b, "revealed");
      json_builder_begin_array (b);
      for (guint r = 0; r < turn->n_revealed; r++)
        add_rung (b, turn->revealed[r]);
      json_builder_end_array (b);
      json_builder_set_member_name (b, "warmth");
      json_builder_add_int_value (b, turn->warmth);
      json_builder_set_member_name (b, "depth");
      json_builder_add_int_value (b, turn->depth);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);

  json_builder_set_member_name (b, "ladder");
  json_builder_begin_array (b);
  for (guint i = 0; i < fw_practice_get_n_turns (call); i++)
    {
      const FwPracticeTurn *turn = fw_practice_get_turn (call, i);
      for (guint r = 0; r < turn->n_revealed; r++)
        add_rung (b, turn->revealed[r]);
    }
  json_builder_end_array (b);
  add_motivation (b, fw_practice_get_motivation (call));
  json_builder_set_member_name (b, "scorecard");
  if (status != FW_PRACTICE_TALKING)
    add_scorecard (b, call);
  else
    json_builder_add_null_value (b);
}

static void
respond_session (SoupServerMessage *msg, guint status, Session *s)
{
  g_autoptr (JsonBuilder) b = json_builder_new ();
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "id");
  json_builder_add_string_value (b, s->id);
  if (s->drill != NULL)
    add_drill (b, s->drill);
  else
    add_practice (b, s->call);
  json_builder_end_object (b);
  respond_builder (msg, status, b);
}

/* ---- request bodies ---------------------------------------------------------- */

/* The deepest nesting of arrays and objects in @text (valid UTF-8), not
 * counting brackets inside strings. */
static guint
json_nesting (const char *text, gsize len)
{
  guint depth = 0, deepest = 0;
  gboolean in_string = FALSE;
  for (gsize i = 0; i < len; i++)
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
        deepest = MAX (deepest, ++depth);
      else if ((c == ']' || c == '}') && depth > 0)
        depth--;
    }
  return deepest;
}

/* The request's JSON object; NULL, with the error response set, when the
 * body is missing, too large, of another type, not UTF-8, not JSON or not
 * an object. */
static JsonNode *
read_object (SoupServerMessage *msg)
{
  SoupMessageHeaders *h = soup_server_message_get_request_headers (msg);
  const char *type = soup_message_headers_get_content_type (h, NULL);
  if (type == NULL || g_ascii_strcasecmp (type, "application/json") != 0)
    {
      respond_error (msg, SOUP_STATUS_UNSUPPORTED_MEDIA_TYPE, "send a JSON object with Content-Type: application/json");
      return NULL;
    }
  g_autoptr (GBytes) body = soup_message_body_flatten (soup_server_message_get_request_body (msg));
  gsize len = 0;
  const char *text = g_bytes_get_data (body, &len);
  if (len > CLI_SERVE_MAX_BODY)
    {
      respond_error (msg, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE, "the request body is too large (at most %d bytes)",
                     CLI_SERVE_MAX_BODY);
      return NULL;
    }
  if (len == 0)
    {
      respond_error (msg, SOUP_STATUS_BAD_REQUEST, "the request body is empty: send a JSON object");
      return NULL;
    }
  if (!g_utf8_validate_len (text, len, NULL))
    {
      respond_error (msg, SOUP_STATUS_BAD_REQUEST, "the request body is not valid UTF-8");
      return NULL;
    }
  if (json_nesting (text, len) > MAX_JSON_NESTING)
    {
      respond_error (msg, SOUP_STATUS_BAD_REQUEST, "the JSON is nested too deeply: send a flat object");
      return NULL;
    }
  g_autoptr (JsonParser) parser = json_parser_new_immutable ();
  g_autoptr (GError) error = NULL;
  if (!json_parser_load_from_data (parser, text, (gssize) len, &error))
    {
      respond_error (msg, SOUP_STATUS_BAD_REQUEST, "the request body is not JSON: %s", error->message);
      return NULL;
    }
  JsonNode *root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      respond_error (msg, SOUP_STATUS_BAD_REQUEST, "the request body must be a JSON object");
      return NULL;
    }
  return json_node_copy (root);
}

/* Member @name of @object as a string: NULL when absent or null; responds
 * 400 and sets *@bad when it is something else. */
static const char *
get_string (SoupServerMessage *msg, JsonObject *object, const char *name, gboolean *bad)
{
  JsonNode *node = json_object_get_member (object, name);
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return NULL;
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    {
      respond_error (msg, SOUP_STATUS_BAD_REQUEST, "'%s' must be a string", name);
      *bad = TRUE;
      return NULL;
    }
  return json_node_get_string (node);
}

/* The trainee's text (an answer or a question) from member @name, checked;
 * NULL, with the error response set, when it is missing or unusable. */
static char *
read_text (SoupServerMessage *msg, const char *name)
{
  g_autoptr (JsonNode) root = read_object (msg);
  if (root == NULL)
    return NULL;
  gboolean bad = FALSE;
  const char *text = get_string (msg, json_node_get_object (root), name, &bad);
  if (bad)
    return NULL;
  if (text == NULL)
    {
      respond_error (msg, SOUP_STATUS_BAD_REQUEST, "send {\"%s\": \"...\"}", name);
      return NULL;
    }
  if (strlen (text) > CLI_SERVE_MAX_TEXT)
    {
      respond_error (msg, SOUP_STATUS_BAD_REQUEST, "the %s is too long (at most %d bytes)", name, CLI_SERVE_MAX_TEXT);
      return NULL;
    }
  char *copy = g_strstrip (g_strdup (text));
  if (*copy == '\0')
    {
      respond_error (msg, SOUP_STATUS_BAD_REQUEST, "the %s is empty", name);
      g_free (copy);
      return NULL;
    }
  return copy;
}

/* ---- routes -------------------------------------------------------------------- */

static void
list_needs (CliServer *server, SoupServerMessage *msg)
{
  g_autoptr (JsonBuilder) b = json_builder_new ();
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "needs");
  json_builder_begin_array (b);
  for (guint i = 0; i < fw_library_get_n_rulesets (server->library); i++)
    {
      FwRuleset *r = fw_library_get_ruleset (server->library, i);
      json_builder_begin_object (b);
      add_string_or_null (b, "id", fw_ruleset_get_id (r));
      add_string_or_null (b, "title", fw_ruleset_get_title (r));
      add_string_or_null (b, "lang", fw_ruleset_get_lang (r));
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_end_object (b);
  respond_builder (msg, SOUP_STATUS_OK, b);
}

/* Whether a call with @persona can be held: its ruleset is loaded and there
 * are question classes for its language. */
static gboolean
practisable (CliServer *server, FwPersona *persona)
{
  FwRuleset *ruleset = fw_persona_get_ruleset (persona);
  return ruleset != NULL && fw_library_has_questions (server->library, fw_ruleset_get_lang (ruleset));
}

static void
list_personas (CliServer *server, SoupServerMessage *msg)
{
  g_autoptr (JsonBuilder) b = json_builder_new ();
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "personas");
  json_builder_begin_array (b);
  for (guint i = 0; i < fw_library_get_n_personas (server->library); i++)
    {
      FwPersona *persona = fw_library_get_persona (server->library, i);
      if (practisable (server, persona))
        add_persona (b, persona);
    }
  json_builder_end_array (b);
  json_builder_end_object (b);
  respond_builder (msg, SOUP_STATUS_OK, b);
}

/* POST /api/sessions {"mode": "drill", "need": ID-OR-TEXT} or
 * {"mode": "practice", "persona": ID, "seed": N}. */
static void
create_session (CliServer *server, SoupServerMessage *msg)
{
  g_autoptr (JsonNode) root = read_object (msg);
  if (root == NULL)
    return;
  JsonObject *object = json_node_get_object (root);
  gboolean bad = FALSE;
  const char *mode = get_string (msg, object, "mode", &bad);
  const char *need = bad ? NULL : get_string (msg, object, "need", &bad);
  const char *persona_id = bad ? NULL : get_string (msg, object, "persona", &bad);
  if (bad)
    return;
  if (mode == NULL)
    mode = persona_id != NULL ? "practice" : "drill";

  FwRuleset *ruleset = NULL;
  FwPersona *persona = NULL;
  guint64 seed = 0;
  if (strcmp (mode, "drill") == 0)
    {
      if (need == NULL || *need == '\0')
        {
          respond_error (msg, SOUP_STATUS_BAD_REQUEST, "a drill needs a need: {\"mode\": \"drill\", \"need\": \"home-loan\"}");
          return;
        }
      if (strlen (need) > CLI_SERVE_MAX_TEXT)
        {
          respond_error (msg, SOUP_STATUS_BAD_REQUEST, "the need is too long (at most %d bytes)", CLI_SERVE_MAX_TEXT);
          return;
        }
      ruleset = fw_library_find_ruleset (server->library, need);
      if (ruleset == NULL)
        ruleset = fw_library_match_need (server->library, server->scratch, need);
      if (ruleset == NULL)
        {
          respond_error (msg, SOUP_STATUS_BAD_REQUEST, "no ruleset recognises the need '%s' (GET /api/needs lists them)", need);
          return;
        }
    }
  else if (strcmp (mode, "practice") == 0)
    {
      if (persona_id == NULL)
        {
          respond_error (msg, SOUP_STATUS_BAD_REQUEST, "a practice call needs a persona: {\"mode\": \"practice\", \"persona\": ID}");
          return;
        }
      persona = fw_library_find_persona (server->library, persona_id);
      if (persona == NULL || !practisable (server, persona))
        {
          respond_error (msg, SOUP_STATUS_BAD_REQUEST, "no customer '%s' to practise with (GET /api/personas lists them)",
                         persona_id);
          return;
        }
      JsonNode *seed_node = json_object_get_member (object, "seed");
      if (seed_node == NULL || JSON_NODE_HOLDS_NULL (seed_node))
        seed = random_seed ();
      else if (JSON_NODE_HOLDS_VALUE (seed_node) && json_node_get_value_type (seed_node) == G_TYPE_INT64
               && json_node_get_int (seed_node) >= 0)
        seed = (guint64) json_node_get_int (seed_node);
      else
        {
          respond_error (msg, SOUP_STATUS_BAD_REQUEST, "'seed' must be a whole number from 0 up");
          return;
        }
    }
  else
    {
      respond_error (msg, SOUP_STATUS_BAD_REQUEST, "unknown mode '%s' (\"drill\" or \"practice\")", mode);
      return;
    }

  purge (server);
  const char *client = soup_server_message_get_remote_host (msg);
  if (count_client_sessions (server, client) >= server->limits.max_per_client)
    {
      soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Retry-After", RETRY_AFTER_SECONDS);
      respond_error (msg, STATUS_TOO_MANY_REQUESTS,
                     "this computer already holds %u sessions: finish some, or wait until they expire",
                     server->limits.max_per_client);
      return;
    }
  if (g_hash_table_size (server->sessions) >= server->limits.max_sessions)
    {
      soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Retry-After", RETRY_AFTER_SECONDS);
      respond_error (msg, SOUP_STATUS_SERVICE_UNAVAILABLE, "the server is full (%u sessions): try again in a few minutes",
                     server->limits.max_sessions);
      return;
    }

  Session *s = g_new0 (Session, 1);
  random_id (s->id);
  if (ruleset != NULL)
    s->drill = fw_session_new (server->library, ruleset, 0);
  else
    s->call = fw_practice_new (server->library, persona, seed);
  s->client = g_strdup (client);
  s->created = s->used = g_get_monotonic_time ();
  g_hash_table_insert (server->sessions, s->id, s);

  g_autofree char *location = g_strdup_printf ("/api/sessions/%s", s->id);
  soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Location", location);
  respond_session (msg, SOUP_STATUS_CREATED, s);
}

static gboolean
session_over (Session *s)
{
  return s->drill != NULL ? fw_session_get_status (s->drill) != FW_STATUS_ASKING
                          : fw_practice_get_status (s->call) != FW_PRACTICE_TALKING;
}

static guint
session_turns (Session *s)
{
  return s->drill != NULL ? fw_session_get_n_steps (s->drill) : fw_practice_get_n_turns (s->call);
}

static void
end_session (Session *s)
{
  if (session_over (s))
    return;
  if (s->drill != NULL)
    fw_session_end (s->drill);
  else
    fw_practice_end (s->call);
}

/* POST .../answers {"answer": TEXT} to a drill, or .../questions
 * {"question": TEXT} to a practice call. */
static void
take_turn (SoupServerMessage *msg, Session *s, gboolean answer)
{
  const char *name = answer ? "answer" : "question";
  if ((s->drill != NULL) != answer)
    {
      respond_error (msg, SOUP_STATUS_BAD_REQUEST, "this session is a %s: post %s", s->drill != NULL ? "drill" : "practice call",
                     s->drill != NULL ? "answers" : "questions");
      return;
    }
  if (session_over (s))
    {
      respond_error (msg, SOUP_STATUS_CONFLICT, "this session is over: start a new one");
      return;
    }
  if (session_turns (s) >= CLI_SERVE_MAX_TURNS)
    {
      end_session (s);
      respond_error (msg, SOUP_STATUS_CONFLICT, "this session has had its %d turns: start a new one", CLI_SERVE_MAX_TURNS);
      return;
    }
  g_autofree char *text = read_text (msg, name);
  if (text == NULL)
    return;
  if (s->drill != NULL)
    fw_session_answer (s->drill, text);
  else
    fw_practice_ask (s->call, text);
  if (!session_over (s) && session_turns (s) >= CLI_SERVE_MAX_TURNS)
    end_session (s);
  respond_session (msg, SOUP_STATUS_OK, s);
}

/* GET .../transcript: the session as `ask --json` or `practice --json`
 * print it, as a download. A call still going keeps its hidden ladder. */
static void
send_transcript (SoupServerMessage *msg, Session *s)
{
  g_autofree char *json = s->drill != NULL ? fw_session_to_json (s->drill, FALSE) : fw_practice_to_json (s->call);
  if (s->call != NULL && fw_practice_get_status (s->call) == FW_PRACTICE_TALKING)
    {
      g_autoptr (JsonNode) root = json_from_string (json, NULL);
      if (root != NULL && JSON_NODE_HOLDS_OBJECT (root))
        {
          json_object_remove_member (json_node_get_object (root), "ladder");
          g_free (json);
          json = json_to_string (root, FALSE);
        }
    }
  const char *subject = s->drill != NULL ? fw_ruleset_get_id (fw_session_get_ruleset (s->drill))
                                         : fw_persona_get_id (fw_practice_get_persona (s->call));
  g_autofree char *disposition = g_strdup_printf ("attachment; filename=\"fivewhys-%s-%.8s.json\"", subject, s->id);
  SoupMessageHeaders *h = soup_server_message_get_response_headers (msg);
  soup_message_headers_replace (h, "Content-Disposition", disposition);
  soup_message_headers_replace (h, "Cache-Control", "no-store");
  respond (msg, SOUP_STATUS_OK, "application/json; charset=utf-8", json, strlen (json));
}

static gboolean
is_session_id (const char *id)
{
  if (strlen (id) != 32)
    return FALSE;
  for (const char *p = id; *p != '\0'; p++)
    if (!g_ascii_isxdigit (*p) || g_ascii_isupper (*p))
      return FALSE;
  return TRUE;
}

/* /api/sessions/ID[/ACTION] */
static void
handle_session (CliServer *server, SoupServerMessage *msg, const char *method, const char *id, const char *action)
{
  Session *s = is_session_id (id) ? find_session (server, id) : NULL;
  if (s == NULL)
    {
      respond_error (msg, SOUP_STATUS_NOT_FOUND, "no such session: it may have ended or expired; start a new one");
      return;
    }
  gboolean get = strcmp (method, "GET") == 0 || strcmp (method, "HEAD") == 0;
  gboolean post = strcmp (method, "POST") == 0;
  if (action == NULL)
    {
      if (get)
        respond_session (msg, SOUP_STATUS_OK, s);
      else if (strcmp (method, "DELETE") == 0)
        {
          g_hash_table_remove (server->sessions, id);
          soup_server_message_set_status (msg, SOUP_STATUS_NO_CONTENT, NULL);
        }
      else
        respond_not_allowed (msg, "GET, HEAD, DELETE");
    }
  else if (strcmp (action, "answers") == 0 || strcmp (action, "questions") == 0)
    {
      if (post)
        take_turn (msg, s, strcmp (action, "answers") == 0);
      else
        respond_not_allowed (msg, "POST");
    }
  else if (strcmp (action, "end") == 0)
    {
      if (post)
        {
          end_session (s);
          respond_session (msg, SOUP_STATUS_OK, s);
        }
      else
        respond_not_allowed (msg, "POST");
    }
  else if (strcmp (action, "transcript") == 0)
    {
      if (get)
        send_transcript (msg, s);
      else
        respond_not_allowed (msg, "GET, HEAD");
    }
  else
    respond_error (msg, SOUP_STATUS_NOT_FOUND, "no such resource: %s", action);
}

static void
handle_api (CliServer *server, SoupServerMessage *msg, const char *method, const char *path)
{
  gboolean get = strcmp (method, "GET") == 0 || strcmp (method, "HEAD") == 0;
  g_auto (GStrv) parts = g_strsplit (path, "/", 4);
  guint n = g_strv_length (parts);
  if (n == 1 && strcmp (parts[0], "needs") == 0)
    {
      if (get)
        list_needs (server, msg);
      else
        respond_not_allowed (msg, "GET, HEAD");
    }
  else if (n == 1 && strcmp (parts[0], "personas") == 0)
    {
      if (get)
        list_personas (server, msg);
      else
        respond_not_allowed (msg, "GET, HEAD");
    }
  else if (n == 1 && strcmp (parts[0], "sessions") == 0)
    {
      if (strcmp (method, "POST") == 0)
        create_session (server, msg);
      else
        respond_not_allowed (msg, "POST");
    }
  else if ((n == 2 || n == 3) && strcmp (parts[0], "sessions") == 0)
    handle_session (server, msg, method, parts[1], n == 3 ? parts[2] : NULL);
  else
    respond_error (msg, SOUP_STATUS_NOT_FOUND, "no such API resource: /api/%s", path);
}

/* The page and its parts, from the resources compiled into the program. */
static void
handle_static (SoupServerMessage *msg, const char *method, const char *path)
{
  static const struct {
    const char *path;
    const char *resource;
    const char *type;
  } files[] = {
    { "/", "index.html", "text/html; charset=utf-8" },
    { "/index.html", "index.html", "text/html; charset=utf-8" },
    { "/app.js", "app.js", "text/javascript; charset=utf-8" },
    { "/style.css", "style.css", "text/css; charset=utf-8" },
    { "/favicon.svg", "favicon.svg", "image/svg+xml" },
  };
  for (guint i = 0; i < G_N_ELEMENTS (files); i++)
    {
      if (strcmp (path, files[i].path) != 0)
        continue;
      if (strcmp (method, "GET") != 0 && strcmp (method, "HEAD") != 0)
        {
          respond_not_allowed (msg, "GET, HEAD");
          return;
        }
      g_autofree char *name = g_strconcat ("/fivewhys/serve/", files[i].resource, NULL);
      g_autoptr (GBytes) data = g_resource_lookup_data (cli_serve_get_resource (), name, G_RESOURCE_LOOKUP_FLAGS_NONE, NULL);
      g_assert (data != NULL); /* compiled in by serve.gresource.xml */
      gsize len = 0;
      const char *bytes = g_bytes_get_data (data, &len);
      soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Cache-Control", "no-cache");
      respond (msg, SOUP_STATUS_OK, files[i].type, bytes, len);
      return;
    }
  respond_error (msg, SOUP_STATUS_NOT_FOUND, "no such page: %s", path);
}

/* Whether the Host header names this machine's loopback ("localhost",
 * "127.0.0.1:8080", "[::1]:8080"). A server on loopback answers only to
 * those, so that a web page elsewhere cannot reach it by rebinding a name
 * of its own to 127.0.0.1. */
static gboolean
host_is_local (const char *host)
{
  if (host == NULL)
    return TRUE; /* HTTP/1.0: nothing to check */
  g_autofree char *name = NULL;
  if (host[0] == '[')
    {
      const char *close = strchr (host, ']');
      if (close == NULL)
        return FALSE;
      name = g_strndup (host + 1, (gsize) (close - host - 1));
    }
  else
    {
      const char *colon = strrchr (host, ':');
      name = colon != NULL ? g_strndup (host, (gsize) (colon - host)) : g_strdup (host);
    }
  if (g_ascii_strcasecmp (name, "localhost") == 0)
    return TRUE;
  g_autoptr (GInetAddress) address = g_inet_address_new_from_string (name);
  return address != NULL && g_inet_address_get_is_loopback (address);
}

/* Runs once the headers are in, before the body is read: refuses what
 * should not be read at all. */
static void
early_handler (SoupServer *soup, SoupServerMessage *msg, const char *path, GHashTable *query, gpointer user_data)
{
  CliServer *server = user_data;
  add_security_headers (msg);
  SoupMessageHeaders *h = soup_server_message_get_request_headers (msg);
  if (server->loopback && !host_is_local (soup_message_headers_get_one (h, "Host")))
    {
      respond_error (msg, SOUP_STATUS_MISDIRECTED_REQUEST,
                     "this server answers only to localhost (start it with --bind to serve other names)");
      return;
    }
  SoupEncoding encoding = soup_message_headers_get_encoding (h);
  if (encoding == SOUP_ENCODING_CHUNKED || encoding == SOUP_ENCODING_EOF)
    respond_error (msg, SOUP_STATUS_LENGTH_REQUIRED, "send the request body with a Content-Length header");
  else if (encoding == SOUP_ENCODING_CONTENT_LENGTH && soup_message_headers_get_content_length (h) > CLI_SERVE_MAX_BODY)
    respond_error (msg, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE, "the request body is too large (at most %d bytes)",
                   CLI_SERVE_MAX_BODY);
  if (soup_server_message_get_status (msg) != 0)
    {
      /* The body is not wanted. A client that sent "Expect: 100-continue"
       * gets the answer now and sends none; any other is read to its end
       * before the answer, as HTTP/1.1 requires, but nothing of it is kept,
       * and the connection closes after. */
      soup_message_body_set_accumulate (soup_server_message_get_request_body (msg), FALSE);
      soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Connection", "close");
    }
}

static void
handler (SoupServer *soup, SoupServerMessage *msg, const char *path, GHashTable *query, gpointer user_data)
{
  CliServer *server = user_data;
  const char *method = soup_server_message_get_method (msg);
  if (g_str_has_prefix (path, "/api/"))
    handle_api (server, msg, method, path + strlen ("/api/"));
  else
    handle_static (msg, method, path);
}

/* ---- the server ----------------------------------------------------------------- */

CliServer *
cli_server_new (FwLibrary *library, const CliServeLimits *limits)
{
  CliServer *server = g_new0 (CliServer, 1);
  server->library = library;
  server->scratch = fw_scratch_new (library);
  server->limits = *limits;
  server->sessions = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, (GDestroyNotify) session_free);
  server->soup = soup_server_new ("server-header", "fivewhys/" PACKAGE_VERSION, NULL);
  soup_server_add_early_handler (server->soup, NULL, early_handler, server, NULL);
  soup_server_add_handler (server->soup, NULL, handler, server, NULL);
  server->purge_source = g_timeout_add_seconds (PURGE_INTERVAL_SECONDS, purge_cb, server);
  return server;
}

void
cli_server_free (CliServer *server)
{
  if (server == NULL)
    return;
  g_source_remove (server->purge_source);
  soup_server_disconnect (server->soup);
  g_object_unref (server->soup);
  g_hash_table_destroy (server->sessions);
  fw_scratch_free (server->scratch);
  g_free (server);
}

gboolean
cli_server_listen (CliServer *server, GInetAddress *address, guint port, guint *bound_port, GError **error)
{
  g_autoptr (GSocketAddress) where = g_inet_socket_address_new (address, (guint16) port);
  if (!soup_server_listen (server->soup, where, 0, error))
    return FALSE;
  server->loopback = g_inet_address_get_is_loopback (address);
  *bound_port = port;
  GSList *uris = soup_server_get_uris (server->soup);
  for (GSList *l = uris; l != NULL; l = l->next)
    *bound_port = (guint) g_uri_get_port (l->data);
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);
  return TRUE;
}

guint
cli_server_get_n_sessions (CliServer *server)
{
  return g_hash_table_size (server->sessions);
}
