const digitsCache = new Map<string, number>();

function fractionDigits(currency: string): number {
  let d = digitsCache.get(currency);
  if (d === undefined) {
    d = new Intl.NumberFormat("en-US", { style: "currency", currency }).resolvedOptions().maximumFractionDigits ?? 2;
    digitsCache.set(currency, d);
  }
  return d;
}

/**
 * Display an amount in integer minor units: the decimal string is built from the integer (no float
 * arithmetic), then Intl formats that exact string.
 * @example formatMoney(123456, "USD") // "$1,234.56"
 */
export function formatMoney(minor: number, currency: string, locale = "en-US"): string {
  const digits = fractionDigits(currency);
  const negative = minor < 0;
  const abs = String(Math.abs(Math.trunc(minor))).padStart(digits + 1, "0");
  const decimal = digits > 0 ? `${abs.slice(0, -digits)}.${abs.slice(-digits)}` : abs;
  const fmt = new Intl.NumberFormat(locale, { style: "currency", currency, minimumFractionDigits: digits, maximumFractionDigits: digits });
  // Intl.NumberFormat v3 formats a decimal string exactly (Node 20); the types still say number.
  return fmt.format(`${negative ? "-" : ""}${decimal}` as unknown as number);
}
