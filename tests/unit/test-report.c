/* test-report.c: the report aggregate and its merge.
 *
 * What a user relies on: the JSON partial holds exactly the counts of the
 * notes given, and merging partials gives the same bytes as one report
 * over all the notes, whatever the split, grouping and order. Malformed
 * input is counted as unreadable and changes nothing else.
 */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include <glib.h>
#include <json-glib/json-glib.h>

#include "fivewhys.h"

/* ---- Helpers ------------------------------------------------------------- */

static char *
json_of (FwReport *report)
{
  return fw_report_render (report, FW_REPORT_FORMAT_JSON, 0);
}

/* Adds @line, which must be read without error. */
static void
add_ok (FwReport *report, const char *line, FwReportLine expected)
{
  g_autoptr (GError) error = NULL;
  FwReportLine kind;
  gboolean ok = fw_report_add_line (report, line, -1, &kind, &error);
  if (!ok)
    fail_msg ("line not read: %s: %s", error->message, line);
  assert_int_equal (kind, expected);
}

/* Adds @line, which must fail with @code. */
static void
add_fails (FwReport *report, const char *line, int code, const char *message)
{
  g_autoptr (GError) error = NULL;
  assert_false (fw_report_add_line (report, line, -1, NULL, &error));
  assert_non_null (error);
  assert_true (error->domain == FW_ERROR);
  assert_int_equal (error->code, code);
  if (message != NULL)
    assert_string_equal (error->message, message);
}

/* A deterministic corpus of varied notes: needs, depths, motivations,
 * flags, groups, repeated rungs and phrases. */
static const char *const home_loan[] = { "money", "purchase", "progress", "provide", "love" };
static const char *const home_levels[] = { "function", "function", "benefit", "benefit", "motivation" };
static const char *const owners[] = { "Ann", "Bob", "Zoë", NULL };
static const char *const phrases[] = { "we just want to talk to someone", "the rate is too high",
                                       "Second-hand dealer, please", "talk to someone" };

static void
make_note (guint i, FwReportNote *note, const char **rungs, const char **levels, const char **flags,
           const char **unmatched)
{
  guint depth = i % 6;
  memset (note, 0, sizeof *note);
  note->ok = i % 11 != 7;
  note->need = i % 5 == 4 ? NULL : (i % 3 == 0 ? "car-loan" : "home-loan");
  note->depth = depth;
  for (guint k = 0; k < depth; k++)
    {
      rungs[k] = home_loan[k];
      levels[k] = home_levels[k];
    }
  rungs[depth] = levels[depth] = NULL;
  note->rungs = rungs;
  note->levels = levels;
  note->motivation = depth == 5 ? "family" : NULL;
  flags[0] = depth == 0 ? "no-discovery" : (i % 4 == 1 ? "stopped-at-price" : NULL);
  flags[1] = NULL;
  note->flags = flags;
  note->group = owners[i % 4];
  unmatched[0] = i % 2 == 0 ? phrases[i % G_N_ELEMENTS (phrases)] : NULL;
  unmatched[1] = NULL;
  note->unmatched = unmatched;
}

static void
add_notes (FwReport *report, guint from, guint to)
{
  for (guint i = from; i < to; i++)
    {
      FwReportNote note;
      const char *rungs[8], *levels[8], *flags[2], *unmatched[2];
      make_note (i, &note, rungs, levels, flags, unmatched);
      fw_report_add_note (report, &note);
    }
}

/* A report of notes [from, to) as its JSON partial. */
static char *
partial_of (const char *group_field, guint from, guint to)
{
  g_autoptr (FwReport) report = fw_report_new (group_field);
  add_notes (report, from, to);
  return json_of (report);
}

static FwReport *
report_of_partials (const char *group_field, const char *const *partials)
{
  FwReport *report = fw_report_new (group_field);
  for (guint i = 0; partials[i] != NULL; i++)
    add_ok (report, partials[i], FW_REPORT_LINE_PARTIAL);
  return report;
}

