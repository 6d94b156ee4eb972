import type { AttributeValue } from "@bazaar/contracts";
import { article, colour, fill, list, type Axis, type AxisValue, type KindSpec, type ProductType } from "./spec.ts";

const cat = (slug: string, name: string, parent: string | null = null) => ({ slug, name, parent });

const CATEGORIES = [
  cat("computers", "Computers"),
  cat("phones-wearables", "Phones & Wearables"),
  cat("audio", "Audio"),
  cat("cameras", "Cameras"),
  cat("power", "Chargers & Cables"),
  cat("laptops", "Laptops", "computers"),
  cat("monitors", "Monitors", "computers"),
  cat("peripherals", "Keyboards & Mice", "computers"),
  cat("keyboards", "Keyboards", "peripherals"),
  cat("mice", "Mice", "peripherals"),
  cat("phones", "Phones", "phones-wearables"),
  cat("smart-watches", "Smart Watches", "phones-wearables"),
  cat("headphones", "Headphones", "audio"),
  cat("earbuds", "Earbuds", "audio"),
  cat("speakers", "Speakers", "audio"),
  cat("mirrorless-cameras", "Mirrorless Cameras", "cameras"),
  cat("action-cameras", "Action Cameras", "cameras"),
  cat("chargers", "Chargers", "power"),
  cat("cables", "Cables", "power"),
];

const BRANDS = [
  { slug: "voltra", name: "Voltra" },
  { slug: "arcwave", name: "Arcwave" },
  { slug: "lumetra", name: "Lumetra" },
  { slug: "novabyte", name: "Novabyte" },
  { slug: "kairo", name: "Kairo" },
  { slug: "tessel", name: "Tessel" },
  { slug: "brightline", name: "Brightline" },
  { slug: "ohmwright", name: "Ohmwright" },
];

const CONNECTIVITY = ["Bluetooth 5.3", "Wi-Fi 6E", "5G", "USB-C", "USB4", "HDMI 2.1", "2.4 GHz receiver"];

const ATTRIBUTES = [
  { code: "wireless", name: "Wireless", type: "boolean" as const, values: [], filterable: true },
  { code: "battery_hours", name: "Battery life (hours)", type: "number" as const, values: [], filterable: true },
  { code: "screen_size_in", name: "Screen size (in)", type: "number" as const, values: [], filterable: true },
  { code: "connectivity", name: "Connectivity", type: "select" as const, values: CONNECTIVITY, filterable: true },
  { code: "weight_g", name: "Weight (g)", type: "number" as const, values: [], filterable: false },
  { code: "warranty_years", name: "Warranty (years)", type: "number" as const, values: [], filterable: false },
];

const COLOURS: Record<string, AxisValue> = Object.fromEntries(
  ([
    ["Black", "BLK", "k14"], ["White", "WHT", "k97"], ["Graphite", "GPH", "k34"], ["Silver", "SLV", "k78"], ["Midnight Blue", "MNB", 232],
    ["Sand", "SND", 38], ["Titanium", "TTN", 30], ["Ocean Blue", "OCB", 205], ["Sage", "SGE", 110], ["Coral", "CRL", 12],
    ["Lilac", "LLC", 275], ["Red", "RED", 355], ["Olive", "OLV", 75], ["Starlight", "STL", 48], ["Teal", "TEL", 180], ["Orange", "ORG", 26],
  ] as const).map((entry) => [entry[0], colour(entry)]),
);

interface Spec {
  battery?: [number, number];
  screens?: number[];
  weightG: [number, number];
  palette: string[];
  /** A second axis before colour (storage, layout, kit), with extra prices in USD. */
  axis?: { name: string; values: [string, string, number][]; pick: [number, number] };
  /** How many colours (before the 12-variant cap); 0 means no colour axis. */
  colours: [number, number];
}

interface ElectronicsType extends ProductType, Spec {}

const t = (icon: string, noun: string, code: string, category: string, weight: number, price: [number, number], lines: string, modifiers: string, spec: Spec, features: string[]): ElectronicsType => ({
  icon, noun, code, category, weight, price, lines: lines.split(","), modifiers: ["", ...modifiers.split(",")], features, ...spec,
});
const STORAGE_L: [string, string, number][] = [["256 GB", "256GB", 0], ["512 GB", "512GB", 150], ["1 TB", "1TB", 350], ["2 TB", "2TB", 700]];
const STORAGE_P: [string, string, number][] = [["128 GB", "128GB", 0], ["256 GB", "256GB", 100], ["512 GB", "512GB", 250], ["1 TB", "1TB", 500]];

