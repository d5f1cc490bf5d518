import { randomBytes } from 'node:crypto';
import type { Config } from '../config.ts';
import type { Db } from '../db/database.ts';
import { findAccountByLoginId } from '../modules/accounts/accounts.repository.ts';
import { createAccount } from '../modules/accounts/accounts.service.ts';
import { findRoleByKey } from '../modules/accounts/roles.repository.ts';
import { createChannelsService } from '../modules/channels/channels.service.ts';
import { DEMO_DISASTER_CONTACT } from '../modules/chatbot/chatbot.service.ts';
import { kickDeliveries } from '../modules/deliveries/delivery-runner.ts';
import { createCipher } from '../platform/crypto.ts';
import type { Jobs } from '../platform/jobs.ts';
import { createLineClients } from '../platform/line/line-clients.ts';
import { seedDemoApplications } from './demo-applications.ts';
import { seedDemoChatbot } from './demo-chatbot.ts';
import { seedDemoDeliveries } from './demo-deliveries.ts';
import { seedDemoDesks } from './demo-desks.ts';
import { seedDemoMailBridge } from './demo-mail-bridge.ts';
import { seedDemoPayments } from './demo-payments.ts';
import { ensureDemoRegistrationForm, seedDemoRegistrations } from './demo-registration.ts';
import { seedDemoReports } from './demo-reports.ts';
import { ensureDemoRichMenu } from './demo-rich-menu.ts';
import { seedDemoShelters } from './demo-shelters.ts';
import { seedDemoSurveys } from './demo-surveys.ts';

// Demo city "デモ市": a production and a test channel, an admin account, and (with the LINE
// simulator) about 50 virtual friends. Safe to run again: it only adds what is missing.

export const DEMO_CHANNELS = [
  {
    name: 'デモ市 公式アカウント',
    lineChannelId: '2000000001',
    environment: 'production',
    loginChannelId: '2000000011',
    liffId: '2000000011-demoCity',
  },
  {
    name: 'デモ市 テスト用アカウント',
    lineChannelId: '2000000002',
    environment: 'test',
    loginChannelId: '2000000012',
    liffId: '2000000012-demoTest',
  },
] as const;

const FAMILY = ['佐藤', '鈴木', '高橋', '田中', '伊藤', '渡辺', '山本', '中村', '小林', '加藤'];
const GIVEN = ['太郎', '花子', '翔太', 'さくら', '健一', '美咲', '大輔', '陽菜', '誠', '由美'];

const secret = () => randomBytes(16).toString('hex');

export interface SeedResult {
  channels: { id: string; name: string; environment: string; webhookUrl: string }[];
  admin: { loginId: string; password: string | null };
  virtualFriends: number;
}

