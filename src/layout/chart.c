/*
 * chart.c - vector charts drawn as PDF paths: a bar chart of daily
 * availability with the SLA line, and a timeline strip of states.
 *
 * Charts are units like any other block, built from rectangles, lines and
 * text, so they print sharp at any zoom and their labels are real text.
 */
#include "layout/layout.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/timeutil.h"
#include "util/xalloc.h"

#define COLOR_OK 0x3C8D4F
#define COLOR_WARN 0xE0A030
#define COLOR_BAD 0xC0392B
#define COLOR_SLA 0x1A4A8A
#define LABEL_SIZE 7.5

static struct op *rect(struct layout *l, double x, double y, double w,
    double h, uint32_t color)
{
	struct op *o = unit_op(l, OP_RECT, x, y);
	o->w = (float)w;
	o->h = (float)h;
	o->color = color;
	return o;
}

static struct op *line(struct layout *l, double x, double y, double dx,
    double dy, double width, uint32_t color)
{
	struct op *o = unit_op(l, OP_LINE, x, y);
	o->w = (float)dx;
	o->h = (float)dy;
	o->size = (float)width;
	o->color = color;
	return o;
}

static double text_w(struct layout *l, enum face f, double size,
    const char *s)
{
	return fonts_text_width(l->fonts, f, size, s, strlen(s), NULL);
}

/* Text kept by the layout, drawn with its left, centre or right at x. */
static void label(struct layout *l, double x, double y, int align,
    const char *s, uint32_t color)
{
	double w = text_w(l, FACE_SANS, LABEL_SIZE, s);
	if (align == ALIGN_RIGHT)
		x -= w;
	else if (align == ALIGN_CENTER)
		x -= w / 2;
	unit_text(l, x, y, FACE_SANS, LABEL_SIZE, color, s, strlen(s));
}

static void caption(struct layout *l, const char *text)
{
	unit_begin(l, 4);
	unit_text(l, l->margin, 9, FACE_SERIF_ITALIC, 9, COLOR_TEXT, text,
	    strlen(text));
	unit_end(l, 12, 0);
}

void layout_bar_chart(struct layout *l, const struct block *b)
{
	enum lang lang = l->doc->opt.lang;
	double bw = layout_body_width(l), H = 170;
	double left = l->margin + 38, right = l->margin + bw - 6;
	double top = 10, bottom = H - 18;	/* plot area, y down */
	double ymin = b->ymin, ymax = 100;
	if (ymin >= ymax)
		ymin = ymax - 10;
	double pw = right - left, ph = bottom - top;
#define YPOS(v) (bottom - ((v) - ymin) / (ymax - ymin) * ph)
	unit_begin(l, 12);
	/* Grid and value axis labels. */
	for (int k = 0; k <= 5; k++) {
		double v = ymin + (ymax - ymin) * k / 5;
		double y = YPOS(v);
		line(l, left, y, pw, 0, 0.3, k ? 0xDDDDDD : 0x555555);
		char *s = format_percent(lang, v, ymax - ymin < 5 ? 1 : 0);
		label(l, left - 4, y + 2.5, ALIGN_RIGHT, layout_keep(l, s), COLOR_GREY);
	}
	size_t n = b->nbars ? b->nbars : 1;
	double slot = pw / n, barw = slot * 0.72;
	double maxlab = 0;
	for (size_t i = 0; i < b->nbars; i++) {
		double w = text_w(l, FACE_SANS, LABEL_SIZE, b->bars[i].label);
		if (w > maxlab)
			maxlab = w;
	}
	size_t every = (size_t)ceil((maxlab + 6) / slot);
	if (every < 1)
		every = 1;
	for (size_t i = 0; i < b->nbars; i++) {
		double v = b->bars[i].value;
		if (v > ymax)
			v = ymax;
		double vv = v < ymin ? ymin : v;
		double x = left + i * slot + (slot - barw) / 2;
		double y = YPOS(vv);
		double h = bottom - y;
		if (h < 0.8)
			h = 0.8;	/* a day at or below the axis stays visible */
		rect(l, x, bottom - h, barw, h, v >= b->sla ? COLOR_OK : COLOR_BAD);
		if (v < ymin) {
			/* Below the axis: say how far below, so the day is
			 * not read as missing. */
			char *s = format_percent(lang, v, 1);
			double tw = text_w(l, FACE_SANS, LABEL_SIZE * 0.8, s);
			unit_text(l, x + barw / 2 - tw / 2, bottom - 3, FACE_SANS,
			    LABEL_SIZE * 0.8, COLOR_BAD, layout_keep(l, s),
			    strlen(s));
		}
		if (i % every == 0)
			label(l, x + barw / 2, bottom + 10, ALIGN_CENTER,
			    b->bars[i].label, COLOR_GREY);
	}
	/* The SLA line, dashed, with its value. */
	if (b->sla > ymin && b->sla <= ymax) {
		double y = YPOS(b->sla);
		struct op *o = line(l, left, y, pw, 0, 1.0, COLOR_SLA);
		o->dash = 1;
		char *pct = format_percent(lang, b->sla, 1);
		char *s = xasprintf("SLA %s", pct);
		free(pct);
		label(l, right, y - 3, ALIGN_RIGHT, layout_keep(l, s), COLOR_SLA);
	}
	line(l, left, top, 0, ph, 0.5, 0x555555);
	unit_end(l, H, b->text != NULL);
#undef YPOS
	if (b->text)
		caption(l, b->text);
}

