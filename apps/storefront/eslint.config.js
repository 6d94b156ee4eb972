export { default } from "@bazaar/eslint-config";
