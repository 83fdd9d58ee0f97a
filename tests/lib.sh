# lib.sh - tiny assertion helpers for the shell suites (sourced).
# run CMD...: runs it, keeping stdout in $out, stderr in $err, status in $st.
suite_pass=0
suite_fail=0
suite_name=$(basename "$0" .sh)
pass() { suite_pass=$((suite_pass + 1)); }
fail() { suite_fail=$((suite_fail + 1)); echo "  FAIL [$suite_name]: $*"; }
run() {
	out=$("$@" 2>/tmp/dossier-suite-err.$$); st=$?
	err=$(cat /tmp/dossier-suite-err.$$); rm -f /tmp/dossier-suite-err.$$
}
expect_status() {
	if [ "$st" -eq "$1" ]; then pass; else
		fail "$2: exit $st, expected $1"; printf '%s\n%s\n' "$out" "$err" | head -20; fi
}
expect_out() {
	if printf '%s\n%s\n' "$out" "$err" | grep -qF -- "$1"; then pass; else
		fail "$2: output lacks '$1'"; fi
}
expect_no_out() {
	if printf '%s\n%s\n' "$out" "$err" | grep -qF -- "$1"; then
		fail "$2: output has '$1'"; else pass; fi
}
expect_err() { expect_out "$@"; }
expect_equal() {
	if [ "$1" = "$2" ]; then pass; else fail "$3: got '$1', expected '$2'"; fi
}
# Number of records in a CSV file (header excluded), quoted newlines counted once.
sqlite_rows_csv() {
	sqlite3 :memory: ".mode csv" ".import '$1' t" "SELECT count(*) FROM t"
}
summary() {
	echo "$suite_name: $suite_pass passed, $suite_fail failed"
	[ "$suite_fail" -eq 0 ]
}
