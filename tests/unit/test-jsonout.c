/* test-jsonout.c: the fast JSON writer, checked byte for byte and against
 * json-glib reading back what it wrote. */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <locale.h>
#include <math.h>
#include <string.h>

#include <glib.h>
#include <json-glib/json-glib.h>

#include "jsonout-private.h"

/* ---- Helpers ------------------------------------------------------------- */

/* @len bytes of @value written as a JSON string. */
static char *
escaped (const char *value, gssize len)
{
  GString *out = g_string_new (NULL);
  fw_json_append_string (out, value, len);
  return g_string_free (out, FALSE);
}

/* Parses @json with json-glib (failing the test if it cannot) and returns
 * the string it holds. */
static char *
parse_string (const char *json)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonNode) node = json_from_string (json, &error);
  if (error)
    fail_msg ("json-glib cannot read %s: %s", json, error->message);
  assert_non_null (node);
  assert_int_equal (json_node_get_value_type (node), G_TYPE_STRING);
  return g_strdup (json_node_get_string (node));
}

static void
assert_round_trip (const char *value)
{
  g_autofree char *json = escaped (value, -1);
  g_autofree char *back = parse_string (json);
  assert_string_equal (back, value);
}

static guint n_criticals;

static void
count_criticals (const char *domain, GLogLevelFlags level, const char *message, gpointer data)
{
  if (level & G_LOG_LEVEL_CRITICAL)
    n_criticals++;
}

/* ---- Strings ------------------------------------------------------------------ */

static void
test_string_escapes_quote_and_backslash (void **state)
{
  g_autofree char *json = escaped ("He said \"hi\" \\ bye/", -1);

  assert_string_equal (json, "\"He said \\\"hi\\\" \\\\ bye/\"");
  assert_round_trip ("He said \"hi\" \\ bye/");
}

static void
test_string_escapes_every_control_character (void **state)
{
  static const char *const expected[32] = {
    NULL,      "\\u0001", "\\u0002", "\\u0003", "\\u0004", "\\u0005", "\\u0006", "\\u0007",
    "\\b",     "\\t",     "\\n",     "\\u000b", "\\f",     "\\r",     "\\u000e", "\\u000f",
    "\\u0010", "\\u0011", "\\u0012", "\\u0013", "\\u0014", "\\u0015", "\\u0016", "\\u0017",
    "\\u0018", "\\u0019", "\\u001a", "\\u001b", "\\u001c", "\\u001d", "\\u001e", "\\u001f",
  };

  for (int c = 1; c < 32; c++)
    {
      char value[4] = { 'a', (char) c, 'b', 0 };
      g_autofree char *json = escaped (value, -1);
      g_autofree char *want = g_strdup_printf ("\"a%sb\"", expected[c]);
      assert_string_equal (json, want);
      assert_round_trip (value);
    }
  /* DEL is not a control character to JSON */
  g_autofree char *del = escaped ("\x7f", -1);
  assert_string_equal (del, "\"\x7f\"");
}

static void
test_string_with_nul_is_written_whole (void **state)
{
  g_autofree char *json = escaped ("a\0b\0", 4);
  g_autofree char *back = parse_string (json);

  assert_string_equal (json, "\"a\\u0000b\\u0000\"");
  assert_string_equal (back, "a"); /* json-glib stops at the NUL, but reads the JSON */
}

static void
test_string_passes_valid_utf8_through (void **state)
{
  /* é, €, 中文, 😀 (4 bytes), U+FFFF, U+10FFFF */
  static const char value[] = "caf\xC3\xA9 \xE2\x82\xAC \xE4\xB8\xAD\xE6\x96\x87 "
                              "\xF0\x9F\x98\x80 \xEF\xBF\xBF \xF4\x8F\xBF\xBF";
  g_autofree char *json = escaped (value, -1);
  g_autofree char *want = g_strdup_printf ("\"%s\"", value);

  assert_string_equal (json, want);
  assert_round_trip (value);
}

static void
test_string_escapes_unicode_line_separators (void **state)
{
  /* U+2028, U+2029 and U+0085 split lines in Python's str.splitlines */
  static const char value[] = "a\xE2\x80\xA8" "b\xE2\x80\xA9" "c\xC2\x85" "d";
  g_autofree char *json = escaped (value, -1);

  assert_string_equal (json, "\"a\\u2028b\\u2029c\\u0085d\"");
  assert_round_trip (value);
}

