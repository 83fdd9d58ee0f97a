#!/bin/sh
# suite-packs.sh - issue 6: per-customer packs, integrity, reproducibility,
# asserted on what real PDF readers see (poppler's pdftotext and pdfinfo,
# qpdf's JSON view of the objects, outlines and attachments).
#
#   1. privacy: no pack shows another customer's name, e-mail, customer
#      id, own contract or statement, in its page text, bookmarks,
#      metadata, object strings (Info, link URIs, destinations) or
#      attachments; each shows its own customer; exhibit numbers are
#      the master dossier's; file names are DIR/<customer_id>.pdf.
#   2. packs -j 1 and -j 2 give the same files, byte for byte;
#      --customer ID builds one pack; an unknown id is an error.
#   3. --password-file: AES-256 (R6) packs that open with the password
#      only; a missing password stops the run before anything is written.
#   4. build attaches every input with the manifest; verify against the
#      attachments and against a case folder (modified, missing, extra).
#   5. the same case built from another directory, with another TZ and
#      LANG, gives the same bytes; SOURCE_DATE_EPOCH sets the Info dates.
: "${DOSSIER:=./dossier}"
. tests/lib.sh

tmp=$(mktemp -d /tmp/dossier-packs-XXXXXX)
trap 'rm -rf "$tmp"' EXIT
repo=$(pwd)
case "$DOSSIER" in
/*) bin=$DOSSIER ;;
*/*) bin=$repo/$DOSSIER ;;
*) bin=$(command -v "$DOSSIER") ;;
esac

# Text tools run in a UTF-8 locale whatever the caller's (the dossier
# itself runs in the environment each test gives it).
u8() { LC_ALL=C.UTF-8 "$@"; }
# No-break spaces (U+00A0, U+202F) and typographic apostrophes
# (U+2019, U+2018, U+02BC), which the typesetting puts in.
nbsp=$(printf '\302\240\342\200\257')
apos=$(printf '\342\200\231\342\200\230\312\274')

# norm1 FILE: three one-line variants of the text, lower case, with
# typographic apostrophes and no-break spaces made plain and runs of
# white space made one space: a hyphen at a line end kept ("Jean-" /
# "Marc"), dropped (hyphenation), and line ends removed altogether (an
# e-mail address broken after "@" or ".").
norm1() {
	u8 sed -e 's/.*/\L&/' -e "s/[$apos]/'/g" -e "s/[$nbsp\t\f\r]/ /g" \
		"$1" >"$1.lower"
	u8 sed -z -e 's/-\n/-/g' -e 's/[[:space:]]\+/ /g' "$1.lower"
	printf '\n'
	u8 sed -z -e 's/-\n//g' -e 's/[[:space:]]\+/ /g' "$1.lower"
	printf '\n'
	u8 sed -z -e 's/\n//g' -e 's/[[:space:]]\+/ /g' "$1.lower"
	printf '\n'
}
# norm1_str STRING: the one-line normal form of a value (same rules).
norm1_str() {
	printf '%s\n' "$1" | u8 sed -e 's/.*/\L&/' -e "s/[$apos]/'/g" \
		-e "s/[$nbsp\t\f\r]/ /g" -e 's/[[:space:]]\+/ /g' \
		-e 's/^ //' -e 's/ $//'
}
# norm2 < text: letters and digits only, lower case, on one line: what
# is left of a statement however it was wrapped, hyphenated or quoted.
norm2() {
	u8 sed -e 's/.*/\L&/' -e 's/[^[:alnum:]]//g' | tr -d '\n'
	printf '\n'
}

# What a reader of FILE.pdf sees, one file per view, in DIR:
#   text     the page text (pdftotext)
#   outline  the bookmarks' titles (qpdf --json outlines)
#   info     the document information as pdfinfo shows it, and the
#            Info dictionary's raw strings
#   objects  every string and name of the object tree (qpdf --json):
#            Info, bookmarks, link URIs, named destinations, file names
#   uris     the link annotations' URIs (also in objects)
#   attach   qpdf --list-attachments
# and all.n1, every view in the normal form of norm1.
views() {
	mkdir -p "$2"
	pdftotext -enc UTF-8 "$1" "$2/text" 2>/dev/null || : >"$2/text"
	qpdf --json=2 --json-key=outlines --json-key=qpdf "$1" >"$2/json" \
		2>/dev/null
	u8 sed -n 's/^ *"title": "\(.*\)",\{0,1\}$/\1/p' "$2/json" >"$2/outline"
	u8 grep -o -E '"(u:|b:|/)[^"]*"' "$2/json" >"$2/objects"
	pdfinfo -enc UTF-8 "$1" >"$2/info" 2>/dev/null
	u8 sed -n \
		's/^ *"\/\(Title\|Author\|Subject\|Keywords\|Creator\|Producer\)": "[ub]:\(.*\)",\{0,1\}$/\2/p' \
		"$2/json" >>"$2/info"
	u8 sed -n 's/^ *"\/URI": "[ub]:\(.*\)",\{0,1\}$/\1/p' "$2/json" \
		>"$2/uris"
	qpdf --list-attachments "$1" >"$2/attach" 2>&1
	for view in text outline info objects uris attach; do
		cat "$2/$view"
		printf '\n\n'
	done >"$2/all"
	norm1 "$2/all" >"$2/all.n1"
	norm2 <"$2/text" >"$2/text.n2"
}