const TYPES: ElectronicsType[] = [
  t("laptop", "Laptop", "LAP", "laptops", 6, [699, 2499], "Zenith,Airframe,Workbook,Slate,Vertex,Nimbus", "Ultralight,Creator,Gaming,Business,Convertible",
    { battery: [8, 22], screens: [13.3, 14, 15.6, 16], weightG: [980, 2400], palette: ["Graphite", "Silver", "Midnight Blue", "Sand"], axis: { name: "storage", values: STORAGE_L, pick: [2, 3] }, colours: [1, 3] }, [
    "Up to {battery} hours of battery life get you through a full working day.", "A {screen}-inch display with 100% sRGB colour makes photos pop.", "The aluminium unibody is {weight} g light.", "Two USB-C ports, HDMI and a headphone jack cover every desk."]),
  t("phone", "Smartphone", "PHN", "phones", 8, [299, 1199], "Nova,Orbit,Prism,Halo,Flux,Ember", "5G,Pro,Lite,Max",
    { battery: [18, 36], screens: [6.1, 6.4, 6.7], weightG: [160, 230], palette: ["Black", "White", "Titanium", "Ocean Blue", "Sage", "Coral", "Lilac"], axis: { name: "storage", values: STORAGE_P, pick: [2, 3] }, colours: [2, 4] }, [
    "The {screen}-inch OLED screen refreshes at 120 Hz.", "A triple camera with a 5x telephoto lens shoots sharp 4K video.", "Fast charging fills half the battery in 25 minutes.", "It is rated IP68 against dust and water."]),
  t("headphones", "Headphones", "HPH", "headphones", 7, [59, 399], "Quietline,Aria,Cadence,Resonance,Sonata,Echo", "Wireless,Noise-Cancelling,Over-Ear,On-Ear",
    { battery: [20, 60], weightG: [180, 340], palette: ["Black", "White", "Silver", "Midnight Blue", "Sand", "Olive"], colours: [1, 4] }, [
    "Adaptive noise cancellation quiets planes, trains and open offices.", "Up to {battery} hours of playback on one charge.", "Memory-foam ear cushions stay comfortable for hours.", "Multipoint pairing switches between your laptop and phone."]),
  t("earbuds", "Earbuds", "EAR", "earbuds", 8, [39, 279], "Pulse,Bean,Drift,Loop,Tempo", "Wireless,True Wireless,Noise-Cancelling,Sport,Open-Ear",
    { battery: [5, 10], weightG: [4, 7], palette: ["Black", "White", "Sage", "Lilac", "Teal", "Coral"], colours: [1, 4] }, [
    "{battery} hours per charge, and three more charges in the pocket-sized case.", "IPX5 sweat resistance makes them gym-ready.", "Three sizes of silicone tips seal out noise.", "Touch controls handle calls, tracks and volume."]),
  t("monitor", "Monitor", "MON", "monitors", 5, [149, 1299], "Panorama,Clearview,Horizon,Canvas,Pixelline", "4K,QHD,Curved,Ultrawide,Gaming,144 Hz",
    { screens: [24, 27, 32, 34], weightG: [3200, 8200], palette: ["Black"], colours: [0, 0] }, [
    "The {screen}-inch IPS panel shows 99% of DCI-P3.", "One USB-C cable carries video, data and 90 W of power to your laptop.", "A height-adjustable stand tilts, swivels and pivots.", "Flicker-free backlighting is easy on the eyes."]),
  t("keyboard", "Keyboard", "KBD", "keyboards", 5, [29, 229], "Typewright,Keystone,Clack,Tactile", "Mechanical,Wireless,Low-Profile,Compact,Ergonomic",
    { battery: [40, 200], weightG: [450, 1100], palette: ["Black", "White", "Graphite", "Sand", "Teal"], axis: { name: "layout", values: [["US", "US", 0], ["UK", "UK", 0], ["DE", "DE", 0], ["Nordic", "NORDIC", 0]], pick: [2, 3] }, colours: [1, 2] }, [
    "Hot-swappable switches let you change the feel without solder.", "PBT keycaps resist shine and fading.", "It pairs with three devices and switches at a keystroke.", "Per-key backlighting dims itself in bright rooms."]),
  t("mouse", "Mouse", "MSE", "mice", 5, [19, 149], "Glide,Swift,Pointer,Arc", "Wireless,Ergonomic,Gaming,Silent,Travel",
    { battery: [40, 120], weightG: [60, 140], palette: ["Black", "White", "Graphite", "Red", "Ocean Blue"], colours: [1, 3] }, [
    "An 8,000 DPI sensor tracks on glass.", "Silent switches keep the office quiet.", "The sculpted shape supports your palm all day.", "A USB-C quick charge gives a day of use in one minute."]),
  t("camera", "Mirrorless Camera", "CAM", "mirrorless-cameras", 3, [499, 2999], "Lumen,Aperture,Optic,Frame", "Full-Frame,Compact,Vlogging,APS-C",
    { battery: [2, 4], screens: [3], weightG: [350, 750], palette: ["Black", "Silver"], axis: { name: "kit", values: [["Body only", "BODY", 0], ["24-70 mm lens kit", "KIT2470", 400]], pick: [1, 2] }, colours: [1, 2] }, [
    "A 33-megapixel sensor captures detail in low light.", "In-body stabilisation gives up to 7 stops of shake reduction.", "It records 4K video at 60 frames per second.", "Weather sealing keeps shooting in the rain."]),
  t("action-camera", "Action Camera", "ACT", "action-cameras", 3, [149, 499], "Rush,Venture,Summit,Rapids", "Waterproof,4K,5K,Stabilized",
    { battery: [1.5, 3], screens: [2.3], weightG: [120, 160], palette: ["Black", "Orange", "Teal"], axis: { name: "kit", values: [["Standard", "STD", 0], ["Adventure bundle", "ADV", 80]], pick: [1, 2] }, colours: [1, 1] }, [
    "Waterproof to 10 m without a housing.", "Horizon levelling keeps footage straight on the bumpiest trail.", "Voice control starts recording hands-free.", "A front screen makes framing selfies easy."]),
  t("charger", "Charger", "CHG", "chargers", 6, [15, 99], "PowerCube,Juicebox,Ampere,Fastlane", "65W GaN,100W GaN,30W USB-C,Dual-Port,Wireless,3-in-1 Wireless",
    { weightG: [60, 260], palette: ["White", "Black"], colours: [1, 2] }, [
    "Gallium nitride circuitry makes it half the size of a standard charger.", "It charges a laptop and a phone at the same time.", "Foldable prongs slip into any pocket.", "Smart power sharing gives each device what it needs."]),
  t("cable", "Cable", "CBL", "cables", 6, [9, 49], "Flexlink,Tether,Linkline,Strand", "USB-C to USB-C,USB-C to USB-A,USB4,HDMI 2.1,Braided,Magnetic",
    { weightG: [20, 90], palette: ["Black", "White", "Silver"], axis: { name: "length", values: [["0.5 m", "0.5M", 0], ["1 m", "1M", 2], ["2 m", "2M", 4], ["3 m", "3M", 6]], pick: [2, 3] }, colours: [1, 2] }, [
    "Braided nylon survives 30,000 bends.", "It carries up to 240 W and 40 Gbps.", "Aluminium connector housings resist fraying.", "A reusable strap keeps it tidy in your bag."]),
  t("smart-watch", "Smart Watch", "WCH", "smart-watches", 5, [129, 549], "Pace,Vital,Chrono,Tidal", "GPS,LTE,Sport,Classic,Titanium",
    { battery: [18, 72], screens: [1.7, 1.9], weightG: [32, 58], palette: ["Black", "Silver", "Starlight", "Olive", "Coral", "Midnight Blue"], axis: { name: "case_size", values: [["41 mm", "41MM", 0], ["45 mm", "45MM", 30]], pick: [1, 2] }, colours: [2, 4] }, [
    "Up to {battery} hours of battery life between charges.", "It tracks heart rate, sleep and blood oxygen around the clock.", "Dual-band GPS maps your runs precisely.", "Swim-proof to 50 m."]),
  t("speaker", "Speaker", "SPK", "speakers", 5, [39, 499], "Roam,Halo,Sonar,Boomline", "Portable,Bluetooth,Smart,Waterproof,Bookshelf",
    { battery: [8, 24], weightG: [300, 4200], palette: ["Black", "White", "Sand", "Teal", "Red", "Olive"], colours: [1, 4] }, [
    "360-degree sound fills a room or a campsite.", "Up to {battery} hours of playback on a charge.", "Pair two for stereo sound.", "It floats, so a drop in the pool is no drama."]),
];

