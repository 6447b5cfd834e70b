# One image for every Launchpad process: web (the default command), worker and cron.
#   docker build -t launchpad .
#   docker run launchpad launchpad worker      (see docker-compose.yml for the full layout)
# Every dependency installs from a wheel, so no compiler is needed in either stage.
ARG PYTHON_IMAGE=python:3.11-slim-bookworm

FROM ${PYTHON_IMAGE} AS build
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1 PYTHONDONTWRITEBYTECODE=1
RUN python -m venv /opt/venv
WORKDIR /app
# Dependencies first, from pyproject.toml alone, so a source change reuses this layer.
COPY pyproject.toml ./
RUN mkdir launchpad workflows \
    && touch launchpad/__init__.py workflows/__init__.py \
    && /opt/venv/bin/pip install . \
    && /opt/venv/bin/pip uninstall --yes launchpad \
    && rm -rf launchpad workflows build *.egg-info
COPY launchpad ./launchpad
COPY workflows ./workflows
COPY migrations ./migrations
COPY templates ./templates
COPY alembic.ini ./
# Editable, so migrations/ and templates/ are found beside the package as in a checkout.
RUN /opt/venv/bin/pip install --no-deps --editable . \
    && /opt/venv/bin/python -m compileall -q launchpad workflows migrations

FROM ${PYTHON_IMAGE}
ENV PATH=/opt/venv/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    LAUNCHPAD_INSTANCE_DIR=/var/lib/launchpad
RUN groupadd --system --gid 10001 launchpad \
    && useradd --system --uid 10001 --gid launchpad --home-dir /var/lib/launchpad \
       --shell /usr/sbin/nologin launchpad \
    && install -d -o launchpad -g launchpad -m 0750 /var/lib/launchpad
COPY --from=build /opt/venv /opt/venv
COPY --from=build /app /app
WORKDIR /app
USER launchpad:launchpad
EXPOSE 8000
# The web check (plain urllib: a probe every 15 s should not import the app); compose gives
# worker and cron their own (`python -m launchpad.container_probes worker|cron`).
HEALTHCHECK --interval=15s --timeout=5s --start-period=20s --retries=3 \
    CMD ["python", "-c", "import urllib.request as u; u.urlopen('http://127.0.0.1:8000/healthz', timeout=3)"]
STOPSIGNAL SIGTERM
CMD ["launchpad", "web", "--host", "0.0.0.0", "--port", "8000"]
