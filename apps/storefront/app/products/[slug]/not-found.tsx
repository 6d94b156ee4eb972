import { getStore } from "../../../lib/store";
import NotFound from "../../not-found";
import { StoreFrame } from "../../store-frame";

/** A product this store does not sell (or no longer does); on a host with no store, the site-wide 404. */
export default async function ProductNotFound() {
  const store = await getStore();
  if (store.kind !== "ok") return <NotFound />;
  return (
    <StoreFrame store={store.store}>
      <main id="content" className="store__main">
        <div className="empty">
          <h1 className="empty__title">We couldn&rsquo;t find that product</h1>
          <p>
            It may have been renamed or is no longer sold. <a href="/">Browse all products</a> or search above.
          </p>
        </div>
      </main>
    </StoreFrame>
  );
}
