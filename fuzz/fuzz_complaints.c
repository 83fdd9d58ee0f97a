/* fuzz_complaints.c - libFuzzer harness: complaints.csv of a case folder, read by read_case(). */
#define FUZZ_FILE "complaints.csv"
#include "fuzz_case.h"
