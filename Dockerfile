# Image for web, worker and beat. Dependencies come from PyPI and npm at build time.
FROM python:3.11-slim AS app
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1
RUN apt-get update && apt-get install -y --no-install-recommends nodejs npm \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund
COPY pyproject.toml ./
COPY requirements ./requirements
# The locked versions (make lock), checked against their hashes; then the project alone.
RUN pip install --require-hashes -r requirements/app.txt
COPY config ./config
COPY talent ./talent
COPY feeds ./feeds
RUN pip install --no-deps .
COPY . .
# Collecting needs no secret; DEBUG=1 only lets settings load without one.
RUN DEBUG=1 STATIC_MANIFEST=1 python manage.py collectstatic --no-input
ENV STATIC_MANIFEST=1
RUN useradd --system --home /app tracker && mkdir -p /app/.local && chown tracker /app/.local
USER tracker
EXPOSE 8000
CMD ["gunicorn", "config.wsgi", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
