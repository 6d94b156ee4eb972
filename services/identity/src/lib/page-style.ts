/**
 * The stylesheet of every identity page (login, account pages, messages), read from the --bz-*
 * custom properties lib/theme.ts sets per store. Inline, as the pages' CSP allows.
 */
export const PAGE_STYLE = `
*,*::before,*::after{box-sizing:border-box}
[hidden]{display:none!important}
html{height:100%}
body{min-height:100%;margin:0;display:flex;flex-direction:column;align-items:center;justify-content:center;gap:1.25rem;padding:2rem 1rem;
font-family:var(--bz-font);color:var(--bz-fg);-webkit-font-smoothing:antialiased;
background:var(--bz-bg) var(--bz-glow) no-repeat}
.card{width:100%;max-width:24rem;padding:2rem 2rem 1.75rem;background:var(--bz-card);border:1px solid rgba(100,116,139,.25);border-radius:calc(var(--bz-radius) + 6px);
box-shadow:0 1px 2px rgba(15,23,42,.04),0 12px 32px -12px rgba(15,23,42,.18)}
.brand{display:flex;align-items:center;gap:.55rem;margin-bottom:1.5rem;font-weight:700;font-size:.95rem}
.mark{display:grid;place-items:center;width:1.9rem;height:1.9rem;border-radius:8px;color:#fff;font-size:.95rem;
background:var(--bz-mark)}
h1{margin:0;font-size:1.45rem;line-height:1.25}
.realm{margin:.35rem 0 1.5rem;color:#64748b;font-size:.92rem}
.realm strong{color:var(--bz-fg)}
.error{margin:0 0 1rem;padding:.65rem .8rem;border:1px solid #fecaca;border-radius:var(--bz-radius);background:#fef2f2;color:#b91c1c;font-size:.875rem}
.error ul{margin:0;padding-left:1.1rem}
.info{margin:0 0 1rem;padding:.65rem .8rem;border:1px solid #c7d2fe;border-radius:var(--bz-radius);background:#eef2ff;color:#3730a3;font-size:.875rem}
label{display:block;margin:0 0 .35rem;font-size:.85rem;font-weight:600;color:var(--bz-fg)}
input{display:block;width:100%;margin:0 0 1rem;padding:.65rem .75rem;border:1px solid #cbd5e1;border-radius:var(--bz-radius);background:var(--bz-card);
color:inherit;font:inherit;font-size:.95rem}
input:focus{outline:none;border-color:var(--bz-primary);box-shadow:0 0 0 1px var(--bz-primary)}
input[readonly]{background:#f8fafc;color:#475569}
button{width:100%;margin-top:.5rem;padding:.7rem 1rem;border:0;border-radius:var(--bz-radius);background:var(--bz-primary);color:#fff;font:inherit;
font-weight:600;cursor:pointer}
button:hover{filter:brightness(.9)}
button:focus-visible{outline:3px solid var(--bz-primary);outline-offset:2px}
p{line-height:1.5}
a{color:var(--bz-accent)}
.links{margin:1.25rem 0 0;font-size:.875rem;color:#64748b;text-align:center}
.foot{margin:0;color:#94a3b8;font-size:.78rem}
.foot code{font-family:ui-monospace,SFMono-Regular,Menlo,monospace}
.message{margin:.6rem 0 0;color:#475569}
`.replace(/\n/g, "");
