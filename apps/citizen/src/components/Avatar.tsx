import { useState } from 'react';

/** The LINE profile picture, or the name's first letter when there is none (or it fails to load). */
export function Avatar({ src, name, alt }: { src: string | null; name: string; alt: string }) {
  const [failed, setFailed] = useState(false);
  const box = 'size-16 shrink-0 rounded-full';
  if (src && !failed) {
    return (
      <img
        src={src}
        alt={alt}
        width={64}
        height={64}
        referrerPolicy="no-referrer"
        className={`${box} border border-solid-gray-200 bg-solid-gray-50 object-cover`}
        onError={() => setFailed(true)}
      />
    );
  }
  return (
    <span
      role="img"
      aria-label={alt}
      className={`${box} inline-flex items-center justify-center bg-blue-100 text-std-24B-150 text-blue-1000`}
    >
      {Array.from(name.trim())[0] ?? '?'}
    </span>
  );
}
