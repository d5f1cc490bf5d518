import type { Mix } from './mix.ts';

// The chatbot's content for the benchmark: FAQ rows and published scenarios, through the console API.

export interface ChatbotSetup {
  summary: Record<string, unknown>;
}

type Api = <T>(method: string, p: string, body?: unknown) => Promise<T>;

export async function setUpChatbot(
  _api: Api,
  _channelId: string,
  _log: (m: string) => void,
): Promise<ChatbotSetup> {
  throw new Error('the chatbot routes have not landed yet: run with BENCH_MODE=disaster-info');
}

export function chatbotMix(_setup: ChatbotSetup): Mix {
  throw new Error('not yet');
}
