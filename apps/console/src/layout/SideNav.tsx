import { useId, useState } from 'react';
import { useCan } from '../auth/AuthContext.tsx';
import { WaitingCount } from '../features/consultation/LiveNotices.tsx';
import { useT } from '../i18n/i18n.tsx';
import { Link } from '../lib/router.tsx';
import { NAV_GROUPS, NAV_ITEMS, type NavItem } from './navItems.ts';

function NavLink({ item, currentPath }: { item: NavItem; currentPath: string }) {
  const t = useT();
  const active = currentPath === item.path || currentPath.startsWith(`${item.path}/`);
  return (
    <li>
      <Link
        to={item.path}
        aria-current={active ? 'page' : undefined}
        className={`flex min-h-11 items-center border-l-4 px-5 py-1.5 text-std-16N-170 hover:bg-solid-gray-50 hover:underline ${
          active
            ? 'border-blue-900 bg-blue-50 font-bold text-blue-1000'
            : 'border-transparent text-solid-gray-800'
        }`}
      >
        {t(item.label)}
        {item.path === '/consultations' && <WaitingCount />}
      </Link>
    </li>
  );
}

/**
 * Left navigation, grouped under 配信 / 相談 / 友だち / 設定 / 管理: only the items the account's
 * permissions allow, and only the groups with at least one of them.
 */
export function SideNav({ currentPath }: { currentPath: string }) {
  const t = useT();
  const can = useCan();
  const items = NAV_ITEMS.filter((item) => item.permission === null || can(item.permission));
  const top = items.filter((item) => !item.group);
  // Below 640 px the lists fold behind one button; a page change folds them again.
  const [openOn, setOpenOn] = useState<string | null>(null);
  const open = openOn === currentPath;
  const listsId = useId();
  return (
    <nav
      aria-label={t('nav.label')}
      className="w-full shrink-0 border-b border-solid-gray-420 bg-white sm:w-52 sm:border-r sm:border-b-0"
    >
      <button
        type="button"
        aria-expanded={open}
        aria-controls={listsId}
        onClick={() => setOpenOn(open ? null : currentPath)}
        className="flex min-h-12 w-full items-center px-4 text-std-16B-170 text-blue-900 underline sm:hidden"
      >
        {t(open ? 'nav.close' : 'nav.open')}
      </button>
      <div id={listsId} className={open ? 'pb-3' : 'hidden sm:block'}>
        {top.length > 0 && (
          <ul className="flex flex-col pt-3">
            {top.map((item) => (
              <NavLink key={item.path} item={item} currentPath={currentPath} />
            ))}
          </ul>
        )}
        {NAV_GROUPS.map((group) => {
          const inGroup = items.filter((item) => item.group === group.key);
          if (inGroup.length === 0) return null;
          const headingId = `nav-group-${group.key}`;
          return (
            <div key={group.key} className="pt-3" data-testid={headingId}>
              <h2 id={headingId} className="px-5 pb-1 text-dns-14B-130 text-solid-gray-700">
                {t(group.label)}
              </h2>
              <ul aria-labelledby={headingId} className="flex flex-col">
                {inGroup.map((item) => (
                  <NavLink key={item.path} item={item} currentPath={currentPath} />
                ))}
              </ul>
            </div>
          );
        })}
      </div>
    </nav>
  );
}
