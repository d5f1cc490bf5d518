import { type ReactNode, useId } from 'react';

/** A titled block of a page; exposed as a named region so tests can scope queries to it. */
export function Section({
  title,
  description,
  children,
  actions,
  className = '',
}: {
  title: string;
  description?: ReactNode;
  children: ReactNode;
  actions?: ReactNode;
  className?: string;
}) {
  const id = useId();
  return (
    <section
      aria-labelledby={id}
      className={`rounded-12 border border-solid-gray-420 bg-white p-5 ${className}`}
    >
      <div className="mb-4 flex flex-wrap items-start justify-between gap-3">
        <div className="flex flex-col gap-1">
          <h2 id={id} className="text-std-20B-150 text-solid-gray-900">
            {title}
          </h2>
          {description && <div className="text-std-16N-170 text-solid-gray-700">{description}</div>}
        </div>
        {actions}
      </div>
      {children}
    </section>
  );
}
