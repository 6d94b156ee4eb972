"use client";

import { useAuth } from "@bazaar/ui/auth";

/** The operator's sign-in state in the top bar: "Sign in", or who is signed in and "Sign out". */
export function SessionControl() {
  const { state, signIn, signOut } = useAuth();
  if (state.status === "loading") return <div className="session" aria-busy="true" />;
  if (state.status === "signed-out") {
    return (
      <div className="session">
        <button type="button" className="session__button session__button--primary" onClick={signIn}>
          Sign in
        </button>
      </div>
    );
  }
  const { user } = state;
  return (
    <div className="session">
      <span className="session__user" title={user.roles.length ? `roles: ${user.roles.join(", ")}` : undefined}>
        <span className="session__avatar" aria-hidden="true">
          {(user.name ?? user.email).charAt(0).toUpperCase()}
        </span>
        <span>
          <span className="session__label">Signed in as </span>
          <span className="session__email">{user.email}</span>
        </span>
      </span>
      <button type="button" className="session__button" onClick={() => signOut()}>
        Sign out
      </button>
    </div>
  );
}
