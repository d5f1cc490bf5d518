import type { ConsultationMessage, ConsultationSummary } from '@madoguchi/contracts/consultation.ts';
import type { Db } from '../../db/database.ts';
import type { Cipher } from '../../platform/crypto.ts';
import { AppError, notFound } from '../../platform/errors.ts';
import { isUuid } from '../../platform/http/api.ts';
import type { Realtime } from '../../platform/realtime.ts';
import { findStaffForAssignment } from '../accounts/accounts.service.ts';
import {
  type Actor,
  alreadyAssigned,
  assertNotOthers,
  assertWorksAt,
  consultationClosed,
  isSupervisor,
  worksAt,
} from './consultation-access.ts';
import type { ConsultationKeys } from './consultation-keys.ts';
import { consultationMessages } from './consultation-metrics.ts';
import {
  type ConsultationRow,
  claimConsultation,
  consulteeSeenAt,
  countActiveFor,
  findConsultationRow,
  findConsultee,
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

export interface CounselorRef extends Actor {
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

export function messageView(cipher: Cipher, m: MessageRow): ConsultationMessage<Date> {
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

export function summaryView(c: ConsultationRow, presence: Presence): ConsultationSummary<Date> {
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
    const c = isUuid(id) ? await findConsultationRow(db, id) : undefined;
    if (!c) throw notFound('相談');
    return c;
  }

  /** The consultation, if `who` works at its desk (403 NOT_DESK_MEMBER otherwise). */
  async function loadFor(id: string, who: Actor) {
    const c = await load(id);
    assertWorksAt(await desks.get(c.desk_id), who);
    return c;
  }

  /** Desks this account works at; undefined = every desk (supervisors). */
  async function deskIdsOf(who: Actor) {
    if (isSupervisor(who)) return undefined;
    return (await desks.all()).filter((d) => worksAt(d, who)).map((d) => d.id);
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
        consultationMessages.inc({ sender: m.sender });
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
    loadFor,
    deskIdsOf,

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
      assertWorksAt(await desks.get(c.desk_id), who);
      if (c.status === 'closed') throw consultationClosed();
      if (input.kind === 'note') assertNotOthers(c, who, { supervisorMay: true });
      if (input.kind === 'text') {
        if (c.counselor_id !== who.accountId)
          throw new AppError(
            409,
            'NOT_ASSIGNED',
            c.counselor_id ? 'この相談は他の相談員が対応中です' : '先に「対応する」を押してください',
          );
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
      const c = await loadFor(id, who);
      if (c.status === 'closed') throw consultationClosed();
      if (c.counselor_id && c.counselor_id !== who.accountId) throw alreadyAssigned();
      if (c.counselor_id === who.accountId) return c;
      const desk = await desks.get(c.desk_id);
      if ((await countActiveFor(db, who.accountId)) >= desk.max_concurrent) {
        throw new AppError(409, 'AT_CAPACITY', '同時に対応できる上限に達しています');
      }
      // Compare-and-set: of two counselors pressing 対応する at once, one gets ALREADY_ASSIGNED.
      if (!(await claimConsultation(db, id, who.accountId, null, null))) throw alreadyAssigned();
      await realtime.publish({ t: 'cons', c: id });
      return load(id);
    },

    /**
     * A supervisor takes over a consultation another counselor is handling (the route needs
     * consultation.monitor and is audited as consultation.takeover). The new assignee confirms the
     * history again before replying (C-10); the previous one can no longer reply.
     */
    async takeover(id: string, who: CounselorRef) {
      if (!isSupervisor(who)) throw new AppError(403, 'FORBIDDEN', 'この操作を行う権限がありません');
      const c = await loadFor(id, who);
      if (c.status === 'closed') throw consultationClosed();
      if (c.counselor_id === who.accountId) return { consultation: c, previousCounselorId: null };
      if (!(await claimConsultation(db, id, who.accountId, c.counselor_id, null)))
        throw new AppError(409, 'CONSULTATION_CHANGED', '相談の状態が変わりました。画面を更新してください');
      await realtime.publish({ t: 'cons', c: id });
      return { consultation: await load(id), previousCounselorId: c.counselor_id };
    },

    /**
     * Hands the consultation to another desk and/or counselor. Only its assignee (or, for an
     * unassigned one, anyone at the desk; or a supervisor) may; the destination desk must be on the
     * consultee's LINE channel and the counselor enabled, a counselor, and working at that desk.
     */
    async transfer(
      id: string,
      who: CounselorRef,
      to: { counselorId?: string | undefined; deskId?: string | undefined },
    ) {
      const c = await loadFor(id, who);
      if (c.status === 'closed') throw consultationClosed();
      assertNotOthers(c, who, { supervisorMay: true });
      const desk = await desks.get(to.deskId ?? c.desk_id);
      if (desk.id !== c.desk_id) {
        if (c.consultee_channel_id && desk.channel_id && desk.channel_id !== c.consultee_channel_id)
          throw new AppError(
            409,
            'DESK_OTHER_CHANNEL',
            'この相談者の LINE 公式アカウントとは別のアカウントの窓口には転送できません',
          );
        if (await findOpenConsultation(db, c.consultee_id, desk.id))
          throw new AppError(
            409,
            'CONSULTEE_ALREADY_OPEN',
            'この相談者は転送先の窓口で別の相談を行っています',
          );
      }
      if (to.counselorId) {
        const target = await findStaffForAssignment(db, to.counselorId);
        if (!target) throw new AppError(404, 'COUNSELOR_NOT_FOUND', '転送先の相談員が見つかりません');
        if (target.disabled)
          throw new AppError(409, 'COUNSELOR_DISABLED', '転送先の相談員のアカウントは無効です');
        if (!target.permissions.includes('consultation.handle'))
          throw new AppError(409, 'NOT_A_COUNSELOR', '転送先のアカウントには相談対応の権限がありません');
        if (!worksAt(desk, { accountId: target.id, permissions: target.permissions }))
          throw new AppError(409, 'COUNSELOR_NOT_ON_DESK', '転送先の相談員はこの窓口の担当ではありません');
      }
      try {
        await updateConsultationRow(db, id, {
          ...(desk.id !== c.desk_id ? { desk_id: desk.id } : {}),
          counselor_id: to.counselorId ?? null,
          status: to.counselorId ? 'active' : 'waiting',
          history_confirmed_at: null,
          history_confirmed_by: null,
        });
      } catch (err) {
        // The consultee opened a consultation at the destination desk a moment ago (one open per desk).
        if ((err as { code?: string }).code === '23505')
          throw new AppError(
            409,
            'CONSULTEE_ALREADY_OPEN',
            'この相談者は転送先の窓口で別の相談を行っています',
          );
        throw err;
      }
      await realtime.publish({ t: 'cons', c: id });
      return load(id);
    },

    /** C-10: the counselor confirms having read the consultee's past consultations. */
    async confirmHistory(id: string, who: CounselorRef) {
      const c = await loadFor(id, who);
      // Confirming is the assignee's own step: nobody else can do it for them.
      assertNotOthers(c, who, { supervisorMay: false });
      await updateConsultationRow(db, id, {
        history_confirmed_at: now(),
        history_confirmed_by: who.accountId,
      });
    },

    async history(id: string, who: Actor) {
      const c = await loadFor(id, who);
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
      const c = await loadFor(id, who);
      assertNotOthers(c, who, { supervisorMay: true });
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
      const c = await loadFor(id, who);
      if (c.status === 'closed') return;
      assertNotOthers(c, who, { supervisorMay: true });
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

    /**
     * C-07: a counselor starts a conversation with a past consultee, also out of hours. Only at a desk
     * the counselor works at, only with a consultee they could see (one with a consultation at one of
     * their desks), and never by taking a consultation someone else is handling: that is a takeover
     * (supervisors, POST …/takeover), answered here with 409 ALREADY_ASSIGNED.
     */
    async outreach(
      who: CounselorRef,
      input: { consulteeId: string; deskId: string; text: string; clientId: string },
    ) {
      checkText(input.text);
      const desk = await desks.get(input.deskId);
      assertWorksAt(desk, who);
      const consultee = await findConsultee(db, input.consulteeId);
      if (!consultee || !(await consulteeSeenAt(db, consultee.id, await deskIdsOf(who))))
        throw notFound('相談者');
      if (consultee.channel_id && desk.channel_id && consultee.channel_id !== desk.channel_id)
        throw new AppError(
          409,
          'DESK_OTHER_CHANNEL',
          'この相談者の LINE 公式アカウントとは別のアカウントの窓口からは話しかけられません',
        );
      let id = (await findOpenConsultation(db, consultee.id, desk.id))?.id;
      if (!id) {
        try {
          ({ id } = await insertConsultation(db, {
            deskId: desk.id,
            consulteeId: consultee.id,
            origin: consultee.line_user_id ? 'line' : 'web',
            status: 'active',
            counselorId: who.accountId,
            dataKeyEnc: keys.create().enc,
          }));
        } catch {
          // The consultee opened one at this desk a moment ago (one open consultation per desk).
          id = (await findOpenConsultation(db, consultee.id, desk.id))?.id;
          if (!id) throw new AppError(500, 'CONSULTATION_START_FAILED', '相談を開始できませんでした');
        }
      }
      const c = await load(id);
      if (c.counselor_id && c.counselor_id !== who.accountId) throw alreadyAssigned();
      // The counselor comes from the consultee's history (C-10), so it counts as confirmed.
      if (!(await claimConsultation(db, id, who.accountId, c.counselor_id, now()))) throw alreadyAssigned();
      await realtime.publish({ t: 'cons', c: id });
      await this.counselorMessage(await load(id), who, {
        clientId: input.clientId,
        text: input.text,
        kind: 'text',
      });
      return load(id);
    },

    list: (f: Parameters<typeof listConsultationRows>[1]) => listConsultationRows(db, f),

    /** Whether the consultee has an open consultation at the desk (resuming needs no access code). */
    hasOpen: async (consulteeId: string, deskId: string) =>
      !!(await findOpenConsultation(db, consulteeId, deskId)),
  };
}

export type ConsultationService = ReturnType<typeof createConsultationService>;
