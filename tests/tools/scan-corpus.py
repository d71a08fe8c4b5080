#!/usr/bin/python3
"""scan-corpus.py: real-format files with planted My Numbers, decoys and false-alarm traps,
written with the tools a user has, for `mnvault scan`.

    scan-corpus.py small OUTDIR        the small corpus committed under tests/scan-corpus
    scan-corpus.py large OUTDIR [N]    the bench corpus: N files of each kind (default 20)

Tools: LibreOffice (soffice, through python3-uno for passwords), python3-openpyxl,
python3-odf, python3-reportlab, zip, qpdf, gzip, tar, Python's email package. Run it with
Debian's /usr/bin/python3 (the modules are Debian packages). Everything is seeded, so the
numbers are the same on every run; LibreOffice's files carry their own time stamps.

OUTDIR/expected.tsv says what each file holds, one line per thing to be reported:
    format  file  number|not_scanned  members  last4|reason  digits
(members joined with "/", "" for the file itself; digits: the planted number, for the
benchmark's comparison with ripgrep). Anything else reported is a false alarm: the files
also hold decoys (wrong check digit, 11 and 13 digits, card numbers, corporate numbers) and
traps whose digits do have a right check digit (phone numbers in E.164, decimal tails,
000000000000, hex identifiers, base64, digits of separate XML elements, PDF operands).
This file is written from the rules in doc/scan.md, not from the scanner's output.
"""
import base64
import gzip as gz
import io
import os
import random
import shutil
import subprocess
import sys
import tarfile
import tempfile
import zipfile
from email.message import EmailMessage
from email.policy import SMTP

W = [6, 5, 4, 3, 2, 7, 6, 5, 4, 3, 2]


def check_digit(d11):
    s = sum(int(c) * w for c, w in zip(d11, W))
    r = s % 11
    return "0" if r <= 1 else str(11 - r)


def valid(d12):
    return len(d12) == 12 and d12.isdigit() and check_digit(d12[:11]) == d12[11]


