import { Counter } from 'prom-client';
import { ageSeconds, defineFigures, registry } from '../../platform/http/metrics.ts';
import { deliveryFigures } from './deliveries.repository.ts';

// Prometheus metrics of segment deliveries (O-03): recipients of multicast batches sent or failed
// (counted by the worker that sent them), and at scrape time the deliveries sending now and how late
// the oldest due scheduled delivery is (a delivery runner that does not start them).

export const deliveryMessages = new Counter({
  name: 'madoguchi_delivery_messages_total',
  help: "Recipients of delivery batches by result ('sent' or 'failed')",
  labelNames: ['result'],
  registers: [registry],
});

defineFigures({
  source: 'deliveries',
  gauges: {
    madoguchi_deliveries_sending: { help: 'Deliveries being sent now' },
    madoguchi_deliveries_overdue_seconds: {
      help: 'How long the oldest scheduled delivery is past its time without having started (0 when none)',
    },
  },
  async read({ db }) {
    const f = await deliveryFigures(db);
    return {
      madoguchi_deliveries_sending: f.sending,
      madoguchi_deliveries_overdue_seconds: ageSeconds(f.oldestDue),
    };
  },
});
