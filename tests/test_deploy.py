"""The deployment files are valid as shipped: systemd accepts the unit, nginx the balancer's
configuration, and every replica in compose.yaml gets the shared settings."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from tests.harness import ROOT

DEPLOY = ROOT / "deploy"
NGINX = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)


@pytest.mark.skipif(shutil.which("systemd-analyze") is None,
                    reason="systemd-analyze is not installed (Debian: systemd)")
def test_systemd_accepts_the_replica_unit(tmp_path: Path) -> None:
    unit = tmp_path / "frontdoor@.service"
    shutil.copy(DEPLOY / "frontdoor@.service", unit)
    result = subprocess.run(["systemd-analyze", "verify", str(tmp_path / "frontdoor@8441.service")],
                            capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    assert "Unknown" not in result.stderr


@pytest.mark.skipif(NGINX is None or shutil.which("openssl") is None,
                    reason="nginx and openssl are needed (Debian: nginx-light, openssl)")
def test_nginx_accepts_the_balancer_configuration(tmp_path: Path) -> None:
    assert NGINX is not None
    # A throwaway certificate where the real one would be.
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
                    "-subj", "/CN=bot.example.gov.cn", "-keyout", str(tmp_path / "key.pem"),
                    "-out", str(tmp_path / "cert.pem")], capture_output=True, check=True)
    site = (DEPLOY / "nginx.conf").read_text(encoding="utf-8")
    site = site.replace("/etc/ssl/frontdoor/fullchain.pem", str(tmp_path / "cert.pem"))
    site = site.replace("/etc/ssl/frontdoor/privkey.pem", str(tmp_path / "key.pem"))
    site = site.replace("listen 443 ssl;", "listen 127.0.0.1:8444 ssl;")
    (tmp_path / "site.conf").write_text(site, encoding="utf-8")
    main = (f"pid {tmp_path}/nginx.pid;\nerror_log {tmp_path}/error.log;\n"
            f"events {{}}\nhttp {{ include {tmp_path}/site.conf; }}\n")
    (tmp_path / "nginx.conf").write_text(main, encoding="utf-8")
    result = subprocess.run([NGINX, "-t", "-p", str(tmp_path), "-c", str(tmp_path / "nginx.conf")],
                            capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    assert "syntax is ok" in result.stderr


def test_every_replica_in_compose_gets_the_database_and_the_webhook() -> None:
    compose = yaml.safe_load((DEPLOY / "compose.yaml").read_text(encoding="utf-8"))
    replicas = [name for name in compose["services"] if name.startswith("bot")]
    assert len(replicas) == 3
    for name in replicas:
        service = compose["services"][name]
        assert service["environment"]["FRONTDOOR_DATABASE_URL"].startswith("postgresql+asyncpg")
        assert service["environment"]["FRONTDOOR_WEBHOOK_LISTEN"] == "0.0.0.0"
        assert service["command"] == ["frontdoor", "run"]
    balancer = (DEPLOY / "nginx-compose.conf").read_text(encoding="utf-8")
    port = compose["services"]["bot1"]["environment"]["FRONTDOOR_WEBHOOK_PORT"]
    for name in replicas:
        assert f"server {name}:{port}" in balancer
