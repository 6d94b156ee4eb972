import type { AttributeValue } from "@bazaar/contracts";
import { article, colour, fill, list, type AxisValue, type KindSpec, type ProductType } from "./spec.ts";

const cat = (slug: string, name: string, parent: string | null = null) => ({ slug, name, parent });

const CATEGORIES = [
  cat("clothing", "Clothing"),
  cat("outerwear", "Outerwear", "clothing"),
  cat("tops", "Tops", "clothing"),
  cat("bottoms", "Bottoms", "clothing"),
  cat("dresses-skirts", "Dresses & Skirts", "clothing"),
  cat("footwear", "Footwear"),
  cat("accessories", "Accessories"),
  cat("jackets", "Jackets", "outerwear"),
  cat("rain-jackets", "Rain Jackets", "outerwear"),
  cat("parkas", "Parkas", "outerwear"),
  cat("t-shirts", "T-Shirts", "tops"),
  cat("hoodies", "Hoodies & Sweatshirts", "tops"),
  cat("shirts", "Shirts", "tops"),
  cat("knitwear", "Knitwear", "tops"),
  cat("jeans", "Jeans", "bottoms"),
  cat("chinos", "Chinos", "bottoms"),
  cat("shorts", "Shorts", "bottoms"),
  cat("dresses", "Dresses", "dresses-skirts"),
  cat("skirts", "Skirts", "dresses-skirts"),
  cat("sneakers", "Sneakers", "footwear"),
  cat("boots", "Boots", "footwear"),
  cat("socks", "Socks", "accessories"),
  cat("caps", "Caps", "accessories"),
  cat("beanies", "Beanies", "accessories"),
  cat("scarves", "Scarves", "accessories"),
];

const BRANDS = [
  { slug: "northpeak", name: "Northpeak" },
  { slug: "loomcraft", name: "Loomcraft" },
  { slug: "harbor-and-pine", name: "Harbor & Pine" },
  { slug: "fieldwell", name: "Fieldwell" },
  { slug: "urban-tern", name: "Urban Tern" },
  { slug: "saltmarsh", name: "Saltmarsh" },
  { slug: "kestrel-row", name: "Kestrel Row" },
  { slug: "driftwood-supply", name: "Driftwood Supply Co." },
];

const MATERIALS: Record<string, string> = {
  Cotton: "soft, breathable cotton",
  "Organic Cotton": "certified organic cotton",
  Linen: "airy European linen",
  Wool: "dense, warm wool",
  "Merino Wool": "fine merino wool that regulates temperature and resists odour",
  Cashmere: "brushed cashmere",
  Denim: "rigid 13 oz denim that softens with every wear",
  Canvas: "hard-wearing cotton canvas",
  Nylon: "ripstop nylon",
  "Recycled Polyester": "recycled polyester spun from plastic bottles",
  "Gore-Tex": "a waterproof, breathable Gore-Tex membrane",
  Fleece: "brushed recycled fleece",
  Leather: "full-grain leather",
  Suede: "soft suede",
  Corduroy: "fine-wale corduroy",
};

/** A modifier that names a fit decides the fit ("Slim Jeans" are slim). */
const MODIFIER_FIT: Record<string, string> = { Slim: "Slim", Tapered: "Slim", Straight: "Regular", Relaxed: "Relaxed", Oversized: "Oversized" };

/** A modifier that names a material decides the material ("Linen Shirt" is linen). */
const MODIFIER_MATERIAL: Record<string, string> = {
  Linen: "Linen", Merino: "Merino Wool", Denim: "Denim", Wool: "Wool", Flannel: "Cotton", Oxford: "Cotton", Chambray: "Cotton",
  Corduroy: "Corduroy", Canvas: "Canvas", "Cashmere-Blend": "Cashmere", "Waxed Cotton": "Cotton", Fleece: "Fleece", "Raw Selvedge": "Denim",
};

