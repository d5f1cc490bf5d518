import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';
import { modules } from './app.ts';
import { configSchema } from './config.ts';
import './platform/clock-skew.ts';
import { registry } from './platform/http/metrics.ts';

// What can be checked of the deployment files without a cluster or a Docker daemon (D-01, O-03,
// S-01, S-03, S-11): the alert rules use metrics the server has, the Kubernetes manifests use
// commands, settings and routes the server has, and the image is built the way deploy/README says.

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const deploy = path.join(root, 'deploy');
const read = (...p: string[]) => readFileSync(path.join(...p), 'utf8');

type Alert = {
  alert: string;
  expr: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
};

describe('alert rules (O-03)', () => {
  const rules = parse(read(deploy, 'monitoring/alerts.yml')) as {
    groups: { name: string; rules: Alert[] }[];
  };
  const alerts = rules.groups.flatMap((g) => g.rules);
  // Every metric this server registers (the modules' metrics are registered by importing them).
  expect(modules.length).toBeGreaterThan(0);
  const ours = new Set(registry.getMetricsAsArray().map((m) => m.name));

  it('O-03: every madoguchi_* metric an alert uses is one the server exposes', () => {
    const used = new Set(alerts.flatMap((a) => a.expr.match(/\bmadoguchi_[a-z_]+/g) ?? []));
    expect(used.size).toBeGreaterThan(15);
    const unknown = [...used].filter((m) => !ours.has(m) && !ours.has(m.replace(/_(bucket|count|sum)$/, '')));
    expect(unknown).toEqual([]);
  });

  it('O-03: each alert has a severity and a Japanese summary, and docs/operations.md explains it', () => {
    const docs = read(root, 'docs/operations.md');
    for (const a of alerts) {
      expect([a.alert, a.labels?.severity]).toEqual([a.alert, expect.stringMatching(/^(critical|warning)$/)]);
      expect(a.annotations?.summary ?? '').toMatch(/[ぁ-んァ-ン一-龥]/);
      expect([a.alert, docs.includes(a.alert)]).toEqual([a.alert, true]);
    }
    expect(new Set(alerts.map((a) => a.alert)).size).toBe(alerts.length);
  });

  it('O-03: the required subjects are covered (down, readiness, 5xx, queues, outbox, deliveries, consultation, mail, clock, WAL, disk, certificate)', () => {
    const exprs = alerts.map((a) => a.expr).join('\n');
    for (const needle of [
      'up{',
      'probe="readyz"',
      'status=~"5.."',
      'madoguchi_webhook_intake_duration_seconds_count',
      'madoguchi_job_queue_oldest_waiting_seconds',
      'madoguchi_line_outbox_failed_total',
      'madoguchi_delivery_messages_total',
      'madoguchi_consultation_oldest_waiting_seconds',
      'madoguchi_mail_outbox_failed',
      'abs(madoguchi_clock_skew_seconds) > 1',
      'pg_stat_archiver_failed_count',
      'node_filesystem_avail_bytes',
      'probe_ssl_earliest_cert_expiry',
    ])
      expect([needle, exprs.includes(needle)]).toEqual([needle, true]);
  });
});

type Container = {
  name: string;
  image: string;
  args?: string[];
  command?: string[];
  env?: { name: string; value?: string }[];
  envFrom?: { configMapRef?: { name: string }; secretRef?: { name: string } }[];
  ports?: { name: string; containerPort: number }[];
  readinessProbe?: { httpGet?: { path: string; port: string | number } };
  livenessProbe?: { httpGet?: { path: string; port: string | number } };
  startupProbe?: { httpGet?: { path: string; port: string | number } };
  securityContext?: { readOnlyRootFilesystem?: boolean; allowPrivilegeEscalation?: boolean };
};
type Manifest = {
  apiVersion: string;
  kind: string;
  metadata: { name: string; labels?: Record<string, string> };
  spec?: Record<string, unknown>;
  data?: Record<string, string>;
  stringData?: Record<string, string>;
};

