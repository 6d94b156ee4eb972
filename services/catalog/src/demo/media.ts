import { z } from "zod";
import { drawIcon, type Palette } from "./icons.ts";
import { SPECS } from "./generate.ts";
import { DEMO_KINDS, type DemoKind, type Tone } from "./spec.ts";

/** `<type>-<hue>.svg` or `<type>-k<lightness>.svg`; no leading zeros, so each picture has one URL. */
export const DemoImageFile = z
  .string()
  .max(20)
  .regex(/^(?:0|[1-9][0-9]{0,2})-k?(?:0|[1-9][0-9]{0,2})\.svg$/, "<type>-<hue>.svg or <type>-k<lightness>.svg");

export const DemoImageParams = z.object({ kind: z.enum(DEMO_KINDS as [DemoKind, ...DemoKind[]]), file: DemoImageFile });

export type DemoPicture = { type: number } & Tone;

/** The picture a demo image file names, or undefined when it names none (unknown type, hue >= 360, lightness > 100). */
export function parseDemoImage(kind: DemoKind, file: string): DemoPicture | undefined {
  if (!DemoImageFile.safeParse(file).success) return undefined;
  const [typePart, tonePart] = file.slice(0, -4).split("-") as [string, string];
  const type = Number(typePart);
  if (type >= SPECS[kind].types.length) return undefined;
  if (tonePart.startsWith("k")) {
    const grey = Number(tonePart.slice(1));
    return grey <= 100 ? { type, grey } : undefined;
  }
  const hue = Number(tonePart);
  return hue <= 359 ? { type, hue } : undefined;
}

const inRange = (n: number, max: number) => Number.isInteger(n) && n >= 0 && n <= max;
const hsl = (h: number, s: number, l: number) => `hsl(${h} ${s}% ${l}%)`;

/** Background colours and the object's palette for a tone. Greys sit on a cool grey background. */
function colours(tone: Tone): { bg: [string, string, string]; palette: Palette } {
  if ("hue" in tone) {
    const h = tone.hue;
    const accent = (h + 35) % 360;
    return { bg: [hsl(h, 45, 95), hsl(accent, 40, 84), hsl(accent, 60, 90)], palette: { main: hsl(h, 55, 48), dark: hsl(h, 50, 24), light: hsl(h, 65, 78) } };
  }
  const l = tone.grey;
  return {
    bg: [hsl(215, 25, 95), hsl(250, 18, 84), hsl(200, 30, 90)],
    palette: { main: hsl(220, 6, l), dark: hsl(220, 10, Math.max(l - 40, 4)), light: hsl(220, 8, l > 70 ? l - 22 : l + 30) },
  };
}

/**
 * A deterministic SVG product picture: a soft background, the type's shape in the tone and a
 * shadow. Self-contained: no text, fonts, scripts or external references.
 */
export function renderDemoImage(kind: DemoKind, picture: DemoPicture): string | undefined {
  const spec = SPECS[kind].types[picture.type];
  if (!spec || ("hue" in picture ? !inRange(picture.hue, 359) : !inRange(picture.grey, 100))) return undefined;
  const { bg, palette } = colours(picture);
  const body = drawIcon(spec.icon, palette);
  if (!body) return undefined;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 400 300" width="800" height="600" role="img" aria-label="${spec.noun}">`,
    `<title>${spec.noun}</title>`,
    `<defs><linearGradient id="bg" x1="0" y1="0" x2="1" y2="1"><stop offset="0" stop-color="${bg[0]}"/><stop offset="1" stop-color="${bg[1]}"/></linearGradient></defs>`,
    `<rect width="400" height="300" fill="url(#bg)"/>`,
    `<circle cx="330" cy="52" r="90" fill="${bg[2]}" opacity="0.6"/>`,
    `<ellipse cx="200" cy="272" rx="130" ry="12" fill="hsl(220 20% 30%)" opacity="0.22"/>`,
    body,
    `</svg>`,
  ].join("");
}