static void
test_string_replaces_invalid_utf8 (void **state)
{
#define FFFD "\xEF\xBF\xBD"
  static const struct {
    const char *value;
    const char *expected;
  } cases[] = {
    { "\xFF", "\"" FFFD "\"" },                            /* never in UTF-8 */
    { "a\x80" "b", "\"a" FFFD "b\"" },                     /* stray continuation */
    { "\xC0\xAF", "\"" FFFD FFFD "\"" },                   /* overlong '/' */
    { "\xE0\x80\xAF", "\"" FFFD FFFD FFFD "\"" },          /* overlong, 3 bytes */
    { "\xED\xA0\x80", "\"" FFFD FFFD FFFD "\"" },          /* a surrogate */
    { "\xF4\x90\x80\x80", "\"" FFFD FFFD FFFD FFFD "\"" }, /* past U+10FFFF */
    { "\xF5\x80", "\"" FFFD FFFD "\"" },
    { "x\xE2\x82", "\"x" FFFD "\"" },                      /* cut short at the end */
    { "\xE2\x82x", "\"" FFFD "x\"" },                      /* cut short in the middle */
    { "\xF0\x9F\x98", "\"" FFFD "\"" },                    /* 3 of 4 bytes */
    { "\xF0\x9F\x98\"", "\"" FFFD "\\\"\"" },              /* ...before a quote */
    { "\xC3\xA9\xC3", "\"\xC3\xA9" FFFD "\"" },            /* é then half of one */
  };
#undef FFFD

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *json = escaped (cases[i].value, -1);
      assert_string_equal (json, cases[i].expected);
      assert_true (g_utf8_validate (json, -1, NULL));
      g_free (parse_string (json));
    }
}

/* Random bytes, biased towards the troublesome ones: the output is always
 * valid UTF-8 that json-glib reads, and gives back valid input unchanged. */
static void
test_string_of_random_bytes_is_always_valid_json (void **state)
{
  static const guchar alphabet[] = {
    'a', ' ', '"', '\\', '/', '\n', '\r', '\t', 0x01, 0x1F, 0x7F, 0x80, 0xBF, 0xC0,
    0xC2, 0xC3, 0xA9, 0xE2, 0x80, 0xA8, 0xED, 0xA0, 0xF0, 0x9F, 0x98, 0xF4, 0x8F, 0xFF,
  };
  g_autoptr (GRand) rand = g_rand_new_with_seed (20240301);
  guint valid_inputs = 0;

  for (guint round = 0; round < 20000; round++)
    {
      char value[33];
      gsize len = (gsize) g_rand_int_range (rand, 0, 32);
      for (gsize i = 0; i < len; i++)
        value[i] = (char) alphabet[g_rand_int_range (rand, 0, G_N_ELEMENTS (alphabet))];
      value[len] = 0;

      g_autofree char *json = escaped (value, (gssize) len);
      g_autofree char *back = parse_string (json);
      assert_true (g_utf8_validate (json, -1, NULL));
      if (g_utf8_validate (value, (gssize) len, NULL))
        {
          valid_inputs++;
          assert_string_equal (back, value);
        }
    }
  assert_true (valid_inputs > 100);
}

/* ---- The writer -------------------------------------------------------------- */

static void
test_writer_puts_commas_and_colons_in (void **state)
{
  g_autoptr (GString) out = g_string_new (NULL);
  FwJsonWriter writer;

  fw_json_writer_init (&writer, out);
  fw_json_writer_begin_object (&writer);
  fw_json_writer_key (&writer, "id");
  fw_json_writer_string (&writer, "n-1");
  fw_json_writer_key (&writer, "chain");
  fw_json_writer_begin_array (&writer);
  fw_json_writer_begin_object (&writer);
  fw_json_writer_key (&writer, "rung");
  fw_json_writer_string (&writer, "money");
  fw_json_writer_key (&writer, "score");
  fw_json_writer_double (&writer, 0.75);
  fw_json_writer_end_object (&writer);
  fw_json_writer_int (&writer, 2);
  fw_json_writer_null (&writer);
  fw_json_writer_boolean (&writer, TRUE);
  fw_json_writer_boolean (&writer, FALSE);
  fw_json_writer_begin_array (&writer);
  fw_json_writer_end_array (&writer);
  fw_json_writer_end_array (&writer);
  fw_json_writer_key (&writer, "flags");
  fw_json_writer_begin_object (&writer);
  fw_json_writer_end_object (&writer);
  fw_json_writer_key (&writer, "error");
  fw_json_writer_string (&writer, NULL);
  fw_json_writer_end_object (&writer);

  assert_true (fw_json_writer_is_complete (&writer));
  assert_string_equal (out->str, "{\"id\":\"n-1\",\"chain\":[{\"rung\":\"money\",\"score\":0.75},"
                                 "2,null,true,false,[]],\"flags\":{},\"error\":null}");
  g_autoptr (JsonNode) node = json_from_string (out->str, NULL);
  assert_non_null (node);
}

