import type { ReactNode, TdHTMLAttributes, ThHTMLAttributes } from 'react';

/** Horizontally scrollable data table with a caption (visually hidden when `hideCaption`). */
export function Table({
  caption,
  hideCaption = false,
  children,
}: {
  caption: ReactNode;
  hideCaption?: boolean;
  children: ReactNode;
}) {
  return (
    <div className="overflow-x-auto">
      <table className="w-full border-collapse text-left">
        <caption className={hideCaption ? 'sr-only' : 'mb-2 text-left text-std-17B-170'}>{caption}</caption>
        {children}
      </table>
    </div>
  );
}

export function Th({ className = '', ...rest }: ThHTMLAttributes<HTMLTableCellElement>) {
  return (
    <th
      scope="col"
      className={`border-b-2 border-solid-gray-420 bg-solid-gray-50 px-2 py-2.5 text-dns-16B-130 whitespace-nowrap text-solid-gray-800 ${className}`}
      {...rest}
    />
  );
}

export function Td({ className = '', ...rest }: TdHTMLAttributes<HTMLTableCellElement>) {
  return (
    <td
      className={`border-b border-solid-gray-420 px-2 py-2 align-middle text-dns-16N-130 text-solid-gray-800 ${className}`}
      {...rest}
    />
  );
}

export function EmptyRow({ colSpan, children }: { colSpan: number; children: ReactNode }) {
  return (
    <tr>
      <td colSpan={colSpan} className="border-b border-solid-gray-420 px-3 py-6 text-center text-std-16N-170">
        {children}
      </td>
    </tr>
  );
}
