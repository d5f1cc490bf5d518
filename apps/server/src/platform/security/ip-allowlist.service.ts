import type { Db } from '../../db/database.ts';
import { ipInCidrs, type ParsedCidr, parseCidr } from './cidr.ts';
import { type IpArea, type IpEntry, listIpEntries, replaceIpEntries } from './ip-allowlist.repository.ts';

// IP allow-lists for the admin area (S-07) and the counselor area (C-03).
// An empty list means "no restriction" so a fresh installation is reachable; the console says so.

const CACHE_MS = 5_000;

export interface IpAllowlists {
  isAllowed(area: IpArea, ip: string): Promise<boolean>;
  isAllowedAnywhere(ip: string): Promise<boolean>;
  list(): Promise<Record<IpArea, IpEntry[]>>;
  replace(area: IpArea, entries: IpEntry[]): Promise<void>;
}

export function createIpAllowlists(db: Db): IpAllowlists {
  let cache: { at: number; parsed: Record<IpArea, ParsedCidr[]> } | null = null;
  const load = async () => {
    if (cache && Date.now() - cache.at < CACHE_MS) return cache.parsed;
    const lists = await listIpEntries(db);
    const parse = (entries: IpEntry[]) =>
      entries.map((e) => parseCidr(e.cidr)).filter((c): c is ParsedCidr => !!c);
    cache = { at: Date.now(), parsed: { admin: parse(lists.admin), counselor: parse(lists.counselor) } };
    return cache.parsed;
  };
  const allowed = (list: ParsedCidr[], ip: string) => list.length === 0 || ipInCidrs(ip, list);
  return {
    async isAllowed(area, ip) {
      return allowed((await load())[area], ip);
    },
    async isAllowedAnywhere(ip) {
      const lists = await load();
      return allowed(lists.admin, ip) || allowed(lists.counselor, ip);
    },
    list: () => listIpEntries(db),
    async replace(area, entries) {
      await replaceIpEntries(db, area, entries);
      cache = null;
    },
  };
}
