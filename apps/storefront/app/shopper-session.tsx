"use client";

import { useAuth } from "@bazaar/ui/auth";

/** The shopper's sign-in in the store header: "Sign in", or their email and "Sign out". */
export function ShopperSession() {
  const { state, signIn, signOut } = useAuth();
  if (state.status === "loading") return <div className="shopper" aria-busy="true" />;
  if (state.status === "signed-out") {
    return (
      <div className="shopper">
        {state.error ? (
          <span className="shopper__error" role="alert">
            {state.error}
          </span>
        ) : null}
        <button type="button" className="shopper__button" onClick={signIn}>
          Sign in
        </button>
      </div>
    );
  }
  return (
    <div className="shopper">
      <span className="shopper__email" title={state.user.name ?? undefined}>
        {state.user.email}
      </span>
      <button type="button" className="shopper__button shopper__button--quiet" onClick={() => signOut()}>
        Sign out
      </button>
    </div>
  );
}
