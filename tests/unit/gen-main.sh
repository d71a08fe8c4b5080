#!/bin/sh
# gen-main.sh FILE.c: print a cmocka main() for the tests in FILE.c. A test is any function
#   static void test_<module>__<case>(void **state)
# Optional per-file fixtures: static int setup(void **state) / static int teardown(void **state)
# run around every test; group_setup / group_teardown once around the file.
set -eu
file=$1
name=$(basename "$file" .c)
tests=$(sed -n 's/^static void \(test_[a-z0-9_]*__[a-z0-9_]*\)(void \*\*state).*/\1/p' "$file")
has() { grep -q "^static int $1(void \*\*state)" "$file"; }
fx_setup=NULL; fx_teardown=NULL; g_setup=NULL; g_teardown=NULL
has setup && fx_setup=setup
has teardown && fx_teardown=teardown
has group_setup && g_setup=group_setup
has group_teardown && g_teardown=group_teardown
cat <<HDR
/* Generated from $file by tests/unit/gen-main.sh; do not edit. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include "$name.c"

int main(void)
{
    const struct CMUnitTest tests[] = {
HDR
for t in $tests; do
    echo "        cmocka_unit_test_setup_teardown($t, $fx_setup, $fx_teardown),"
done
cat <<FTR
    };
    return cmocka_run_group_tests_name("$name", tests, $g_setup, $g_teardown);
}
FTR