export async function seedDemo(opts: {
  config: Config;
  db: Db;
  simulatorUrl: string | null;
  out: (line: string) => void;
  friends?: number;
  /** The job queue of a server running in this process (`dev`): the demo delivery is sent at once. */
  jobs?: Jobs;
}): Promise<SeedResult> {
  const { config, db } = opts;
  const channels = createChannelsService({
    db,
    cipher: createCipher(config.ENCRYPTION_KEY),
    publicUrl: config.PUBLIC_URL,
  });
  const existing = await channels.list();
  const result: SeedResult = { channels: [], admin: { loginId: 'admin', password: null }, virtualFriends: 0 };

  for (const demo of DEMO_CHANNELS) {
    const found = existing.find((c) => c.lineChannelId === demo.lineChannelId);
    const channel =
      found ??
      (await channels.create({
        name: demo.name,
        lineChannelId: demo.lineChannelId,
        environment: demo.environment,
        channelSecret: secret(),
        accessToken: `demo-${randomBytes(24).toString('base64url')}`,
        loginChannelId: demo.loginChannelId,
        loginChannelSecret: secret(),
        liffId: demo.liffId,
      }));
    result.channels.push({
      id: channel.id,
      name: channel.name,
      environment: channel.environment,
      webhookUrl: channel.webhookUrl,
    });
  }

  const newAdmin = !(await findAccountByLoginId(db, 'admin'));
  if (newAdmin) {
    const role = await findRoleByKey(db, 'admin');
    const password = process.env.DEMO_ADMIN_PASSWORD ?? `Demo-${randomBytes(9).toString('base64url')}`;
    await createAccount(db, {
      loginId: 'admin',
      displayName: 'デモ市 管理者',
      roleId: role!.id,
      password,
      mustChangePassword: false,
    });
    result.admin.password = password;
  }

  // Consultation desks and demo counselors share the admin's first password (printed once).
  for (const line of await seedDemoDesks(db, result.channels[0]!.id, result.admin.password)) opts.out(line);
  // The registration form first, so the virtual friends' follow greeting invites them (G-02).
  for (const line of await ensureDemoRegistrationForm(db, result.channels[0]!.id)) opts.out(line);

  if (opts.simulatorUrl) {
    const sim = simulatorClient(opts.simulatorUrl);
    for (const c of result.channels) {
      const s = (await channels.secrets(c.id))!;
      await sim.post('/_sim/channels', {
        channelId: s.lineChannelId,
        name: c.name,
        channelSecret: s.channelSecret,
        accessToken: s.accessToken,
        webhookUrl: c.webhookUrl,
        loginChannelId: s.loginChannelId,
        loginChannelSecret: s.loginChannelSecret,
        liffApps: s.liffId
          ? [{ liffId: s.liffId, endpointUrl: `${config.PUBLIC_URL.replace(/\/$/, '')}/citizen/?ch=${c.id}` }]
          : [],
      });
    }
    // The production channel's rich menu, created through the Messaging API like a city's own.
    const prod = (await channels.secrets(result.channels[0]!.id))!;
    const line = createLineClients({ api: config.LINE_API_BASE_URL, data: config.LINE_DATA_API_BASE_URL });
    if (await ensureDemoRichMenu(line.messaging(prod), line.blob(prod), prod.liffId))
      opts.out('リッチメニューを設定しました');

    const users = (await sim.get('/_sim/users')) as unknown[];
    const wanted = opts.friends ?? 50;
    const production = DEMO_CHANNELS[0].lineChannelId;
    for (let i = users.length; i < wanted; i++) {
      const displayName = `${FAMILY[i % FAMILY.length]} ${GIVEN[Math.floor(i / FAMILY.length) % GIVEN.length]}`;
      const user = (await sim.post('/_sim/users', { displayName })) as { userId: string };
      await sim.post(`/_sim/users/${user.userId}/follow`, { channelId: production });
      // A few of them block the account again, so the dashboard shows both.
      if (i % 10 === 9) await sim.post(`/_sim/users/${user.userId}/unfollow`, { channelId: production });
      result.virtualFriends++;
    }
  }

  const registered = await seedDemoRegistrations(
    db,
    createCipher(config.ENCRYPTION_KEY),
    result.channels[0]!.id,
  );
  // A saved segment, a delivery sent to it through the real pipeline, and one scheduled (G-04, G-07).
  const { jobs } = opts;
  const deliveryLines = await seedDemoDeliveries({
    db,
    channels,
    channelId: result.channels[0]!.id,
    runNow: jobs ? () => void kickDeliveries(jobs).catch(() => {}) : null,
    tap: opts.simulatorUrl
      ? {
          serverUrl: `http://127.0.0.1:${config.PORT}`,
          simulatorUrl: opts.simulatorUrl,
          lineChannelId: DEMO_CHANNELS[0].lineChannelId,
        }
      : undefined,
  });

  // Shelters in 千葉市中央区 for the LINE and citizen shelter search (X-03 … X-05).
  for (const line of await seedDemoShelters(db)) opts.out(line);
  // The chatbot: the city FAQ, a scenario that branches on the registered ward, a fallback (B-01 … B-04).
  for (const line of await seedDemoChatbot(db, result.channels[0]!.id, {
    contact: config.DISASTER_CONTACT ?? DEMO_DISASTER_CONTACT,
    publicUrl: config.PUBLIC_URL,
  }))
    opts.out(line);

  // A survey and a booking calendar, open (Q-01 … Q-05, V-01 … V-06).
  for (const line of await seedDemoSurveys(db, channels, result.channels[0]!.id, config.ENCRYPTION_KEY))
    opts.out(line);
  // Report types with notification addresses and one report with a photo (R-01 … R-03).
  for (const line of await seedDemoReports({
    db,
    cipher: createCipher(config.ENCRYPTION_KEY),
    channels,
    config,
    channelId: result.channels[0]!.id,
  }))
    opts.out(line);
  // スマホ市役所: 住民票の写し and 印鑑登録証明書 (A-03; the fees are demo values).
  for (const line of await seedDemoApplications(
    db,
    createCipher(config.ENCRYPTION_KEY),
    channels,
    result.channels[0]!.id,
  ))
    opts.out(line);
  // The disaster mail bridge: a receiving address and a rule by 区 (issue 14).
  for (const line of await seedDemoMailBridge(
    db,
    createCipher(config.ENCRYPTION_KEY),
    result.channels[0]!.id,
  ))
    opts.out(line);

  // Two paid payments, one refunded, through the Stripe stand-in (A-02, issue 15).
  for (const line of await seedDemoPayments({
    db,
    cipher: createCipher(config.ENCRYPTION_KEY),
    config,
    simulatorUrl: opts.simulatorUrl,
    adminId: (await findAccountByLoginId(db, 'admin'))?.id ?? null,
  }))
    opts.out(line);

  opts.out(`デモ市のチャネル: ${result.channels.map((c) => `${c.name} (${c.environment})`).join(', ')}`);
  if (result.admin.password) {
    opts.out(
      `管理者アカウント（この表示は一度だけです）: ログインID admin / パスワード ${result.admin.password}`,
    );
    opts.out('相談員 counselor1・スーパーバイザー supervisor1 のパスワードも同じです');
  } else {
    opts.out(
      '管理者 admin のパスワードは最初の起動時に表示しました。忘れたときは、npm start を止めて npx madoguchi account reset-password --login-id admin --demo を実行し、新しいパスワードを入力してください',
    );
  }
  if (result.virtualFriends) opts.out(`仮想の友だち ${result.virtualFriends} 人を追加しました`);
  if (registered) opts.out(`仮想の友だち ${registered} 人の受信設定（属性）を登録しました`);
  for (const line of deliveryLines) opts.out(line);
  return result;
}

function simulatorClient(base: string) {
  const call = async (method: string, path: string, body?: unknown) => {
    const response = await fetch(new URL(path, base), {
      method,
      headers: body ? { 'content-type': 'application/json' } : {},
      body: body ? JSON.stringify(body) : null,
    });
    if (!response.ok)
      throw new Error(`simulator ${method} ${path}: ${response.status} ${await response.text()}`);
    return response.json() as Promise<unknown>;
  };
  return { get: (p: string) => call('GET', p), post: (p: string, b: unknown) => call('POST', p, b) };
}
