/*
 * scr_edit.c: editing an employee or a dependent. Each field is checked when the cursor
 * leaves it, and the reason shows next to it; dates may be typed in the Western or the
 * Japanese era form (R7.4.1, 令和7年4月1日) and are stored as YYYY-MM-DD; a reading typed in
 * hiragana becomes katakana. F2 saves everything in one transaction (the service audits
 * which fields changed, never a number). Esc with unsaved changes asks first.
 */
#include "screens.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "draw.h"
#include "field.h"
#include "keys.h"
#include "phrases.h"
#include "mnvault/clock.h"
#include "mnvault/i18n.h"
#include "mnvault/people.h"
#include "mnvault/utf8.h"
#include "mnvault/wareki.h"

enum kind { K_TEXT, K_DATE, K_CHOICE };
enum check {
    C_CODE,
    C_NAME,
    C_KANA,
    C_DATE_REQ,
    C_DATE_OPT,
    C_POSTAL,
    C_ADDRESS,
    C_EMPINS,
    C_PENSION,
    C_NONE
};

struct spec {
    const char *column; /* the store's field name (diag->item) */
    const char *label;  /* msgid */
    enum kind kind;
    enum check check;
    size_t cap; /* bytes */
};

#define MAX_FIELDS 11

static const struct spec employee_specs[] = {
    {"code", N_("Employee code"), K_TEXT, C_CODE, PERSON_CODE_MAX + 1},
    {"name", N_("Name"), K_TEXT, C_NAME, PERSON_NAME_MAX + 1},
    {"kana", N_("Reading"), K_TEXT, C_KANA, PERSON_KANA_MAX + 1},
    {"birth_date", N_("Birth date"), K_DATE, C_DATE_REQ, 40},
    {"sex", N_("Sex"), K_CHOICE, C_NONE, 4},
    {"postal_code", N_("Postal code"), K_TEXT, C_POSTAL, 24},
    {"address", N_("Address"), K_TEXT, C_ADDRESS, PERSON_ADDRESS_MAX + 1},
    {"hire_date", N_("Hire date"), K_DATE, C_DATE_REQ, 40},
    {"retire_date", N_("Retirement date"), K_DATE, C_DATE_OPT, 40},
    {"emp_ins_no", N_("Empl. insurance no."), K_TEXT, C_EMPINS, 40},
    {"pension_no", N_("Basic pension no."), K_TEXT, C_PENSION, 40},
};

static const struct spec dependent_specs[] = {
    {"name", N_("Name"), K_TEXT, C_NAME, PERSON_NAME_MAX + 1},
    {"kana", N_("Reading"), K_TEXT, C_KANA, PERSON_KANA_MAX + 1},
    {"relation", N_("Relation"), K_CHOICE, C_NONE, 4},
    {"birth_date", N_("Birth date"), K_DATE, C_DATE_REQ, 40},
    {"sex", N_("Sex"), K_CHOICE, C_NONE, 4},
};

struct edit_state {
    int is_dependent;
    long long employee_id, dependent_id; /* dependent_id 0: a new dependent */
    const struct spec *specs;
    int n;
    struct field fields[MAX_FIELDS];
    int choice[MAX_FIELDS]; /* K_CHOICE: index into its values */
    char error[MAX_FIELDS][200];
    char original[MAX_FIELDS][PERSON_ADDRESS_MAX + 1];
    int focus;
    struct employee emp;  /* as loaded (employee) */
    struct dependent dep; /* as loaded (dependent) */
    char title[200];
    char load_error[300];
};

static const struct keydef edit_keys[] = {
    {KEY_F(2), 1, TA_SAVE},
    {19, 0, TA_SAVE}, /* Ctrl-S */
    {0, 0, TA_NONE},
};

/* Choice fields: the values stored and the words shown. */
static const int sex_values[] = {SEX_MALE, SEX_FEMALE};
static const int relation_values[] = {REL_SPOUSE, REL_CHILD, REL_PARENT, REL_OTHER};

static int nchoices(const struct spec *sp)
{
    return strcmp(sp->column, "sex") == 0 ? 2 : 4;
}

static const char *choice_word(const struct spec *sp, int i)
{
    if (strcmp(sp->column, "sex") == 0)
        return sex_values[i] == SEX_MALE ? _("male") : _("female");
    switch (relation_values[i]) {
    case REL_SPOUSE:
        return _("spouse");
    case REL_CHILD:
        return _("child");
    case REL_PARENT:
        return _("parent");
    default:
        return _("other");
    }
}

