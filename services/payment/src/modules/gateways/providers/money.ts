/** Digits after the decimal point of a currency (ISO 4217 via Intl): 2 for USD, 0 for JPY, 3 for KWD. */
export function currencyDigits(currency: string): number {
  return new Intl.NumberFormat("en", { style: "currency", currency }).resolvedOptions().maximumFractionDigits ?? 2;
}

/** Minor units to the decimal string PayPal wants: 1999 USD -> "19.99", 500 JPY -> "500". */
export function toDecimal(minor: number, currency: string): string {
  const d = currencyDigits(currency);
  if (d === 0) return String(minor);
  const s = String(Math.abs(minor)).padStart(d + 1, "0");
  return `${minor < 0 ? "-" : ""}${s.slice(0, -d)}.${s.slice(-d)}`;
}

/** A decimal string back to minor units (exact, no floating point). */
export function toMinor(value: string, currency: string): number {
  const d = currencyDigits(currency);
  const [whole = "0", frac = ""] = value.split(".");
  return Number(whole) * 10 ** d + Number((frac + "0".repeat(d)).slice(0, d) || "0");
}
