import type { ScenarioDraft, ScenarioTemplate, ScenarioView } from '@madoguchi/contracts/chatbot.ts';
import { expect } from 'vitest';
import type { staffClient } from './test-server.ts';

// Staff building chatbot scenarios over HTTP, as the console does: create (from a template), save
// the draft, publish.

type Staff = Awaited<ReturnType<typeof staffClient>>;

/** Creates a scenario with this key from `template`; answers its view (201). */
export async function createScenario(
  staff: Staff,
  channelId: string,
  key: string,
  name: string,
  template: ScenarioTemplate = 'blank',
): Promise<ScenarioView> {
  const created = await staff.request('POST', '/api/chatbot/scenarios', { channelId, key, name, template });
  expect(created.status).toBe(201);
  return (await created.json()) as ScenarioView;
}

/** Publishes the scenario's current draft (200). */
export async function publishScenario(staff: Staff, view: ScenarioView): Promise<ScenarioView> {
  const published = await staff.request('POST', `/api/chatbot/scenarios/${view.id}/publish`, {
    revision: view.revision,
  });
  expect(published.status).toBe(200);
  return (await published.json()) as ScenarioView;
}

/** A scenario with this key and draft, published unless `publish` is false. */
export async function scenarioWith(
  staff: Staff,
  channelId: string,
  key: string,
  draft: ScenarioDraft,
  publish = true,
): Promise<ScenarioView> {
  const view = await createScenario(staff, channelId, key, draft.name);
  const saved = await staff.request('PUT', `/api/chatbot/scenarios/${view.id}/draft`, {
    revision: view.revision,
    draft,
  });
  expect(saved.status).toBe(200);
  const s = (await saved.json()) as ScenarioView;
  return publish ? publishScenario(staff, s) : s;
}
