import type {
  HandoverView,
  ScenarioDraft,
  ScenarioStats,
  ScenarioSummary,
  ScenarioTemplate,
  ScenarioVersionSummary,
  ScenarioView,
  TestTurnRequest,
  TestTurnResult,
  UnansweredView,
} from '@madoguchi/contracts/chatbot.ts';
import { api, query } from '../../api/client.ts';

// The console's calls of /api/chatbot/* (scenarios, test turns, stats, hand-overs, unanswered
// questions), exactly as packages/contracts/src/chatbot.ts lists them.

const scenario = (id: string) => `/api/chatbot/scenarios/${encodeURIComponent(id)}`;

export const scenariosPath = (channelId: string) => `/api/chatbot/scenarios${query({ channelId })}`;
export const scenarioPath = scenario;
export const versionsPath = (id: string) => `${scenario(id)}/versions`;
export const statsPath = (id: string) => `${scenario(id)}/stats`;
export const handoversPath = (channelId: string) => `/api/chatbot/handovers${query({ channelId })}`;
export const unansweredPath = (channelId: string, limit = 200) =>
  `/api/chatbot/faq/unanswered${query({ channelId, limit })}`;
export const statsExportHref = (channelId: string, format: 'csv' | 'xlsx') =>
  `/api/chatbot/stats/export${query({ channelId, format })}`;

export type ScenarioList = ScenarioSummary[];

export const chatbotApi = {
  get: (id: string) => api.get<ScenarioView>(scenario(id)),
  create: (body: { channelId: string; key: string; name: string; template: ScenarioTemplate }) =>
    api.post<ScenarioView>('/api/chatbot/scenarios', body),
  saveDraft: (id: string, revision: number, draft: ScenarioDraft) =>
    api.put<ScenarioView>(`${scenario(id)}/draft`, { revision, draft }),
  publish: (id: string, revision: number) => api.post<ScenarioView>(`${scenario(id)}/publish`, { revision }),
  unpublish: (id: string) => api.post<ScenarioView>(`${scenario(id)}/unpublish`),
  restore: (id: string, version: number) =>
    api.post<ScenarioView>(`${scenario(id)}/versions/${encodeURIComponent(String(version))}/restore`),
  remove: (id: string) => api.delete(scenario(id)),
  test: (id: string, body: TestTurnRequest) => api.post<TestTurnResult>(`${scenario(id)}/test`, body),
  sendToPhone: (id: string, friendId: string) => api.post(`${scenario(id)}/send-to-phone`, { friendId }),
  closeHandover: (id: string) => api.post(`/api/chatbot/handovers/${encodeURIComponent(id)}/close`),
  dismissUnanswered: (channelId: string, text: string) =>
    api.post('/api/chatbot/faq/unanswered/dismiss', { channelId, text }),
};

export type { HandoverView, ScenarioStats, ScenarioVersionSummary, ScenarioView, UnansweredView };
