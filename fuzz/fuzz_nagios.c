/* fuzz_nagios.c - libFuzzer harness: outages/nagios.log of a case folder, read by read_case(). */
#define FUZZ_FILE "outages/nagios.log"
#include "fuzz_case.h"
