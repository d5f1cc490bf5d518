import { type PointerEvent, type ReactNode, useRef, useState } from 'react';
import {
  type Bounds,
  type Handle,
  MIN_AREA,
  moveRect,
  type Point,
  rectFromPoints,
  resizeRect,
  type Size,
  toImagePoint,
} from './geometry.ts';

type Drag =
  | { mode: 'draw'; start: Point }
  | { mode: 'move'; index: number; start: Point; original: Bounds }
  | { mode: 'resize'; index: number; handle: Handle; start: Point; original: Bounds };

const HANDLES: Handle[] = ['nw', 'ne', 'sw', 'se'];

/**
 * The tab's image with its tap areas drawn on it (M-04): drag on the image to draw a new area, drag
 * an area to move it, drag a corner to resize it. For the mouse and touch only — every change can
 * also be typed in the area form, so the drawing is hidden from assistive technology.
 */
export function AreaCanvas({
  size,
  background,
  areas,
  selected,
  invalid,
  onSelect,
  onChange,
  onDraw,
}: {
  size: Size;
  /** The image (server-drawn, uploaded, or the template sketch). */
  background: ReactNode;
  areas: Bounds[];
  selected: number | null;
  /** Indexes of areas with a problem (drawn in red). */
  invalid: Set<number>;
  onSelect: (index: number) => void;
  onChange: (index: number, bounds: Bounds) => void;
  onDraw: (bounds: Bounds) => void;
}) {
  const svg = useRef<SVGSVGElement>(null);
  const drag = useRef<Drag | null>(null);
  const [drawing, setDrawing] = useState<Bounds | null>(null);
  const handleSize = Math.round(Math.min(size.width, size.height) / 18);

  const point = (e: PointerEvent) => {
    const box = svg.current!.getBoundingClientRect();
    return toImagePoint({ x: e.clientX, y: e.clientY }, box, size);
  };

  function begin(e: PointerEvent<SVGElement>, next: Drag) {
    e.stopPropagation();
    e.preventDefault();
    svg.current?.setPointerCapture(e.pointerId);
    drag.current = next;
  }

  function onMove(e: PointerEvent<SVGSVGElement>) {
    const d = drag.current;
    if (!d) return;
    const p = point(e);
    if (d.mode === 'draw') setDrawing(rectFromPoints(d.start, p, size));
    else if (d.mode === 'move')
      onChange(d.index, moveRect(d.original, p.x - d.start.x, p.y - d.start.y, size));
    else
      onChange(d.index, resizeRect(d.original, d.handle, p.x - d.start.x, p.y - d.start.y, size, MIN_AREA));
  }

  function onUp(e: PointerEvent<SVGSVGElement>) {
    const d = drag.current;
    drag.current = null;
    if (svg.current?.hasPointerCapture(e.pointerId)) svg.current.releasePointerCapture(e.pointerId);
    if (d?.mode === 'draw') {
      const r = rectFromPoints(d.start, point(e), size);
      setDrawing(null);
      if (r.width >= MIN_AREA && r.height >= MIN_AREA) onDraw(r);
    }
  }

  return (
    <div className="relative w-full select-none overflow-hidden rounded-8 border border-solid-gray-420">
      {background}
      <svg
        ref={svg}
        aria-hidden="true"
        data-testid="area-canvas"
        viewBox={`0 0 ${size.width} ${size.height}`}
        preserveAspectRatio="none"
        className="absolute inset-0 h-full w-full cursor-crosshair touch-none"
        onPointerDown={(e) => begin(e, { mode: 'draw', start: point(e) })}
        onPointerMove={onMove}
        onPointerUp={onUp}
        onPointerCancel={() => {
          drag.current = null;
          setDrawing(null);
        }}
      >
        {areas.map((a, i) => {
          const isSelected = i === selected;
          const bad = invalid.has(i);
          const stroke = bad ? '#EC0000' : isSelected ? '#0017C1' : '#1A1A1C';
          return (
            // biome-ignore lint/suspicious/noArrayIndexKey: areas are positional (the LINE request order).
            <g key={i} data-area-index={i}>
              <rect
                x={a.x}
                y={a.y}
                width={a.width}
                height={a.height}
                fill={isSelected ? 'rgba(0, 23, 193, 0.18)' : 'rgba(255, 255, 255, 0.12)'}
                stroke={stroke}
                strokeWidth={handleSize / 5}
                strokeDasharray={isSelected ? undefined : `${handleSize / 2} ${handleSize / 3}`}
                className="cursor-move"
                onPointerDown={(e) => {
                  onSelect(i);
                  begin(e, { mode: 'move', index: i, start: point(e), original: a });
                }}
              />
              <text
                x={a.x + handleSize / 2}
                y={a.y + handleSize * 1.1}
                fontSize={handleSize}
                fontWeight="bold"
                fill={stroke}
                stroke="#FFFFFF"
                strokeWidth={handleSize / 8}
                paintOrder="stroke"
                pointerEvents="none"
              >
                {i + 1}
              </text>
              {isSelected &&
                HANDLES.map((h) => (
                  <rect
                    key={h}
                    data-handle={h}
                    x={(h.endsWith('w') ? a.x : a.x + a.width) - handleSize / 2}
                    y={(h.startsWith('n') ? a.y : a.y + a.height) - handleSize / 2}
                    width={handleSize}
                    height={handleSize}
                    fill="#FFFFFF"
                    stroke="#0017C1"
                    strokeWidth={handleSize / 6}
                    className={h === 'nw' || h === 'se' ? 'cursor-nwse-resize' : 'cursor-nesw-resize'}
                    onPointerDown={(e) =>
                      begin(e, { mode: 'resize', index: i, handle: h, start: point(e), original: a })
                    }
                  />
                ))}
            </g>
          );
        })}
        {drawing && (
          <rect
            x={drawing.x}
            y={drawing.y}
            width={drawing.width}
            height={drawing.height}
            fill="rgba(0, 23, 193, 0.12)"
            stroke="#0017C1"
            strokeWidth={handleSize / 5}
            pointerEvents="none"
          />
        )}
      </svg>
    </div>
  );
}
