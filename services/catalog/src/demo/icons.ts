/**
 * Flat product shapes for the demo pictures, drawn in a 400 x 300 box with the object between
 * y = 30 and y = 262 (a shadow sits under it). Colours come from the product colour's hue.
 */
export interface Palette {
  main: string;
  dark: string;
  light: string;
}

type Icon = (p: Palette) => string;

const SOLE = "#f8fafc";
const SCREEN = "#1e293b";
const shape = (d: string, p: Palette, fill = p.main) => `<path d="${d}" fill="${fill}" stroke="${p.dark}" stroke-width="4" stroke-linejoin="round"/>`;
const line = (d: string, stroke: string, width = 4) => `<path d="${d}" fill="none" stroke="${stroke}" stroke-width="${width}" stroke-linecap="round"/>`;
const rect = (x: number, y: number, w: number, h: number, r: number, fill: string, stroke?: string) =>
  `<rect x="${x}" y="${y}" width="${w}" height="${h}" rx="${r}" fill="${fill}"${stroke ? ` stroke="${stroke}" stroke-width="4"` : ""}/>`;
const circle = (cx: number, cy: number, r: number, fill: string, stroke?: string) =>
  `<circle cx="${cx}" cy="${cy}" r="${r}" fill="${fill}"${stroke ? ` stroke="${stroke}" stroke-width="4"` : ""}/>`;

const JACKET = "M160 60 L200 74 L240 60 L292 84 L320 204 L290 212 L274 132 L274 250 L126 250 L126 132 L110 212 L80 204 L108 84 Z";
const TEE = "M152 52 L200 64 L248 52 L320 92 L298 142 L266 126 L266 252 L134 252 L134 126 L102 142 L80 92 Z";
const TROUSERS = "M140 40 H260 L278 260 H216 L200 112 L184 260 H122 Z";

const hood = (p: Palette) => shape("M162 70 C150 20 250 20 238 70 C226 50 174 50 162 70 Z", p);

