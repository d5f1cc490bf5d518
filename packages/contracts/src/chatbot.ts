// Chatbot scenarios, FAQ answers and automatic replies (B-01 … B-04, X-02): the HTTP contract of
// /api/chatbot/*, without zod (the console imports these at run time; the zod schemas that check
// them on the server are in chatbot.schema.ts).
//
// One engine: a scenario is a versioned graph of nodes with triggers. Simple keyword → reply rules,
// the greeting on follow and the evacuation guidance (a ready template) are scenarios too. A typed
// question that no scenario takes is matched against the FAQ; what neither answers goes to the
// channel's fallback scenario and, when the FAQ had no answer, to the unanswered list.

import type { SegmentLeaf } from './segments.ts';

// ---------------------------------------------------------------------------------------------
// The graph

/** A node's ID inside one scenario (also in postback data, so short and plain). */
export const NODE_ID_PATTERN = /^[A-Za-z0-9_-]{1,32}$/;
/** A scenario's key: rich menu areas of type "scenario" and postbacks `scenario=<key>` start it. */
export const SCENARIO_KEY_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;
/** A variable that keeps an answer (question.saveAs). */
export const VARIABLE_PATTERN = /^[a-z][a-z0-9_]{0,31}$/;

export const CHATBOT_LIMITS = {
  /** Nodes per scenario (no limit on how many scenarios). */
  nodes: 300,
  name: 100,
  text: 5000,
  /** LINE's limits: quick reply items, buttons template actions, carousel columns, messages per reply. */
  quickReplies: 13,
  buttons: 4,
  buttonsText: 160,
  carouselColumns: 10,
  carouselText: 120,
  title: 40,
  label: 20,
  messagesPerNode: 5,
  keywordsPerTrigger: 50,
  keyword: 100,
  /** Minutes a friend's place in a scenario is kept without an answer. */
  timeoutMinutes: { min: 1, max: 7 * 24 * 60, default: 30 },
  /** Nodes visited in one turn without waiting for the friend (a loop without a way out stops here). */
  stepsPerTurn: 50,
} as const;

export interface NodePosition {
  x: number;
  y: number;
}

/** Where a button or a choice leads: another node of this scenario, or a link that opens. */
export type ButtonTarget = { kind: 'node'; next: string } | { kind: 'uri'; uri: string };

export interface ScenarioButton {
  /** Stable within its node (postback data names it). */
  id: string;
  label: string;
  target: ButtonTarget;
}

export interface CarouselColumn {
  id: string;
  title: string;
  text: string;
  /** media module ID (an uploaded, checked image). */
  imageMediaId?: string | null;
  buttons: ScenarioButton[];
}

/** What a message node sends, in order (at most CHATBOT_LIMITS.messagesPerNode). */
export type ScenarioMessage =
  /** Plain text; quick replies send their label back as text (matched by the next question or triggers). */
  | { kind: 'text'; text: string; quickReplies?: string[] }
  /** A buttons template: text and up to 4 buttons. */
  | { kind: 'buttons'; title?: string; text: string; buttons: ScenarioButton[] }
  /** A carousel of up to 10 columns, each with its buttons (every column the same number). */
  | { kind: 'carousel'; altText: string; columns: CarouselColumn[] }
  /** A card (a flex bubble built from these fields). */
  | { kind: 'card'; title: string; text: string; imageMediaId?: string | null; buttons: ScenarioButton[] }
  | { kind: 'image'; mediaId: string };

export interface QuestionChoice {
  id: string;
  label: string;
  /** The node the answer leads to. */
  next: string;
}

/** A condition of a branch rule. */
export type BranchCondition =
  /** The kept answer (question.saveAs) is one of these choice IDs (choice questions) or texts. */
  | { kind: 'answer'; variable: string; anyOf: string[] }
  /** The kept free-text answer contains this text (normalised, see normalizeForMatch). */
  | { kind: 'answerContains'; variable: string; text: string }
  /** The friend's registered attributes: one segment condition (segments.ts), checked for this friend. */
  | { kind: 'attribute'; condition: SegmentLeaf }
  /** Disaster mode is on for the channel. */
  | { kind: 'disasterMode'; on: boolean };

export interface BranchRule {
  id: string;
  /** All must hold (AND). */
  when: BranchCondition[];
  next: string;
}

