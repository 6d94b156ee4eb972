"use client";

import { useState } from "react";
import type { Money, ProductOption, Variant } from "@bazaar/sdk";
import { formatMoney } from "@bazaar/ui";

type PickerVariant = Pick<Variant, "id" | "sku" | "options" | "price" | "stock" | "available">;

const LOW_STOCK = 5;
const label = (code: string) => code.charAt(0).toUpperCase() + code.slice(1).replace(/_/g, " ");

/**
 * Option pickers (size, colour...) that choose the variant; its price, availability and SKU follow.
 * Choosing a value that does not exist with the other current choices moves to the closest variant
 * that has it (preferring one in stock), so a shopper never gets stuck. The chosen SKU goes into
 * the URL (`?variant=`), so the link shares the same choice.
 */
export function VariantPicker({ options, variants, fromPrice, initialSku }: { options: ProductOption[]; variants: PickerVariant[]; fromPrice: Money; initialSku?: string }) {
  const initial = variants.find((v) => v.sku === initialSku) ?? variants.find((v) => v.available) ?? variants[0];
  const [selected, setSelected] = useState<Record<string, string>>(initial?.options ?? {});
  const variant = variants.find((v) => options.every((o) => v.options[o.name] === selected[o.name]));

  const choose = (name: string, value: string) => {
    const score = (v: PickerVariant) => options.filter((o) => o.name !== name && v.options[o.name] === selected[o.name]).length * 2 + (v.available ? 1 : 0);
    const best = variants.filter((v) => v.options[name] === value).sort((a, b) => score(b) - score(a))[0];
    setSelected(best ? best.options : { ...selected, [name]: value });
    if (best) {
      const url = new URL(window.location.href);
      url.searchParams.set("variant", best.sku);
      window.history.replaceState(window.history.state, "", url);
    }
  };

  /** Whether the value combines with the other current choices, and is in stock that way. */
  const state = (name: string, value: string) => {
    const match = variants.find((v) => v.options[name] === value && options.every((o) => o.name === name || v.options[o.name] === selected[o.name]));
    return match ? (match.available ? "ok" : "sold-out") : "other";
  };

  const price = variant?.price ?? fromPrice;
  return (
    <div className="picker">
      <div className="picker__summary" aria-live="polite">
        <p className="picker__price">
          {!variant && variants.length > 1 ? <span className="picker__from">From </span> : null}
          <span className="bz-price">{formatMoney(price.amount, price.currency)}</span>
        </p>
        <p className={`picker__stock picker__stock--${variant ? (variant.available ? (variant.stock <= LOW_STOCK ? "low" : "ok") : "out") : "none"}`}>
          {variant
            ? variant.available
              ? variant.stock <= LOW_STOCK
                ? `Only ${variant.stock} left`
                : "In stock"
              : "Out of stock"
            : "This combination isn’t available"}
        </p>
      </div>

      {options.map((o) => (
        <fieldset key={o.name} className="picker__option">
          <legend>
            {label(o.name)}
            {selected[o.name] ? <span className="picker__chosen">: {selected[o.name]}</span> : null}
          </legend>
          <div className="picker__values">
            {o.values.map((value) => {
              const s = state(o.name, value);
              return (
                <label key={value} className={`pill pill--${s}`} title={s === "sold-out" ? "Out of stock" : undefined}>
                  <input type="radio" name={`option-${o.name}`} value={value} checked={selected[o.name] === value} onChange={() => choose(o.name, value)} />
                  <span>{value}</span>
                  {s === "sold-out" ? <span className="sr-only"> (out of stock)</span> : null}
                </label>
              );
            })}
          </div>
        </fieldset>
      ))}

      <button type="button" className="picker__cart" disabled aria-describedby="cart-note">
        Add to cart
      </button>
      <p id="cart-note" className="picker__note">
        Cart coming soon{variant ? ` · SKU ${variant.sku}` : ""}
      </p>
    </div>
  );
}
