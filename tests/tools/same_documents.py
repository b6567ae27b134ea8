"""Whether pairs of HTML files parse to the same documents, as a browser sees them.

    python3 same_documents.py PLAIN_DIR MINIFIED_DIR

Every .html file under PLAIN_DIR is compared with the file of the same path under
MINIFIED_DIR: both are parsed with html5lib (the HTML standard's parsing algorithm) and
turned into a stream of start tags (with their attributes), end tags and text, where runs
of white space count as one space and white space next to a block's tags is dropped (it
never shows), except inside <pre>, <textarea>, <script> and <style>, where text counts
as it is. Prints the number of pages compared, and the first difference of each page
that differs; exits 1 if any does.
"""
import os
import re
import sys

import html5lib

BLOCKS = set("""address article aside blockquote body caption colgroup dd details dialog
div dl dt fieldset figcaption figure footer form h1 h2 h3 h4 h5 h6 head header hgroup hr
html li link main menu meta nav ol optgroup option p pre section summary table tbody td
tfoot th thead title tr ul listing""".split())
VERBATIM = {"pre", "textarea", "script", "style", "listing", "title"}


def name(element):
    return element.tag.split("}")[-1] if isinstance(element.tag, str) else None


def walk(element, out, verbatim):
    tag = name(element)
    if tag is None:  # a comment
        return
    attrs = sorted((k.split("}")[-1], v) for k, v in element.attrib.items())
    out.append(("start", tag, attrs))
    inside = verbatim or tag in VERBATIM
    text(element.text, out, inside)
    for child in element:
        walk(child, out, inside)
        text(child.tail, out, inside)
    out.append(("end", tag))


def text(value, out, verbatim):
    if value:
        out.append(("text", value, verbatim))


def stream(path):
    with open(path, "rb") as f:
        document = html5lib.parse(f.read(), treebuilder="etree", namespaceHTMLElements=False)
    raw = []
    walk(document, raw, False)
    merged = []
    for token in raw:
        if token[0] == "text" and merged and merged[-1][0] == "text" and merged[-1][2] == token[2]:
            merged[-1] = ("text", merged[-1][1] + token[1], token[2])
        else:
            merged.append(token)
    out = []
    for i, token in enumerate(merged):
        if token[0] == "text" and not token[2]:
            # Runs of white space count as one space (after text on either side of a
            # comment is joined: browsers collapse white space across it too).
            value = re.sub(r"[ \t\n\r\f]+", " ", token[1])
            if i > 0 and merged[i - 1][0] != "text" and merged[i - 1][1] in BLOCKS:
                value = value.lstrip(" ")
            if i + 1 < len(merged) and merged[i + 1][0] != "text" and merged[i + 1][1] in BLOCKS:
                value = value.rstrip(" ")
            if not value:
                continue
            token = ("text", value, False)
        out.append(token)
    return out


def main():
    plain, minified = sys.argv[1], sys.argv[2]
    compared, differing = 0, 0
    for folder, _, files in sorted(os.walk(plain)):
        for file in sorted(files):
            if not file.endswith(".html"):
                continue
            a = os.path.join(folder, file)
            b = os.path.join(minified, os.path.relpath(a, plain))
            compared += 1
            sa, sb = stream(a), stream(b)
            if sa != sb:
                differing += 1
                at = next((i for i, (x, y) in enumerate(zip(sa, sb)) if x != y), min(len(sa), len(sb)))
                print(f"{os.path.relpath(a, plain)}: {sa[at:at + 3]} became {sb[at:at + 3]}")
    print(f"{compared} pages compared, {differing} differ")
    sys.exit(1 if differing or not compared else 0)


main()
