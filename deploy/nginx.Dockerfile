# Debian's nginx, as bench/load_server.py and tests/test_nginx.py run it, for compose.yaml:
# deploy/nginx.py (standard library only) renders deploy/nginx.conf.template at each start
# for the dashboard processes compose.yaml names.
FROM debian:bookworm-slim
RUN apt-get update \
    && apt-get install -y --no-install-recommends nginx python3 \
    && rm -rf /var/lib/apt/lists/* /etc/nginx/sites-enabled/default
COPY nginx.py nginx.conf.template /opt/dashboard-nginx/
EXPOSE 80
STOPSIGNAL SIGQUIT
