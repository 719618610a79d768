# The bot in HTTP mode: CPU PyTorch, the bundled embedding model, no downloads at run time.
FROM python:3.11-slim
WORKDIR /app
ENV PIP_NO_CACHE_DIR=1 HF_HUB_OFFLINE=1 COUNCIL_DATA_DIR=/data
# Point PIP_EXTRA_INDEX_URL at a CPU-only PyTorch wheel index to keep the image small.
ARG PIP_EXTRA_INDEX_URL=""
RUN pip install torch==2.13.0
COPY pyproject.toml README.md ./
COPY bot ./bot
COPY retrieval ./retrieval
COPY kpi_tools ./kpi_tools
COPY corpus ./corpus
COPY prompts ./prompts
COPY migrations ./migrations
COPY alembic.ini ./
RUN pip install .
# Export the model to ONNX at build time so the first question is fast.
RUN council-assistant index
EXPOSE 3000
CMD ["council-assistant", "slack", "--http", "--port", "3000", "--host", "0.0.0.0"]
