// Shapes shared by the server and the web apps.

export * from './api-error.ts';
export * from './permissions.ts';
export * from './richmenus.ts';
export * from './richmenus-rules.ts';

/** Every API error: a stable code for programs and a Japanese message for people. */
export interface ApiErrorBody {
  code: string;
  message: string;
  details?: { path: string; message: string }[];
}
