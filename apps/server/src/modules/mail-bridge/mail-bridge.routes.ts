import {
  addressQuery,
  channelQuery,
  idParams,
  mailAddressCreateSchema,
  mailAddressUpdateSchema,
  mailMessageListQuery,
  mailRuleCreateSchema,
  mailRuleOrderSchema,
  mailRuleUpdateSchema,
  mailTestSchema,
} from '@madoguchi/contracts/mail-bridge.schema.ts';
import type { Db } from '../../db/database.ts';
import type { Cipher } from '../../platform/crypto.ts';
import { forbidden } from '../../platform/errors.ts';
import type { Api } from '../../platform/http/api.ts';
import type { ChannelsService } from '../channels/channels.service.ts';
import {
  addressViews,
  changeAddress,
  changeRule,
  createAddress,
  createRule,
  type MailBridge,
  messageViews,
  oneMessageView,
  orderRules,
  removeAddress,
  removeRule,
  requireAddress,
  requireMessage,
  requireRule,
  ruleViews,
} from './mail-bridge.service.ts';

// The mail bridge for staff (issue 14), all behind mailbridge.manage: receiving addresses and who
// may send to them, the ordered rules, the test panel (nothing sent), the received mails with their
// outcome and the replay of one (a new delivery: deliveries.send too). Every change is audited.

const manage = (action: string, targetType = 'mail-address') =>
  ({ permission: 'mailbridge.manage', audit: { action, targetType } }) as const;
const tags = ['mail-bridge'];

