# A Next.js app: docker build -f docker/Dockerfile.app --build-arg APP=storefront -t bazaar-storefront .
FROM node:20-bookworm-slim AS build
WORKDIR /app
ARG APP=storefront
ENV CI=true NEXT_TELEMETRY_DISABLED=1
COPY . .
RUN npx -y pnpm@10.34.9 install --frozen-lockfile --filter "./apps/${APP}..." \
 && npx -y pnpm@10.34.9 --filter "@bazaar/${APP}" build

FROM node:20-bookworm-slim
WORKDIR /app
ARG APP=storefront
ENV NODE_ENV=production NEXT_TELEMETRY_DISABLED=1 APP=${APP}
COPY --from=build /app ./
USER node
EXPOSE 3000
CMD ["sh", "-c", "cd apps/$APP && exec node node_modules/next/dist/bin/next start -p 3000"]
