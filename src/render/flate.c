/* flate.c - streams handed to libharu already compressed (flate.h). */
#include "render/flate.h"

#include <hpdf_streams.h>

static HPDF_STATUS
write_flate_filter(HPDF_Dict dict, HPDF_Stream stream)
{
	(void)dict;
	return HPDF_Stream_WriteStr(stream, "/Filter /FlateDecode\012");
}

void
flate_mark_precompressed(HPDF_Dict stream_dict)
{
	stream_dict->filter = HPDF_STREAM_FILTER_NONE;
	stream_dict->write_fn = write_flate_filter;
}

/* As libharu writes the key for a stream it compresses itself: an array,
 * added to the dictionary at its first write, so the last key, and the
 * hook writes after the keys. */
static HPDF_STATUS
write_flate_filter_array(HPDF_Dict dict, HPDF_Stream stream)
{
	(void)dict;
	return HPDF_Stream_WriteStr(stream, "/Filter [ /FlateDecode ]\012");
}

void
flate_mark_precompressed_array(HPDF_Dict stream_dict)
{
	stream_dict->filter = HPDF_STREAM_FILTER_NONE;
	stream_dict->write_fn = write_flate_filter_array;
}
