import { Notice } from "@bazaar/ui";

export default function NotFound() {
  return (
    <main className="page">
      <Notice title="Page not found" tone="warning">
        <p>
          That page doesn&rsquo;t exist. Go back to the <a href="/">tenant list</a>.
        </p>
      </Notice>
    </main>
  );
}
