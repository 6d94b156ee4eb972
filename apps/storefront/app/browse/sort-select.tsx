"use client";

/** The sort menu: submits its form on change (with JavaScript); the form's button does it without. */
export function SortSelect({ id, value, options }: { id: string; value: string; options: { value: string; label: string }[] }) {
  return (
    <select id={id} name="sort" className="sort__select" defaultValue={value} onChange={(e) => e.currentTarget.form?.requestSubmit()}>
      {options.map((o) => (
        <option key={o.value} value={o.value}>
          {o.label}
        </option>
      ))}
    </select>
  );
}