const USES = ["work and play", "long days on the go", "creators and commuters", "the home office", "everyday carry", "travel"];
const OPENERS = [
  "The {line} is {article} {adj} {nounLower} built for {use}.",
  "Meet the {line}: {article} {adj} {nounLower} for {use}.",
];
const CLOSERS = ["It ships with a USB-C cable and a {warranty}-year warranty.", "Free firmware updates add features over time.", "The packaging is plastic-free.", "Available in {colours}.", "Covered by a {warranty}-year warranty."];
const ADJECTIVES = ["fast", "compact", "powerful", "lightweight", "refined", "versatile"];
const round1 = (n: number) => Math.round(n * 10) / 10;
const hasWord = (name: string, words: string[]) => words.some((w) => name.includes(w));

function connectivity(type: ElectronicsType, name: string, wireless: boolean | undefined): string {
  switch (type.icon) {
    case "laptop": case "camera": case "action-camera": return "Wi-Fi 6E";
    case "phone": case "smart-watch": return name.includes("GPS") ? "Bluetooth 5.3" : "5G";
    case "monitor": return name.includes("Gaming") ? "HDMI 2.1" : "USB-C";
    case "keyboard": case "mouse": return wireless ? "2.4 GHz receiver" : "USB-C";
    case "cable": return name.includes("HDMI") ? "HDMI 2.1" : name.includes("USB4") ? "USB4" : "USB-C";
    case "charger": return "USB-C";
    default: return "Bluetooth 5.3";
  }
}