/* ---- Counting ------------------------------------------------------------- */

static void
test_one_note_gives_its_counts (void **state)
{
  g_autoptr (FwReport) report = fw_report_new ("OwnerName");
  add_ok (report,
          "{\"id\":\"123\",\"record\":12,\"need\":\"home-loan\",\"depth\":3,\"motivation\":null,"
          "\"chain\":[{\"rung\":\"money\",\"level\":\"function\",\"evidence\":{\"start\":10,\"end\":25,\"text\":\"need the money\"}},"
          "{\"rung\":\"purchase\",\"level\":\"function\"},{\"rung\":\"progress\",\"level\":\"benefit\"}],"
          "\"flags\":[\"stopped-at-price\"],\"status\":\"ok\",\"error\":null,\"fields\":{\"OwnerName\":\"Ann\"},"
          "\"unmatched\":[\"we just want to talk to someone\"]}\n",
          FW_REPORT_LINE_RECORD);
  g_autofree char *json = json_of (report);
  assert_string_equal (json,
                       "{\"errors\":0,\"fivewhys_report\":1,\"group_field\":\"OwnerName\","
                       "\"groups\":{\"Ann\":{\"depth\":[0,0,0,1],\"errors\":0,\"notes\":1,\"reached\":0,"
                       "\"stops\":{\"home-loan/progress\":1}}},"
                       "\"needs\":{\"home-loan\":{\"depth\":[0,0,0,1],\"errors\":0,\"flags\":{\"stopped-at-price\":1},"
                       "\"indirect\":{\"money>progress\":1},\"links\":{\"money>purchase\":1,\"purchase>progress\":1},"
                       "\"motivations\":{\"(none)\":1},\"notes\":1,\"paths\":{\"money>purchase>progress\":1},"
                       "\"rungs\":{\"money\":{\"function\":1},\"progress\":{\"benefit\":1},\"purchase\":{\"function\":1}}}},"
                       "\"notes\":1,\"phrases\":{\"someone\":1,\"talk\":1,\"talk to someone\":1,\"want\":1,\"want to talk\":1},"
                       "\"unreadable\":0}\n");
  assert_int_equal (fw_report_get_n_notes (report), 1);
  assert_int_equal (fw_report_get_n_errors (report), 0);
}

static void
test_error_record_counts_as_note_and_error_only (void **state)
{
  g_autoptr (FwReport) report = fw_report_new ("OwnerName");
  add_ok (report, "{\"id\":\"7\",\"status\":\"error\",\"error\":\"row has 3 fields\",\"need\":null,\"chain\":[]}",
          FW_REPORT_LINE_RECORD);
  g_autofree char *json = json_of (report);
  assert_string_equal (json,
                       "{\"errors\":1,\"fivewhys_report\":1,\"group_field\":\"OwnerName\","
                       "\"groups\":{\"(none)\":{\"depth\":[],\"errors\":1,\"notes\":1,\"reached\":0,\"stops\":{}}},"
                       "\"needs\":{\"(none)\":{\"depth\":[],\"errors\":1,\"flags\":{},\"indirect\":{},\"links\":{},"
                       "\"motivations\":{},\"notes\":1,\"paths\":{},\"rungs\":{}}},"
                       "\"notes\":1,\"phrases\":{},\"unreadable\":0}\n");
}

static void
test_repeated_rungs_count_once_per_note (void **state)
{
  g_autoptr (FwReport) report = fw_report_new (NULL);
  const char *rungs[] = { "a", "b", "a", "b", NULL };
  const char *levels[] = { "function", "function", "function", "function", NULL };
  const char *flags[] = { "x", "x", NULL };
  const char *unmatched[] = { "dealer", "the dealer again", NULL };
  FwReportNote note = { .ok = TRUE, .need = "n", .depth = 4, .rungs = rungs, .levels = levels, .flags = flags,
                        .unmatched = unmatched };
  fw_report_add_note (report, &note);
  g_autofree char *json = json_of (report);
  assert_non_null (strstr (json, "\"links\":{\"a>b\":1,\"b>a\":1}"));
  assert_non_null (strstr (json, "\"indirect\":{\"a>a\":1,\"a>b\":1,\"b>b\":1}"));
  assert_non_null (strstr (json, "\"flags\":{\"x\":1}"));
  assert_non_null (strstr (json, "\"rungs\":{\"a\":{\"function\":1},\"b\":{\"function\":1}}"));
  assert_non_null (strstr (json, "\"phrases\":{\"dealer\":1}"));
}

