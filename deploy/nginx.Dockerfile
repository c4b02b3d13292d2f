# Debian's nginx, as bench/load_server.py and the tests run it, for compose.yaml (whose build
# context is the repository): deploy/nginx.py (standard library only) renders
# deploy/nginx.conf.template at each start for the dashboard processes compose.yaml names, with
# the upload limit from .streamlit/config.toml. The files keep the repository's layout, where
# nginx.py finds config.toml by default.
FROM debian:bookworm-slim
RUN apt-get update \
    && apt-get install -y --no-install-recommends nginx python3 \
    && rm -rf /var/lib/apt/lists/* /etc/nginx/sites-enabled/default
COPY deploy/nginx.py deploy/nginx.conf.template /opt/dashboard/deploy/
COPY .streamlit/config.toml /opt/dashboard/.streamlit/
EXPOSE 80 443
STOPSIGNAL SIGQUIT
