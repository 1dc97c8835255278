/* Writes one analyze-shaped JSON line per note of a file, with the note's
 * text escaped in, and prints records/s and MB/s of output. */
#include <stdio.h>
#include "reader-private.h"
#include "jsonout-private.h"
int main (int argc, char **argv)
{
  FwReader *reader = fw_reader_new_for_path (argv[1], NULL, NULL);
  FwRecord *record = fw_record_new ();
  GPtrArray *texts = g_ptr_array_new_with_free_func (g_free);
  while (fw_reader_next (reader, record, NULL))
    g_ptr_array_add (texts, g_strdup (record->text->str));
  GString *out = g_string_sized_new (1 << 20);
  guint64 written = 0, n = 0;
  gint64 start = g_get_monotonic_time ();
  for (int round = 0; round < 3; round++)
    for (guint i = 0; i < texts->len; i++, n++)
      {
        FwJsonWriter w;
        fw_json_writer_init (&w, out);
        fw_json_writer_begin_object (&w);
        fw_json_writer_key (&w, "id"); fw_json_writer_uint (&w, i);
        fw_json_writer_key (&w, "need"); fw_json_writer_string (&w, "home-loan");
        fw_json_writer_key (&w, "depth"); fw_json_writer_int (&w, 4);
        fw_json_writer_key (&w, "motivation"); fw_json_writer_string (&w, "family");
        fw_json_writer_key (&w, "chain"); fw_json_writer_begin_array (&w);
        fw_json_writer_string (&w, "money"); fw_json_writer_string (&w, "purchase"); fw_json_writer_string (&w, "love");
        fw_json_writer_end_array (&w);
        fw_json_writer_key (&w, "score"); fw_json_writer_double (&w, 0.8125);
        fw_json_writer_key (&w, "text"); fw_json_writer_string (&w, g_ptr_array_index (texts, i));
        fw_json_writer_key (&w, "status"); fw_json_writer_string (&w, "ok");
        fw_json_writer_end_object (&w);
        g_string_append_c (out, '\n');
        if (out->len > (1 << 20)) { written += out->len; g_string_truncate (out, 0); }
      }
  written += out->len;
  double s = (g_get_monotonic_time () - start) / 1e6;
  printf ("%lu records, %.0f MB in %.3f s: %.0f records/s, %.0f MB/s\n", (unsigned long) n, written / 1e6, s, n / s, written / 1e6 / s);
  return 0;
}