/* Hiragana to katakana, in place (the reading is stored in katakana). */
static void to_katakana(struct field *f)
{
    char out[PERSON_KANA_MAX * 2 + 8];
    size_t i = 0, o = 0;
    while (i < f->len && o + 4 < sizeof(out)) {
        uint32_t cp;
        int n = utf8_decode(f->buf + i, f->len - i, &cp);
        if (n < 0)
            return;
        if (cp >= 0x3041 && cp <= 0x3096)
            cp += 0x60;
        char enc[4];
        int m = utf8_encode(cp, enc);
        memcpy(out + o, enc, (size_t)m);
        o += (size_t)m;
        i += (size_t)n;
    }
    out[o] = '\0';
    if (strcmp(out, f->buf) != 0)
        field_set(f, out);
}

/* Check field i; normalise it in place when valid. Returns 1 when valid. */
static int check_field(struct edit_state *st, int i)
{
    const struct spec *sp = &st->specs[i];
    struct field *f = &st->fields[i];
    char norm[64] = "";
    enum mnv_err err = MNV_OK;
    st->error[i][0] = '\0';
    switch (sp->check) {
    case C_CODE:
        err = person_check_code(f->buf);
        break;
    case C_NAME:
        err = person_check_text(f->buf, PERSON_NAME_MAX, 1);
        break;
    case C_KANA:
        to_katakana(f);
        err = person_check_kana(f->buf);
        break;
    case C_ADDRESS:
        err = person_check_text(f->buf, PERSON_ADDRESS_MAX, 0);
        break;
    case C_DATE_REQ:
    case C_DATE_OPT:
        if (f->len == 0) {
            err = sp->check == C_DATE_REQ ? MNV_ERR_FIELD_EMPTY : MNV_OK;
        } else if ((err = wareki_parse(f->buf, norm)) != MNV_OK) {
            /* err says whether it is not a date or no such day */
        } else {
            err = person_check_date(norm, 1);
            if (err == MNV_OK && strcmp(norm, f->buf) != 0)
                field_set(f, norm);
        }
        break;
    case C_POSTAL:
        err = person_normalize_postal(f->buf, norm);
        if (err == MNV_OK && strcmp(norm, f->buf) != 0)
            field_set(f, norm);
        break;
    case C_EMPINS:
        err = person_normalize_emp_ins(f->buf, norm);
        if (err == MNV_OK && strcmp(norm, f->buf) != 0)
            field_set(f, norm);
        break;
    case C_PENSION:
        err = person_normalize_pension(f->buf, norm);
        if (err == MNV_OK && strcmp(norm, f->buf) != 0)
            field_set(f, norm);
        break;
    case C_NONE:
        break;
    }
    if (err != MNV_OK)
        snprintf(st->error[i], sizeof(st->error[i]), "%s", _(mnv_err_str(err)));
    return err == MNV_OK;
}

static int is_unsaved(struct edit_state *st)
{
    for (int i = 0; i < st->n; i++) {
        if (st->specs[i].kind == K_CHOICE) {
            char now[8];
            snprintf(now, sizeof(now), "%d", st->choice[i]);
            if (strcmp(now, st->original[i]) != 0)
                return 1;
        } else if (strcmp(st->fields[i].buf, st->original[i]) != 0) {
            return 1;
        }
    }
    return 0;
}

static const char *edit_heading(struct app *app, void *stp, char *right, size_t rsize)
{
    (void)app;
    struct edit_state *st = stp;
    snprintf(right, rsize, "%s", _("F2: save   Esc: back"));
    return st->title;
}

