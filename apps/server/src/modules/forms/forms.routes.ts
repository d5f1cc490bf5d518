import type { FastifyRequest } from 'fastify';
import type { Db } from '../../db/database.ts';
import type { Permission } from '../../platform/auth/permissions.ts';
import type { Api } from '../../platform/http/api.ts';
import {
  channelQuery,
  choiceOrderSchema,
  choiceParams,
  choicesAddSchema,
  choiceUpdateSchema,
  formParams,
  formUpdateSchema,
  itemCreateSchema,
  itemOrderSchema,
  itemParams,
  itemUpdateSchema,
} from './forms.schema.ts';
import {
  addChoices,
  addItem,
  getRegistrationForm,
  renameChoice,
  reorderChoices,
  reorderItems,
  requireFormDesigner,
  setChoiceRetiredState,
  setItemRetiredState,
  updateForm,
  updateItem,
} from './forms.service.ts';

// The registration form designer (G-01, G-11): staff with forms.manage add, rename, reorder,
// retire and restore items and choices; every change is in the audit log. Reading the form is also
// open to those who build segments, deliveries, analytics or exports on its items.

const FORM_READERS: readonly Permission[] = [
  'forms.manage',
  'segments.manage',
  'deliveries.create',
  'analytics.view',
  'friends.export',
];

// The registration form needs forms.manage, a survey's form surveys.manage, a booking form
// reservations.manage, a procedure's form procedures.manage: the route lets these through and `designer` (before the handler) checks the
// form's purpose.
const manage = (action: string) =>
  ({
    permission: [
      'forms.manage',
      'surveys.manage',
      'reservations.manage',
      'procedures.manage',
    ] as Permission[],
    audit: { action, targetType: 'form' },
  }) as const;

export function registerFormRoutes(app: Api, deps: { db: Db }): void {
  const { db } = deps;
  const designer = async (request: FastifyRequest) =>
    requireFormDesigner(db, (request.params as { formId: string }).formId, request.staff?.permissions ?? []);

  app.get(
    '/api/forms/registration',
    {
      schema: {
        tags: ['forms'],
        summary: 'チャネルの登録フォーム（受信設定）。なければ空のフォームを作成',
        querystring: channelQuery,
      },
      config: { permission: FORM_READERS },
    },
    async (request) => getRegistrationForm(db, request.query.channelId),
  );

  app.patch(
    '/api/forms/:formId',
    {
      schema: {
        tags: ['forms'],
        summary: 'フォームの題名・説明を変更',
        params: formParams,
        body: formUpdateSchema,
      },
      preHandler: designer,
      config: manage('form.update'),
    },
    async (request) => {
      request.auditTarget = { id: request.params.formId };
      return updateForm(db, request.params.formId, request.body);
    },
  );

  app.post(
    '/api/forms/:formId/items',
    {
      schema: { tags: ['forms'], summary: '項目を追加', params: formParams, body: itemCreateSchema },
      preHandler: designer,
      config: manage('form.item.create'),
    },
    async (request, reply) => {
      request.auditTarget = {
        id: request.params.formId,
        detail: { type: request.body.type, label: request.body.label },
      };
      return reply.status(201).send(await addItem(db, request.params.formId, request.body));
    },
  );

  app.put(
    '/api/forms/:formId/items/order',
    {
      schema: { tags: ['forms'], summary: '項目を並べ替え', params: formParams, body: itemOrderSchema },
      preHandler: designer,
      config: manage('form.item.reorder'),
    },
    async (request) => {
      request.auditTarget = { id: request.params.formId };
      return reorderItems(db, request.params.formId, request.body.itemIds);
    },
  );

  app.patch(
    '/api/forms/:formId/items/:itemId',
    {
      schema: {
        tags: ['forms'],
        summary: '項目の名前・必須・説明・設定を変更',
        params: itemParams,
        body: itemUpdateSchema,
      },
      preHandler: designer,
      config: manage('form.item.update'),
    },
    async (request) => {
      const { formId, itemId } = request.params;
      request.auditTarget = { id: formId, detail: { itemId, ...request.body } };
      return updateItem(db, formId, itemId, request.body);
    },
  );

  for (const [verb, retired] of [
    ['retire', true],
    ['restore', false],
  ] as const) {
    app.post(
      `/api/forms/:formId/items/:itemId/${verb}`,
      {
        schema: {
          tags: ['forms'],
          summary: retired ? '項目を廃止（回答は残ります）' : '廃止した項目を戻す',
          params: itemParams,
        },
        preHandler: designer,
        config: manage(`form.item.${verb}`),
      },
      async (request) => {
        const { formId, itemId } = request.params;
        request.auditTarget = { id: formId, detail: { itemId } };
        return setItemRetiredState(db, formId, itemId, retired);
      },
    );

    app.post(
      `/api/forms/:formId/items/:itemId/choices/:choiceId/${verb}`,
      {
        schema: {
          tags: ['forms'],
          summary: retired ? '選択肢を廃止（回答は残ります）' : '廃止した選択肢を戻す',
          params: choiceParams,
        },
        preHandler: designer,
        config: manage(`form.choice.${verb}`),
      },
      async (request) => {
        const { formId, itemId, choiceId } = request.params;
        request.auditTarget = { id: formId, detail: { itemId, choiceId } };
        return setChoiceRetiredState(db, formId, itemId, choiceId, retired);
      },
    );
  }

  app.post(
    '/api/forms/:formId/items/:itemId/choices',
    {
      schema: {
        tags: ['forms'],
        summary: '選択肢を追加（区・町丁の項目では parentId の区に町丁を追加）',
        params: itemParams,
        body: choicesAddSchema,
      },
      preHandler: designer,
      config: manage('form.choice.create'),
    },
    async (request, reply) => {
      const { formId, itemId } = request.params;
      request.auditTarget = { id: formId, count: request.body.labels.length, detail: { itemId } };
      return reply
        .status(201)
        .send(await addChoices(db, formId, itemId, request.body.labels, request.body.parentId ?? null));
    },
  );

  app.put(
    '/api/forms/:formId/items/:itemId/choices/order',
    {
      schema: {
        tags: ['forms'],
        summary: '選択肢を並べ替え（同じ階層のすべて）',
        params: itemParams,
        body: choiceOrderSchema,
      },
      preHandler: designer,
      config: manage('form.choice.reorder'),
    },
    async (request) => {
      const { formId, itemId } = request.params;
      request.auditTarget = { id: formId, detail: { itemId } };
      return reorderChoices(db, formId, itemId, request.body.choiceIds);
    },
  );

  app.patch(
    '/api/forms/:formId/items/:itemId/choices/:choiceId',
    {
      schema: {
        tags: ['forms'],
        summary: '選択肢の名前を変更',
        params: choiceParams,
        body: choiceUpdateSchema,
      },
      preHandler: designer,
      config: manage('form.choice.update'),
    },
    async (request) => {
      const { formId, itemId, choiceId } = request.params;
      request.auditTarget = { id: formId, detail: { itemId, choiceId, label: request.body.label } };
      return renameChoice(db, formId, itemId, choiceId, request.body.label);
    },
  );
}
