import type { ButtonHTMLAttributes } from 'react';

export type ButtonVariant = 'primary' | 'secondary';

// Digital Agency button styles; at least 48 px high and full width on phones.
const base =
  'inline-flex min-h-12 w-full items-center justify-center gap-2 rounded-8 border-2 px-5 py-2 text-oln-17B-100 underline-offset-[3px]';

const variants: Record<ButtonVariant, string> = {
  primary:
    'border-blue-900 bg-blue-900 text-white hover:border-blue-1000 hover:bg-blue-1000 hover:underline active:bg-blue-1200',
  secondary: 'border-blue-900 bg-white text-blue-900 hover:bg-blue-50 hover:underline active:bg-blue-100',
};

type ButtonProps = ButtonHTMLAttributes<HTMLButtonElement> & { variant?: ButtonVariant };

export function Button({ variant = 'primary', className = '', type = 'button', ...rest }: ButtonProps) {
  return <button type={type} className={`${base} ${variants[variant]} ${className}`} {...rest} />;
}
