// Development only: an in-memory stand-in for the simulator's /_sim API, so the phone can be
// developed and screenshotted without the real simulator. Enabled by `SIM_MOCK=1 npx vite phone`.
// It is not part of the built page.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Plugin } from 'vite';

type Json = Record<string, unknown>;

interface MockUser {
  userId: string;
  displayName: string;
  pictureUrl: string;
  follows: Record<string, 'following' | 'blocked' | 'none'>;
}

const CHANNEL = 'mock-channel-chiba';
const LIFF_ID = '2000000000-AbCdEfGh';

const channels = [
  {
    channelId: CHANNEL,
    name: '千葉市（テスト）',
    botUserId: 'Ubot0001',
    liffApps: [{ liffId: LIFF_ID, endpointUrl: 'http://localhost:5173/citizen/' }],
  },
  { channelId: 'mock-channel-2', name: '防災アカウント', botUserId: 'Ubot0002', liffApps: [] },
];

const img = (w: number, h: number, label: string, bg = '#4f86c6') =>
  `/_mock/img?w=${w}&h=${h}&bg=${encodeURIComponent(bg)}&label=${encodeURIComponent(label)}`;

function sampleMessages(): Json[] {
  const uri = (label: string, u: string) => ({ type: 'uri', label, uri: u });
  const pb = (label: string, data: string, displayText?: string) => ({
    type: 'postback',
    label,
    data,
    ...(displayText ? { displayText } : {}),
  });
  return [
    {
      type: 'text',
      text: '友だち追加ありがとうございます$\n千葉市の公式アカウントです。\n会員登録はこちら: https://liff.line.me/2000000000-AbCdEfGh/register\nホームページ: https://www.city.chiba.jp/',
      emojis: [{ index: 15, productId: '5ac1bfd5040ab15980c9b435', emojiId: '001' }],
    },
    {
      type: 'template',
      altText: 'ごみ分別',
      template: {
        type: 'buttons',
        thumbnailImageUrl: img(1040, 688, 'ごみ分別', '#2e8b57'),
        title: 'ごみの分別',
        text: '知りたい項目を選んでください',
        actions: [
          { type: 'message', label: '収集日を調べる', text: '収集日' },
          pb('分別方法', 'action=sort', '分別方法'),
          { type: 'datetimepicker', label: '日付を指定', data: 'action=date', mode: 'date' },
          uri('詳しく見る', 'https://www.city.chiba.jp/'),
        ],
      },
    },
    {
      type: 'template',
      altText: '確認',
      template: {
        type: 'confirm',
        text: '通知を受け取りますか？',
        actions: [pb('はい', 'notify=yes', 'はい'), pb('いいえ', 'notify=no', 'いいえ')],
      },
    },
    {
      type: 'template',
      altText: 'イベント',
      template: {
        type: 'carousel',
        columns: [1, 2, 3].map((n) => ({
          thumbnailImageUrl: img(1040, 688, `イベント${n}`, ['#d9534f', '#f0ad4e', '#5bc0de'][n - 1]),
          title: `市民イベント ${n}`,
          text: `${n}月の催し物のご案内`,
          actions: [
            pb('申し込む', `event=${n}`, `イベント${n}に申し込む`),
            uri('地図', 'https://www.openstreetmap.org/'),
          ],
        })),
      },
    },
    {
      type: 'flex',
      altText: '避難所のご案内',
      contents: {
        type: 'bubble',
        hero: {
          type: 'image',
          url: img(1040, 585, '避難所', '#6c5ce7'),
          size: 'full',
          aspectRatio: '20:13',
          aspectMode: 'cover',
        },
        body: {
          type: 'box',
          layout: 'vertical',
          spacing: 'md',
          contents: [
            { type: 'text', text: '千葉市立〇〇小学校', weight: 'bold', size: 'xl' },
            {
              type: 'box',
              layout: 'baseline',
              spacing: 'sm',
              contents: [
                { type: 'text', text: '住所', color: '#aaaaaa', size: 'sm', flex: 1 },
                {
                  type: 'text',
                  text: '千葉市中央区〇〇町1-2-3',
                  wrap: true,
                  color: '#666666',
                  size: 'sm',
                  flex: 4,
                },
              ],
            },
            {
              type: 'box',
              layout: 'baseline',
              spacing: 'sm',
              contents: [
                { type: 'text', text: '状況', color: '#aaaaaa', size: 'sm', flex: 1 },
                { type: 'text', text: '開設中', color: '#06c755', weight: 'bold', size: 'sm', flex: 4 },
              ],
            },
            { type: 'separator' },
            {
              type: 'box',
              layout: 'horizontal',
              contents: [
                { type: 'text', text: '混雑', size: 'sm', color: '#555555' },
                { type: 'filler' },
                { type: 'text', text: 'やや混雑', size: 'sm', align: 'end', color: '#e67e22' },
              ],
            },
          ],
        },
        footer: {
          type: 'box',
          layout: 'vertical',
          spacing: 'sm',
          contents: [
            { type: 'button', style: 'primary', action: uri('地図を開く', 'https://www.openstreetmap.org/') },
            {
              type: 'button',
              style: 'link',
              height: 'sm',
              action: pb('ほかの避難所', 'shelter=more', 'ほかの避難所'),
            },
          ],
        },
      },
    },
    {
      type: 'imagemap',
      baseUrl: '/_mock/imagemap',
      altText: '申請メニュー',
      baseSize: { width: 1040, height: 520 },
      actions: [
        { type: 'message', area: { x: 0, y: 0, width: 520, height: 520 }, text: '住民票', label: '住民票' },
        {
          type: 'uri',
          area: { x: 520, y: 0, width: 520, height: 520 },
          linkUri: 'https://liff.line.me/2000000000-AbCdEfGh/forms/1',
          label: '申請フォーム',
        },
      ],
    },
    { type: 'sticker', packageId: '446', stickerId: '1988' },
    {
      type: 'text',
      text: 'ご用件を選んでください',
      quickReply: {
        items: [
          { type: 'action', action: { type: 'message', label: '粗大ごみ', text: '粗大ごみ' } },
          { type: 'action', action: pb('防災', 'menu=bousai', '防災') },
          { type: 'action', action: { type: 'location', label: '位置情報を送る' } },
          {
            type: 'action',
            action: { type: 'datetimepicker', label: '予約日', data: 'reserve', mode: 'datetime' },
          },
        ],
      },
    },
  ];
}