# match_exhibits TABLE LINES: LINES ("N<tab>TITLE", normalised) against
# TABLE (the same, the reference); "[…]" in a line of LINES stands for
# withheld words. Prints each line that does not match.
match_exhibits() {
	awk -F '\t' 'NR == FNR { t[$1] = $2; next }
	!($1 in t) { print "exhibit " $1 " (" $2 "): no such exhibit"; next }
	{
		want = t[$1]; got = $2; r = "[…]"
		i = index(got, r)
		if (i == 0) { if (got != want) bad = 1 }
		else {
			pre = substr(got, 1, i - 1); post = got
			while ((j = index(post, r)) > 0)
				post = substr(post, j + length(r))
			bad = substr(want, 1, length(pre)) != pre ||
			    length(want) < length(pre) + length(post) ||
			    substr(want, length(want) - length(post) + 1) != post
		}
		if (bad) print "exhibit " $1 " is \"" got "\", expected \"" want "\""
		bad = 0
	}' "$1" "$2"
}
# exhibit_lines < outline: "N<tab>TITLE" of each exhibit bookmark
# ("Pièce n° N — TITLE", "Exhibit N — TITLE", a page number " (p. 12)"
# after it or not), title in norm1 form.
exhibit_lines() {
	u8 sed -n -E -e 's/ \(pp?\. [0-9]+([–-][0-9]+)?\)$//' -e 't strip' \
		-e ':strip' -e 's/^(Pièce n° |Exhibit )([0-9]+) — (.*)$/\2\t\3/' \
		-e 't ok' -e 'd' -e ':ok' -e 's/.*/\L&/' -e "s/[$apos]/'/g" \
		-e "s/[$nbsp]/ /g" -e p
}

# The master dossier and every pack of both fixtures, built from the
# repository root with TZ and LANG as a user in Auckland might have them,
# -j 2 (r1); then again in the background from /tmp, with absolute
# paths, the TZ and LANG of Los Angeles and Paris, and -j 1 (r2): r1 and
# r2 must be the same bytes (5 and 2). The checks of r1 run meanwhile.
unset SOURCE_DATE_EPOCH
fixtures="amen-2005 northwind-2021"
mkdir -p "$tmp/r1" "$tmp/r2"
for fx in $fixtures; do
	run env TZ=Pacific/Auckland LANG=C.UTF-8 "$DOSSIER" build \
		"fixtures/$fx" -o "$tmp/r1/$fx.pdf" -q
	expect_status 0 "build $fx"
	run env TZ=Pacific/Auckland LANG=C.UTF-8 "$DOSSIER" packs \
		"fixtures/$fx" -o "$tmp/r1/$fx" -j 2 -q
	expect_status 0 "packs $fx -j 2"
done
(
	cd /tmp || exit 1
	for fx in $fixtures; do
		TZ=America/Los_Angeles LANG=fr_FR.UTF-8 "$bin" build \
			"$repo/fixtures/$fx" -o "$tmp/r2/$fx.pdf" -q
		echo "build $fx from /tmp: $?"
		TZ=America/Los_Angeles LANG=fr_FR.UTF-8 "$bin" packs \
			"$repo/fixtures/$fx" -o "$tmp/r2/$fx" -j 1 -q
		echo "packs $fx from /tmp, -j 1: $?"
	done
) >"$tmp/background.status" 2>"$tmp/background.err" &
background=$!
for fx in $fixtures; do
	run "$DOSSIER" import "fixtures/$fx" --db "$tmp/$fx.sqlite" -q
	expect_status 0 "import $fx"
done
# What readers see of each PDF of r1, two at a time.
for fx in $fixtures; do
	echo "$tmp/r1/$fx.pdf $tmp/views/$fx"
	for f in "$tmp/r1/$fx"/*.pdf; do
		c=${f##*/}
		echo "$f $tmp/views/$fx-${c%.pdf}"
	done
done >"$tmp/view-list"
extract() { while read -r pdf d; do views "$pdf" "$d"; done; }
awk 'NR % 2 == 1' "$tmp/view-list" | extract &
worker=$!
awk 'NR % 2 == 0' "$tmp/view-list" | extract
wait "$worker"