static void
test_group_value_reads_numbers_and_absence (void **state)
{
  g_autoptr (FwReport) report = fw_report_new ("Owner");
  add_ok (report, "{\"status\":\"ok\",\"need\":\"n\",\"depth\":0,\"motivation\":null,\"chain\":[],\"fields\":{\"Owner\":42}}",
          FW_REPORT_LINE_RECORD);
  add_ok (report, "{\"status\":\"ok\",\"need\":\"n\",\"depth\":0,\"motivation\":null,\"chain\":[],\"fields\":{\"Owner\":\"\"}}",
          FW_REPORT_LINE_RECORD);
  add_ok (report, "{\"status\":\"ok\",\"need\":\"n\",\"depth\":0,\"motivation\":null,\"chain\":[]}", FW_REPORT_LINE_RECORD);
  g_autofree char *json = json_of (report);
  assert_non_null (strstr (json, "\"groups\":{\"(none)\":{\"depth\":[2],\"errors\":0,\"notes\":2,"));
  assert_non_null (strstr (json, "\"42\":{\"depth\":[1],"));
  assert_non_null (strstr (json, "\"stops\":{\"n\":2}"));
}

static void
test_phrases_skip_stop_word_edges_and_punctuation (void **state)
{
  g_autoptr (FwReport) report = fw_report_new (NULL);
  const char *unmatched[] = { "Rate matters. The RATE, honestly!", "it's the 2 kids’ follow-up", NULL };
  FwReportNote note = { .ok = TRUE, .need = "n", .unmatched = unmatched };
  fw_report_add_note (report, &note);
  g_autofree char *json = json_of (report);
  assert_non_null (strstr (json, "\"phrases\":{\"follow-up\":1,\"honestly\":1,\"kids\":1,\"kids follow-up\":1,"
                                 "\"matters\":1,\"rate\":1,\"rate matters\":1}"));
}

static void
test_blank_and_comment_lines_add_nothing (void **state)
{
  g_autoptr (FwReport) report = fw_report_new (NULL);
  g_autofree char *empty = json_of (report);
  add_ok (report, "", FW_REPORT_LINE_BLANK);
  add_ok (report, "  \t\r\n", FW_REPORT_LINE_BLANK);
  add_ok (report, "# a comment", FW_REPORT_LINE_BLANK);
  g_autofree char *json = json_of (report);
  assert_string_equal (json, empty);
}

/* ---- Unreadable input ------------------------------------------------------ */

