// UI strings of the staff manual screen (操作マニュアル, O-01), spread into i18n/ja.ts and en.ts.
// The manual's own text is Japanese (docs/manual); these are the screen around it.

export const manualJa = {
  'nav.manual': '操作マニュアル',

  'manual.title': '操作マニュアル',
  'manual.lead': '職員コンソールの使い方です。各画面の右上の「この画面の説明」からも開けます。',
  'manual.thisScreen': 'この画面の説明',
  'manual.searchLabel': 'マニュアルをさがす',
  'manual.searchHint': '言葉を入れて「検索」を押します（例: キャンセル待ち、CSV）。',
  'manual.results': '検索結果',
  'manual.resultCount': '「{q}」は {count} か所にあります。',
  'manual.resultTruncated': '多いため、はじめの {count} か所だけ表示しています。言葉を足して絞ってください。',
  'manual.noResults': '「{q}」は見つかりませんでした。ちがう言葉でさがしてください。',
  'manual.chapters': '目次',
  'manual.sections': 'この章の見出し',
  'manual.backToIndex': '目次に戻る',
} as const;

export const manualEn: Record<keyof typeof manualJa, string> = {
  'nav.manual': 'Staff manual',

  'manual.title': 'Staff manual',
  'manual.lead':
    'How to use the staff console (the manual itself is in Japanese). Every screen links to its part with "About this screen" at the top right.',
  'manual.thisScreen': 'About this screen',
  'manual.searchLabel': 'Search the manual',
  'manual.searchHint': 'Type a word (in Japanese, like the manual) and press Search.',
  'manual.results': 'Search results',
  'manual.resultCount': '"{q}" was found in {count} places.',
  'manual.resultTruncated': 'Only the first {count} places are shown. Add words to narrow it down.',
  'manual.noResults': '"{q}" was not found. Try another word.',
  'manual.chapters': 'Contents',
  'manual.sections': 'Headings of this chapter',
  'manual.backToIndex': 'Back to contents',
};
