import { actionLabel, usePhone } from '../phone-context.ts';
import type { QuickReplyItem } from '../types.ts';

/** Quick reply chips above the input while the message carrying them is the latest. */
export function QuickReply({ items }: { items: QuickReplyItem[] }) {
  const { run } = usePhone();
  return (
    <fieldset className="quick-reply" aria-label="クイックリプライ">
      {items.map((item, i) => (
        <button
          key={i}
          type="button"
          className="chip"
          data-action-type={item.action.type}
          onClick={() => run(item.action)}
        >
          {item.imageUrl && <img src={item.imageUrl} alt="" />}
          {actionLabel(item.action)}
        </button>
      ))}
    </fieldset>
  );
}
