import type { ReactNode } from 'react';
import { linkify, parseLiffLink } from '../links.ts';
import { usePhone } from '../phone-context.ts';
import type { LineMessage } from '../types.ts';

function EmojiBox({ productId, emojiId }: { productId?: string; emojiId?: string }) {
  const id = `${productId ?? '?'}/${emojiId ?? '?'}`;
  return (
    <span className="line-emoji" role="img" aria-label={`LINE絵文字 ${id}`} title={`LINE絵文字 ${id}`}>
      ☺
    </span>
  );
}

function Linked({ text }: { text: string }) {
  const { openUri } = usePhone();
  return (
    <>
      {linkify(text).map((part, i) =>
        part.kind === 'text' ? (
          part.text
        ) : (
          <a
            key={i}
            href={part.href}
            target="_blank"
            rel="noopener noreferrer"
            onClick={(e) => {
              if (parseLiffLink(part.href) || part.href.startsWith('line://')) {
                e.preventDefault();
                openUri(part.href);
              }
            }}
          >
            {part.text}
          </a>
        ),
      )}
    </>
  );
}

/** Text of a text / textV2 message: links, LINE emoji ($ placeholders or {key} substitutions), line breaks. */
export function TextContent({ message }: { message: LineMessage }) {
  const text = message.text ?? '';
  const nodes: ReactNode[] = [];
  if (message.type === 'textV2' && message.substitution) {
    let last = 0;
    for (const m of text.matchAll(/\{([A-Za-z0-9_]+)\}/g)) {
      const sub = message.substitution[m[1] ?? ''];
      if (!sub) continue;
      const start = m.index ?? 0;
      if (start > last) nodes.push(<Linked key={`t${last}`} text={text.slice(last, start)} />);
      nodes.push(
        sub.type === 'emoji' ? (
          <EmojiBox key={`e${start}`} productId={sub.productId} emojiId={sub.emojiId} />
        ) : (
          <span key={`m${start}`} className="mention">
            @{m[1]}
          </span>
        ),
      );
      last = start + m[0].length;
    }
    if (last < text.length) nodes.push(<Linked key={`t${last}`} text={text.slice(last)} />);
  } else {
    const emojis = [...(message.emojis ?? [])]
      .filter((e) => text[e.index] === '$')
      .sort((a, b) => a.index - b.index);
    let last = 0;
    for (const e of emojis) {
      if (e.index < last) continue;
      if (e.index > last) nodes.push(<Linked key={`t${last}`} text={text.slice(last, e.index)} />);
      nodes.push(<EmojiBox key={`e${e.index}`} productId={e.productId} emojiId={e.emojiId} />);
      last = e.index + 1;
    }
    if (last < text.length) nodes.push(<Linked key={`t${last}`} text={text.slice(last)} />);
  }
  return <>{nodes}</>;
}
