#!/usr/bin/env bash
# Photo benchmark: Gazette against Hugo, resizing the same photos to the same widths and
# formats.
#
#   bench/images.sh [PHOTOS]        (default: 100 photos of 4000×3000)
#
# Generates PHOTOS varied 4000×3000 JPEGs (Pillow, in a venv under target/), a digest with
# one article per photo (the photo as its front matter `image`), and a Hugo site with the
# same photos as page resources, whose template makes what Gazette publishes: 480, 960 and
# 1600 px wide in WebP and JPEG, and 1200 px JPEG (`.Resize "480x webp q78 Lanczos"`…).
# Times each tool's cold build (a new output folder, no cache) and no-change rebuild, and
# prints both ratios and the bytes of the published images. Machines are shared and noisy:
# compare ratios from one run, not absolute times.
set -euo pipefail
N=${1:-100}
source "$(dirname "$0")/setup.sh"
hugo version | grep -q extended || { echo "needs Hugo extended (WebP)"; exit 1; }

venv=$here/target/bench-venv
if [ ! -x "$venv/bin/python" ]; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet Pillow
fi

photos=$work/photos
if [ ! -f "$photos/$N.done" ]; then
  mkdir -p "$photos"
  "$venv/bin/python" - "$N" "$photos" <<'PY'
