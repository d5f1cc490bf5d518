import { z } from 'zod';
import { AppError, conflict } from '../../platform/errors.ts';
import type { Api } from '../../platform/http/api.ts';
import { ipInCidrs, parseCidr } from '../../platform/security/cidr.ts';
import type { IpAllowlists } from '../../platform/security/ip-allowlist.service.ts';

const entrySchema = z.object({
  cidr: z.string().trim().min(2).max(50),
  note: z
    .string()
    .trim()
    .max(200)
    .regex(/^[^<>]*$/, '記号 < > は使えません')
    .default(''),
});

export function registerIpAllowlistRoutes(app: Api, lists: IpAllowlists): void {
  app.get(
    '/api/ip-allowlists',
    { schema: { tags: ['security'], summary: 'IP アクセス制限' }, config: { permission: 'security.manage' } },
    async (request) => ({ ...(await lists.list()), clientIp: request.ip }),
  );

  app.put(
    '/api/ip-allowlists/:area',
    {
      schema: {
        tags: ['security'],
        summary: 'IP アクセス制限を保存',
        params: z.object({ area: z.enum(['admin', 'counselor']) }),
        body: z.object({ entries: z.array(entrySchema).max(500) }),
      },
      config: {
        permission: 'security.manage',
        audit: { action: 'ip-allowlist.update', targetType: 'ip-allowlist' },
      },
    },
    async (request) => {
      const { area } = request.params;
      const bad = request.body.entries
        .map((e, i) => ({ e, i, parsed: parseCidr(e.cidr) }))
        .filter((x) => !x.parsed);
      if (bad.length) {
        throw new AppError(
          400,
          'INVALID_CIDR',
          `IP アドレスの形式が正しくありません: ${bad.map((b) => b.e.cidr).join(', ')}`,
          bad.map((b) => ({
            path: `entries.${b.i}.cidr`,
            message: 'IPv4 / IPv6 アドレスまたは CIDR で入力してください',
          })),
        );
      }
      const entries = request.body.entries.map((e) => {
        const [addr, bits] = parseCidr(e.cidr)!;
        return { cidr: `${addr.toString()}/${bits}`, note: e.note };
      });
      // The admin list must keep the person saving it inside, or nobody could change it back.
      if (
        area === 'admin' &&
        entries.length > 0 &&
        !ipInCidrs(
          request.ip,
          entries.map((e) => parseCidr(e.cidr)!),
        )
      ) {
        throw conflict(
          'IP_LIST_WOULD_LOCK_OUT',
          'この設定では現在の接続元から管理画面を操作できなくなります',
        );
      }
      await lists.replace(area, entries);
      request.auditTarget = { id: area, count: entries.length, detail: { entries } };
      return { entries };
    },
  );
}