static void
test_unreadable_lines_are_counted_and_change_nothing_else (void **state)
{
  g_autoptr (FwReport) report = fw_report_new ("Owner");
  add_fails (report, "not json", FW_ERROR_INPUT, "not JSON");
  add_fails (report, "[1]", FW_ERROR_INPUT, "not a JSON object");
  add_fails (report, "{\"need\":\"n\"}", FW_ERROR_INPUT, "not an analyze record: missing 'status'");
  add_fails (report, "{\"status\":\"ok\",\"need\":\"n\",\"depth\":2,\"motivation\":null}", FW_ERROR_INPUT,
             "not an analyze record: missing 'chain'");
  add_fails (report,
             "{\"status\":\"ok\",\"need\":\"n\",\"depth\":1,\"motivation\":null,\"chain\":[{\"rung\":\"a\"}]}",
             FW_ERROR_INPUT, "not an analyze record: 'chain' item 1 has no 'level'");
  add_fails (report, "{\"status\":\"ok\",\"need\":\"n\",\"depth\":-1,\"motivation\":null,\"chain\":[]}", FW_ERROR_INPUT,
             "not an analyze record: 'depth' is not a whole number from 0 to 64");
  add_fails (report, "{\"status\":\"ok\",\"need\":\"n\",\"depth\":0,\"motivation\":null,\"chain\":[],\"unmatched\":[1]}",
             FW_ERROR_INPUT, "not an analyze record: 'unmatched' item 1 is not a string");
  add_fails (report,
             "{\"status\":\"ok\",\"need\":\"n\",\"depth\":1,\"motivation\":null,"
             "\"chain\":[{\"rung\":\"a>b\",\"level\":\"function\"}]}",
             FW_ERROR_INPUT, "not an analyze record: 'chain' item 1: a rung id cannot hold '>'");
  add_fails (report, "{\"a\":\"\xc3\x28\"}", FW_ERROR_INPUT, "not valid UTF-8 (or holds a NUL byte)");
  g_autofree char *deep = g_strnfill (10000, '[');
  add_fails (report, deep, FW_ERROR_INPUT, NULL);
  assert_int_equal (fw_report_get_n_unreadable (report), 10);
  assert_int_equal (fw_report_get_n_notes (report), 0);
  g_autofree char *json = json_of (report);
  assert_string_equal (json, "{\"errors\":0,\"fivewhys_report\":1,\"group_field\":\"Owner\",\"groups\":{},\"needs\":{},"
                             "\"notes\":0,\"phrases\":{},\"unreadable\":10}\n");
}

static void
test_malformed_partials_are_unreadable (void **state)
{
  g_autoptr (FwReport) report = fw_report_new (NULL);
  g_autofree char *good = partial_of (NULL, 0, 10);
  g_autofree char *before = json_of (report);
  add_fails (report, "{\"fivewhys_report\":2}", FW_ERROR_INPUT,
             "a report partial of version 2: this fivewhys reads version 1");
  g_autofree char *unknown = g_strdup (good);
  memcpy (strstr (unknown, "\"phrases\""), "\"phrasez\"", 9);
  add_fails (report, unknown, FW_ERROR_INPUT, "not a report partial: unknown key 'phrasez'");
  g_autofree char *negative = g_strdup (good);
  char *notes = strstr (negative, "\"notes\":");
  notes[8] = '-';
  add_fails (report, negative, FW_ERROR_INPUT, NULL);
  add_fails (report,
             "{\"errors\":0,\"fivewhys_report\":1,\"group_field\":null,\"groups\":{},\"needs\":{},\"notes\":1.5,"
             "\"phrases\":{},\"unreadable\":0}",
             FW_ERROR_INPUT, "not a report partial: notes: not a count (a whole number from 0 to 2^53 - 1)");
  add_fails (report,
             "{\"errors\":0,\"fivewhys_report\":1,\"group_field\":null,\"groups\":{},\"needs\":{\"n\":{}},\"notes\":1,"
             "\"phrases\":{},\"unreadable\":0}",
             FW_ERROR_INPUT, "not a report partial: needs.n: missing 'depth'");
  add_fails (report,
             "{\"errors\":0,\"fivewhys_report\":1,\"group_field\":null,\"groups\":{\"Ann\":{}},\"needs\":{},\"notes\":1,"
             "\"phrases\":{},\"unreadable\":0}",
             FW_ERROR_INPUT, "not a report partial: groups without a group_field");
  /* Nothing of the bad partials was merged: only the unreadable count moved. */
  g_autofree char *after = json_of (report);
  g_autofree char *expected = g_strdup (before);
  memcpy (strstr (expected, "\"unreadable\":0"), "\"unreadable\":6", 14);
  assert_string_equal (after, expected);
}

/* ---- Merging --------------------------------------------------------------- */

