import type { CSSProperties, ReactNode } from 'react';
import { clickableProps, usePhone } from '../phone-context.ts';
import type { FlexBlockStyle, FlexNode } from '../types.ts';
import { ActionButton } from './ActionButton.tsx';

// Keyword tables from the LINE Flex Message reference (sizes in px).
const SPACE: Record<string, string> = {
  none: '0px',
  xs: '2px',
  sm: '4px',
  md: '8px',
  lg: '12px',
  xl: '16px',
  xxl: '20px',
};
const TEXT_SIZE: Record<string, string> = {
  xxs: '11px',
  xs: '13px',
  sm: '14px',
  md: '16px',
  lg: '19px',
  xl: '22px',
  xxl: '29px',
  '3xl': '35px',
  '4xl': '48px',
  '5xl': '74px',
};
const IMAGE_SIZE: Record<string, string> = {
  xxs: '40px',
  xs: '60px',
  sm: '80px',
  md: '100px',
  lg: '120px',
  xl: '140px',
  xxl: '160px',
  '3xl': '180px',
  '4xl': '200px',
  '5xl': '240px',
  full: '100%',
};
const BORDER_WIDTH: Record<string, string> = {
  none: '0px',
  light: '0.5px',
  normal: '1px',
  medium: '2px',
  'semi-bold': '3px',
  bold: '4px',
};
const BUBBLE_WIDTH: Record<string, string> = {
  nano: '120px',
  micro: '160px',
  deca: '220px',
  hecto: '241px',
  kilo: '260px',
  mega: '300px',
  giga: '500px',
};
const GRAVITY: Record<string, string> = { top: 'flex-start', center: 'center', bottom: 'flex-end' };
const ALIGN: Record<string, string> = { start: 'flex-start', center: 'center', end: 'flex-end' };

type Layout = 'vertical' | 'horizontal' | 'baseline';

function kw(table: Record<string, string>, value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  return table[value] ?? value;
}

function ratio(value: string | undefined, fallback: string): string {
  const m = /^(\d+(?:\.\d+)?):(\d+(?:\.\d+)?)$/.exec(value ?? '');
  return m ? `${m[1]} / ${m[2]}` : fallback;
}

/** Placement of a component inside its parent box: flex, margin/spacing, gravity, position, offsets. */
function itemStyle(
  node: FlexNode,
  parent: Layout,
  first: boolean,
  spacing: string | undefined,
): CSSProperties {
  const s: CSSProperties = { minWidth: 0 };
  const horizontal = parent !== 'vertical';
  const margin = first ? undefined : (node.margin ?? spacing);
  if (margin) {
    if (horizontal) s.marginInlineStart = kw(SPACE, margin);
    else s.marginTop = kw(SPACE, margin);
  }
  if (node.type !== 'separator' && node.type !== 'span') {
    const fixed = node.type === 'icon' || (node.type === 'box' && node.width !== undefined);
    if (horizontal) {
      const grow = node.flex ?? (fixed ? 0 : 1);
      s.flex = grow > 0 ? `${grow} 1 0px` : '0 0 auto';
    } else {
      const grow = node.flex ?? 0;
      s.flex = grow > 0 ? `${grow} 0 auto` : '0 0 auto';
    }
  }
  if (horizontal && node.gravity) s.alignSelf = GRAVITY[node.gravity];
  const offsets: CSSProperties = {
    top: kw(SPACE, node.offsetTop),
    bottom: kw(SPACE, node.offsetBottom),
    insetInlineStart: kw(SPACE, node.offsetStart),
    insetInlineEnd: kw(SPACE, node.offsetEnd),
  };
  if (node.position === 'absolute') Object.assign(s, { position: 'absolute', margin: 0 }, offsets);
  else if (node.offsetTop || node.offsetBottom || node.offsetStart || node.offsetEnd) {
    Object.assign(s, { position: 'relative' }, offsets);
  }
  return s;
}

