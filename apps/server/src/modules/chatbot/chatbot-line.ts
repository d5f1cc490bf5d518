import type { messagingApi } from '@line/bot-sdk';
import {
  EVACUATION_SCENARIO_KEY,
  normalizeForMatch,
  type ScenarioGraph,
  type ScenarioTrigger,
} from '@madoguchi/contracts/chatbot.ts';
import { GUIDE_PARAM } from '@madoguchi/contracts/disaster.ts';
import type { Insertable, Transaction } from 'kysely';
import type { ChatbotStepsTable, Database } from '../../db/schema.ts';
import type { Cipher } from '../../platform/crypto.ts';
import { deskDoorMessage } from '../consultation/desks.service.ts';
import { isOneToOneChat } from '../consultation/line-door.ts';
import { findActiveRegistrationForm, registrationLink, setChoiceAnswer } from '../forms/forms.service.ts';
import type { StoredLineEvent } from '../line-events/line-event.ts';
import {
  type LineEffects,
  type LineEventBus,
  oncePerBatch,
  waitForEarlierEvents,
} from '../line-events/line-event-bus.ts';
import { disasterModeInBatch } from '../richmenus/richmenus.service.ts';
import { friendMatchesLeaf } from '../segments/segments.service.ts';
import { askLocationMessage } from '../shelters/shelters.service.ts';
import {
  findVersionRow,
  insertHandoverRow,
  insertStepRows,
  lockPlaceRows,
  publishedKeywordRows,
  publishedWithTrigger,
  type SessionRow,
  scenarioKeyRows,
  upsertSessionRows,
} from './chatbot.repository.ts';
import {
  type EngineEnv,
  type EngineState,
  parseButtonData,
  startTurn,
  type TurnResult,
  tapTurn,
  textTurn,
} from './scenario-engine.ts';
import {
  EVACUATION_KEYWORD,
  evacuationDraft,
  GREETING_SCENARIO_KEY,
  greetingDraft,
} from './scenario-templates.ts';

// Scenarios in LINE (B-01 … B-03, X-02), inside the dispatch transaction, 1:1 chats only, after every
// other module (listed last in app.ts): when an earlier module already answered the event, nothing.
//
// A text message: (a) a friend handed over to staff gets no bot answer; (b) a friend waiting at a
// question answers it; (c) a published keyword (exact first, then contains, longest first;
// disaster-only words while disaster mode is on) starts its scenario; (d) the FAQ; (e) the
// channel's published fallback scenario. Postbacks: `cb=…` (a scenario's own buttons), `scenario=<key>`
// (rich menu areas), `guide=…` (the evacuation guidance's older buttons and the prepared disaster
// message), `faq=…` (the FAQ's). Follow: the published follow scenario, else the built-in greeting
// (an invitation to register, or "welcome back" to a friend who has registered) when the channel has
// a LIFF ID and an active registration form.
//
// In order per friend: the friend's place (chatbot_sessions) is locked FOR UPDATE, after waiting for
// every earlier event of the same friend that another dispatch batch holds (waitForEarlierEvents;
// at once in a dispatch batch: a friend's events are dispatched by one partition, in order). In a
// dispatch batch the places (and open hand-overs) of all the batch's friends are read and locked by
// its first chatbot event, in one query; later events of the batch see the places as the earlier
// ones left them (kept per transaction here), and the places are written by one upsert at the end
// of the batch (LineEffects.append), like the steps.
//
// What every event reads and only publishing changes — the channel's scenarios by key, the published
// keywords, the follow and fallback scenarios — is read once per dispatch batch (oncePerBatch), and
// the keywords are matched in memory; published versions' content is kept in this process. The
// steps (chatbot_steps) of a dispatch batch are written by one insert at its end (LineEffects.append).

/** What a published (or draft-snapshot) version holds. */
export interface VersionContent {
  triggers: ScenarioTrigger[];
  timeoutMinutes: number;
  graph: ScenarioGraph;
}