static void edit_draw(struct app *app, void *stp, WINDOW *w)
{
    struct edit_state *st = stp;
    int cols = getmaxx(w);
    if (st->load_error[0]) {
        tui_style_on(w, ST_ERROR);
        tui_put(w, 1, 2, st->load_error, cols - 4, 0);
        tui_style_off(w, ST_ERROR);
        return;
    }
    int fx = 22, fw = cols > 100 ? 40 : 30;
    for (int i = 0; i < st->n; i++) {
        int y = 1 + i;
        tui_style_on(w, ST_HEADER);
        tui_put(w, y, 2, _(st->specs[i].label), fx - 3, 1);
        tui_style_off(w, ST_HEADER);
        if (st->specs[i].kind == K_CHOICE) {
            char text[80];
            snprintf(text, sizeof(text), "< %s >", choice_word(&st->specs[i], st->choice[i]));
            if (st->focus == i)
                tui_style_on(w, ST_SELECTED);
            tui_put(w, y, fx, text, fw, 1);
            if (st->focus == i)
                tui_style_off(w, ST_SELECTED);
        } else {
            field_draw(&st->fields[i], w, y, fx, fw, st->focus == i,
                       st->focus == i ? &app->cursor_y : NULL,
                       st->focus == i ? &app->cursor_x : NULL);
        }
        if (st->error[i][0]) {
            char text[220];
            snprintf(text, sizeof(text), "! %s", st->error[i]);
            tui_style_on(w, ST_ERROR);
            tui_put(w, y, fx + fw + 1, text, cols - fx - fw - 2, 0);
            tui_style_off(w, ST_ERROR);
        }
    }
    tui_style_on(w, ST_DIM);
    tui_put(w, st->n + 2, 2,
            _("Tab/↑↓: move   Space/←→: change a choice   Dates: 2025-04-01 or R7.4.1"), cols - 4,
            0);
    tui_style_off(w, ST_DIM);
    if (st->error[st->focus][0])
        tui_message(app, 1, "%s: %s", _(st->specs[st->focus].label), st->error[st->focus]);
}

static int field_index(struct edit_state *st, const char *column)
{
    for (int i = 0; i < st->n; i++)
        if (strcmp(st->specs[i].column, column) == 0)
            return i;
    return -1;
}

#define TEXT_OF(col) st->fields[field_index(st, col)].buf

/* The bit of field i in the enum employee_field / dependent_field bits an update reports. */
static unsigned field_bit(const struct edit_state *st, int i)
{
    return st->is_dependent ? person_dependent_field_bit(st->specs[i].column)
                            : person_employee_field_bit(st->specs[i].column);
}

/* The changed fields in the form's own words: a column's name is never shown. */
static void changed_labels(const struct edit_state *st, unsigned changed, char *out, size_t size)
{
    size_t o = 0;
    out[0] = '\0';
    for (int i = 0; i < st->n && o < size; i++) {
        if (!(changed & field_bit(st, i)))
            continue;
        int w = snprintf(out + o, size - o, "%s%s", o ? _(", ") : "", _(st->specs[i].label));
        o = w < 0 ? size : o + (size_t)w;
    }
}

static enum tui_next save(struct app *app, struct edit_state *st)
{
    int bad = -1;
    for (int i = 0; i < st->n; i++)
        if (!check_field(st, i) && bad < 0)
            bad = i;
    if (bad >= 0) {
        st->focus = bad;
        return TUI_STAY;
    }
    struct session *s = tui_session(app);
    struct mnv_diag diag;
    mnv_diag_clear(&diag);
    enum mnv_err err;
    unsigned changed = 0; /* an update's enum employee_field / dependent_field bits */
    int updated = 0;
    if (!st->is_dependent) {
        struct employee e = st->emp;
        snprintf(e.code, sizeof(e.code), "%s", TEXT_OF("code"));
        snprintf(e.name, sizeof(e.name), "%s", TEXT_OF("name"));
        snprintf(e.kana, sizeof(e.kana), "%s", TEXT_OF("kana"));
        snprintf(e.birth_date, sizeof(e.birth_date), "%s", TEXT_OF("birth_date"));
        e.sex = (enum person_sex)sex_values[st->choice[field_index(st, "sex")]];
        snprintf(e.postal_code, sizeof(e.postal_code), "%s", TEXT_OF("postal_code"));
        snprintf(e.address, sizeof(e.address), "%s", TEXT_OF("address"));
        snprintf(e.hire_date, sizeof(e.hire_date), "%s", TEXT_OF("hire_date"));
        snprintf(e.retire_date, sizeof(e.retire_date), "%s", TEXT_OF("retire_date"));
        snprintf(e.emp_ins_no, sizeof(e.emp_ins_no), "%s", TEXT_OF("emp_ins_no"));
        snprintf(e.pension_no, sizeof(e.pension_no), "%s", TEXT_OF("pension_no"));
        if (!st->employee_id) { /* hiring: a new employee */
            err = people_employee_add(s, &e, &diag);
            changed = err == MNV_OK;
            if (err == MNV_OK) {
                app->data_version++;
                tui_message(app, 0,
                            _("Employee %s added. Open the record (Enter); F2 there collects the "
                              "number."),
                            e.code);
                return TUI_POP;
            }
        } else {
            err = people_employee_update(s, &e, &changed, &diag);
            updated = 1;
        }
    } else {
        struct dependent d = st->dep;
        d.employee_id = st->employee_id;
        snprintf(d.name, sizeof(d.name), "%s", TEXT_OF("name"));
        snprintf(d.kana, sizeof(d.kana), "%s", TEXT_OF("kana"));
        d.relation =
            (enum dependent_relation)relation_values[st->choice[field_index(st, "relation")]];
        snprintf(d.birth_date, sizeof(d.birth_date), "%s", TEXT_OF("birth_date"));
        d.sex = (enum person_sex)sex_values[st->choice[field_index(st, "sex")]];
        if (st->dependent_id) {
            err = people_dependent_update(s, &d, &changed, &diag);
            updated = 1;
        } else {
            err = people_dependent_add(s, &d, &diag);
            changed = 1;
        }
    }
    if (err != MNV_OK) {
        int i = diag.item[0] ? field_index(st, diag.item) : -1;
        if (i >= 0) {
            snprintf(st->error[i], sizeof(st->error[i]), "%s", _(mnv_err_str(err)));
            st->focus = i;
        } else {
            char text[300];
            tui_message(app, 1, "%s", tui_error_text(text, sizeof(text), err, &diag));
        }
        return err == MNV_ERR_SESSION_LOCKED ? TUI_LOCK : TUI_STAY;
    }
    if (changed)
        app->data_version++;
    if (!changed)
        tui_message(app, 0, "%s", _("Nothing was changed."));
    else if (updated) {
        char labels[512];
        changed_labels(st, changed, labels, sizeof(labels));
        if (labels[0])
            tui_message(app, 0, _("Saved (%s)."), labels);
        else
            tui_message(app, 0, "%s", _("Saved."));
    } else
        tui_message(app, 0, "%s", _("Saved."));
    return TUI_POP;
}

