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