static void
test_merge_equals_single_run_in_any_grouping_and_order (void **state)
{
  const char *fields[] = { "Owner", NULL };
  for (guint f = 0; f < G_N_ELEMENTS (fields); f++)
    {
      g_autofree char *single = partial_of (fields[f], 0, 60);
      g_autofree char *a = partial_of (fields[f], 0, 17);
      g_autofree char *b = partial_of (fields[f], 17, 41);
      g_autofree char *c = partial_of (fields[f], 41, 60);
      const char *orders[][4] = { { a, b, c, NULL }, { c, b, a, NULL }, { b, a, c, NULL }, { c, a, b, NULL } };
      for (guint o = 0; o < G_N_ELEMENTS (orders); o++)
        {
          g_autoptr (FwReport) flat = report_of_partials (fields[f], orders[o]);
          g_autofree char *json = json_of (flat);
          assert_string_equal (json, single);
        }
      /* (a + b) + c and a + (c + b), each merge through its JSON */
      const char *ab_parts[] = { a, b, NULL };
      g_autoptr (FwReport) ab = report_of_partials (fields[f], ab_parts);
      g_autofree char *ab_json = json_of (ab);
      const char *left_parts[] = { ab_json, c, NULL };
      g_autoptr (FwReport) left = report_of_partials (fields[f], left_parts);
      g_autofree char *left_json = json_of (left);
      assert_string_equal (left_json, single);
      const char *cb_parts[] = { c, b, NULL };
      g_autoptr (FwReport) cb = report_of_partials (fields[f], cb_parts);
      g_autofree char *cb_json = json_of (cb);
      const char *right_parts[] = { a, cb_json, NULL };
      g_autoptr (FwReport) right = report_of_partials (fields[f], right_parts);
      g_autofree char *right_json = json_of (right);
      assert_string_equal (right_json, single);
    }
}

static void
test_merge_of_reports_equals_adding_their_notes (void **state)
{
  g_autoptr (FwReport) all = fw_report_new ("Owner");
  add_notes (all, 0, 30);
  g_autoptr (FwReport) x = fw_report_new ("Owner");
  add_notes (x, 0, 12);
  g_autoptr (FwReport) y = fw_report_new ("Owner");
  add_notes (y, 12, 30);
  g_autoptr (GError) error = NULL;
  assert_true (fw_report_merge (y, x, &error));
  g_autofree char *expected = json_of (all);
  g_autofree char *merged = json_of (y);
  assert_string_equal (merged, expected);
  /* the text, HTML and DOT of the merge are those of the single run too */
  FwReportFormat formats[] = { FW_REPORT_FORMAT_TEXT, FW_REPORT_FORMAT_HTML, FW_REPORT_FORMAT_DOT };
  for (guint i = 0; i < G_N_ELEMENTS (formats); i++)
    {
      g_autofree char *one = fw_report_render (all, formats[i], 0);
      g_autofree char *two = fw_report_render (y, formats[i], 0);
      assert_string_equal (one, two);
    }
}

static void
test_merge_refuses_a_different_group_field (void **state)
{
  g_autofree char *by_region = partial_of ("Region", 0, 5);
  g_autofree char *ungrouped = partial_of (NULL, 0, 5);
  g_autoptr (FwReport) report = fw_report_new ("Owner");
  add_notes (report, 0, 3);
  g_autofree char *before = json_of (report);
  add_fails (report, by_region, FW_ERROR_USAGE,
             "this partial is grouped by 'Region', the report by 'Owner': run both with the same --group-field");
  add_fails (report, ungrouped, FW_ERROR_USAGE,
             "this partial has no groups, the report is grouped by 'Owner': run both with the same --group-field");
  g_autofree char *after = json_of (report);
  assert_string_equal (after, before);
  assert_int_equal (fw_report_get_n_unreadable (report), 0);
}

static void
test_merge_accepts_an_empty_partial_of_any_grouping (void **state)
{
  g_autofree char *empty = partial_of ("Region", 0, 0);
  g_autoptr (FwReport) report = fw_report_new ("Owner");
  add_notes (report, 0, 3);
  g_autofree char *before = json_of (report);
  add_ok (report, empty, FW_REPORT_LINE_PARTIAL);
  g_autofree char *after = json_of (report);
  assert_string_equal (after, before);
}

