/* fuzz_timeline.c - libFuzzer harness: timeline.csv of a case folder, read by read_case(). */
#define FUZZ_FILE "timeline.csv"
#include "fuzz_case.h"