# ---------------------------------------------------------------------
# 1. Privacy: a pack shows its own customer's data and no one else's.
# ---------------------------------------------------------------------
tab=$(printf '\t')
titles="M. Mme Mlle Dr Me Mr. Mrs. Ms. Mr Mrs Ms"
q() { sqlite3 -separator "$tab" "$db" "$@"; }
npacks=0
nforbidden=0
for fx in $fixtures; do
	db=$tmp/$fx.sqlite
	dir=$tmp/r1/$fx
	master=$tmp/views/$fx

	# The file names: exactly DIR/<customer_id>.pdf, one per customer.
	want=$(q "SELECT DISTINCT customer_id || '.pdf' FROM complaint ORDER BY 1")
	got=$(ls "$dir" | LC_ALL=C sort)
	expect_equal "$got" "$want" "$fx: packs are DIR/<customer_id>.pdf"

	# The master's exhibit bookmarks are the stored exhibit table.
	q "SELECT number, title FROM exhibit ORDER BY number" |
		u8 sed -e 's/.*/\L&/' -e "s/[$apos]/'/g" -e "s/[$nbsp]/ /g" \
		>"$master/stored-exhibits"
	exhibit_lines <"$master/outline" >"$master/exhibits"
	got=$(match_exhibits "$master/stored-exhibits" "$master/exhibits")
	expect_equal "$got" "" "$fx: master bookmarks of the exhibits"
	expect_equal "$(wc -l <"$master/exhibits")" \
		"$(wc -l <"$master/stored-exhibits")" "$fx: master exhibits"

	# A distinctive slice of every statement: 40 letters and digits
	# that occur once in the whole master dossier (so in that statement
	# only, not in an exhibit or another statement quoting it).
	q "SELECT customer_id, id, replace(replace(statement, char(13), ' '),
	    char(10), ' ') FROM complaint ORDER BY seq" >"$tmp/statements"
	: >"$tmp/slices"
	while IFS="$tab" read -r cid cpid stmt; do
		s=$(printf '%s\n' "$stmt" | norm2)
		off=0 found=
		while [ $((off + 40)) -le ${#s} ] && [ -z "$found" ]; do
			w=$(printf '%s\n' "$s" | u8 sed -E "s/^.{$off}(.{40}).*/\1/")
			[ "$(grep -o -F -- "$w" "$master/text.n2" | wc -l)" -eq 1 ] &&
				found=$w
			off=$((off + 20))
		done
		if [ -n "$found" ]; then
			printf '%s\t%s\n' "$cid" "$found" >>"$tmp/slices"
		else
			fail "$fx: no slice of the statement of $cpid occurs once in the master dossier"
		fi
	done <"$tmp/statements"

	for cid in $(q "SELECT DISTINCT customer_id FROM complaint ORDER BY 1"); do
		pdf=$dir/$cid.pdf
		[ -f "$pdf" ] || { fail "$fx: no pack $cid.pdf"; continue; }
		npacks=$((npacks + 1))
		v=$tmp/views/$fx-$cid

		# Other customers' personal data: name (and, for "Firm (M. Person)",
		# the firm and the person; the firm without its legal form; the
		# surname after an honorific), e-mail, customer id, the contracts
		# this customer has not; and a slice of each of their statements.
		q "SELECT customer_name FROM complaint WHERE customer_id <> '$cid'" \
			>"$v/other-names"
		q "SELECT email FROM complaint WHERE customer_id <> '$cid'
		   UNION SELECT customer_id FROM complaint WHERE customer_id <> '$cid'
		   UNION SELECT contract FROM complaint WHERE customer_id <> '$cid'
		     AND contract NOT IN (SELECT contract FROM complaint
		                          WHERE customer_id = '$cid')" \
			>"$v/others"
		while IFS= read -r val; do
			printf '%s\n' "$val"
			firm=$val person=$val
			case $val in
			*" ("*")")
				firm=${val%% (*}
				p=${val#*\(}; p=${p%\)}
				for t in $titles; do p=${p#"$t "}; done
				person=
				case $p in *" "*) person=$p ;; esac
				printf '%s\n' "$firm" $person ;;
			esac
			for l in SARL SAS SA EURL SCI SCP; do
				case ${firm#"$l "} in *" "*) printf '%s\n' "${firm#"$l "}" ;; esac
			done
			for l in LLC Inc. Inc Ltd. Ltd GmbH SARL SAS SA; do
				case ${firm%" $l"} in *" "*) printf '%s\n' "${firm%" $l"}" ;; esac
			done
			case $person in *" "*)
				for t in $titles; do printf '%s %s\n' "$t" "${person##* }"; done ;;
			esac
		done <"$v/other-names" | cat - "$v/others" |
			u8 sed -e 's/.*/\L&/' -e "s/[$apos]/'/g" \
			-e "s/[$nbsp]/ /g" -e 's/[[:space:]]\+/ /g' |
			u8 awk 'length($0) >= 3' | sort -u >"$v/forbidden"
		awk -F '\t' -v me="$cid" '$1 != me { print $2 }' "$tmp/slices" \
			>>"$v/forbidden.n2"
		nforbidden=$((nforbidden + $(wc -l <"$v/forbidden") +
			$(wc -l <"$v/forbidden.n2")))
		hits=$(grep -o -F -f "$v/forbidden" "$v/all.n1" | sort -u)
		if [ -n "$hits" ]; then
			where=
			for view in text outline info objects uris attach; do
				norm1 "$v/$view" | grep -q -F -f "$v/forbidden" &&
					where="$where $view"
			done
			fail "$fx: pack $cid shows other customers' data (in:$where):" \
				"$(printf '%s' "$hits" | tr '\n' ';')"
		else pass; fi
		hits=$(grep -o -F -f "$v/forbidden.n2" "$v/text.n2" | sort -u |
			tr '\n' ';')
		expect_equal "$hits" "" "$fx: pack $cid shows other customers' statements"

		# No attachments in a pack; no link out of it.
		grep -q "has no embedded files" "$v/attach" && pass ||
			fail "$fx: pack $cid has attachments: $(cat "$v/attach")"

		# Its own customer: name, every complaint id, every statement.
		name=$(q "SELECT customer_name FROM complaint
			WHERE customer_id = '$cid' LIMIT 1" |
			u8 sed -e 's/.*/\L&/' -e "s/[$apos]/'/g" -e "s/[$nbsp]/ /g")
		grep -q -F -- "$name" "$v/all.n1" && pass ||
			fail "$fx: pack $cid lacks its customer's name '$name'"
		q "SELECT lower(id) FROM complaint WHERE customer_id = '$cid'" \
			>"$v/own-ids"
		got=$(grep -o -F -f "$v/own-ids" "$v/all.n1" | sort -u | tr '\n' ' ')
		want=$(sort -u "$v/own-ids" | tr '\n' ' ')
		expect_equal "$got" "$want" "$fx: pack $cid shows its complaints"
		awk -F '\t' -v me="$cid" '$1 == me { print $2 }' "$tmp/slices" \
			>"$v/own.n2"
		got=$(grep -o -F -f "$v/own.n2" "$v/text.n2" | sort -u | wc -l)
		expect_equal "$got" "$(wc -l <"$v/own.n2")" "$fx: pack $cid shows its statements"

		# Exhibits: each "Pièce n° N — TITLE" bookmark of the pack is the
		# master's exhibit N, the stored exhibit N (its path, its title);
		# every exhibit the customer's complaints cite is there, none
		# that only other customers' complaints cite.
		exhibit_lines <"$v/outline" >"$v/exhibits"
		got=$(match_exhibits "$master/exhibits" "$v/exhibits")
		expect_equal "$got" "" "$fx: pack $cid numbers its exhibits as the master"
		cut -f1 "$v/exhibits" | sort -u >"$v/exhibit-numbers"
		q "SELECT DISTINCT ce.exhibit_number FROM complaint_exhibit ce
		   JOIN complaint c ON c.seq = ce.complaint_seq
		   WHERE c.customer_id = '$cid' ORDER BY 1" | sort >"$v/cited"
		got=$(comm -23 "$v/cited" "$v/exhibit-numbers" | tr '\n' ' ')
		expect_equal "$got" "" "$fx: pack $cid lacks exhibits its complaints cite"
		q "SELECT DISTINCT ce.exhibit_number FROM complaint_exhibit ce
		   JOIN complaint c ON c.seq = ce.complaint_seq
		   WHERE c.customer_id <> '$cid' EXCEPT
		   SELECT ce.exhibit_number FROM complaint_exhibit ce
		   JOIN complaint c ON c.seq = ce.complaint_seq
		   WHERE c.customer_id = '$cid'" | sort >"$v/others-cited"
		got=$(comm -12 "$v/others-cited" "$v/exhibit-numbers" | tr '\n' ' ')
		expect_equal "$got" "" "$fx: pack $cid holds exhibits only other customers cite"

		# Outages: the chronology and the availability report of a pack
		# show only the services its customer's complaints name. An
		# outage row reads "LABEL : indisponible …" (fr) or "LABEL:
		# unavailable for …" (en). No row of another service; every row
		# of its own services that the master shows.
		outage_rows() {	# outage_rows WHERE: the row starts, norm1 form
			q "SELECT label FROM service WHERE code $1 (SELECT
			   cs.service_code FROM complaint_service cs JOIN complaint c
			   ON c.seq = cs.complaint_seq WHERE c.customer_id = '$cid')" |
			while IFS= read -r label; do
				l=$(norm1_str "$label")
				printf '%s : indisponible\n%s: unavailable for\n' "$l" "$l"
			done
		}
		outage_rows "NOT IN" >"$v/other-outages"
		hits=$(grep -o -F -f "$v/other-outages" "$v/all.n1" | sort -u |
			tr '\n' ';')
		expect_equal "$hits" "" "$fx: pack $cid shows outages of services its customer does not use"
		outage_rows "IN" | grep -o -F -f - "$master/all.n1" | sort -u \
			>"$v/own-outages"
		got=$(grep -o -F -f "$v/own-outages" "$v/all.n1" | sort -u |
			wc -l)
		expect_equal "$got" "$(wc -l <"$v/own-outages")" "$fx: pack $cid shows the outages of its services"
	done
done


# Names as case files may write them, in a copy of each case: broken
# across the lines of a statement or of an exhibit, with doubled
# spaces, in capitals (accented ones too). No pack shows them. (The
# CSV files end their lines in CR LF.)
nw=fixtures/northwind-2021
am=fixtures/amen-2005
rm -rf "$tmp/mod-nw" "$tmp/mod-am"
cp -R "$nw" "$tmp/mod-nw"
cp -R "$am" "$tmp/mod-am"
u8 sed -e 's/,My portfolio site was offline Sunday morning\. /,"Like the bakery of Priya\nRaman and the diner of Gus  Papadakis (GUS@OLYMPIADINER.EXAMPLE), /' \
	-e 's/linking to it\.,\(\r\{0,1\}\)$/linking to it.",\1/' \
	"$nw/complaints.csv" >"$tmp/mod-nw/complaints.csv"
printf 'Also affected: the food co-op of Hudson\nValley Food Co-op, and Marcus Holt of\nBrightline Digital, LLC. Ms. Raman too.\n' \
	>>"$tmp/mod-nw/exhibits/email-rfo-2021-03-19.txt"
u8 sed -e 's/,Rien de neuf\. Je confirme/,"Rien de neuf, comme FRÉDÉRIC ALVAREZ, émilie garnier, Mme Marchetti, Cuisines\nLemaire et Karim\nBensaïd. Je confirme/' \
	-e 's/participation au collectif\.,\(\r\{0,1\}\)$/participation au collectif.",\1/' \
	"$am/complaints.csv" >"$tmp/mod-am/complaints.csv"
for m in "mod-nw NW-10876 priya raman;gus papadakis;gus@olympiadiner.example" \
	"mod-nw NW-10482 hudson valley food co-op;marcus holt;brightline digital;ms. raman" \
	"mod-am AM-199842 frédéric alvarez;émilie garnier;karim bensaïd;mme marchetti;cuisines lemaire"; do
	set -- $m
	case=$1 cid=$2
	names=$(printf '%s\n' "$m" | cut -d' ' -f3- | tr ';' '\n')
	run "$DOSSIER" packs "$tmp/$case" -o "$tmp/$case-packs" --customer "$cid" -q
	expect_status 0 "$case: pack $cid"
	views "$tmp/$case-packs/$cid.pdf" "$tmp/views/$case-$cid"
	grep -q -F "[…]" "$tmp/views/$case-$cid/text" && pass ||
		fail "$case: pack $cid withholds nothing"
	printf '%s\n' "$names" >"$tmp/names"
	hits=$(grep -o -F -f "$tmp/names" "$tmp/views/$case-$cid/all.n1" |
		sort -u | tr '\n' ';')
	expect_equal "$hits" "" "$case: pack $cid shows other customers' names written across lines, spaced or in capitals"
done
grep -q -F "je confirme ma participation" "$tmp/views/mod-am-AM-199842/all.n1" &&
	pass || fail "mod-am: the redacted statement is gone"

# ---------------------------------------------------------------------
# 2. Choosing packs (-j 1 against -j 2 is compared at the end).
# ---------------------------------------------------------------------
run "$DOSSIER" packs "$nw" -o "$tmp/one" --customer NW-10482 -q
expect_status 0 "packs --customer"
expect_equal "$(ls "$tmp/one" | tr '\n' ' ')" "NW-10482.pdf " "--customer builds that pack only"
cmp -s "$tmp/one/NW-10482.pdf" "$tmp/r1/northwind-2021/NW-10482.pdf" && pass ||
	fail "--customer NW-10482 differs from the same pack among all"
run "$DOSSIER" packs "$nw" -o "$tmp/two" --customer NW-12190 \
	--customer NW-10215 -j 2 -q
expect_status 0 "packs --customer twice"
expect_equal "$(ls "$tmp/two" | tr '\n' ' ')" "NW-10215.pdf NW-12190.pdf " "two --customer, two packs"
run "$DOSSIER" packs "$nw" -o "$tmp/unknown" --customer NW-10482 \
	--customer NW-99999
expect_status 2 "packs --customer with an unknown id"
expect_err "NW-99999" "the unknown customer id is named"
[ ! -e "$tmp/unknown" ] && pass || fail "packs wrote $(ls -A "$tmp/unknown" | tr '\n' ' ')(folder created) before refusing an unknown customer"

# ---------------------------------------------------------------------
# 3. Encryption: AES-256 packs that open with their password only.
# ---------------------------------------------------------------------
nw=fixtures/northwind-2021
db=$tmp/northwind-2021.sqlite
printf '# customer password\nNW-10482 s3cret-10482\nNW-11937 two words\n' \
	>"$tmp/passwords"
run "$DOSSIER" packs "$nw" -o "$tmp/enc" --customer NW-10482 \
	--customer NW-11937 --password-file "$tmp/passwords" -j 2
expect_status 0 "packs --password-file"
expect_out "encrypted (AES-256)" "packs says the packs are encrypted"
got=$(ls "$tmp/enc" | tr '\n' ' ')
expect_equal "$got" "NW-10482.pdf NW-11937.pdf " "encrypted packs written"
for pair in "NW-10482:s3cret-10482" "NW-11937:two words"; do
	cid=${pair%%:*} pw=${pair#*:}
	f=$tmp/enc/$cid.pdf
	run qpdf --show-encryption "--password=$pw" "$f"
	expect_status 0 "$cid: qpdf opens it with the password"
	expect_out "R = 6" "$cid: security handler revision 6"
	expect_out "stream encryption method: AESv3" "$cid: streams in AES-256"
	expect_out "string encryption method: AESv3" "$cid: strings in AES-256"
	run qpdf --json=2 --json-key=encrypt "--password=$pw" "$f"
	expect_out '"V": 5' "$cid: /V 5"
	expect_out '"bits": 256' "$cid: 256-bit key"
	run qpdf --check "--password=$pw" "$f"
	expect_status 0 "$cid: qpdf --check"
	expect_out "No syntax or stream encoding errors found" "$cid: qpdf --check clean"
	name=$(q "SELECT customer_name FROM complaint WHERE customer_id = '$cid' LIMIT 1")
	run pdftotext -enc UTF-8 -upw "$pw" "$f" -
	expect_status 0 "$cid: pdftotext with the password"
	printf '%s\n' "$out" >"$tmp/decrypted"
	if norm1 "$tmp/decrypted" | grep -q -F -- "$(norm1_str "$name")"; then
		pass; else fail "$cid: decrypted text lacks '$name'"; fi
	run pdftotext -enc UTF-8 "$f" -
	[ "$st" -ne 0 ] && pass || fail "$cid: pdftotext reads it without password"
	expect_no_out "$name" "$cid: no text without the password"
	run pdftotext -enc UTF-8 -upw "not-$pw" "$f" -
	[ "$st" -ne 0 ] && pass || fail "$cid: pdftotext reads it with a wrong password"
done
# A selected customer without a password: an error, and nothing written,
# not even the output folder.
printf 'NW-10482 s3cret-10482\n' >"$tmp/passwords1"
run "$DOSSIER" packs "$nw" -o "$tmp/enc1" --customer NW-10482 \
	--customer NW-11937 --password-file "$tmp/passwords1"
expect_status 2 "packs with a password missing"
expect_err "NW-11937" "the customer without a password is named"
[ ! -e "$tmp/enc1" ] && pass || fail "packs wrote $(ls -A "$tmp/enc1" | tr '\n' ' ')(folder created) before refusing a missing password"
run "$DOSSIER" packs "$nw" -o "$tmp/enc2" --password-file "$tmp/passwords"
expect_status 2 "packs of every customer, two passwords given"
[ ! -e "$tmp/enc2" ] && pass || fail "packs created its folder before refusing missing passwords"

# ---------------------------------------------------------------------
# 4. Integrity: the master dossier carries its evidence.
# ---------------------------------------------------------------------
nattach=0
for fx in $fixtures; do
	db=$tmp/$fx.sqlite
	pdf=$tmp/r1/$fx.pdf
	# Every input, by its path in the case folder, and the manifest.
	{ q "SELECT path FROM source_file"; echo dossier-manifest.sha256; } |
		LC_ALL=C sort >"$tmp/want-attach"
	qpdf --list-attachments "$pdf" | sed -n 's/ -> [0-9,]*$//p' |
		LC_ALL=C sort >"$tmp/got-attach"
	got=$(diff "$tmp/want-attach" "$tmp/got-attach" | grep '^[<>]' | tr '\n' ' ')
	expect_equal "$got" "" "$fx: attachments are the case's files and the manifest"
	# Each attachment holds the very bytes of its file, and the MIME
	# type of its kind: one qpdf run writes every stream out.
	mkdir -p "$tmp/streams-$fx"
	qpdf --json=2 --json-key=attachments --json-key=qpdf \
		--json-stream-data=file --json-stream-prefix="$tmp/streams-$fx/s" \
		"$pdf" >"$tmp/attach-$fx.json"
	awk '/^  "attachments": \{/ { on = 1; next }
	on && /^  [}]/ { exit }
	on && /^    "[^"]*": \{$/ { sub(/^    "/, ""); sub(/": \{$/, ""); name = $0 }
	on && /"preferredcontents":/ { split($0, a, "\""); split(a[4], o, " "); obj = o[1] }
	on && /"mimetype":/ { split($0, a, "\""); mime[name] = a[4] }
	on && /^    [}]/ { print name "\t" obj "\t" mime[name] }' \
		"$tmp/attach-$fx.json" >"$tmp/attach-$fx"
	bad=
	while IFS="$tab" read -r name obj mime; do
		nattach=$((nattach + 1))
		if [ "$name" = dossier-manifest.sha256 ]; then
			file=$tmp/manifest-$fx
			(cd "fixtures/$fx" && q "SELECT path FROM source_file" |
				LC_ALL=C sort | while IFS= read -r f; do
					sha256sum "$f"; done) >"$file"
			want_mime=text/plain
		else
			file=fixtures/$fx/$name
			case $name in
			*.csv) want_mime=text/csv ;;
			*.png) want_mime=image/png ;;
			*.jpg|*.jpeg) want_mime=image/jpeg ;;
			*.pdf) want_mime=application/pdf ;;
			*) want_mime=text/plain ;;
			esac
		fi
		cmp -s "$tmp/streams-$fx/s-$obj" "$file" ||
			bad="$bad $name: content differs;"
		[ "$mime" = "$want_mime" ] ||
			bad="$bad $name: MIME type '$mime', expected $want_mime;"
	done <"$tmp/attach-$fx"
	expect_equal "$bad" "" "$fx: attachments' content and MIME type"
	expect_equal "$(wc -l <"$tmp/attach-$fx")" "$(wc -l <"$tmp/want-attach")" \
		"$fx: attachments read back"
	run "$DOSSIER" verify "$pdf"
	expect_status 0 "$fx: verify"
	expect_out "OK" "$fx: verify says OK"
	run "$DOSSIER" verify "$pdf" "fixtures/$fx"
	expect_status 0 "$fx: verify against its case folder"
	expect_out "OK" "$fx: verify against its case folder says OK"
