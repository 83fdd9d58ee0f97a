#!/bin/sh
# make-samples.sh - PNG previews of representative pages of the default
# dossier, for the README: cover, contents, list of exhibits, chronology,
# availability chart, a complaint, an exhibit, the index.
# Usage: samples/make-samples.sh [PDF]   (default out/amen-2005.pdf)
set -eu
pdf=${1:-out/amen-2005.pdf}
dir=$(dirname "$0")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pdftotext -layout "$pdf" "$tmp/all.txt"
# First page (1-based) whose text holds the pattern: pages are split by \f.
page_of() {
	awk -v pat="$1" 'BEGIN { RS = "\f" } index($0, pat) { print NR; exit }' \
		"$tmp/all.txt"
}
page_last_of() {
	awk -v pat="$1" 'BEGIN { RS = "\f" } index($0, pat) { n = NR } END { print n }' \
		"$tmp/all.txt"
}
shot() {	# NAME PAGE
	pdftoppm -png -r 60 -f "$2" -l "$2" -singlefile "$pdf" "$dir/$1"
	echo "$dir/$1.png: page $2"
}
shot dossier-1-cover 1
shot dossier-2-contents "$(page_of 'Sommaire')"
shot dossier-3-bordereau "$(page_of 'Pièces communiquées, numérotées')"
shot dossier-4-chronology "$(page_of 'Événements de l')"
shot dossier-5-availability "$(page_of 'Disponibilité quotidienne')"
shot dossier-6-complaint "$(page_of 'Pannes constatées sur ses services')"
shot dossier-7-exhibit "$(page_last_of 'Pièce n° 4 — Page')"
shot dossier-8-index "$(page_last_of 'Index')"