static void
test_writer_appends_after_what_is_there (void **state)
{
  g_autoptr (GString) out = g_string_new ("prefix ");
  FwJsonWriter writer;

  fw_json_writer_init (&writer, out);
  fw_json_writer_begin_array (&writer);
  fw_json_writer_end_array (&writer);
  assert_string_equal (out->str, "prefix []");
}

static void
test_writer_writes_json_lines (void **state)
{
  g_autoptr (GString) out = g_string_new (NULL);
  g_auto (GStrv) lines = NULL;
  FwJsonWriter writer;

  fw_json_writer_init (&writer, out);
  for (int i = 1; i <= 3; i++)
    {
      g_autofree char *id = g_strdup_printf ("line\n%d\xE2\x80\xA8", i);
      fw_json_writer_begin_object (&writer);
      fw_json_writer_key (&writer, "id");
      fw_json_writer_string (&writer, id);
      fw_json_writer_key (&writer, "depth");
      fw_json_writer_int (&writer, i);
      fw_json_writer_end_object (&writer);
      g_string_append_c (out, '\n');
    }

  lines = g_strsplit (out->str, "\n", -1);
  assert_int_equal (g_strv_length (lines), 4); /* three lines and the empty tail */
  for (int i = 1; i <= 3; i++)
    {
      g_autoptr (JsonNode) node = json_from_string (lines[i - 1], NULL);
      g_autofree char *id = g_strdup_printf ("line\n%d\xE2\x80\xA8", i);
      JsonObject *object = json_node_get_object (node);
      assert_string_equal (json_object_get_string_member (object, "id"), id);
      assert_int_equal (json_object_get_int_member (object, "depth"), i);
    }
}

static void
test_writer_escapes_keys (void **state)
{
  g_autoptr (GString) out = g_string_new (NULL);
  FwJsonWriter writer;

  fw_json_writer_init (&writer, out);
  fw_json_writer_begin_object (&writer);
  fw_json_writer_key (&writer, "a\"b\n");
  fw_json_writer_int (&writer, 1);
  fw_json_writer_end_object (&writer);
  assert_string_equal (out->str, "{\"a\\\"b\\n\":1}");
}

static void
test_writer_writes_integers_exactly (void **state)
{
  g_autoptr (GString) out = g_string_new (NULL);
  FwJsonWriter writer;

  fw_json_writer_init (&writer, out);
  fw_json_writer_begin_array (&writer);
  fw_json_writer_int (&writer, 0);
  fw_json_writer_int (&writer, -1);
  fw_json_writer_int (&writer, G_MAXINT64);
  fw_json_writer_int (&writer, G_MININT64);
  fw_json_writer_uint (&writer, G_MAXUINT64);
  fw_json_writer_end_array (&writer);

  assert_string_equal (out->str, "[0,-1,9223372036854775807,-9223372036854775808,"
                                 "18446744073709551615]");
  g_autoptr (JsonNode) node = json_from_string (out->str, NULL);
  JsonArray *array = json_node_get_array (node);
  assert_int_equal (json_array_get_int_element (array, 2), G_MAXINT64);
  assert_true (json_array_get_int_element (array, 3) == G_MININT64);
}

