/* jsonout-private.h: a small, fast JSON writer that appends to a GString.
 *
 * `analyze` writes one small object per note, millions of them; json-glib's
 * generator wants a tree of GObjects first. This writer appends straight to
 * a GString and keeps only a few bits of state per nesting level, so that it
 * puts the commas and colons in and refuses (g_return_if_fail) what would
 * not be JSON: a value in an object without a key, a key in an array, an end
 * that does not match its begin.
 *
 *   FwJsonWriter writer;
 *   fw_json_writer_init (&writer, out);
 *   fw_json_writer_begin_object (&writer);
 *   fw_json_writer_key (&writer, "id");
 *   fw_json_writer_string (&writer, record->id->str);
 *   fw_json_writer_key (&writer, "depth");
 *   fw_json_writer_int (&writer, 3);
 *   fw_json_writer_end_object (&writer);
 *   g_string_append_c (out, '\n');            JSON Lines: the caller ends lines
 *
 * Strings: '"', '\\' and control characters are escaped (\n \r \t \b \f,
 * others as \u00XX); valid UTF-8 is copied as is, except U+2028, U+2029 and
 * U+0085, written as \uXXXX because line-splitting readers (Python's
 * str.splitlines, old JavaScript) take them for line ends and would cut a JSON
 * line in two; each maximal ill-formed subsequence of invalid UTF-8 (overlong
 * forms, surrogates, stray or missing continuation bytes) becomes one U+FFFD,
 * so the output is always valid UTF-8 and valid JSON. Numbers do not depend on
 * the locale; a double that is NaN or infinite is written as null.
 */
#ifndef FW_JSONOUT_PRIVATE_H
#define FW_JSONOUT_PRIVATE_H

#include <glib.h>

G_BEGIN_DECLS

#define FW_JSON_WRITER_MAX_DEPTH 64

typedef struct {
  /*< private >*/
  GString *out;
  guint depth;
  gboolean after_key;
  guint64 arrays;   /* bit d - 1: the container at depth d is an array */
  guint64 nonempty; /* bit d - 1: the container at depth d has an item */
} FwJsonWriter;

/* Starts writing values at the end of @out, which the caller owns. Several
 * values may be written at the top level; nothing separates them. */
void fw_json_writer_init (FwJsonWriter *writer, GString *out);

/* TRUE when every container begun has ended and no key awaits its value. */
gboolean fw_json_writer_is_complete (FwJsonWriter *writer);

/* Containers nest at most FW_JSON_WRITER_MAX_DEPTH deep. */
void fw_json_writer_begin_object (FwJsonWriter *writer);
void fw_json_writer_end_object (FwJsonWriter *writer);
void fw_json_writer_begin_array (FwJsonWriter *writer);
void fw_json_writer_end_array (FwJsonWriter *writer);

/* A member name; the next call writes its value. */
void fw_json_writer_key (FwJsonWriter *writer, const char *key);

/* @value NUL-terminated; NULL writes null. */
void fw_json_writer_string (FwJsonWriter *writer, const char *value);
/* @len bytes of @value, NULs included (as \u0000); -1: NUL-terminated. */
void fw_json_writer_string_len (FwJsonWriter *writer, const char *value, gssize len);
void fw_json_writer_int (FwJsonWriter *writer, gint64 value);
void fw_json_writer_uint (FwJsonWriter *writer, guint64 value);
/* The fewest digits that read back as @value, with a ".0" on whole numbers
 * so that readers keep the type; null for NaN and infinities. */
void fw_json_writer_double (FwJsonWriter *writer, double value);
void fw_json_writer_boolean (FwJsonWriter *writer, gboolean value);
void fw_json_writer_null (FwJsonWriter *writer);

/* Appends @len bytes of @value (-1: NUL-terminated) to @out as a quoted JSON
 * string, escaped as described above. */
void fw_json_append_string (GString *out, const char *value, gssize len);

G_END_DECLS

#endif /* FW_JSONOUT_PRIVATE_H */
