/* fuzz_text.c - libFuzzer harness: exhibits/mail-0001.txt of a case folder, read by read_case(). */
#define FUZZ_FILE "exhibits/mail-0001.txt"
#include "fuzz_case.h"