static void
test_writer_writes_doubles_shortest_and_typed (void **state)
{
  static const struct {
    double value;
    const char *expected;
  } cases[] = {
    { 0.1, "0.1" },    { 0.75, "0.75" },          { 1.0, "1.0" },
    { -2.0, "-2.0" },  { 1e300, "1e+300" },       { 2.5e-8, "2.5e-08" },
    { 1.0 / 3.0, "0.3333333333333333" },          { 123456789012.0, "123456789012.0" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (GString) out = g_string_new (NULL);
      FwJsonWriter writer;
      fw_json_writer_init (&writer, out);
      fw_json_writer_double (&writer, cases[i].value);
      assert_string_equal (out->str, cases[i].expected);

      g_autoptr (JsonNode) node = json_from_string (out->str, NULL);
      assert_true (json_node_get_double (node) == cases[i].value);
    }
}

static void
test_writer_writes_null_for_nan_and_infinity (void **state)
{
  g_autoptr (GString) out = g_string_new (NULL);
  FwJsonWriter writer;

  fw_json_writer_init (&writer, out);
  fw_json_writer_begin_array (&writer);
  fw_json_writer_double (&writer, NAN);
  fw_json_writer_double (&writer, INFINITY);
  fw_json_writer_double (&writer, -INFINITY);
  fw_json_writer_end_array (&writer);
  assert_string_equal (out->str, "[null,null,null]");
}

static void
test_writer_numbers_ignore_the_locale (void **state)
{
  static const char *const comma_locales[] = { "de_DE.UTF-8", "fr_FR.UTF-8", "de_DE", NULL };
  char saved[256];
  const char *set = NULL;

  g_strlcpy (saved, setlocale (LC_NUMERIC, NULL), sizeof saved);
  for (guint i = 0; comma_locales[i] && set == NULL; i++)
    set = setlocale (LC_NUMERIC, comma_locales[i]);
  if (set == NULL)
    skip (); /* no locale with a decimal comma is installed; nothing allocated yet */

  g_autoptr (GString) out = g_string_new (NULL);
  FwJsonWriter writer;
  fw_json_writer_init (&writer, out);
  fw_json_writer_double (&writer, 0.5);
  fw_json_writer_double (&writer, 1.0);
  setlocale (LC_NUMERIC, saved);
  assert_string_equal (out->str, "0.51.0");
}

static void
test_writer_refuses_what_would_not_be_json (void **state)
{
  g_autoptr (GString) out = g_string_new (NULL);
  FwJsonWriter writer;
  GLogFunc old = g_log_set_default_handler (count_criticals, NULL);

  n_criticals = 0;
  fw_json_writer_init (&writer, out);
  fw_json_writer_begin_object (&writer);
  fw_json_writer_int (&writer, 1);          /* a member without a key */
  fw_json_writer_end_array (&writer);       /* not an array */
  fw_json_writer_key (&writer, "a");
  fw_json_writer_key (&writer, "b");        /* a key after a key */
  fw_json_writer_end_object (&writer);      /* the key has no value */
  fw_json_writer_string (&writer, "x");
  fw_json_writer_end_object (&writer);
  fw_json_writer_end_object (&writer);      /* nothing is open */
  fw_json_writer_begin_array (&writer);
  fw_json_writer_key (&writer, "c");        /* keys belong in objects */
  fw_json_writer_end_array (&writer);
  g_log_set_default_handler (old, NULL);

  assert_int_equal (n_criticals, 6);
  assert_string_equal (out->str, "{\"a\":\"x\"}[]");
  assert_true (fw_json_writer_is_complete (&writer));
}

static void
test_writer_refuses_nesting_past_the_limit (void **state)
{
  g_autoptr (GString) out = g_string_new (NULL);
  FwJsonWriter writer;
  GLogFunc old = g_log_set_default_handler (count_criticals, NULL);

  n_criticals = 0;
  fw_json_writer_init (&writer, out);
  for (int i = 0; i < FW_JSON_WRITER_MAX_DEPTH + 1; i++)
    fw_json_writer_begin_array (&writer);
  for (int i = 0; i < FW_JSON_WRITER_MAX_DEPTH; i++)
    fw_json_writer_end_array (&writer);
  g_log_set_default_handler (old, NULL);

  assert_int_equal (n_criticals, 1);
  assert_int_equal (out->len, 2 * FW_JSON_WRITER_MAX_DEPTH);
  assert_true (fw_json_writer_is_complete (&writer));
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_string_escapes_quote_and_backslash),
    cmocka_unit_test (test_string_escapes_every_control_character),
    cmocka_unit_test (test_string_with_nul_is_written_whole),
    cmocka_unit_test (test_string_passes_valid_utf8_through),
    cmocka_unit_test (test_string_escapes_unicode_line_separators),
    cmocka_unit_test (test_string_replaces_invalid_utf8),
    cmocka_unit_test (test_string_of_random_bytes_is_always_valid_json),
    cmocka_unit_test (test_writer_puts_commas_and_colons_in),
    cmocka_unit_test (test_writer_appends_after_what_is_there),
    cmocka_unit_test (test_writer_writes_json_lines),
    cmocka_unit_test (test_writer_escapes_keys),
    cmocka_unit_test (test_writer_writes_integers_exactly),
    cmocka_unit_test (test_writer_writes_doubles_shortest_and_typed),
    cmocka_unit_test (test_writer_writes_null_for_nan_and_infinity),
    cmocka_unit_test (test_writer_numbers_ignore_the_locale),
    cmocka_unit_test (test_writer_refuses_what_would_not_be_json),
    cmocka_unit_test (test_writer_refuses_nesting_past_the_limit),
  };

  return cmocka_run_group_tests (tests, NULL, NULL);
}
