#!/usr/bin/env bash
# Makes the content-check corpus with real tools: ordinary files people upload every day (which must all pass) and
# hostile ones (which must all be caught). Debian packages: imagemagick libheif-examples libreoffice-writer-nogui
# libimage-exiftool-perl qpdf (.ci/run installs them). Usage: make-corpus.sh OUT_DIR
set -euo pipefail
out=$(realpath -m "$1")
for tool in convert heif-enc soffice exiftool qpdf; do
  command -v "$tool" >/dev/null || { echo "make-corpus: '$tool' is missing; install imagemagick libheif-examples" \
    "libreoffice-writer-nogui libimage-exiftool-perl qpdf (as .ci/run does)" >&2; exit 3; }
done
rm -rf "$out.tmp" && mkdir -p "$out.tmp"/{images,pdfs,documents,hostile,work}
cd "$out.tmp"
w=work

# --- Ordinary images: photos, screenshots, scans and icons in every format phones and apps produce ---
sources=()
i=0
for spec in "640x480 plasma:fractal" "1024x768 gradient:skyblue-navy" "300x300 xc:white" "1200x800 plasma:red-green" \
    "800x600 pattern:checkerboard" "64x64 radial-gradient:yellow-purple" "1920x1080 plasma:" "334x776 gradient:"; do
  set -- $spec
  convert -seed $((i + 1)) -size "$1" "$2" -font DejaVu-Sans -pointsize 24 -fill black -annotate +20+40 "Pontus photo $i" \
    -depth 8 "$w/src$i.png"
  sources+=("$w/src$i.png")
  i=$((i + 1))
done
convert -size 1280x720 xc:white -font DejaVu-Sans -pointsize 18 -fill black \
  -annotate +30+60 "Screenshot: Settings > Account > <b>Profile</b> & onboarding = done" -depth 8 "$w/screenshot.png"
sources+=("$w/screenshot.png")
n=0
for src in "${sources[@]}"; do
  n=$((n + 1))
  convert "$src" -quality 85 "images/photo$n.jpg"
  convert "$src" -interlace Plane -quality 70 "images/progressive$n.jpg"
  convert "$src" "images/image$n.png"
  convert "$src" -resize 50% "images/image$n.webp"
  convert "$src" -resize 25% -colors 64 "images/image$n.gif"
  convert "$src" -compress lzw "images/scan$n.tif"
  convert "$src" -resize 40% "images/image$n.bmp"
  heif-enc -q 60 "$src" -o "images/phone$n.heic" >/dev/null
  heif-enc --avif -p chroma=422 -q 60 "$src" -o "images/phone$n.avif" >/dev/null
done
convert "${sources[0]}" -resize 32x32 "${sources[1]}" -resize 16x16 "${sources[2]}" -resize 48x48 images/favicon.ico
convert "${sources[3]}" -resize 64x64 images/icon64.ico
convert "${sources[0]}" -colorspace CMYK -quality 90 images/print-cmyk.jpg
convert "${sources[1]}" -colorspace Gray images/gray.png
convert "${sources[2]}" -alpha set -channel A -evaluate set 50% images/transparent.png
convert "${sources[4]}" -depth 16 images/deep16.png
convert "${sources[5]}" -interlace PNG images/interlaced.png
convert -delay 20 "${sources[0]}" "${sources[1]}" "${sources[2]}" -resize 120x90 -loop 0 images/animated.gif
# Phones and cameras write EXIF, GPS, XMP and IPTC; messengers strip it: both kinds.
cp images/photo1.jpg images/exif-camera.jpg
exiftool -q -overwrite_original -Make=Apple "-Model=iPhone 15" -GPSLatitude=52.52 -GPSLatitudeRef=N \
  -GPSLongitude=13.40 -GPSLongitudeRef=E "-Artist=Ann O'Neil" "-ImageDescription=Holiday 2026: beach & sea" \
  "-XMP-dc:Subject=beach" "-IPTC:Keywords=family" images/exif-camera.jpg
