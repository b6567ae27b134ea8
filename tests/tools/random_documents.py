"""Random HTML documents that follow HTML's content models, as Gazette's templates and
Markdown write them (blocks hold blocks or text, paragraphs and inline elements hold
text and inline elements, list items sit in lists, cells in tables), with random white
space, attributes, entities and comments: the input of the minifier test.

    python3 random_documents.py SEED COUNT DIR

Writes DIR/0.html … DIR/{COUNT-1}.html.
"""
import os
import random
import sys

WS = [" ", "  ", "\n", "\n  ", "\t", "", "", ""]
TEXT = ["hello", "a b", "&amp;", "&quot;x&quot;", "it&#39;s", "&lt;", "1 &lt; 2", "x=y",
        '"q"', "'s'", "é ü", "—", "word\nwrapped"]
INLINE = ["a", "span", "b", "i", "em", "strong", "code", "time", "q", "sub", "small"]
BLOCK = ["div", "section", "blockquote", "figure", "header", "footer", "nav"]


def attrs(r):
    out = ""
    for _ in range(r.randint(0, 2)):
        name = r.choice(["class", "href", "title", "data-x", "hidden", "alt", "id"])
        value = r.choice(["", "a", "a b", "/x/y/", "a=b", "&quot;q&quot;", "it's", "x&amp;y",
                          "`t`", "a&gt;b"])
        quote = '"' if "'" in value or r.random() < 0.7 else "'"
        out += r.choice([" ", "  ", "\n "]) + (name if r.random() < 0.1 else f"{name}={quote}{value}{quote}")
    return out


def ws(r):
    return r.choice(WS)


def phrasing(r, depth):
    out = ""
    for _ in range(r.randint(0, 4)):
        k = r.random()
        if k < 0.45 or depth > 4:
            out += ws(r) + r.choice(TEXT) + ws(r)
        elif k < 0.5:
            out += "<!--" + r.choice(["c", " x "]) + "-->"
        elif k < 0.58:
            out += r.choice(["<br>", "<img src=x.png alt=''>", "<wbr>"])
        else:
            tag = r.choice(INLINE)
            out += f"{ws(r)}<{tag}{attrs(r)}>{phrasing(r, depth + 1)}</{tag}>{ws(r)}"
    return out


def flow(r, depth):
    out = ""
    for _ in range(r.randint(1, 4)):
        k = r.random()
        if depth > 4 or k < 0.2:
            out += phrasing(r, depth)
        elif k < 0.35:
            out += f"{ws(r)}<p{attrs(r)}>{phrasing(r, depth + 1)}</p>{ws(r)}"
        elif k < 0.45:
            tag = r.choice(["ul", "ol"])
            items = "".join(f"{ws(r)}<li{attrs(r)}>{flow(r, depth + 1)}</li>" for _ in range(r.randint(1, 3)))
            out += f"{ws(r)}<{tag}{attrs(r)}>{items}{ws(r)}</{tag}>{ws(r)}"
        elif k < 0.5:
            pairs = "".join(f"{ws(r)}<dt>{phrasing(r, depth + 1)}</dt>{ws(r)}<dd>{flow(r, depth + 1)}</dd>" for _ in range(r.randint(1, 2)))
            out += f"{ws(r)}<dl>{pairs}{ws(r)}</dl>"
        elif k < 0.55:
            rows = "".join(
                f"{ws(r)}<tr>" + "".join(f"{ws(r)}<td{attrs(r)}>{flow(r, depth + 1)}</td>" for _ in range(r.randint(1, 3))) + f"{ws(r)}</tr>"
                for _ in range(r.randint(1, 2)))
            out += f"{ws(r)}<table>{ws(r)}<tbody>{rows}{ws(r)}</tbody>{ws(r)}</table>"
        elif k < 0.6:
            out += f"{ws(r)}<pre{attrs(r)}>" + r.choice(["", "\n"]) + r.choice(["", "<!--c-->"]) + phrasing(r, depth + 1) + "\n  x  \n</pre>"
        elif k < 0.65:
            out += f"{ws(r)}<details><summary>{phrasing(r, depth + 1)}</summary>{flow(r, depth + 1)}</details>"
        elif k < 0.7:
            out += f"{ws(r)}<h2{attrs(r)}>{phrasing(r, depth + 1)}</h2>{ws(r)}"
        elif k < 0.75:
            out += f"{ws(r)}<textarea{attrs(r)}>\n  a  b\n</textarea>{ws(r)}<script>if (a < b) {{ }}</script>"
        else:
            tag = r.choice(BLOCK)
            out += f"{ws(r)}<{tag}{attrs(r)}>{flow(r, depth + 1)}</{tag}>{ws(r)}"
    return out


def main():
    seed, count, folder = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
    r = random.Random(seed)
    os.makedirs(folder, exist_ok=True)
    for n in range(count):
        body = flow(r, 0)
        page = (f"<!doctype html>\n<html lang=en>\n<head>\n<meta charset=utf-8>\n<title>Page {n}</title>\n"
                f"</head>\n<body>\n{body}\n</body>\n</html>\n")
        with open(os.path.join(folder, f"{n}.html"), "w", encoding="utf-8") as f:
            f.write(page)


main()