function richMenu(tab: 'a' | 'b'): Json {
  const other = tab === 'a' ? 'b' : 'a';
  const w = 2500;
  const h = 1686;
  const third = Math.floor(w / 3);
  return {
    richMenuId: `richmenu-${tab}`,
    size: { width: w, height: h },
    selected: true,
    name: `tab ${tab}`,
    chatBarText: 'メニュー',
    areas: [
      {
        bounds: { x: 0, y: 0, width: w / 2, height: 250 },
        action: { type: 'richmenuswitch', richMenuAliasId: 'tab-a', data: 'tab=a', label: 'タブA' },
      },
      {
        bounds: { x: w / 2, y: 0, width: w / 2, height: 250 },
        action: { type: 'richmenuswitch', richMenuAliasId: 'tab-b', data: 'tab=b', label: 'タブB' },
      },
      ...[0, 1, 2].map((i) => ({
        bounds: { x: i * third, y: 250, width: third, height: 718 },
        action:
          i === 0
            ? { type: 'message', text: `${tab.toUpperCase()}: ごみ`, label: 'ごみ' }
            : i === 1
              ? { type: 'uri', uri: `https://liff.line.me/${LIFF_ID}/register`, label: '会員登録' }
              : { type: 'postback', data: `menu=${tab}3`, displayText: '防災情報', label: '防災情報' },
      })),
      ...[0, 1].map((i) => ({
        bounds: { x: i * third, y: 968, width: third, height: 718 },
        action: { type: 'postback', data: `menu=${tab}${i + 4}${other}` },
      })),
      {
        bounds: { x: 2 * third, y: 968, width: third, height: 718 },
        action: { type: 'datetimepicker', data: 'reserve', mode: 'datetime', label: '予約日時' },
      },
    ],
  };
}

function svg(w: number, h: number, body: string): string {
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}" viewBox="0 0 ${w} ${h}">${body}</svg>`;
}

function esc(s: string): string {
  return s.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);
}

