import type { Db } from '../../db/database.ts';
import type { Cipher } from '../../platform/crypto.ts';
import { AppError, notFound } from '../../platform/errors.ts';
import type { Realtime } from '../../platform/realtime.ts';
import type { ConsultationKeys } from './consultation-keys.ts';
import {
  type ConsultationRow,
  countActiveFor,
  findConsultationRow,
  findMessageRow,
  findOpenConsultation,
  findRecordRow,
  insertConsultation,
  insertMessageOnce,
  listConsultationRows,
  listMessageRows,
  type MessageRow,
  pastConsultationRows,
  updateConsultationRow,
  upsertRecordRow,
} from './consultations.repository.ts';
import type { DeskCache } from './desk-cache.ts';
import type { DeskRow } from './desks.repository.ts';
import { deskOpen } from './desks.service.ts';
import type { Presence } from './presence.ts';

// The consultation itself (C-01 … C-11): a consultee opens one per desk, messages are stored
// encrypted and fanned out, counselors take it after reading the history, and close it only with
// a complete record.

export const MAX_MESSAGE_LENGTH = 2000;
const OUT_OF_HOURS_REPLY_EVERY_MS = 12 * 3600_000;

export interface CounselorRef {
  accountId: string;
  /** Shown with the counselor's messages in the console (never to consultees). */
  name: string;
  permissions: string[];
}

export interface ConsultationDeps {
  db: Db;
  keys: ConsultationKeys;
  realtime: Realtime;
  presence: Presence;
  desks: DeskCache;
  /** Sends LINE consultees the fixed, content-free notice (C-01). */
  notifyLine: (c: ConsultationRow) => Promise<void>;
  now?: () => Date;
}

export function messageView(cipher: Cipher, m: MessageRow) {
  return {
    id: String(m.id),
    sender: m.sender,
    kind: m.kind,
    text: cipher.decryptBytes(m.body_enc).toString('utf8'),
    createdAt: m.created_at,
    clientId: m.client_id,
    accountName: m.sender === 'counselor' ? m.account_name : null,
  };
}
export type MessageView = ReturnType<typeof messageView>;

export function summaryView(c: ConsultationRow, presence: Presence) {
  return {
    id: c.id,
    deskId: c.desk_id,
    deskName: c.desk_name,
    origin: c.origin,
    status: c.status,
    counselorId: c.counselor_id,
    counselorName: c.counselor_name,
    consulteeId: c.consultee_id,
    consulteeLabel: c.consultee_label,
    openedAt: c.opened_at,
    lastMessageAt: c.last_message_at,
    firstReplyAt: c.first_reply_at,
    closedAt: c.closed_at,
    riskFlagged: c.risk_flagged_at !== null,
    presence: presence.get(c.id),
  };
}

/** Messages are never changed once stored: each process keeps the newest ones it wrote or read. */
const RECENT_MESSAGES = 5000;

