/** A service that is not available yet: shown, but not a link or button. */
export function ServiceCard({
  title,
  description,
  badge,
}: {
  title: string;
  description: string;
  badge: string;
}) {
  return (
    <li className="flex flex-col gap-1 rounded-12 border border-solid-gray-300 bg-solid-gray-50 p-4">
      <div className="flex items-start justify-between gap-3">
        <h3 className="text-std-18B-160 text-solid-gray-800">{title}</h3>
        <span className="shrink-0 rounded-full border border-solid-gray-536 bg-white px-3 py-1 text-oln-14B-100 text-solid-gray-700">
          {badge}
        </span>
      </div>
      <p className="text-std-16N-170 text-solid-gray-700">{description}</p>
    </li>
  );
}