static void
test_ungrouped_report_leaves_groups_out (void **state)
{
  g_autofree char *grouped = partial_of ("Owner", 0, 20);
  g_autofree char *ungrouped = partial_of (NULL, 0, 20);
  g_autoptr (FwReport) report = fw_report_new (NULL);
  add_ok (report, grouped, FW_REPORT_LINE_PARTIAL);
  g_autofree char *json = json_of (report);
  assert_string_equal (json, ungrouped);
}

static void
test_partial_round_trips_byte_for_byte (void **state)
{
  g_autofree char *json = partial_of ("Owner", 0, 45);
  g_autoptr (FwReport) report = fw_report_new ("Owner");
  add_ok (report, json, FW_REPORT_LINE_PARTIAL);
  g_autofree char *again = json_of (report);
  assert_string_equal (again, json);
}

static void
test_counts_saturate_and_stay_associative (void **state)
{
  const char *max = "{\"errors\":0,\"fivewhys_report\":1,\"group_field\":null,\"groups\":{},\"needs\":{},"
                    "\"notes\":9007199254740990,\"phrases\":{\"x\":9007199254740991},\"unreadable\":0}";
  g_autoptr (FwReport) report = fw_report_new (NULL);
  add_ok (report, max, FW_REPORT_LINE_PARTIAL);
  add_ok (report, max, FW_REPORT_LINE_PARTIAL);
  g_autofree char *json = json_of (report);
  assert_non_null (strstr (json, "\"notes\":9007199254740991,"));
  assert_non_null (strstr (json, "\"phrases\":{\"x\":9007199254740991}"));
  add_fails (report,
             "{\"errors\":0,\"fivewhys_report\":1,\"group_field\":null,\"groups\":{},\"needs\":{},"
             "\"notes\":9007199254740992,\"phrases\":{},\"unreadable\":0}",
             FW_ERROR_INPUT, NULL);
}

/* ---- Rendering ------------------------------------------------------------- */

static void
test_min_link_default_is_three_percent_at_least_two (void **state)
{
  g_autoptr (FwReport) report = fw_report_new (NULL);
  assert_int_equal (fw_report_get_min_link (report, "home-loan", 0), 2);
  for (guint i = 0; i < 101; i++)
    {
      FwReportNote note = { .ok = TRUE, .need = "home-loan" };
      fw_report_add_note (report, &note);
      if (i == 99)
        assert_int_equal (fw_report_get_min_link (report, "home-loan", 0), 3);
    }
  assert_int_equal (fw_report_get_min_link (report, "home-loan", 0), 4);
  assert_int_equal (fw_report_get_min_link (report, "home-loan", 7), 7);
}

static void
test_html_escapes_every_string (void **state)
{
  g_autoptr (FwReport) report = fw_report_new ("<g>");
  const char *rungs[] = { "r&<", "\"q\"", NULL };
  const char *unmatched[] = { "<script>alert(1)</script>", NULL };
  FwReportNote note = { .ok = TRUE, .need = "a<b", .depth = 2, .rungs = rungs, .group = "x\x01y&",
                        .motivation = "'m'", .unmatched = unmatched };
  fw_report_add_note (report, &note);
  g_autofree char *html = fw_report_render (report, FW_REPORT_FORMAT_HTML, 1);
  assert_null (strstr (html, "<script"));
  assert_null (strstr (html, "r&<"));
  assert_null (strstr (html, "a<b"));
  assert_null (strstr (html, "\x01"));
  assert_non_null (strstr (html, "a&lt;b"));
  assert_non_null (strstr (html, "r&amp;&lt;"));
  assert_non_null (strstr (html, "x\xef\xbf\xbdy&amp;"));
  g_autofree char *dot = fw_report_render (report, FW_REPORT_FORMAT_DOT, 1);
  assert_non_null (strstr (dot, "label=\"\\\"q\\\"\\nunknown, 1 note\""));
}

