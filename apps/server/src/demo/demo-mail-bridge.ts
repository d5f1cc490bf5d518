import { mailRuleDefinitionSchema } from '@madoguchi/contracts/mail-bridge.schema.ts';
import type { MailRuleDefinition } from '@madoguchi/contracts/mail-bridge.ts';
import type { Db } from '../db/database.ts';
import { findActiveRegistrationForm } from '../modules/forms/forms.service.ts';
import { addressViews, createAddress, createRule } from '../modules/mail-bridge/mail-bridge.service.ts';
import type { Cipher } from '../platform/crypto.ts';

// The demo's disaster mail bridge (issue 14): one receiving address for the city's 安全・安心メール and
// one rule — the 区 named in the mail picks the friends registered there, the footer after ──── is cut,
// a fixed line appended, 「緊急」 sends to everyone. `npm start` prints the SMTP port to send to.

export const DEMO_MAIL_ADDRESS = 'bousai@demo-city.example.jp';

export async function seedDemoMailBridge(db: Db, cipher: Cipher, channelId: string): Promise<string[]> {
  if ((await addressViews(db, channelId)).some((a) => a.address === DEMO_MAIL_ADDRESS)) return [];
  const address = await createAddress(db, cipher, {
    channelId,
    address: DEMO_MAIL_ADDRESS,
    allowedSenders: ['@demo-city.example.jp'],
    maxBytes: 10 * 1024 * 1024,
    enabled: true,
    requireAuth: false,
  });
  const area = (await findActiveRegistrationForm(db, channelId))?.items.find((i) => i.type === 'area');
  const definition: MailRuleDefinition = mailRuleDefinitionSchema.parse({
    conditions: [{ field: 'subject', op: 'contains', value: '安全・安心メール' }],
    cutFrom: ['────'],
    appendText: '※デモ市の安全・安心メールからの自動配信です。',
    audience: area
      ? {
          kind: 'fromMail',
          itemId: area.id,
          choiceIds: area.choices.filter((c) => c.parentId === null).map((c) => c.id),
          whenNone: 'all',
        }
      : { kind: 'all' },
    urgentKeywords: ['緊急'],
  });
  await createRule(db, {
    addressId: address.id,
    name: '安全・安心メール（区ごと・緊急は全員）',
    enabled: true,
    definition,
  });
  return [
    `防災メールの受信アドレス ${DEMO_MAIL_ADDRESS}（差出人 @demo-city.example.jp）とルールを登録しました`,
  ];
}
