import { Counter } from 'prom-client';
import { ageSeconds, defineFigures, type Reading, registry } from '../../platform/http/metrics.ts';
import { openConsultationFigures } from './consultations.repository.ts';

// Prometheus metrics of the SNS consultation (O-03): messages stored by sender (counted by this
// process), and at scrape time per desk the consultations waiting for a counselor, the active ones,
// and how long the oldest waiting one has waited.

export const consultationMessages = new Counter({
  name: 'madoguchi_consultation_messages_total',
  help: "Consultation messages stored, by sender ('consultee', 'counselor', 'system')",
  labelNames: ['sender'],
  registers: [registry],
});

defineFigures({
  source: 'consultation',
  gauges: {
    madoguchi_consultations_waiting: {
      help: 'Consultations waiting for a counselor, per desk (ID)',
      labelNames: ['desk'],
    },
    madoguchi_consultations_active: {
      help: 'Consultations a counselor has taken, per desk',
      labelNames: ['desk'],
    },
    madoguchi_consultation_oldest_waiting_seconds: {
      help: 'How long the oldest waiting consultation of a desk has waited (0 when none waits)',
      labelNames: ['desk'],
    },
  },
  async read({ db }) {
    const rows = await openConsultationFigures(db);
    const of = (status: 'waiting' | 'active', value: (r: (typeof rows)[number]) => number): Reading[] =>
      rows.filter((r) => r.status === status).map((r) => ({ labels: { desk: r.desk_id }, value: value(r) }));
    return {
      madoguchi_consultations_waiting: of('waiting', (r) => Number(r.count)),
      madoguchi_consultations_active: of('active', (r) => Number(r.count)),
      madoguchi_consultation_oldest_waiting_seconds: of('waiting', (r) =>
        ageSeconds(r.oldest as Date | null),
      ),
    };
  },
});
