#!/bin/sh
# run-all.sh - run every cmocka test program given as argument, then the
# shell-level suites (tests/*.sh), and print one closing line
# "N passed, N failed" counting the test programs and suites.
# DOSSIER names the binary the shell suites run (default ./dossier).
: "${DOSSIER:=./dossier}"
export DOSSIER
passed=0
failed=0
for t in "$@"; do
	if "$t"; then passed=$((passed + 1)); else
		echo "FAILED: $t"; failed=$((failed + 1)); fi
done
for s in tests/suite-*.sh; do
	[ -f "$s" ] || continue
	if sh "$s"; then passed=$((passed + 1)); else
		echo "FAILED: $s"; failed=$((failed + 1)); fi
done
echo "tests: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