function FlexBox({
  node,
  style,
  defaultPadding,
}: {
  node: FlexNode;
  style?: CSSProperties;
  defaultPadding?: string;
}) {
  const { run } = usePhone();
  const layout: Layout =
    node.layout === 'horizontal' || node.layout === 'baseline' ? node.layout : 'vertical';
  const bg = node.background;
  const gradient =
    bg?.type === 'linearGradient'
      ? `linear-gradient(${bg.angle ?? '0deg'}, ${bg.startColor ?? 'transparent'}${
          bg.centerColor ? `, ${bg.centerColor} ${bg.centerPosition ?? '50%'}` : ''
        }, ${bg.endColor ?? 'transparent'})`
      : undefined;
  const border = kw(BORDER_WIDTH, node.borderWidth);
  const boxStyle: CSSProperties = {
    position: 'relative',
    display: 'flex',
    flexDirection: layout === 'vertical' ? 'column' : 'row',
    alignItems: layout === 'baseline' ? 'baseline' : node.alignItems,
    justifyContent: node.justifyContent,
    backgroundColor: node.backgroundColor,
    backgroundImage: gradient,
    borderStyle: border || node.borderColor ? 'solid' : undefined,
    borderWidth: border ?? (node.borderColor ? '1px' : undefined),
    borderColor: node.borderColor,
    borderRadius: kw(SPACE, node.cornerRadius),
    overflow: node.cornerRadius ? 'hidden' : undefined,
    width: node.width,
    maxWidth: node.maxWidth,
    height: node.height,
    maxHeight: node.maxHeight,
    padding: kw(SPACE, node.paddingAll) ?? defaultPadding,
    paddingTop: kw(SPACE, node.paddingTop),
    paddingBottom: kw(SPACE, node.paddingBottom),
    paddingInlineStart: kw(SPACE, node.paddingStart),
    paddingInlineEnd: kw(SPACE, node.paddingEnd),
    ...style,
  };
  return (
    <div className={`flex-box flex-${layout}`} style={boxStyle} {...clickableProps(node.action, run)}>
      {(node.contents ?? []).map((child, i) => (
        <FlexComponent key={i} node={child} parent={layout} first={i === 0} spacing={node.spacing} />
      ))}
    </div>
  );
}

function textStyle(node: FlexNode): CSSProperties {
  return {
    fontSize: kw(TEXT_SIZE, node.size),
    color: node.color,
    fontWeight: node.weight === 'bold' ? 700 : undefined,
    fontStyle: node.style === 'italic' ? 'italic' : undefined,
    textDecoration: node.decoration && node.decoration !== 'none' ? node.decoration : undefined,
  };
}

function FlexText({ node, style }: { node: FlexNode; style: CSSProperties }) {
  const { run } = usePhone();
  const clamp = node.wrap && node.maxLines && node.maxLines > 0 ? node.maxLines : 0;
  const s: CSSProperties = {
    fontSize: TEXT_SIZE.md,
    color: '#111111',
    ...textStyle(node),
    textAlign: node.align === 'end' ? 'end' : node.align === 'center' ? 'center' : 'start',
    whiteSpace: node.wrap ? 'pre-wrap' : 'nowrap',
    overflowWrap: node.wrap ? 'anywhere' : undefined,
    overflow: 'hidden',
    textOverflow: 'ellipsis',
    lineHeight: node.lineSpacing ? `calc(1.2em + ${node.lineSpacing})` : 1.4,
    ...(clamp ? { display: '-webkit-box', WebkitLineClamp: clamp, WebkitBoxOrient: 'vertical' } : {}),
    ...style,
  };
  const spans = node.contents?.filter((c) => c.type === 'span');
  return (
    <div className="flex-text" style={s} {...clickableProps(node.action, run, node.text)}>
      {spans?.length
        ? spans.map((span, i) => (
            <span key={i} style={textStyle(span)}>
              {span.text}
            </span>
          ))
        : node.text}
    </div>
  );
}

function FlexImage({ node, style }: { node: FlexNode; style: CSSProperties }) {
  const { run } = usePhone();
  return (
    <div
      className="flex-image"
      style={{ display: 'flex', justifyContent: ALIGN[node.align ?? 'center'], ...style }}
      {...clickableProps(node.action, run, '画像')}
    >
      <div
        style={{
          width: kw(IMAGE_SIZE, node.size ?? 'md'),
          maxWidth: '100%',
          aspectRatio: ratio(node.aspectRatio, '1 / 1'),
          backgroundColor: node.backgroundColor,
          overflow: 'hidden',
        }}
      >
        <img
          src={node.url}
          alt=""
          style={{ objectFit: node.aspectMode === 'cover' ? 'cover' : 'contain' }}
          loading="lazy"
        />
      </div>
    </div>
  );
}

function FlexButton({ node, style }: { node: FlexNode; style: CSSProperties }) {
  if (!node.action) return null;
  const kind = node.style === 'primary' || node.style === 'secondary' ? node.style : 'link';
  const colors: CSSProperties =
    kind === 'primary'
      ? { backgroundColor: node.color ?? '#17c950', color: '#ffffff' }
      : kind === 'secondary'
        ? { backgroundColor: node.color ?? '#dcdfe5', color: '#111111' }
        : { backgroundColor: 'transparent', color: node.color ?? '#42659a' };
  return (
    <ActionButton
      action={node.action}
      className={`flex-button flex-button-${kind}`}
      style={{ ...colors, minHeight: node.height === 'sm' ? 44 : 52, ...style }}
    />
  );
}

