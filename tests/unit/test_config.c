/* Unit tests for configuration loading. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "mnvault/config.h"

static char dir[256];

static int group_setup(void **state)
{
    (void)state;
    snprintf(dir, sizeof(dir), "/tmp/mnv-config-XXXXXX");
    return mkdtemp(dir) ? 0 : -1;
}

static int group_teardown(void **state)
{
    (void)state;
    char cmd[300];
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
    return system(cmd) == 0 ? 0 : -1;
}

static const char *write_file(const char *name, const char *text)
{
    static char path[512];
    snprintf(path, sizeof(path), "%s/%s", dir, name);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
    return path;
}

struct warnings {
    int count;
    int system_only; /* of them, settings only the system file may make */
    long line;
    enum mnv_err code;
    char item[128];
};

static void collect(void *ud, enum mnv_err code, const struct mnv_diag *d)
{
    struct warnings *w = ud;
    w->code = code;
    w->count++;
    w->system_only += code == MNV_ERR_CONFIG_SYSTEM_ONLY;
    w->line = d->line;
    snprintf(w->item, sizeof(w->item), "%s", d->item);
}

static void test_config__defaults(void **state)
{
    (void)state;
    struct mnv_config c;
    config_defaults(&c);
    assert_int_equal(c.mask, MYNUMBER_MASK_NONE);
    assert_string_equal(c.language, "auto");
    assert_int_equal(c.color, 1);
    assert_int_equal(c.idle_lock_seconds, 300);
    assert_int_equal(c.reveal_seconds, 30);
    assert_string_equal(c.data_dir, "");
}

static void test_config__values_applied(void **state)
{
    (void)state;
    const char *p = write_file("ok.ini", "; comment\n[display]\nmask = last4\nLanguage = ja\n"
                                         "color = no\n[session]\nidle_lock_seconds = 0600\n"
                                         "[vault]\ndata_dir = /srv/hr/vault\n");
    struct mnv_config c;
    config_defaults(&c);
    struct mnv_diag d;
    mnv_diag_clear(&d);
    assert_int_equal(config_load_file(&c, p, 1, NULL, NULL, &d), MNV_OK);
    assert_int_equal(c.mask, MYNUMBER_MASK_LAST4);
    assert_string_equal(c.language, "ja");
    assert_int_equal(c.color, 0);
    assert_int_equal(c.idle_lock_seconds, 600); /* decimal, not octal */
    assert_string_equal(c.data_dir, "/srv/hr/vault");
}

static void test_config__bad_int_names_everything(void **state)
{
    (void)state;
    const char *p = write_file("badint.ini", "[display]\nmask = none\n\n[session]\n"
                                             "reveal_seconds = 3000\n");
    struct mnv_config c;
    config_defaults(&c);
    struct mnv_diag d;
    mnv_diag_clear(&d);
    assert_int_equal(config_load_file(&c, p, 1, NULL, NULL, &d), MNV_ERR_CONFIG_INT);
    assert_string_equal(d.where, p);
    assert_int_equal(d.line, 5);
    assert_string_equal(d.item, "session.reveal_seconds");
    assert_string_equal(d.detail, "5-300");
}

static void test_config__bad_values_each_type(void **state)
{
    (void)state;
    struct {
        const char *text;
        enum mnv_err want;
    } cases[] = {
        {"[display]\nmask = all\n", MNV_ERR_CONFIG_CHOICE},
        {"[display]\ncolor = maybe\n", MNV_ERR_CONFIG_BOOL},
        {"[session]\nidle_lock_seconds = 12abc\n", MNV_ERR_CONFIG_INT},
        {"[session]\nidle_lock_seconds = 99999999999999999999\n", MNV_ERR_CONFIG_INT},
        {"[session]\nidle_lock_seconds =\n", MNV_ERR_CONFIG_INT},
        {"[vault]\ndata_dir = \"a\tb\"\n", MNV_ERR_CONFIG_TEXT},
        {"[display\nmask = none\n", MNV_ERR_CONFIG_SYNTAX},
        {"\xef\xbb\xbf[display]\nmask = none\n", MNV_ERR_CONFIG_BOM},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
        const char *p = write_file("bad.ini", cases[i].text);
        struct mnv_config c;
        config_defaults(&c);
        struct mnv_diag d;
        mnv_diag_clear(&d);
        assert_int_equal(config_load_file(&c, p, 1, NULL, NULL, &d), cases[i].want);
        assert_string_equal(d.where, p);
        assert_true(d.line >= 1);
    }
}

