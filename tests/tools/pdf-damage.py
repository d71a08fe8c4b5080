#!/usr/bin/python3
"""pdf-damage KIND IN.pdf OUT.pdf: a PDF damaged the ways real files are, for `mnvault scan`.

A scan must never call a PDF clean when poppler could not find part of it (it then goes on
as if the part were empty). The damage is done to qpdf's QDF form of IN (objects one by one,
uncompressed, a classic xref table), so that every kind hits the object it names:

  cut            the first half of IN as it is (a download or copy that stopped halfway)
  lose-contents  the last page's contents object taken out, the xref left as it was
  lose-page      the last page's page object taken out
  xref-offsets   every offset in the xref table wrong by 7 bytes (poppler rebuilds it)
  xref-garbage   the xref table replaced by garbage (poppler rebuilds it)
  xref-lost      xref-garbage and lose-contents: the rebuilt xref cannot find the object
  objstm-lost    PDF 1.5 with an xref stream: the page objects of the pages after the first
                 are in an object stream that is not in the file
  objstm-broken  the same object stream present, but its compressed data damaged

Only the standard library and qpdf (a test dependency, src/build/deps.sh).
"""
import re
import subprocess
import sys
import tempfile
import zlib


def qdf(path):
    with tempfile.NamedTemporaryFile(suffix=".pdf") as tmp:
        subprocess.run(["qpdf", "--qdf", "--object-streams=disable", path, tmp.name],
                       check=False)  # qpdf exits 3 on warnings; the output is still written
        with open(tmp.name, "rb") as f:
            data = f.read()
    if not data.startswith(b"%PDF"):
        sys.exit("pdf-damage: qpdf could not read " + path)
    return data


def objects(data):
    """{number: (start, end)} of every 'N 0 obj ... endobj' in a QDF file."""
    spans = {}
    for m in re.finditer(rb"(?m)^(\d+) 0 obj\n", data):
        end = data.index(b"endobj\n", m.end()) + len(b"endobj\n")
        spans[int(m.group(1))] = (m.start(), end)
    return spans


def last_page(data):
    """Numbers of the last page's page object and contents object (QDF comments name them)."""
    pages = re.findall(rb"(?m)^%% Page (\d+)\n(?:%%[^\n]*\n)*(\d+) 0 obj", data)
    contents = re.findall(rb"(?m)^%% Contents for page (\d+)\n(?:%%[^\n]*\n)*(\d+) 0 obj", data)
    return int(pages[-1][1]), int(contents[-1][1])


def page_objects(data):
    return [int(n) for _, n in re.findall(rb"(?m)^%% Page (\d+)\n(?:%%[^\n]*\n)*(\d+) 0 obj", data)]


def remove(data, num):
    start, end = objects(data)[num]
    return data[:start] + data[end:]


def xref_garbage(data):
    at = data.rindex(b"\nxref\n")
    return data[:at] + b"\nxref\n0 1\nthis is no table\n" + data[data.rindex(b"trailer"):]


def xref_offsets(data):
    at = data.rindex(b"\nxref\n")

    def shift(m):
        return b"%010d" % (int(m.group(1)) + 7) + m.group(2)

    return data[:at] + re.sub(rb"(?m)^(\d{10})( \d{5} n)", shift, data[at:])


def with_object_stream(data, broken):
    """The objects of data rewritten as PDF 1.5: the page objects after the first one packed
    into object stream K, which is left out (or present and damaged); an xref stream."""
    spans = objects(data)
    body = {n: data[s:e] for n, (s, e) in spans.items()}
    packed = page_objects(data)[1:]
    trailer = data[data.rindex(b"trailer"):]
    root = re.search(rb"/Root (\d+) 0 R", trailer).group(1)
    size = max(body) + 1
    k, xs = size, size + 1  # the object stream, the xref stream
    out = bytearray(b"%PDF-1.5\n%\xbf\xf7\xa2\xfe\n")
    where = {}
    for n in sorted(body):
        if n in packed:
            continue
        where[n] = (1, len(out), 0)
        out += body[n]
    inner = b""
    head = b""
    for i, n in enumerate(packed):
        obj = re.sub(rb"^\d+ 0 obj\n", b"", body[n]).rsplit(b"endobj", 1)[0]
        head += b"%d %d " % (n, len(inner))
        inner += obj + b"\n"
        where[n] = (2, k, i)
    if broken:
        packed_data = bytearray(zlib.compress(head + inner))
        for i in range(2, min(40, len(packed_data))):
            packed_data[i] ^= 0x5A
        where[k] = (1, len(out), 0)
        out += b"%d 0 obj\n<< /Type /ObjStm /N %d /First %d /Filter /FlateDecode /Length %d >>\nstream\n" % (
            k, len(packed), len(head), len(packed_data))
        out += bytes(packed_data) + b"\nendstream\nendobj\n"
    rows = b""
    for n in range(xs + 1):
        kind, a, b = where.get(n, (0, 0, 0))
        if n == xs:
            kind, a, b = 1, len(out), 0
        rows += bytes([kind]) + a.to_bytes(4, "big") + b.to_bytes(2, "big")
    start = len(out)
    out += b"%d 0 obj\n<< /Type /XRef /Size %d /W [1 4 2] /Root %s 0 R /Length %d >>\nstream\n" % (
        xs, xs + 1, root, len(rows))
    out += rows + b"\nendstream\nendobj\nstartxref\n%d\n%%%%EOF\n" % start
    return bytes(out)


def main():
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    kind, src, dst = sys.argv[1:]
    if kind == "cut":
        with open(src, "rb") as f:
            raw = f.read()
        out = raw[: len(raw) // 2]
    else:
        data = qdf(src)
        page, contents = last_page(data)
        if kind == "lose-contents":
            out = remove(data, contents)
        elif kind == "lose-page":
            out = remove(data, page)
        elif kind == "xref-offsets":
            out = xref_offsets(data)
        elif kind == "xref-garbage":
            out = xref_garbage(data)
        elif kind == "xref-lost":
            out = xref_garbage(remove(data, contents))
        elif kind in ("objstm-lost", "objstm-broken"):
            out = with_object_stream(data, kind == "objstm-broken")
        else:
            sys.exit("pdf-damage: unknown kind " + kind)
    with open(dst, "wb") as f:
        f.write(out)


if __name__ == "__main__":
    main()