const ATTRIBUTES = [
  { code: "material", name: "Material", type: "select" as const, values: Object.keys(MATERIALS), filterable: true },
  { code: "fit", name: "Fit", type: "select" as const, values: ["Slim", "Regular", "Relaxed", "Oversized"], filterable: true },
  { code: "gender", name: "Gender", type: "select" as const, values: ["Men", "Women", "Unisex"], filterable: true },
  { code: "waterproof", name: "Waterproof", type: "boolean" as const, values: [], filterable: true },
  { code: "weight_g", name: "Weight (g)", type: "number" as const, values: [], filterable: false },
];

const COLOURS: Record<string, AxisValue> = Object.fromEntries(
  ([
    ["Black", "BLK", "k14"], ["White", "WHT", "k97"], ["Navy", "NVY", 225], ["Red", "RED", 2], ["Forest Green", "FGR", 140],
    ["Olive", "OLV", 75], ["Sand", "SND", 38], ["Camel", "CML", 28], ["Charcoal", "CHR", "k32"], ["Grey Marl", "GRY", "k62"],
    ["Burgundy", "BRG", 345], ["Rust", "RST", 16], ["Mustard", "MUS", 46], ["Sky Blue", "SKY", 198], ["Indigo", "IND", 235],
    ["Oatmeal", "OAT", 34], ["Rose", "RSE", 332], ["Lavender", "LAV", 268], ["Teal", "TEL", 178], ["Light Wash", "LTW", 206],
  ] as const).map((entry) => [entry[0], colour(entry)]),
);
const ALL_COLOURS = Object.keys(COLOURS).filter((c) => c !== "Light Wash");
const PALETTES: Record<string, string[]> = {
  jeans: ["Indigo", "Light Wash", "Black", "Charcoal"],
  "rain-jacket": ["Black", "Navy", "Red", "Forest Green", "Mustard", "Teal", "Olive"],
  boot: ["Black", "Camel", "Rust", "Charcoal", "Olive"],
  sneaker: ["White", "Black", "Navy", "Grey Marl", "Red", "Sand"],
};

interface ApparelType extends ProductType {
  materials: string[];
  weightG: [number, number];
  sizes: "clothing" | "shoe" | "sock" | "none";
}

const t = (icon: string, noun: string, code: string, category: string, weight: number, price: [number, number], weightG: [number, number], sizes: ApparelType["sizes"], materials: string, lines: string, modifiers: string, features: string[]): ApparelType => ({
  icon, noun, code, category, weight, price, weightG, sizes,
  materials: materials.split(","),
  lines: lines.split(","),
  modifiers: ["", ...modifiers.split(",")],
  features,
});