class Corpus:
    def __init__(self, out, seed):
        self.out = out
        self.files = os.path.join(out, "files")
        self.rng = random.Random(seed)
        self.rows = []
        self.used = set()
        os.makedirs(self.files, exist_ok=True)

    # ---- numbers --------------------------------------------------------------------
    def number(self):
        """A fresh valid number whose last four digits differ from all earlier ones, so a
        finding can be told apart by them."""
        while True:
            d = "".join(self.rng.choice("0123456789") for _ in range(11))
            d = d + check_digit(d)
            if d[-4:] not in self.used and d != "000000000000" and len(set(d)) > 2:
                self.used.add(d[-4:])
                return d

    def invalid(self):
        d = self.number()
        self.used.discard(d[-4:])
        return d[:11] + str((int(d[11]) + 1 + self.rng.randrange(9)) % 10)

    def plant(self, fmt, name, members=""):
        d = self.number()
        self.rows.append((fmt, name, "number", members, d[-4:], d))
        return d

    def expect_not_scanned(self, fmt, name, reason, members=""):
        self.rows.append((fmt, name, "not_scanned", members, reason, ""))

    def path(self, name):
        p = os.path.join(self.files, name)
        os.makedirs(os.path.dirname(p), exist_ok=True)
        return p

    def write_expected(self):
        with open(os.path.join(self.out, "expected.tsv"), "w", encoding="utf-8") as f:
            f.write("# format\tfile\tkind\tmembers\tlast4|reason\tdigits\n")
            for r in sorted(self.rows):
                f.write("\t".join(r) + "\n")

    # ---- text with decoys and traps ----------------------------------------------------
    def decoys(self):
        """Lines that must not be reported."""
        c = self.number()
        self.used.discard(c[-4:])
        corp = c[:12]  # a 12-digit base for a corporate-like 13-digit run
        lines = [
            "注文番号 %s (check digit wrong)" % self.invalid(),
            "口座 %s と %s" % (self.number()[:11], self.number() + "7"),
            "カード 4111 1111 1111 1111 / %s %s %s %s" % tuple(
                self.number()[i:i + 4] for i in (0, 4, 8, 0)),
            "法人番号 7%s" % corp,
            "電話 +%s / (+%s)" % (self.trap_number("81"), self.trap_number("81")),
            "比率 0.%s と 1.%s" % (self.trap_number(), self.trap_number()),
            "初期値 000000000000",
            "hash 3fa9%scd02e1b7 id-%s" % (self.trap_number(), "a" * 3 + self.trap_number() + "f" * 8),
            "uuid 0c9e4a1b-7d2f-4e11-9a0b-%s" % self.trap_number(),
            "b64 QmFzZTY0%sWklxRA==" % self.trap_number(),
        ]
        for d in lines:
            pass
        return lines

    def trap_number(self, prefix=""):
        """Digits with a right check digit that stand where no number is (not planted)."""
        while True:
            d = prefix + "".join(self.rng.choice("0123456789") for _ in range(11 - len(prefix)))
            d = d + check_digit(d)
            if d[-4:] not in self.used:
                return d

    def text_lines(self, fmt, name, n_plain, members=""):
        """Lines of HR-like text with planted numbers in several forms, and decoys."""
        out = ["社員名簿 (%s)" % name, "氏名,社員番号,入社日,給与"]
        for i in range(n_plain):
            d = self.plant(fmt, name, members)
            form = i % 6
            if form == 0:
                s = d
            elif form == 1:
                s = "%s %s %s" % (d[:4], d[4:8], d[8:])
            elif form == 2:
                s = "%s-%s-%s" % (d[:4], d[4:8], d[8:])
            elif form == 3:
                s = "".join(chr(0xFF10 + int(c)) for c in d)
            elif form == 4:
                fw = "".join(chr(0xFF10 + int(c)) for c in d)
                s = "%s\u3000%s\u3000%s" % (fw[:4], fw[4:8], fw[8:])
            else:
                s = "番号%sです" % d
            out.append("山田 %d,E%05d,2024-04-01,%d円,個人番号 %s" % (i, i, 200000 + i * 317, s))
            out.append("備考: 2024年4月1日 08:15 支給額 905,781円 TEL 03-1234-5678")
        out.extend(self.decoys())
        return out


# ---- LibreOffice ----------------------------------------------------------------------------

