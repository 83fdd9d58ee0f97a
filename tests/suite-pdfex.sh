#!/bin/sh
# suite-pdfex.sh - PDF exhibits (issue 9): each page of each PDF exhibit
# of both fixtures is in the dossier, stamped "Pièce n° N — page k/n"
# (or "Exhibit N — page k/n") with its original text still searchable;
# the file is clean for qpdf, fonts are there, rotated and landscape
# pages read left to right, links and the exhibit's outline survive,
# page numbers in the contents and the list of exhibits are exact, the
# build is reproducible, and bad PDFs are refused with their reason.
: "${DOSSIER:=./dossier}"
. tests/lib.sh

tmp=$(mktemp -d /tmp/dossier-pdfex-XXXXXX)
trap 'rm -rf "$tmp"' EXIT

# Text of page $2 of PDF $1 (one line per text line).
page_text() { pdftotext -q -f "$2" -l "$2" "$1" - 2>/dev/null; }
expect_out_file() {
	if grep -qF -- "$2" "$1"; then pass; else fail "$3: lacks '$2'"; fi
}
# Number of pages of a PDF.
npages() { pdfinfo "$1" 2>/dev/null | awk '/^Pages:/ { print $2 }'; }

for case in amen-2005 northwind-2021; do
	pdf="$tmp/$case.pdf"
	run "$DOSSIER" build "fixtures/$case" -o "$pdf"
	expect_status 0 "build $case"
	[ -f "$pdf" ] || { fail "$case: no dossier"; continue; }
	run qpdf --check "$pdf"
	expect_status 0 "$case: qpdf --check"
	expect_no_out "WARNING" "$case: qpdf --check has no warning"
	if [ "$case" = amen-2005 ]; then label="Pièce n° "; else label="Exhibit "; fi

	# Split the dossier's text into pages once.
	pdftotext -q "$pdf" "$tmp/all.txt"
	awk -v d="$tmp/$case-p" 'BEGIN { n = 1 } { while (index($0, "\f")) {
		i = index($0, "\f"); printf "%s\n", substr($0, 1, i - 1) >> (d n);
		close(d n); n++; $0 = substr($0, i + 1) } print >> (d n) }' \
		"$tmp/all.txt"
	total=$(npages "$pdf")

	# The PDF exhibits and their numbers, from the evidence store.
	"$DOSSIER" import "fixtures/$case" --db "$tmp/$case.sqlite" >/dev/null 2>&1
	sqlite3 -separator ' ' "$tmp/$case.sqlite" \
	    "SELECT number, path FROM exhibit WHERE type = 'pdf' ORDER BY number" \
	    > "$tmp/pdfs"
	[ -s "$tmp/pdfs" ] && pass || fail "$case: no PDF exhibit stored"
	while read -r num path; do
		src="fixtures/$case/$path"
		n=$(npages "$src")
		got=$(sqlite3 "$tmp/$case.sqlite" "SELECT count(*) FROM exhibit_page WHERE exhibit_number = $num")
		expect_equal "$got" "$n" "$case: pages of exhibit $num stored"
		first=
		k=1
		while [ "$k" -le "$n" ]; do
			stamp="$label$num — page $k/$n"
			p=$(grep -lF -- "$stamp" "$tmp/$case-p"* 2>/dev/null | head -1)
			if [ -z "$p" ]; then
				fail "$case: stamp '$stamp' not found"; k=$((k + 1)); continue
			fi
			pass
			pno=${p##*-p}
			[ -n "$first" ] || first=$pno
			# Pages are consecutive.
			expect_equal "$pno" "$((first + k - 1))" "$case: exhibit $num page $k in order"
			expect_out_file "$p" "page $pno / $total" "$case: footer of page $pno"
			# Every non-empty line of the original page is there.
			page_text "$src" "$k" | tr -d '\f' | sed 's/^ *//; s/ *$//' |
			    grep -v '^$' > "$tmp/src.txt"
			[ -s "$tmp/src.txt" ] && pass || fail "$case: $path page $k has no text"
			missing=0
			while IFS= read -r line; do
				grep -qF -- "$line" "$p" || { missing=$((missing + 1));
					echo "    missing from dossier page $pno: $line"; }
			done < "$tmp/src.txt"
			expect_equal "$missing" 0 "$case: text of $path page $k on dossier page $pno"
			k=$((k + 1))
		done
		# The contents entry (maybe on two lines) ends with the
		# first page; so does the bookmark.
		got=$(pdftotext -q -layout -f 2 -l 4 "$pdf" - | awk -v t="$label$num —" '
			index($0, t) { on = 1 }
			on && /(\. |  )[0-9]+ *$/ { sub(/ *$/, ""); n = split($0, w, " "); print w[n]; exit }')
		expect_equal "$got" "$first" "$case: contents gives page $first for exhibit $num"
		qpdf --json --json-key=outlines "$pdf" | grep -F -- "$label$num —" |
		    grep -qF -- "(p. $first)" && pass ||
		    fail "$case: bookmark of exhibit $num lacks (p. $first)"
	done < "$tmp/pdfs"

	# Fonts: the original's (Helvetica, not embedded) and ours.
	p=$(grep -lF -- "${label}" "$tmp/$case-p"* | xargs grep -lF -- "— page 1/" | head -1)
	pno=${p##*-p}
	run pdffonts -f "$pno" -l "$pno" "$pdf"
	expect_out "Helvetica" "$case: pdffonts shows the imported page's font"
	expect_out "LiberationSans-Bold" "$case: pdffonts shows the stamp's font"
	expect_no_out "Error" "$case: pdffonts has no error"

	# From the evidence store: the same dossier.
	run "$DOSSIER" build "$tmp/$case.sqlite" -o "$tmp/fromdb.pdf" -q
	cmp -s "$pdf" "$tmp/fromdb.pdf" && pass || fail "$case: dossier from the store differs"

	# Reproducible: the same bytes twice.
	run "$DOSSIER" build "fixtures/$case" -o "$tmp/again.pdf" -q
	cmp -s "$pdf" "$tmp/again.pdf" && pass || fail "$case: two builds differ"
done

# amen-2005 in detail.
a="$tmp/amen-2005.pdf"
page_of() { grep -lF -- "$1" "$tmp/amen-2005-p"* | head -1 | sed 's/.*-p//'; }
cgv=$(page_of "Pièce n° 21 — page 1/2")
cgv2=$(page_of "Pièce n° 21 — page 2/2")
inv=$(page_of "Pièce n° 22 — page 1/1")
let=$(page_of "Pièce n° 23 — page 1/1")
grep -qF "disponibilité de 99,9 % de ses services" "$tmp/amen-2005-p$cgv" && pass ||
	fail "the 99,9 % promise is not searchable on page $cgv"
# Landscape with a CropBox: the page is the visible box, 802 x 555.
run pdfinfo -f "$inv" -l "$inv" "$a"
expect_out "size:  801.89 x 555.28 pts" "landscape invoice keeps its CropBox size"
run pdftotext -f "$inv" -l "$inv" -layout "$a" -
expect_out "Payée par prélèvement le 26 novembre 2004." "landscape invoice reads left to right"
# /Rotate 90: displayed landscape, text upright.
run pdfinfo -f "$let" -l "$let" "$a"
expect_out "size:  841.89 x 595.28 pts" "rotated letter is displayed landscape"
expect_out "rot:   0" "the dossier page itself is not rotated"
run pdftotext -f "$let" -l "$let" "$a" -
expect_out "Nous accusons réception de votre courrier. Les interruptions" \
	"rotated letter reads left to right"
# The exhibit's own outline beneath its bookmark, pointing at its pages.
run qpdf --json --json-key=outlines "$a"
expect_out "Pièce n° 21 — Conditions générales" "bookmark of the PDF exhibit"
expect_out "Article 7 - Compensation" "the exhibit's own outline is kept"
# Links: the URI and the link to the exhibit's page 2 (now dossier page cgv2).
pobj() { qpdf --show-pages "$a" | awk -v p="page $1:" '$0 ~ "^" p { print $3 }'; }
o1=$(pobj "$cgv")
o2=$(pobj "$cgv2")
annots=$(qpdf --show-object="$o1" "$a" | sed -n 's/.*\/Annots \[\([^]]*\)\].*/\1/p')
links=""
for r in $(echo "$annots" | tr -s ' ' '\n' | grep -v '^R$\|^0$\|^$'); do
	links="$links $(qpdf --show-object="$r" "$a")"
done
case "$links" in *"/URI (http://www.amen.fr/cgv)"*) pass ;; *) fail "URI link lost" ;; esac
case "$links" in *"/Dest [ $o2 0 R /FitH"*) pass ;; *) fail "link to the exhibit's page 2 lost ($links)" ;; esac
# The list of exhibits gives the range of a multi-page exhibit.
grep -qF -- "$cgv – $cgv2" "$tmp/amen-2005-p"[3-6] && pass || fail "bordereau lacks range $cgv–$cgv2"

