import type { LineMessage } from '../types.ts';
import { FlexView } from './Flex.tsx';
import { ImagemapView } from './Imagemap.tsx';
import { TemplateView } from './Template.tsx';
import { TextContent } from './TextContent.tsx';

/** Message types rendered across the whole width of the talk (carousels). */
export function isWide(message: LineMessage): boolean {
  return (
    (message.type === 'flex' && message.contents?.type === 'carousel') ||
    (message.type === 'template' &&
      (message.template?.type === 'carousel' || message.template?.type === 'image_carousel'))
  );
}

/** Renders one LINE message object. */
export function MessageContent({ message }: { message: LineMessage }) {
  switch (message.type) {
    case 'text':
    case 'textV2':
      return (
        <div className="bubble text">
          <TextContent message={message} />
        </div>
      );
    case 'image': {
      const src = message.dataUrl ?? message.previewImageUrl ?? message.originalContentUrl;
      if (!src) return <div className="bubble">画像</div>;
      const img = <img className="media" src={src} alt="画像" />;
      return message.originalContentUrl ? (
        <a
          href={message.originalContentUrl}
          target="_blank"
          rel="noopener noreferrer"
          aria-label="画像を開く"
        >
          {img}
        </a>
      ) : (
        img
      );
    }
    case 'video':
      return (
        // biome-ignore lint/a11y/useMediaCaption: the product's video has no caption track
        <video className="media" controls poster={message.previewImageUrl} src={message.originalContentUrl} />
      );
    case 'audio':
      return (
        // biome-ignore lint/a11y/useMediaCaption: the product's audio has no caption track
        <audio controls src={message.originalContentUrl} aria-label="音声" />
      );
    case 'sticker':
      return (
        <div
          className="sticker"
          role="img"
          aria-label={`スタンプ（パッケージ ${message.packageId ?? '?'} / スタンプ ${message.stickerId ?? '?'}）`}
        >
          <span aria-hidden="true">スタンプ</span>
          <small aria-hidden="true">
            {message.packageId} / {message.stickerId}
          </small>
        </div>
      );
    case 'location':
      return (
        <div className="bubble location">
          <svg
            className="location-pin"
            viewBox="0 0 24 24"
            width="24"
            height="24"
            aria-hidden="true"
            focusable="false"
          >
            <path
              fill="#e53935"
              d="M12 2a7 7 0 0 0-7 7c0 5.25 7 13 7 13s7-7.75 7-13a7 7 0 0 0-7-7zm0 9.5A2.5 2.5 0 1 1 12 6.5a2.5 2.5 0 0 1 0 5z"
            />
          </svg>
          <div>
            <div className="location-title">{message.title ?? '位置情報'}</div>
            {message.address && <div className="location-address">{message.address}</div>}
            <div className="location-coords">
              {message.latitude}, {message.longitude}
            </div>
          </div>
        </div>
      );
    case 'imagemap':
      return <ImagemapView message={message} />;
    case 'template':
      return message.template ? (
        <TemplateView template={message.template} altText={message.altText} />
      ) : (
        <div className="bubble">{message.altText}</div>
      );
    case 'flex':
      return message.contents ? (
        <FlexView contents={message.contents} altText={message.altText} />
      ) : (
        <div className="bubble">{message.altText}</div>
      );
    case 'coupon':
      return <div className="bubble coupon">クーポン {message.couponId}</div>;
    default:
      return (
        <div className="bubble unsupported">
          未対応のメッセージ（{message.type}）{message.altText ? `: ${message.altText}` : ''}
        </div>
      );
  }
}
