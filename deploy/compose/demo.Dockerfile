# syntax=docker/dockerfile:1
# The demo's companions for docker-compose.yml (DEMO/TEST ONLY): the SPID IdP (demo/idp, pysaml2),
# the product portals (demo/portal.py) and the help-desk webhook stand-in (demo/support_webhook.py).
# Debian's python3 with python3-pysaml2, python3-cryptography and xmlsec1, as scripts/lib.sh
# installs them for ./scripts/demo; openssl to generate the demo JWT key.
ARG DEBIAN_IMAGE=debian:bookworm-slim
FROM ${DEBIAN_IMAGE}
RUN apt-get update \
    && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
       python3 python3-pysaml2 python3-cryptography xmlsec1 openssl \
    && rm -rf /var/lib/apt/lists/*
ARG DEMO_UID=10002
RUN useradd --system --uid "${DEMO_UID}" --user-group --no-create-home --shell /usr/sbin/nologin demo
COPY demo/idp/ /opt/varco-demo/idp/
COPY demo/portal.py demo/support_webhook.py /opt/varco-demo/
USER demo
WORKDIR /opt/varco-demo
ENV PYTHONDONTWRITEBYTECODE=1
# Each compose service names its own command (idp.py serve, portal.py, support_webhook.py).
ENTRYPOINT ["/usr/bin/python3"]
