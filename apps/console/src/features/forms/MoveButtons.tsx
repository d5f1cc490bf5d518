import { useRef } from 'react';
import { buttonClass } from '../../components/Button.tsx';
import { useT } from '../../i18n/i18n.tsx';

/**
 * 上へ / 下へ for one entry of an ordered list. After a successful move the keyboard stays on the
 * same button (or on the other one when the entry reached an end of the list).
 */
export function MoveButtons({
  label,
  index,
  count,
  onMove,
}: {
  label: string;
  index: number;
  count: number;
  onMove: (by: -1 | 1) => Promise<boolean>;
}) {
  const t = useT();
  const up = useRef<HTMLButtonElement>(null);
  const down = useRef<HTMLButtonElement>(null);
  const move = async (by: -1 | 1) => {
    if (!(await onMove(by))) return;
    requestAnimationFrame(() => {
      const same = by < 0 ? up.current : down.current;
      (same && !same.disabled ? same : by < 0 ? down.current : up.current)?.focus();
    });
  };
  const cls = buttonClass('tertiary', 'sm');
  return (
    <>
      <button
        ref={up}
        type="button"
        className={cls}
        disabled={index === 0}
        aria-label={t('forms.moveUpLabel', { label })}
        onClick={() => void move(-1)}
      >
        {t('forms.moveUp')}
      </button>
      <button
        ref={down}
        type="button"
        className={cls}
        disabled={index === count - 1}
        aria-label={t('forms.moveDownLabel', { label })}
        onClick={() => void move(1)}
      >
        {t('forms.moveDown')}
      </button>
    </>
  );
}