export function createConsultationService(deps: ConsultationDeps) {
  const { db, keys, realtime, desks } = deps;
  const recent = new Map<string, MessageView>();
  const remember = (v: MessageView) => {
    if (recent.size >= RECENT_MESSAGES) recent.delete(recent.keys().next().value!);
    recent.set(v.id, v);
    return v;
  };
  // Messages being stored by this process, per consultation: the NOTIFY of a message may arrive
  // before the INSERT's own answer, and then waiting for the answer is cheaper than reading it.
  const storing = new Map<string, Set<Promise<unknown>>>();
  const whileStoring = <T>(consultationId: string, work: Promise<T>): Promise<T> => {
    const set = storing.get(consultationId) ?? new Set();
    storing.set(consultationId, set);
    set.add(work);
    const done = () => {
      set.delete(work);
      if (set.size === 0 && storing.get(consultationId) === set) storing.delete(consultationId);
    };
    work.then(done, done);
    return work;
  };
  const now = deps.now ?? (() => new Date());
  /** Seals text with the consultation's own data key (envelope encryption). */
  const seal = async (consultationId: string, text: string) =>
    (await keys.forConsultation(consultationId)).encryptBytes(Buffer.from(text, 'utf8'));
  const open = async (consultationId: string, sealed: Buffer) =>
    (await keys.forConsultation(consultationId)).decryptBytes(sealed).toString('utf8');
  const view = async (m: MessageRow) => messageView(await keys.forConsultation(m.consultation_id), m);
  const recordValues = async (consultationId: string, sealed: Buffer) =>
    JSON.parse(await open(consultationId, sealed)) as Record<string, string>;

  async function load(id: string) {
    const c = /^[0-9a-f-]{36}$/.test(id) ? await findConsultationRow(db, id) : undefined;
    if (!c) throw notFound('相談');
    return c;
  }

  /**
   * Stores a message (once per clientId) and keeps its view for this process's socket subscribers.
   * `accountName` is the sender's, shown in the console; for a resent message the stored one is read.
   */
  function store(
    m: Omit<Parameters<typeof insertMessageOnce>[1], 'bodyEnc'> & { text: string },
    accountName: string | null,
  ) {
    return whileStoring(
      m.consultationId,
      (async () => {
        const { row, created } = await insertMessageOnce(db, {
          ...m,
          bodyEnc: await seal(m.consultationId, m.text),
        });
        if (!created) return { created, view: await view((await findMessageRow(db, String(row.id)))!) };
        return { created, view: remember(await view({ ...row, account_name: accountName })) };
      })(),
    );
  }

  async function system(consultationId: string, text: string) {
    if (!text.trim()) return;
    await store(
      {
        consultationId,
        sender: 'system',
        kind: 'text',
        accountId: null,
        clientId: null,
        text,
        touch: 'none',
        assignee: null,
      },
      null,
    );
  }

  function checkText(text: string) {
    if (!text.trim()) throw new AppError(400, 'MESSAGE_EMPTY', 'メッセージを入力してください');
    if (text.length > MAX_MESSAGE_LENGTH)
      throw new AppError(400, 'MESSAGE_TOO_LONG', `メッセージは${MAX_MESSAGE_LENGTH}文字以内にしてください`);
  }

  return {
    load,

    /** Opens (or resumes) the consultee's consultation at a desk. */
    async start(desk: DeskRow, consulteeId: string, origin: 'line' | 'web') {
      const open = await findOpenConsultation(db, consulteeId, desk.id);
      if (open) return load(open.id);
      let id: string;
      try {
        ({ id } = await insertConsultation(db, {
          deskId: desk.id,
          consulteeId,
          origin,
          status: 'waiting',
          dataKeyEnc: keys.create().enc,
        }));
      } catch {
        // Two tabs raced: the unique index kept one open consultation.
        const again = await findOpenConsultation(db, consulteeId, desk.id);
        if (!again) throw new AppError(500, 'CONSULTATION_START_FAILED', '相談を開始できませんでした');
        return load(again.id);
      }
      await system(id, desk.greeting);
      await realtime.publish({ t: 'cons', c: id });
      return load(id);
    },

    async messages(consultationId: string, opts: { afterId?: string | null; includeNotes: boolean }) {
      const cipher = await keys.forConsultation(consultationId);
      return (await listMessageRows(db, consultationId, opts)).map((m) => messageView(cipher, m));
    },

    /** A stored message as the console shows it (from this process's recent messages if there). */
    async message(id: string, consultationId: string): Promise<MessageView | null> {
      const pending = storing.get(consultationId);
      if (!recent.has(id) && pending) await Promise.allSettled([...pending]);
      const hit = recent.get(id);
      if (hit) return hit;
      const m = await findMessageRow(db, id);
      return m ? remember(await view(m)) : null;
    },

    /** A consultee's message: stored once per clientId, answered out of hours, checked for risk words. */
    async consulteeMessage(c: ConsultationRow, clientId: string, text: string): Promise<MessageView> {
      checkText(text);
      if (c.status === 'closed') throw new AppError(409, 'CONSULTATION_CLOSED', 'この相談は終了しています');
      const { created, view: stored } = await store(
        {
          consultationId: c.id,
          sender: 'consultee',
          kind: 'text',
          accountId: null,
          clientId,
          text,
          touch: 'last',
          assignee: c.counselor_id,
        },
        null,
      );
      if (created) {
        const desk = await desks.get(c.desk_id);
        const word = desk.risk_words.find((w) => w && text.includes(w));
        if (word) {
          if (!c.risk_flagged_at) await updateConsultationRow(db, c.id, { risk_flagged_at: now() });
          await realtime.publish({ t: 'risk', c: c.id, w: word });
          await realtime.publish({ t: 'cons', c: c.id });
        }
        const at = now();
        const repliedRecently =
          c.out_of_hours_replied_at &&
          at.getTime() - c.out_of_hours_replied_at.getTime() < OUT_OF_HOURS_REPLY_EVERY_MS;
        if (!deskOpen(desk, at) && !repliedRecently && desk.out_of_hours_reply) {
          await updateConsultationRow(db, c.id, { out_of_hours_replied_at: at });
          await system(c.id, desk.out_of_hours_reply);
        }
      }
      return stored;
    },

    /** A counselor's reply or internal note; `c` is the consultation as just loaded. */
    async counselorMessage(
      c: ConsultationRow,
      who: CounselorRef,
      input: { clientId: string; text: string; kind: 'text' | 'note' },
    ) {
      checkText(input.text);
      const id = c.id;
      if (c.status === 'closed') throw new AppError(409, 'CONSULTATION_CLOSED', 'この相談は終了しています');
      if (input.kind === 'text') {
        if (c.counselor_id !== who.accountId)
          throw new AppError(409, 'NOT_ASSIGNED', '先に「対応する」を押してください');
        if (!c.history_confirmed_at)
          throw new AppError(409, 'HISTORY_NOT_CONFIRMED', '先に過去の相談履歴を確認してください');
      }
      const { created, view: stored } = await store(
        {
          consultationId: id,
          sender: 'counselor',
          kind: input.kind,
          accountId: who.accountId,
          clientId: input.clientId,
          text: input.text,
          touch: input.kind === 'text' ? 'reply' : 'none',
          assignee: c.counselor_id,
        },
        who.name,
      );
      // A resent request is answered with the message stored the first time, and nothing else happens.
      if (created && input.kind === 'text' && c.origin === 'line' && !deps.presence.get(id).online)
        await deps.notifyLine(c);
      return stored;
    },

    async assign(id: string, who: CounselorRef) {
      const c = await load(id);
      if (c.status === 'closed') throw new AppError(409, 'CONSULTATION_CLOSED', 'この相談は終了しています');
      if (c.counselor_id && c.counselor_id !== who.accountId)
        throw new AppError(409, 'ALREADY_ASSIGNED', '他の相談員が対応中です');
      if (c.counselor_id === who.accountId) return c;
      const desk = await desks.get(c.desk_id);
      if ((await countActiveFor(db, who.accountId)) >= desk.max_concurrent) {
        throw new AppError(409, 'AT_CAPACITY', '同時に対応できる上限に達しています');
      }
      await updateConsultationRow(db, id, {
        counselor_id: who.accountId,
        status: 'active',
        history_confirmed_at: null,
        history_confirmed_by: null,
      });
      await realtime.publish({ t: 'cons', c: id });
      return load(id);
    },

    async transfer(id: string, to: { counselorId?: string | undefined; deskId?: string | undefined }) {
      const c = await load(id);
      if (c.status === 'closed') throw new AppError(409, 'CONSULTATION_CLOSED', 'この相談は終了しています');
      if (to.deskId) await desks.get(to.deskId);
      await updateConsultationRow(db, id, {
        ...(to.deskId ? { desk_id: to.deskId } : {}),
        counselor_id: to.counselorId ?? null,
        status: to.counselorId ? 'active' : 'waiting',
        history_confirmed_at: null,
        history_confirmed_by: null,
      });
      await realtime.publish({ t: 'cons', c: id });
      return load(id);
    },

    /** C-10: the counselor confirms having read the consultee's past consultations. */
    async confirmHistory(id: string, who: CounselorRef) {
      await load(id);
      await updateConsultationRow(db, id, {
        history_confirmed_at: now(),
        history_confirmed_by: who.accountId,
      });
    },

    async history(id: string) {
      const c = await load(id);
      const past = await pastConsultationRows(db, c.consultee_id, id);
      return Promise.all(
        past.map(async (p) => {
          const record = await findRecordRow(db, p.id);
          return {
            id: p.id,
            deskName: p.desk_name,
            openedAt: p.opened_at,
            closedAt: p.closed_at,
            counselorName: p.counselor_name,
            record: record ? { values: await recordValues(p.id, record.values_enc) } : null,
            messages: await Promise.all((await listMessageRows(db, p.id, { includeNotes: true })).map(view)),
          };
        }),
      );
    },

    async pastCount(c: ConsultationRow) {
      return (await pastConsultationRows(db, c.consultee_id, c.id)).length;
    },

    async record(id: string) {
      const r = await findRecordRow(db, id);
      return r
        ? {
            values: await recordValues(id, r.values_enc),
            completedAt: null as Date | null,
            missingReason: r.missing_reason,
          }
        : null;
    },

    async saveRecord(id: string, who: CounselorRef, values: Record<string, string>) {
      const c = await load(id);
      const desk = await desks.get(c.desk_id);
      const known = new Set(desk.record_fields.map((f) => f.key));
      const unknown = Object.keys(values).filter((k) => !known.has(k));
      if (unknown.length)
        throw new AppError(400, 'UNKNOWN_RECORD_FIELD', `記録にない項目です: ${unknown.join(', ')}`);
      for (const f of desk.record_fields) {
        const v = values[f.key];
        if (v && f.type === 'select' && f.options && !f.options.includes(v)) {
          throw new AppError(400, 'VALIDATION_FAILED', '入力内容に誤りがあります', [
            { path: f.key, message: `${f.label}は選択肢から選んでください` },
          ]);
        }
      }
      await upsertRecordRow(db, id, await seal(id, JSON.stringify(values)), who.accountId);
      return {
        values,
        missing: desk.record_fields.filter((f) => f.required && !values[f.key]?.trim()).map((f) => f.key),
      };
    },

    /** C-11: closing is refused while required record fields are empty (unless the desk allows a reason). */
    async close(id: string, who: CounselorRef, missingReason?: string) {
      const c = await load(id);
      if (c.status === 'closed') return;
      const desk = await desks.get(c.desk_id);
      const record = await findRecordRow(db, id);
      const values = record ? await recordValues(id, record.values_enc) : {};
      const missing = desk.record_fields.filter((f) => f.required && !values[f.key]?.trim());
      if (missing.length && !(desk.allow_incomplete_records && missingReason?.trim())) {
        throw new AppError(
          422,
          'RECORD_INCOMPLETE',
          `記録の入力漏れがあります: ${missing.map((f) => f.label).join('、')}`,
          missing.map((f) => ({ path: f.key, message: f.label })),
        );
      }
      if (missing.length)
        await upsertRecordRow(
          db,
          id,
          await seal(id, JSON.stringify(values)),
          who.accountId,
          missingReason!.trim(),
        );
      await updateConsultationRow(db, id, { status: 'closed', closed_at: now(), closed_by: 'counselor' });
      await realtime.publish({ t: 'cons', c: id });
    },

    async endByConsultee(c: ConsultationRow) {
      if (c.status === 'closed') return;
      await system(c.id, '相談者が相談を終了しました。');
      await updateConsultationRow(db, c.id, {
        status: c.counselor_id ? c.status : 'closed',
        ...(c.counselor_id ? {} : { closed_at: now(), closed_by: 'consultee' }),
      });
      await realtime.publish({ t: 'cons', c: c.id });
    },

    /** C-07: a counselor starts a conversation with a past consultee, also out of hours. */
    async outreach(
      who: CounselorRef,
      input: { consulteeId: string; deskId: string; text: string; clientId: string },
    ) {
      checkText(input.text);
      const desk = await desks.get(input.deskId);
      const open = await findOpenConsultation(db, input.consulteeId, desk.id);
      const consultee = await db
        .selectFrom('consultees')
        .select(['id', 'line_user_id'])
        .where('id', '=', input.consulteeId)
        .executeTakeFirst();
      if (!consultee) throw notFound('相談者');
      const id =
        open?.id ??
        (
          await insertConsultation(db, {
            deskId: desk.id,
            consulteeId: consultee.id,
            origin: consultee.line_user_id ? 'line' : 'web',
            status: 'active',
            counselorId: who.accountId,
            dataKeyEnc: keys.create().enc,
          })
        ).id;
      await updateConsultationRow(db, id, {
        counselor_id: who.accountId,
        status: 'active',
        history_confirmed_at: now(),
        history_confirmed_by: who.accountId,
      });
      await realtime.publish({ t: 'cons', c: id });
      await this.counselorMessage(await load(id), who, {
        clientId: input.clientId,
        text: input.text,
        kind: 'text',
      });
      return load(id);
    },

    list: (f: Parameters<typeof listConsultationRows>[1]) => listConsultationRows(db, f),
  };
}

export type ConsultationService = ReturnType<typeof createConsultationService>;
