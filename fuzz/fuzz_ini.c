/* fuzz_ini.c - libFuzzer harness: case.ini of a case folder, read by read_case(). */
#define FUZZ_FILE "case.ini"
#include "fuzz_case.h"