class Office:
    """soffice headless, driven through UNO so that files can be saved with a password."""

    def __init__(self, work):
        self.work = work
        self.proc = None
        self.desktop = None

    def start(self):
        if self.desktop:
            return self.desktop
        import uno  # python3-uno
        pipe = "mnvscan%d" % os.getpid()
        home = os.path.join(self.work, "lo-home")
        os.makedirs(home, exist_ok=True)
        env = dict(os.environ, HOME=home)
        self.proc = subprocess.Popen(
            ["soffice", "--headless", "--invisible", "--nologo", "--norestore",
             "--accept=pipe,name=%s;urp;" % pipe],
            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        local = uno.getComponentContext()
        resolver = local.ServiceManager.createInstanceWithContext(
            "com.sun.star.bridge.UnoUrlResolver", local)
        import time
        for _ in range(200):
            try:
                ctx = resolver.resolve(
                    "uno:pipe,name=%s;urp;StarOffice.ComponentContext" % pipe)
                break
            except Exception:
                time.sleep(0.1)
        else:
            raise RuntimeError("LibreOffice did not start")
        self.desktop = ctx.ServiceManager.createInstanceWithContext(
            "com.sun.star.frame.Desktop", ctx)
        return self.desktop

    @staticmethod
    def props(**kw):
        from com.sun.star.beans import PropertyValue
        out = []
        for k, v in kw.items():
            p = PropertyValue()
            p.Name = k
            p.Value = v
            out.append(p)
        return tuple(out)

    def convert(self, src, dst, filt, password=None):
        import uno
        d = self.start()
        doc = d.loadComponentFromURL(uno.systemPathToFileUrl(os.path.abspath(src)), "_blank", 0,
                                     self.props(Hidden=True))
        kw = {"FilterName": filt, "Overwrite": True}
        if password:
            kw["Password"] = password
        doc.storeToURL(uno.systemPathToFileUrl(os.path.abspath(dst)), self.props(**kw))
        doc.close(True)

    def stop(self):
        if self.desktop:
            try:
                self.desktop.terminate()
            except Exception:
                pass
        if self.proc:
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.proc.kill()


# ---- the kinds of files -------------------------------------------------------------------

def make_text(c, k):
    name = "text/hr-%02d.txt" % k
    with open(c.path(name), "w", encoding="utf-8") as f:
        f.write("\n".join(c.text_lines("txt-utf8", name, 6)) + "\n")


def make_csv_cp932(c, k):
    name = "csv/payroll-%02d-sjis.csv" % k
    with open(c.path(name), "w", encoding="cp932", newline="\r\n") as f:
        f.write("\n".join(c.text_lines("csv-cp932", name, 6)) + "\n")


def make_csv_utf16(c, k):
    name = "csv/export-%02d-utf16.txt" % k
    lines = [l.replace(",", "\t") for l in c.text_lines("csv-utf16", name, 4)]
    with open(c.path(name), "w", encoding="utf-16", newline="\r\n") as f:
        f.write("\n".join(lines) + "\n")


def make_xlsx(c, k):
    """openpyxl: numbers stored as numbers (integer, float with thousands format), strings
    (openpyxl writes them inline), a formula; then Apache POI's way of writing a double
    (1.23456789018E11) and an inline string put in by editing the sheet XML."""
    import openpyxl
    name = "xlsx/staff-%02d-openpyxl.xlsx" % k
    fmt = "xlsx-openpyxl"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["氏名", "マイナンバー", "給与", "備考"])
    d = c.plant(fmt, name, "xl/worksheets/sheet1.xml")
    ws.append(["山田", int(d), 250000, "数値として保存"])
    d = c.plant(fmt, name, "xl/worksheets/sheet1.xml")
    ws.append(["佐藤", float(d), 310000, "桁区切り"])
    ws.cell(row=3, column=2).number_format = "#,##0"
    d = c.plant(fmt, name, "xl/worksheets/sheet1.xml")  # openpyxl writes strings inline
    ws.append(["鈴木", "%s-%s-%s" % (d[:4], d[4:8], d[8:]), 280000, "文字列"])
    ws.append(["合計", None, "=SUM(C2:C4)", None])
    for line in c.decoys()[:4]:
        ws.append([line])
    # Two cells side by side whose digits would make a valid number if they ran together.
    t = c.trap_number()
    ws.append([int(t[:6]), int(t[6:])])
    p = c.path(name)
    wb.save(p)
    poi = c.plant(fmt, name, "xl/worksheets/sheet1.xml")
    inline = c.plant(fmt, name, "xl/worksheets/sheet1.xml")
    rewrite_zip(p, "xl/worksheets/sheet1.xml", lambda x: x.replace(
        b"</sheetData>",
        ('<row r="40"><c r="B40"><v>%s</v></c><c r="C40" t="inlineStr"><is><t>ID %s</t></is>'
         '</c></row></sheetData>' % ("%.11E" % float(poi), inline)).encode()))


def rewrite_zip(path, member, fn):
    tmp = path + ".tmp"
    with zipfile.ZipFile(path) as zin, zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info.filename)
            if info.filename == member:
                data = fn(data)
            zout.writestr(info, data)
    os.replace(tmp, path)