cp images/photo2.jpg images/exif-comment.jpg
exiftool -q -overwrite_original "-Comment=Taken at 5:30 <3 on the beach, 2 > 1" images/exif-comment.jpg
cp images/image3.png images/png-text.png
exiftool -q -overwrite_original "-PNG:Comment=Created with GIMP; see https://example.org/a?b=1&c=2" images/png-text.png
convert images/photo4.jpg -strip images/stripped.jpg
# A PNG named .jpg, a JPEG named .png: what phones and messengers produce every day (corrected, not refused).
cp images/image5.png images/misnamed-png.jpg
cp images/photo6.jpg images/misnamed-jpeg.png
cp images/image7.webp images/misnamed-webp.gif
# SVG drawings without scripts.
cat > images/logo.svg <<'SVG'
<?xml version="1.0" encoding="UTF-8"?>
<svg xmlns="http://www.w3.org/2000/svg" width="120" height="80" viewBox="0 0 120 80">
  <title>Logo</title><rect x="10" y="10" width="100" height="60" rx="8" fill="#3a7"/>
  <text x="60" y="48" text-anchor="middle" font-family="sans-serif">Pontus</text>
</svg>
SVG
cat > images/chart.svg <<'SVG'
<svg version="1.1" viewBox="0 0 400 300" xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink">
  <defs><linearGradient id="g"><stop offset="0" stop-color="#09f"/><stop offset="1" stop-color="#f90"/></linearGradient></defs>
  <path d="M10 290 L100 120 L200 200 L390 20" stroke="url(#g)" fill="none" stroke-width="4"/>
  <a xlink:href="https://example.org/data"><text x="20" y="30">Sales &amp; costs &lt;2026&gt;</text></a>
</svg>
SVG

# --- Ordinary PDFs: office exports, image scans, linearized, compressed, uncompressed ---
for d in 1 2 3 4 5 6; do
  {
    echo "<html><head><title>Report $d</title></head><body>"
    echo "<h1>Quarterly report $d</h1><p>Revenue &amp; costs, see <a href=\"https://example.org/r$d\">the site</a>.</p>"
    echo "<table border=1><tr><td>Q1</td><td>1,000</td></tr><tr><td>Q2</td><td>2,000</td></tr></table>"
    for p in $(seq 1 $((d * 3))); do echo "<p>Paragraph $p: lorem ipsum dolor sit amet, a &lt; b &gt; c.</p>"; done
    echo "<img src=\"../$w/src$d.png\" width=200></body></html>"
  } > "$w/report$d.html"
  printf 'Meeting notes %s\n\nAgenda:\n- onboarding = done\n- <review> budget\n' "$d" > "$w/notes$d.txt"
done
(cd "$w" && soffice --headless --convert-to pdf:writer_pdf_Export report*.html notes*.txt >/dev/null 2>&1)
(cd "$w" && soffice --headless --convert-to docx:"MS Word 2007 XML" notes1.txt notes2.txt >/dev/null 2>&1)
(cd "$w" && soffice --headless --convert-to odt notes3.txt notes4.txt >/dev/null 2>&1)
cp "$w"/report*.pdf "$w"/notes*.pdf pdfs/
cp "$w"/*.docx "$w"/*.odt documents/
for d in 1 2 3; do
  qpdf --linearize "pdfs/report$d.pdf" "pdfs/linearized$d.pdf"
  qpdf --object-streams=generate "pdfs/report$d.pdf" "pdfs/objstm$d.pdf"
  qpdf --qdf --object-streams=disable "pdfs/notes$d.pdf" "pdfs/uncompressed$d.pdf"
done
qpdf --empty --pages pdfs/report1.pdf pdfs/notes2.pdf -- pdfs/merged.pdf
printf 'plain text notes\nline 2\n' > documents/notes.txt
printf 'name,amount\n"Ann",10\n"Bob <bob@example.org>",20\n' > documents/table.csv

# --- Hostile files: each hides something that runs as script where the file is served, included or opened ---
h=hostile
cp images/photo1.jpg $h/jpeg-comment-script.jpg
exiftool -q -overwrite_original '-Comment=<script>alert(document.domain)</script>' $h/jpeg-comment-script.jpg
cp images/photo2.jpg $h/jpeg-exif-php.jpg
exiftool -q -overwrite_original '-ImageDescription=<?php system($_GET["c"]); ?>' $h/jpeg-exif-php.jpg
cp images/photo3.jpg $h/jpeg-xmp-onerror-space.jpg
exiftool -q -overwrite_original '-XMP-dc:Description=<img src=x onerror =alert(1)>' $h/jpeg-xmp-onerror-space.jpg
cp images/photo4.jpg $h/jpeg-onbegin.jpg
exiftool -q -overwrite_original '-Comment=<svg><set onbegin=alert(1) attributeName=x>' $h/jpeg-onbegin.jpg
cp images/image1.png $h/png-text-iframe.png
exiftool -q -overwrite_original '-PNG:Comment=<IFRAME SRC="javascript:alert(1)">' $h/png-text-iframe.png
cp images/image2.gif $h/gif-comment-svg.gif
exiftool -q -overwrite_original '-Comment=<svg/onload=alert(1)>' $h/gif-comment-svg.gif
{ cat images/photo5.jpg; printf '<\0s\0c\0r\0i\0p\0t\0>\0a\0l\0e\0r\0t\0(\0\061\0)\0<\0/\0s\0c\0r\0i\0p\0t\0>\0'; } \
  > $h/jpeg-utf16le-script.jpg
{ cat images/image4.png; printf '\0<\0s\0c\0r\0i\0p\0t\0>'; } > $h/png-utf16be-script.png
{ cat images/photo7.jpg; head -c 200000 /dev/zero; printf '<html><body onload="alert(1)">'; } > $h/jpeg-appended-after-64k.jpg
{ cat images/image8.png; printf '\n<%% Runtime.getRuntime().exec(request.getParameter("c")) %%>\n'; } > $h/png-jsp.png
{ printf 'GIF89a/*\x0a\x00\x0a\x00\x80\x00\x00\xff\xff\xff\x00\x00\x00,\x00\x00\x00\x00\x0a\x00\x0a\x00\x00\x02\x02\x44\x01\x00;'
  printf '*/=1;alert(document.domain);'; } > $h/gif-javascript-polyglot.gif
