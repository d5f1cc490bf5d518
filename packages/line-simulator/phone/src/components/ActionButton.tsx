import { actionLabel, usePhone } from '../phone-context.ts';
import type { Action } from '../types.ts';

export function ActionButton({
  action,
  className,
  style,
}: {
  action: Action;
  className?: string;
  style?: React.CSSProperties;
}) {
  const { run } = usePhone();
  return (
    <button
      type="button"
      className={className}
      style={style}
      data-action-type={action.type}
      onClick={(e) => {
        e.stopPropagation();
        run(action);
      }}
    >
      {actionLabel(action)}
    </button>
  );
}
