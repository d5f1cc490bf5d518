import type { Config } from '../config.ts';
import type { Db } from '../db/database.ts';
import type { StaffAuthOptions } from '../platform/auth/staff-auth.ts';
import type { Cipher } from '../platform/crypto.ts';
import type { Api } from '../platform/http/api.ts';
import type { Jobs } from '../platform/jobs.ts';
import type { LineClients } from '../platform/line/line-clients.ts';
import type { Realtime } from '../platform/realtime.ts';
import type { ChannelsService } from './channels/channels.service.ts';
import type { LineEventBus } from './line-events/line-event-bus.ts';

// The one module shape (modules/README.md). Each module folder has one `<name>.module.ts` that
// exports `defineModule({...})`: its name, the LINE event types it subscribes to, and `register`,
// which adds its routes (each declaring its protection in `config`), defines its jobs and crons on
// `deps.jobs` and subscribes its handlers on `deps.bus`. `app.ts` lists the modules in one array.

export interface ModuleDeps {
  config: Config;
  db: Db;
  cipher: Cipher;
  jobs: Jobs;
  line: LineClients;
  realtime: Realtime;
  /** Staff sign-in settings (sessions, IP allow-lists), shared with the staff-auth hook. */
  auth: StaffAuthOptions;
  /** One instance for every module: it caches decrypted channel credentials briefly. */
  channels: ChannelsService;
  /** This module's view of the LINE event bus: subscriptions are recorded under its name. */
  bus: LineEventBus;
  /** "There is work" → at most one `job` per `intervalMs` (failures are logged). */
  trigger(job: string, intervalMs: number): () => void;
}

export interface AppModule {
  name: string;
  /** LINE event types `register` subscribes to; checked against the bus when the app is built. */
  lineEvents: readonly string[];
  register(app: Api, deps: ModuleDeps): void | Promise<void>;
}

export function defineModule(module: AppModule): AppModule {
  return module;
}

/** Fails the start-up when a module's declared LINE events differ from what it subscribed. */
export function checkLineEventDeclarations(modules: readonly AppModule[], bus: LineEventBus): void {
  for (const m of modules) {
    const subscribed = new Set(
      bus
        .subscribers()
        .filter((s) => s.module === m.name)
        .map((s) => s.type),
    );
    const declared = new Set(m.lineEvents);
    const same = subscribed.size === declared.size && [...declared].every((t) => subscribed.has(t));
    if (!same) {
      throw new Error(
        `module ${m.name} declares lineEvents [${[...declared].join(', ')}] but subscribes [${[...subscribed].join(', ')}]`,
      );
    }
  }
}

/** Event type → the modules handling it, in dispatch order (the README's table). */
export function lineEventHandlers(modules: readonly AppModule[]): Map<string, string[]> {
  const table = new Map<string, string[]>();
  for (const m of modules) for (const t of m.lineEvents) table.set(t, [...(table.get(t) ?? []), m.name]);
  return table;
}