done

# Verify against a copy of the case: a file modified, removed, added.
db=$tmp/northwind-2021.sqlite
pdf=$tmp/r1/northwind-2021.pdf
copy_case() { rm -rf "$tmp/case"; cp -R "$nw" "$tmp/case"; }
copy_case
run "$DOSSIER" verify "$pdf" "$tmp/case"
expect_status 0 "verify against a copy of the case"
copy_case
printf ' ' >>"$tmp/case/exhibits/email-rfo-2021-03-19.txt"
run "$DOSSIER" verify "$pdf" "$tmp/case"
expect_status 1 "verify: one exhibit modified"
expect_out "MISMATCH exhibits/email-rfo-2021-03-19.txt" "verify names the modified file"
copy_case
printf 'x' >>"$tmp/case/complaints.csv"
run "$DOSSIER" verify "$pdf" "$tmp/case"
expect_status 1 "verify: complaints.csv modified"
expect_out "complaints.csv" "verify names complaints.csv"
copy_case
rm "$tmp/case/outages/nagios-2021-03.log"
run "$DOSSIER" verify "$pdf" "$tmp/case"
expect_status 1 "verify: one log removed"
expect_out "MISSING outages/nagios-2021-03.log" "verify names the missing log"
copy_case
echo "an exhibit nobody listed" >"$tmp/case/exhibits/zz-added.txt"
run "$DOSSIER" verify "$pdf" "$tmp/case"
expect_status 1 "verify: one file added"
expect_out "EXTRA exhibits/zz-added.txt" "verify names the added file"
expect_no_out "OK" "verify of a changed case does not say OK"

