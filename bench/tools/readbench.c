/* Reads every record of a file and prints records/s and MB/s. */
#include <stdio.h>
#include <sys/stat.h>
#include <sys/resource.h>
#include "reader-private.h"
int main (int argc, char **argv)
{
  GError *error = NULL;
  struct stat st;
  stat (argv[1], &st);
  gint64 start = g_get_monotonic_time ();
  FwReader *reader = fw_reader_new_for_path (argv[1], NULL, &error);
  if (!reader) { fprintf (stderr, "%s\n", error->message); return 1; }
  FwRecord *record = fw_record_new ();
  guint64 bytes = 0;
  while (fw_reader_next (reader, record, &error))
    bytes += record->text->len;
  double wall = (g_get_monotonic_time () - start) / 1e6;
  struct rusage ru; getrusage (RUSAGE_SELF, &ru);
  double s = ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 + ru.ru_stime.tv_sec + ru.ru_stime.tv_usec / 1e6;
  printf ("wall %.3f s, ", wall);
  printf ("%s: %s, %lu records (%lu errors) in %.3f s cpu: %.0f records/s, %.1f MB/s (text %.0f MB)\n",
          argv[1], fw_reader_format_to_string (fw_reader_get_format (reader)),
          (unsigned long) fw_reader_get_n_records (reader), (unsigned long) fw_reader_get_n_errors (reader),
          s, fw_reader_get_n_records (reader) / s, st.st_size / 1e6 / s, bytes / 1e6);
  fw_record_free (record); fw_reader_free (reader);
  return 0;
}