import random, sys
from PIL import Image, ImageDraw, ImageFilter
n, out = int(sys.argv[1]), sys.argv[2]
for i in range(n):
    rnd = random.Random(i)
    # Smooth colour fields (a sky, a landscape), shapes, and grain like a phone's sensor.
    small = Image.new("RGB", (16, 12))
    small.putdata([tuple(rnd.randrange(256) for _ in range(3)) for _ in range(16 * 12)])
    img = small.resize((4000, 3000), Image.BICUBIC)
    draw = ImageDraw.Draw(img)
    for _ in range(40):
        x, y = rnd.randrange(4000), rnd.randrange(3000)
        r = rnd.randrange(40, 600)
        fill = tuple(rnd.randrange(256) for _ in range(3))
        (draw.ellipse if rnd.random() < 0.5 else draw.rectangle)((x, y, x + r, y + r * 2 // 3), fill=fill)
    img = img.filter(ImageFilter.GaussianBlur(3))
    grain = Image.effect_noise((4000, 3000), 24).convert("RGB")
    img = Image.blend(img, grain, 0.12)
    img.save(f"{out}/photo-{i:03}.jpg", quality=90)
PY
  touch "$photos/$N.done"
fi
echo "$N photos of 4000×3000: $(du -sh "$photos" | cut -f1) in $photos"

# The digest: one article per photo, beside it.
site=$work/digest
rm -rf "$site" && mkdir -p "$site/content/2018/08"
printf 'title = "Photo Bench"\nbase_url = "https://example.org/"\ntimezone = "UTC"\n' > "$site/site.toml"
cp -r "$here/themes" "$site/"
for i in $(seq 0 $((N - 1))); do
  name=$(printf 'photo-%03d' "$i")
  day=$(( i % 28 + 1 ))
  cp "$photos/$name.jpg" "$site/content/2018/08/$name.jpg"
  printf -- '---\ntitle: "Photo %s"\ndate: 2018-08-%02d\nimage:\n  src: %s.jpg\n  alt: Generated photo %s\n---\nA photo.\n' \
    "$i" "$day" "$name" "$i" > "$site/content/2018/08/$name.md"
done

# Hugo: the same photos as page bundles, each resized in the page's template.
hsite=$work/hugo
rm -rf "$hsite" && mkdir -p "$hsite/layouts/_default" "$hsite/content/posts"
cat > "$hsite/config.toml" <<'TOML'
baseURL = "https://example.org/"
title = "Photo Bench"
disableKinds = ["taxonomy", "term", "RSS", "sitemap"]
[imaging]
resampleFilter = "Lanczos"
quality = 82
TOML
cat > "$hsite/layouts/_default/single.html" <<'HTML'
<!doctype html><title>{{ .Title }}</title>
{{ with .Resources.GetMatch "*.jpg" }}<picture>
<source type="image/webp" srcset="{{ (.Resize "480x webp q78").RelPermalink }} 480w, {{ (.Resize "960x webp q78").RelPermalink }} 960w, {{ (.Resize "1600x webp q78").RelPermalink }} 1600w">
<img src="{{ (.Resize "960x jpg q82").RelPermalink }}" srcset="{{ (.Resize "480x jpg q82").RelPermalink }} 480w, {{ (.Resize "1600x jpg q82").RelPermalink }} 1600w" width="{{ .Width }}" height="{{ .Height }}" alt="">
</picture>
<meta property="og:image" content="{{ (.Resize "1200x jpg q82").Permalink }}">{{ end }}
HTML
printf '<!doctype html><title>{{ .Title }}</title>{{ range .Pages }}<a href="{{ .RelPermalink }}">{{ .Title }}</a>{{ end }}\n' > "$hsite/layouts/_default/list.html"
cp "$hsite/layouts/_default/list.html" "$hsite/layouts/index.html"
for i in $(seq 0 $((N - 1))); do
  name=$(printf 'photo-%03d' "$i")
  mkdir -p "$hsite/content/posts/$name"
  cp "$photos/$name.jpg" "$hsite/content/posts/$name/$name.jpg"
  printf -- '---\ntitle: "Photo %s"\ndate: 2018-08-%02d\n---\nA photo.\n' "$i" $(( i % 28 + 1 )) > "$hsite/content/posts/$name/index.md"
done

runs=$work/runs
rm -rf "$runs" && mkdir -p "$runs"
secs() { local s e; s=$(date +%s.%N); "$@" >/dev/null; e=$(date +%s.%N); echo "$e - $s" | bc -l; }
# The resized images (Hugo names them `…_hu…`; it may also copy the originals).
image_bytes() { find "$1" -type f \( -name '*.jpg' -o -name '*.webp' \) -name "${2:-*}" -printf '%s\n' | awk '{s+=$1} END {print s+0}'; }
image_count() { find "$1" -type f \( -name '*.jpg' -o -name '*.webp' \) -name "${2:-*}" | wc -l; }

sync
g_cold=$(secs "$gazette" build --quiet --root "$site" --output "$runs/gazette")
g_again=$(secs "$gazette" build --quiet --root "$site" --output "$runs/gazette")
h_cold=$(secs hugo --quiet --source "$hsite" --destination "$runs/hugo" --cacheDir "$runs/hugo-cache")
h_again=$(secs hugo --quiet --source "$hsite" --destination "$runs/hugo" --cacheDir "$runs/hugo-cache")
printf 'gazette  cold %8.2f s   no-change rebuild %6.3f s (%.2f %% of cold)\n' "$g_cold" "$g_again" "$(echo "100 * $g_again / $g_cold" | bc -l)"
printf 'hugo     cold %8.2f s   no-change rebuild %6.3f s (%.2f %% of cold)\n' "$h_cold" "$h_again" "$(echo "100 * $h_again / $h_cold" | bc -l)"
printf 'ratio gazette/hugo: cold %.3f (goal <= 1), no-change rebuild %.3f\n' \
  "$(echo "$g_cold / $h_cold" | bc -l)" "$(echo "$g_again / $h_again" | bc -l)"
printf 'published images: gazette %s files, %s bytes; hugo %s files, %s bytes\n' \
  "$(image_count "$runs/gazette")" "$(image_bytes "$runs/gazette")" \
  "$(image_count "$runs/hugo" '*_hu*')" "$(image_bytes "$runs/hugo" '*_hu*')"
printf 'originals: %s bytes\n' "$(image_bytes "$photos")"
