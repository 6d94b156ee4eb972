// Shared flat ESLint config. Only config.ts / main.ts / the runner and tests may read process.env:
// everything else receives its configuration through deps (CONVENTIONS.md #5).
import js from "@eslint/js";
import tseslint from "typescript-eslint";
import globals from "globals";

export default tseslint.config(
  { ignores: ["**/dist/**", "**/.next/**", "**/node_modules/**", "**/migrations/**", "**/next-env.d.ts"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "@typescript-eslint/consistent-type-imports": "error",
      "no-restricted-properties": [
        "error",
        { object: "process", property: "env", message: "Read configuration in config.ts / main.ts and pass it through deps." },
      ],
    },
  },
  {
    files: ["**/config.ts", "**/main.ts", "**/*.test.ts", "**/test/**", "**/testing/**", "**/bench/**", "**/runner/**", "**/*.config.*", "**/scripts/**"],
    rules: { "no-restricted-properties": "off" },
  },
);
