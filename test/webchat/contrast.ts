/** WCAG 2.1 contrast ratio of CSS colours as browsers report them (rgb()/rgba()). */

export type Rgba = [number, number, number, number];

/** Parses `rgb(r, g, b)` / `rgba(r, g, b, a)` (comma or space syntax) into 0-255 channels and 0-1 alpha. */
export function parseCssColor(value: string): Rgba {
  const match = /^rgba?\(([^)]+)\)$/.exec(value.trim());
  if (!match) throw new Error(`unsupported colour: ${value}`);
  const parts = match[1]!
    .split(/[\s,/]+/)
    .filter(Boolean)
    .map(Number);
  const [r, g, b, a = 1] = parts;
  if ([r, g, b, a].some((n) => n === undefined || Number.isNaN(n)))
    throw new Error(`unsupported colour: ${value}`);
  return [r!, g!, b!, a];
}

/** `top` painted over an opaque `bottom`. */
export function blend(top: Rgba, bottom: Rgba): Rgba {
  const a = top[3];
  return [0, 1, 2].map((i) => top[i]! * a + bottom[i]! * (1 - a)).concat(1) as Rgba;
}

/** Relative luminance as defined by WCAG 2.1. */
export function relativeLuminance([r, g, b]: Rgba): number {
  const channel = (c: number) => {
    const s = c / 255;
    return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b);
}

/** Contrast ratio (1-21) of a foreground over an opaque background. */
export function contrastRatio(foreground: Rgba, background: Rgba): number {
  const fg = blend(foreground, background);
  const [hi, lo] = [relativeLuminance(fg), relativeLuminance(background)].sort((x, y) => y - x) as [
    number,
    number,
  ];
  return (hi + 0.05) / (lo + 0.05);
}
