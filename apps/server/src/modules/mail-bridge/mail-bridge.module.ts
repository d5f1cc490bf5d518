import './mail-bridge-metrics.ts'; // its gauges (scrape-time figures, O-03)
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { recordAudit } from '../../platform/audit/audit.service.ts';
import { AppError } from '../../platform/errors.ts';
import { defineModule } from '../define-module.ts';
import { DELIVERY_RUN_JOB } from '../deliveries/deliveries.service.ts';
import { disasterSwitchOf } from '../richmenus/disaster-switch.ts';
import { createImapflowConnect, imapCaFile, pollDueAddresses } from './imap-poll.ts';
import { systemResolver } from './mail-auth.ts';
import { pruneRefused } from './mail-bridge.repository.ts';
import { registerMailBridgeRoutes } from './mail-bridge.routes.ts';
import { createMailBridge } from './mail-bridge.service.ts';
import { createSmtpListener } from './smtp-listener.ts';

// Disaster e-mail → LINE bridge (issue 14, E-01 … E-07, X-01): an inbound SMTP listener
// (smtp-listener.ts) stores each accepted mail sealed before answering 250; the job below parses it
// (mail-parse.ts), runs the address's rules (mail-rules.ts) and makes a delivery through the
// deliveries pipeline (source 'mail', linked to the mail), optionally switching disaster mode on
// through the rich menu module's switch. The listener runs where the HTTP server listens
// (`serve`, `dev`), only when MAIL_IN_PORT is set.

export const MAIL_BRIDGE_JOB = 'mail-bridge.process';
export const MAIL_BRIDGE_SWEEP_JOB = 'mail-bridge.sweep';
export const MAIL_BRIDGE_IMAP_JOB = 'mail-bridge.imap-poll';
/** Refusal rows are kept this long (each counts a sender's refusals of one hour). */
const REFUSALS_KEPT_DAYS = 90;

const listeners = new WeakMap<object, () => AddressInfo | null>();

/** Where the inbound SMTP listener of this app listens (null: off, or not started yet). */
export const mailInAddress = (app: FastifyInstance): AddressInfo | null => listeners.get(app)?.() ?? null;

export const mailBridgeModule = defineModule({
  name: 'mail-bridge',
  lineEvents: [],
  register(app, deps) {
    const { db, cipher, config } = deps;
    // The rich menu module's switch, built the same way (disaster-switch.ts).
    const disaster = disasterSwitchOf(deps, app.log);
    const bridge = createMailBridge({
      db,
      cipher,
      retryBaseMs: config.MAIL_IN_RETRY_BASE_MS,
      log: app.log,
      wakeDeliveries: deps.trigger(DELIVERY_RUN_JOB, 1),
      // X-01 from outside by e-mail: the same two steps as the console's switch, by the system.
      async switchDisaster(channelId, groupId, mailMessageId) {
        try {
          const prepared = await disaster.prepare({ channelId, groupId, on: true }, null);
          const p = await disaster.confirm(prepared.token, null);
          await recordAudit(db, {
            accountId: null,
            loginId: 'system',
            ip: null,
            action: 'richmenu.disaster-switch',
            result: 'success',
            targetType: 'richmenu',
            targetId: groupId,
            detail: { publicationId: p.id, on: true, mailMessageId },
          });
          return `災害モードに切り替えました（${prepared.groupName ?? groupId}）`;
        } catch (err) {
          if (err instanceof AppError && err.code === 'RICHMENU_DISASTER_ACTIVE')
            return 'すでに災害モードです';
          throw err;
        }
      },
    });
    const process = async () => {
      await bridge.processDue();
    };
    deps.jobs.define({ name: MAIL_BRIDGE_JOB, handler: process, retryLimit: 3 });
    // Safety net: mails stored while no job could be queued, or left by a stopped worker.
    deps.jobs.define({
      name: MAIL_BRIDGE_SWEEP_JOB,
      handler: async () => {
        await pruneRefused(db, REFUSALS_KEPT_DAYS);
        await process();
      },
      cron: '* * * * *',
      retryLimit: 0,
    });
    // IMAP polling of the addresses that have it (each at its own interval; checked every minute).
    const wakeProcessing = deps.trigger(MAIL_BRIDGE_JOB, 1);
    const imapConnect = createImapflowConnect({ ca: imapCaFile(config.MAIL_IN_IMAP_CA_FILE) });
    // SPF/DKIM/DMARC lookups: one resolver for the SMTP listener and the IMAP poller.
    const mailAuth = {
      resolver: systemResolver(config),
      timeoutMs: config.MAIL_IN_AUTH_TIMEOUT_MS,
      mta: new URL(config.PUBLIC_URL).hostname,
    };
    deps.jobs.define({
      name: MAIL_BRIDGE_IMAP_JOB,
      handler: () =>
        pollDueAddresses({
          db,
          cipher,
          connect: imapConnect,
          maxBytes: config.MAIL_IN_MAX_BYTES,
          onStored: wakeProcessing,
          auth: mailAuth,
          log: app.log,
        }),
      cron: '* * * * *',
      retryLimit: 0,
    });
    registerMailBridgeRoutes(app, { db, cipher, channels: deps.channels, bridge });

    if (config.MAIL_IN_PORT === undefined) return;
    const listener = createSmtpListener({
      config,
      db,
      cipher,
      log: app.log,
      onStored: wakeProcessing,
      resolver: mailAuth.resolver,
    });
    listeners.set(app, listener.address);
    // With the HTTP server (serve, dev), not in a `worker` process.
    app.addHook('onListen', async () => {
      await listener.listen();
    });
    app.addHook('onClose', async () => {
      await listener.close();
    });
  },
});
