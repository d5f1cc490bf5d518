import { defineModule } from '../define-module.ts';
import { OUTBOX_JOB } from '../line-events/outbox-sender.ts';
import { registerChatbotRoutes } from './chatbot.routes.ts';
import { dropExpired } from './chatbot.service.ts';
import { createChatbotRuntime } from './chatbot-line.ts';
import { registerFaqRoutes } from './faq.routes.ts';
import { faqStatsRows } from './faq.service.ts';
import { answerFromFaq, handleFaqPostback } from './faq-line.ts';
import { DEMO_DISASTER_CONTACT } from './scenario-templates.ts';

// Chatbot scenarios and FAQ answers (issue 12, B-01 … B-04, X-02). Listed last in app.ts: it answers
// only what no earlier module answered (effects.replied). One engine for keyword replies, the
// greeting on follow, the evacuation guidance (built in until a channel publishes its own) and
// every scenario staff build; typed questions no scenario takes go to the FAQ, then the fallback.

export const CHATBOT_EXPIRE_JOB = 'chatbot.expire-sessions';

export const chatbotModule = defineModule({
  name: 'chatbot',
  lineEvents: ['follow', 'message', 'postback'],
  register(app, deps) {
    const contact = deps.config.DISASTER_CONTACT ?? DEMO_DISASTER_CONTACT;
    const runtime = createChatbotRuntime({
      cipher: deps.cipher,
      publicUrl: deps.config.PUBLIC_URL,
      contact,
      faq: { answer: answerFromFaq, postback: handleFaqPostback },
    });
    runtime.subscribe(deps.bus);
    registerChatbotRoutes(app, {
      db: deps.db,
      cipher: deps.cipher,
      runtime,
      contact,
      publicUrl: deps.config.PUBLIC_URL,
      onOutbox: deps.trigger(OUTBOX_JOB, 20),
      faqStatsRows,
    });
    registerFaqRoutes(app, { db: deps.db, cipher: deps.cipher });
    // Places that timed out are counted as dropped (the next event of the friend also notices).
    deps.jobs.define({
      name: CHATBOT_EXPIRE_JOB,
      handler: async () => {
        await dropExpired(deps.db);
      },
      cron: '*/5 * * * *',
      retryLimit: 0,
    });
  },
});