export type ScenarioAction =
  /** Set a registered attribute: a choice item of the registration form gets these choices. */
  | { kind: 'setAttribute'; itemId: string; choiceIds: string[] }
  /** Send a button that opens a page (a survey, booking or report page, or any https link). */
  | { kind: 'openPage'; text: string; label: string; url: string }
  /** Send the consultation door (C-01): only a link to our own chat page, never content. */
  | { kind: 'startConsultation'; deskSlug: string }
  /** Hand over to staff: the bot stays quiet for this friend and staff see it in the hand-over list. */
  | { kind: 'handover'; text: string }
  /** Ask for the friend's location and answer with the nearest open shelters. */
  | { kind: 'shelterSearch'; text: string };

export type ScenarioNode = {
  id: string;
  /** Staff's own name for the node in the editor. */
  title: string;
  position: NodePosition;
} & (
  | {
      type: 'message';
      messages: ScenarioMessage[];
      /** Where to go after sending (null: the scenario ends here). Buttons pointing at nodes wait. */
      next: string | null;
    }
  | {
      type: 'question';
      text: string;
      /** The variable that keeps the answer (choice ID, or the text typed). */
      saveAs: string;
      /** Choices become quick-reply buttons; an answer that is none of them asks again. */
      input: 'choice' | 'text';
      choices: QuestionChoice[];
      /** For input 'text': where the answer leads. */
      next: string | null;
      /** Said when a choice question gets something else (then the question is asked again). */
      retryText?: string;
    }
  | { type: 'branch'; rules: BranchRule[]; otherwise: string }
  | { type: 'action'; action: ScenarioAction; next: string | null }
  | { type: 'end'; text?: string }
);

export type ScenarioNodeType = ScenarioNode['type'];
export const NODE_TYPES: readonly ScenarioNodeType[] = ['message', 'question', 'branch', 'action', 'end'];

export interface ScenarioGraph {
  start: string;
  nodes: ScenarioNode[];
}

// ---------------------------------------------------------------------------------------------
// Triggers

export type ScenarioTrigger =
  /** Words typed in LINE; exact or contained, compared after normalizeForMatch. */
  | { kind: 'keyword'; match: 'exact' | 'contains'; words: string[]; onlyInDisasterMode?: boolean }
  /** A postback `scenario=<key>` (rich menu areas of type "scenario", buttons in deliveries). */
  | { kind: 'postback' }
  /** A new friend (or one who unblocked): the greeting. */
  | { kind: 'follow' }
  /** Nothing else matched (one published fallback per channel). */
  | { kind: 'fallback' };

export type TriggerKind = ScenarioTrigger['kind'];

/** Two published (or about to be published) scenarios that would both take the same input. */
export interface TriggerConflict {
  code:
    | 'CHATBOT_KEYWORD_CONFLICT'
    | 'CHATBOT_KEYWORD_SHADOWED'
    | 'CHATBOT_FOLLOW_CONFLICT'
    | 'CHATBOT_FALLBACK_CONFLICT';
  /** The normalised word (keywords), else null. */
  word: string | null;
  otherScenarioId: string;
  otherScenarioName: string;
  message: string;
}

/** Something that stops a draft from being published (or a warning when severity is 'warning'). */
export interface GraphProblem {
  code:
    | 'CHATBOT_NO_START'
    | 'CHATBOT_UNKNOWN_NODE'
    | 'CHATBOT_DUPLICATE_NODE'
    | 'CHATBOT_NODE_NO_EXIT'
    | 'CHATBOT_CYCLE_NO_EXIT'
    | 'CHATBOT_UNREACHABLE_NODE'
    | 'CHATBOT_UNKNOWN_ATTRIBUTE'
    | 'CHATBOT_UNKNOWN_VARIABLE'
    | 'CHATBOT_UNKNOWN_DESK'
    | 'CHATBOT_UNKNOWN_MEDIA'
    | 'CHATBOT_NO_TRIGGER'
    | 'CHATBOT_TOO_MANY_NODES';
  severity: 'error' | 'warning';
  /** The node concerned, when there is one. */
  nodeId: string | null;
  message: string;
}

// ---------------------------------------------------------------------------------------------
// Scenarios over HTTP (permission chatbot.manage; reading: chatbot.view)

export type ScenarioStatus = 'draft' | 'published' | 'unpublished';

export interface ScenarioDraft {
  name: string;
  triggers: ScenarioTrigger[];
  timeoutMinutes: number;
  graph: ScenarioGraph;
}