const TYPES: ApparelType[] = [
  t("jacket", "Jacket", "JKT", "jackets", 7, [89, 249], [600, 1200], "clothing", "Cotton,Canvas,Denim,Nylon,Wool,Leather,Corduroy,Suede", "Ridgeline,Commuter,Fieldhouse,Coastline,Foundry,Drover", "Quilted,Bomber,Chore,Trucker,Insulated,Waxed Cotton,Denim", [
    "Two hand-warmer pockets and an inside zip pocket keep essentials close.", "A two-way zip and snap storm flap stand up to gusty days.", "The cut leaves room for a sweater underneath.", "Corozo buttons and a corduroy collar add a workwear touch."]),
  t("rain-jacket", "Rain Jacket", "RJK", "rain-jackets", 7, [79, 289], [250, 600], "clothing", "Gore-Tex,Nylon,Recycled Polyester", "Stormshell,Drizzle,Downpour,Monsoon,Squall,Cloudburst,Tempest", "Packable,Lightweight,3-Layer,Hooded", [
    "Fully taped seams and an adjustable hood keep the rain out.", "Pit zips let heat escape on steep climbs.", "It packs into its own chest pocket for the days the sun comes out.", "A longer back hem keeps you dry on the bike."]),
  t("parka", "Parka", "PRK", "parkas", 5, [149, 399], [900, 1800], "clothing", "Nylon,Recycled Polyester,Wool,Gore-Tex", "Polar,Tundra,Glacier,Fjord,Aurora,Summit", "Down,Insulated,Expedition,Longline", [
    "Responsibly sourced 650-fill down keeps you warm well below freezing.", "A removable faux-fur ruff frames the insulated hood.", "Fleece-lined pockets and storm cuffs seal in warmth.", "The thigh-length cut covers you on the coldest commutes."]),
  t("t-shirt", "T-Shirt", "TSH", "t-shirts", 10, [19, 45], [140, 260], "clothing", "Cotton,Organic Cotton,Linen,Merino Wool", "Everyday,Essential,Sunday,Studio,Weekend,Heritage", "Heavyweight,Organic,Pocket,Striped,Slub,Graphic", [
    "A ribbed crew neck keeps its shape wash after wash.", "It is pre-washed, so it will not shrink.", "Side-seam construction means no twisting.", "A dropped shoulder gives an easy, relaxed drape."]),
  t("hoodie", "Hoodie", "HOD", "hoodies", 7, [49, 99], [400, 700], "clothing", "Cotton,Organic Cotton,Fleece,Recycled Polyester", "Campus,Loft,Base Camp,Streetline,Lazy Sunday", "Zip,Fleece,Heavyweight,Oversized", [
    "A brushed-back interior feels soft from the first wear.", "The double-layer hood holds its shape.", "A kangaroo pocket keeps your hands warm.", "Ribbed cuffs and hem keep the cold out."]),
  t("shirt", "Shirt", "SHT", "shirts", 6, [39, 110], [200, 350], "clothing", "Cotton,Linen,Organic Cotton,Denim,Corduroy", "Portside,Atelier,Boardwalk,Harbour,Cambridge", "Oxford,Linen,Flannel,Chambray,Poplin", [
    "A button-down collar looks sharp with or without a tie.", "Mother-of-pearl buttons and a curved hem finish it off.", "It works tucked in for the office or open over a tee.", "A chest pocket holds a pen or your sunglasses."]),
  t("sweater", "Sweater", "SWT", "knitwear", 5, [59, 180], [350, 700], "clothing", "Wool,Merino Wool,Cashmere,Cotton", "Fisherman,Highland,Nordic,Hearth,Alpine", "Cable-Knit,Crewneck,Roll-Neck,Ribbed,Chunky,Merino", [
    "It is knitted on vintage machines for a dense, even gauge.", "Saddle shoulders let it layer under a coat without bunching.", "Reinforced elbows add years of wear.", "A gentle hand-wash keeps it soft."]),
  t("jeans", "Jeans", "JNS", "jeans", 8, [59, 189], [550, 900], "clothing", "Denim", "Drifter,Rivet,Foundry,Loom,Range,Mercer", "Slim,Straight,Tapered,Relaxed,Raw Selvedge,Stretch", [
    "Copper rivets reinforce the pockets.", "A touch of stretch means they move with you.", "The mid rise sits comfortably at the waist.", "Chain-stitched hems fade beautifully over time."]),
  t("chinos", "Chinos", "CHN", "chinos", 6, [49, 120], [400, 600], "clothing", "Cotton,Organic Cotton,Linen,Corduroy", "Weekend,Officer,Tailor,Parkside,Dockside", "Slim,Stretch,Pleated,Tapered", [
    "A hidden coin pocket and welted back pockets keep the lines clean.", "They are garment-dyed for a soft, lived-in colour.", "A tapered leg sits neatly over sneakers or boots.", "Ready for the office, the bar and everything between."]),
  t("shorts", "Shorts", "SHO", "shorts", 5, [29, 79], [200, 400], "clothing", "Cotton,Linen,Nylon,Recycled Polyester", "Boardwalk,Lido,Dune,Harbor,Trailhead", "Cargo,Swim,Running,Linen", [
    "A 7-inch inseam hits just above the knee.", "Quick-dry fabric goes from the trail to the lake.", "An elastic waist with a drawcord keeps them comfortable all day.", "A zip pocket keeps your keys safe."]),
  t("dress", "Dress", "DRS", "dresses", 7, [59, 220], [200, 500], "clothing", "Cotton,Linen,Organic Cotton,Merino Wool", "Meadow,Riviera,Juniper,Magnolia,Sundown,Marigold", "Wrap,Midi,Maxi,Slip,Shirt,Knit", [
    "A fluid A-line skirt moves as you walk.", "Hidden side pockets are big enough for a phone.", "An adjustable tie waist flatters every shape.", "Dress it up with heels or down with sneakers."]),
  t("skirt", "Skirt", "SKT", "skirts", 4, [39, 129], [200, 450], "clothing", "Cotton,Denim,Linen,Wool,Corduroy", "Sorrento,Atelier,Bellflower,Promenade", "A-Line,Pleated,Denim,Midi,Wrap", [
    "Soft pleats fall from a flat, comfortable waistband.", "A concealed side zip keeps the front clean.", "The midi length works in every season.", "It is fully lined, so it never clings."]),
  t("sneaker", "Sneakers", "SNK", "sneakers", 7, [59, 189], [600, 900], "shoe", "Canvas,Leather,Suede,Recycled Polyester", "Metro,Pacer,Stride,Boulevard,Skyline,Velocity", "Low-Top,High-Top,Running,Court,Canvas,Trail", [
    "A cushioned cork footbed moulds to your foot.", "Vulcanised rubber soles give grip in the wet.", "A padded collar and tongue mean no break-in period.", "Laces are made from recycled bottles."]),
  t("boot", "Boots", "BOT", "boots", 5, [99, 289], [900, 1600], "shoe", "Leather,Suede,Gore-Tex", "Ranger,Quarry,Timberline,Highland,Moorland", "Chelsea,Hiking,Lace-Up,Waterproof,Work", [
    "A Goodyear-welted sole can be replaced again and again.", "Lugged outsoles grip on mud and wet rock.", "A gusseted tongue keeps out grit and water.", "Speed hooks make lacing quick with cold hands."]),
  t("socks", "Socks", "SCK", "socks", 4, [9, 29], [40, 120], "sock", "Merino Wool,Cotton,Organic Cotton", "Everyday,Trail,Crew,Cushion", "Merino,Hiking,Ankle,Ribbed,3-Pack", [
    "A cushioned sole softens long days on your feet.", "Seamless toes prevent rubbing.", "Arch support keeps them from slipping.", "They are knitted in a family mill."]),
  t("cap", "Cap", "CAP", "caps", 4, [19, 45], [80, 140], "none", "Cotton,Canvas,Corduroy,Wool", "Dugout,Sunday,Coastal,Trailhead", "Baseball,Trucker,Corduroy,Five-Panel", [
    "An adjustable strap fits most heads.", "A pre-curved brim shades your eyes.", "Embroidered eyelets keep it breathable.", "A sweatband keeps it comfortable on hot days."]),
  t("beanie", "Beanie", "BNE", "beanies", 4, [19, 49], [60, 120], "none", "Merino Wool,Wool,Cashmere,Cotton", "Fisherman,Ski Lodge,Summit,Harbour", "Rib-Knit,Merino,Cuffed,Pom-Pom", [
    "A deep cuff folds down over cold ears.", "The rib knit stretches without itching.", "It is light enough to wear under a hood.", "One size fits most."]),
  t("scarf", "Scarf", "SCF", "scarves", 3, [29, 129], [120, 300], "none", "Wool,Cashmere,Merino Wool,Cotton", "Highland,Tartan,Lakeside,Glen", "Wool,Cashmere-Blend,Checked,Oversized", [
    "Long enough to wrap twice.", "Fringed ends are finished by hand.", "It is woven on traditional looms.", "A brushed finish makes it extra soft."]),
];