def make_ods(c, k):
    """odfpy: a float cell whose display differs from its office:value, a text cell."""
    from odf.opendocument import OpenDocumentSpreadsheet
    from odf.table import Table, TableRow, TableCell
    from odf.text import P
    name = "ods/list-%02d-odfpy.ods" % k
    fmt = "ods-odfpy"
    doc = OpenDocumentSpreadsheet()
    t = Table(name="Sheet1")
    for label, d, shown in (("数値", None, "sci"), ("文字", None, "text"), ("区切り", None, "comma")):
        d = c.plant(fmt, name, "content.xml")
        tr = TableRow()
        tc = TableCell(valuetype="string")
        tc.addElement(P(text=label))
        tr.addElement(tc)
        if shown == "text":
            tc = TableCell(valuetype="string")
            tc.addElement(P(text="個人番号 %s" % d))
        else:
            tc = TableCell(valuetype="float", value=d)
            disp = "%.5E" % float(d) if shown == "sci" else "{:,}".format(int(d))
            tc.addElement(P(text=disp))
        tr.addElement(tc)
        t.addElement(tr)
    trap = c.trap_number()
    tr = TableRow()
    for part in (trap[:5], trap[5:]):
        tc = TableCell(valuetype="float", value=part)
        tc.addElement(P(text=part))
        tr.addElement(tc)
    t.addElement(tr)
    doc.spreadsheet.addElement(t)
    doc.save(c.path(name))


def make_odt(c, k, fmt="odt-odfpy", name=None):
    """odfpy: a number split over spans (bold middle), one in a table cell, a full-width one."""
    from odf.opendocument import OpenDocumentText
    from odf.style import Style, TextProperties
    from odf.text import P, Span
    from odf.table import Table, TableColumn, TableRow, TableCell
    name = name or "odt/letter-%02d-odfpy.odt" % k
    doc = OpenDocumentText()
    bold = Style(name="B", family="text")
    bold.addElement(TextProperties(fontweight="bold"))
    doc.automaticstyles.addElement(bold)
    d = c.plant(fmt, name, "content.xml")
    p = P(text="個人番号 %s " % d[:4])
    s = Span(stylename=bold, text=d[4:8])
    p.addElement(s)
    p.addText(" %s です。" % d[8:])
    doc.text.addElement(p)
    d = c.plant(fmt, name, "content.xml")
    fw = "".join(chr(0xFF10 + int(x)) for x in d)
    doc.text.addElement(P(text="扶養親族 %s\u3000%s\u3000%s" % (fw[:4], fw[4:8], fw[8:])))
    tab = Table(name="T")
    tab.addElement(TableColumn(numbercolumnsrepeated=2))
    tr = TableRow()
    d = c.plant(fmt, name, "content.xml")
    for text in ("1", d):
        tc = TableCell()
        tc.addElement(P(text=text))
        tr.addElement(tc)
    tab.addElement(tr)
    doc.text.addElement(tab)
    for line in c.decoys():
        doc.text.addElement(P(text=line))
    p = c.path(name)
    doc.save(p)
    return p


