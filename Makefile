# dossier - GNU Make build. See README.md.
#
#   make            build ./dossier
#   make demo       install missing packages, build, run on fixtures/amen-2005
#   make deps       install the Debian packages listed in DEBIAN_PACKAGES
#   make test       build and run every test
#   make check-asan the tests under AddressSanitizer + UBSan
#   make check-valgrind  build the default case under valgrind (no leaks)
#   make fuzz       libFuzzer on every reader, FUZZ_SECONDS each (clang)
#   make bench      speed and memory at three case sizes (bench/README.md);
#                   make bench SCALES="small medium" for fewer
#   make install PREFIX=/usr/local

PREFIX  ?= /usr/local
BINDIR  ?= $(PREFIX)/bin
DATADIR ?= $(PREFIX)/share/dossier
MANDIR  ?= $(PREFIX)/share/man

VERSION := 0.1.0

# The one list of Debian packages the project needs, for building, testing
# and checking PDFs. `make deps` installs the missing ones; CI uses it too.
DEBIAN_PACKAGES := build-essential pkg-config tzdata \
	libhpdf-dev libsqlite3-dev libpng-dev libjpeg-dev zlib1g-dev \
	libdeflate-dev libqpdf-dev libcsv-dev libinih-dev libhyphen-dev hyphen-fr \
	hyphen-en-us nettle-dev libcmocka-dev \
	sqlite3 qpdf poppler-utils mupdf-tools valgrind clang

CC      ?= cc
OPT     ?= -O2 -g
WARN    := -Wall -Wextra -Werror -Wno-unused-parameter
CFLAGS  ?=
CPPFLAGS_ALL := -std=c11 -D_GNU_SOURCE -Isrc \
	-DDOSSIER_VERSION='"$(VERSION)"' -DDOSSIER_DATADIR='"$(DATADIR)"'
LIBS    := -lhpdf -lqpdf -lsqlite3 -lpng -ljpeg -ldeflate -lz -lcsv -linih \
	-lhyphen -lnettle -lm -lpthread -lstdc++

# Two files are C++ (src/read/read_pdf.cc, src/finish/pdfpages.cc): PDF
# exhibits need libqpdf's object model (every object of a file, pages as
# form XObjects, annotations, outlines), which its C API does not offer.
# They expose a C interface; the program stays C and links -lstdc++.
CXX     ?= g++
CXXWARN := -Wall -Wextra -Werror -Wno-unused-parameter
CXXFLAGS_ALL = -std=c++17 -D_GNU_SOURCE -DPOINTERHOLDER_TRANSITION=4 -Isrc $(OPT) $(CXXWARN) $(CFLAGS)

