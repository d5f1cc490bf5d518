// UI strings of the shelter search page, spread into i18n.

export const sheltersJa = {
  'shelters.title': '近くの避難所をさがす',
  'shelters.lead':
    '現在地または指定した地点から近い順に、避難所（指定避難所・指定緊急避難場所）を表示します。状況は市の職員が更新しています。',
  'shelters.useHere': '現在地から探す',
  'shelters.locating': '現在地を調べています…',
  'shelters.geoDenied':
    '現在地を取得できませんでした。位置情報の利用を許可するか、下で地点を入力してください。',
  'shelters.geoUnsupported': 'この端末では現在地を取得できません。下で地点を入力してください。',
  'shelters.manual': '地点を入力して探す',
  'shelters.lat': '緯度（例: 35.6073）',
  'shelters.lon': '経度（例: 140.1063）',
  'shelters.usePoint': 'この地点で探す',
  'shelters.badPoint': '緯度と経度を数字で入力してください。',
  'shelters.filters': '絞り込み',
  'shelters.openOnly': '開設している避難所だけを表示する',
  'shelters.types': '災害の種類（選んだすべてに対応する避難所だけを表示）',
  'shelters.results': '近い順の避難所',
  'shelters.searching': '探しています…',
  'shelters.none': '条件に合う避難所は見つかりませんでした。',
  'shelters.noneOpen':
    '現在、開設している避難所は見つかりませんでした。「開設している避難所だけを表示する」を外すと、すべての避難所を表示します。',
  'shelters.distance': '距離: 約 {distance}',
  'shelters.status': '状況: {status}',
  'shelters.updated': '（{at} 更新）',
  'shelters.noUpdate': '（更新なし）',
  'shelters.hazards': '対象の災害: {types}',
  'shelters.hazardsSeparator': '・',
  'shelters.noHazards': '対象の災害: 指定なし',
  'shelters.address': '住所: {address}',
  'shelters.map': '{name}の場所を地図で見る（Google マップ、新しいタブ）',
  'shelters.notice':
    '避難所は災害の種類ごとに指定されています。状況は変わることがあるため、市の防災情報もあわせて確かめてください。',
} as const;

export const sheltersEn: Record<keyof typeof sheltersJa, string> = {
  'shelters.title': 'Find a shelter near you',
  'shelters.lead':
    'Shows shelters and emergency evacuation sites nearest first, from your location or a point you enter. City staff keep their status up to date.',
  'shelters.useHere': 'Use my location',
  'shelters.locating': 'Finding your location…',
  'shelters.geoDenied': 'Your location is not available. Allow location access, or enter a point below.',
  'shelters.geoUnsupported': 'This device cannot tell its location. Enter a point below.',
  'shelters.manual': 'Search from a point',
  'shelters.lat': 'Latitude (e.g. 35.6073)',
  'shelters.lon': 'Longitude (e.g. 140.1063)',
  'shelters.usePoint': 'Search from this point',
  'shelters.badPoint': 'Enter the latitude and longitude as numbers.',
  'shelters.filters': 'Filters',
  'shelters.openOnly': 'Only shelters that are open',
  'shelters.types': 'Hazards (only shelters designated for all that you choose)',
  'shelters.results': 'Shelters, nearest first',
  'shelters.searching': 'Searching…',
  'shelters.none': 'No shelter matches.',
  'shelters.noneOpen': 'No open shelter was found. Clear “Only shelters that are open” to see every shelter.',
  'shelters.distance': 'Distance: about {distance}',
  'shelters.status': 'Status: {status}',
  'shelters.updated': '(updated {at})',
  'shelters.noUpdate': '(never updated)',
  'shelters.hazards': 'Hazards: {types}',
  'shelters.hazardsSeparator': ', ',
  'shelters.noHazards': 'Hazards: none designated',
  'shelters.address': 'Address: {address}',
  'shelters.map': 'Map of {name} (Google Maps, new tab)',
  'shelters.notice':
    'Shelters are designated per hazard. Their status can change: check the city’s disaster information too.',
};
