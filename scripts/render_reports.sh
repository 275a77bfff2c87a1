#!/usr/bin/env bash
# Renders every workbook in a folder (default demo-reports/en, from
# make demo-reports) through LibreOffice to PDF, then the first page of each
# sheet to a PNG in docs/reports/ (KIND-NN-SHEET.png), for docs/REPORTS.md.
# Needs make deps-full (LibreOffice, poppler's pdftoppm and pdftotext).
set -euo pipefail
src=${1:-demo-reports/en}
out=${2:-docs/reports}
dpi=${DPI:-60}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$out"
rm -f "$out"/*.png
soffice -env:UserInstallation=file://"$work"/profile --headless --norestore \
  --convert-to pdf --outdir "$work" "$src"/*.xlsx >/dev/null
for pdf in "$work"/*.pdf; do
  kind=$(basename "$pdf" .pdf)
  kind=${kind%%-*}
  pages=$(pdfinfo "$pdf" 2>/dev/null | awk '/^Pages:/ {print $2}')
  [ -n "$pages" ] || pages=$(pdftotext "$pdf" - | grep -c $'\f' || true)
  prev="" n=0
  for ((p = 1; p <= pages; p++)); do
    # Each page's footer is "TITLE — SHEET ... Page P / N".
    sheet=$(pdftotext -f "$p" -l "$p" -layout "$pdf" - | grep ' — ' | tail -1 | sed 's/.* — //; s/  .*//; s/ *$//')
    [ "$sheet" = "$prev" ] && continue
    prev=$sheet n=$((n + 1))
    slug=$(printf '%s' "$sheet" | tr 'A-Z ' 'a-z-' | tr -cd 'a-z0-9-')
    pdftoppm -f "$p" -l "$p" -r "$dpi" -png -singlefile "$pdf" "$out/$(printf '%s-%02d-%s' "$kind" "$n" "$slug")"
  done
done
ls "$out"