export const electronics: KindSpec = {
  kind: "electronics",
  skuPrefix: "VLT",
  categories: CATEGORIES,
  brands: BRANDS,
  attributes: ATTRIBUTES,
  types: TYPES,
  axes(rng, type) {
    const e = type as ElectronicsType;
    const axes: Axis[] = [];
    if (e.axis) {
      const values = rng.run(e.axis.values, rng.int(...e.axis.pick));
      axes.push({ name: e.axis.name, values: values.map(([value, code, extra]) => ({ value, code, extra })) });
    }
    if (e.colours[1] > 0) {
      const per = axes[0]?.values.length ?? 1;
      const k = Math.max(1, Math.min(rng.int(...e.colours), Math.floor(12 / per)));
      axes.push({ name: "colour", values: rng.sample(e.palette.map((c) => COLOURS[c]!), k) });
    }
    return axes;
  },
  attributeValues(rng, type, name) {
    const e = type as ElectronicsType;
    const out: Record<string, AttributeValue> = {};
    const audio = ["headphones", "earbuds", "speaker", "keyboard", "mouse", "charger"].includes(e.icon);
    if (audio) out.wireless = e.icon === "earbuds" || hasWord(name, ["Wireless", "Bluetooth", "Portable", "Noise"]) || (e.icon !== "charger" && rng.chance(0.5));
    if (e.battery && (e.icon !== "keyboard" || out.wireless)) out.battery_hours = e.battery[1] <= 4 ? round1(rng.int(e.battery[0] * 2, e.battery[1] * 2) / 2) : rng.int(...e.battery);
    if (e.screens) out.screen_size_in = rng.pick(e.screens);
    out.connectivity = connectivity(e, name, out.wireless as boolean | undefined);
    out.weight_g = rng.int(...e.weightG);
    out.warranty_years = rng.pick([1, 2, 2, 3]);
    return out;
  },
  name(rng, type) {
    const line = rng.pick(type.lines);
    const model = `${rng.pick(["X", "S", "G", "M", "R", "Z", "Air ", "Pro ", "Neo "])}${rng.int(1, 9)}`;
    const modifier = rng.pick(type.modifiers);
    return { name: [line, model, modifier, type.noun].filter(Boolean).join(" "), line: `${line} ${model}` };
  },
  describe(rng, ctx) {
    const adj = rng.pick(ADJECTIVES);
    const a = ctx.attributes;
    const values = {
      line: ctx.line, nounLower: ctx.type.noun.toLowerCase(), adj, article: /[^s]s$/.test(ctx.type.noun) ? "a pair of" : article(adj), use: rng.pick(USES),
      battery: String(a.battery_hours ?? ""), screen: String(a.screen_size_in ?? ""), weight: String(a.weight_g ?? ""),
      warranty: String(a.warranty_years ?? 2), colours: list(ctx.colours.map((c) => c.toLowerCase())),
    };
    const sentences = [rng.pick(OPENERS), ...rng.sample(ctx.type.features, rng.int(1, 2))].map((s) => fill(s, values));
    if (rng.chance(0.7)) sentences.push(fill(rng.pick(CLOSERS.filter((c) => ctx.colours.length || !c.includes("{colours}"))), values));
    return sentences.join(" ");
  },
  edition(k) {
    return `Gen ${k + 1}`;
  },
};
