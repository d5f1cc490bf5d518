import type { FastifyInstance } from 'fastify';
import type { SimContext } from '../context.ts';
import { objectBody } from '../sim-input.ts';

// /_sim/faults: make the Messaging API fail on purpose (429, 5xx, late or lost answers); see faults.ts.

export function registerSimFaultRoutes(app: FastifyInstance, ctx: SimContext): void {
  app.post('/_sim/faults', async (req, reply) => {
    const fault = ctx.faults.add(objectBody(req.body));
    return reply.code(201).send(fault);
  });

  /** Faults still active; `?all=true` also those used up (with their hits). */
  app.get('/_sim/faults', async (req) =>
    (req.query as { all?: string }).all === 'true' ? ctx.faults.all() : ctx.faults.list(),
  );

  app.delete('/_sim/faults', async () => {
    ctx.faults.clear();
    return {};
  });
}
