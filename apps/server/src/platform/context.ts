import type { FastifyBaseLogger } from 'fastify';
import type { Config } from '../config.ts';
import type { Db } from '../db/database.ts';
import type { Cipher } from './crypto.ts';
import type { Jobs } from './jobs.ts';
import type { LineClients } from './line/line-clients.ts';

// What every module gets: configuration, database, cipher, job queue, LINE clients, logger.
export interface AppContext {
  config: Config;
  db: Db;
  cipher: Cipher;
  jobs: Jobs;
  line: LineClients;
  log: FastifyBaseLogger;
}