# --no-attachments: nothing attached; verify without CASE says why.
run "$DOSSIER" build "$nw" --no-attachments -o "$tmp/noatt.pdf" -q
expect_status 0 "build --no-attachments"
run qpdf --list-attachments "$tmp/noatt.pdf"
expect_out "has no embedded files" "--no-attachments: no attachments"
run "$DOSSIER" verify "$tmp/noatt.pdf"
[ "$st" -ne 0 ] && pass || fail "verify of a dossier without attachments exits 0"
expect_out "no-attachments" "verify explains there are no attachments"
expect_no_out "OK" "verify without attachments does not say OK"
# ...but with the case folder, the digest in the metadata vouches for it.
run "$DOSSIER" verify "$tmp/noatt.pdf" "$nw"
expect_status 0 "verify --no-attachments dossier against its case"
expect_out "OK" "verify against the case's manifest digest says OK"
mkdir -p "$tmp/nw-changed" && cp -r "$nw/." "$tmp/nw-changed/"
printf '\n' >> "$tmp/nw-changed/timeline.csv"
run "$DOSSIER" verify "$tmp/noatt.pdf" "$tmp/nw-changed"
expect_status 1 "verify --no-attachments dossier against a changed case"
expect_out "MISMATCH" "a changed case is a mismatch"
# Not a PDF, or no file: exit 2.
run "$DOSSIER" verify "$nw/case.ini"
expect_status 2 "verify of a non-PDF"
expect_out "case.ini" "verify names the non-PDF"
run "$DOSSIER" verify "$tmp/nonexistent.pdf"
expect_status 2 "verify of a missing file"
run "$DOSSIER" verify "$pdf" "$tmp/no-such-case"
expect_status 2 "verify against a missing case folder"
expect_out "no-such-case" "verify names the missing case folder"

