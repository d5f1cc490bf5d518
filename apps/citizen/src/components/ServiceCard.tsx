import { Link } from './Link.tsx';

/**
 * A service on the home page: a link to the service. Only services that work are shown (no
 * "準備中" cards: the list comes from what the city has enabled).
 */
export function ServiceCard({
  title,
  description,
  href,
}: {
  title: string;
  description: string;
  href: string;
}) {
  // The whole card is the link's target (the link's ::after covers it); the heading stays a heading.
  return (
    <li className="relative flex items-center gap-3 rounded-12 border-2 border-blue-900 bg-white p-4 has-[a:hover]:bg-blue-50 has-[a:active]:bg-blue-100">
      <div className="flex min-w-0 flex-1 flex-col gap-1">
        <h3 className="text-std-18B-160">
          <Link
            href={href}
            className="text-blue-900 underline underline-offset-[3px] after:absolute after:inset-0 after:rounded-12 hover:decoration-2"
          >
            {title}
          </Link>
        </h3>
        <p className="text-std-16N-170 text-solid-gray-800">{description}</p>
      </div>
      <svg aria-hidden="true" viewBox="0 0 24 24" className="size-6 shrink-0 fill-blue-900">
        <path d="M9.3 5.3a1 1 0 0 1 1.4 0l6 6a1 1 0 0 1 0 1.4l-6 6a1 1 0 1 1-1.4-1.4l5.3-5.3-5.3-5.3a1 1 0 0 1 0-1.4Z" />
      </svg>
    </li>
  );
}
