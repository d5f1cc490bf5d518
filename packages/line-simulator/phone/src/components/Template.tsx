import { clickableProps, usePhone } from '../phone-context.ts';
import type { Template, TemplateColumn } from '../types.ts';
import { ActionButton } from './ActionButton.tsx';

function Thumbnail({
  url,
  ratio,
  size,
  background,
}: {
  url: string;
  ratio?: string;
  size?: string;
  background?: string;
}) {
  return (
    <div
      className="tpl-thumb"
      style={{
        aspectRatio: ratio === 'square' ? '1 / 1' : '1.51 / 1',
        backgroundColor: background ?? '#fff',
      }}
    >
      <img src={url} alt="" style={{ objectFit: size === 'contain' ? 'contain' : 'cover' }} />
    </div>
  );
}

function Card({ column, ratio, size }: { column: TemplateColumn; ratio?: string; size?: string }) {
  const { run } = usePhone();
  return (
    <div className="tpl-card">
      <div className="tpl-main" {...clickableProps(column.defaultAction, run, column.title ?? column.text)}>
        {column.thumbnailImageUrl && (
          <Thumbnail
            url={column.thumbnailImageUrl}
            ratio={ratio}
            size={size}
            background={column.imageBackgroundColor}
          />
        )}
        <div className="tpl-body">
          {column.title && <div className="tpl-title">{column.title}</div>}
          {column.text && <div className="tpl-text">{column.text}</div>}
        </div>
      </div>
      <div className="tpl-actions">
        {(column.actions ?? []).map((action, i) => (
          <ActionButton key={i} action={action} className="tpl-action" />
        ))}
      </div>
    </div>
  );
}

/** Template message: buttons, confirm, carousel, image_carousel. */
export function TemplateView({ template, altText }: { template: Template; altText?: string }) {
  switch (template.type) {
    case 'buttons':
      return <Card column={template} ratio={template.imageAspectRatio} size={template.imageSize} />;
    case 'confirm':
      return (
        <div className="tpl-card tpl-confirm">
          <div className="tpl-body">
            <div className="tpl-text">{template.text}</div>
          </div>
          <div className="tpl-actions tpl-actions-row">
            {(template.actions ?? []).map((action, i) => (
              <ActionButton key={i} action={action} className="tpl-action" />
            ))}
          </div>
        </div>
      );
    case 'carousel':
      return (
        <fieldset className="hscroll" aria-label={altText ?? 'カルーセル'}>
          {(template.columns ?? []).map((column, i) => (
            <Card key={i} column={column} ratio={template.imageAspectRatio} size={template.imageSize} />
          ))}
        </fieldset>
      );
    case 'image_carousel':
      return (
        <fieldset className="hscroll" aria-label={altText ?? '画像カルーセル'}>
          {(template.columns ?? []).map((column, i) => (
            <div key={i} className="tpl-image-column">
              <img src={column.imageUrl} alt="" />
              {column.action && <ActionButton action={column.action} className="tpl-image-action" />}
            </div>
          ))}
        </fieldset>
      );
    default:
      return <div className="bubble">{altText ?? `テンプレート（${template.type}）`}</div>;
  }
}
