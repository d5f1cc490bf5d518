import type {
  MailAddressCreate,
  MailAddressUpdate,
  MailImapInput,
  MailRuleCreate,
  MailRuleUpdate,
  MailTest,
} from '@madoguchi/contracts/mail-bridge.schema.ts';
import type {
  MailAddressView,
  MailMessageView,
  MailPreview,
  MailRuleDefinition,
  MailRuleView,
} from '@madoguchi/contracts/mail-bridge.ts';
import type { Transaction } from 'kysely';
import type { Db } from '../../db/database.ts';
import type { Database, MailMessageStatus } from '../../db/schema.ts';
import type { Cipher } from '../../platform/crypto.ts';
import { AppError, conflict, notFound } from '../../platform/errors.ts';
import type { Audience } from '../deliveries/deliveries.schema.ts';
import { countRecipients, insertMailDelivery } from '../deliveries/deliveries.service.ts';
import { findActiveRegistrationForm } from '../forms/forms.service.ts';
import { RegexTimeoutError } from './bounded-regex.ts';
import {
  countFailedAttempt,
  deleteAddress,
  deleteRule,
  findAddress,
  findMessage,
  findRule,
  insertAddress,
  insertRule,
  listAddresses,
  listMessages,
  listRules,
  lockDueMessage,
  lockMessage,
  type MailAddressRow,
  type MailMessageRow,
  type MailRuleRow,
  reorderRules,
  setDisasterResult,
  setOutcome,
  updateAddress,
  updateRule,
} from './mail-bridge.repository.ts';
import { type ParseResult, parseMail } from './mail-parse.ts';
import {
  type ChoiceLabel,
  evaluateRules,
  type RuleInput,
  type RuleOutcome,
  regexProblems,
} from './mail-rules.ts';

// The mail bridge's services (issue 14): addresses and their ordered rules, processing a stored
// mail (parse → rules → a delivery through the deliveries pipeline, in one transaction with the
// mail's status), replaying one, and the test panel (the same evaluation, nothing written).

export interface MailBridgeDeps {
  db: Db;
  cipher: Cipher;
  /** First wait before retrying a mail whose processing threw (then ×4; 3 attempts in all). */
  retryBaseMs: number;
  /** Wakes the delivery runner (after the commit of a mail delivery). */
  wakeDeliveries(): void;
  /** switches the channel to the disaster group; answers what happened (for the mail's row). */
  switchDisaster(channelId: string, groupId: string, mailMessageId: string): Promise<string>;
  log: { warn(o: unknown, m?: string): void; error(o: unknown, m?: string): void };
}

// ---- views ----

