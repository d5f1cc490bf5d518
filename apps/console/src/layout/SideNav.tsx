import { useCan } from '../auth/AuthContext.tsx';
import { WaitingCount } from '../features/consultation/LiveNotices.tsx';
import { useT } from '../i18n/i18n.tsx';
import { Link } from '../lib/router.tsx';
import { NAV_ITEMS } from './navItems.ts';

/** Left navigation: only the items the account's permissions allow. */
export function SideNav({ currentPath }: { currentPath: string }) {
  const t = useT();
  const can = useCan();
  const items = NAV_ITEMS.filter((item) => item.permission === null || can(item.permission));
  return (
    <nav aria-label={t('nav.label')} className="w-52 shrink-0 border-r border-solid-gray-420 bg-white">
      <ul className="flex flex-col py-3">
        {items.map((item) => {
          const active = currentPath === item.path || currentPath.startsWith(`${item.path}/`);
          return (
            <li key={item.path}>
              <Link
                to={item.path}
                aria-current={active ? 'page' : undefined}
                className={`flex min-h-12 items-center border-l-4 px-5 py-2 text-std-16N-170 hover:bg-solid-gray-50 hover:underline ${
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
        })}
      </ul>
    </nav>
  );
}