static void move_focus(struct app *app, struct edit_state *st, int delta)
{
    if (!check_field(st, st->focus))
        tui_message(app, 1, "%s: %s", _(st->specs[st->focus].label), st->error[st->focus]);
    st->focus = (st->focus + delta + st->n) % st->n;
}

static enum tui_next edit_handle(struct app *app, void *stp, const struct tui_event *ev)
{
    struct edit_state *st = stp;
    if (st->load_error[0])
        return ev->action == TA_QUIT ? TUI_QUIT : ev->action == TA_BACK ? TUI_POP : TUI_STAY;
    const struct spec *sp = &st->specs[st->focus];
    if (sp->kind == K_CHOICE) {
        int n = nchoices(sp);
        if ((!ev->is_code && ev->ch == ' ') || (ev->is_code && ev->code == KEY_RIGHT)) {
            st->choice[st->focus] = (st->choice[st->focus] + 1) % n;
            return TUI_STAY;
        }
        if (ev->is_code && ev->code == KEY_LEFT) {
            st->choice[st->focus] = (st->choice[st->focus] + n - 1) % n;
            return TUI_STAY;
        }
    } else if (ev->action != TA_OPEN && ev->action != TA_NEXT_FIELD &&
               ev->action != TA_PREV_FIELD && ev->action != TA_BACK && ev->action != TA_SAVE &&
               field_handle(&st->fields[st->focus], ev)) {
        st->error[st->focus][0] = '\0';
        return TUI_STAY;
    }
    switch (ev->action) {
    case TA_NEXT_FIELD:
    case TA_DOWN:
    case TA_OPEN:
        move_focus(app, st, 1);
        return TUI_STAY;
    case TA_PREV_FIELD:
    case TA_UP:
        move_focus(app, st, -1);
        return TUI_STAY;
    case TA_SAVE:
        return save(app, st);
    case TA_BACK:
        if (is_unsaved(st) && !tui_confirm(app, _("Discard the changes?")))
            return TUI_STAY;
        return TUI_POP;
    case TA_QUIT:
        return TUI_QUIT;
    default:
        return TUI_STAY;
    }
}

static int edit_unsaved(struct app *app, void *stp)
{
    (void)app;
    return is_unsaved(stp);
}

static void edit_release(void *stp)
{
    struct edit_state *st = stp;
    for (int i = 0; i < st->n; i++)
        field_release(&st->fields[i]);
    free(st);
}

static const struct screen_ops edit_ops = {
    .name = "edit",
    .keys = edit_keys,
    .heading = edit_heading,
    .draw = edit_draw,
    .handle = edit_handle,
    .unsaved = edit_unsaved,
    .release = edit_release,
};