function richMenuSvg(tab: string): string {
  const cells = ['ごみ', '会員登録', '防災情報', 'イベント', '子育て', '予約日時'];
  const colors = ['#2e8b57', '#3c78d8', '#e67e22', '#8e44ad', '#e84393', '#16a085'];
  let body = `<rect width="2500" height="1686" fill="#f4f6f9"/>`;
  body += `<rect width="1250" height="250" fill="${tab === 'a' ? '#06c755' : '#cfd6df'}"/><rect x="1250" width="1250" height="250" fill="${tab === 'b' ? '#06c755' : '#cfd6df'}"/>`;
  body += `<text x="625" y="160" font-size="110" text-anchor="middle" fill="#fff" font-family="sans-serif">タブA</text><text x="1875" y="160" font-size="110" text-anchor="middle" fill="#fff" font-family="sans-serif">タブB</text>`;
  cells.forEach((label, i) => {
    const x = (i % 3) * 833 + 20;
    const y = 250 + Math.floor(i / 3) * 718 + 20;
    body += `<rect x="${x}" y="${y}" width="793" height="678" rx="40" fill="${colors[i]}" opacity="${tab === 'a' ? 1 : 0.75}"/>`;
    body += `<text x="${x + 396}" y="${y + 380}" font-size="120" text-anchor="middle" fill="#fff" font-family="sans-serif">${tab === 'b' ? 'B: ' : ''}${label}</text>`;
  });
  return svg(2500, 1686, body);
}