const SIZES = { clothing: ["XS", "S", "M", "L", "XL", "XXL"], shoe: ["37", "38", "39", "40", "41", "42", "43", "44", "45", "46"], sock: ["35-38", "39-42", "43-46"] };
const OUTERWEAR = new Set(["jacket", "rain-jacket", "parka"]);
const FOOTWEAR = new Set(["sneaker", "boot"]);
const FOR_WOMEN = new Set(["dress", "skirt"]);

const PURPOSES = ["built for everyday wear", "built to last for years", "designed for city commutes and weekend trips", "comfortable in every season", "ready for long days outdoors", "cut for comfort from morning to night"];
const OPENERS = [
  "The {line} {noun} {is} made from {material}, {purpose}.",
  "{Fitted} {nounLower} in {material}, {purpose}.",
  "Made from {material}, {this} {nounLower} {is} {purpose}.",
];
const CLOSERS = ["Machine wash cold and hang to dry.", "Made in a family-run workshop in Portugal.", "Dyed with low-impact dyes.", "Backed by our free lifetime repairs.", "Available in {colours}.", "Each piece is checked by hand before it ships."];

const apparelTypes: readonly ProductType[] = TYPES;

export const apparel: KindSpec = {
  kind: "apparel",
  skuPrefix: "ACM",
  categories: CATEGORIES,
  brands: BRANDS,
  attributes: ATTRIBUTES,
  types: apparelTypes,
  axes(rng, type) {
    const a = type as ApparelType;
    const palette = (PALETTES[a.icon] ?? ALL_COLOURS).map((c) => COLOURS[c]!);
    if (a.sizes === "none") return [{ name: "colour", values: rng.sample(palette, rng.int(1, 4)) }];
    const pool = a.icon === "dress" || a.icon === "skirt" ? SIZES.clothing.slice(0, 5) : SIZES[a.sizes];
    const sizes = a.sizes === "sock" ? pool : rng.run(pool, rng.int(a.sizes === "shoe" ? 5 : 4, a.sizes === "shoe" ? 8 : 6));
    const colours = rng.sample(palette, Math.min(rng.int(1, 3), Math.floor(12 / sizes.length)));
    return [
      { name: "size", values: sizes.map((s) => ({ value: s, code: s.replace(/[^A-Za-z0-9.]/g, "") })) },
      { name: "colour", values: colours },
    ];
  },
  attributeValues(rng, type, name) {
    const a = type as ApparelType;
    const implied = Object.entries(MODIFIER_MATERIAL).find(([word]) => name.includes(word))?.[1];
    const out: Record<string, AttributeValue> = { material: implied ?? rng.pick(a.materials) };
    if (!FOOTWEAR.has(a.icon) && a.category !== "socks" && a.sizes !== "none") {
      out.fit = Object.entries(MODIFIER_FIT).find(([word]) => name.includes(word))?.[1] ?? rng.pick(["Slim", "Regular", "Regular", "Relaxed", "Oversized"]);
    }
    out.gender = FOR_WOMEN.has(a.icon) ? "Women" : rng.pick(["Men", "Women", "Unisex"]);
    if (OUTERWEAR.has(a.icon) || FOOTWEAR.has(a.icon)) out.waterproof = a.icon === "rain-jacket" || out.material === "Gore-Tex" || name.includes("Waterproof") || (a.icon === "parka" && rng.chance(0.7));
    out.weight_g = rng.int(a.weightG[0] / 10, a.weightG[1] / 10) * 10;
    return out;
  },
  name(rng, type) {
    const line = rng.pick(type.lines);
    const modifier = rng.pick(type.modifiers);
    return { name: [line, modifier, type.noun].filter(Boolean).join(" "), line };
  },
  describe(rng, ctx) {
    const material = String(ctx.attributes.material);
    const fit = ctx.attributes.fit ? `${String(ctx.attributes.fit).toLowerCase()}-fit` : "classic";
    const plural = /[^s]s$/.test(ctx.type.noun);
    const fitted = plural ? fit : `${article(fit)} ${fit}`;
    const values = {
      line: ctx.line, noun: ctx.type.noun, nounLower: ctx.type.noun.toLowerCase(), is: plural ? "are" : "is", this: plural ? "these" : "this",
      Fitted: fitted.charAt(0).toUpperCase() + fitted.slice(1),
      material: MATERIALS[material] ?? material.toLowerCase(), purpose: rng.pick(PURPOSES), colours: list(ctx.colours.map((c) => c.toLowerCase())),
    };
    const sentences = [fill(rng.pick(OPENERS), values), ...rng.sample(ctx.type.features, rng.int(1, 2))];
    if (rng.chance(0.7)) sentences.push(fill(rng.pick(CLOSERS), values));
    return sentences.join(" ");
  },
  edition(k) {
    return `${k % 2 ? "FW" : "SS"}${24 + Math.floor(k / 2)}`;
  },
};
