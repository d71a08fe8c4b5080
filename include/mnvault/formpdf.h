/* formpdf.h (service layer): the PDF sink of printed forms. STYLE.md 13: one of the sinks
 * of form.h, beside the CSV sink and the memory sink.
 *
 * The layout (form.h) of a printed form says what is where (pdflayout.h: the sheet, the
 * rules and labels, and which field goes into which box); this sink draws it through
 * pdfdoc.h. The form itself (rules and printed labels of the job's copy) is drawn once
 * into a backdrop and placed on every slip. Records fill the slips' places of a sheet in
 * the layout's order, a new sheet when they are full; each slip carries the document's
 * marks (見本, DEMO) by itself, since the slips are cut apart.
 *
 * A copy whose layout says numbers = no (受給者交付用) is drawn into a PDFDOC_NO_NUMBERS
 * document and its number boxes are left empty; a record for it never holds a number
 * (form_record_check refuses one), and the PDF layer refuses any valid My Number besides.
 *
 * The whole PDF is handed to the output at the end (the export writes it atomically and
 * hashes it for the custody register).
 */
#ifndef MNVAULT_FORMPDF_H
#define MNVAULT_FORMPDF_H

#include "mnvault/attr.h"
#include "mnvault/err.h"
#include "mnvault/form.h"

/*
 * formpdf_sink_new: a PDF sink writing to out (borrowed; must outlive the sink). Released
 * with form_sink_release(). Returns MNV_OK or MNV_ERR_NOMEM.
 *
 * What its callbacks return besides MNV_OK:
 *   begin   MNV_ERR_LAYOUT_FILE (diag as pdflayout_read()), MNV_ERR_FORM_COPY when the
 *           job's copy is not one of the layout's, MNV_ERR_PDF_FONT, MNV_ERR_PDF_META,
 *           MNV_ERR_NOMEM, MNV_ERR_PDF_DRAW;
 *   record  MNV_ERR_PDF_FIT, MNV_ERR_PDF_GLYPH (diag->detail "U+XXXX c"), MNV_ERR_PDF_DIGITS,
 *           MNV_ERR_PDF_NUMBER, MNV_ERR_ENCODING, MNV_ERR_FIELD_CHOICE (a coded value the
 *           layout has no text for), each with diag->item = the field's name and
 *           diag->line = the record's line; MNV_ERR_PDF_DRAW;
 *   end     MNV_ERR_PDF_EMPTY when no record came, MNV_ERR_PDF_DRAW, MNV_ERR_NOMEM, or what
 *           the output's write returns.
 */
MNV_MUST_CHECK enum mnv_err formpdf_sink_new(struct form_sink *sink, const struct form_output *out)
    MNV_NONNULL(1, 2);

#endif
