import type { Db } from '../../db/database.ts';
import type { Cipher } from '../../platform/crypto.ts';
import type { Api } from '../../platform/http/api.ts';

// The FAQ over HTTP (B-04): list, import (dry run and real), export, search test, unanswered list.
// (Interface first; the routes follow in the next commits of issue 12.)
export function registerFaqRoutes(_app: Api, _deps: { db: Db; cipher?: Cipher }): void {}