# Placement: a page with margins keeps its own size and position (the
# stamp and footer fit in its margins); a page without (the northwind
# invoice's full-bleed band) is shrunk below the stamp band.
xmin() { pdftotext -q -bbox -f "$2" -l "$2" "$1" - |
	awk -v w="$3" -F'"' 'index($0, ">" w "<") { printf "%.1f %.1f\n", $2, $4; exit }'; }
expect_equal "$(xmin "$a" "$cgv" AMEN)" "72.0 61.1" "page with margins placed at its own size"
nw="$tmp/northwind-2021.pdf"
nwp=$(grep -lF -- "Exhibit 7 — page 1/1" "$tmp/northwind-2021-p"* | head -1 | sed 's/.*-p//')
set -- $(xmin "$nw" "$nwp" NORTHWIND)
awk -v x="$1" -v y="$2" 'BEGIN { exit !(x > 72.5 && y > 24) }' && pass ||
	fail "page without margin not shrunk below the stamp ($1 $2)"

# Packs: a PDF exhibit goes to the customer who cited it (its text may
# name others, so not to the rest), stamped with its master number.
run "$DOSSIER" packs fixtures/northwind-2021 -o "$tmp/packs" -j 1
expect_status 0 "packs with PDF exhibits"
for f in "$tmp"/packs/*.pdf; do
	run qpdf --check "$f"
	expect_status 0 "qpdf --check $(basename "$f")"
done
run pdftotext "$tmp/packs/NW-12044.pdf" -
expect_out "Exhibit 7 — page 1/1" "pack of the customer who cited the invoice holds it"
expect_out "Annual plan \"Agency Partner\" - prepaid period March 1, 2021 to" "invoice text searchable in the pack"
for f in "$tmp"/packs/*.pdf; do
	[ "$f" = "$tmp/packs/NW-12044.pdf" ] && continue
	pdftotext "$f" - | grep -qF "Exhibit 7 — page" &&
		fail "$(basename "$f") holds another customer's invoice" || pass
done
run "$DOSSIER" packs fixtures/amen-2005 -o "$tmp/apacks" --customer AM-289006 -j 1
expect_status 0 "amen pack with a PDF exhibit"
run pdftotext "$tmp/apacks/AM-289006.pdf" -
expect_out "Pièce n° 22 — page 1/1" "amen pack holds the invoice with its master number"
expect_out "Total TTC" "amen pack invoice text searchable"

# Bad PDFs are refused, naming the file and the reason.
mkdir -p "$tmp/bad"
cp -r fixtures/northwind-2021/. "$tmp/bad/"
cp tests/bad/81-pdf-encrypted/exhibits/doc.pdf "$tmp/bad/exhibits/locked.pdf"
cp tests/bad/83-pdf-javascript-openaction/exhibits/doc.pdf "$tmp/bad/exhibits/script.pdf"
cp tests/bad/88-pdf-truncated/exhibits/doc.pdf "$tmp/bad/exhibits/cut.pdf"
cp tests/bad/87-pdf-bad-xref-repaired/exhibits/doc.pdf "$tmp/bad/exhibits/fixed.pdf"
run "$DOSSIER" check "$tmp/bad"
expect_status 1 "check refuses bad PDFs"
expect_out "exhibits/locked.pdf: error: encrypted PDF" "encrypted PDF named"
expect_out "exhibits/script.pdf: error: the PDF contains JavaScript" "JavaScript PDF named"
expect_out "exhibits/cut.pdf: error: damaged PDF that qpdf cannot repair" "truncated PDF named"
expect_out "exhibits/fixed.pdf: warning: damaged PDF: qpdf repaired the file" "repair reported"
run "$DOSSIER" build "$tmp/bad" -o "$tmp/bad.pdf"
expect_status 1 "build refuses bad PDFs"
[ -f "$tmp/bad.pdf" ] && fail "a dossier was written despite bad PDFs" || pass

summary
