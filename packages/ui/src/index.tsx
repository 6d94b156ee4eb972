import type { CSSProperties, ReactNode } from "react";

/** A store's theme, as the tenant service stores it. All values are CSS values. */
export interface ThemeTokens {
  primary: string;
  background: string;
  foreground: string;
  accent: string;
  radius: string;
  font: string;
}

export const defaultTheme: ThemeTokens = {
  primary: "#4f46e5",
  background: "#f8fafc",
  foreground: "#0f172a",
  accent: "#f59e0b",
  radius: "12px",
  font: "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif",
};

/**
 * CSS custom properties (`--bz-primary`, ...) for an element's `style`. Missing or empty
 * tokens fall back to `defaultTheme`, so a half-configured store still renders.
 */
export function themeStyle(tokens: Partial<ThemeTokens> | null | undefined): CSSProperties {
  const vars: Record<string, string> = {};
  for (const key of Object.keys(defaultTheme) as (keyof ThemeTokens)[]) {
    const value = tokens?.[key];
    vars[`--bz-${key}`] = typeof value === "string" && value.trim() !== "" ? value : defaultTheme[key];
  }
  return vars as CSSProperties;
}

/** Digits after the decimal point for a currency (USD 2, JPY 0, KWD 3). */
export function currencyDigits(currency: string): number {
  return new Intl.NumberFormat("en", { style: "currency", currency }).resolvedOptions().maximumFractionDigits ?? 2;
}

/**
 * Format integer minor units (cents) as money. No floating-point arithmetic: the minor
 * units are turned into an exact decimal string, which Intl.NumberFormat formats as is.
 */
export function formatMoney(amount: number, currency: string, locale = "en-US", options: FormatMoneyOptions = {}): string {
  if (!Number.isSafeInteger(amount)) throw new RangeError(`Money must be integer minor units, got ${amount}`);
  const digits = currencyDigits(currency);
  const abs = String(Math.abs(amount)).padStart(digits + 1, "0");
  const decimal = digits === 0 ? abs : `${abs.slice(0, -digits)}.${abs.slice(-digits)}`;
  const value = `${amount < 0 ? "-" : ""}${decimal}` as Intl.StringNumericLiteral;
  const whole = options.trimZeros && digits > 0 && /^0+$/.test(abs.slice(-digits));
  return new Intl.NumberFormat(locale, { style: "currency", currency, ...(whole ? { minimumFractionDigits: 0, maximumFractionDigits: 0 } : {}) }).format(value);
}

export interface FormatMoneyOptions {
  /** Leave out a whole amount's zero decimals ("$25" rather than "$25.00"), as in price ranges. */
  trimZeros?: boolean;
}

export interface PriceProps {
  /** Integer minor units. */
  amount: number;
  /** ISO 4217 code. */
  currency: string;
  locale?: string;
  className?: string;
}

export function Price({ amount, currency, locale, className }: PriceProps) {
  return (
    <span className={["bz-price", className].filter(Boolean).join(" ")} data-currency={currency}>
      {formatMoney(amount, currency, locale)}
    </span>
  );
}

export interface ProductCardProps {
  product: { slug: string; name: string; description?: string; price: { amount: number; currency: string }; inStock?: boolean };
  href?: string;
  imageUrl?: string | null;
  locale?: string;
  /** A line above the name, e.g. the brand. */
  eyebrow?: string | null;
}

export function ProductCard({ product, href, imageUrl, locale, eyebrow }: ProductCardProps) {
  const body = (
    <>
      <div className="bz-card__media" aria-hidden="true">
        {imageUrl ? <img src={imageUrl} alt="" loading="lazy" decoding="async" /> : <span>{product.name.trim().charAt(0).toUpperCase()}</span>}
      </div>
      <div className="bz-card__body">
        {eyebrow ? <p className="bz-card__eyebrow">{eyebrow}</p> : null}
        <h3 className="bz-card__title">{product.name}</h3>
        {product.description ? <p className="bz-card__text">{product.description}</p> : null}
        <div className="bz-card__footer">
          <Price amount={product.price.amount} currency={product.price.currency} locale={locale} />
          {product.inStock === false ? <Badge tone="neutral">Out of stock</Badge> : null}
        </div>
      </div>
    </>
  );
  return (
    <article className="bz-card" data-slug={product.slug}>
      {href ? (
        <a className="bz-card__link" href={href}>
          {body}
        </a>
      ) : (
        body
      )}
    </article>
  );
}

export type BadgeTone = "neutral" | "success" | "warning" | "danger" | "info";

export function Badge({ tone = "neutral", children, title }: { tone?: BadgeTone; children: ReactNode; title?: string }) {
  return (
    <span className={`bz-badge bz-badge--${tone}`} title={title}>
      {children}
    </span>
  );
}

/** A friendly full-width message: store not found, gateway down, empty list. */
export function Notice({ title, children, tone = "info" }: { title: string; children?: ReactNode; tone?: "info" | "warning" | "danger" }) {
  return (
    <section className={`bz-notice bz-notice--${tone}`} role={tone === "info" ? "status" : "alert"}>
      <h2 className="bz-notice__title">{title}</h2>
      {children ? <div className="bz-notice__body">{children}</div> : null}
    </section>
  );
}