export function registerMailBridgeRoutes(
  app: Api,
  deps: { db: Db; cipher: Cipher; channels: ChannelsService; bridge: MailBridge },
): void {
  const { db, cipher, channels, bridge } = deps;

  app.get(
    '/api/mail-bridge/addresses',
    {
      schema: { tags, summary: '受信アドレスの一覧', querystring: channelQuery },
      config: { permission: 'mailbridge.manage' },
    },
    async (request) => {
      await channels.get(request.query.channelId);
      return addressViews(db, request.query.channelId);
    },
  );

  app.post(
    '/api/mail-bridge/addresses',
    {
      schema: { tags, summary: '受信アドレスを登録', body: mailAddressCreateSchema },
      config: manage('mailbridge.address.create'),
    },
    async (request, reply) => {
      await channels.get(request.body.channelId);
      const view = await createAddress(db, cipher, request.body);
      request.auditTarget = {
        id: view.id,
        detail: {
          address: view.address,
          senders: view.allowedSenders.length,
          requireAuth: view.requireAuth,
          imapHost: view.imap?.host ?? null,
        },
      };
      return reply.status(201).send(view);
    },
  );

  app.patch(
    '/api/mail-bridge/addresses/:id',
    {
      schema: {
        tags,
        summary: '受信アドレス（差出人・サイズ・受付）を変更',
        params: idParams,
        body: mailAddressUpdateSchema,
      },
      config: manage('mailbridge.address.update'),
    },
    async (request) => {
      const view = await changeAddress(db, cipher, request.params.id, request.body);
      // The IMAP password never goes into the audit log: only whether it was changed.
      const { imap, ...rest } = request.body;
      request.auditTarget = {
        id: view.id,
        detail: {
          ...rest,
          ...(imap !== undefined
            ? { imap: imap && { ...imap, password: imap.password ? '(changed)' : undefined } }
            : {}),
        },
      };
      return view;
    },
  );

  app.delete(
    '/api/mail-bridge/addresses/:id',
    {
      schema: { tags, summary: '受信アドレスを削除（ルール・受信メールも）', params: idParams },
      config: manage('mailbridge.address.delete'),
    },
    async (request, reply) => {
      const row = await requireAddress(db, request.params.id);
      await removeAddress(db, row.id);
      request.auditTarget = { id: row.id, detail: { address: row.address } };
      return reply.status(204).send();
    },
  );

  app.get(
    '/api/mail-bridge/rules',
    {
      schema: { tags, summary: '受信アドレスのルール（順番どおり）', querystring: addressQuery },
      config: { permission: 'mailbridge.manage' },
    },
    async (request) => {
      await requireAddress(db, request.query.addressId);
      return ruleViews(db, request.query.addressId);
    },
  );

  app.post(
    '/api/mail-bridge/rules',
    {
      schema: { tags, summary: 'ルールを追加（最後に）', body: mailRuleCreateSchema },
      config: manage('mailbridge.rule.create', 'mail-rule'),
    },
    async (request, reply) => {
      const view = await createRule(db, request.body);
      request.auditTarget = { id: view.id, detail: { addressId: view.addressId, name: view.name } };
      return reply.status(201).send(view);
    },
  );

  app.put(
    '/api/mail-bridge/rules/order',
    {
      schema: { tags, summary: 'ルールの順番を変更', body: mailRuleOrderSchema },
      config: manage('mailbridge.rule.order', 'mail-rule'),
    },
    async (request) => {
      const views = await orderRules(db, request.body.addressId, request.body.ruleIds);
      request.auditTarget = { id: request.body.addressId, detail: { ruleIds: request.body.ruleIds } };
      return views;
    },
  );

  app.patch(
    '/api/mail-bridge/rules/:id',
    {
      schema: { tags, summary: 'ルールを変更', params: idParams, body: mailRuleUpdateSchema },
      config: manage('mailbridge.rule.update', 'mail-rule'),
    },
    async (request) => {
      const view = await changeRule(db, request.params.id, request.body);
      request.auditTarget = { id: view.id, detail: { name: view.name, enabled: view.enabled } };
      return view;
    },
  );

  app.delete(
    '/api/mail-bridge/rules/:id',
    {
      schema: { tags, summary: 'ルールを削除', params: idParams },
      config: manage('mailbridge.rule.delete', 'mail-rule'),
    },
    async (request, reply) => {
      const row = await requireRule(db, request.params.id);
      await removeRule(db, row.id);
      request.auditTarget = { id: row.id, detail: { name: row.name } };
      return reply.status(204).send();
    },
  );

  app.post(
    '/api/mail-bridge/test',
    {
      schema: {
        tags,
        summary:
          'テスト: 貼り付けたメールか受信メールをルールに通し、LINE の文面と配信先の人数を見る（送信しない）',
        body: mailTestSchema,
      },
      config: manage('mailbridge.test'),
    },
    async (request) => {
      const preview = await bridge.preview(request.body);
      request.auditTarget = {
        id: request.body.addressId,
        detail: { status: preview.status, messageId: request.body.messageId ?? null },
      };
      return preview;
    },
  );

  app.get(
    '/api/mail-bridge/messages',
    {
      schema: {
        tags,
        summary: '受信メールの一覧（状態・配信へのリンク）',
        querystring: mailMessageListQuery,
      },
      config: {
        permission: 'mailbridge.manage',
        audit: { action: 'mailbridge.message.list', targetType: 'mail-address' },
      },
    },
    async (request) => {
      request.auditTarget = { id: request.query.addressId };
      return messageViews(db, cipher, request.query);
    },
  );

  app.get(
    '/api/mail-bridge/messages/:id',
    {
      schema: { tags, summary: '受信メール1件', params: idParams },
      config: {
        permission: 'mailbridge.manage',
        audit: { action: 'mailbridge.message.view', targetType: 'mail-message' },
      },
    },
    async (request) => {
      request.auditTarget = { id: request.params.id };
      return oneMessageView(db, cipher, request.params.id);
    },
  );

  app.post(
    '/api/mail-bridge/messages/:id/replay',
    {
      schema: { tags, summary: '受信メールを今のルールで再処理して配信する（新しい配信）', params: idParams },
      config: manage('mailbridge.message.replay', 'mail-message'),
    },
    async (request) => {
      if (!request.staff?.permissions.includes('deliveries.send')) throw forbidden();
      await requireMessage(db, request.params.id);
      const view = await bridge.replay(request.params.id);
      request.auditTarget = { id: view.id, detail: { status: view.status, deliveryId: view.deliveryId } };
      return view;
    },
  );
}