export function mockSimulator(): Plugin {
  let seq = 1;
  const users: MockUser[] = [
    {
      userId: 'Umock0000000000000000000000000001',
      displayName: 'テスト太郎',
      pictureUrl: '',
      follows: { [CHANNEL]: 'following' },
    },
  ];
  const inbox = new Map<string, Json[]>();
  const listeners = new Set<ServerResponse>();
  const emit = (event: Json) => {
    for (const res of listeners)
      res.write(`event: ${String(event.type)}\ndata: ${JSON.stringify(event)}\n\n`);
  };
  const tabs = new Map<string, 'a' | 'b'>();
  const key = (u: string, c: string) => `${u} ${c}`;
  const push = (u: string, c: string, messages: Json[], via = 'reply') => {
    const list = inbox.get(key(u, c)) ?? [];
    for (const message of messages) {
      list.push({ id: String(seq++), at: new Date().toISOString(), via, message });
    }
    inbox.set(key(u, c), list);
    emit({ type: 'delivery', channelId: c, via, userIds: [u] });
  };
  push(users[0]!.userId, CHANNEL, sampleMessages(), 'push');

  const send = (res: ServerResponse, status: number, body: unknown, type = 'application/json') => {
    res.statusCode = status;
    res.setHeader('content-type', type);
    res.end(typeof body === 'string' ? body : JSON.stringify(body));
  };
  const readJson = async (req: IncomingMessage): Promise<Json> => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString('utf8');
    return text ? (JSON.parse(text) as Json) : {};
  };
  const event = () => ({ webhookStatus: 200, event: { timestamp: Date.now() } });

  const middleware = async (req: IncomingMessage, res: ServerResponse, next: () => void) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const p = url.pathname;
    if (p.startsWith('/_mock/img')) {
      const w = Number(url.searchParams.get('w') ?? 400);
      const h = Number(url.searchParams.get('h') ?? 300);
      const label = esc(url.searchParams.get('label') ?? '');
      const bg = esc(url.searchParams.get('bg') ?? '#4f86c6');
      return send(
        res,
        200,
        svg(
          w,
          h,
          `<rect width="${w}" height="${h}" fill="${bg}"/><text x="${w / 2}" y="${h / 2 + h / 16}" font-size="${h / 6}" text-anchor="middle" fill="#fff" font-family="sans-serif">${label}</text>`,
        ),
        'image/svg+xml',
      );
    }
    if (p.startsWith('/_mock/imagemap/')) {
      const body = `<rect width="520" height="520" fill="#0984e3"/><rect x="520" width="520" height="520" fill="#00b894"/><text x="260" y="290" font-size="80" text-anchor="middle" fill="#fff" font-family="sans-serif">住民票</text><text x="780" y="290" font-size="80" text-anchor="middle" fill="#fff" font-family="sans-serif">申請フォーム</text>`;
      return send(res, 200, svg(1040, 520, body), 'image/svg+xml');
    }
    if (p.startsWith('/_mock/richmenu/')) return send(res, 200, richMenuSvg(p.slice(-1)), 'image/svg+xml');
    if (!p.startsWith('/_sim/')) return next();

    const method = req.method ?? 'GET';
    const body = method === 'POST' ? await readJson(req) : {};
    const channelId = String(body.channelId ?? url.searchParams.get('channelId') ?? '');
    if (p === '/_sim/channels') return send(res, 200, channels);
    if (p === '/_sim/events') {
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
      res.write(': connected\n\n');
      listeners.add(res);
      req.on('close', () => listeners.delete(res));
      return;
    }
    if (p === '/_sim/users' && method === 'GET') return send(res, 200, users);
    if (p === '/_sim/users' && method === 'POST') {
      const user: MockUser = {
        userId: `Umock${String(seq++).padStart(28, '0')}`,
        displayName: String(body.displayName ?? 'テスト'),
        pictureUrl: '',
        follows: {},
      };
      users.push(user);
      return send(res, 201, user);
    }
    if (p === '/_sim/liff/open') {
      return send(res, 200, {
        url: `/_mock/img?w=600&h=400&label=${encodeURIComponent(`LIFF ${String(body.path ?? '')}`)}`,
      });
    }
    const m = /^\/_sim\/users\/([^/]+)\/([a-z-]+)$/.exec(p);
    const user = users.find((u) => u.userId === decodeURIComponent(m?.[1] ?? ''));
    if (!m || !user) return send(res, 404, { message: 'user not found' });
    const u = user.userId;
    switch (m[2]) {
      case 'follow':
        user.follows[channelId] = 'following';
        push(u, channelId, [sampleMessages()[0]!]);
        return send(res, 200, event());
      case 'unfollow':
        user.follows[channelId] = 'blocked';
        return send(res, 200, event());
      case 'messages': {
        const msg = body.message as Json;
        if (msg.type === 'text' && msg.text === 'エラー')
          return send(res, 200, { ...event(), webhookStatus: 500 });
        if (msg.type === 'text' && msg.text === 'ローディング') {
          emit({ type: 'loading', channelId, userId: u, seconds: 10 });
          setTimeout(() => push(u, channelId, [{ type: 'text', text: 'お待たせしました。' }], 'push'), 2500);
        } else if (msg.type === 'text' && msg.text === 'サンプル') push(u, channelId, sampleMessages());
        else
          push(u, channelId, [
            { type: 'text', text: `「${String(msg.text ?? msg.type)}」を受け付けました。` },
          ]);
        return send(res, 200, event());
      }
      case 'postback':
        push(u, channelId, [
          {
            type: 'text',
            text: `postback: ${String(body.data)} ${body.params ? JSON.stringify(body.params) : ''}`,
          },
        ]);
        return send(res, 200, event());
      case 'inbox':
        return send(res, 200, { messages: inbox.get(key(u, channelId)) ?? [] });
      case 'richmenu': {
        if (user.follows[channelId] !== 'following') return send(res, 404, { message: 'no rich menu' });
        const tab = tabs.get(u) ?? 'a';
        return send(res, 200, { richMenu: richMenu(tab), imageUrl: `/_mock/richmenu/${tab}` });
      }
      case 'richmenu-tap': {
        const tab = tabs.get(u) ?? 'a';
        const area = (richMenu(tab).areas as { action: Json }[])[Number(body.areaIndex)];
        if (!area) return send(res, 400, { message: 'no such area' });
        const action = area.action;
        if (action.type === 'richmenuswitch') {
          tabs.set(u, action.richMenuAliasId === 'tab-b' ? 'b' : 'a');
          return send(res, 200, { action, webhookStatus: 200 });
        }
        if (action.type === 'uri') return send(res, 200, { action, uri: action.uri });
        const params = body.params ? ` ${JSON.stringify(body.params)}` : '';
        push(u, channelId, [
          { type: 'text', text: `タップ: ${String(action.text ?? action.data)}${params}` },
        ]);
        return send(res, 200, { action, webhookStatus: 200 });
      }
      default:
        return send(res, 404, { message: 'not found' });
    }
  };

  return {
    name: 'madoguchi-mock-sim',
    configureServer(server) {
      server.middlewares.use(middleware);
    },
    configurePreviewServer(server) {
      server.middlewares.use(middleware);
    },
  };
}
