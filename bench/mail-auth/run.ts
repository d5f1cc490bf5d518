import { performance } from 'node:perf_hooks';
import { checkMailAuth, type DNSResolver } from '../../apps/server/src/modules/mail-bridge/mail-auth.ts';
import { cityTestDns } from '../../apps/server/src/modules/mail-bridge/testing/fake-dns.ts';
import { plainMail } from '../../apps/server/src/modules/mail-bridge/testing/mail-world.ts';

// What the SPF/DKIM/DMARC check (mail-auth.ts, mailauth) adds before the SMTP 250 of an inbound
// mail (issue 14): BENCH_MAILS (500) DKIM-signed mails checked one after the other with a fake DNS
// resolver answering at once (the CPU cost: parsing, RSA-2048 verify, SPF evaluation), and with a
// resolver that never answers (the bound: MAIL_IN_AUTH_TIMEOUT_MS, here BENCH_TIMEOUT_MS = 500).
// No network. Prints readable lines and one JSON object as the last line.

const MAILS = Number(process.env.BENCH_MAILS ?? 500);
const TIMEOUT_MS = Number(process.env.BENCH_TIMEOUT_MS ?? 500);

const { resolver: fast, sign } = cityTestDns();
const silent: DNSResolver = () => new Promise(() => {});

const mail = Buffer.from(
  await sign(plainMail({ from: '防災 <anzen@city.test>', to: 'bousai@madoguchi.city.example', id: 'bench' })),
);
const input = { ip: '127.0.0.1', helo: 'mail.city.test', sender: 'anzen@city.test', mta: 'bench.local' };

const pct = (xs: number[], p: number) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))]!;

async function run(resolver: DNSResolver, n: number, timeoutMs: number) {
  const ms: number[] = [];
  let last = '';
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    const r = await checkMailAuth(mail, input, resolver, timeoutMs);
    ms.push(performance.now() - t);
    last = `${r.spf}/${r.dkim}/${r.dmarc}`;
  }
  return { p50: pct(ms, 0.5), p99: pct(ms, 0.99), max: Math.max(...ms), result: last };
}

await run(fast, 20, 5000); // warm-up
const answered = await run(fast, MAILS, 5000);
console.log(
  `DNS answering at once: ${MAILS} mails, p50 ${answered.p50.toFixed(1)} ms, p99 ${answered.p99.toFixed(1)} ms, max ${answered.max.toFixed(1)} ms (spf/dkim/dmarc ${answered.result})`,
);
const stuck = await run(silent, 5, TIMEOUT_MS);
console.log(
  `DNS never answering (timeout ${TIMEOUT_MS} ms): p50 ${stuck.p50.toFixed(1)} ms, max ${stuck.max.toFixed(1)} ms (${stuck.result})`,
);
console.log(JSON.stringify({ mails: MAILS, answered, timeoutMs: TIMEOUT_MS, stuck }));
