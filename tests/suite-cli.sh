#!/bin/sh
# suite-cli.sh - the dossier command as a user runs it: exit codes,
# messages, and the evidence store it writes, on both fixtures and on
# broken cases.
: "${DOSSIER:=./dossier}"
. tests/lib.sh

tmp=$(mktemp -d /tmp/dossier-cli-XXXXXX)
trap 'rm -rf "$tmp"' EXIT

# Help and usage.
run "$DOSSIER" --help
expect_status 0 "--help"
expect_out "check CASE" "--help lists check"
expect_out "import CASE" "--help lists import"
run "$DOSSIER" frobnicate
expect_status 2 "unknown command"
expect_err "unknown command 'frobnicate'" "unknown command named"
run "$DOSSIER" check
expect_status 2 "check without a case"

# Both fixtures are accepted whole.
for case in fixtures/amen-2005 fixtures/northwind-2021; do
	run "$DOSSIER" check "$case"
	expect_status 0 "check $case"
	expect_out "OK, every record accepted" "check $case says OK"
	expect_no_out "error:" "check $case has no error"
done

# The default case: counts in the summary match the files.
run "$DOSSIER" check fixtures/amen-2005
n=$(sqlite_rows_csv fixtures/amen-2005/complaints.csv)
expect_out "$n complaints" "amen-2005 summary counts $n complaints"

# Import into a file: every complaint is there with its provenance.
run "$DOSSIER" import fixtures/amen-2005 --db "$tmp/a.sqlite"
expect_status 0 "import --db"
got=$(sqlite3 "$tmp/a.sqlite" "SELECT count(*) FROM complaint")
expect_equal "$got" "$n" "stored complaints"
got=$(sqlite3 "$tmp/a.sqlite" "PRAGMA user_version")
expect_equal "$got" "1" "schema version"
got=$(sqlite3 "$tmp/a.sqlite" "SELECT count(*) FROM complaint c JOIN source_file f ON f.id = c.prov_file WHERE f.path = 'complaints.csv' AND length(f.sha256) = 64 AND c.prov_line >= 2")
expect_equal "$got" "$n" "complaints keep file, line and hash"
want=$(sha256sum fixtures/amen-2005/complaints.csv | cut -d' ' -f1)
got=$(sqlite3 "$tmp/a.sqlite" "SELECT sha256 FROM source_file WHERE path = 'complaints.csv'")
expect_equal "$got" "$want" "stored SHA-256 equals sha256sum"
ls "$tmp" | grep -q tmp && fail "temporary file left after import" || pass

# Import without --db needs no set-up.
run "$DOSSIER" import fixtures/northwind-2021
expect_status 0 "import in memory"

# --stats: one "stat: STAGE SECONDS" line per stage, peak memory, on stderr.
run "$DOSSIER" import fixtures/northwind-2021 --stats -q
expect_status 0 "import --stats"
expect_equal "$(printf '%s\n' "$err" | cut -d' ' -f1,2 | tr '\n' ' ')" \
	"stat: read stat: store stat: peak_rss_kb_by stat: peak_rss_kb_by stat: total stat: cpu stat: peak_rss_kb " \
	"import --stats prints its stages"
expect_equal "$(printf '%s\n' "$err" | grep '^stat: peak_rss_kb_by' | cut -d' ' -f3 | tr '\n' ' ')" \
	"read store " "import --stats: the peak memory by the end of each stage"
expect_equal "$out" "" "import --stats -q prints nothing on stdout"
run "$DOSSIER" availability fixtures/northwind-2021 --stats --format csv
expect_status 0 "availability --stats"
expect_equal "$(printf '%s\n' "$err" | grep -c '^stat: [a-z_]* [0-9.]*$')" 7 \
	"availability --stats: read, store, analysis, output, total, cpu, rss"
printf '%s\n' "$out" | grep -q '^stat:' && fail "stat: lines on stdout" || pass