BUILD   ?= build
SRC     := $(filter-out src/main.c,$(wildcard src/*.c src/*/*.c))
CXXSRC  := $(wildcard src/*/*.cc)
OBJ     := $(SRC:%.c=$(BUILD)/%.o) $(CXXSRC:%.cc=$(BUILD)/%.o)
GEN     := $(BUILD)/gen/schema_sql.c
GENOBJ  := $(GEN:%.c=%.o)
LIB     := $(BUILD)/libdossier.a
TESTSRC := $(wildcard tests/test_*.c)
TESTBIN := $(TESTSRC:tests/%.c=$(BUILD)/tests/%)

ALLFLAGS = $(CPPFLAGS_ALL) $(OPT) $(WARN) $(CFLAGS)

.PHONY: all demo deps test check-asan check-valgrind install clean bench \
	fuzz fuzz-build fuzz-bins samples
all: dossier

# Definitions that replace libharu's own (src/render/glyphid.c,
# src/render/hpdfmem.c): linked as objects, not left to the archive, so
# they are always in the binary and exported for libharu's calls to find.
INTERPOSE := $(BUILD)/src/render/glyphid.o $(BUILD)/src/render/hpdfmem.o

dossier: $(BUILD)/src/main.o $(INTERPOSE) $(LIB)
	$(CC) $(ALLFLAGS) -o $@ $^ $(LIBS) $(LDFLAGS)

$(LIB): $(OBJ) $(GENOBJ)
	rm -f $@
	ar rcs $@ $^

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(ALLFLAGS) -MMD -MP -c -o $@ $<

$(BUILD)/%.o: %.cc
	@mkdir -p $(dir $@)
	$(CXX) $(CXXFLAGS_ALL) -MMD -MP -c -o $@ $<

# The SQL schema is kept in its own file and compiled in as a string.
$(BUILD)/gen/schema_sql.c: src/store/schema.sql
	@mkdir -p $(dir $@)
	{ echo 'const char store_schema_sql[] ='; \
	  sed -e 's/\\/\\\\/g' -e 's/"/\\"/g' -e 's/^/"/' -e 's/$$/\\n"/' $<; \
	  echo ';'; } > $@

$(BUILD)/gen/%.o: $(BUILD)/gen/%.c
	$(CC) $(ALLFLAGS) -c -o $@ $<

$(BUILD)/tests/%: tests/%.c $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(ALLFLAGS) -Itests -o $@ $< $(LIB) -lcmocka $(LIBS) $(LDFLAGS)

# Benchmarks: not part of `make test`. See bench/README.md.
# `make bench`: import, analysis and the PDF build at three case sizes,
# against a libharu floor; then the layout engine alone against libharu.
SCALES  ?= small medium large
BENCHBIN := $(BUILD)/bench/gencase $(BUILD)/bench/harufloor \
	$(BUILD)/bench/layout_bench

bench: dossier $(BENCHBIN)
	@SCALES="$(SCALES)" BENCH_DIR=$(BUILD)/bench DOSSIER=./dossier \
		sh bench/run.sh; st=$$?; \
	echo; echo "== layout engine against plain libharu (layout_bench)"; \
	./$(BUILD)/bench/layout_bench && exit $$st

$(BUILD)/bench/gencase: bench/gencase.c
	@mkdir -p $(dir $@)
	$(CC) $(ALLFLAGS) -o $@ $< -lpng -lz $(LDFLAGS)

$(BUILD)/bench/avail_bench: bench/avail_bench.c $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(ALLFLAGS) -Wno-unused-function -Itests -o $@ $< $(LIB) \
		$(LIBS) $(LDFLAGS)

$(BUILD)/bench/%: bench/%.c $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(ALLFLAGS) -o $@ $< $(LIB) $(LIBS) $(LDFLAGS)

deps:
	@missing=$$(for p in $(DEBIAN_PACKAGES); do \
		dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | \
		grep -q 'install ok installed' || echo $$p; done); \
	if [ -n "$$missing" ]; then \
		echo "installing:" $$missing; \
		apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; \
	else echo "all packages present"; fi

demo: deps
	$(MAKE) dossier
	./dossier check fixtures/amen-2005
	./dossier build fixtures/amen-2005 -o out/amen-2005.pdf

# PNG previews of the default dossier for the README.
samples: dossier
	./dossier build fixtures/amen-2005 -o out/amen-2005.pdf
	sh samples/make-samples.sh out/amen-2005.pdf

test: dossier $(TESTBIN)
	@sh tests/run-all.sh $(TESTBIN)

check-asan:
	$(MAKE) BUILD=build-asan OPT='-O1 -g -fno-omit-frame-pointer' \
		CFLAGS='-fsanitize=address,undefined -fno-sanitize-recover=undefined' \
		LDFLAGS='-fsanitize=address,undefined' \
		DOSSIER_BIN=./dossier-asan dossier-asan-tests

dossier-asan-tests: $(BUILD)/src/main.o $(INTERPOSE) $(LIB) $(TESTBIN)
	$(CC) $(ALLFLAGS) -o dossier-asan $(BUILD)/src/main.o $(INTERPOSE) \
		$(LIB) $(LIBS) $(LDFLAGS)
	DOSSIER=./dossier-asan LSAN_OPTIONS=suppressions=tests/lsan.supp \
		sh tests/run-all.sh $(TESTBIN)

# Fuzzing (clang + libFuzzer): the library is built again with clang and
# the sanitizers into build-fuzz/, one harness per reader (fuzz/fuzz_*.c),
# each run FUZZ_SECONDS from the seeds of fuzz/corpus/READER/; new inputs
# go to build-fuzz/corpus/READER/, a crash to build-fuzz/crash-READER-*
# and fails the target.
FUZZ_SECONDS ?= 30
FUZZERS := ini complaints timeline outages nagios text pdf png jpeg
FUZZ_SAN := -fsanitize=address,undefined -fno-sanitize-recover=undefined

fuzz: fuzz-build
	@for f in $(FUZZERS); do \
		mkdir -p build-fuzz/corpus/$$f; \
		printf 'fuzz_%s: %s s ... ' $$f $(FUZZ_SECONDS); \
		if ./build-fuzz/fuzz/fuzz_$$f -max_total_time=$(FUZZ_SECONDS) \
		    -timeout=60 -print_final_stats=1 \
		    -artifact_prefix=build-fuzz/crash-$$f- \
		    build-fuzz/corpus/$$f fuzz/corpus/$$f \
		    > build-fuzz/fuzz_$$f.log 2>&1; then \
			sed -n 's/^stat::number_of_executed_units: */runs /p' \
			    build-fuzz/fuzz_$$f.log; \
		else echo FAILED; tail -40 build-fuzz/fuzz_$$f.log; exit 1; fi; \
	done

fuzz-build:
	$(MAKE) BUILD=build-fuzz CC=clang CXX=clang++ OPT='-O1 -g -fno-omit-frame-pointer' \
		CFLAGS='$(FUZZ_SAN) -fsanitize=fuzzer-no-link \
		-Wno-string-concatenation' fuzz-bins

fuzz-bins: $(FUZZERS:%=$(BUILD)/fuzz/fuzz_%)

$(BUILD)/fuzz/fuzz_%: fuzz/fuzz_%.c fuzz/fuzz_case.h $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(ALLFLAGS) -fsanitize=fuzzer -fsanitize-link-c++-runtime \
		-DFUZZ_MINIMAL='"$(CURDIR)/tests/good/minimal"' \
		-o $@ $< $(LIB) $(LIBS) $(LDFLAGS)

# The default case built whole under valgrind: dossier and packs. Any
# invalid access or definitely/indirectly lost block fails the target.
# DOSSIER_FREE_AT_EXIT=1: build frees libharu's objects too (render.h).
VALGRIND := valgrind -q --leak-check=full \
	--errors-for-leak-kinds=definite,indirect --error-exitcode=1 \
	--suppressions=tests/valgrind.supp
check-valgrind: dossier
	rm -rf build/valgrind && mkdir -p build/valgrind
	DOSSIER_FREE_AT_EXIT=1 $(VALGRIND) ./dossier build fixtures/amen-2005 \
		-q -o build/valgrind/amen-2005.pdf
	$(VALGRIND) ./dossier packs fixtures/amen-2005 -o build/valgrind/packs \
		-j 1 -q
	@echo "check-valgrind: no leak, no invalid access"

install: dossier
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(DATADIR)/fonts \
		$(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(MANDIR)/man5
	install -m 755 dossier $(DESTDIR)$(BINDIR)/dossier
	install -m 644 fonts/*.ttf fonts/LICENSE $(DESTDIR)$(DATADIR)/fonts/
	install -m 644 man/dossier.1 $(DESTDIR)$(MANDIR)/man1/
	install -m 644 man/dossier.5 $(DESTDIR)$(MANDIR)/man5/

clean:
	rm -rf build build-asan build-fuzz dossier dossier-asan out

-include $(OBJ:.o=.d) $(BUILD)/src/main.d
