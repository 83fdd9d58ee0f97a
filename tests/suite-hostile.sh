#!/bin/sh
# suite-hostile.sh - nothing lost: an interrupted or failed build leaves
# the previous output as it was and no temporary file behind; an output
# never overwrites an input.
: "${DOSSIER:=./dossier}"
. tests/lib.sh

tmp=$(mktemp -d /tmp/dossier-hostile-XXXXXX)
trap 'rm -rf "$tmp"' EXIT
case=fixtures/amen-2005	# about a second or more to build

# Temporary files beside the output: anything but the output itself.
leftovers() { ls -A "$tmp/out" | grep -v '^d\.pdf$'; }

# The previous output: another case, so that a build that ran to its end
# (instead of being interrupted) would show as a changed file.
mkdir -p "$tmp/out"
run "$DOSSIER" build fixtures/northwind-2021 -q -o "$tmp/out/d.pdf"
expect_status 0 "first build"
cp "$tmp/out/d.pdf" "$tmp/prev.pdf"

# Start a build of $case into d.pdf and send it signal $1 once it has
# written its first temporary file (or after $2 seconds); then wait.
# A shell without job control starts background commands with SIGINT
# ignored: env --default-signal gives the build the default action back.
interrupt() {
	cp "$tmp/prev.pdf" "$tmp/out/d.pdf"	# each test starts from it
	env --default-signal=INT,TERM "$DOSSIER" build "$case" -q \
	    -o "$tmp/out/d.pdf" >/dev/null 2>&1 &
	pid=$!
	# Not before env has given way to the build (env ignores SIGINT).
	while [ "$(cat /proc/$pid/comm 2>/dev/null)" = env ]; do sleep 0.01; done
	i=0
	while [ $i -lt 3000 ] && kill -0 $pid 2>/dev/null; do
		[ -n "$(leftovers)" ] && break
		[ $i -ge $(( $2 * 100 )) ] && break
		sleep 0.01
		i=$((i + 1))
	done
	if kill -"$1" $pid 2>/dev/null; then sent=1; else sent=0; fi
	wait $pid 2>/dev/null
	st=$?
}

for sig in INT TERM; do
	case $sig in INT) num=2 ;; TERM) num=15 ;; esac
	interrupt $sig 30
	if [ "$sent" = 1 ]; then
		pass
		expect_equal "$st" "$((128 + num))" \
		    "build killed by SIG$sig"
		cmp -s "$tmp/out/d.pdf" "$tmp/prev.pdf" && pass ||
		    fail "SIG$sig: previous output changed"
		expect_equal "$(leftovers | tr '\n' ' ')" "" \
		    "SIG$sig: no temporary file left"
	else
		fail "SIG$sig: the build ended before it could be interrupted"
	fi
done

# SIGINT early, while the case is still being read or laid out.
interrupt INT 0
cmp -s "$tmp/out/d.pdf" "$tmp/prev.pdf" && pass ||
    fail "early SIGINT: previous output changed"
expect_equal "$(leftovers | tr '\n' ' ')" "" "early SIGINT: no temporary file"

# SIGKILL cannot be caught: temporary files may stay, the target may not
# change.
interrupt KILL 30
expect_equal "$sent" 1 "SIGKILL sent during the build"
cmp -s "$tmp/out/d.pdf" "$tmp/prev.pdf" && pass ||
    fail "SIGKILL: previous output changed"
rm -f "$tmp/out/"d.pdf.*

# A build that fails at its very end (the target is a folder: the final
# rename fails) removes every temporary file.
mkdir -p "$tmp/out/d.pdf.dir/keep"
run "$DOSSIER" build fixtures/northwind-2021 -q -o "$tmp/out/d.pdf.dir"
expect_status 2 "build onto a folder fails"
expect_out "not written" "build onto a folder says not written"
expect_equal "$(ls -A "$tmp/out" | tr '\n' ' ')" "d.pdf d.pdf.dir " \
    "failed build: no temporary file"
rm -rf "$tmp/out/d.pdf.dir"

# A build that fails on its input writes nothing.
mkdir -p "$tmp/bad"
cp -r tests/good/minimal/. "$tmp/bad/"
printf 'not,a,complaints,file\n' > "$tmp/bad/complaints.csv"
cp "$tmp/prev.pdf" "$tmp/out/d.pdf"
run "$DOSSIER" build "$tmp/bad" -q -o "$tmp/out/d.pdf"
expect_status 1 "build of a broken case fails"
cmp -s "$tmp/out/d.pdf" "$tmp/prev.pdf" && pass ||
    fail "broken case: previous output changed"
expect_equal "$(leftovers | tr '\n' ' ')" "" "broken case: no temporary file"

# An output folder that cannot be written (root writes anywhere: skip).
if [ "$(id -u)" != 0 ]; then
	mkdir -p "$tmp/ro" && chmod 555 "$tmp/ro"
	run "$DOSSIER" build fixtures/northwind-2021 -q -o "$tmp/ro/d.pdf"
	expect_status 2 "build into a read-only folder fails"
	expect_equal "$(ls -A "$tmp/ro")" "" "read-only folder stays empty"
	run "$DOSSIER" import fixtures/northwind-2021 --db "$tmp/ro/s.sqlite"
	expect_status 2 "import into a read-only folder fails"
	chmod 755 "$tmp/ro"
fi
run "$DOSSIER" import fixtures/northwind-2021 --db "$tmp/nodir/s.sqlite"
expect_status 2 "import into a missing folder fails"
expect_out "nodir" "import failure names the path"

# The output never overwrites an input.
mkdir -p "$tmp/case" && cp -r tests/good/minimal/. "$tmp/case/"
(cd "$tmp/case" && find . -type f -exec sha256sum {} + | sort) > "$tmp/sums"
for f in complaints.csv case.ini exhibits/capture.png outages/nagios.log; do
	run "$DOSSIER" build "$tmp/case" -q -o "$tmp/case/$f"
	expect_status 2 "build -o $f refused"
	expect_out "is one of the case's input files" "build -o $f says why"
	run "$DOSSIER" import "$tmp/case" --db "$tmp/case/$f"
	expect_status 2 "import --db $f refused"
	expect_out "is one of the case's input files" "import --db $f says why"
done
# Through another name for the same file.
ln -s "$tmp/case/timeline.csv" "$tmp/alias.csv"
run "$DOSSIER" build "$tmp/case" -q -o "$tmp/alias.csv"
expect_status 2 "build through a symbolic link to an input refused"
(cd "$tmp/case" && find . -type f -exec sha256sum {} + | sort) > "$tmp/sums2"
cmp -s "$tmp/sums" "$tmp/sums2" && pass ||
    fail "an input file changed: $(diff "$tmp/sums" "$tmp/sums2" | head -3)"

summary