# ---------------------------------------------------------------------
# 5. Reproducibility: the date comes from SOURCE_DATE_EPOCH, else from
# the case; directory, TZ and LANG change nothing.
# ---------------------------------------------------------------------
for fx in $fixtures; do
	db=$tmp/$fx.sqlite
	want=$(q "SELECT strftime('D:%Y%m%d%H%M%S', max(t), 'unixepoch') FROM (
	    SELECT max(received) AS t FROM complaint
	    UNION ALL SELECT max(at) FROM timeline_event
	    UNION ALL SELECT max(date) FROM exhibit)")
	cid=$(q "SELECT customer_id FROM complaint ORDER BY seq LIMIT 1")
	for f in "$tmp/r1/$fx.pdf" "$tmp/r1/$fx/$cid.pdf"; do
		got=$(pdfinfo -rawdates "$f" | sed -n 's/^CreationDate: *//p')
		case $got in "${want}Z"*) pass ;;
		*) fail "$fx: ${f#"$tmp"/}: CreationDate $got, expected the case's newest date ${want}Z" ;; esac
		got=$(pdfinfo -rawdates "$f" | sed -n 's/^ModDate: *//p')
		case $got in "${want}Z"*) pass ;;
		*) fail "$fx: ${f#"$tmp"/}: ModDate $got, expected ${want}Z" ;; esac
	done