describe('Kubernetes manifests (D-01)', () => {
  const dir = path.join(deploy, 'k8s');
  const files = readdirSync(dir).filter((f) => f.endsWith('.yaml'));
  const docs: Manifest[] = files.flatMap((f) =>
    parseAllDocuments(read(dir, f)).map((d) => {
      expect([f, d.errors.map(String)]).toEqual([f, []]);
      return d.toJS() as Manifest;
    }),
  );
  const kustomization = docs.find((d) => d.kind === 'Kustomization') as unknown as {
    resources: string[];
    images: { name: string }[];
  };
  const byKind = (kind: string) => docs.filter((d) => d.kind === kind);
  const podSpec = (d: Manifest) =>
    (d.spec as { template: { spec: Record<string, unknown> } }).template.spec as {
      containers: Container[];
      securityContext?: { runAsNonRoot?: boolean };
    };
  const workloads = [...byKind('Deployment'), ...byKind('Job')];
  const containers = workloads.flatMap((w) => podSpec(w).containers.map((c) => ({ w, c })));
  const main = read(root, 'apps/server/src/main.ts');
  const config = docs.find((d) => d.kind === 'ConfigMap')!;

  it('D-01: kustomization lists every manifest but the Secret template; one image name for all', () => {
    expect([...kustomization.resources].sort()).toEqual(
      files.filter((f) => f !== 'kustomization.yaml' && f !== 'secret.example.yaml').sort(),
    );
    expect(kustomization.images.map((i) => i.name)).toEqual(['madoguchi']);
    expect(new Set(containers.map(({ c }) => c.image))).toEqual(new Set(['madoguchi']));
  });

  it('D-01: each container runs a command (and options) the madoguchi command has', () => {
    const commands = new Set([...main.matchAll(/\.command\('([a-z-]+)'\)/g)].map((m) => m[1]));
    const roles = new Map(workloads.map((w) => [w.metadata.name, podSpec(w).containers[0]!.args]));
    expect(Object.fromEntries(roles)).toEqual({
      'madoguchi-web': ['serve', '--no-workers'],
      'madoguchi-worker': ['worker'],
      'madoguchi-migrate': ['migrate'],
    });
    for (const { c } of containers) {
      expect(commands.has(c.args![0])).toBe(true);
      for (const option of c.args!.slice(1))
        expect([option, main.includes(`'${option}`)]).toEqual([option, true]);
    }
  });

  it('D-01: every variable given to a container is a setting of config.ts', () => {
    const known = new Set(Object.keys(configSchema.shape));
    const secret = parse(read(dir, 'secret.example.yaml')) as Manifest;
    const given = [
      ...Object.keys(config.data ?? {}),
      ...Object.keys(secret.stringData ?? {}),
      ...containers.flatMap(({ c }) => (c.env ?? []).map((e) => e.name)),
    ];
    expect(given.filter((v) => !known.has(v))).toEqual([]);
    for (const { c } of containers)
      expect(c.envFrom?.map((e) => e.configMapRef?.name ?? e.secretRef?.name)).toEqual([
        'madoguchi-config',
        'madoguchi-secrets',
      ]);
    expect(secret.metadata.name).toBe('madoguchi-secrets');
    expect(Object.values(secret.stringData ?? {}).every((v) => v.includes('REPLACE_ME'))).toBe(true);
  });

  it('O-03: probes point at the operations routes, on ports the server answers them', () => {
    const app = read(root, 'apps/server/src/app.ts');
    const workerEndpoints = read(root, 'apps/server/src/platform/http/worker-endpoints.ts');
    for (const { w, c } of containers) {
      for (const probe of [c.readinessProbe, c.livenessProbe, c.startupProbe].filter((p) => p)) {
        const { path: route, port } = probe!.httpGet!;
        expect(app.includes(`app.get('${route}'`)).toBe(true);
        const containerPort = c.ports?.find((p) => p.name === port)?.containerPort;
        if (w.metadata.name === 'madoguchi-worker') {
          expect(workerEndpoints.includes(`'${route}'`)).toBe(true);
          expect(String(containerPort)).toBe(config.data!.WORKER_METRICS_PORT);
        } else {
          expect(String(containerPort)).toBe(c.env?.find((e) => e.name === 'PORT')?.value);
        }
      }
    }
    const web = containers.find(({ w }) => w.metadata.name === 'madoguchi-web')!.c;
    expect(web.readinessProbe?.httpGet?.path).toBe('/readyz');
    expect(web.livenessProbe?.httpGet?.path).toBe('/healthz');
  });

  it('S-11: every pod runs as non-root with a read-only root file system and no privilege escalation', () => {
    for (const w of workloads)
      expect([w.metadata.name, podSpec(w).securityContext?.runAsNonRoot]).toEqual([w.metadata.name, true]);
    for (const { c } of containers) {
      expect([
        c.name,
        c.securityContext?.readOnlyRootFilesystem,
        c.securityContext?.allowPrivilegeEscalation,
      ]).toEqual([c.name, true, false]);
    }
  });

  it('D-01: the web servers are at least 2, autoscaled and kept by a disruption budget; the selectors match', () => {
    const web = byKind('Deployment').find((d) => d.metadata.name === 'madoguchi-web')!;
    const spec = web.spec as { replicas: number; selector: { matchLabels: Record<string, string> } };
    expect(spec.replicas).toBeGreaterThanOrEqual(2);
    const hpa = byKind('HorizontalPodAutoscaler')[0]!.spec as {
      scaleTargetRef: { name: string };
      minReplicas: number;
    };
    expect(hpa.scaleTargetRef.name).toBe('madoguchi-web');
    expect(hpa.minReplicas).toBeGreaterThanOrEqual(2);
    const pdbs = byKind('PodDisruptionBudget').map(
      (p) => (p.spec as { selector: { matchLabels: object } }).selector,
    );
    expect(pdbs).toContainEqual({ matchLabels: spec.selector.matchLabels });
    const service = byKind('Service')[0]!.spec as { selector: object };
    expect(service.selector).toEqual(spec.selector.matchLabels);
  });

  it('S-01: the Ingress serves TLS only with TLS 1.2+ and HSTS; PUBLIC_URL is https', () => {
    const ingress = byKind('Ingress')[0]!;
    const annotations = (ingress.metadata as unknown as { annotations: Record<string, string> }).annotations;
    expect(annotations['nginx.ingress.kubernetes.io/ssl-protocols']).toBe('TLSv1.2 TLSv1.3');
    expect(annotations['nginx.ingress.kubernetes.io/hsts']).toBe('true');
    expect((ingress.spec as { tls: unknown[] }).tls.length).toBe(1);
    expect(config.data!.PUBLIC_URL).toMatch(/^https:\/\//);
  });

  it('S-03/C-13: the database example has 3 instances, a synchronous standby, backups to a Japanese region', () => {
    const cluster = byKind('Cluster')[0]!.spec as {
      instances: number;
      postgresql: { synchronous: { number: number } };
      backup: { barmanObjectStore: { endpointURL: string } };
    };
    expect(cluster.instances).toBe(3);
    expect(cluster.postgresql.synchronous.number).toBeGreaterThanOrEqual(1);
    expect(cluster.backup.barmanObjectStore.endpointURL).toMatch(/ap-northeast-[13]|sakura/);
    expect(byKind('ScheduledBackup')).toHaveLength(1);
  });
});

describe('container image (D-01, S-11)', () => {
  const dockerfile = read(deploy, 'Dockerfile');
  const stages = dockerfile.split(/^FROM /m).slice(1);
  const final = stages.at(-1)!;

  it('S-11: the runtime stage is a slim base, without dev dependencies or npm, run by a non-root user', () => {
    expect(dockerfile).toMatch(/^ARG NODE_IMAGE=node:24-bookworm-slim$/m);
    expect(final).toMatch(/^\$\{NODE_IMAGE\}\n/);
    expect(dockerfile).toContain('npm prune --omit=dev');
    expect(final).toMatch(/rm -rf \/usr\/local\/lib\/node_modules\/npm/);
    expect(final).not.toMatch(/^RUN .*npm (ci|install)/m);
    const user = final.match(/^USER (\S+)$/m)?.[1];
    expect(user).toBeDefined();
    expect(['root', '0']).not.toContain(user);
  });

  it('D-01: the image checks /healthz and starts the madoguchi command that exists', () => {
    expect(final).toMatch(/^HEALTHCHECK [\s\S]*?\/healthz/m);
    const entry = final.match(/^ENTRYPOINT \["node", "([^"]+)"\]$/m)?.[1];
    expect(entry && existsSync(path.join(root, entry))).toBe(true);
    expect(final).toMatch(/^CMD \["serve"\]$/m);
  });
});