static void tick_label(struct layout *l, int64_t t, int64_t span, char *out,
    size_t outlen)
{
	struct tm tm;
	time_local(t, &tm);
	if (span <= 2 * 86400)
		strftime(out, outlen, "%H:%M", &tm);
	else {
		char *s = format_date(l->doc->opt.lang, tm.tm_year + 1900,
		    tm.tm_mon + 1, tm.tm_mday);
		snprintf(out, outlen, "%s", s);
		free(s);
	}
}

void layout_timeline(struct layout *l, const struct block *b)
{
	enum lang lang = l->doc->opt.lang;
	double bw = layout_body_width(l);
	double x0 = l->margin, w = bw, top = 4, sh = 18;
	double span = (double)(b->t1 - b->t0);
	unit_begin(l, 12);
	rect(l, x0, top, w, sh, 0xEEEEEE);
	static const uint32_t colors[3] = { COLOR_OK, COLOR_WARN, COLOR_BAD };
	for (size_t i = 0; i < b->nsegs; i++) {
		const struct timeline_seg *s = &b->segs[i];
		int64_t a = s->start < b->t0 ? b->t0 : s->start;
		int64_t e = s->end > b->t1 ? b->t1 : s->end;
		if (e <= a)
			continue;
		double xa = x0 + (a - b->t0) / span * w;
		double xe = x0 + (e - b->t0) / span * w;
		if (xe - xa < 0.8)
			xe = xa + 0.8;	/* short outages stay visible */
		int st = s->state < 0 || s->state > 2 ? 2 : s->state;
		rect(l, xa, top, xe - xa, sh, colors[st]);
	}
	/* Five ticks with times or dates. */
	for (int k = 0; k <= 4; k++) {
		int64_t t = b->t0 + (int64_t)(span * k / 4);
		double x = x0 + w * k / 4;
		line(l, x, top + sh, 0, 3, 0.5, 0x555555);
		char buf[64];
		tick_label(l, t, (int64_t)span, buf, sizeof buf);
		const char *s = layout_keep(l, xstrdup(buf));
		label(l, x, top + sh + 11, k == 0 ? ALIGN_LEFT : k == 4 ?
		    ALIGN_RIGHT : ALIGN_CENTER, s, COLOR_GREY);
	}
	/* Legend. */
	static const char *const names_fr[3] = { "disponible", "dégradé",
		"indisponible" };
	static const char *const names_en[3] = { "available", "degraded",
		"unavailable" };
	double lx = x0, ly = top + sh + 16;
	for (int k = 0; k < 3; k++) {
		const char *name = lang == LANG_FR ? names_fr[k] : names_en[k];
		rect(l, lx, ly + 2, 7, 7, colors[k]);
		label(l, lx + 10, ly + 8.5, ALIGN_LEFT, name, COLOR_TEXT);
		lx += 18 + text_w(l, FACE_SANS, LABEL_SIZE, name);
	}
	unit_end(l, ly + 12, b->text != NULL);
	if (b->text)
		caption(l, b->text);
}
