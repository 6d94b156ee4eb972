import config from "@bazaar/eslint-config";

// Root files only (vitest config, tooling); every package has its own eslint.config.js.
export default [...config, { ignores: ["apps/**", "services/**", "packages/**", "infra/**", "tooling/eslint/**"] }];
