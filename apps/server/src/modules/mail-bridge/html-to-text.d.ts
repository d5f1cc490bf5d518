// The part of html-to-text (MIT, mailparser's own HTML converter; it ships no types) used here.
declare module 'html-to-text' {
  export function htmlToText(html: string, options?: { wordwrap?: number | false | null }): string;
}
