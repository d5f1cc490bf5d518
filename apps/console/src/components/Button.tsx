import type { AnchorHTMLAttributes, ButtonHTMLAttributes } from 'react';
import { href } from '../lib/router.tsx';

export type ButtonVariant = 'primary' | 'secondary' | 'tertiary' | 'danger';
export type ButtonSize = 'md' | 'sm';

const base =
  'inline-flex items-center justify-center gap-2 rounded-8 text-oln-16B-100 underline-offset-[3px] whitespace-nowrap disabled:cursor-not-allowed aria-disabled:cursor-not-allowed';

const variants: Record<ButtonVariant, string> = {
  primary:
    'border-2 border-blue-900 bg-blue-900 text-white hover:border-blue-1000 hover:bg-blue-1000 hover:underline active:bg-blue-1200 disabled:border-solid-gray-300 disabled:bg-solid-gray-300 disabled:text-solid-gray-50 disabled:no-underline',
  secondary:
    'border-2 border-blue-900 bg-white text-blue-900 hover:bg-blue-50 hover:text-blue-1000 hover:underline active:bg-blue-100 disabled:border-solid-gray-300 disabled:text-solid-gray-420 disabled:bg-white disabled:no-underline',
  tertiary:
    'border-2 border-transparent bg-transparent text-blue-900 underline hover:bg-blue-50 hover:decoration-2 active:bg-blue-100 disabled:text-solid-gray-420 disabled:no-underline',
  danger:
    'border-2 border-error-2 bg-error-2 text-white hover:border-red-1000 hover:bg-red-1000 hover:underline active:bg-red-1100 disabled:border-solid-gray-300 disabled:bg-solid-gray-300 disabled:no-underline',
};

const sizes: Record<ButtonSize, string> = {
  md: 'min-h-12 px-5 py-2',
  sm: 'min-h-11 px-3 py-1.5',
};

export function buttonClass(variant: ButtonVariant = 'primary', size: ButtonSize = 'md', extra = ''): string {
  return `${base} ${variants[variant]} ${sizes[size]} ${extra}`;
}

type ButtonProps = ButtonHTMLAttributes<HTMLButtonElement> & { variant?: ButtonVariant; size?: ButtonSize };

export function Button({
  variant = 'primary',
  size = 'md',
  className = '',
  type = 'button',
  ...rest
}: ButtonProps) {
  return <button type={type} className={buttonClass(variant, size, className)} {...rest} />;
}

type LinkButtonProps = Omit<AnchorHTMLAttributes<HTMLAnchorElement>, 'href'> & {
  to: string;
  variant?: ButtonVariant;
  size?: ButtonSize;
};

/** A navigation link (to a `#/path` route) that looks like a button. */
export function LinkButton({
  to,
  variant = 'secondary',
  size = 'md',
  className = '',
  ...rest
}: LinkButtonProps) {
  return <a href={href(to)} className={buttonClass(variant, size, className)} {...rest} />;
}