# The progress line: on a terminal only (script(1) gives the command one),
# never with -q, erased before any message and before the last line.
if command -v script >/dev/null 2>&1; then
	script -qec "$DOSSIER build fixtures/northwind-2021 -o $tmp/tty.pdf" \
		/dev/null > "$tmp/tty.out" 2>&1
	grep -q 'drawing pages: 26 / 26 pages' "$tmp/tty.out" &&
		pass || fail "build on a terminal shows the pages drawn"
	grep -q "$(printf '\033\\[K')$tmp/tty.pdf: 26 pages" "$tmp/tty.out" &&
		pass || fail "the progress line is erased before the result"
	script -qec "$DOSSIER build fixtures/northwind-2021 -q -o $tmp/tty.pdf" \
		/dev/null > "$tmp/tty.out" 2>&1
	[ ! -s "$tmp/tty.out" ] && pass || fail "-q: no progress line"
	script -qec "$DOSSIER build tests/bad/01-date-unparsable -o $tmp/x.pdf" \
		/dev/null > "$tmp/tty.out" 2>&1
	grep -q "$(printf '\033\\[K')case.ini: error" "$tmp/tty.out" &&
		pass || fail "an error starts on an erased line"
fi
run "$DOSSIER" build fixtures/northwind-2021 -o "$tmp/pipe.pdf"
expect_equal "$err" "" "no progress line when stderr is not a terminal"

# Composed on one thread or two (compose_split.c): the same bytes.
for t in 1 2; do
	run env DOSSIER_COMPOSE_THREADS=$t SOURCE_DATE_EPOCH=1117584000 \
		"$DOSSIER" build fixtures/amen-2005 -o "$tmp/compose-$t.pdf" -q
	expect_status 0 "build composed on $t thread(s)"
done
cmp -s "$tmp/compose-1.pdf" "$tmp/compose-2.pdf" && pass ||
	fail "composed on two threads, the dossier differs from one thread's"

# A broken case: every problem reported, non-zero exit, nothing written.
mkdir -p "$tmp/bad"
cp -r fixtures/amen-2005/. "$tmp/bad/"
printf 'complaint_id,received\n' > "$tmp/bad/timeline.csv"
awk 'NR == 2 { sub(/,20[0-9][0-9]-[0-9][0-9]-/, ",2005-13-") } { print }' \
	fixtures/amen-2005/complaints.csv > "$tmp/bad/complaints.csv"
cp "$tmp/a.sqlite" "$tmp/keep.sqlite"
run "$DOSSIER" check "$tmp/bad"
expect_status 1 "check on a broken case"
expect_out "timeline.csv:1" "missing columns named with file and line"
expect_out "complaints.csv:" "bad date reported against complaints.csv"
expect_out "received" "bad date names the field"
run "$DOSSIER" import "$tmp/bad" --db "$tmp/keep.sqlite"
expect_status 1 "import refuses a broken case"
cmp -s "$tmp/a.sqlite" "$tmp/keep.sqlite" && pass || fail "previous store changed by a refused import"

run "$DOSSIER" check /nonexistent/case
expect_status 2 "missing case folder"
expect_out "nonexistent" "missing folder named"

# Installed under any PREFIX (make install), the binary finds its fonts in
# PREFIX/share/dossier/fonts, from any working directory.
mkdir -p "$tmp/prefix/bin" "$tmp/prefix/share/dossier"
cp "$DOSSIER" "$tmp/prefix/bin/dossier"
cp -r fonts "$tmp/prefix/share/dossier/fonts"
here=$(pwd)
run sh -c "cd / && '$tmp/prefix/bin/dossier' build '$here/fixtures/northwind-2021' -o '$tmp/installed.pdf' -q"
expect_status 0 "installed binary builds a dossier"
[ -s "$tmp/installed.pdf" ] && pass || fail "installed binary wrote no PDF"

summary
