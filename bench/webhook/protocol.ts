// The JSON lines a benchmark's server child prints on stdout for its run.ts (webhook/server.ts here;
// consultation/server.ts reuses the common parts).

/** What every server child's ready line holds (added by server-child.ts). */
export interface ServerChildReady {
  url: string;
  /** Which PostgreSQL the server uses, for the report. */
  database: string;
  /** Where the server's LINE API calls go. */
  lineApi: string;
  poolSize: number;
  pid: number;
  /** The separate `madoguchi worker` process (BENCH_LAYOUT=split). */
  workerPid?: number;
  /** The mail bridge's SMTP port (BENCH_MAIL_IN=1). */
  smtpPort?: number;
}

/** Printed once when the server listens and the channel exists. */
export interface ServerReady extends ServerChildReady {
  channelId: string;
  channelSecret: string;
  /** The channel's LINE channel ID and access token, to register the same channel in the LINE simulator. */
  lineChannelId: string;
  accessToken: string;
}

/** CPU, memory and event-loop figures of a benchmark's server child (server-child.ts), in every "stats" answer. */
export interface ServerProcessStats {
  /** CPU time of the server process so far (process.cpuUsage), in ms. */
  cpuUserMs: number;
  cpuSystemMs: number;
  /** process.memoryUsage() of the server, in MiB. */
  rssMb: number;
  heapUsedMb: number;
  heapTotalMb: number;
  externalMb: number;
  /** Event-loop delay of the server since the last "reset" command (perf_hooks), in ms. */
  loopDelayP50Ms: number;
  loopDelayP99Ms: number;
  loopDelayMaxMs: number;
  /** PostgreSQL processes working for this benchmark: backends of its database and the server's WAL
   * writer, checkpointer and background writer (those serve every database of that server). */
  pgPids: number[];
}

/** Answer to the "stats" command. */
export interface ServerStats extends ServerProcessStats {
  /** Rows in line_events. */
  stored: number;
  /** Distinct webhook_event_id values in line_events (equal to stored unless something is duplicated). */
  distinctIds: number;
  /** Rows not dispatched yet (dispatched_at is null). */
  pending: number;
  /** Rows whose dispatch failed at least once. */
  failed: number;
  /** Friends created by follow events, and those whose LINE profile was fetched with a display name. */
  friends: number;
  profiles: number;
}