/* A CRM field may hold anything: the JSON partial must stay one line of
 * valid JSON whatever the strings hold (quotes, backslashes, tabs, line
 * breaks, control characters), give the strings back as they were, and
 * merge back to the same bytes. */
static void
test_json_escapes_every_string_and_reads_back (void **state)
{
  const char *field = "Owner\\Name\t";
  const char *group = "back\\slash \"q\"\ttab\nline\rcr\x01" "ctl\x1f";
  const char *need = "need\nwith\\break";
  g_autoptr (FwReport) report = fw_report_new (field);
  assert_string_equal (fw_report_get_group_field (report), field);
  const char *rungs[] = { "r\t1", NULL };
  const char *levels[] = { "function", NULL };
  FwReportNote note = { .ok = TRUE, .need = need, .depth = 1, .rungs = rungs, .levels = levels, .group = group };
  fw_report_add_note (report, &note);
  g_autofree char *json = json_of (report);

  /* one line: no raw control character but the final newline */
  gsize len = strlen (json);
  assert_true (len > 0 && json[len - 1] == '\n');
  for (gsize i = 0; i + 1 < len; i++)
    if ((unsigned char) json[i] < 0x20)
      fail_msg ("raw control character 0x%02x at byte %" G_GSIZE_FORMAT " of %s", json[i], i, json);
  assert_non_null (strstr (json, "\"back\\\\slash \\\"q\\\"\\ttab\\nline\\rcr\\u0001ctl\\u001f\""));

  /* json-glib reads back the very strings */
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (GError) error = NULL;
  if (!json_parser_load_from_data (parser, json, -1, &error))
    fail_msg ("json-glib cannot read the partial: %s: %s", error->message, json);
  JsonObject *root = json_node_get_object (json_parser_get_root (parser));
  assert_string_equal (json_object_get_string_member (root, "group_field"), field);
  assert_true (json_object_has_member (json_object_get_object_member (root, "groups"), group));
  JsonObject *needs = json_object_get_object_member (root, "needs");
  assert_true (json_object_has_member (needs, need));
  assert_non_null (strstr (json, "\"r\\t1\""));

  /* and the partial merges back to the same bytes */
  g_autoptr (FwReport) again = fw_report_new (field);
  add_ok (again, json, FW_REPORT_LINE_PARTIAL);
  g_autofree char *json_again = json_of (again);
  assert_string_equal (json_again, json);
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_one_note_gives_its_counts),
    cmocka_unit_test (test_error_record_counts_as_note_and_error_only),
    cmocka_unit_test (test_repeated_rungs_count_once_per_note),
    cmocka_unit_test (test_group_value_reads_numbers_and_absence),
    cmocka_unit_test (test_phrases_skip_stop_word_edges_and_punctuation),
    cmocka_unit_test (test_blank_and_comment_lines_add_nothing),
    cmocka_unit_test (test_unreadable_lines_are_counted_and_change_nothing_else),
    cmocka_unit_test (test_malformed_partials_are_unreadable),
    cmocka_unit_test (test_merge_equals_single_run_in_any_grouping_and_order),
    cmocka_unit_test (test_merge_of_reports_equals_adding_their_notes),
    cmocka_unit_test (test_merge_refuses_a_different_group_field),
    cmocka_unit_test (test_merge_accepts_an_empty_partial_of_any_grouping),
    cmocka_unit_test (test_ungrouped_report_leaves_groups_out),
    cmocka_unit_test (test_partial_round_trips_byte_for_byte),
    cmocka_unit_test (test_counts_saturate_and_stay_associative),
    cmocka_unit_test (test_min_link_default_is_three_percent_at_least_two),
    cmocka_unit_test (test_html_escapes_every_string),
    cmocka_unit_test (test_json_escapes_every_string_and_reads_back),
  };
  return cmocka_run_group_tests (tests, NULL, NULL);
}