done
mkdir -p "$tmp/sde"
run env SOURCE_DATE_EPOCH=1700000000 "$DOSSIER" build "$nw" -o "$tmp/sde/nw.pdf" -q
expect_status 0 "build with SOURCE_DATE_EPOCH"
run env SOURCE_DATE_EPOCH=1700000000 "$DOSSIER" packs "$nw" -o "$tmp/sde" \
	--customer NW-10482 -q
expect_status 0 "packs with SOURCE_DATE_EPOCH"
for f in "$tmp/sde/nw.pdf" "$tmp/sde/NW-10482.pdf"; do
	got=$(pdfinfo -rawdates "$f" | sed -n 's/^CreationDate: *//p')
	case $got in D:20231114221320Z*) pass ;;
	*) fail "SOURCE_DATE_EPOCH=1700000000: ${f#"$tmp"/sde/} CreationDate $got" ;; esac
	got=$(pdfinfo -rawdates "$f" | sed -n 's/^ModDate: *//p')
	case $got in D:20231114221320Z*) pass ;;
	*) fail "SOURCE_DATE_EPOCH=1700000000: ${f#"$tmp"/sde/} ModDate $got" ;; esac
done
got=$(qpdf --list-attachments --verbose "$tmp/sde/nw.pdf" |
	sed -n 's/^ *creation date: //p' | sort -u | tr '\n' ' ')
