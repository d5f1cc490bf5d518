#!/bin/sh
# Regenerates noto-sans-jp-subset.otf, the font the rich menu templates are drawn with (M-02), from
# Debian's Noto Sans CJK (package fonts-noto-cjk, SIL Open Font License 1.1) with fontTools
# (package python3-fonttools). Kept: ASCII, and every character of JIS X 0208 (kana, symbols,
# full-width forms, JIS level 1 and 2 kanji), so any Japanese label a city writes is drawn.
#
#   apt-get install -y fonts-noto-cjk python3-fonttools
#   sh apps/server/src/modules/richmenus/font/make-font.sh
set -eu
here=$(dirname "$0")
src=${NOTO_CJK_TTC:-/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc}
/usr/bin/python3 - "$src" "$here/noto-sans-jp-subset.otf" <<'PY'
import sys
from fontTools import subset
from fontTools.ttLib import TTFont

src, out = sys.argv[1], sys.argv[2]
chars = [c for c in range(0x20, 0x7F)]
for c in range(0xA0, 0x10000):
    if 0xD800 <= c < 0xE000:
        continue
    try:
        chr(c).encode('shift_jis')  # strict Shift_JIS = JIS X 0208 (+ JIS X 0201)
        chars.append(c)
    except UnicodeEncodeError:
        pass
font = TTFont(src, fontNumber=0)  # index 0 of the collection: Noto Sans CJK JP
options = subset.Options()
options.layout_features = ['kern', 'palt', 'vert']
options.name_IDs = ['*']
options.name_languages = ['*']
options.notdef_outline = True
options.hinting = False
options.desubroutinize = False
sub = subset.Subsetter(options)
sub.populate(unicodes=chars)
sub.subset(font)
font.save(out)
print(out, len(chars), 'characters')
PY
