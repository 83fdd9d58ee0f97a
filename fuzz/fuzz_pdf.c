/* fuzz_pdf.c - libFuzzer harness: a PDF exhibit added to a case folder,
 * read by read_case() (qpdf parses it; pages, encryption, actions). */
#define FUZZ_FILE "exhibits/fuzz.pdf"
#include "fuzz_case.h"
