#!/bin/sh
# bench/run.sh - the figures of `make bench` (see bench/README.md).
#
# For each scale (SCALES, default "small medium large"): generate the case
# once into $BENCH_DIR/SCALE/ (again only when bench/gencase.c or the seed
# changed), check it, then run RUNS times (default 3) each of
#
#	dossier import CASE --stats -q
#	dossier availability CASE --stats --format csv > /dev/null
#	dossier build CASE -o OUT.pdf --stats -q	(when the command exists)
#	harufloor FONT CASE/complaints.csv FLOOR.pdf [PAGES]
#	dossier packs CASE -o DIR -j 2 -q		(medium scale only)
#
# and print one table per scale: per stage the median seconds, pages,
# pages per second, peak RSS and output size, then the ratio of the build
# to the libharu floor at the same page count. Nothing is asserted: the
# targets are printed as met or missed. Run from the top of the tree.
set -u

DOSSIER=${DOSSIER:-./dossier}
BENCH_DIR=${BENCH_DIR:-build/bench}
GENCASE=${GENCASE:-$BENCH_DIR/gencase}
HARUFLOOR=${HARUFLOOR:-$BENCH_DIR/harufloor}
FONT=${FONT:-fonts/LiberationSerif-Regular.ttf}
SCALES=${SCALES:-small medium large}
RUNS=${RUNS:-3}
SEED=${SEED:-20050412}
TIMEOUT=${TIMEOUT:-120}	# seconds allowed to one run of one command
MEMLIMIT=${MEMLIMIT:-4194304}	# KiB of address space allowed (ulimit -v)
PACKS_TIMEOUT=${PACKS_TIMEOUT:-900}	# seconds allowed to one run of packs
PACKS_SCALES=${PACKS_SCALES:-medium}	# scales whose packs are timed

for f in "$DOSSIER" "$GENCASE" "$HARUFLOOR"; do
	if [ ! -x "$f" ]; then
		echo "bench: $f is missing (run it through 'make bench')" >&2
		exit 2
	fi
done
tmp=$(mktemp -d "${TMPDIR:-/tmp}/dossier-bench.XXXXXX") || exit 2
trap 'rm -rf "$tmp"' EXIT
trap 'exit 130' INT TERM

timeout=
command -v timeout > /dev/null 2>&1 && timeout=timeout
has_build=0
if "$DOSSIER" --help 2>/dev/null | grep -q '^  build'; then
	has_build=1
fi

# Generate the case of scale $1 unless it is there from the same
# generator source and seed; check that it reads with no error.
prepare() {
	dir=$BENCH_DIR/$1
	stamp=$BENCH_DIR/$1.stamp
	want="$(cksum < bench/gencase.c) seed $SEED"
	if [ -d "$dir" ] && [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]
	then
		return 0
	fi
	rm -rf "$dir" "$stamp"
	echo "bench: generating the $1 case in $dir"
	"$GENCASE" "$1" "$dir" "$SEED" || return 1
	if ! "$DOSSIER" check "$dir" > "$tmp/check" 2>&1; then
		tail -n 20 "$tmp/check" >&2
		echo "bench: the generated $1 case does not pass dossier check" >&2
		rm -rf "$dir"
		return 1
	fi
	grep -q '; 0 errors, 0 warnings' "$tmp/check" ||
	    echo "bench: note: $(grep 'errors,' "$tmp/check")"
	log_only "$1" || return 1
	echo "$want" > "$stamp"
}

# The target "import of 1,000,000 Nagios lines" is about the log alone:
# $BENCH_DIR/SCALE-log/ holds the case.ini and Nagios log of the large
# case (a hard link, else a copy) and a one-row complaints.csv.
log_only() {
	[ "$1" = large ] || return 0
	dir=$BENCH_DIR/$1
	log=$BENCH_DIR/$1-log
	rm -rf "$log"
	mkdir -p "$log/outages" || return 1
	cp "$dir/case.ini" "$log/" || return 1
	ln "$dir/outages/nagios.log" "$log/outages/" 2>/dev/null ||
	    cp "$dir/outages/nagios.log" "$log/outages/" || return 1
	{
		head -n 1 "$dir/complaints.csv"
		echo "R-000000,2005-05-06 08:00,C-00000,Émilie Dupré," \
		    "client00000@exemple.fr,svc00,,,,Résumé,Déclaration," |
		    sed 's/, /,/g'
	} > "$log/complaints.csv"
}