export const addressView = (r: MailAddressRow): MailAddressView<Date> => ({
  id: r.id,
  channelId: r.channel_id,
  address: r.address,
  allowedSenders: r.allowed_senders,
  maxBytes: r.max_bytes,
  enabled: r.enabled,
  requireAuth: r.require_auth,
  imap: r.imap_host
    ? {
        host: r.imap_host,
        port: r.imap_port ?? 993,
        tls: r.imap_tls,
        user: r.imap_user ?? '',
        passwordSet: r.imap_password_enc !== null,
        mailbox: r.imap_mailbox,
        intervalSeconds: r.imap_interval_s,
        polledAt: r.imap_polled_at,
        error: r.imap_error,
      }
    : null,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

export const ruleView = (r: MailRuleRow): MailRuleView<Date> => ({
  id: r.id,
  addressId: r.address_id,
  position: r.position,
  name: r.name,
  enabled: r.enabled,
  definition: r.definition as MailRuleDefinition,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

function messageView(cipher: Cipher, r: MailMessageRow): MailMessageView<Date> {
  let subject = '';
  if (r.subject_enc) {
    try {
      subject = cipher.decrypt(r.subject_enc);
    } catch {
      subject = '（復号できません）';
    }
  }
  return {
    id: r.id,
    addressId: r.address_id,
    recipient: r.recipient,
    from: r.from_address,
    messageId: r.message_id,
    subject,
    sizeBytes: r.size_bytes,
    spf: r.spf,
    dkim: r.dkim,
    dmarc: r.dmarc,
    authDetail: r.auth_detail,
    attempts: r.attempts,
    nextAttemptAt: r.next_attempt_at,
    refusedCount: r.refused_count,
    status: r.status,
    statusReason: r.status_reason,
    duplicateOf: r.duplicate_of,
    ruleId: r.rule_id,
    deliveryId: r.delivery_id,
    disasterResult: r.disaster_result,
    receivedAt: r.received_at,
    processedAt: r.processed_at,
  };
}

// ---- addresses ----

export async function requireAddress(db: Db, id: string) {
  const row = await findAddress(db, id);
  if (!row) throw notFound('受信アドレス');
  return row;
}

/** The IMAP columns of an address from the API's input (the password sealed; omitted: kept). */
function imapColumns(cipher: Cipher, imap: MailImapInput | null | undefined, current?: MailAddressRow) {
  if (imap === undefined) return {};
  if (imap === null)
    return { imap_host: null, imap_port: null, imap_user: null, imap_password_enc: null, imap_error: null };
  const passwordEnc = imap.password ? cipher.encrypt(imap.password) : (current?.imap_password_enc ?? null);
  if (!passwordEnc)
    throw new AppError(400, 'MAIL_IMAP_PASSWORD_REQUIRED', 'IMAP のパスワードを入力してください', [
      { path: 'imap.password', message: 'パスワードを入力してください' },
    ]);
  return {
    imap_host: imap.host,
    imap_port: imap.port,
    imap_tls: imap.tls,
    imap_user: imap.user,
    imap_password_enc: passwordEnc,
    imap_mailbox: imap.mailbox,
    imap_interval_s: imap.intervalSeconds,
    imap_error: null,
  };
}

export async function createAddress(db: Db, cipher: Cipher, input: MailAddressCreate) {
  const row = await insertAddress(db, {
    channel_id: input.channelId,
    address: input.address,
    allowed_senders: [...new Set(input.allowedSenders)],
    max_bytes: input.maxBytes,
    enabled: input.enabled,
    require_auth: input.requireAuth,
    ...imapColumns(cipher, input.imap),
  });
  if (!row) throw conflict('MAIL_ADDRESS_TAKEN', 'この受信アドレスはすでに登録されています');
  return addressView(row);
}

export async function changeAddress(db: Db, cipher: Cipher, id: string, input: MailAddressUpdate) {
  const current = await requireAddress(db, id);
  const row = await updateAddress(db, id, {
    ...(input.allowedSenders ? { allowed_senders: [...new Set(input.allowedSenders)] } : {}),
    ...(input.maxBytes !== undefined ? { max_bytes: input.maxBytes } : {}),
    ...(input.enabled !== undefined ? { enabled: input.enabled } : {}),
    ...(input.requireAuth !== undefined ? { require_auth: input.requireAuth } : {}),
    ...imapColumns(cipher, input.imap, current),
  });
  return addressView(row!);
}

export async function removeAddress(db: Db, id: string) {
  await requireAddress(db, id);
  await deleteAddress(db, id);
}

export const addressViews = async (db: Db, channelId: string) =>
  (await listAddresses(db, channelId)).map(addressView);

// ---- rules ----

function checkRegexes(definition: MailRuleDefinition, base = 'definition') {
  const problems = regexProblems(definition, base);
  if (problems.length > 0) {
    throw new AppError(400, 'MAIL_RULE_REGEX_INVALID', problems[0]!.message, problems);
  }
}

export async function requireRule(db: Db, id: string) {
  const row = await findRule(db, id);
  if (!row) throw notFound('ルール');
  return row;
}

export async function createRule(db: Db, input: MailRuleCreate) {
  await requireAddress(db, input.addressId);
  checkRegexes(input.definition);
  const rows = await listRules(db, input.addressId);
  if (rows.length >= 50)
    throw new AppError(400, 'MAIL_RULES_TOO_MANY', 'ルールは1つのアドレスに50件までです');
  return ruleView(await insertRule(db, input));
}

export async function changeRule(db: Db, id: string, input: MailRuleUpdate) {
  await requireRule(db, id);
  if (input.definition) checkRegexes(input.definition);
  return ruleView((await updateRule(db, id, input))!);
}

export async function removeRule(db: Db, id: string) {
  await requireRule(db, id);
  await deleteRule(db, id);
}

export const ruleViews = async (db: Db, addressId: string) => (await listRules(db, addressId)).map(ruleView);

export async function orderRules(db: Db, addressId: string, ruleIds: string[]) {
  await requireAddress(db, addressId);
  const current = (await listRules(db, addressId)).map((r) => r.id);
  if (
    current.length !== ruleIds.length ||
    new Set(ruleIds).size !== ruleIds.length ||
    !ruleIds.every((id) => current.includes(id))
  ) {
    throw new AppError(
      400,
      'MAIL_RULE_ORDER_INVALID',
      'このアドレスのルールをすべて、重複なく並べてください',
      [{ path: 'ruleIds', message: 'ルールの一覧が一致しません' }],
    );
  }
  await db.transaction().execute((trx) => reorderRules(trx, addressId, ruleIds));
  return ruleViews(db, addressId);
}

// ---- messages ----

export async function messageViews(
  db: Db,
  cipher: Cipher,
  q: { addressId: string; status?: MailMessageStatus | undefined; limit: number },
) {
  await requireAddress(db, q.addressId);
  return (await listMessages(db, q)).map((r) => messageView(cipher, r));
}

export async function requireMessage(db: Db, id: string) {
  const row = await findMessage(db, id);
  if (!row) throw notFound('受信メール');
  return row;
}

export const oneMessageView = async (db: Db, cipher: Cipher, id: string) =>
  messageView(cipher, await requireMessage(db, id));

// ---- evaluation ----

/** The registration item's choices by item (for audiences chosen from the mail's content). */
async function choiceCatalog(db: Db, channelId: string): Promise<(itemId: string) => ChoiceLabel[]> {
  const form = await findActiveRegistrationForm(db, channelId);
  return (itemId) =>
    (form?.items.find((i) => i.id === itemId)?.choices ?? [])
      .filter((c) => !c.retired)
      .map((c) => ({ id: c.id, label: c.label }));
}

const ruleInputs = (rows: MailRuleRow[]): RuleInput[] =>
  rows
    .filter((r) => r.enabled)
    .map((r) => ({ id: r.id, name: r.name, definition: r.definition as MailRuleDefinition }));

function deliveryAudience(outcome: Extract<RuleOutcome, { kind: 'matched' }>): Audience | null {
  const a = outcome.audience;
  if (!a) return null;
  if (a.kind === 'all') return { kind: 'all' };
  return {
    kind: 'tree',
    tree: { type: 'choice', itemId: a.itemId, choiceIds: a.choices.map((c) => c.id), match: 'any' },
  };
}

interface Evaluation {
  parsed: ParseResult;
  outcome: RuleOutcome | null;
  /** A regex ran out of time (the mail fails). */
  failure: string | null;
}

async function evaluate(
  db: Db,
  address: MailAddressRow,
  raw: Buffer,
  rules: RuleInput[],
): Promise<Evaluation> {
  const parsed = await parseMail(raw);
  if (!parsed.ok) return { parsed, outcome: null, failure: null };
  const choicesOf = await choiceCatalog(db, address.channel_id);
  try {
    return { parsed, outcome: evaluateRules(parsed.mail, rules, choicesOf), failure: null };
  } catch (err) {
    if (err instanceof RegexTimeoutError) return { parsed, outcome: null, failure: err.message };
    throw err;
  }
}

function openRaw(cipher: Cipher, row: MailMessageRow): Buffer {
  if (!row.raw_enc)
    throw new AppError(409, 'MAIL_NO_RAW', 'このメールは本文を保存していません（拒否・重複のため）');
  return cipher.decryptBytes(row.raw_enc);
}

export function createMailBridge(deps: MailBridgeDeps) {
  const { db, cipher } = deps;

  /**
   * Processes one stored mail (new, or replayed) in the caller's transaction, which holds the mail's
   * row locked: the delivery and the mail's outcome commit together. What to do after the commit
   * (wake the runner, switch disaster mode, which calls LINE) is answered.
   */
  async function processRow(
    trx: Transaction<Database>,
    row: MailMessageRow,
    address: MailAddressRow,
    replay: boolean,
  ): Promise<{ deliveryId: string | null; disasterGroupId: string | null }> {
    const raw = openRaw(cipher, row);
    const ev = await evaluate(db, address, raw, ruleInputs(await listRules(trx, address.id)));
    const none = { deliveryId: null, disasterGroupId: null };
    if (!ev.parsed.ok) {
      await setOutcome(trx, row.id, { status: 'parse_failed', reason: ev.parsed.reason });
      return none;
    }
    const subjectEnc = cipher.encrypt(ev.parsed.mail.subject);
    if (ev.failure || !ev.outcome) {
      await setOutcome(trx, row.id, { status: 'failed', reason: ev.failure, subjectEnc });
      return none;
    }
    const outcome = ev.outcome;
    if (outcome.kind === 'unmatched') {
      await setOutcome(trx, row.id, {
        status: 'unmatched',
        reason: outcome.reason,
        ruleId: null,
        subjectEnc,
      });
      return none;
    }
    const audience = deliveryAudience(outcome);
    if (!audience) {
      await setOutcome(trx, row.id, {
        status: 'unmatched',
        reason: `ルール「${outcome.rule.name}」: 配信先の属性の値がメールにありません（配信しません）`,
        ruleId: outcome.rule.id,
        subjectEnc,
      });
      return none;
    }
    const deliveryId = await insertMailDelivery(trx, {
      channelId: address.channel_id,
      title: `${replay ? '【再配信】' : ''}メール: ${ev.parsed.mail.subject || '（件名なし）'}`,
      messages: outcome.messages.map((text) => ({ type: 'text' as const, text })),
      audience,
      mailMessageId: row.id,
      at: new Date(),
    });
    await setOutcome(trx, row.id, {
      status: 'delivered',
      reason: outcome.urgent ? '緊急のキーワードがあるため全員に配信' : null,
      ruleId: outcome.rule.id,
      deliveryId,
      subjectEnc,
    });
    return { deliveryId, disasterGroupId: outcome.disasterGroupId };
  }

  async function afterCommit(
    row: MailMessageRow,
    address: MailAddressRow,
    done: { deliveryId: string | null; disasterGroupId: string | null },
  ) {
    if (done.deliveryId) deps.wakeDeliveries();
    if (!done.disasterGroupId) return;
    let result: string;
    try {
      result = await deps.switchDisaster(address.channel_id, done.disasterGroupId, row.id);
    } catch (err) {
      result = `災害モードに切り替えられませんでした: ${err instanceof Error ? err.message : String(err)}`;
      deps.log.warn({ err, mailMessageId: row.id }, 'mail bridge: disaster switch failed');
    }
    await setDisasterResult(db, row.id, result);
  }

  /** One due mail processed under its row lock; false when none was waiting. */
  async function processOne(): Promise<boolean> {
    let claimedId: string | null = null;
    try {
      const done = await db.transaction().execute(async (trx) => {
        const row = await lockDueMessage(trx);
        if (!row) return null;
        claimedId = row.id;
        const address = row.address_id ? await findAddress(trx, row.address_id) : undefined;
        if (!address) {
          await setOutcome(trx, row.id, { status: 'failed', reason: '受信アドレスがありません' });
          return null;
        }
        return { row, address, done: await processRow(trx, row, address, false) };
      });
      if (!done) return claimedId !== null;
      await afterCommit(done.row, done.address, done.done);
      return true;
    } catch (err) {
      if (!claimedId) throw err;
      // Rolled back: counted and retried later with backoff (next_attempt_at), failed for good after
      // 3 attempts (a mail that always breaks the job).
      deps.log.error({ err, mailMessageId: claimedId }, 'mail bridge: processing failed');
      const reason = err instanceof Error ? err.message : String(err);
      await countFailedAttempt(db, claimedId, 3, deps.retryBaseMs, reason);
      return true;
    }
  }

  return {
    /** The job: every mail waiting, oldest first, one at a time (claimed under SKIP LOCKED). */
    async processDue() {
      while (await processOne()) {
        // next
      }
    },

    /** Staff replay (audited by the route): the stored mail through the current rules → a new delivery. */
    async replay(id: string) {
      const row = await requireMessage(db, id);
      if (row.status === 'refused' || row.status === 'duplicate' || !row.raw_enc) {
        throw new AppError(409, 'MAIL_NOT_REPLAYABLE', '拒否したメール・重複したメールは再配信できません');
      }
      const address = await requireAddress(db, row.address_id!);
      const done = await db.transaction().execute(async (trx) => {
        const locked = await lockMessage(trx, id);
        return processRow(trx, locked!, address, true);
      });
      await afterCommit(row, address, done);
      return messageView(cipher, (await findMessage(db, id))!);
    },

    /** The test panel: what the rules make of a pasted or received mail, and how many friends get it. */
    async preview(input: MailTest): Promise<MailPreview> {
      const address = await requireAddress(db, input.addressId);
      let raw: Buffer;
      if (input.messageId) {
        const row = await requireMessage(db, input.messageId);
        if (row.address_id !== address.id) throw notFound('受信メール');
        raw = openRaw(cipher, row);
      } else {
        raw = Buffer.from(input.raw!.replace(/\r?\n/g, '\r\n'), 'utf8');
      }
      let rules: RuleInput[];
      if (input.rules) {
        for (const [i, r] of input.rules.entries()) checkRegexes(r.definition, `rules.${i}.definition`);
        rules = input.rules.map((r) => ({ id: r.id ?? null, name: r.name, definition: r.definition }));
      } else {
        rules = ruleInputs(await listRules(db, address.id));
      }
      const ev = await evaluate(db, address, raw, rules);
      const base: MailPreview = {
        status: 'unmatched',
        reason: null,
        ruleId: null,
        ruleName: null,
        subject: ev.parsed.ok ? ev.parsed.mail.subject : '',
        messages: [],
        audience: null,
        recipients: null,
        urgent: false,
        disaster: false,
      };
      if (!ev.parsed.ok) return { ...base, status: 'parse_failed', reason: ev.parsed.reason };
      if (ev.failure || !ev.outcome) return { ...base, status: 'failed', reason: ev.failure };
      if (ev.outcome.kind === 'unmatched') return { ...base, reason: ev.outcome.reason };
      const o = ev.outcome;
      const audience = deliveryAudience(o);
      return {
        ...base,
        status: audience ? 'matched' : 'unmatched',
        reason: audience ? null : '配信先の属性の値がメールにありません（配信しません）',
        ruleId: o.rule.id,
        ruleName: o.rule.name,
        messages: o.messages,
        audience: !o.audience
          ? null
          : o.audience.kind === 'all'
            ? { kind: 'all' }
            : { kind: 'segment', labels: o.audience.choices.map((c) => c.label) },
        recipients: audience ? await countRecipients(db, address.channel_id, audience) : 0,
        urgent: o.urgent,
        disaster: o.disasterGroupId !== null,
      };
    },
  };
}

export type MailBridge = ReturnType<typeof createMailBridge>;