export interface LoadedScenario {
  /** null: a built-in scenario (the evacuation guidance, the greeting). */
  scenarioId: string | null;
  key: string;
  name: string;
  version: number;
  content: VersionContent;
}

export interface FaqHooks {
  /** Answers a typed question from the FAQ; true when it replied (H2's faq-line.ts). */
  answer(
    trx: Transaction<Database>,
    e: StoredLineEvent,
    effects: LineEffects,
    text: string,
  ): Promise<boolean>;
  /** A postback `faq=…`; true when it was the FAQ's. */
  postback(
    trx: Transaction<Database>,
    e: StoredLineEvent,
    effects: LineEffects,
    data: string,
  ): Promise<boolean>;
}

export interface ChatbotRuntimeDeps {
  cipher: Cipher;
  publicUrl: string;
  /** The city's disaster contact for the built-in evacuation guidance (DISASTER_CONTACT). */
  contact: string;
  faq?: FaqHooks;
}

/** A friend of a channel, as a turn needs them. */
export interface Who {
  channelId: string;
  lineUserId: string;
  liffId: string | null;
}

const seal = (cipher: Cipher, vars: Record<string, string>) =>
  Object.keys(vars).length === 0 ? null : cipher.encryptBytes(Buffer.from(JSON.stringify(vars), 'utf8'));
const unseal = (cipher: Cipher, enc: Buffer | null): Record<string, string> =>
  enc ? (JSON.parse(cipher.decryptBytes(enc).toString('utf8')) as Record<string, string>) : {};

type KeywordRow = Awaited<ReturnType<typeof publishedKeywordRows>>[number];

/** Glyphs, as PostgreSQL's length() counts them. */
const glyphs = (s: string) => [...s].length;

/** The keywords `said` matches: exact ones first, then contained ones, longer before shorter. */
export function matchKeywords(rows: KeywordRow[], said: string): KeywordRow[] {
  return rows
    .filter((k) => (k.match === 'exact' ? k.word === said : k.match === 'contains' && said.includes(k.word)))
    .sort(
      (a, b) => Number(b.match === 'exact') - Number(a.match === 'exact') || glyphs(b.word) - glyphs(a.word),
    );
}

/** The channel's scenarios by key (read once per batch). */
const scenarioByKey = async (trx: Transaction<Database>, channelId: string, key: string) =>
  (
    await oncePerBatch(
      trx,
      `chatbot.scenarios:${channelId}`,
      async () => new Map((await scenarioKeyRows(trx, channelId)).map((r) => [r.key, r])),
    )
  ).get(key);

const keywordsOf = (trx: Transaction<Database>, channelId: string) =>
  oncePerBatch(trx, `chatbot.keywords:${channelId}`, () => publishedKeywordRows(trx, channelId));

const withTrigger = (trx: Transaction<Database>, channelId: string, kind: 'follow' | 'fallback') =>
  oncePerBatch(trx, `chatbot.trigger:${channelId}:${kind}`, () => publishedWithTrigger(trx, channelId, kind));

/** Steps: collected for the end of the dispatch batch with `effects`, else inserted at once. */
const writeSteps = (
  trx: Transaction<Database>,
  effects: LineEffects | undefined,
  rows: Insertable<ChatbotStepsTable>[],
) => (effects ? effects.append('chatbot.steps', rows, insertStepRows) : insertStepRows(trx, rows));

const isLive = (s: SessionRow, now: Date): boolean =>
  s.node_id !== null && s.expires_at.getTime() > now.getTime();

/** Places: collected for the end of the dispatch batch with `effects`, else written at once. */
const writePlace = (trx: Transaction<Database>, effects: LineEffects | undefined, row: SessionRow) =>
  effects ? effects.append('chatbot.sessions', [row], upsertSessionRows) : upsertSessionRows(trx, [row]);

/** A friend's place in a transaction: an open hand-over, and the place as this transaction left it. */
interface Place {
  handedOver: boolean;
  session: SessionRow | null;
}
const placesByTrx = new WeakMap<object, Map<string, Place>>();
const placeKey = (channelId: string, lineUserId: string) => `${channelId}\n${lineUserId}`;