# runs NAME COMMAND...: run the command RUNS times, its stderr and stdout
# (the stat: lines) into $tmp/NAME.1 ... $tmp/NAME.RUNS.
runs() {
	name=$1
	shift
	i=1
	while [ "$i" -le "$RUNS" ]; do
		(
			# On a shared machine a runaway run must not take all
			# the memory: past the limit malloc fails, and the run
			# is reported as failed.
			ulimit -v "$MEMLIMIT" 2>/dev/null
			if [ -n "$timeout" ]; then
				exec timeout "$TIMEOUT" "$@"
			else
				exec "$@"
			fi
		) > "$tmp/$name.$i" 2>&1
		rc=$?
		if [ "$rc" -ne 0 ]; then
			grep -v '^stat:' "$tmp/$name.$i" | tail -n 5 >&2
			if [ -n "$timeout" ] && [ "$rc" -eq 124 ]; then
				echo "bench: '$*' took more than $TIMEOUT s" >&2
			else
				echo "bench: '$*' exited with $rc" >&2
			fi
			return 1
		fi
		i=$((i + 1))
	done
}

# rows LABEL NAME [OUTPUT]: the table rows of one command from the stat:
# lines of its runs: the median of every stage, of the total (the
# "total" line, or the sum of the stages of each run), of the pages and
# of the processor time ("cpu"); the largest peak RSS. Writes
# "total pages rss_kb cpu" to $tmp/NAME.sum.
rows() {
	label=$1
	name=$2
	bytes=-1
	[ $# -ge 3 ] && [ -f "$3" ] && bytes=$(wc -c < "$3")
	i=1
	files=
	while [ "$i" -le "$RUNS" ]; do
		files="$files $tmp/$name.$i"
		i=$((i + 1))
	done
	# shellcheck disable=SC2086
	awk -v label="$label" -v bytes="$bytes" -v sum="$tmp/$name.sum" '
	function median(key, n,    a, i, j, v) {
		for (i = 1; i <= n; i++) {
			v = vals[key, i]
			for (j = i - 1; j >= 1 && a[j] > v; j--)
				a[j + 1] = a[j]
			a[j + 1] = v
		}
		return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
	}
	function rate(s) { return pages > 0 && s > 0 ? sprintf("%.0f", pages / s) : "-" }
	FNR == 1 { run++ }
	$1 == "stat:" && NF == 3 {
		k = $2
		if (k == "peak_rss_kb") { if ($3 > rss) rss = $3; next }
		if (k == "pages") { vals["pages", ++np] = $3; next }
		if (k == "total") { tot[run] = $3; next }
		if (k == "cpu") { vals["cpu", ++nc] = $3; next }
		if (!(k in seen)) { seen[k] = 1; order[++ns] = k }
		vals[k, ++cnt[k]] = $3
		stagesum[run] += $3
	}
	END {
		pages = np ? median("pages", np) : 0
		for (r = 1; r <= run; r++)
			vals["total", r] = (r in tot) ? tot[r] : stagesum[r]
		total = median("total", run)
		cpu = nc ? sprintf("%.3f", median("cpu", nc)) : "-"
		pg = pages > 0 ? pages : "-"
		for (i = 1; i <= ns; i++) {
			s = median(order[i], cnt[order[i]])
			line = sprintf("%-13s %-9s %9.3f %7s %8s", label,
			    order[i], s, pg, rate(s))
			sub(/ +$/, "", line)
			print line
		}
		printf "%-13s %-9s %9.3f %7s %8s %12.1f %10s %7s\n", label,
		    "total", total, pg, rate(total), rss / 1024,
		    (bytes >= 0 ? sprintf("%.2f", bytes / 1048576) : "-"), cpu
		printf "%s %s %s %s\n", total, pages, rss, cpu > sum
	}' $files
}

# packs_script DOSSIER CASE DIR TIMEFILE (run with sh -c, so that runs
# can put it under timeout): `DOSSIER packs CASE -o DIR -j 2 -q` (every
# customer's pack), timed from outside by GNU time (packs has no
# --stats). Prints the stat: lines rows reads, "pages" being the number
# of packs written, so that the pages/s column reads packs per second.
# The peak RSS is that of the largest process, the parent or a worker
# (wait4 reports the largest of a process and its reaped children).
packs_script='
	rm -rf "$3"
	/usr/bin/time -f "%e %U %S %M" -o "$4" "$1" packs "$2" -o "$3" -j 2 -q ||
	    exit 1
	read -r wall user sys rss <"$4"
	echo "stat: total $wall"
	echo "stat: cpu $(awk -v u="$user" -v s="$sys" "BEGIN { print u + s }")"
	echo "stat: peak_rss_kb $rss"
	echo "stat: pages $(ls "$3" | grep -c "[.]pdf$")"'

# target TEXT VALUE LIMIT [CPU]: print whether VALUE < LIMIT.
target() {
	awk -v t="$1" -v v="$2" -v l="$3" -v c="${4:-}" 'BEGIN {
		printf "  target: %-44s %s (%s%s)\n", t,
		    (v < l ? "met" : "MISSED"), v,
		    (c != "" && c != "-" ? "; cpu " c " s" : "") }'
}

