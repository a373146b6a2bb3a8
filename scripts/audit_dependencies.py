"""Audit the pinned runtime dependencies for known vulnerabilities (``make security``).

pip-audit asks a vulnerability service about each package version: PyPI's JSON API
(``/pypi/<name>/<version>/json``) first, OSV second. A machine that reaches neither (a
registry mirror that serves only the project pages, no route to osv.dev) would make
pip-audit skip every package and still exit 0, which reads as "no vulnerabilities". This
wrapper says so instead, loudly:

- a known vulnerability in any package: exit 1 and list them;
- every package audited and clean: exit 0;
- no service reachable: a WARNING naming the packages not audited, exit 0, or exit 2
  when ``PIP_AUDIT_REQUIRED=1`` (set it where the services are reachable).
"""

import json
import os
import subprocess
import sys
from pathlib import Path

PIP_AUDIT = Path(sys.executable).with_name("pip-audit")
SERVICES = ("pypi", "osv")


def audit(requirements: str, service: str) -> list[dict]:
    result = subprocess.run(  # noqa: S603 (our own virtualenv's pip-audit, fixed arguments)
        [
            str(PIP_AUDIT),
            "--requirement",
            requirements,
            "--vulnerability-service",
            service,
            "--format",
            "json",
            "--progress-spinner",
            "off",
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    try:
        return json.loads(result.stdout)["dependencies"]
    except (json.JSONDecodeError, KeyError):
        last_line = (result.stderr.strip().splitlines() or ["no output"])[-1]
        print(f"pip-audit ({service}) failed: {last_line}", file=sys.stderr)
        return []


def main(requirements: str = "requirements.txt") -> int:
    dependencies: list[dict] = []
    for service in SERVICES:
        answer = audit(requirements, service)
        dependencies = answer or dependencies  # keep the names of what was skipped
        if any("skip_reason" not in d for d in answer):
            break
        print(f"pip-audit: the {service} service audited nothing")
    audited = [d for d in dependencies if "skip_reason" not in d]
    vulnerable = [d for d in audited if d.get("vulns")]
    for dep in vulnerable:
        for vuln in dep["vulns"]:
            fixed = ", ".join(vuln.get("fix_versions", [])) or "no fix yet"
            print(f"{dep['name']} {dep['version']}: {vuln['id']} (fixed in {fixed})")
    if vulnerable:
        return 1
    if not audited:
        names = ", ".join(sorted(d["name"] for d in dependencies)) or "all"
        print(
            "WARNING: pip-audit could not reach a vulnerability service (PyPI's "
            "per-version JSON API or OSV); these dependencies were NOT audited: "
            f"{names}"
        )
        return 2 if os.environ.get("PIP_AUDIT_REQUIRED") == "1" else 0
    skipped = [d["name"] for d in dependencies if "skip_reason" in d]
    print(
        f"pip-audit: {len(audited)} dependencies audited, no known vulnerability"
        + (f"; not audited: {', '.join(skipped)}" if skipped else "")
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
