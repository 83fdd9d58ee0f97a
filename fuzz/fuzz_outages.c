/* fuzz_outages.c - libFuzzer harness: outages/manual.csv of a case folder, read by read_case(). */
#define FUZZ_FILE "outages/manual.csv"
#include "fuzz_case.h"