status=0
for scale in $SCALES; do
	case $scale in
	small | medium | large) ;;
	*) echo "bench: unknown scale '$scale' (small, medium, large)" >&2
	   status=2; continue ;;
	esac
	prepare "$scale" || { status=1; continue; }
	dir=$BENCH_DIR/$scale
	echo
	echo "== $scale: $(grep -c '' "$dir/outages/nagios.log") log lines," \
	    "case in $dir ($(du -sk "$dir" | cut -f1) KiB), median of $RUNS runs"
	printf "%-13s %-9s %9s %7s %8s %12s %10s %7s\n" command stage \
	    "median s" pages "pages/s" "peak RSS MB" "output MB" "cpu s"
	if runs import "$DOSSIER" import "$dir" --stats -q; then
		rows import import
	else
		status=1
	fi
	# The log alone (case.ini and outages/nagios.log), for the target.
	if [ -d "$dir-log" ]; then
		if runs implog "$DOSSIER" import "$dir-log" --stats -q; then
			rows "import (log)" implog
		else
			status=1
		fi
	fi
	if runs avail "$DOSSIER" availability "$dir" --stats --format csv; then
		rows availability avail
	else
		status=1
	fi
	pages=
	if [ "$has_build" = 1 ]; then
		pdf=$BENCH_DIR/$scale.pdf
		if runs build "$DOSSIER" build "$dir" -o "$pdf" --stats -q; then
			rows build build "$pdf"
			pages=$(cut -d' ' -f2 "$tmp/build.sum")
			[ "$pages" = 0 ] && pages=
		else
			status=1
		fi
		rm -f "$pdf".*.tmp	# left by a run stopped by the limits
	fi
	floor=$BENCH_DIR/$scale-floor.pdf
	# shellcheck disable=SC2086
	if runs floor "$HARUFLOOR" "$FONT" "$dir/complaints.csv" "$floor" \
	    $pages; then
		rows "libharu floor" floor "$floor"
	else
		status=1
	fi
	if [ -f "$tmp/build.sum" ] && [ -f "$tmp/floor.sum" ]; then
		awk -v b="$(cut -d' ' -f1 "$tmp/build.sum")" \
		    -v f="$(cut -d' ' -f1 "$tmp/floor.sum")" 'BEGIN {
			if (f > 0)
				printf "build / libharu floor at the same page " \
				    "count: %.1f times\n", b / f }'
	fi
	[ -f "$tmp/implog.sum" ] &&
	    target "import of 1,000,000 log lines under 2 s" \
	    "$(cut -d' ' -f1 "$tmp/implog.sum")" 2 \
	    "$(cut -d' ' -f4 "$tmp/implog.sum")"
	if [ -f "$tmp/build.sum" ]; then
		[ "$scale" = medium ] && target "medium dossier under 1.2 s" \
		    "$(cut -d' ' -f1 "$tmp/build.sum")" 1.2 \
		    "$(cut -d' ' -f4 "$tmp/build.sum")"
		if [ "$scale" = large ]; then
			target "large dossier under 10 s" \
			    "$(cut -d' ' -f1 "$tmp/build.sum")" 10 \
			    "$(cut -d' ' -f4 "$tmp/build.sum")"
			target "large dossier peak memory under 1 GB (KiB)" \
			    "$(cut -d' ' -f3 "$tmp/build.sum")" 1048576
		fi
	fi
	# Every customer's pack, two workers (the target machine has two
	# cores). The run is timed by /usr/bin/time (GNU time).
	case " $PACKS_SCALES " in *" $scale "*)
		if [ ! -x /usr/bin/time ]; then
			echo "bench: /usr/bin/time (GNU time) is missing: no packs row" >&2
		else
			saved_timeout=$TIMEOUT
			TIMEOUT=$PACKS_TIMEOUT
			if runs packs sh -c "$packs_script" packs "$DOSSIER" \
			    "$dir" "$BENCH_DIR/$scale-packs" "$tmp/packs.time"
			then
				rows "packs -j 2" packs
				[ "$scale" = medium ] &&
				    target "all medium packs with -j 2 under 10 s" \
				    "$(cut -d' ' -f1 "$tmp/packs.sum")" 10 \
				    "$(cut -d' ' -f4 "$tmp/packs.sum")"
			else
				status=1
			fi
			TIMEOUT=$saved_timeout
		fi ;;
	esac
	rm -f "$tmp"/*.sum
done
[ "$has_build" = 1 ] ||
    echo "(no 'dossier build' yet: the build rows and the ratio to the floor are left out)"
exit "$status"