cp images/image6.webp $h/webp-appended-vbscript.webp && printf '<a href="vbscript:msgbox(1)">x</a>' >> $h/webp-appended-vbscript.webp
printf '<!DOCTYPE html><html><body><script>alert(1)</script></body></html>\n' > $h/html-named.jpg
printf '<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><rect width="9" height="9"/></svg>\n' > $h/svg-script.png
printf '<?xml version="1.0"?>\n<?xml-stylesheet href="x.xsl" type="text/xsl"?>\n<a/>\n' > $h/xml-stylesheet.xml
# PDFs that run code, launch programs or carry files (made uncompressed by hand, then normalised or compressed by qpdf).
pdf() { # $1 = catalog extras, $2 = extra objects, $3 = out
  local body="%PDF-1.7
1 0 obj << /Type /Catalog /Pages 2 0 R $1 >> endobj
2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj
3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >> endobj
$2
trailer << /Root 1 0 R /Size 9 >>
%%EOF"
  printf '%s\n' "$body" > "$w/raw.pdf"
  qpdf "$w/raw.pdf" "$3" 2>/dev/null || [ $? -eq 3 ] # 3: repaired with warnings (no xref given)
}
pdf '/OpenAction 4 0 R' '4 0 obj << /Type /Action /S /JavaScript /JS (app.alert(1)) >> endobj' $h/pdf-openaction-js.pdf
pdf '/OpenAction << /S /Launch /F (cmd.exe) >>' '' $h/pdf-launch.pdf
pdf '/OpenAction 4 0 R' '4 0 obj << /Type /Action /S /J#61vaScript /JS (app.alert(1)) >> endobj' $h/pdf-escaped-name.pdf
pdf '/AA << /O << /S /URI /URI (https://evil.example) >> >>' '' $h/pdf-additional-actions.pdf
pdf '/AcroForm << /XFA 4 0 R >>' '4 0 obj << /Length 0 >> stream
endstream endobj' $h/pdf-xfa.pdf
pdf '/OpenAction 4 0 R' '4 0 obj << /Type /Action /S /JavaScript /JS (app.alert(1)) >> endobj' $w/js.pdf
qpdf --object-streams=generate $w/js.pdf $h/pdf-js-in-object-stream.pdf
printf 'payload\n' > $w/payload.txt
qpdf pdfs/report1.pdf --add-attachment $w/payload.txt -- $h/pdf-embedded-file.pdf

rm -rf "$w"
cd .. && rm -rf "$out" && mv "$out.tmp" "$out"
echo "make-corpus: $(find "$out" -type f | wc -l) files in $out"