def make_pdf_reportlab(c, k):
    """reportlab: Japanese text, a number in an AcroForm text field's value."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas
    name = "pdf/form-%02d-reportlab.pdf" % k
    fmt = "pdf-reportlab"
    pdfmetrics.registerFont(UnicodeCIDFont("HeiseiKakuGo-W5"))
    cv = canvas.Canvas(c.path(name), pagesize=A4)
    cv.setFont("HeiseiKakuGo-W5", 11)
    y = 800
    for line in c.text_lines(fmt, name, 3):
        cv.drawString(40, y, line)
        y -= 18
    d = c.plant(fmt, name, "mynumber")
    cv.drawString(40, y - 20, "個人番号欄:")
    cv.acroForm.textfield(name="mynumber", value=d, x=140, y=y - 30, width=200, height=20)
    cv.showPage()
    cv.save()


def make_via_office(c, office, k, work):
    """LibreOffice: an .odt saved as .docx, .doc, .pdf (and PDF through qpdf with object
    streams); an .ods saved as .xlsx and .xls. The expected numbers are those of the
    source, under the member names LibreOffice uses."""
    src = make_odt(c, k, fmt="_src", name="../work/src-%02d.odt" % k)
    rows = [r for r in c.rows if r[0] == "_src"]
    c.rows = [r for r in c.rows if r[0] != "_src"]
    outs = [("docx-libreoffice", "docx/letter-%02d-lo.docx" % k, "MS Word 2007 XML", "word/document.xml"),
            ("doc-libreoffice", "doc/letter-%02d-lo.doc" % k, "MS Word 97", ""),
            ("pdf-libreoffice", "pdf/letter-%02d-lo.pdf" % k, "writer_pdf_Export", "")]
    for fmt, name, filt, member in outs:
        office.convert(src, c.path(name), filt)
        for r in rows:
            c.rows.append((fmt, name, "number", member, r[4], r[5]))
    pdf = c.path("pdf/letter-%02d-lo.pdf" % k)
    name = "pdf/letter-%02d-objstm.pdf" % k
    subprocess.run(["qpdf", "--object-streams=generate", "--compress-streams=y", pdf, c.path(name)],
                   check=True)
    for r in rows:
        c.rows.append(("pdf-objstm", name, "number", "", r[4], r[5]))
    # A spreadsheet through LibreOffice: numbers as numbers.
    csv = os.path.join(work, "src-%02d.csv" % k)
    with open(csv, "w", encoding="utf-8") as f:
        f.write("氏名,番号,金額\n")
        nums = [c.number() for _ in range(3)]
        for n in nums:
            c.used.discard(n[-4:])
        for i, n in enumerate(nums):
            f.write("社員%d,%s,%d\n" % (i, n, 1000 * i))
    for fmt, name, filt, member in (
            ("xlsx-libreoffice", "xlsx/book-%02d-lo.xlsx" % k, "Calc MS Excel 2007 XML", "xl/worksheets/sheet1.xml"),
            ("xls-libreoffice", "xls/book-%02d-lo.xls" % k, "MS Excel 97", "Workbook")):
        office.convert(csv, c.path(name), filt)
        for n in nums:
            c.used.add(n[-4:])
            c.rows.append((fmt, name, "number", member, n[-4:], n))


def make_locked(c, office, work):
    """What must be reported as not scanned: files saved with a password (LibreOffice: .odt,
    .doc, .xls; it does not save .docx/.xlsx with a password when driven headless, so those
    are written by write_encrypted_ooxml below)."""
    src = make_odt(c, 0, fmt="_lock", name="../work/lock.odt")
    c.rows = [r for r in c.rows if r[0] != "_lock"]
    for fmt, name, filt in (("odt-password", "locked/secret-lo.odt", "writer8"),
                            ("doc-password", "locked/secret-lo.doc", "MS Word 97")):
        office.convert(src, c.path(name), filt, password="correct horse")
        c.expect_not_scanned(fmt, name, "encrypted")
    csv = os.path.join(work, "lock.csv")
    with open(csv, "w") as f:
        f.write("n\n%s\n" % c.trap_number())
    for fmt, name, filt in (("ods-password", "locked/secret-lo.ods", "calc8"),
                            ("xls-password", "locked/secret-lo.xls", "MS Excel 97")):
        office.convert(csv, c.path(name), filt, password="correct horse")
        c.expect_not_scanned(fmt, name, "encrypted")


def write_encrypted_ooxml(c):
    """An Office file saved with a password as Office writes it (MS-OFFCRYPTO, agile): an OLE
    compound file with an "EncryptionInfo" stream (version 4.4 and its XML) and an
    "EncryptedPackage" stream (the zip's size, then ciphertext). The compound file is laid
    out here by hand: header, one FAT sector, one directory sector, two streams."""
    import struct
    info = struct.pack("<HHI", 4, 4, 0x40) + (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><encryption '
        'xmlns="http://schemas.microsoft.com/office/2006/encryption"><keyData saltSize="16" '
        'blockSize="16" keyBits="256" hashSize="64" cipherAlgorithm="AES" cipherChaining='
        '"ChainingModeCBC" hashAlgorithm="SHA512" saltValue="AAAAAAAAAAAAAAAAAAAAAA=="/>'
        '</encryption>').encode()
    info = info.ljust(4096, b"\0")
    package = struct.pack("<Q", 6000) + bytes(c.rng.randrange(256) for _ in range(8184))
    ss = 512
    n_info, n_pkg = len(info) // ss, len(package) // ss
    fat = [0xFFFFFFFD, 0xFFFFFFFE]  # the FAT itself, the directory
    first_info = len(fat)
    fat += [first_info + i + 1 for i in range(n_info - 1)] + [0xFFFFFFFE]
    first_pkg = len(fat)
    fat += [first_pkg + i + 1 for i in range(n_pkg - 1)] + [0xFFFFFFFE]
    fat += [0xFFFFFFFF] * (128 - len(fat))
    hdr = bytearray(512)
    hdr[0:8] = b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1"
    struct.pack_into("<HHHHH", hdr, 24, 0x3E, 3, 0xFFFE, 9, 6)
    struct.pack_into("<IIIIIIIII", hdr, 40, 0, 1, 1, 0, 4096, 0xFFFFFFFE, 0, 0xFFFFFFFE, 0)
    struct.pack_into("<I", hdr, 76, 0)
    for i in range(1, 109):
        struct.pack_into("<I", hdr, 76 + 4 * i, 0xFFFFFFFF)

    def entry(name, kind, left, right, child, start, size):
        e = bytearray(128)
        u = name.encode("utf-16-le") + b"\0\0"
        e[0:len(u)] = u
        struct.pack_into("<HBB", e, 64, len(u), kind, 1)
        struct.pack_into("<III", e, 68, left, right, child)
        struct.pack_into("<IQ", e, 116, start, size)
        return bytes(e)
    none = 0xFFFFFFFF
    dirs = (entry("Root Entry", 5, none, none, 1, 0xFFFFFFFE, 0) +
            entry("EncryptionInfo", 2, none, 2, none, first_info, len(info)) +
            entry("EncryptedPackage", 2, none, none, none, first_pkg, 6000 + 8) + bytes(128))
    data = bytes(hdr) + struct.pack("<128I", *fat) + dirs + info + package
    for fmt, name in (("docx-password", "locked/secret-word.docx"), ("xlsx-password", "locked/secret-excel.xlsx")):
        with open(c.path(name), "wb") as f:
            f.write(data)
        c.expect_not_scanned(fmt, name, "encrypted")


def make_pdf_encrypted(c):
    src = c.path("pdf/form-00-reportlab.pdf")
    name = "locked/secret-qpdf.pdf"
    subprocess.run(["qpdf", "--encrypt", "user-pw", "owner-pw", "256", "--", src, c.path(name)],
                   check=True)
    c.expect_not_scanned("pdf-password", name, "encrypted")
    # Only an owner password (opens without one): read as usual.
    name = "pdf/owner-only-qpdf.pdf"
    subprocess.run(["qpdf", "--encrypt", "", "owner-pw", "256", "--", src, c.path(name)], check=True)
    for r in [r for r in c.rows if r[1] == "pdf/form-00-reportlab.pdf"]:
        c.rows.append(("pdf-owner-password", name, r[2], r[3], r[4], r[5]))


def make_archives(c, k, work):
    d = os.path.join(work, "arc-%02d" % k)
    os.makedirs(d, exist_ok=True)
    members = []
    for i in range(2):
        fn = "社員-%d.csv" % i
        lines = c.text_lines("_arc", fn, 3)
        with open(os.path.join(d, fn), "w", encoding="cp932" if i else "utf-8") as f:
            f.write("\n".join(lines) + "\n")
        members.append(fn)
    rows = [r for r in c.rows if r[0] == "_arc"]
    c.rows = [r for r in c.rows if r[0] != "_arc"]
    name = "archive/outbox-%02d.zip" % k
    subprocess.run(["zip", "-q", "-j", c.path(name)] + [os.path.join(d, m) for m in members],
                   check=True)
    for r in rows:
        c.rows.append(("zip", name, "number", r[1], r[4], r[5]))
    name = "archive/outbox-%02d.tar" % k
    subprocess.run(["tar", "-cf", c.path(name), "-C", d] + members, check=True)
    for r in rows:
        c.rows.append(("tar", name, "number", r[1], r[4], r[5]))
    name = "archive/outbox-%02d.tar.gz" % k
    subprocess.run(["tar", "-czf", c.path(name), "-C", d] + members, check=True)
    for r in rows:
        c.rows.append(("tar-gz", name, "number", r[1], r[4], r[5]))
    name = "archive/%s-%02d.gz" % ("社員-0.csv", k)
    with open(os.path.join(d, members[0]), "rb") as f, gz.open(c.path(name), "wb") as g:
        g.write(f.read())
    for r in rows:
        if r[1] == members[0]:
            c.rows.append(("gzip", name, "number", "", r[4], r[5]))
    name = "locked/outbox-%02d-zip-e.zip" % k
    subprocess.run(["zip", "-q", "-j", "-P", "correct horse", c.path(name), os.path.join(d, members[0])],
                   check=True)
    c.expect_not_scanned("zip-password", name, "encrypted", members[0])
    # A PDF with a number as an operand of its page description, inside a tar: the
    # operand is not text.
    t = c.trap_number()
    pdf = os.path.join(d, "operands.pdf")
    write_operand_pdf(pdf, t)
    name = "archive/operands-%02d.tar" % k
    subprocess.run(["tar", "-cf", c.path(name), "-C", d, "operands.pdf"], check=True)


def write_operand_pdf(path, digits):
    content = ("q %s 0 0 1 0 0 cm Q BT /F1 12 Tf 72 712 Td (no number here) Tj ET" % digits).encode()
    objs = [b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
            b"/Resources << /Font << /F1 5 0 R >> >> >>",
            b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
            b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offs = []
    for i, o in enumerate(objs):
        offs.append(out.tell())
        out.write(b"%d 0 obj\n" % (i + 1) + o + b"\nendobj\n")
    x = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1))
    for o in offs:
        out.write(b"%010d 00000 n \n" % o)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, x))
    with open(path, "wb") as f:
        f.write(out.getvalue())


def make_mail(c, k):
    """A mail as a mail program saves it: ISO-2022-JP text, a quoted-printable HTML part,
    an encoded subject, and attachments in base64 (a CSV in Shift_JIS, an .xlsx)."""
    name = "mail/to-accountant-%02d.eml" % k
    fmt = "eml"
    m = EmailMessage()
    m["From"] = "人事部 <hr@example.jp>"
    m["To"] = "tax@example.jp"
    d = c.plant(fmt, name)
    m["Subject"] = "源泉徴収の件 マイナンバー %s" % d
    d1 = c.plant(fmt, name, "part 1/part 1.1")
    body = "税理士様\n\n個人番号: %s %s %s\n" % (d1[:4], d1[4:8], d1[8:])
    body += "\n".join(c.decoys()[:3]) + "\n"
    m.set_content(body, charset="iso-2022-jp")
    d2 = c.plant(fmt, name, "part 1/part 1.2")
    m.add_alternative("<html><body><p>番号 <b>%s</b></p><p>%s</p></body></html>" % (d2, "x" * 90),
                      subtype="html", charset="utf-8", cte="quoted-printable")
    lines = ["ID,番号"]
    for i in range(2):
        dd = c.plant(fmt, name, "扶養控除.csv")
        lines.append("%d,%s" % (i, dd))
    m.add_attachment("\r\n".join(lines).encode("cp932"), maintype="text", subtype="csv",
                     filename="扶養控除.csv")
    buf = io.BytesIO()
    import openpyxl
    wb = openpyxl.Workbook()
    dd = c.plant(fmt, name, "名簿.xlsx/xl/worksheets/sheet1.xml")
    wb.active.append(["番号", int(dd)])
    wb.save(buf)
    m.add_attachment(buf.getvalue(), maintype="application",
                     subtype="vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                     filename="名簿.xlsx")
    with open(c.path(name), "wb") as f:
        f.write(m.as_bytes(policy=SMTP))


def make_picture(c):
    """A picture: not scanned (a PNG written by hand: one white pixel)."""
    import struct
    import zlib

    def chunk(t, data):
        return struct.pack(">I", len(data)) + t + data + struct.pack(">I", zlib.crc32(t + data) & 0xFFFFFFFF)
    png = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0))
    png += chunk(b"IDAT", zlib.compress(b"\x00\xff\xff\xff")) + chunk(b"IEND", b"")
    name = "picture/card-photo.png"
    with open(c.path(name), "wb") as f:
        f.write(png)
    c.expect_not_scanned("picture", name, "picture")


def make_xml_trap(c, k):
    """A .docx-like zip whose metadata has digits in neighbouring elements (no text there)."""
    t = c.trap_number()
    name = "docx/props-%02d-trap.docx" % k
    with zipfile.ZipFile(c.path(name), "w") as z:
        z.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        z.writestr("docProps/app.xml", '<?xml version="1.0"?><Properties><TotalTime>%s</TotalTime>'
                   '<Pages>%s</Pages><Words>%s</Words></Properties>' % (t[:4], t[4:8], t[8:]))
        d = c.plant("docx-handmade", name, "word/document.xml")
        z.writestr("word/document.xml", '<?xml version="1.0"?><w:document xmlns:w="w"><w:body><w:p>'
                   '<w:r><w:t>番号 %s</w:t></w:r><w:r><w:rPr><w:b/></w:rPr><w:t>%s</w:t></w:r>'
                   '</w:p></w:body></w:document>' % (d[:6], d[6:]))


def build(out, large, n):
    if os.path.exists(out):
        shutil.rmtree(out)
    c = Corpus(out, 20261206 + (1 if large else 0))
    work = tempfile.mkdtemp(prefix="scan-corpus-")
    os.makedirs(os.path.join(c.files, "../work"), exist_ok=True)
    office = Office(work)
    try:
        for k in range(n):
            make_text(c, k)
            make_csv_cp932(c, k)
            make_csv_utf16(c, k)
            make_xlsx(c, k)
            make_ods(c, k)
            make_odt(c, k)
            make_pdf_reportlab(c, k)
            make_archives(c, k, work)
            make_mail(c, k)
            make_xml_trap(c, k)
            if shutil.which("soffice"):
                make_via_office(c, office, k, work)
        if shutil.which("soffice"):
            make_locked(c, office, work)
        write_encrypted_ooxml(c)
        make_pdf_encrypted(c)
        make_picture(c)
    finally:
        office.stop()
        shutil.rmtree(work, ignore_errors=True)
        shutil.rmtree(os.path.join(c.files, "../work"), ignore_errors=True)
    c.write_expected()
    return c


def main():
    if len(sys.argv) < 3 or sys.argv[1] not in ("small", "large"):
        print(__doc__.strip().split("\n\n")[1], file=sys.stderr)
        return 2
    large = sys.argv[1] == "large"
    n = int(sys.argv[3]) if len(sys.argv) > 3 else (20 if large else 1)
    c = build(sys.argv[2], large, n)
    print("%d files, %d expected results" % (sum(len(f) for _, _, f in os.walk(c.files)), len(c.rows)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
