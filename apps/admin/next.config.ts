import type { NextConfig } from "next";

const config: NextConfig = {
  // The workspace packages ship TypeScript sources; Next compiles them.
  transpilePackages: ["@bazaar/ui", "@bazaar/sdk"],
  poweredByHeader: false,
};

export default config;