const ICONS: Record<string, Icon> = {
  jacket: (p) => shape(JACKET, p) + line("M200 74 V250", p.dark) + line("M160 60 L200 104 L240 60", p.dark) + line("M140 196 H176 M224 196 H260", p.dark),
  "rain-jacket": (p) => hood(p) + shape(JACKET.replace(/250/g, "262"), p) + line("M200 74 V262", p.dark) + circle(188, 92, 4, p.light) + circle(212, 92, 4, p.light) + line("M136 170 L176 160 M264 170 L224 160", p.light, 6),
  parka: (p) => `<ellipse cx="200" cy="56" rx="52" ry="30" fill="${p.light}" stroke="${p.dark}" stroke-width="4"/>` + hood(p) + shape(JACKET.replace(/250/g, "266"), p) + line("M200 80 V266", p.dark) + line("M130 150 H270 M128 190 H272 M127 230 H273", p.dark, 3),
  "t-shirt": (p) => shape(TEE, p) + line("M172 58 C180 80 220 80 228 58", p.dark),
  hoodie: (p) => hood(p) + shape(JACKET, p) + shape("M160 190 H240 L252 236 H148 Z", p, p.light) + line("M190 70 V110 M210 70 V110", p.light, 5),
  shirt: (p) => shape(JACKET, p, p.light) + shape("M166 58 L200 96 L182 110 L160 72 Z M234 58 L200 96 L218 110 L240 72 Z", p, "#ffffff") + [120, 150, 180, 210, 240].map((y) => circle(200, y, 4, p.dark)).join("") + line("M200 96 V250", p.dark, 3),
  sweater: (p) => shape(JACKET, p) + line("M172 62 C180 84 220 84 228 62", p.dark, 6) + line("M126 236 H274 M126 244 H274", p.light, 3) + line("M84 196 L108 202 M316 196 L292 202", p.light, 6),
  jeans: (p) => shape(TROUSERS, p) + line("M140 60 H260", p.dark) + line("M150 66 C158 90 176 92 186 70 M250 66 C242 90 224 92 214 70", "#f5c26b", 3) + line("M200 60 V112", "#f5c26b", 3),
  chinos: (p) => shape(TROUSERS, p) + line("M140 60 H260", p.dark) + line("M160 68 L170 96 M240 68 L230 96", p.dark, 3),
  shorts: (p) => shape("M128 70 H272 L290 200 H214 L200 132 L186 200 H110 Z", p) + line("M128 90 H272", p.dark) + line("M120 186 L186 186 M214 186 L282 186", p.light, 3),
  dress: (p) => shape("M168 40 L182 40 L200 62 L218 40 L232 40 L238 112 L292 260 H108 L162 112 Z", p) + line("M162 116 H238", p.dark, 6) + line("M176 150 L160 250 M224 150 L240 250", p.light, 3),
  skirt: (p) => shape("M148 70 H252 L292 244 H108 Z", p) + rect(146, 64, 108, 20, 4, p.dark) + line("M170 84 L150 244 M200 84 V244 M230 84 L250 244", p.light, 3),
  sneaker: (p) => shape("M88 206 C88 176 108 156 138 154 L188 120 C208 142 242 154 292 172 C316 182 322 200 318 212 H88 Z", p) + rect(82, 206, 242, 22, 10, SOLE, p.dark) + line("M176 136 L196 150 M168 148 L190 162 M160 160 L182 174", SOLE, 4),
  boot: (p) => shape("M138 52 H212 L216 168 C252 174 302 186 308 214 V222 H138 Z", p) + rect(132, 218, 182, 22, 6, p.dark) + line("M146 60 H206 M180 84 L196 84 M180 110 L196 110 M180 136 L196 136", p.light, 4),
  socks: (p) => shape("M168 40 H236 V170 C236 196 252 210 276 218 C306 228 304 264 270 264 H188 C156 264 168 232 168 200 Z", p) + line("M168 60 H236 M168 76 H236", p.light, 6) + line("M244 222 C262 230 270 248 262 264", p.light, 8),
  cap: (p) => shape("M108 184 C108 96 292 96 292 184 Z", p) + shape("M250 182 C300 178 344 190 352 208 C320 216 282 208 250 198 Z", p, p.dark) + circle(200, 104, 8, p.dark) + line("M200 112 V184 M152 118 C168 140 172 160 170 184 M248 118 C232 140 228 160 230 184", p.light, 3),
  beanie: (p) => circle(200, 62, 22, p.light, p.dark) + shape("M122 200 C122 88 278 88 278 200 Z", p) + rect(112, 190, 176, 54, 12, p.main, p.dark) + line("M136 196 V238 M160 196 V238 M184 196 V238 M208 196 V238 M232 196 V238 M256 196 V238", p.dark, 3),
  scarf: (p) => shape("M140 56 C170 96 230 96 260 56 L272 78 C238 124 162 124 128 78 Z", p) + shape("M164 98 L150 246 H204 L214 108 Z", p) + line("M160 140 H210 M156 180 H208 M152 220 H206", p.light, 6) + line("M156 248 V266 M168 248 V266 M180 248 V266 M192 248 V266 M202 248 V266", p.dark, 3),

  laptop: (p) => rect(108, 56, 184, 128, 10, SCREEN, p.dark) + rect(120, 68, 160, 104, 4, p.light) + shape("M76 190 H324 L304 218 H96 Z", p) + line("M176 200 H224", p.dark, 4),
  phone: (p) => rect(150, 34, 100, 212, 20, p.main, p.dark) + rect(160, 50, 80, 180, 10, SCREEN) + circle(200, 42, 3, p.dark) + rect(168, 64, 64, 40, 6, p.light),
  headphones: (p) => line("M128 188 C120 60 280 60 272 188", p.dark, 20) + line("M128 188 C120 60 280 60 272 188", p.main, 12) + rect(106, 150, 44, 84, 18, p.main, p.dark) + rect(250, 150, 44, 84, 18, p.main, p.dark),
  earbuds: (p) => rect(140, 160, 120, 90, 40, p.light, p.dark) + line("M140 196 H260", p.dark, 3) + circle(170, 100, 26, p.main, p.dark) + rect(164, 108, 14, 50, 7, p.main, p.dark) + circle(238, 96, 26, p.main, p.dark) + rect(232, 104, 14, 50, 7, p.main, p.dark),
  monitor: (p) => rect(78, 40, 244, 150, 10, SCREEN, p.dark) + rect(90, 52, 220, 126, 4, p.main) + line("M110 150 C150 110 190 140 230 96 C250 76 280 90 296 80", p.light, 6) + shape("M184 190 H216 L226 236 H174 Z", p, p.dark) + rect(140, 232, 120, 14, 7, p.dark),
  keyboard: (p) => rect(64, 110, 272, 110, 14, p.main, p.dark) + Array.from({ length: 4 }, (_, r) => Array.from({ length: 12 - (r === 3 ? 4 : 0) }, (_, c) => rect(78 + c * 21.5 + (r === 3 ? 43 : 0), 122 + r * 23, 17, 17, 3, p.light)).join("")).join(""),
  mouse: (p) => shape("M200 50 C262 50 272 126 272 168 C272 232 242 262 200 262 C158 262 128 232 128 168 C128 126 138 50 200 50 Z", p) + line("M128 136 C160 148 240 148 272 136 M200 52 V144", p.dark, 3) + rect(193, 78, 14, 30, 7, p.light, p.dark),
  camera: (p) => shape("M128 100 L146 70 H206 L224 100 Z", p, p.dark) + rect(84, 96, 232, 150, 18, SCREEN, p.dark) + rect(84, 96, 56, 150, 18, p.main) + circle(222, 172, 58, p.main, p.dark) + circle(222, 172, 40, SCREEN) + circle(222, 172, 22, p.light) + circle(280, 116, 8, p.light),
  "action-camera": (p) => rect(128, 76, 150, 140, 20, p.main, p.dark) + circle(178, 146, 38, SCREEN, p.dark) + circle(178, 146, 20, p.light) + rect(230, 100, 34, 30, 5, SCREEN) + rect(170, 64, 40, 14, 4, p.dark),
  charger: (p) => rect(176, 42, 14, 48, 4, "#cbd5e1", p.dark) + rect(210, 42, 14, 48, 4, "#cbd5e1", p.dark) + rect(136, 84, 128, 140, 26, p.main, p.dark) + rect(186, 182, 28, 10, 4, SCREEN) + circle(200, 130, 12, p.light),
  cable: (p) => line("M104 232 C104 120 200 250 220 150 C236 70 300 100 300 58", p.dark, 14) + line("M104 232 C104 120 200 250 220 150 C236 70 300 100 300 58", p.main, 8) + rect(90, 226, 28, 40, 6, "#cbd5e1", p.dark) + rect(286, 30, 28, 40, 6, "#cbd5e1", p.dark),
  "smart-watch": (p) => rect(168, 26, 64, 248, 22, p.main, p.dark) + rect(142, 88, 116, 126, 30, SCREEN, p.dark) + rect(154, 100, 92, 102, 20, p.light) + rect(258, 130, 10, 30, 4, p.dark) + line("M200 126 V152 L220 164", SCREEN, 6),
  speaker: (p) => rect(136, 42, 128, 218, 42, p.main, p.dark) + circle(200, 108, 34, SCREEN, p.dark) + circle(200, 108, 14, p.light) + circle(200, 196, 46, SCREEN, p.dark) + circle(200, 196, 20, p.light),
};

export function drawIcon(icon: string, palette: Palette): string | undefined {
  return ICONS[icon]?.(palette);
}

export const ICON_NAMES = Object.keys(ICONS);