static void test_config__unknown_key_warns(void **state)
{
    (void)state;
    const char *p = write_file("unknown.ini", "[display]\nmask = none\nmsak = last4\n"
                                              "[nosuch]\nx = 1\n");
    struct mnv_config c;
    config_defaults(&c);
    struct warnings w = {0};
    assert_int_equal(config_load_file(&c, p, 1, collect, &w, NULL), MNV_OK);
    assert_int_equal(w.count, 2);
    assert_int_equal(w.code, MNV_ERR_CONFIG_UNKNOWN);
    assert_string_equal(w.item, "nosuch.x");
    assert_int_equal(w.line, 5);
}

static void test_config__missing_files(void **state)
{
    (void)state;
    struct mnv_config c;
    config_defaults(&c);
    struct mnv_diag d;
    mnv_diag_clear(&d);
    assert_int_equal(config_load_file(&c, "/nonexistent/x.ini", 0, NULL, NULL, &d), MNV_OK);
    assert_int_equal(config_load_file(&c, "/nonexistent/x.ini", 1, NULL, NULL, &d),
                     MNV_ERR_NOT_FOUND);
}

static void test_config__order_system_user_explicit(void **state)
{
    (void)state;
    char sys[512], xdg[512], cmd[600];
    snprintf(sys, sizeof(sys), "%s",
             write_file("system.ini", "[display]\nmask = last4\nlanguage = ja\n"));
    snprintf(xdg, sizeof(xdg), "%s/xdg", dir);
    snprintf(cmd, sizeof(cmd), "mkdir -p '%s/mnvault'", xdg);
    assert_int_equal(system(cmd), 0);
    write_file("xdg/mnvault/mnvault.ini", "[display]\nlanguage = en\n[session]\n"
                                          "reveal_seconds = 10\n");
    const char *explicit_path = write_file("explicit.ini", "[session]\nreveal_seconds = 20\n");
    setenv("MNVAULT_SYSTEM_CONFIG", sys, 1);
    setenv("XDG_CONFIG_HOME", xdg, 1);
    struct mnv_config c;
    struct mnv_diag d;
    mnv_diag_clear(&d);
    assert_int_equal(config_load(&c, explicit_path, NULL, NULL, &d), MNV_OK);
    assert_int_equal(c.mask, MYNUMBER_MASK_LAST4); /* from the system file */
    assert_string_equal(c.language, "en");         /* the user file wins over it */
    assert_int_equal(c.reveal_seconds, 20);        /* --config wins over both */
    assert_int_equal(config_load(&c, NULL, NULL, NULL, &d), MNV_OK);
    assert_int_equal(c.reveal_seconds, 10);
    unsetenv("MNVAULT_SYSTEM_CONFIG");
    unsetenv("XDG_CONFIG_HOME");
}

static void test_config__sample_reads_back_as_defaults(void **state)
{
    (void)state;
    char path[512];
    snprintf(path, sizeof(path), "%s/sample.ini", dir);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    assert_int_equal(config_write_sample(f), 0);
    fclose(f);
    struct mnv_config a, b;
    config_defaults(&a);
    memset(&b, 0x55, sizeof(b));
    config_defaults(&b);
    struct warnings w = {0};
    /* the sample is the system file's: read as a user's, [audit] syslog is ignored */
    assert_int_equal(config_load_file(&b, path, 1, collect, &w, NULL), MNV_OK);
    assert_int_equal(w.count, 1);
    assert_int_equal(w.system_only, 1);
    assert_memory_equal(&a, &b, sizeof(a));
}

