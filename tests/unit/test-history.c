/* test-history.c: the report reader behind `prep --history`: what it takes,
 * what it ignores, and how it counts. */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>
#include <unistd.h>

#include <glib.h>
#include <glib/gstdio.h>

#include "fw-private.h"
#include "prep-private.h"

/* Writes @json to a temporary file and loads it; NULL with @error set on
 * failure. */
static FwHistory *
load_json (const char *json, GError **error)
{
  g_autofree char *path = NULL;
  int fd = g_file_open_tmp ("test-history-XXXXXX.json", &path, NULL);
  assert_true (fd >= 0);
  close (fd);
  assert_true (g_file_set_contents (path, json, -1, NULL));
  FwHistory *history = fw_history_load (path, error);
  g_unlink (path);
  return history;
}

static const FwNeedHistory *
need_of (FwHistory *history, const char *id)
{
  g_autoptr (GError) error = NULL;
  const FwNeedHistory *need = fw_history_get_need (history, id, &error);
  if (need == NULL)
    fail_msg ("%s", error->message);
  return need;
}

static void
reads_paths_and_notes_and_ignores_other_keys (void **state)
{
  g_autoptr (FwHistory) history = load_json (
      "{\"fivewhys_report\": 1, \"groups\": {}, \"needs\": {\"home-loan\": {\"notes\": 120, \"depth\": [1, 2],"
      " \"paths\": {\"money>purchase>progress\": 40, \"money>purchase\": 30, \"money\": 10, \"family\": 5},"
      " \"rungs\": {\"money\": {\"function\": 80}}}}}",
      NULL);
  assert_non_null (history);
  const FwNeedHistory *need = need_of (history, "home-loan");
  assert_true (need->notes == 120);
  assert_true (need->has_paths);
  assert_false (need->has_links);
  const char *money[] = { "money" };
  const char *purchase[] = { "money", "purchase" };
  const char *family[] = { "family" };
  assert_true (fw_need_history_prefix (need, money, 1) == 80);
  assert_true (fw_need_history_prefix (need, purchase, 2) == 70);
  assert_true (fw_need_history_prefix (need, family, 1) == 5);
  /* Without "links", a link counts the paths that take that step. */
  assert_true (fw_need_history_link (need, "money", "purchase") == 70);
  assert_true (fw_need_history_link (need, "purchase", "progress") == 40);
  assert_true (fw_need_history_link (need, "purchase", "money") == 0);
  /* Most taken first. */
  const FwHistoryPath *first = g_ptr_array_index (need->paths, 0);
  assert_int_equal (first->n_ids, 3);
  assert_string_equal (first->ids[2], "progress");
}

static void
reads_arrays_merges_duplicates_and_skips_what_is_not_a_count (void **state)
{
  g_autoptr (FwHistory) history = load_json (
      "{\"needs\": {\"n\": {\"notes\": 10.5, \"paths\": ["
      " {\"path\": \"a > b\", \"count\": 2}, {\"path\": [\"a\", \"b\"], \"n\": 3},"
      " {\"path\": \"a>c\", \"count\": -4}, {\"path\": \"a>>c\", \"count\": 1}, {\"path\": [\"a\", 7], \"count\": 1},"
      " {\"chain\": \"c\", \"count\": {\"count\": 1.5}}, \"junk\", {\"path\": \"d\", \"count\": \"many\"}],"
      " \"links\": {\"a>b\": 9, \"a>b>c\": 4, \"x>y\": {\"count\": 2}, \"bad\": null}}}}",
      NULL);
  assert_non_null (history);
  const FwNeedHistory *need = need_of (history, "n");
  assert_true (need->notes == 10.5);
  /* "a>b" twice (string and array forms) is one path of 5; "c" 1.5. */
  assert_int_equal (need->paths->len, 2);
  const FwHistoryPath *first = g_ptr_array_index (need->paths, 0);
  assert_true (first->count == 5);
  assert_string_equal (first->ids[1], "b");
  /* "links" is used as given when present; "a>b>c" is not a link. */
  assert_true (fw_need_history_link (need, "a", "b") == 9);
  assert_true (fw_need_history_link (need, "x", "y") == 2);
  assert_true (fw_need_history_link (need, "b", "c") == 0);
}

static void
names_what_a_need_lacks (void **state)
{
  g_autoptr (FwHistory) history = load_json (
      "{\"needs\": {\"no-notes\": {\"paths\": {\"a\": 1}}, \"no-counts\": {\"notes\": 3}, \"wrong\": [1]}}", NULL);
  assert_non_null (history);
  const char *cases[][2] = {
    { "no-notes", "lacks \"notes\": needs.no-notes.notes" },
    { "no-counts", "lacks \"paths\" and \"links\"" },
    { "wrong", "lacks \"notes\"" },
    { "other", "\"needs\" has no member \"other\" (it has: no-counts, no-notes, wrong)" },
  };
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (GError) error = NULL;
      assert_null (fw_history_get_need (history, cases[i][0], &error));
      assert_true (g_error_matches (error, FW_ERROR, FW_ERROR_INPUT));
      if (strstr (error->message, cases[i][1]) == NULL)
        fail_msg ("%s: '%s' lacks '%s'", cases[i][0], error->message, cases[i][1]);
    }
}

static void
refuses_what_is_not_a_report (void **state)
{
  const char *cases[][2] = {
    { "[1, 2", "invalid JSON at 1:" },
    { "[]", "no \"needs\" object" },
    { "{\"needs\": []}", "no \"needs\" object" },
    { "", "not a report: the file is empty" },
  };
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (GError) error = NULL;
      FwHistory *history = load_json (cases[i][0], &error);
      assert_null (history);
      assert_true (g_error_matches (error, FW_ERROR, FW_ERROR_INPUT));
      if (strstr (error->message, cases[i][1]) == NULL)
        fail_msg ("'%s': '%s' lacks '%s'", cases[i][0], error->message, cases[i][1]);
    }
  g_autoptr (GError) error = NULL;
  assert_null (fw_history_load ("/nonexistent/report.json", &error));
  assert_true (g_error_matches (error, FW_ERROR, FW_ERROR_IO));
  assert_string_equal (error->message, "/nonexistent/report.json: cannot read: no such file or directory");
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (reads_paths_and_notes_and_ignores_other_keys),
    cmocka_unit_test (reads_arrays_merges_duplicates_and_skips_what_is_not_a_count),
    cmocka_unit_test (names_what_a_need_lacks),
    cmocka_unit_test (refuses_what_is_not_a_report),
  };
  return cmocka_run_group_tests (tests, NULL, NULL);
}