export interface ScenarioSummary<Time = string> {
  id: string;
  channelId: string;
  key: string;
  name: string;
  status: ScenarioStatus;
  /** The published version's number, null when never published or unpublished. */
  publishedVersion: number | null;
  /** True when the draft differs from the published version. */
  draftChanged: boolean;
  triggers: ScenarioTrigger[];
  nodeCount: number;
  updatedAt: Time;
}

export interface ScenarioView<Time = string> extends ScenarioSummary<Time> {
  draft: ScenarioDraft;
  /** Increases with every saved draft; PUT …/draft and publish send the one they saw (409 otherwise). */
  revision: number;
  problems: GraphProblem[];
  conflicts: TriggerConflict[];
}

export interface ScenarioVersionSummary<Time = string> {
  version: number;
  publishedAt: Time;
  publishedBy: string | null;
  nodeCount: number;
  current: boolean;
}

/** Ready graphs a new scenario can start from. */
export const SCENARIO_TEMPLATES = ['blank', 'keywordReply', 'greeting', 'evacuation'] as const;
export type ScenarioTemplate = (typeof SCENARIO_TEMPLATES)[number];
/** The evacuation guidance's key: the disaster menu's area `scenario=evacuation` starts it. */
export const EVACUATION_SCENARIO_KEY = 'evacuation';

// Routes:
// GET    /api/chatbot/scenarios?channelId=                    → ScenarioSummary[]
// POST   /api/chatbot/scenarios  {channelId, key, name, template}           → 201 ScenarioView
// GET    /api/chatbot/scenarios/:id                          → ScenarioView
// PUT    /api/chatbot/scenarios/:id/draft {revision, draft}  → ScenarioView (saved even with problems)
// POST   /api/chatbot/scenarios/:id/publish {revision}       → ScenarioView
//          400 CHATBOT_GRAPH_INVALID (details: problems), 409 CHATBOT_TRIGGER_CONFLICT (details:
//          conflicts), 409 CHATBOT_REVISION_CHANGED
// POST   /api/chatbot/scenarios/:id/unpublish                → ScenarioView
// GET    /api/chatbot/scenarios/:id/versions                 → ScenarioVersionSummary[]
// POST   /api/chatbot/scenarios/:id/versions/:version/restore → ScenarioView (the draft becomes it)
// DELETE /api/chatbot/scenarios/:id                          → 204 (unpublishes; history kept)
// POST   /api/chatbot/scenarios/:id/test  TestTurnRequest     → TestTurnResult (the draft, no LINE)
// POST   /api/chatbot/scenarios/:id/send-to-phone {friendId} → 202 (starts the draft for a test friend)
// GET    /api/chatbot/scenarios/:id/stats                    → ScenarioStats
// GET    /api/chatbot/stats/export?channelId=&format=csv|xlsx → file (scenarios, nodes, FAQ rows)
// GET    /api/chatbot/handovers?channelId=                   → HandoverView[]
// POST   /api/chatbot/handovers/:id/close                    → 204 (the bot answers the friend again)

/** What the friend does in a test turn. */
export type TestInput =
  | { kind: 'start' }
  | { kind: 'text'; text: string }
  | { kind: 'postback'; data: string };

export interface TestTurnRequest {
  input: TestInput;
  /** The state the previous turn answered (null to begin). */
  state: TestState | null;
  /** Branches on attributes use this test friend's registered answers (null: no attributes). */
  friendId: string | null;
}

/** Opaque to the console: handed back on the next turn. */
export interface TestState {
  nodeId: string | null;
  vars: Record<string, string>;
}

export interface TestTurnResult {
  /** The LINE messages the friend would get (as the Messaging API's message objects). */
  replies: unknown[];
  state: TestState;
  /** The nodes visited in this turn, in order (the editor highlights them). */
  visited: string[];
  ended: boolean;
}

export interface NodeStats {
  nodeId: string;
  title: string;
  reached: number;
  /** Friends who left the scenario at this node without finishing (timed out or started another). */
  dropped: number;
}

export interface ScenarioStats {
  scenarioId: string;
  started: number;
  completed: number;
  dropped: number;
  nodes: NodeStats[];
}

export interface HandoverView<Time = string> {
  id: string;
  friendId: string;
  displayName: string | null;
  scenarioName: string;
  text: string;
  createdAt: Time;
}