/* The syslog copy is switched only by the system file: a user's own file or --config
 * cannot turn it off (the setting is ignored there, with a warning). */
static void test_config__syslog_only_from_the_system_file(void **state)
{
    (void)state;
    char sys[512], xdg[512], cmd[600];
    snprintf(sys, sizeof(sys), "%s", write_file("sys-syslog.ini", "[audit]\nsyslog = true\n"));
    snprintf(xdg, sizeof(xdg), "%s/xdg2", dir);
    snprintf(cmd, sizeof(cmd), "mkdir -p '%s/mnvault'", xdg);
    assert_int_equal(system(cmd), 0);
    write_file("xdg2/mnvault/mnvault.ini", "[audit]\nsyslog = false\n");
    const char *explicit_path = write_file("explicit-syslog.ini", "[audit]\nsyslog = false\n");
    setenv("MNVAULT_SYSTEM_CONFIG", sys, 1);
    setenv("XDG_CONFIG_HOME", xdg, 1);
    struct mnv_config c;
    struct warnings w = {0};
    assert_int_equal(config_load(&c, explicit_path, collect, &w, NULL), MNV_OK);
    assert_true(c.syslog);
    assert_int_equal(w.count, 2);
    assert_int_equal(w.code, MNV_ERR_CONFIG_SYSTEM_ONLY);
    assert_string_equal(w.item, "audit.syslog");
    /* the system file itself may switch it off */
    snprintf(sys, sizeof(sys), "%s", write_file("sys-syslog.ini", "[audit]\nsyslog = false\n"));
    assert_int_equal(config_load(&c, NULL, NULL, NULL, NULL), MNV_OK);
    assert_false(c.syslog);
    unsetenv("MNVAULT_SYSTEM_CONFIG");
    unsetenv("XDG_CONFIG_HOME");
}

struct each_seen {
    int keys, defaults;
    char mask[16], idle[16], dir[64];
};

static void each_fn(void *ud, const char *section, const char *name, const char *value,
                    int is_default)
{
    struct each_seen *e = ud;
    e->keys++;
    e->defaults += is_default;
    if (strcmp(section, "display") == 0 && strcmp(name, "mask") == 0)
        snprintf(e->mask, sizeof(e->mask), "%s", value);
    if (strcmp(section, "session") == 0 && strcmp(name, "idle_lock_seconds") == 0)
        snprintf(e->idle, sizeof(e->idle), "%s", value);
    if (strcmp(section, "vault") == 0 && strcmp(name, "data_dir") == 0)
        snprintf(e->dir, sizeof(e->dir), "%s", value);
}

static void test_config__each_shows_values_in_effect(void **state)
{
    (void)state;
    struct mnv_config c;
    config_defaults(&c);
    struct each_seen all = {0};
    config_each(&c, each_fn, &all);
    assert_true(all.keys >= 12);
    assert_int_equal(all.defaults, all.keys); /* every default says so */
    assert_string_equal(all.mask, "none");
    const char *p = write_file("each.ini", "[display]\nmask = last4\n[session]\nidle_lock_seconds"
                                           " = 0600\n[vault]\ndata_dir = /srv/hr/vault\n");
    struct mnv_diag d;
    mnv_diag_clear(&d);
    assert_int_equal(config_load_file(&c, p, 1, NULL, NULL, &d), MNV_OK);
    struct each_seen set = {0};
    config_each(&c, each_fn, &set);
    assert_int_equal(set.keys, all.keys);
    assert_int_equal(set.defaults, all.keys - 3);
    assert_string_equal(set.mask, "last4"); /* written as the file would: read back the same */
    assert_string_equal(set.idle, "600");
    assert_string_equal(set.dir, "/srv/hr/vault");
}