function FlexComponent({
  node,
  parent,
  first,
  spacing,
}: {
  node: FlexNode;
  parent: Layout;
  first: boolean;
  spacing?: string;
}): ReactNode {
  const style = itemStyle(node, parent, first, spacing);
  switch (node.type) {
    case 'box':
      return <FlexBox node={node} style={style} />;
    case 'text':
      return <FlexText node={node} style={style} />;
    case 'image':
      return <FlexImage node={node} style={style} />;
    case 'button':
      return <FlexButton node={node} style={style} />;
    case 'separator':
      return (
        <div
          className="flex-separator"
          style={{
            ...style,
            flex: '0 0 auto',
            alignSelf: 'stretch',
            ...(parent === 'vertical'
              ? { borderTop: `1px solid ${node.color ?? '#e5e5e5'}` }
              : { borderInlineStart: `1px solid ${node.color ?? '#e5e5e5'}` }),
          }}
        />
      );
    case 'filler':
      return <div className="flex-filler" style={{ ...style, flex: `${node.flex ?? 1} 0 0px` }} />;
    case 'spacer':
      return (
        <div
          style={{ ...style, flex: '0 0 auto', width: kw(SPACE, node.size), height: kw(SPACE, node.size) }}
        />
      );
    case 'icon': {
      const height = kw(TEXT_SIZE, node.size ?? 'md');
      return (
        <img
          className="flex-icon"
          src={node.url}
          alt=""
          style={{ ...style, height, width: 'auto', aspectRatio: ratio(node.aspectRatio, '1 / 1') }}
        />
      );
    }
    case 'video':
      return node.altContent ? (
        <FlexComponent node={node.altContent} parent={parent} first={first} spacing={spacing} />
      ) : (
        <FlexImage
          node={{ type: 'image', url: node.previewUrl, size: 'full', aspectRatio: node.aspectRatio }}
          style={style}
        />
      );
    default:
      return null;
  }
}

const BLOCK_PADDING = { header: '20px', body: '20px', footer: '10px' } as const;

function Block({
  name,
  node,
  blockStyle,
  separatorBefore,
}: {
  name: 'header' | 'hero' | 'body' | 'footer';
  node: FlexNode;
  blockStyle?: FlexBlockStyle;
  separatorBefore: boolean;
}) {
  const style: CSSProperties = {
    backgroundColor: blockStyle?.backgroundColor,
    borderTop:
      separatorBefore && blockStyle?.separator
        ? `1px solid ${blockStyle.separatorColor ?? '#e5e5e5'}`
        : undefined,
    flexGrow: name === 'body' ? 1 : 0,
    display: 'flex',
    flexDirection: 'column',
  };
  return (
    <div className={`flex-block flex-block-${name}`} style={style}>
      {node.type === 'box' ? (
        <FlexBox
          node={node}
          defaultPadding={name === 'hero' ? undefined : BLOCK_PADDING[name]}
          style={{ flexGrow: 1 }}
        />
      ) : (
        <FlexComponent node={node} parent="vertical" first />
      )}
    </div>
  );
}

function Bubble({ bubble }: { bubble: FlexNode }) {
  const { run } = usePhone();
  const blocks = (['header', 'hero', 'body', 'footer'] as const).filter((name) => bubble[name]);
  return (
    <div
      className="flex-bubble"
      style={{
        width: BUBBLE_WIDTH[bubble.size ?? 'mega'] ?? BUBBLE_WIDTH.mega,
        direction: bubble.direction === 'rtl' ? 'rtl' : 'ltr',
      }}
      {...clickableProps(bubble.action, run)}
    >
      {blocks.map((name, i) => {
        const node = bubble[name];
        return node ? (
          <Block
            key={name}
            name={name}
            node={node}
            blockStyle={bubble.styles?.[name]}
            separatorBefore={i > 0}
          />
        ) : null;
      })}
    </div>
  );
}

/** Flex message contents: a bubble or a carousel of bubbles. */
export function FlexView({ contents, altText }: { contents: FlexNode; altText?: string }) {
  if (contents.type === 'carousel') {
    return (
      <fieldset className="hscroll flex-carousel" aria-label={altText ?? 'カルーセル'}>
        {(contents.contents ?? []).map((bubble, i) => (
          <Bubble key={i} bubble={bubble} />
        ))}
      </fieldset>
    );
  }
  return <Bubble bubble={contents} />;
}