// ---------------------------------------------------------------------------------------------
// FAQ (B-04)

export const FAQ_LIMITS = {
  /** Rows per file (a 10,000-row file is refused with FAQ_FILE_TOO_MANY_ROWS). */
  rows: 5000,
  fileBytes: 10 * 1024 * 1024,
  question: 500,
  answer: 5000,
  category: 50,
  keywords: 500,
  link: 1000,
  /** How many answers are offered as buttons when none is confident. */
  suggestions: 3,
} as const;

/** The columns of the FAQ sheet, by header (Japanese or English; extra columns are ignored). */
export const FAQ_COLUMNS = {
  id: ['ID', 'id', '番号'],
  question: ['質問', 'question', 'Question'],
  answer: ['回答', 'answer', 'Answer'],
  category: ['カテゴリ', 'カテゴリー', '分類', 'category', 'Category'],
  keywords: ['キーワード', 'keywords', 'Keywords'],
  link: ['リンク', 'URL', 'link', 'Link'],
} as const;

export interface FaqEntryView<Time = string> {
  id: string;
  /** The number staff see and the sheet's ID column carries: stable across imports. */
  rowNo: number;
  question: string;
  answer: string;
  category: string;
  keywords: string[];
  link: string | null;
  answered: number;
  helpful: number;
  notHelpful: number;
  updatedAt: Time;
}

export interface FaqRowError {
  /**
   * The row in the sheet as Excel numbers it (1 = the header row, unless a title row stands above
   * it); in a CSV, the line of the file the row ends on.
   */
  line: number;
  code:
    | 'FAQ_ROW_NO_QUESTION'
    | 'FAQ_ROW_NO_ANSWER'
    | 'FAQ_ROW_TOO_LONG'
    | 'FAQ_ROW_BAD_LINK'
    | 'FAQ_ROW_DUPLICATE_ID'
    | 'FAQ_ROW_UNKNOWN_ID';
  column: string | null;
  message: string;
}

export interface FaqImportResult {
  dryRun: boolean;
  /** Rows read (blank rows skipped). */
  rows: number;
  created: number;
  updated: number;
  /** Rows of the FAQ that the file no longer has (removed by the import). */
  removed: number;
  errors: FaqRowError[];
  /** Headers that were not used. */
  ignoredColumns: string[];
}

export type FaqMatch =
  | { kind: 'answer'; entry: FaqEntryView; score: number }
  | { kind: 'suggestions'; entries: { entry: FaqEntryView; score: number }[] }
  | { kind: 'none' };

export interface UnansweredView<Time = string> {
  /** The question as normalised (the list groups by it). */
  text: string;
  count: number;
  lastAskedAt: Time;
}

// Routes:
// GET  /api/chatbot/faq?channelId=&q=&category=&limit=&offset= → {items: FaqEntryView[], total}
// POST /api/chatbot/faq/import?channelId=&dryRun=true|false   (raw body: the xlsx or CSV file)
//        → FaqImportResult; 400 FAQ_FILE_NOT_SPREADSHEET, FAQ_FILE_NO_HEADER, FAQ_FILE_TOO_MANY_ROWS,
//        413 FAQ_FILE_TOO_LARGE; with errors and dryRun=false: 400 FAQ_IMPORT_INVALID, nothing changed
// GET  /api/chatbot/faq/export?channelId=                      → xlsx (the same columns, ID first)
// POST /api/chatbot/faq/search {channelId, text}               → FaqMatch (what LINE would answer)
// GET  /api/chatbot/faq/unanswered?channelId=&limit=           → UnansweredView[] (most asked first)
// POST /api/chatbot/faq/unanswered/dismiss {channelId, text}   → 204

/** Postback data of the FAQ's buttons: `faq=<entry id>` shows an answer; `faq=<id>&helpful=1|0`. */
export const FAQ_PARAM = 'faq';

// ---------------------------------------------------------------------------------------------
// Matching text (B-02, B-04): one normalisation for triggers and the FAQ.

/**
 * Full/half width (NFKC), katakana → hiragana, lower case, and spaces and common punctuation
 * removed, so 「ゴミ　の出し方？」 and 「ごみの出し方」 compare equal.
 */
export function normalizeForMatch(text: string): string {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\u30a1-\u30f6]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0x60))
    .replace(/[\s、。，．,.!?！？「」『』（）()・〜~]+/g, '');
}