/**
 * The friend's place, locked: the first time in a transaction, with the places of every other friend
 * of the same channel in the dispatch batch (`effects.batch`), so a batch reads them in one query.
 */
async function lockedPlace(trx: Transaction<Database>, who: Who, effects?: LineEffects): Promise<Place> {
  let places = placesByTrx.get(trx);
  if (!places) {
    places = new Map();
    placesByTrx.set(trx, places);
  }
  const known = places.get(placeKey(who.channelId, who.lineUserId));
  if (known) return known;
  const friends = new Set([who.lineUserId]);
  for (const e of effects?.batch ?? []) {
    if (e.channelId === who.channelId && e.userId && !places.has(placeKey(e.channelId, e.userId))) {
      friends.add(e.userId);
    }
  }
  for (const [friend, place] of await lockPlaceRows(trx, who.channelId, [...friends].sort())) {
    places.set(placeKey(who.channelId, friend), place);
  }
  return places.get(placeKey(who.channelId, who.lineUserId))!;
}

export function createChatbotRuntime(deps: ChatbotRuntimeDeps) {
  const builtIn = (): LoadedScenario => {
    const d = evacuationDraft(deps.contact);
    return {
      scenarioId: null,
      key: EVACUATION_SCENARIO_KEY,
      name: d.name,
      version: 0,
      content: { triggers: d.triggers, timeoutMinutes: d.timeoutMinutes, graph: d.graph },
    };
  };

  // Published versions never change: their content is kept here (version 0, a draft snapshot, is
  // overwritten by every send-to-phone and is always read).
  const versions = new Map<string, VersionContent>();
  const VERSION_CACHE = 1000;

  /** One version of the scenario with this key (0: the draft snapshot, or the built-in guidance). */
  async function loadVersion(
    trx: Transaction<Database>,
    channelId: string,
    key: string,
    version: number,
  ): Promise<LoadedScenario | null> {
    const s = await scenarioByKey(trx, channelId, key);
    if (s) {
      const cacheKey = `${s.id}:${version}`;
      let content = version > 0 ? versions.get(cacheKey) : undefined;
      if (!content) {
        content = (await findVersionRow(trx, s.id, version))?.content as VersionContent | undefined;
        if (content && version > 0) {
          if (versions.size >= VERSION_CACHE) versions.delete(versions.keys().next().value!);
          versions.set(cacheKey, content);
        }
      }
      if (content) return { scenarioId: s.id, key, name: s.name, version, content };
    }
    return key === EVACUATION_SCENARIO_KEY && version === 0 ? builtIn() : null;
  }

  /** The published version of the scenario with this key (the built-in guidance for `evacuation`). */
  async function loadPublished(trx: Transaction<Database>, channelId: string, key: string) {
    const s = await scenarioByKey(trx, channelId, key);
    if (s?.published_version != null) return loadVersion(trx, channelId, key, s.published_version);
    return key === EVACUATION_SCENARIO_KEY ? builtIn() : null;
  }

  function envFor(
    trx: Transaction<Database>,
    who: Who,
    s: LoadedScenario,
    friend: 'line' | { friendId: string } | null,
  ): EngineEnv {
    let mode: Promise<boolean> | undefined;
    return {
      scenarioKey: s.key,
      version: s.version,
      publicUrl: deps.publicUrl,
      attribute: async (leaf) =>
        friend === null
          ? false
          : friendMatchesLeaf(
              trx,
              who.channelId,
              leaf,
              friend === 'line' ? { lineUserId: who.lineUserId } : friend,
            ),
      disasterMode: () => {
        mode ??= disasterModeInBatch(trx, who.channelId).then((m) => m !== null);
        return mode;
      },
      consultationDoor: (slug) => deskDoorMessage(trx, who.channelId, who.liffId, slug),
      shelterAsk: (text) => ({ ...(askLocationMessage() as messagingApi.TextMessage), text }),
    };
  }

  const step = (
    who: Who,
    s: { scenarioId: string | null; key: string; version: number },
    nodeId: string,
    kind: ChatbotStepsTable['kind'] extends infer K ? K : never,
  ): Insertable<ChatbotStepsTable> => ({
    channel_id: who.channelId,
    scenario_id: s.scenarioId,
    scenario_key: s.key,
    version: s.version,
    node_id: nodeId,
    kind: kind as 'started',
  });

  /** A waiting place that is left (timed out, or another scenario started): dropped at its node. */
  const dropped = (who: Who, session: SessionRow) =>
    step(
      who,
      { scenarioId: session.scenario_id, key: session.scenario_key, version: session.version },
      session.node_id!,
      'dropped',
    );

  /** Keeps the turn's outcome: steps, effects, the friend's place. Answers the messages to send. */
  async function keep(
    trx: Transaction<Database>,
    who: Who,
    s: LoadedScenario,
    r: TurnResult,
    opts: {
      started: boolean;
      leaving: SessionRow | null;
      eventId: string | null;
      effects?: LineEffects;
    },
  ): Promise<messagingApi.Message[]> {
    const steps: Insertable<ChatbotStepsTable>[] = [];
    if (opts.leaving) steps.push(dropped(who, opts.leaving));
    if (opts.started) steps.push(step(who, s, s.content.graph.start, 'started'));
    if (!r.retried) for (const id of r.visited) steps.push(step(who, s, id, 'reached'));
    if (r.completed && r.visited.length > 0) steps.push(step(who, s, r.visited.at(-1)!, 'completed'));
    await writeSteps(trx, opts.effects, steps);
    for (const effect of r.effects) {
      if (effect.kind === 'setAttribute') {
        await setChoiceAnswer(
          trx,
          deps.cipher,
          who.channelId,
          who.lineUserId,
          effect.itemId,
          effect.choiceIds,
        );
      } else {
        await insertHandoverRow(trx, {
          channelId: who.channelId,
          lineUserId: who.lineUserId,
          scenarioId: s.scenarioId,
          scenarioName: s.name,
          text: effect.text,
        });
        (await lockedPlace(trx, who, opts.effects)).handedOver = true;
      }
    }
    const session: SessionRow = {
      channel_id: who.channelId,
      line_user_id: who.lineUserId,
      scenario_id: s.scenarioId,
      scenario_key: s.key,
      version: s.version,
      node_id: r.state.nodeId,
      vars_enc: r.state.nodeId === null ? null : seal(deps.cipher, r.state.vars),
      expires_at: new Date(Date.now() + s.content.timeoutMinutes * 60_000),
      last_event_id: opts.eventId,
    };
    (await lockedPlace(trx, who, opts.effects)).session = session;
    await writePlace(trx, opts.effects, session);
    return r.replies;
  }

  /** The friend's place, locked; a place that timed out is counted as dropped and cleared. */
  async function place(trx: Transaction<Database>, who: Who, effects?: LineEffects) {
    return placeOf(trx, who, (await lockedPlace(trx, who, effects)).session ?? undefined, effects);
  }

  /** A friend the bot may answer (null when handed over to staff), and their place. */
  async function answerablePlace(trx: Transaction<Database>, who: Who, effects: LineEffects) {
    const { handedOver, session } = await lockedPlace(trx, who, effects);
    if (handedOver) return null;
    return placeOf(trx, who, session ?? undefined, effects);
  }

  async function placeOf(
    trx: Transaction<Database>,
    who: Who,
    session: SessionRow | undefined,
    effects?: LineEffects,
  ) {
    const now = new Date();
    if (session && isLive(session, now)) return { session, live: session };
    if (session && session.node_id !== null) {
      await writeSteps(trx, effects, [dropped(who, session)]);
      session.node_id = null;
    }
    return { session, live: null };
  }

  /** Starts a scenario for the friend; answers the messages (with `prefix` first). */
  async function start(
    trx: Transaction<Database>,
    who: Who,
    s: LoadedScenario,
    live: SessionRow | null,
    eventId: string | null,
    prefix: messagingApi.Message[] = [],
    effects?: LineEffects,
  ) {
    const r = await startTurn(s.content.graph, envFor(trx, who, s, 'line'), prefix);
    return keep(trx, who, s, r, { started: true, leaving: live, eventId, effects });
  }

  const whoOf = (e: StoredLineEvent): Who => ({
    channelId: e.channelId,
    lineUserId: e.userId ?? (e.event.source?.userId as string),
    liffId: e.channel.liffId,
  });

  /** Whether the event is one the chatbot may answer: a 1:1 chat, a reply token, nobody answered yet. */
  const ours = (e: StoredLineEvent, effects: LineEffects) =>
    isOneToOneChat(e) && typeof e.event.replyToken === 'string' && !effects.replied(e);

  async function onText(trx: Transaction<Database>, e: StoredLineEvent, effects: LineEffects, text: string) {
    const who = whoOf(e);
    await waitForEarlierEvents(trx, e);
    const answerable = await answerablePlace(trx, who, effects);
    // Handed over: staff answer this friend (the event is handled, not forwarded as unhandled).
    if (!answerable) return effects.markHandled(e);
    const { live } = answerable;
    if (live) {
      const s = await loadVersion(trx, who.channelId, live.scenario_key, live.version);
      if (s) {
        const state: EngineState = { nodeId: live.node_id, vars: unseal(deps.cipher, live.vars_enc) };
        const r = await textTurn(s.content.graph, state, text, envFor(trx, who, s, 'line'));
        if (r) {
          await effects.reply(
            e,
            await keep(trx, who, s, r, { started: false, leaving: null, eventId: e.id, effects }),
          );
          return;
        }
      }
    }
    const said = normalizeForMatch(text);
    let mode: boolean | undefined;
    const modeOn = async () => {
      mode ??= (await disasterModeInBatch(trx, who.channelId)) !== null;
      return mode;
    };
    if (said) {
      for (const m of matchKeywords(await keywordsOf(trx, who.channelId), said)) {
        if (m.only_in_disaster && !(await modeOn())) continue;
        const s = await loadPublished(trx, who.channelId, m.key);
        if (!s) continue;
        await effects.reply(e, await start(trx, who, s, live, e.id, [], effects));
        return;
      }
      // The built-in evacuation guidance while no scenario `evacuation` is published.
      if (said === normalizeForMatch(EVACUATION_KEYWORD)) {
        const published = await scenarioByKey(trx, who.channelId, EVACUATION_SCENARIO_KEY);
        if (published?.published_version == null && (await modeOn())) {
          await effects.reply(e, await start(trx, who, builtIn(), live, e.id, [], effects));
          return;
        }
      }
    }
    if (deps.faq && (await deps.faq.answer(trx, e, effects, text))) return;
    if (effects.replied(e)) return;
    const fallback = await withTrigger(trx, who.channelId, 'fallback');
    if (fallback) {
      const s = await loadPublished(trx, who.channelId, fallback.key);
      // The fallback answers what nothing else understood: the event still counts as unhandled.
      if (s) await effects.reply(e, await start(trx, who, s, live, e.id, [], effects), { handled: false });
    }
  }

  async function onPostback(
    trx: Transaction<Database>,
    e: StoredLineEvent,
    effects: LineEffects,
    data: string,
  ) {
    const params = new URLSearchParams(data);
    if (params.has('faq')) {
      await deps.faq?.postback(trx, e, effects, data);
      return;
    }
    const tap = parseButtonData(data);
    const key =
      tap?.key ?? params.get('scenario') ?? (params.has(GUIDE_PARAM) ? EVACUATION_SCENARIO_KEY : null);
    if (!key) return;
    const who = whoOf(e);
    await waitForEarlierEvents(trx, e);
    const answerable = await answerablePlace(trx, who, effects);
    // Handed over: staff answer this friend (the event is handled, not forwarded as unhandled).
    if (!answerable) return effects.markHandled(e);
    const { live } = answerable;
    if (tap) {
      const s = await loadVersion(trx, who.channelId, tap.key, tap.version);
      if (s) {
        // A tap on a button of the place the friend is in keeps their answers; an older button of the
        // same version is still followed (with the answers kept so far).
        const same = live && live.scenario_key === s.key && live.version === s.version;
        const vars = same ? unseal(deps.cipher, live.vars_enc) : {};
        const r = await tapTurn(s.content.graph, vars, tap, envFor(trx, who, s, 'line'));
        const leaving = live && !same ? live : null;
        await effects.reply(
          e,
          await keep(trx, who, s, r, {
            started: r.restarted === true,
            leaving,
            eventId: e.id,
            effects,
          }),
        );
        return;
      }
    }
    // `scenario=<key>`, `guide=…`, or a button of a version that is gone: the published one from its start.
    const s = await loadPublished(trx, who.channelId, key);
    if (s) await effects.reply(e, await start(trx, who, s, live, e.id, [], effects));
  }

  /** The built-in greeting (G-02): an invitation to register, or "welcome back" to a registered friend. */
  const builtInGreeting = (liffId: string): LoadedScenario => {
    const d = greetingDraft(registrationLink(liffId));
    return {
      scenarioId: null,
      key: GREETING_SCENARIO_KEY,
      name: d.name,
      version: 0,
      content: { triggers: d.triggers, timeoutMinutes: d.timeoutMinutes, graph: d.graph },
    };
  };

  async function onFollow(trx: Transaction<Database>, e: StoredLineEvent, effects: LineEffects) {
    const who = whoOf(e);
    const greeting = await withTrigger(trx, who.channelId, 'follow');
    let s: LoadedScenario | null = null;
    if (greeting) s = await loadPublished(trx, who.channelId, greeting.key);
    // The built-in greeting while no follow scenario is published: it needs the LIFF app (the
    // registration page opens in LINE) and a registration form with something to register.
    else if (who.liffId && (await findActiveRegistrationForm(trx, who.channelId))) {
      s = builtInGreeting(who.liffId);
    }
    if (!s) return;
    await waitForEarlierEvents(trx, e);
    const { live } = await place(trx, who, effects);
    await effects.reply(e, await start(trx, who, s, live, e.id, [], effects));
  }

  return {
    loadVersion,
    loadPublished,
    builtIn,
    envFor,
    keep,
    place,
    start,

    subscribe(bus: LineEventBus) {
      bus.subscribe('follow', async (e, trx, effects) => {
        if (ours(e, effects)) await onFollow(trx, e, effects);
      });
      bus.subscribe('message', async (e, trx, effects) => {
        const m = e.event.message as { type?: string; text?: string } | undefined;
        if (m?.type !== 'text' || !m.text || !ours(e, effects)) return;
        await onText(trx, e, effects, m.text);
      });
      bus.subscribe('postback', async (e, trx, effects) => {
        const data = (e.event.postback as { data?: string } | undefined)?.data ?? '';
        if (!data || !ours(e, effects)) return;
        await onPostback(trx, e, effects, data);
      });
    },

    /**
     * Starts the scenario with this key for the event's friend with `prefix` before its first
     * messages (the disaster module's 防災情報 in disaster mode starts the evacuation guidance so).
     * Answers whether it replied.
     */
    async startFromEvent(
      trx: Transaction<Database>,
      e: StoredLineEvent,
      effects: LineEffects,
      key: string,
      prefix: messagingApi.Message[],
    ): Promise<boolean> {
      if (!isOneToOneChat(e) || typeof e.event.replyToken !== 'string') return false;
      const who = whoOf(e);
      await waitForEarlierEvents(trx, e);
      const s = await loadPublished(trx, who.channelId, key);
      if (!s) return false;
      const { live } = await place(trx, who, effects);
      return effects.reply(e, await start(trx, who, s, live, e.id, prefix, effects));
    },
  };
}

export type ChatbotRuntime = ReturnType<typeof createChatbotRuntime>;