static int index_of(const int *values, int n, int v)
{
    for (int i = 0; i < n; i++)
        if (values[i] == v)
            return i;
    return 0;
}

/* Put the loaded values into the fields and remember them (to tell what changed). */
static void fill(struct edit_state *st)
{
    for (int i = 0; i < st->n; i++) {
        const char *c = st->specs[i].column;
        const char *v = "";
        if (st->specs[i].kind == K_CHOICE) {
            if (strcmp(c, "sex") == 0)
                st->choice[i] =
                    index_of(sex_values, 2, st->is_dependent ? (int)st->dep.sex : (int)st->emp.sex);
            else
                st->choice[i] = index_of(relation_values, 4, (int)st->dep.relation);
            snprintf(st->original[i], sizeof(st->original[i]), "%d", st->choice[i]);
            continue;
        }
        if (!st->is_dependent) {
            const struct employee *e = &st->emp;
            v = !strcmp(c, "code")          ? e->code
                : !strcmp(c, "name")        ? e->name
                : !strcmp(c, "kana")        ? e->kana
                : !strcmp(c, "birth_date")  ? e->birth_date
                : !strcmp(c, "postal_code") ? e->postal_code
                : !strcmp(c, "address")     ? e->address
                : !strcmp(c, "hire_date")   ? e->hire_date
                : !strcmp(c, "retire_date") ? e->retire_date
                : !strcmp(c, "emp_ins_no")  ? e->emp_ins_no
                                            : e->pension_no;
        } else {
            const struct dependent *d = &st->dep;
            v = !strcmp(c, "name") ? d->name : !strcmp(c, "kana") ? d->kana : d->birth_date;
        }
        field_set(&st->fields[i], v);
        snprintf(st->original[i], sizeof(st->original[i]), "%s", st->fields[i].buf);
    }
}

static enum tui_next push_form(struct app *app, struct edit_state *st)
{
    int ok = 1;
    for (int i = 0; i < st->n && ok; i++)
        ok = field_init(&st->fields[i], st->specs[i].cap, 0) == 0;
    if (!ok) {
        edit_release(st);
        return TUI_STAY;
    }
    for (int i = 0; i < st->n; i++)
        if (st->specs[i].kind == K_DATE)
            st->fields[i].accept = field_accept_date;
    if (!st->load_error[0])
        fill(st);
    return tui_push(app, &edit_ops, st);
}

enum tui_next scr_edit_employee_push(struct app *app, long long employee_id)
{
    struct edit_state *st = calloc(1, sizeof(*st));
    if (!st)
        return TUI_STAY;
    st->employee_id = employee_id;
    st->specs = employee_specs;
    st->n = (int)MNV_ARRAY_LEN(employee_specs);
    if (!employee_id) { /* employee_id 0: a new employee (hiring) */
        st->emp.sex = SEX_MALE;
        snprintf(st->title, sizeof(st->title), "%s", _("New employee"));
        return push_form(app, st);
    }
    struct mnv_diag diag;
    mnv_diag_clear(&diag);
    enum mnv_err err = people_employee_get(tui_session(app), employee_id, &st->emp, &diag);
    if (err != MNV_OK)
        tui_error_text(st->load_error, sizeof(st->load_error), err, &diag);
    snprintf(st->title, sizeof(st->title), _("Edit: %s (%s)"), st->emp.name, st->emp.code);
    return push_form(app, st);
}

enum tui_next scr_edit_dependent_push(struct app *app, long long employee_id,
                                      long long dependent_id)
{
    struct edit_state *st = calloc(1, sizeof(*st));
    if (!st)
        return TUI_STAY;
    st->is_dependent = 1;
    st->employee_id = employee_id;
    st->dependent_id = dependent_id;
    st->specs = dependent_specs;
    st->n = (int)MNV_ARRAY_LEN(dependent_specs);
    if (dependent_id) {
        struct mnv_diag diag;
        mnv_diag_clear(&diag);
        enum mnv_err err = people_dependent_get(tui_session(app), dependent_id, &st->dep, &diag);
        if (err != MNV_OK)
            tui_error_text(st->load_error, sizeof(st->load_error), err, &diag);
        snprintf(st->title, sizeof(st->title), _("Edit dependent: %s"), st->dep.name);
    } else {
        st->dep.relation = REL_CHILD;
        st->dep.sex = SEX_FEMALE;
        snprintf(st->title, sizeof(st->title), "%s", _("New dependent"));
    }
    return push_form(app, st);
}
