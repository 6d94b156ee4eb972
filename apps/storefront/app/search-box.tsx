"use client";

import { useEffect, useId, useRef, useState, type KeyboardEvent } from "react";
import { useRouter } from "next/navigation";
import { createBazaarClient, type Suggestion } from "@bazaar/sdk";

const DEBOUNCE_MS = 150;
const MIN_CHARS = 2;
const KIND_LABEL: Record<Suggestion["kind"], string> = { product: "Product", category: "Category", brand: "Brand" };

/** Where a suggestion leads: a product's page, or the browse page filtered by the category or brand. */
export function suggestionHref(s: Suggestion): string {
  if (s.kind === "product") return `/products/${encodeURIComponent(s.slug)}`;
  return `/?${new URLSearchParams({ [s.kind]: s.slug })}`;
}

/**
 * The header's search form (a plain GET to `/?q=`, so it works without JavaScript) with
 * autocomplete: a WAI-ARIA combobox whose listbox offers categories, brands and products as you
 * type. Arrow keys move through them, Enter opens the highlighted one (or searches), Escape closes.
 * Suggestions come from `/api/v1/search/suggest` on this same origin, which the storefront
 * forwards to the gateway for the current store (app/api/v1/search/suggest).
 */
export function SearchBox({ defaultValue }: { defaultValue: string }) {
  const router = useRouter();
  const id = useId();
  const listId = `${id}-list`;
  const [value, setValue] = useState(defaultValue);
  const [typed, setTyped] = useState(false);
  const [items, setItems] = useState<Suggestion[]>([]);
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(-1);
  const api = useRef<ReturnType<typeof createBazaarClient> | null>(null);

  useEffect(() => {
    const q = value.trim();
    if (!typed || q.length < MIN_CHARS) {
      setItems([]);
      return;
    }
    const controller = new AbortController();
    const timer = setTimeout(() => {
      api.current ??= createBazaarClient({ baseUrl: window.location.origin, timeoutMs: 5_000 });
      api.current
        .suggest(q, { limit: 8, signal: controller.signal })
        .then((r) => {
          setItems(r.items);
          setActive(-1);
          setOpen(true);
        })
        .catch(() => {
          // Aborted by newer typing, or the API is away: the form still searches on Enter.
        });
    }, DEBOUNCE_MS);
    return () => {
      clearTimeout(timer);
      controller.abort();
    };
  }, [value, typed]);

  const expanded = open && items.length > 0;
  const go = (s: Suggestion) => {
    setOpen(false);
    router.push(suggestionHref(s));
  };

  const onKeyDown = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.key === "ArrowDown" || e.key === "ArrowUp") {
      if (items.length === 0) return;
      e.preventDefault();
      setOpen(true);
      const down = e.key === "ArrowDown";
      const last = items.length - 1;
      setActive((i) => (!expanded ? (down ? 0 : last) : down ? (i >= last ? 0 : i + 1) : i <= 0 ? last : i - 1));
    } else if (e.key === "Enter" && expanded && active >= 0 && active < items.length) {
      e.preventDefault();
      go(items[active]!);
    } else if (e.key === "Escape" && expanded) {
      e.preventDefault();
      setOpen(false);
      setActive(-1);
    }
  };

  return (
    <form className="search" role="search" action="/" method="get" onSubmit={() => setOpen(false)}>
      <label htmlFor={`${id}-input`} className="sr-only">
        Search products
      </label>
      <div className="search__field">
        <input
          id={`${id}-input`}
          className="search__input"
          type="search"
          name="q"
          placeholder="Search products"
          autoComplete="off"
          maxLength={200}
          role="combobox"
          aria-autocomplete="list"
          aria-expanded={expanded}
          aria-controls={listId}
          aria-activedescendant={expanded && active >= 0 && active < items.length ? `${listId}-${active}` : undefined}
          value={value}
          onChange={(e) => {
            setValue(e.target.value);
            setTyped(true);
          }}
          onKeyDown={onKeyDown}
          onFocus={() => setOpen(true)}
          onBlur={() => setOpen(false)}
        />
        <ul id={listId} role="listbox" aria-label="Suggestions" className="search__list" hidden={!expanded}>
          {items.map((s, i) => (
            <li
              key={`${s.kind}:${s.id}`}
              id={`${listId}-${i}`}
              role="option"
              aria-selected={i === active}
              className="search__option"
              // mousedown, not click: the input's blur would close the list before a click lands.
              onMouseDown={(e) => {
                e.preventDefault();
                go(s);
              }}
              onMouseMove={() => setActive(i)}
            >
              <span className="search__option-name">{s.name}</span>
              <span className={`search__kind search__kind--${s.kind}`}>{KIND_LABEL[s.kind]}</span>
            </li>
          ))}
        </ul>
      </div>
      <button type="submit" className="search__button">
        Search
      </button>
      <p className="sr-only" role="status" aria-live="polite">
        {expanded ? `${items.length} suggestion${items.length === 1 ? "" : "s"}; use the up and down arrows to choose.` : ""}
      </p>
    </form>
  );
}
