// The part of opentype.js (MIT; it ships no types) the template renderer uses.
declare module 'opentype.js' {
  namespace opentype {
    interface Path {
      toPathData(decimalPlaces?: number): string;
    }
    interface Glyph {
      index: number;
    }
    interface Font {
      getPath(text: string, x: number, y: number, fontSize: number): Path;
      getAdvanceWidth(text: string, fontSize: number): number;
      charToGlyph(char: string): Glyph;
    }
  }
  const opentype: { parse(buffer: ArrayBuffer): opentype.Font };
  export default opentype;
}