expect_equal "$got" "D:20231114221320Z " "SOURCE_DATE_EPOCH dates the attachments"

# The background builds (r2) against r1: another directory, TZ, LANG
# and -j 1 against -j 2, the same files, byte for byte. If a file
# differs, the pack is built again -j 1 in r1's directory and
# environment, to say which of the two changed it.
wait "$background"
while IFS= read -r line; do
	case $line in *": 0") pass ;;
	*) fail "background $line"; cat "$tmp/background.err" ;; esac
done <"$tmp/background.status"
expect_equal "$(wc -l <"$tmp/background.status")" 4 "background builds ran"
ncmp=0
for fx in $fixtures; do
	ncmp=$((ncmp + 1))
	cmp -s "$tmp/r1/$fx.pdf" "$tmp/r2/$fx.pdf" && pass ||
		fail "$fx: the dossier differs when built from /tmp with TZ=America/Los_Angeles LANG=fr_FR.UTF-8"
	got=$(ls "$tmp/r2/$fx" | tr '\n' ' ')
	expect_equal "$got" "$(ls "$tmp/r1/$fx" | tr '\n' ' ')" "$fx: -j 1 from /tmp and -j 2 write the same files"
	diffs=
	for f in "$tmp/r1/$fx"/*.pdf; do
		ncmp=$((ncmp + 1))
		c=${f##*/}
		cmp -s "$f" "$tmp/r2/$fx/$c" && continue
		[ -d "$tmp/why-$fx" ] || env TZ=Pacific/Auckland LANG=C.UTF-8 \
			"$DOSSIER" packs "fixtures/$fx" -o "$tmp/why-$fx" -j 1 -q
		if ! cmp -s "$f" "$tmp/why-$fx/$c"; then
			diffs="$diffs $c (-j 1 against -j 2);"
		else
			diffs="$diffs $c (from /tmp, TZ=America/Los_Angeles LANG=fr_FR.UTF-8);"
		fi
	done
	expect_equal "$diffs" "" "$fx: packs differ between r1 and r2"
done

echo "$suite_name: $npacks packs checked for privacy ($nforbidden values of others looked for), $nattach attachments read back, $ncmp files compared"
summary
