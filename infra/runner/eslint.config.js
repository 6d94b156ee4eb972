import config from "@bazaar/eslint-config";

// The runner is the platform's composition root (a main.ts for everything): it reads the
// environment and hands configuration down to services and child processes.
export default [...config, { rules: { "no-restricted-properties": "off" } }];
